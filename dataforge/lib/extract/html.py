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

from dataforge.lib.clean import clean_text
from dataforge.lib.extract._base import (
    ExtractedDocument,
    ExtractionError,
    build_document,
)
from dataforge.lib.extract._decode import decode_text

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


def _metadata(tree: lxml.html.HtmlElement) -> dict[str, Any]:
    """Title, author, date etc. from trafilatura's metadata extraction."""
    meta: dict[str, Any] = {}
    try:
        doc = trafilatura.extract_metadata(copy.deepcopy(tree))
    # Metadata is best effort: a date parser hiccup must not lose the text.
    except (ValueError, TypeError, AttributeError, lxml.etree.LxmlError):
        doc = None
    if doc is not None:
        values = doc.as_dict()
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
    meta["language"] = lang.strip() if lang and lang.strip() else None
    return meta


def extract_html(data: bytes, filename: str) -> ExtractedDocument:
    """Extract the main text (Markdown-ish: headings, tables) and metadata of a page."""
    html, encoding = decode_text(data, declared=_declared_charset(data))
    if not html.strip():
        raise ExtractionError("no_text", "the HTML document is blank")
    tree = _parse(html)
    text = trafilatura.extract(
        copy.deepcopy(tree),  # trafilatura prunes the tree it is given
        include_tables=True,
        favor_precision=False,
        output_format="markdown",
        with_metadata=False,
    )
    extractor = "trafilatura"
    if not text or not text.strip():
        text = _fallback_text(tree)
        extractor = "lxml"
    metadata = _metadata(tree)
    metadata.update({"encoding": encoding, "extractor": extractor})
    return build_document(clean_text(text), MEDIA_TYPE, metadata)
