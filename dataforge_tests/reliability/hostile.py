"""Generators for hostile inputs: every file is built here, none is checked in."""

from __future__ import annotations

import io
import random
import zipfile

import docx
from fpdf import FPDF

TEXT = (
    "The Halden wind farm delivered first power in March. Engineers from the operator "
    "inspected every turbine and reported that the cables were in good condition. "
)


def pdf(pages: int, text: str = TEXT) -> bytes:
    """A real text PDF with ``pages`` pages (fpdf2, core font, no compression for speed)."""
    doc = FPDF()
    doc.set_compression(False)
    doc.set_font("helvetica", size=11)
    for number in range(pages):
        doc.add_page()
        doc.cell(text=f"Page {number + 1}. {text[:80]}")
    return bytes(doc.output())


def truncated_pdf() -> bytes:
    """A multi-page PDF cut before its objects, xref table and trailer."""
    data = pdf(5)
    return data[:400]


def corrupt_pdf() -> bytes:
    """A PDF header followed by random bytes (seeded)."""
    return b"%PDF-1.7\n" + random.Random(7).randbytes(20_000)


def good_docx(text: str = TEXT) -> bytes:
    document = docx.Document()
    for _ in range(3):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rewrite(package: bytes, change: dict[str, bytes]) -> bytes:
    """Copy a zip, replacing or adding parts."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change.pop(info.filename, None) or source.read(info))
        for name, data in change.items():
            target.writestr(name, data)
    return out.getvalue()


def docx_zip_bomb(inflated_mb: int = 200) -> bytes:
    """A valid DOCX with an extra part of zeros: ~200 KB on disk, ``inflated_mb`` inflated."""
    return _rewrite(good_docx(), {"word/media/padding.bin": bytes(inflated_mb * 1024 * 1024)})


def _with_doctype(doctype: str) -> bytes:
    base = good_docx()
    xml = zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml")
    head, _, body = xml.partition(b"?>")
    return _rewrite(base, {"word/document.xml": head + b"?>" + doctype.encode() + body})


def docx_billion_laughs() -> bytes:
    """Nested entity definitions in word/document.xml (10^9 'lol's if expanded)."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    return _with_doctype(f"<!DOCTYPE w:document [{''.join(entities)}]>")


def docx_external_entity() -> bytes:
    """An external entity pointing at a local file (XXE)."""
    return _with_doctype('<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')


def nested_html(depth: int = 100_000) -> bytes:
    return b"<html><body>" + b"<div>" * depth + TEXT.encode() + b"</div>" * depth + b"</body></html>"


def binary_txt() -> bytes:
    return random.Random(3).randbytes(64 * 1024)


def invalid_utf8() -> bytes:
    """Mostly text with stray continuation and truncated multi-byte sequences."""
    return (TEXT.encode() + b"\x80\xbf\xc3(\xe2\x82 ") * 40


def invalid_utf16() -> bytes:
    """A UTF-16 BOM, text, then an unpaired surrogate and an odd trailing byte."""
    return b"\xff\xfe" + (TEXT * 5).encode("utf-16-le") + b"\x00\xd8A\x00" + b"\x41"


def single_line_text(megabytes: int = 50) -> bytes:
    """One line of ``megabytes`` MB: words separated by spaces, no newline."""
    unit = TEXT.encode()
    return (unit * (megabytes * 1024 * 1024 // len(unit) + 1))[: megabytes * 1024 * 1024]


HOSTILE_NAMES = [
    "../../../etc/passwd.txt",
    "..\\..\\windows\\system32\\evil.txt",
    "s3://bucket/incoming/../../escape.txt",
    "nul\x00byte.txt",
    "control\x01\x07\x1b[31mchars.txt",
    "rtl\u202egnp.txt",
    "bidi\u2066isolate\u2069.txt",
    "x" * 5000 + ".txt",
    "\u0645\u0644\u0641" * 200 + ".txt",
    "/absolute/path.txt",
    "....txt",
    "",
]


# (file name, generator, expected quarantine reason or None = must be extracted), default limits.
CASES: list[tuple[str, object, str | None]] = [
    ("truncated.pdf", truncated_pdf, "corrupt"),
    ("corrupt.pdf", corrupt_pdf, "corrupt"),
    ("three-thousand-pages.pdf", lambda: pdf(3000), None),
    ("zip-bomb.docx", docx_zip_bomb, "expansion_limit"),
    ("billion-laughs.docx", docx_billion_laughs, "xml_entities"),
    ("external-entity.docx", docx_external_entity, "xml_entities"),
    ("nested-100000.html", nested_html, "too_deep"),
    ("zero-bytes.txt", lambda: b"", "empty"),
    ("binary.txt", binary_txt, "corrupt"),
    ("invalid-utf8.txt", invalid_utf8, None),
    ("invalid-utf16.txt", invalid_utf16, "corrupt"),
    ("single-line-50mb.txt", single_line_text, None),
    ("control.docx", good_docx, None),
]
