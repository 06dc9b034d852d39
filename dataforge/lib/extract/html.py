"""HTML extraction: main content with trafilatura, lxml as the fallback.

trafilatura drops navigation, footers and other boilerplate that would otherwise be
repeated across every page of a site and skew the dataset. When it finds no main
content (very short pages) the visible body text is used instead, so nothing that a
reader would see is lost.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.utils import load_html

from dataforge.lib.clean import clean_document
from dataforge.lib.extract._base import (
    ExtractedDocument,
    ExtractionError,
    build_document,
)
from dataforge.lib.extract._decode import decode_text
from dataforge.lib.extract.guards import check_html_depth

__all__ = ["MEDIA_TYPE", "extract_html"]

MEDIA_TYPE = "text/html"

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe")
_BLOCK_TAGS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    )
)
# trafilatura's output vocabulary (XML-TEI-like element names).
_BLOCK_XML_TAGS = frozenset(("p", "head", "list", "table", "quote", "code", "div", "section"))
_SKIP_TAGS = frozenset(("graphic", "fw", "note"))
_METADATA_KEYS = (
    "title",
    "author",
    "date",
    "description",
    "sitename",
    "url",
    "hostname",
    "categories",
    "tags",
    "license",
)


def _declared_charset(data: bytes) -> str | None:
    """Charset from <meta charset> / http-equiv in the first 4 KiB, as browsers do."""
    m = _META_CHARSET_RE.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def _parse(html: str) -> lxml.html.HtmlElement:
    """Parse once for trafilatura and the fallback.

    lxml refuses XML declarations on str input, so they are removed first; its
    recovering parser only fails on documents without elements (e.g. a lone comment).
    """
    html = _XML_DECL_RE.sub("", html, count=1)
    try:
        return lxml.html.document_fromstring(html)
    except lxml.etree.ParserError as exc:
        if "empty" in str(exc).lower():
            raise ExtractionError("no_text", "the HTML document has no content") from exc
        raise ExtractionError("corrupt", f"unparsable HTML: {exc}") from exc
    except ValueError as exc:
        raise ExtractionError("corrupt", f"unparsable HTML: {exc}") from exc


def _fallback_text(tree: lxml.html.HtmlElement) -> str:
    """Visible text of <body>, a paragraph per block element, no scripts/styles."""
    tree = copy.deepcopy(tree)
    for element in list(tree.iter(*_INVISIBLE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    lxml.etree.strip_elements(tree, lxml.etree.Comment, lxml.etree.ProcessingInstruction, with_tail=False)
    body = tree.find("body")
    root = body if body is not None else tree
    parts: list[str] = []

    def walk(el: Any) -> None:
        block = isinstance(el.tag, str) and el.tag in _BLOCK_TAGS
        if block:
            parts.append("\n\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n\n")

    walk(root)
    text = "".join(parts)
    # Inside a paragraph, source line breaks are just HTML whitespace.
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _inline(element: Any) -> str:
    """Text of an element and its descendants; <lb> is a line break, markup is dropped."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in _SKIP_TAGS:
            pass
        elif child.tag in _BLOCK_XML_TAGS:
            parts.append("\n" + _inline(child) + "\n")
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _list_lines(element: Any, depth: int) -> list[str]:
    """Markdown list items ('- ' or '1. '), nested lists indented by two spaces."""
    lines: list[str] = []
    ordered = (element.get("rend") or "").lower() == "ol"
    number = 0
    for item in element:
        if item.tag != "item":
            continue
        number += 1
        parts = [item.text or ""]
        nested = []
        for child in item:
            if child.tag == "list":
                nested.append(child)
            elif child.tag == "lb":
                parts.append(" ")
            elif child.tag not in _SKIP_TAGS:
                parts.append(" " + _inline(child) + " " if child.tag in _BLOCK_XML_TAGS else _inline(child))
            parts.append(child.tail or "")
        own = _one_line("".join(parts))
        if own:
            lines.append("  " * depth + (f"{number}. " if ordered else "- ") + own)
        for child in nested:
            lines.extend(_list_lines(child, depth + 1))
    return lines


def _table_lines(element: Any) -> list[str]:
    """One Markdown row per <row>; the first row doubles as the header."""
    rows: list[list[str]] = []
    for row in element.iter("row"):
        cells = [_one_line(_inline(cell)).replace("|", "\\|") for cell in row if cell.tag == "cell"]
        if any(cells):
            rows.append(cells)
    if not rows:
        return []
    width = max(len(r) for r in rows)
    if width == 1:  # a one-column "table" is page layout: its cells are paragraphs
        return [cells[0] for cells in rows]
    lines = []
    for i, cells in enumerate(rows):
        lines.append("| " + " | ".join(cells + [""] * (width - len(cells))) + " |")
        if i == 0:
            lines.append("|" + " --- |" * width)
    return lines


