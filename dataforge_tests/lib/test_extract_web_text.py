"""Extraction of HTML, TXT and Markdown: encodings, boilerplate removal, failures."""

from __future__ import annotations

import pytest

from dataforge.lib.extract import extract_bytes, extract_file
from dataforge_tests.lib._builders import (
    ARTICLE_HTML,
    RANDOM_BINARY,
    assert_well_formed,
    reason_of,
)

# --- HTML -------------------------------------------------------------------------


def test_html_main_content_without_scripts_styles_nav() -> None:
    doc = extract_bytes(ARTICLE_HTML.encode(), "page.html")
    assert_well_formed(doc)
    assert doc.media_type == "text/html"
    assert "The first paragraph explains a lot about compilers" in doc.text
    assert "more information about COBOL and the Navy" in doc.text
    for marker in (
        "SCRIPTMARK",
        "INLINESCRIPTMARK",
        "STYLEMARK",
        "color: red",
        "NAVMARK",
    ):
        assert marker not in doc.text
    rows = [line.replace(" ", "") for line in doc.text.split("\n")]
    assert "|COBOL|1959|" in rows
    assert "|FORTRAN|1957|" in rows
    assert "\n\n" in doc.text
    assert doc.metadata["author"] == "Grace Hopper"
    assert doc.metadata["title"] in ("History of Compilers", "Compilers Page")
    assert doc.metadata["date"] == "2023-05-04"
    assert doc.metadata["declared_language"] == "en"
    assert doc.metadata["language"] == "en"
    assert doc.text.startswith("# History of Compilers\n\n")
    assert "| --- | --- |" in doc.text


def test_html_renders_structure_without_inline_markup() -> None:
    html = (
        "<html><head><title>T</title></head><body><article><h2>Section Two</h2>"
        "<p>An <b>important</b> and <i>emphasised</i> point with a <a href='/x'>link</a> inside it, "
        "long enough for the extractor to keep this paragraph as main content of the page.</p>"
        "<ol><li>first item</li><li>second item<ul><li>nested item</li></ul></li></ol>"
        "<table><tr><td>only one column</td></tr><tr><td>second row</td></tr></table>"
        "<p>Read more: another article about something else entirely</p>"
        "<p>Closing paragraph of the article, also long enough to count as real content here.</p>"
        "</article><div class='comments'><p>Great post! COMMENTMARK</p></div></body></html>"
    )
    doc = extract_bytes(html.encode(), "structure.html")
    lines = doc.text.split("\n")
    assert "## Section Two" in lines
    assert "An important and emphasised point with a link inside it," in doc.text
    assert "**" not in doc.text and "*emph" not in doc.text and "](" not in doc.text
    assert "1. first item" in lines
    assert "  - nested item" in lines
    assert "only one column" in lines and "| only one column |" not in lines
    assert "Read more" not in doc.text  # a boilerplate line
    assert "COMMENTMARK" not in doc.text  # reader comments are not the document


@pytest.mark.parametrize("force_fallback", [False, True])
def test_html_tiny_page_drops_scripts(monkeypatch, force_fallback: bool) -> None:
    from dataforge.lib.extract import html as html_module

    if force_fallback:  # trafilatura returns None when it finds no main content
        monkeypatch.setattr(html_module.trafilatura, "bare_extraction", lambda *a, **k: None)
    html = (
        "<html><head><title>Tiny</title><style>p{}</style></head><body>"
        "<p>Hi.</p><script>alert('SCRIPTMARK')</script><div>Bye.</div></body></html>"
    )
    doc = extract_bytes(html.encode(), "tiny.html")
    assert doc.text == "Hi.\n\nBye."
    assert doc.metadata["extractor"] == ("lxml" if force_fallback else "trafilatura")
    assert doc.metadata["title"] == "Tiny"


def test_html_fallback_function_directly() -> None:
    from dataforge.lib.extract.html import _fallback_text, _parse

    tree = _parse("<body><p>One <b>bold</b></p><script>x()</script><ul><li>Two</li></ul>")
    assert _fallback_text(tree) == "One bold\n\nTwo"


