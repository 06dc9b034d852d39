"""Page layout repairs on top of PDFium's text: interleaved columns and table rows.

PDFium returns characters in content-stream order and merges characters on one baseline
into one line. That is right for almost every generator (LaTeX, Word, browsers write a
column at a time), but some tools draw a page line by line across all columns, so that
"left line 1  right line 1" comes out as one line and the columns are interleaved, and
tables lose the cell boundaries. Only pages where text runs sit side by side with a wide
gap are analysed further, which keeps the common case at PDFium's speed.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any

__all__ = ["layout_page_text"]

# A horizontal gap wider than this many line heights separates cells or columns; word
# spaces in justified text stay well below one line height.
_GAP_HEIGHTS = 1.5
# Runs of at least this many multi-cell lines are a layout (columns or a table).
_MIN_RUN = 2
# Page test: text runs per line above which a page is not analysed, the width (share of
# the page) of a run that can be a column line, and how many side-by-side pairs trigger.
_MIN_RUNS_PER_LINE = 1.25
_MAX_RUNS_PER_LINE = 4
_WIDE_RUN = 0.15
_MIN_WIDE_PAIRS = 3
# Cells averaging this many characters are lines of text columns, not table cells.
_COLUMN_CELL_CHARS = 25


@dataclass
class _Rect:
    left: float
    bottom: float
    right: float
    top: float

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 0.1)


def _side_by_side(a: _Rect, b: _Rect) -> bool:
    """True when ``b`` sits right of ``a`` on the same baseline with a wide gap."""
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    height = min(a.height, b.height)
    return overlap > 0.5 * height and b.left - a.right > _GAP_HEIGHTS * max(a.height, b.height)


def _rects(textpage: Any, start: int = 0, count: int = -1) -> list[_Rect]:
    n = textpage.count_rects(start, count)
    return [_Rect(*textpage.get_rect(i)) for i in range(n)]


def _needs_layout(textpage: Any, text: str, page_width: float) -> bool:
    """Cheap page test: do wide text runs sit side by side on a baseline (3+ times)?

    Pages with many more runs than lines (formulas, mixed fonts) are not column text and
    are skipped before their rectangles are fetched, which is the costly part.
    """
    n_lines = text.count("\r\n") + 1
    n_rects = textpage.count_rects()
    # Side-by-side runs merged into one line make more runs than lines; a page with about
    # one run per line (prose, columns written one after the other) needs no rectangles.
    if n_rects < 6 or not _MIN_RUNS_PER_LINE * n_lines <= n_rects <= _MAX_RUNS_PER_LINE * n_lines:
        return False
    wide = _WIDE_RUN * page_width
    rects = [_Rect(*textpage.get_rect(i)) for i in range(n_rects)]
    pairs = sum(
        1
        for a, b in zip(rects, rects[1:], strict=False)
        if a.right - a.left > wide and b.right - b.left > wide and _side_by_side(a, b)
    )
    return pairs >= _MIN_WIDE_PAIRS


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of PDFium's text, which separates lines with CRLF."""
    spans = []
    pos = 0
    for line in text.split("\r\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 2
    return spans


def _cells(textpage: Any, text: str, start: int, end: int) -> list[str]:
    """Split one line at wide gaps between its text runs, using PDFium's char index."""
    if end - start < 3 or not text[start:end].strip():
        return [text[start:end]]
    rects = _rects(textpage, start, end - start)
    cuts = []
    for a, b in zip(rects, rects[1:], strict=False):
        if _side_by_side(a, b):
            tol = b.height / 2
            index = textpage.get_index(b.left + 0.5, (b.bottom + b.top) / 2, tol, tol)
            if index is not None and start < index < end and (not cuts or index > cuts[-1]):
                cuts.append(index)
    if not cuts:
        return [text[start:end]]
    bounds = [start, *cuts, end]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]


def _render_run(run: list[list[str]]) -> list[str]:
    """A run of multi-cell lines: interleaved text columns or a table."""
    widths = [len(cells) for cells in run]
    cell_chars = median(len(c) for cells in run for c in cells)
    if max(widths) == 2 and cell_chars >= _COLUMN_CELL_CHARS:
        left = [cells[0] for cells in run]
        right = [cells[1] for cells in run]
        return [*left, "", *right]
    width = max(widths)
    rows = []
    for i, cells in enumerate(run):
        padded = [c.replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        rows.append("| " + " | ".join(padded) + " |")
        if i == 0:
            rows.append("|" + " --- |" * width)
    return ["", *rows, ""]


def layout_page_text(textpage: Any, text: str, page_width: float) -> str:
    """Page text with interleaved columns separated and table rows kept as Markdown rows.

    ``text`` is ``textpage.get_text_range()``; it is returned unchanged (CRLF and all) when
    the page has no side-by-side text runs or PDFium's indices do not match the text.
    """
    if len(text) != textpage.count_chars() or not _needs_layout(textpage, text, page_width):
        return text
    lines = [_cells(textpage, text, s, e) for s, e in _line_spans(text)]
    out: list[str] = []
    run: list[list[str]] = []

    def flush() -> None:
        if len(run) >= _MIN_RUN:
            out.extend(_render_run(run))
        else:
            out.extend(" ".join(cells) for cells in run)
        run.clear()

    for cells in lines:
        if len(cells) > 1:
            run.append(cells)
            continue
        flush()
        out.append(cells[0])
    flush()
    return "\n".join(out)
