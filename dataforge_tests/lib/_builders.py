"""Test document builders: the tests generate them, no binary fixture is stored."""

from __future__ import annotations

import io
import json
import random
import zipfile

import docx
import fpdf
import pytest

from dataforge.lib.clean import clean_text
from dataforge.lib.extract import ExtractedDocument, ExtractionError, extract_bytes


def make_pdf(
    pages: list[str],
    title: str | None = None,
    author: str | None = None,
    user_password: str | None = None,
) -> bytes:
    """A PDF with one text block per page ('' gives a page with a drawing only)."""
    pdf = fpdf.FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if user_password:
        pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
        else:
            pdf.rect(20, 20, 50, 50)
    return bytes(pdf.output())


def make_docx() -> bytes:
    """A DOCX with title, headings, list items, a table between paragraphs, metadata."""
    document = docx.Document()
    props = document.core_properties
    props.title = "Quarterly Report"
    props.author = "Grace Hopper"
    document.add_heading("Quarterly Report", level=0)
    document.add_heading("Introduction", level=1)
    document.add_paragraph("The compiler project made steady progress.")
    document.add_paragraph("first bullet", style="List Bullet")
    document.add_paragraph("nested bullet", style="List Bullet 2")
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate([("Name", "Year"), ("COBOL", "1959"), ("A|B", "1957")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_heading("Details", level=2)
    document.add_paragraph("Text after the table.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    """A zip archive with the given members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Compilers Page</title>
<meta name="author" content="Grace Hopper"><meta name="date" content="2023-05-04">
<style>body { color: red } .STYLEMARK { }</style>
<script>var secret = "SCRIPTMARK";</script></head>
<body><nav><a href="/">Home</a> <a href="/about">NAVMARK about us</a></nav>
<article><h1>History of Compilers</h1>
<p>The first paragraph explains a lot about compilers and their long history.</p>
<p>The second paragraph continues with more information about COBOL and the Navy.</p>
<table><tr><th>Name</th><th>Year</th></tr><tr><td>COBOL</td><td>1959</td></tr>
<tr><td>FORTRAN</td><td>1957</td></tr></table>
<script>document.write("INLINESCRIPTMARK")</script>
</article><footer>Copyright FOOTERMARK</footer></body></html>"""


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RANDOM_BINARY = random.Random(7).randbytes(4096)


def reason_of(data: bytes, filename: str) -> str:
    """Extract and return the failure reason (fails the test if nothing is raised)."""
    with pytest.raises(ExtractionError) as info:
        extract_bytes(data, filename)
    assert info.value.message
    return info.value.reason


def assert_well_formed(doc: ExtractedDocument) -> None:
    """Invariants shared by every format: clean text, exact page map, JSON metadata."""
    assert doc.text == clean_text(doc.text)
    assert doc.pages[0][1] == 0
    assert doc.pages[-1][2] == len(doc.text)
    assert [p[0] for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    assert doc.metadata["page_count"] == len(doc.pages)
    assert doc.metadata["word_count"] == len(doc.text.split())
    for key in ("title", "author", "date"):
        assert key in doc.metadata
    json.dumps(doc.metadata)
