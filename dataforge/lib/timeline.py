"""Dated events: DATE mentions normalized to ISO, with their sentence and participants.

Dates are resolved relative to the document's own date when one is known ("last year"), and
left at the precision the text gives ("June 2021" -> "2021-06", "2019" -> "2019").
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>1[5-9]\d\d|2[01]\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PATTERNS = [
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})"),
    re.compile(rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.I),
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.I),
    re.compile(rf"{_MONTH},?\s+{_YEAR}", re.I),
    re.compile(rf"(?P<quarter>q[1-4])\s+{_YEAR}", re.I),
    re.compile(rf"\b{_YEAR}\b"),
]
_RELATIVE = {"last year": -1, "this year": 0, "next year": 1, "the previous year": -1, "the following year": 1}


def normalize_date(text: str, reference: str | None = None) -> str | None:
    """ISO date at the precision given (YYYY, YYYY-MM or YYYY-MM-DD), or None."""
    lowered = text.lower().strip()
    for phrase, delta in _RELATIVE.items():
        if phrase in lowered and reference and reference[:4].isdigit():
            return str(int(reference[:4]) + delta)
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        if parts.get("quarter"):
            return f"{year}-{(int(parts['quarter'][1]) - 1) * 3 + 1:02d}"
        month = int(parts["mnum"]) if parts.get("mnum") else MONTHS.get((parts.get("month") or "").lower().rstrip("."))
        if not month:
            return f"{year:04d}"
        if not 1 <= month <= 12:
            return None
        day = int(parts["day"]) if parts.get("day") else None
        if day and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
        return f"{year:04d}-{month:02d}"
    return None


def extract_events(
    doc_id: str, text: str, mentions: list[dict[str, Any]], assignments: dict[str, str], doc_date: str | None
) -> list[dict[str, Any]]:
    """One event per DATE mention that normalizes: the sentence, its date and its participants."""
    by_sentence: dict[int, list[str]] = {}
    for m in mentions:
        cluster = assignments.get(m["mention_id"])
        if cluster:
            by_sentence.setdefault(m["sentence_id"], [])
            if cluster not in by_sentence[m["sentence_id"]]:
                by_sentence[m["sentence_id"]].append(cluster)
    events = []
    for m in mentions:
        if m["label"] != "DATE":
            continue
        date = normalize_date(m["text"], doc_date)
        if not date:
            continue
        sentence = text[m["sentence_start"] : m["sentence_end"]]
        event_id = "ev-" + hashlib.sha1(f"{doc_id}|{m['start']}".encode()).hexdigest()[:12]
        events.append(
            {
                "event_id": event_id,
                "doc_id": doc_id,
                "date": date,
                "date_text": m["text"],
                "sentence": sentence,
                "start": m["sentence_start"],
                "end": m["sentence_end"],
                "date_start": m["start"],
                "date_end": m["end"],
                "cluster_ids": sorted(by_sentence.get(m["sentence_id"], [])),
            }
        )
    return events


def order_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chronological order (coarser dates sort before finer ones in the same period)."""
    return sorted(events, key=lambda e: (e["date"], e["doc_id"], e["start"], e["event_id"]))


def date_conflicts(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Possible conflicts: the same set of participants dated in different years by different
    documents. A heuristic for review, reported in ``timeline_conflicts.json``."""
    seen: dict[tuple[str, ...], dict[str, set[str]]] = {}
    for e in events:
        if len(e["cluster_ids"]) < 2:
            continue
        key = tuple(e["cluster_ids"])
        seen.setdefault(key, {}).setdefault(e["date"][:4], set()).add(e["doc_id"])
    conflicts = []
    for key, dates in sorted(seen.items()):
        docs = set().union(*dates.values())
        if len(dates) > 1 and len(docs) > 1:
            conflicts.append({"cluster_ids": list(key), "dates": sorted(dates), "doc_ids": sorted(docs)})
    return conflicts
