"""DOCX extraction with python-docx, rendered as light Markdown.

Headings, lists and tables are kept as Markdown because later stages (chunking,
summary and QA generation) use document structure; body XML children are walked in
order so tables stay where they were between paragraphs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from dataforge.lib.clean import clean_text
from dataforge.lib.extract._base import (
    ExtractedDocument,
    ExtractionError,
    build_document,
)

__all__ = ["MEDIA_TYPE", "extract_docx"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Password-protected OOXML is an OLE container holding a stream with this name.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_HEADING_RE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_LIST_LEVEL_RE = re.compile(r"^list(?: (?:bullet|number|continue))?(?: (\d))?$", re.IGNORECASE)


def _styles(paragraph: Paragraph) -> Iterator[Any]:
    """The paragraph style and its bases: custom headings derive from 'Heading N'."""
    style = paragraph.style
    for _ in range(5):
        if style is None:
            return
        yield style
        style = style.base_style


def _heading_level(paragraph: Paragraph) -> int | None:
    """Markdown heading level for 'Title' and 'Heading N' styles, else None."""
    for style in _styles(paragraph):
        name = (style.name or "").strip()
        if name.lower() == "title":
            return 1
        m = _HEADING_RE.match(name) or _HEADING_RE.match(style.style_id or "")
        if m:
            return min(max(int(m.group(1)), 1), 6)
    return None


def _list_level(paragraph: Paragraph) -> int | None:
    """Nesting level (0-based) of a list paragraph, None for ordinary paragraphs."""
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if num_pr is not None:
        ilvl = num_pr.ilvl
        return int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0
    for style in _styles(paragraph):
        name = (style.name or "").strip()
        if name.lower() == "list paragraph":
            return 0
        m = _LIST_LEVEL_RE.match(name)
        if m:
            return int(m.group(1)) - 1 if m.group(1) else 0
    return None


def _paragraph_md(paragraph: Paragraph) -> str:
    """One paragraph as Markdown: '#' heading, '- ' list item or plain text."""
    text = clean_text(paragraph.text)
    if not text:
        return ""
    level = _heading_level(paragraph)
    if level is not None:
        return "#" * level + " " + " ".join(text.split())
    depth = _list_level(paragraph)
    if depth is not None:
        return "  " * min(depth, 8) + "- " + text.replace("\n", " ")
    return text


def _cell_md(text: str) -> str:
    """Cell text on one line with pipes escaped, so the Markdown table stays intact."""
    return " ".join(clean_text(text).split()).replace("|", "\\|")


def _table_md(table: Table) -> str:
    """A table as a Markdown table; the first row is used as the header."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # Merged cells come back once per grid column; print their text once.
            cells.append("" if cell._tc is previous else _cell_md(cell.text))
            previous = cell._tc
        rows.append(cells)
    rows = [r for r in rows if any(r)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = []
    for i, r in enumerate(rows):
        lines.append("| " + " | ".join(r + [""] * (width - len(r))) + " |")
        if i == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines)


def _blocks(container: Any, parent: Any) -> Iterator[str]:
    """Markdown blocks of the body in document order, entering content controls."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield _paragraph_md(Paragraph(child, parent))
        elif child.tag == qn("w:tbl"):
            yield _table_md(Table(child, parent))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, parent)


def _join_blocks(blocks: list[str]) -> str:
    """Blank line between blocks, but consecutive list items form one tight list."""
    parts: list[str] = []
    previous_is_item = False
    for block in blocks:
        is_item = block.lstrip(" ").startswith("- ")
        if parts:
            parts.append("\n" if is_item and previous_is_item else "\n\n")
        parts.append(block)
        previous_is_item = is_item
    return "".join(parts)


def _iso(value: datetime | None) -> str | None:
    """ISO string for JSON metadata."""
    return value.isoformat() if isinstance(value, datetime) else None


def _metadata(document: Any) -> dict[str, Any]:
    """Core properties (docProps/core.xml)."""
    props = document.core_properties
    created = _iso(props.created)
    modified = _iso(props.modified)
    return {
        "title": (props.title or "").strip() or None,
        "author": (props.author or "").strip() or None,
        "date": created or modified,
        "created": created,
        "modified": modified,
        "subject": props.subject or None,
        "keywords": props.keywords or None,
        "last_modified_by": props.last_modified_by or None,
    }


def _open(data: bytes) -> Any:
    """Load the package, mapping every parse failure to a stable reason."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise ExtractionError("encrypted", "the Word document is password-protected")
        raise ExtractionError("unsupported_type", "legacy binary Word (.doc) file, not a .docx package")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, KeyError, XMLSyntaxError, ValueError...
        raise ExtractionError("corrupt", f"not a readable DOCX package: {exc}") from exc


def extract_docx(data: bytes, filename: str) -> ExtractedDocument:
    """Extract Markdown-flavoured text and core properties from a DOCX file."""
    document = _open(data)
    try:
        blocks = [b for b in _blocks(document.element.body, document._body) if b]
        metadata = _metadata(document)
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("corrupt", f"malformed DOCX content: {exc}") from exc
    text = clean_text(_join_blocks(blocks))
    return build_document(text, MEDIA_TYPE, metadata)