def test_html_meta_charset_and_utf16_bom() -> None:
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>Café crème</p>'
    assert "Café crème" in extract_bytes(latin.encode("cp1252"), "l.html").text
    wide = "<!DOCTYPE html><html><body><p>Grüße aus Köln</p></body></html>"
    doc = extract_bytes(wide.encode("utf-16"), "w.html")
    assert doc.media_type == "text/html"
    assert "Grüße aus Köln" in doc.text
    undeclared = "<html><body><p>Ça coûte 3 € — déjà vu, naïve “quotes”, façade.</p></body></html>"
    assert "Ça coûte 3 € — déjà vu" in extract_bytes(undeclared.encode("cp1252"), "u.html").text


def test_html_mostly_utf8_with_a_stray_latin1_byte_and_nul() -> None:
    body = "<p>" + "Grüße aus Köln und Düsseldorf. " * 6 + "</p>"
    raw = f'<html><head><meta charset="utf-8"></head><body>{body}<p>Mädchen</p></body></html>'.encode()
    raw = raw.replace("Mädchen".encode(), "Mädchen".encode("cp1252")).replace(b"<body>", b"<body>\x00")
    doc = extract_bytes(raw, "mixed.html")
    assert "Grüße aus Köln" in doc.text and "Mädchen" in doc.text
    assert doc.metadata["encoding"] == "utf-8"


def test_html_mojibake_repaired() -> None:
    html = "<html><body><p>The cafÃ© serves crÃ¨me brÃ»lÃ©e every day of the week.</p></body></html>"
    assert "The café serves crème brûlée" in extract_bytes(html.encode(), "moji.html").text


def test_html_with_only_script_is_no_text() -> None:
    html = b"<html><head><script>var a = 1;</script></head><body></body></html>"
    assert reason_of(html, "empty.html") == "no_text"
    assert reason_of(b" \n\t ", "blank.html") == "no_text"
    assert reason_of(b"<!-- only a comment -->", "comment.html") == "no_text"


# --- TXT and Markdown -------------------------------------------------------------

SAMPLE = "Le café coûte 3 € — naïve “quotes” déjà vu.\n\nSecond paragraph: façade, résumé, über, Crème brûlée.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (SAMPLE.encode("utf-8-sig"), "utf-8"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("cp1252"), "cp1252"),
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_txt_encodings(tmp_path, data: bytes, encoding: str) -> None:  # incl. BOMs and UTF-16
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    doc = extract_file(path)
    assert_well_formed(doc)
    assert doc.media_type == "text/plain"
    assert doc.text == SAMPLE.strip()
    assert doc.metadata["encoding"].replace("_", "-").startswith(encoding)


def test_binary_named_txt_is_corrupt() -> None:
    assert reason_of(RANDOM_BINARY, "data.txt") == "corrupt"
    assert reason_of(b"text\x00with\x00nul\x01bytes" * 30, "nul.txt") == "corrupt"
    control_heavy = bytes(range(1, 32)) * 40 + b"a few letters"
    assert reason_of(control_heavy, "ctrl.txt") == "corrupt"


def test_whitespace_only_txt_is_no_text() -> None:
    assert reason_of(b" \n\n\t \r\n", "blank.txt") == "no_text"


def test_markdown_kept_and_titled(tmp_path) -> None:
    md = (
        "```\n# not a title\n```\n\n"
        "# Real Title\n\nSome *emphasis* here.\n\n- item one\n- item two\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n"
    )
    path = tmp_path / "doc.md"
    path.write_text(md, encoding="utf-8")
    doc = extract_file(path)
    assert_well_formed(doc)
    assert doc.media_type == "text/markdown"
    assert doc.text == md.strip()
    assert doc.metadata["title"] == "Real Title"
    plain = extract_bytes(md.encode(), "doc.txt")
    assert plain.metadata["title"] is None


def test_markdown_setext_title() -> None:
    doc = extract_bytes(b"Setext Title\n============\n\nBody.", "s.markdown")
    assert doc.metadata["title"] == "Setext Title"
