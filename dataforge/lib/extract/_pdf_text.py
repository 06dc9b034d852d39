"""Document-level repairs of PDF page texts: running headers/footers and hyphenation.

Both need the whole document: a header is a line that repeats across pages, and whether
"dual-" + "encoder" is one word or a hyphenated compound is decided by how the rest of
the document spells it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

__all__ = ["join_hyphenation", "remove_running_lines"]

# Lines at the top and bottom of a page that can be running headers or footers.
_EDGE_LINES = 2
# A line counts as running when its normalised text is at the same edge of this share of
# the pages (and of at least two pages).
_RUNNING_SHARE = 0.4
# Running heads are short; a long repeated line is content (a disclaimer paragraph, say).
_MAX_RUNNING_CHARS = 150

_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s+")
_ROMAN_RE = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
# "12", "- 12 -", "Page 12", "Seite 12 of 30", "12 / 30", "iii"
_PAGE_NUMBER_RE = re.compile(
    r"^[\-–—\s\[(]*(?:(?:page|seite|p\.|pg\.?)\s*)?(\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:/|of|von|de)\s*\d{1,4})?[\-–—\s\])]*$",
    re.IGNORECASE,
)
# A page number glued to a running title: "8 1.2. METRISCHE RÄUME" or "Chapter 2 ... 17".
_LEADING_NUMBER_RE = re.compile(r"^(\d{1,4})\s+\S")
_TRAILING_NUMBER_RE = re.compile(r"\S\s+(\d{1,4})$")


def _roman(value: str) -> int | None:
    if not _ROMAN_RE.match(value):
        return None
    total, previous = 0, 0
    for ch in reversed(value.lower()):
        current = _ROMAN_VALUES[ch]
        total += -current if current < previous else current
        previous = max(previous, current)
    return total


def _number(token: str) -> int | None:
    """Arabic or roman page number; a lone roman letter ("x", "v") is more often a symbol."""
    if token.isdigit():
        return int(token)
    return _roman(token) if len(token) > 1 else None


def _key(line: str) -> str:
    """Normalised line for comparisons across pages: digits and spacing do not matter."""
    return _SPACE_RE.sub(" ", _DIGITS_RE.sub("#", line.strip().lower()))


def _title_key(line: str) -> str:
    """Key of a running title without its page number: even and odd pages put the number
    on different sides ("8 METRIC SPACES" / "METRIC SPACES 9")."""
    line = line.strip()
    m = _LEADING_NUMBER_RE.match(line)
    if m:
        line = line[m.end(1) :]
    m = _TRAILING_NUMBER_RE.search(line)
    if m:
        line = line[: m.start(1)]
    return _key(line)


def _edges(lines: list[str]) -> list[tuple[str, int]]:
    """(edge, line index) of the candidate header/footer lines of one page."""
    top: list[int] = []
    for i, line in enumerate(lines):
        if line.strip():
            top.append(i)
            if len(top) == _EDGE_LINES:
                break
    bottom: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        if len(bottom) == _EDGE_LINES or (top and i <= top[-1]):
            break
        if lines[i].strip():
            bottom.append(i)
    return [("top", i) for i in top] + [("bottom", i) for i in reversed(bottom)]


def _page_number_offsets(pages: list[list[str]], page_edges: list[list[tuple[str, int]]]) -> set[int]:
    """Offsets (printed number - page index) shared by two or more page-number lines."""
    offsets: Counter[int] = Counter()
    for index, lines in enumerate(pages):
        seen = set()
        for _, i in page_edges[index]:
            line = lines[i].strip()
            m = _PAGE_NUMBER_RE.match(line) or _LEADING_NUMBER_RE.match(line) or _TRAILING_NUMBER_RE.search(line)
            value = _number(m.group(1)) if m else None
            if value is not None and value - index not in seen:
                seen.add(value - index)
                offsets[value - index] += 1
    return {offset for offset, count in offsets.items() if count >= 2}


def _is_page_number(line: str, index: int, offsets: set[int], repeated: bool, outermost: bool) -> bool:
    """A bare page number, or a running title that starts or ends with this page's number
    ("8 1.2. METRISCHE RÄUME"): first or last line, its text seen on another page."""
    m = _PAGE_NUMBER_RE.match(line)
    if m:
        value = _number(m.group(1))
        return value is not None and value - index in offsets
    if not (repeated and outermost):
        return False
    for pattern in (_LEADING_NUMBER_RE, _TRAILING_NUMBER_RE):
        m = pattern.search(line)
        if m and int(m.group(1)) - index in offsets:
            return True
    return False


def remove_running_lines(page_texts: list[str]) -> tuple[list[str], int]:
    """Drop running headers, footers and page numbers; return (pages, lines removed).

    A line at the top or bottom of a page is dropped when its text (digits ignored)
    repeats at that edge on enough pages, or when it carries this page's number in a
    sequence that at least two pages follow. A single page is never changed, nor a page
    made only of such lines.
    """
    if len(page_texts) < 2:
        return page_texts, 0
    pages = [text.split("\n") for text in page_texts]
    with_text = sum(1 for text in page_texts if text.strip())
    threshold = max(2, math.ceil(_RUNNING_SHARE * with_text))
    page_edges = [_edges(lines) for lines in pages]
    counts: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
    titles: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
    for index, lines in enumerate(pages):
        edges = page_edges[index]
        for edge, i in edges:
            counts[(edge, _key(lines[i]))].add(index)
        for edge, i in edges[:1] + edges[-1:]:  # running titles sit on the outermost line
            titles[(edge, _title_key(lines[i]))].add(index)
    offsets = _page_number_offsets(pages, page_edges)
    removed = 0
    result = []
    for index, lines in enumerate(pages):
        drop = set()
        edges = page_edges[index]
        outer = {edges[0][1], edges[-1][1]} if edges else set()
        for edge, i in edges:
            line = lines[i].strip()
            if len(line) > _MAX_RUNNING_CHARS:
                continue
            repeated = len(titles[(edge, _title_key(line))]) >= 2
            if len(counts[(edge, _key(line))]) >= threshold or _is_page_number(
                line, index, offsets, repeated, i in outer
            ):
                drop.add(i)
        if not drop:
            result.append(page_texts[index])
            continue
        if len(drop) == sum(1 for line in lines if line.strip()):
            result.append(page_texts[index])  # nothing but "running" lines: content (slides, labels)
            continue
        removed += len(drop)
        result.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return result, removed


# PDFium marks a hyphen it judged to be end-of-line hyphenation with U+FFFE (U+0002 in
# bounded text) and removes the line break; a soft hyphen (U+00AD) may also end a line.
_MARK_RE = re.compile("[\ufffe\x02\u00ad](?:\r?\n)?")
# A hard hyphen ending a line: "infor-\nmation".
_HARD_RE = re.compile(r"-[ \t]*\r?\n[ \t]*(?=\w)")
_LEFT_WORD_RE = re.compile(r"\w+$")
_RIGHT_WORD_RE = re.compile(r"\w+")
# Word characters around a break are looked up this far at most.
_WORD_WINDOW = 64


def _joined(left: str, right: str, lowered: str) -> str:
    """'left' + 'right' as one word, or with its hyphen when that is how it is spelled.

    ``lowered`` is the whole document in lower case: a compound spelled "left-right"
    mid-line somewhere, and never "leftright", keeps its hyphen ("dual-encoder").
    """
    if not left or not right:
        return left + right
    if right[0].isupper() or right[0].isdigit() or left[-1].isdigit():
        return f"{left}-{right}"  # "Lucene-BM25", "Baden-Württemberg", "COVID-19"
    compound = f"{left}-{right}".lower()
    if compound in lowered and (left + right).lower() not in lowered:
        return f"{left}-{right}"
    return left + right


def _rejoin(text: str, pattern: re.Pattern[str], lowered: str, hard: bool) -> str:
    """Replace every break matched by ``pattern`` with the joined word (or keep it)."""
    parts: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() < pos:
            continue
        left_m = _LEFT_WORD_RE.search(text, max(pos, m.start() - _WORD_WINDOW), m.start())
        right_m = _RIGHT_WORD_RE.match(text, m.end(), m.end() + _WORD_WINDOW)
        left = left_m.group(0) if left_m else ""
        right = right_m.group(0) if right_m else ""
        if hard and (not left or not left[-1].isalpha() or right[:1].isupper() or right[:1].isdigit()):
            continue  # "Nord-\nSüd", "1990-\n2000": a real hyphen at a line end, keep as is
        start = left_m.start() if left_m else m.start()
        end = right_m.end() if right_m else m.end()
        parts.append(text[pos:start])
        parts.append(_joined(left, right, lowered))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def join_hyphenation(page_texts: list[str]) -> list[str]:
    """Undo end-of-line hyphenation using the document's own spelling as the dictionary."""
    lowered = "\n".join(page_texts).lower()
    result = []
    for text in page_texts:
        if "\ufffe" in text or "\x02" in text or "\u00ad" in text:
            text = _rejoin(text, _MARK_RE, lowered, hard=False)
        if "-" in text:
            text = _rejoin(text, _HARD_RE, lowered, hard=True)
        result.append(text)
    return result
