"""DOCX extraction with python-docx, rendered as light Markdown.

Headings, lists and tables are kept as Markdown because later stages (chunking,
summary and QA generation) use document structure; body XML children are walked in
order so tables stay where they were between paragraphs. Footnotes and endnotes follow
the body as Markdown footnotes ("[^1]: ..."), referenced where they were cited. Page
headers and footers repeat on every printed page and are not part of the running text:
they go to the metadata.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import docx
import lxml.etree
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from dataforge.lib.clean import clean_document, clean_text
from dataforge.lib.extract._base import (
    ExtractedDocument,
    ExtractionError,
    build_document,
)
from dataforge.lib.extract.guards import check_docx_package

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


_T, _TAB, _BR, _CR, _NBH = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
_FOOTNOTE_REF, _ENDNOTE_REF = qn("w:footnoteReference"), qn("w:endnoteReference")
# Not running text: deleted revisions, field codes, text boxes (drawn elsewhere on the
# page) and the fallback copy of alternate content, which would duplicate the choice.
_SKIP = frozenset(
    (qn("w:del"), qn("w:instrText"), qn("w:txbxContent"), qn("w:pPr"), qn("w:rPr"))
    + ("{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",)
)


def _element_text(element: Any) -> str:
    """Text of a paragraph element in order, with tabs, breaks and note references."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node.iterchildren():
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == _T:
                parts.append(child.text or "")
            elif tag == _TAB:
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _NBH:
                parts.append("-")
            elif tag == _FOOTNOTE_REF:
                parts.append(f"[^{child.get(qn('w:id'))}]")
            elif tag == _ENDNOTE_REF:
                parts.append(f"[^e{child.get(qn('w:id'))}]")
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def _paragraph_md(paragraph: Paragraph, numbering: dict[str, dict[int, str]], counters: dict) -> str:
    """One paragraph as Markdown: '#' heading, '- ' or '1. ' list item, or plain text."""
    text = clean_text(_element_text(paragraph._p))
    if not text:
        return ""
    level = _heading_level(paragraph)
    if level is not None:
        return "#" * level + " " + " ".join(text.split())
    depth = _list_level(paragraph)
    if depth is not None:
        return "  " * min(depth, 8) + _list_marker(paragraph, depth, numbering, counters) + text.replace("\n", " ")
    return text