def _blocks(element: Any) -> list[str]:
    """Render trafilatura's XML body as Markdown blocks: headings, paragraphs, lists, tables.

    Inline formatting (bold, italics, links) is dropped on purpose: markers inside words
    break search, dedup and exact-span QA over the text.
    """
    blocks: list[str] = []
    if element.text and element.text.strip():
        blocks.append(_strip_lines(element.text))
    for child in element:
        tag = child.tag
        if tag == "head":
            rend = child.get("rend") or ""
            level = int(rend[-1]) if rend[-1:].isdigit() else 2
            title = _one_line(_inline(child))
            if title:
                blocks.append("#" * min(max(level, 1), 6) + " " + title)
        elif tag == "list":
            lines = _list_lines(child, 0)
            if lines:
                blocks.append("\n".join(lines))
        elif tag == "table":
            lines = _table_lines(child)
            if lines:
                blocks.append("\n".join(lines))
        elif tag == "code":
            code = "".join(child.itertext()).strip("\n")
            if code.strip():
                blocks.append("```\n" + code + "\n```")
        elif tag in _SKIP_TAGS:
            pass
        elif tag in ("quote", "div", "section", "body") and any(c.tag in _BLOCK_XML_TAGS for c in child):
            blocks.extend(_blocks(child))
        else:
            text = _strip_lines(_inline(child))
            if text:
                blocks.append(text)
        if child.tail and child.tail.strip():
            blocks.append(_strip_lines(child.tail))
    return blocks


def _strip_lines(text: str) -> str:
    """Source indentation inside a paragraph is HTML whitespace, not Markdown structure."""
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def render_body(body: Any) -> str:
    """Markdown-flavoured text of a trafilatura body tree."""
    return "\n\n".join(b.strip("\n") for b in _blocks(body) if b.strip())


def _metadata(document: Any, tree: lxml.html.HtmlElement) -> dict[str, Any]:
    """Title, author, date etc. from trafilatura's metadata pass; <title> as the fallback."""
    meta: dict[str, Any] = {}
    values = document.as_dict() if document is not None else {}
    for key in _METADATA_KEYS:
        value = values.get(key)
        if isinstance(value, str):
            value = value.strip() or None
        elif isinstance(value, list):
            value = [str(v) for v in value] or None
        else:
            value = None
        meta[key] = value
    if not meta.get("title"):
        title = tree.findtext(".//title")
        meta["title"] = " ".join(title.split()) if title and title.strip() else None
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    meta["declared_language"] = lang.strip() if lang and lang.strip() else None
    return meta


def _trafilatura(tree: lxml.html.HtmlElement) -> Any:
    """Main content and metadata in one pass; None when trafilatura finds nothing."""
    try:
        return trafilatura.bare_extraction(
            tree,  # trafilatura copies a tree it is given before pruning it
            with_metadata=True,
            include_comments=False,  # reader comments are not the document
            include_tables=True,
            include_formatting=False,
            output_format="python",
        )
    # Best effort: a date parser or XPath hiccup falls back to the visible text.
    except (ValueError, TypeError, AttributeError, lxml.etree.LxmlError):
        return None


def extract_html(data: bytes, filename: str) -> ExtractedDocument:
    """Extract the main text (Markdown-ish: headings, lists, tables) and metadata of a page."""
    html, encoding = decode_text(data, declared=_declared_charset(data), stray_nul_ok=True)
    if not html.strip():
        raise ExtractionError("no_text", "the HTML document is blank")
    # trafilatura's own parser settings (comments removed, faulty markup repaired) give it
    # the tree it was tuned on; fragments it rejects go to the plain lxml parse.
    tree = load_html(_XML_DECL_RE.sub("", html, count=1))
    check_html_depth(tree)  # libxml2 drops content below 256 levels: quarantine 'too_deep' (guards)
    document = _trafilatura(tree) if tree is not None else None
    if tree is None:
        tree = _parse(html)
    text = render_body(document.body) if document is not None and document.body is not None else ""
    extractor = "trafilatura"
    if not text.strip():
        text = _fallback_text(tree)
        extractor = "lxml"
    metadata = _metadata(document, tree)
    metadata.update({"encoding": encoding, "extractor": extractor})
    return build_document(clean_document(text), MEDIA_TYPE, metadata)
