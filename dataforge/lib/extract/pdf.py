"""PDF text extraction with pypdfium2.

Text comes page by page so the page map can point every character back to its page
(provenance in the datasets cites pages). Scanned PDFs have no text layer and fail
with 'no_text', which lets the pipeline route them to OCR.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c

from dataforge.lib.extract._base import (
    ExtractedDocument,
    ExtractionError,
    build_document,
    join_pages,
)

__all__ = ["MEDIA_TYPE", "extract_pdf", "parse_pdf_date"]

MEDIA_TYPE = "application/pdf"

# PDFium is not thread-safe: concurrent calls from threads in one process can crash
# the interpreter, so all PDFium work is serialised.
_PDFIUM_LOCK = threading.Lock()

# PDFium reports a hyphen it judged to be end-of-line hyphenation as U+FFFE
# (get_text_range) or U+0002 (get_text_bounded) and drops the line break.
_SOFT_HYPHEN_RE = re.compile(r"[\ufffe\x02\u00ad](?:\r?\n)?")
# A hard hyphen ending a line before a lowercase word start: "infor-\nmation".
_HYPHEN_BREAK_RE = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=[^\W\d_])")

_PDF_DATE_RE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:([Zz+\-])(?:(\d{2})'?(\d{2})?'?)?)?"
)


def _join_hyphenation(text: str) -> str:
    """Undo end-of-line hyphenation so words are whole for tokenisers and search."""
    text = _SOFT_HYPHEN_RE.sub("", text)

    def repl(m: re.Match[str]) -> str:
        nxt = m.string[m.end() : m.end() + 1]
        return "" if nxt.islower() else m.group(0)

    return _HYPHEN_BREAK_RE.sub(repl, text)


def parse_pdf_date(value: str | None) -> str | None:
    """Turn a PDF date ('D:20240131120000+01'00'') into ISO 8601, None if unreadable."""
    if not value:
        return None
    m = _PDF_DATE_RE.match(value.strip())
    if not m:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = m.groups()
    try:
        tz: timezone | None = None
        if sign in ("Z", "z"):
            tz = UTC
        elif sign in ("+", "-"):
            offset = timedelta(hours=int(tz_h or 0), minutes=int(tz_m or 0))
            tz = timezone(offset if sign == "+" else -offset)
        dt = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None
    return dt.isoformat()


def _open(data: bytes) -> pypdfium2.PdfDocument:
    """Open a PDF, mapping load failures to stable reasons."""
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError("encrypted", "the PDF is password-protected") from exc
        raise ExtractionError("corrupt", f"PDFium cannot open the PDF: {exc}") from exc


def _page_text(pdf: pypdfium2.PdfDocument, index: int) -> str:
    """Text of one page; pages and text pages are closed right away to bound memory."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            return textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()


def _metadata(pdf: pypdfium2.PdfDocument) -> dict[str, Any]:
    """Title, author and dates from the document information dictionary."""
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except pypdfium2.PdfiumError:
        info = {}
    created = parse_pdf_date(info.get("CreationDate"))
    modified = parse_pdf_date(info.get("ModDate"))
    version = pdf.get_version()
    return {
        "title": (info.get("Title") or "").strip() or None,
        "author": (info.get("Author") or "").strip() or None,
        "date": created or modified,
        "created": created,
        "modified": modified,
        "subject": info.get("Subject") or None,
        "keywords": info.get("Keywords") or None,
        "creator": info.get("Creator") or None,
        "producer": info.get("Producer") or None,
        "pdf_version": f"{version // 10}.{version % 10}" if version else None,
    }


def extract_pdf(data: bytes, filename: str) -> ExtractedDocument:
    """Extract cleaned text, page map and metadata from a PDF."""
    with _PDFIUM_LOCK:
        pdf = _open(data)
        try:
            try:
                page_texts = [_join_hyphenation(_page_text(pdf, i)) for i in range(len(pdf))]
            except pypdfium2.PdfiumError as exc:
                raise ExtractionError("corrupt", f"PDFium cannot read a page: {exc}") from exc
            metadata = _metadata(pdf)
        finally:
            pdf.close()
    if not page_texts:
        raise ExtractionError("corrupt", "the PDF has no pages")
    text, pages = join_pages(page_texts)
    if not text:
        raise ExtractionError("no_text", f"no text layer in {len(pages)} page(s); the PDF may be scanned")
    return build_document(text, MEDIA_TYPE, metadata, pages)
