"""Test document builders: the tests generate them, no binary fixture is stored."""

from __future__ import annotations

import io
import json
import random
import textwrap
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
    header: str | None = None,
) -> bytes:
    """A PDF with one text block per page ('' gives a page with a drawing only).

    ``user_password`` '' encrypts with an empty user password (opens without one);
    ``header`` is printed at the top of every page, with the page number at the bottom.
    """
    pdf = fpdf.FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.set_font("helvetica", size=12)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        if header:  # text() never triggers an automatic page break
            pdf.text(10, 12, header)
            pdf.text(105, 285, str(number))
            pdf.set_xy(10, 30)
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


_FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
    '<w:footnote w:id="1"><w:p><w:r><w:t>Hopper wrote the first compiler in 1952.</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def make_docx_with_notes() -> bytes:
    """A DOCX with a page header and footer, a numbered list and a footnote reference.

    python-docx cannot write footnotes, so the footnotes part, its relationship, its
    content type and the reference run are added to the saved package by hand.
    """
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "ACME Corp confidential"
    section.footer.paragraphs[0].text = "Page footer text"
    document.add_paragraph("Compilers translate programs.FOOTNOTE_HERE")
    document.add_paragraph("first step", style="List Number")
    document.add_paragraph("second step", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    members = {}
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    run = '</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>'
    members["word/document.xml"] = members["word/document.xml"].replace(b"FOOTNOTE_HERE", run.encode())
    members["word/footnotes.xml"] = _FOOTNOTES_XML.encode()
    rels = members["word/_rels/document.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdNotes" Type="{_FOOTNOTES_REL}" Target="footnotes.xml"/></Relationships>',
    )
    members["word/_rels/document.xml.rels"] = rels.encode()
    types = members["[Content_Types].xml"].decode()
    types = types.replace(
        "</Types>", f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_TYPE}"/></Types>'
    )
    members["[Content_Types].xml"] = types.encode()
    return make_zip(members)


def make_scanned_pdf(pages: list[str], dpi: int = 150) -> bytes:
    """An image-only PDF: each page's text drawn into a picture (Pillow), no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    pdf = fpdf.FPDF(unit="pt", format=(612, 396))
    font = ImageFont.load_default(size=max(12, dpi // 5))
    for text in pages:
        image = Image.new("L", (612 * dpi // 72, 396 * dpi // 72), 255)
        draw = ImageDraw.Draw(image)
        y = dpi // 2
        for line in textwrap.wrap(text, 40):
            draw.text((dpi // 2, y), line, fill=0, font=font)
            y += int(dpi / 2.5)
        pdf.add_page()
        pdf.image(image, x=0, y=0, w=612, h=396)
    return bytes(pdf.output())


def make_two_column_pdf(rows: int = 8) -> bytes:
    """A page drawn line by line across two columns, so the stream interleaves them."""
    pdf = fpdf.FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.text(15, 20, "A Title Spanning The Page")
    for i in range(rows):
        pdf.text(15, 35 + 6 * i, f"Left column line {i} talks about apples.")
        pdf.text(110, 35 + 6 * i, f"Right column line {i} talks about pears.")
    return bytes(pdf.output())


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
