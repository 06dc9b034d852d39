"""Regenerate the binary sample documents (PDF and DOCX) from ``tools/samples/src/*.txt``.

PDF and DOCX files cannot be reviewed or diffed as text, so their content lives in
plain-text sources under ``tools/samples/src/`` and this script renders them. Output is
deterministic (fixed creation dates, fixed ZIP timestamps), so re-running it does not
change the documents' content or checksums.

Usage: ``python samples/make_samples.py``

Source format: a header of ``Key: value`` lines (Title, Author, Subject, Created as
YYYY-MM-DD, Format as pdf or docx), a blank line, then the body: ``#``/``##``/``###``
headings, ``- `` bullet items, ``| a | b |`` table rows (the first row is the header)
and paragraphs separated by blank lines.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.shared import Pt
from fpdf import FPDF
from fpdf.enums import XPos, YPos

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
SRC_DIR = Path(__file__).resolve().parent / "src"
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
TYPOGRAPHY = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u20ac": "EUR ",
    "\u00a0": " ",
}


@dataclass
class Block:
    """One rendered unit of a source document."""

    kind: str  # "heading", "paragraph", "bullet" or "table"
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class SourceDoc:
    """A parsed source text: metadata plus body blocks."""

    stem: str
    meta: dict[str, str]
    blocks: list[Block]

    @property
    def created(self) -> datetime:
        """Creation timestamp from the ``Created`` header (UTC midnight)."""
        day = datetime.strptime(self.meta["created"], "%Y-%m-%d")
        return day.replace(tzinfo=UTC)


def parse_source(path: Path) -> SourceDoc:
    """Parse a ``tools/samples/src`` text file into metadata and blocks."""
    header, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    meta: dict[str, str] = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    blocks: list[Block] = []
    for chunk in body.strip().split("\n\n"):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("|"):
            rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
            blocks.append(Block("table", rows=rows))
        elif lines[0].startswith("#"):
            marks, _, text = lines[0].partition(" ")
            blocks.append(Block("heading", text=text.strip(), level=len(marks)))
        elif lines[0].startswith("- "):
            blocks.extend(Block("bullet", text=line[2:].strip()) for line in lines)
        else:
            blocks.append(Block("paragraph", text=" ".join(lines)))
    return SourceDoc(stem=path.stem, meta=meta, blocks=blocks)


def to_latin1(text: str) -> str:
    """Map typographic characters to ASCII and drop anything outside latin-1."""
    for char, replacement in TYPOGRAPHY.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


class _SamplePDF(FPDF):
    """FPDF with a running footer (title and page number), like a real report."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 10, f"{self.footer_text} - page {self.page_no()}", align="C")


def render_pdf(doc: SourceDoc, out: Path) -> None:
    """Render a source document as a PDF with a core font."""
    pdf = _SamplePDF(format="A4")
    pdf.footer_text = to_latin1(doc.meta.get("title", doc.stem))
    pdf.set_title(to_latin1(doc.meta.get("title", "")))
    pdf.set_author(to_latin1(doc.meta.get("author", "")))
    pdf.set_subject(to_latin1(doc.meta.get("subject", "")))
    pdf.set_creator("dataforge samples/make_samples.py")
    pdf.set_creation_date(doc.created)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    heading_sizes = {1: 18, 2: 14, 3: 12}
    for block in doc.blocks:
        if block.kind == "heading":
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", heading_sizes.get(block.level, 12))
            pdf.multi_cell(0, 8, to_latin1(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif block.kind == "table":
            pdf.set_font("Helvetica", "", 10)
            with pdf.table(text_align="LEFT", line_height=6) as table:
                for row in block.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(to_latin1(value))
            pdf.ln(3)
        else:
            pdf.set_font("Helvetica", "", 11)
            text = to_latin1(block.text)
            if block.kind == "bullet":
                text = "- " + text
            pdf.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2.5)
    out.write_bytes(bytes(pdf.output()))


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a ZIP container with fixed member timestamps for reproducible bytes."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return buffer.getvalue()


def render_docx(doc: SourceDoc, out: Path) -> None:
    """Render a source document as DOCX with headings, lists, tables and metadata."""
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    props = document.core_properties
    props.title = doc.meta.get("title", "")
    props.author = doc.meta.get("author", "")
    props.subject = doc.meta.get("subject", "")
    props.last_modified_by = doc.meta.get("author", "")
    props.created = doc.created.replace(tzinfo=None)
    props.modified = doc.created.replace(tzinfo=None)
    props.revision = 1
    props.comments = "Generated by dataforge samples/make_samples.py"
    for block in doc.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 3))
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "table":
            columns = max(len(row) for row in block.rows)
            table = document.add_table(rows=len(block.rows), cols=columns)
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = value
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
        else:
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    out.write_bytes(_fixed_zip(buffer.getvalue()))


def main() -> None:
    """Render every ``tools/samples/src/*.txt`` into ``samples/<stem>.<format>``."""
    renderers = {"pdf": render_pdf, "docx": render_docx}
    for path in sorted(SRC_DIR.glob("*.txt")):
        doc = parse_source(path)
        fmt = doc.meta.get("format", "").lower()
        if fmt not in renderers:
            raise SystemExit(f"{path.name}: unknown or missing 'Format:' header ({fmt!r})")
        out = SAMPLES_DIR / f"{doc.stem}.{fmt}"
        renderers[fmt](doc, out)
        print(f"wrote {out.relative_to(SAMPLES_DIR.parent)}")


if __name__ == "__main__":
    main()
