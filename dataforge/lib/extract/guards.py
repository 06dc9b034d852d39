"""Checks that run before a parser sees a hostile file: zip bombs, XML entities, deep HTML.

python-docx inflates every part of a package into memory and lxml expands internal entities
by default, so a 40 KB DOCX can ask for gigabytes (zip bomb, "billion laughs") or read local
files through an external entity (XXE). The package is therefore inflated here first, as a
stream with a running count that stops at the limit, so neither the declared sizes (which
can lie) nor the parser decide how much memory is used. libxml2 keeps at most 256 levels of
HTML nesting and silently drops what is deeper; such a page is quarantined rather than
extracted with its content missing.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import lxml.etree

from dataforge.lib.extract._base import ExtractionError

__all__ = [
    "MAX_EXPANDED_BYTES",
    "MAX_HTML_DEPTH",
    "MAX_RATIO",
    "SAFE_XML_PARSER",
    "check_docx_package",
    "check_html_depth",
]

MAX_EXPANDED_BYTES = 512 * 1024 * 1024  # all parts together, inflated
MAX_RATIO = 200  # inflated / compressed, whole package (real DOCX: 3-20)
_RATIO_FLOOR = 4 * 1024 * 1024  # small packages may compress better than MAX_RATIO harmlessly
MAX_PARTS = 10_000
MAX_HTML_DEPTH = 250  # libxml2 stops at 256 and drops deeper content
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 << 16

# For any XML we parse ourselves: no entity expansion, no network, no huge trees.
SAFE_XML_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _limit(compressed: int) -> int:
    return min(MAX_EXPANDED_BYTES, max(_RATIO_FLOOR, compressed * MAX_RATIO))


def check_docx_package(data: bytes) -> None:
    """Raise 'expansion_limit' or 'xml_entities' before python-docx opens the package.

    Declared sizes are checked first (cheap), then every part is actually inflated as a
    stream, counting bytes, since a crafted header can understate them; XML parts are
    scanned for DOCTYPE/ENTITY declarations, which Office never writes.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip: the parser reports 'corrupt' with its own message
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise ExtractionError("expansion_limit", f"{len(infos)} parts in the package (limit {MAX_PARTS})")
        limit = _limit(len(data))
        declared = sum(info.file_size for info in infos)
        if declared > limit:
            raise ExtractionError(
                "expansion_limit",
                f"parts declare {declared} bytes inflated from {len(data)} "
                f"(limit {limit}: ratio {MAX_RATIO} or {MAX_EXPANDED_BYTES} bytes)",
            )
        total = 0
        for info in infos:
            is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
            tail = b""
            try:
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise ExtractionError(
                                "expansion_limit",
                                f"parts inflate past {limit} bytes from {len(data)} (declared {declared})",
                            )
                        if is_xml and _DECLARATION.search(tail + chunk):
                            raise ExtractionError(
                                "xml_entities",
                                f"{info.filename} declares a DOCTYPE or ENTITY (entity expansion / external entity)",
                            )
                        tail = chunk[-16:]
            except ExtractionError:
                raise
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
                raise ExtractionError("corrupt", f"unreadable part {info.filename}: {exc}") from exc


def check_html_depth(tree: Any) -> None:
    """Raise 'too_deep' when the parsed tree reaches the depth where libxml2 drops content."""
    if tree is None:
        return
    depth = deepest = 0
    for event, _ in lxml.etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_HTML_DEPTH:
                raise ExtractionError(
                    "too_deep",
                    f"HTML nested deeper than {MAX_HTML_DEPTH} levels; the parser would drop the content below",
                )
