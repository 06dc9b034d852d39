"""PDF text extraction with pypdfium2, OCR (Tesseract) for pages without a text layer.

Text comes page by page so the page map can point every character back to its page
(provenance in the datasets cites pages). On top of PDFium's text: interleaved columns
and table rows are repaired (_pdf_layout), running headers, footers and page numbers are
dropped and end-of-line hyphenation is undone (_pdf_text). Image-only pages are rendered
and OCRed; the confidence goes into the metadata.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c

from dataforge.lib.config import ExtractConfig
from dataforge.lib.extract._base import (
    ExtractedDocument,
    ExtractionError,
    build_document,
    join_pages,
)
from dataforge.lib.extract._pdf_layout import layout_page_text
from dataforge.lib.extract._pdf_text import join_hyphenation, remove_running_lines

__all__ = ["MEDIA_TYPE", "extract_pdf", "parse_pdf_date"]

MEDIA_TYPE = "application/pdf"

# PDFium is not thread-safe: concurrent calls from threads in one process can crash
# the interpreter, so all PDFium work is serialised.
_PDFIUM_LOCK = threading.Lock()

# A page with fewer characters than this and an image covering this share of it is a scan.
_OCR_MAX_TEXT_CHARS = 20
_OCR_MIN_IMAGE_SHARE = 0.25

_PDF_DATE_RE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:([Zz+\-])(?:(\d{2})'?(\d{2})?'?)?)?"
)


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


def _image_share(page: Any) -> float:
    """Share of the page area covered by image objects (0 when there are none)."""
    width, height = page.get_size()
    area = max(width * height, 1.0)
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        covered += max(right - left, 0) * max(top - bottom, 0)
    return min(covered / area, 1.0)


def _read_pages(pdf: pypdfium2.PdfDocument) -> tuple[list[str], list[int]]:
    """Layout-repaired text of every page, and the indices of pages that need OCR.

    Pages and text pages are closed right away to bound memory on long documents.
    """
    texts: list[str] = []
    scans: list[int] = []
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            textpage = page.get_textpage()
            try:
                text = layout_page_text(textpage, textpage.get_text_range(), page.get_width())
            finally:
                textpage.close()
            if len(text.strip()) < _OCR_MAX_TEXT_CHARS and _image_share(page) >= _OCR_MIN_IMAGE_SHARE:
                scans.append(index)
        finally:
            page.close()
        texts.append(text.replace("\r\n", "\n"))
    return texts, scans


def _ocr_pages(pdf: pypdfium2.PdfDocument, indices: list[int], config: ExtractConfig) -> dict[int, Any]:
    """Render and OCR the given pages (PDFium under the lock, Tesseract outside it)."""
    from dataforge.lib.extract import ocr

    languages = ocr.resolve_languages(config.ocr_languages)  # fails fast, naming the package
    results = {}
    for index in indices:
        with _PDFIUM_LOCK:
            page = pdf[index]
            try:
                image = page.render(scale=config.ocr_dpi / 72, grayscale=True).to_pil()
            finally:
                page.close()
        results[index] = ocr.ocr_image(image, languages, config.ocr_timeout_s)
    return results


def _ocr_metadata(results: dict[int, Any], languages: str) -> dict[str, Any]:
    from dataforge.lib.extract import ocr

    confidences = [r.confidence for r in results.values() if r.confidence is not None]
    words = [r.words for r in results.values() if r.confidence is not None]
    mean = sum(c * w for c, w in zip(confidences, words, strict=True)) / sum(words) if sum(words) else None
    return {
        "engine": ocr.tesseract_version(),
        "languages": ocr.resolve_languages(languages),
        "pages": [i + 1 for i in sorted(results)],
        "page_confidence": {str(i + 1): results[i].confidence for i in sorted(results)},
        "mean_confidence": round(mean, 2) if mean is not None else None,
        "words": sum(r.words for r in results.values()),
    }


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


def extract_pdf(data: bytes, filename: str, config: ExtractConfig | None = None) -> ExtractedDocument:
    """Extract cleaned text, page map and metadata from a PDF (OCR for scanned pages)."""
    config = config or ExtractConfig()
    ocr_results: dict[int, Any] = {}
    with _PDFIUM_LOCK:
        pdf = _open(data)
    try:
        with _PDFIUM_LOCK:
            if len(pdf) > config.max_pages:
                raise ExtractionError("too_large", f"{len(pdf)} pages exceeds the {config.max_pages} page limit")
            try:
                page_texts, scans = _read_pages(pdf)
            except pypdfium2.PdfiumError as exc:
                raise ExtractionError("corrupt", f"PDFium cannot read a page: {exc}") from exc
            metadata = _metadata(pdf)
        if scans and not config.ocr:
            raise ExtractionError("no_text", f"page(s) {_pages(scans)} are images and OCR is turned off")
        if scans:
            ocr_results = _ocr_pages(pdf, scans, config)
    finally:
        with _PDFIUM_LOCK:
            pdf.close()
    if not page_texts:
        raise ExtractionError("corrupt", "the PDF has no pages")
    for index, result in ocr_results.items():
        if len(result.text.strip()) > len(page_texts[index].strip()):  # else keep the few real characters
            page_texts[index] = result.text
    page_texts, removed = remove_running_lines(page_texts)
    page_texts = join_hyphenation(page_texts)
    text, pages = join_pages(page_texts)
    if not text:
        detail = f"; OCR found no text on {len(scans)} image page(s)" if scans else "; the PDF may be scanned"
        raise ExtractionError("no_text", f"no text layer in {len(pages)} page(s){detail}")
    metadata["running_lines_removed"] = removed
    if ocr_results:
        metadata["ocr"] = _ocr_metadata(ocr_results, config.ocr_languages)
    return build_document(text, MEDIA_TYPE, metadata, pages)


def _pages(indices: list[int]) -> str:
    return ", ".join(str(i + 1) for i in indices[:10]) + (" ..." if len(indices) > 10 else "")
