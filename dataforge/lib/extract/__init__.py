"""Turn document bytes (PDF, DOCX, HTML, TXT, Markdown) into cleaned text and metadata.

Every failure is an ExtractionError with a stable ``reason`` so the pipeline can
quarantine the input instead of dropping it silently. Format modules are imported
lazily: the CLI and sensors detect types without paying for trafilatura or PDFium.
"""

from __future__ import annotations

import importlib
import io
import os
import zipfile
from pathlib import PurePath

from dataforge.lib.config import ExtractConfig
from dataforge.lib.extract._base import REASONS, ExtractedDocument, ExtractionError
from dataforge.lib.extract._decode import bom_encoding, looks_binary

__all__ = [
    "MAX_BYTES",
    "REASONS",
    "ExtractedDocument",
    "ExtractionError",
    "detect_media_type",
    "extract_bytes",
    "extract_file",
]

# Larger inputs are refused ('too_large') rather than risking a worker's memory.
MAX_BYTES = 256 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
PLAIN = "text/plain"
MARKDOWN = "text/markdown"

_EXTENSIONS = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".html": HTML,
    ".htm": HTML,
    ".txt": PLAIN,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
}

# media type -> (module, function); resolved on first use.
_EXTRACTORS = {
    PDF: ("dataforge.lib.extract.pdf", "extract_pdf"),
    DOCX: ("dataforge.lib.extract.docx", "extract_docx"),
    HTML: ("dataforge.lib.extract.html", "extract_html"),
    PLAIN: ("dataforge.lib.extract.text", "extract_text"),
    MARKDOWN: ("dataforge.lib.extract.text", "extract_markdown"),
}

_HTML_STARTS = ("<!doctype html", "<html")


def _is_docx_zip(data: bytes) -> bool:
    """A zip holding word/document.xml is a Word package whatever its name."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _looks_like_html(data: bytes) -> bool:
    """Sniff an HTML start (after BOM, whitespace, comments or an XML declaration)."""
    head = data[:1024]
    bom = bom_encoding(head)
    codec, skip = bom if bom else ("latin-1", 0)
    try:
        text = head[skip:].decode(codec, errors="ignore").lstrip().lower()
    except LookupError:
        return False
    if text.startswith(_HTML_STARTS):
        return True
    return text.startswith(("<?xml", "<!--")) and any(s in text for s in _HTML_STARTS)


def detect_media_type(data: bytes, filename: str) -> str | None:
    """Media type from magic bytes first, then the file extension; None = unsupported.

    Content wins over the name because uploads are often misnamed; the extension
    still decides for formats without a signature (TXT, Markdown, BOM-less HTML).
    """
    head = data[:1024]
    suffix = PurePath(filename or "").suffix.lower()
    # Readers accept a PDF header anywhere in the first KiB; a text file that merely
    # mentions "%PDF-" must not become a PDF, so elsewhere only with a .pdf name.
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in head):
        return PDF
    if data.startswith(b"PK\x03\x04") and _is_docx_zip(data):
        return DOCX
    if _looks_like_html(data):
        return HTML
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if bom_encoding(head) is not None:
        return PLAIN
    if not suffix and _looks_like_utf8_text(data):
        return PLAIN  # README, LICENSE, NOTES: extensionless text files are common
    return None


def _looks_like_utf8_text(data: bytes) -> bool:
    """Strict UTF-8 without control characters in the first 64 KiB."""
    sample = data[:65536]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Only a multi-byte sequence cut by the end of a truncated sample is forgiven.
        if len(data) <= len(sample) or exc.reason != "unexpected end of data":
            return False
        text = sample[: exc.start].decode("utf-8")
    return bool(text.strip()) and not looks_binary(text)


def extract_bytes(
    data: bytes,
    filename: str,
    config: ExtractConfig | None = None,
    describe: bool = True,
) -> ExtractedDocument:
    """Detect the type of ``data`` and extract it; failures are ExtractionError.

    ``config`` sets size limits and OCR; ``describe`` adds language (document and per
    block), readability and sentiment to the metadata (describe.describe_text).
    """
    config = config or ExtractConfig()
    limit = min(MAX_BYTES, config.max_bytes)
    if not data:
        raise ExtractionError("empty", f"{filename or 'input'} is empty (0 bytes)")
    if len(data) > limit:
        raise ExtractionError("too_large", f"{len(data)} bytes exceeds the {limit} limit")
    media_type = detect_media_type(data, filename)
    if media_type is None:
        raise ExtractionError(
            "unsupported_type",
            f"cannot recognise {filename or 'input'!r}: expected PDF, DOCX, HTML, TXT or Markdown",
        )
    module_name, function_name = _EXTRACTORS[media_type]
    extractor = getattr(importlib.import_module(module_name), function_name)
    try:
        document = extractor(data, filename, config=config) if media_type == PDF else extractor(data, filename)
    except (ExtractionError, MemoryError):
        raise
    except (ImportError, SyntaxError):
        raise  # our code or install is broken, not the document: every document would fail the same way
    except Exception as exc:  # a parser bug or exotic input: quarantine, don't crash
        raise ExtractionError("corrupt", f"{media_type} parser failed: {type(exc).__name__}: {exc}") from exc
    if describe:
        from dataforge.lib.extract.describe import describe_text

        document.metadata.update(describe_text(document.text))
    return document


def extract_file(
    path: str | os.PathLike[str],
    config: ExtractConfig | None = None,
    describe: bool = True,
) -> ExtractedDocument:
    """Read and extract a file; OSError (missing, unreadable) propagates unchanged."""
    path = os.fspath(path)
    size = os.path.getsize(path)
    limit = min(MAX_BYTES, (config or ExtractConfig()).max_bytes)
    if size > limit:
        raise ExtractionError("too_large", f"{size} bytes exceeds the {limit} limit")
    with open(path, "rb") as handle:
        data = handle.read()
    return extract_bytes(data, os.path.basename(path), config, describe)