_ORDERED_FORMATS = frozenset(("decimal", "decimalZero", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman"))


def _numbering_formats(document: Any) -> dict[str, dict[int, str]]:
    """numId -> {level: numFmt} from the numbering part ('bullet', 'decimal', ...)."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, AttributeError, NotImplementedError):
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for node in root.iterchildren(qn("w:abstractNum")):
        levels = {}
        for lvl in node.iterchildren(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            levels[int(lvl.get(qn("w:ilvl"), "0"))] = fmt.get(qn("w:val")) if fmt is not None else "bullet"
        abstract[node.get(qn("w:abstractNumId"))] = levels
    formats = {}
    for num in root.iterchildren(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is not None:
            formats[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})
    return formats


def _list_marker(paragraph: Paragraph, depth: int, numbering: dict[str, dict[int, str]], counters: dict) -> str:
    """'1. ' for numbered lists (counting per list and level), '- ' for bullets."""
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    num_id = num_pr.numId.val if num_pr is not None and num_pr.numId is not None else None
    if num_id is not None:
        fmt = numbering.get(str(num_id), {}).get(depth)
        list_id = str(num_id)
    else:  # numbered through the style ("List Number 2") rather than the paragraph
        style = paragraph.style.name if paragraph.style is not None else ""
        fmt = "decimal" if "number" in (style or "").lower() else "bullet"
        list_id = f"style:{(style or '').lower().rstrip(' 0123456789')}"
    if fmt not in _ORDERED_FORMATS:
        return "- "
    key = (list_id, depth)
    counters[key] = counters.get(key, 0) + 1
    for deeper in [k for k in counters if k[0] == list_id and k[1] > depth]:
        del counters[deeper]  # a new parent item restarts its sub-list
    return f"{counters[key]}. "


def _cell_text(cell: Any) -> str:
    """Cell paragraphs (note references included) joined by spaces."""
    return " ".join(_element_text(p) for p in cell._tc.iterchildren(qn("w:p")))


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
            cells.append("" if cell._tc is previous else _cell_md(_cell_text(cell)))
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


def _blocks(container: Any, parent: Any, numbering: dict[str, dict[int, str]], counters: dict) -> Iterator[str]:
    """Markdown blocks of the body in document order, entering content controls."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield _paragraph_md(Paragraph(child, parent), numbering, counters)
        elif child.tag == qn("w:tbl"):
            yield _table_md(Table(child, parent))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, parent, numbering, counters)


def _join_blocks(blocks: list[str]) -> str:
    """Blank line between blocks, but consecutive list items form one tight list."""
    parts: list[str] = []
    previous_is_item = False
    for block in blocks:
        is_item = _ITEM_RE.match(block) is not None
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
    check_docx_package(data)  # zip bomb, billion laughs, external entities (guards)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, KeyError, XMLSyntaxError, ValueError...
        raise ExtractionError("corrupt", f"not a readable DOCX package: {exc}") from exc


_NOTE_PARTS = (("footnotes", "w:footnote", ""), ("endnotes", "w:endnote", "e"))
_SEPARATOR_TYPES = frozenset(("separator", "continuationSeparator", "continuationNotice"))


def _notes(document: Any) -> list[str]:
    """Footnotes then endnotes as Markdown footnote definitions ('[^1]: text')."""
    notes: list[str] = []
    for rel in document.part.rels.values():
        for suffix, tag, prefix in _NOTE_PARTS:
            if rel.is_external or not rel.reltype.endswith("/" + suffix):
                continue
            root = lxml.etree.fromstring(rel.target_part.blob)
            for note in root.iterchildren(qn(tag)):
                if note.get(qn("w:type")) in _SEPARATOR_TYPES:
                    continue
                text = " ".join(clean_text(_element_text(p)) for p in note.iter(qn("w:p")))
                if text.strip():
                    notes.append(f"[^{prefix}{note.get(qn('w:id'))}]: {' '.join(text.split())}")
    return notes


_ITEM_RE = re.compile(r"^ *(?:- |\d+\. )")
_TABLE_RULE_RE = re.compile(r"^\|(?: --- \|)+$")
_HEADER_KINDS = ("header", "first_page_header", "even_page_header")
_FOOTER_KINDS = ("footer", "first_page_footer", "even_page_footer")


def _running_text(document: Any, kinds: tuple[str, ...]) -> list[str]:
    """Distinct non-empty paragraphs and table rows of page headers (or footers)."""
    seen: list[str] = []
    for section in document.sections:
        for kind in kinds:
            part = getattr(section, kind)
            if part.is_linked_to_previous:
                continue
            numbering: dict[str, dict[int, str]] = {}
            for block in _blocks(part._element, part, numbering, {}):
                for line in block.split("\n"):
                    line = line.strip()
                    if line and line not in seen and not _TABLE_RULE_RE.match(line):
                        seen.append(line)
    return seen


def extract_docx(data: bytes, filename: str) -> ExtractedDocument:
    """Extract Markdown-flavoured text and core properties from a DOCX file."""
    document = _open(data)
    try:
        numbering = _numbering_formats(document)
        blocks = [b for b in _blocks(document.element.body, document._body, numbering, {}) if b]
        notes = _notes(document)
        metadata = _metadata(document)
        metadata["headers"] = _running_text(document, _HEADER_KINDS)
        metadata["footers"] = _running_text(document, _FOOTER_KINDS)
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("corrupt", f"malformed DOCX content: {exc}") from exc
    if notes:
        blocks.append("\n".join(notes))
    metadata["notes"] = len(notes)
    text = clean_document(_join_blocks(blocks))
    return build_document(text, MEDIA_TYPE, metadata)
