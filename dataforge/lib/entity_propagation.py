"""Untagged occurrences of a document's typed names become mentions of their own.

spaCy tags "Rust" in some sentences only; once ``entity_types`` has typed the entity, every other
exact, word-bounded occurrence outside headings gets the same type (``type_document``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import Any

from dataforge.lib.entity_groups import _bare
from dataforge.lib.nlp import CURRENCIES, ENTITY_LABELS, UNITS


def _heading_lines(text: str, headings: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of heading lines: Markdown headings, chunk headings, table header rows."""
    wanted = {" ".join(h.lstrip("#").split()) for h in headings if h and h.strip()}
    spans, position = [], 0
    lines = text.split("\n")
    for k, line in enumerate(lines):
        bare = " ".join(line.lstrip("#").split())
        header_row = line.lstrip().startswith("|") and k + 1 < len(lines) and set(lines[k + 1].strip()) <= set("|-: ")
        if bare and (re.match(r"^\s*#{1,6}\s", line) or bare in wanted or header_row):
            spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def propagate(
    text: str, mentions: Sequence[dict[str, Any]], headings: Iterable[str] = ()
) -> list[tuple[int, int, int]]:
    """Untagged occurrences of the document's typed names: ``(start, end, source position)``.

    An occurrence counts when it is the same exact string, word-bounded, overlaps no mention
    and lies in no heading. Longer names go first; a one-word name that also occurs in lower
    case ("Marsh", "marsh") is a common word and is not propagated.
    """
    taken = sorted((m["start"], m["end"]) for m in mentions)  # spaCy's spans never overlap
    blocked = _heading_lines(text, headings)
    line_starts = [s for s, _ in blocked]
    forms: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if m["label"] not in ENTITY_LABELS or not m.get("type_evidence"):
            continue
        for form in dict.fromkeys([m["text"].strip(), _bare(m["text"])]):
            if len(form) < 2 or not form[:1].isupper() or form.lower() in UNITS or form.lower() in CURRENCIES:
                continue
            if " " not in form and re.search(rf"(?<!\w){re.escape(form.lower())}(?!\w)", text) and not form.isupper():
                continue
            forms.setdefault(form, i)
    found: list[tuple[int, int, int]] = []
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            start, end = match.span()
            k = bisect.bisect_left(taken, (end, end))
            if k and taken[k - 1][1] > start:  # overlaps a mention
                continue
            h = bisect.bisect_right(line_starts, start) - 1
            if h >= 0 and start < blocked[h][1]:  # in a heading
                continue
            bisect.insort(taken, (start, end))
            found.append((start, end, forms[form]))
    return sorted(found)
