"""Plain text and Markdown extraction.

Markdown is kept as Markdown: its headings, lists and tables are structure the chunker
and generators use, so only normalisation (clean_document) is applied. Encodings: BOM,
UTF-16 without BOM, UTF-8, then charset-normalizer (see _decode).
"""

from __future__ import annotations

import re

from dataforge.lib.clean import clean_document
from dataforge.lib.extract._base import ExtractedDocument, build_document
from dataforge.lib.extract._decode import decode_text

__all__ = ["MARKDOWN", "PLAIN", "extract_markdown", "extract_text", "markdown_title"]

PLAIN = "text/plain"
MARKDOWN = "text/markdown"

_ATX_H1_RE = re.compile(r"^ {0,3}# +(.+?)(?: +#+)? *$", re.MULTILINE)
_SETEXT_H1_RE = re.compile(r"^ {0,3}(\S[^\n]*)\n {0,3}=+ *$", re.MULTILINE)
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.MULTILINE | re.DOTALL)


def markdown_title(text: str) -> str | None:
    """First level-1 heading ('# Title' or setext 'Title\n==='), ignoring code."""
    visible = _FENCE_RE.sub("", text)
    found = [m for m in (_ATX_H1_RE.search(visible), _SETEXT_H1_RE.search(visible)) if m]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return first.group(1).strip() or None


def extract_text(data: bytes, filename: str, media_type: str = PLAIN) -> ExtractedDocument:
    """Decode, clean (mojibake, boilerplate lines, whitespace) and title a TXT or Markdown file."""
    raw, encoding = decode_text(data)
    text = clean_document(raw)
    title = markdown_title(text) if media_type == MARKDOWN else None
    return build_document(text, media_type, {"title": title, "encoding": encoding})


def extract_markdown(data: bytes, filename: str) -> ExtractedDocument:
    """Markdown entry point for the dispatcher."""
    return extract_text(data, filename, MARKDOWN)
