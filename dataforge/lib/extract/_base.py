"""Result and error types shared by the extractors.

They live here rather than in ``__init__`` so format modules can import them without a
circular import; ``dataforge.lib.extract`` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dataforge.lib.clean import clean_document

__all__ = [
    "REASONS",
    "ExtractedDocument",
    "ExtractionError",
    "build_document",
    "join_pages",
]

# Stable machine codes: quarantine records and dashboards group failures by them.
REASONS = frozenset(
    {
        "empty",
        "unsupported_type",
        "corrupt",
        "encrypted",
        "no_text",
        "too_large",
        "ocr_unavailable",  # a page needs OCR and Tesseract (or its language data) is missing
        "ocr_failed",  # Tesseract crashed or timed out on a page
        "checksum_mismatch",  # stored bytes differ from the recorded sha256 (raw_document)
        "timeout",  # the parser ran past ExtractConfig.timeout_s and was killed (lib.sandbox)
        "resource_limit",  # the parser hit the memory or CPU cap (lib.sandbox)
        "parser_crashed",  # the parser process died (SIGSEGV, abort) without a result
        "expansion_limit",  # a DOCX zip expands past the size or ratio limit (zip bomb; extract.guards)
        "xml_entities",  # DOCTYPE/ENTITY declarations in a DOCX part (billion laughs, XXE; extract.guards)
        "too_deep",  # HTML nested deeper than the parser keeps; content would be lost (extract.guards)
    }
)


class ExtractionError(Exception):
    """A document that cannot be turned into text, with a stable ``reason`` code.

    reason: one of REASONS; message: human text for logs and quarantine records (for
    'ocr_unavailable' it names the package to install).
    """

    reason: str
    message: str

    def __init__(self, reason: str, message: str):
        if reason not in REASONS:
            raise ValueError(f"unknown extraction failure reason {reason!r}")
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with both arguments, so the error survives process boundaries."""
        return (type(self), (self.reason, self.message))


@dataclass
class ExtractedDocument:
    """Cleaned text of one document, its page map, JSON-serialisable metadata and block roles.

    ``blocks``: ``{start, end, role}`` spans of the text that are markup or front matter
    (headings, table headers, labels, title, dateline...; see lib.structure).
    """

    text: str
    media_type: str
    pages: list[tuple[int, int, int]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    blocks: list[dict[str, Any]] = field(default_factory=list)


def join_pages(page_texts: list[str]) -> tuple[str, list[tuple[int, int, int]]]:
    """Clean each page, join non-empty ones with a blank line, and map page offsets.

    Cleaning per page (not after joining) keeps every ``text[start:end]`` exactly
    equal to its cleaned page (clean_document: mojibake, boilerplate lines,
    clean_text). Empty pages get a zero-length range so page numbers stay
    aligned with the source without introducing extra blank lines.
    """
    parts: list[str] = []
    pages: list[tuple[int, int, int]] = []
    pos = 0
    for number, raw in enumerate(page_texts, start=1):
        page = clean_document(raw)
        if page:
            if parts:
                parts.append("\n\n")
                pos += 2
            parts.append(page)
        pages.append((number, pos, pos + len(page)))
        pos += len(page)
    return "".join(parts), pages


def build_document(
    text: str,
    media_type: str,
    metadata: dict[str, Any],
    pages: list[tuple[int, int, int]] | None = None,
) -> ExtractedDocument:
    """Finish a document: reject empty text, add the common metadata keys.

    ``text`` must already be clean; for non-paged formats one page covers all of it.
    """
    if not text.strip():
        raise ExtractionError("no_text", "the document contains no extractable text")
    if pages is None:
        pages = [(1, 0, len(text))]
    from dataforge.lib.extract.describe import split_authors

    meta: dict[str, Any] = {"title": None, "author": None, "date": None}
    meta.update(metadata)
    if "authors" not in meta:
        meta["authors"] = split_authors(meta["author"])
    meta["dates"] = {k: meta[k] for k in ("date", "created", "modified") if meta.get(k)}
    meta["page_count"] = len(pages)
    meta["word_count"] = len(text.split())
    from dataforge.lib.structure import detect_blocks, front_matter

    # Headline, subhead, byline and dateline found in the text are kept apart as metadata.
    blocks = detect_blocks(text, meta["title"])
    found = front_matter(text, blocks)
    meta["detected_title"] = found["title"]
    for key in ("subtitle", "dateline", "byline"):
        meta.setdefault(key, found[key])
    return ExtractedDocument(text=text, media_type=media_type, pages=pages, metadata=meta, blocks=blocks)
