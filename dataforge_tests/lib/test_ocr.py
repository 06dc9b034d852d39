"""OCR of image-only PDF pages with the real Tesseract binary, and its failure reasons.

The scans are generated here (Pillow draws the text, fpdf2 embeds the picture as the only
content of the page). `make test` installs tesseract-ocr through tools/system-deps.sh; where
that is impossible the recognition test skips with the install hint, while the failure
paths still run: they point the binary lookup at a program that is missing or broken.
"""

from __future__ import annotations

import os
import stat

import pytest

from dataforge.lib.config import ExtractConfig
from dataforge.lib.extract import ExtractionError, extract_bytes, ocr
from dataforge_tests.lib._builders import assert_well_formed, make_scanned_pdf, reason_of

needs_tesseract = pytest.mark.skipif(
    not {"eng"} <= ocr.available_languages(), reason=f"Tesseract with English data is missing: {ocr.INSTALL_HINT}"
)


@needs_tesseract
def test_scanned_pdf_is_ocred_with_confidence() -> None:
    pages = ["Scanned invoices need optical character recognition.", "The second page mentions Rotterdam."]
    doc = extract_bytes(make_scanned_pdf(pages), "scan.pdf", ExtractConfig(ocr_dpi=200))
    assert_well_formed(doc)
    assert len(doc.pages) == 2
    first = doc.text[doc.pages[0][1] : doc.pages[0][2]]
    second = doc.text[doc.pages[1][1] : doc.pages[1][2]]
    assert "optical character" in " ".join(first.split())
    assert "Rotterdam" in second
    meta = doc.metadata["ocr"]
    assert meta["pages"] == [1, 2]
    assert meta["mean_confidence"] > 80
    assert set(meta["page_confidence"]) == {"1", "2"}
    assert "eng" in meta["languages"]
    assert doc.metadata["language"] == "en"


@needs_tesseract
def test_image_without_any_text_is_no_text() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_bytes(make_scanned_pdf([""]), "blank-scan.pdf", ExtractConfig(ocr_dpi=100))
    assert info.value.reason == "no_text"
    assert "OCR found no text" in info.value.message


def test_missing_tesseract_names_the_package(monkeypatch) -> None:
    monkeypatch.setenv("DATAFORGE_TESSERACT", "/nonexistent/tesseract")
    with pytest.raises(ExtractionError) as info:
        extract_bytes(make_scanned_pdf(["Some text."]), "scan.pdf")
    assert info.value.reason == "ocr_unavailable"
    assert "tesseract-ocr" in info.value.message
    assert str(info.value).startswith("ocr_unavailable: install tesseract-ocr")


def test_ocr_turned_off_is_no_text_not_empty() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_bytes(make_scanned_pdf(["Some text."]), "scan.pdf", ExtractConfig(ocr=False))
    assert info.value.reason == "no_text"
    assert "OCR is turned off" in info.value.message


def _fake_binary(tmp_path, body: str) -> str:
    """An executable standing in for a broken Tesseract installation."""
    path = tmp_path / "tesseract"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as the broken binary")
def test_tesseract_crash_is_ocr_failed(monkeypatch, tmp_path) -> None:
    script = 'if [ "$1" = "--list-langs" ]; then echo "List of languages:"; echo eng; exit 0; fi\n'
    script += 'echo "Error in pixReadStream" >&2; exit 1\n'
    monkeypatch.setenv("DATAFORGE_TESSERACT", _fake_binary(tmp_path, script))
    assert reason_of(make_scanned_pdf(["Some text."]), "scan.pdf") == "ocr_failed"


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as the broken binary")
def test_missing_language_data_names_the_language_package(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DATAFORGE_TESSERACT", _fake_binary(tmp_path, 'echo "List of languages:"; echo osd\n'))
    with pytest.raises(ExtractionError) as info:
        extract_bytes(make_scanned_pdf(["Some text."]), "scan.pdf")
    assert info.value.reason == "ocr_unavailable"
    assert "tesseract-ocr-eng" in info.value.message


def test_parse_tsv_groups_lines_and_weights_confidence() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\tHello",
        "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t60\tyou",
        "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t-1\t ",
        "5\t1\t1\t1\t2\t2\t0\t0\t1\t1\t80\tthere",
        "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t100\tNext",
    ]
    result = ocr._parse_tsv("\n".join([header, *rows]))
    assert result.text == "Hello you\nthere\n\nNext"
    assert result.words == 4
    assert result.confidence == round((90 * 5 + 60 * 3 + 80 * 5 + 100 * 4) / 17, 2)
