"""Dated events: DATE and TIME mentions normalized to ISO, with their sentence and participants.

Dates are resolved relative to the document's own date when one is known ("last year",
"yesterday", "on Tuesday", "two years ago"), and left at the precision the text gives ("June
2021" -> "2021-06", "2019" -> "2019"). A clock time joins its sentence's day ("at 06:40 on 21
September 2023" -> "2023-09-21T06:40"). Conflicts: one typed relation (same head, relation,
tail clusters) dated differently by different sentences, e.g. two founding years.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from dataforge.lib.relation_schema import is_fact

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
_RELATIVE_MONTHS = {"last month": -1, "this month": 0, "next month": 1}
_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_AGO = re.compile(r"\b(\d+|" + "|".join(_NUMBERS) + r"|a)\s+(year|month|week|day)s?\s+ago\b")
_CLOCK = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b(?:\s*([ap])\.?m\.?)?", re.I)


def _day(reference: str | None) -> date | None:
    try:
        return date.fromisoformat(reference[:10]) if reference and len(reference) >= 10 else None
    except ValueError:
        return None


def _relative(lowered: str, reference: str | None) -> str | None:
    """Dates that only mean something next to the document's date."""
    year = int(reference[:4]) if reference and reference[:4].isdigit() else None
    day = _day(reference)
    for phrase, delta in _RELATIVE.items():
        if phrase in lowered and year:
            return str(year + delta)
    for phrase, delta in _RELATIVE_MONTHS.items():
        if phrase in lowered and reference and len(reference) >= 7 and reference[4] == "-":
            months = year * 12 + int(reference[5:7]) - 1 + delta
            return f"{months // 12:04d}-{months % 12 + 1:02d}"
    if day is None:
        return None
    for phrase, delta in _RELATIVE_DAYS.items():
        if re.search(rf"\b{phrase}\b", lowered):
            return (day + timedelta(days=delta)).isoformat()
    ago = _AGO.search(lowered)
    if ago:
        n = 1 if ago.group(1) == "a" else _NUMBERS.get(ago.group(1)) or int(ago.group(1))
        unit = ago.group(2)
        if unit == "year":
            return str(day.year - n)
        if unit == "month":
            months = day.year * 12 + day.month - 1 - n
            return f"{months // 12:04d}-{months % 12 + 1:02d}"
        return (day - timedelta(days=n * (7 if unit == "week" else 1))).isoformat()
    for index, weekday in enumerate(_WEEKDAYS):  # news convention: the latest such day up to the document's
        if re.search(rf"\b{weekday}\b", lowered) and not _YEAR_IN.search(lowered):
            return (day - timedelta(days=(day.weekday() - index) % 7)).isoformat()
    return None


_YEAR_IN = re.compile(r"\b(1[5-9]|2[01])\d\d\b")


def normalize_time(text: str, day: str | None) -> str | None:
    """ "06:40", "6.40 p.m." on a known day -> "YYYY-MM-DDTHH:MM"; None without both."""
    match = _CLOCK.search(text)
    if not match or not day or len(day) != 10:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if match.group(3) and match.group(3).lower() == "p" and hour < 12:
        hour += 12
    elif match.group(3) and match.group(3).lower() == "a" and hour == 12:
        hour = 0
    return f"{day}T{hour:02d}:{minute:02d}"


def normalize_date(text: str, reference: str | None = None) -> str | None:
    """ISO date at the precision given (YYYY, YYYY-MM or YYYY-MM-DD), or None."""
    lowered = text.lower().strip()
    relative = _relative(lowered, reference)
    if relative:
        return relative
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
    """One event per DATE mention that normalizes (and per clock TIME in a sentence without one):
    the sentence, its date and its participants (clusters of mentions in the sentence)."""
    by_sentence: dict[int, list[str]] = {}
    clock: dict[int, dict[str, Any]] = {}
    for m in mentions:
        cluster = assignments.get(m["mention_id"])
        if cluster:
            by_sentence.setdefault(m["sentence_id"], [])
            if cluster not in by_sentence[m["sentence_id"]]:
                by_sentence[m["sentence_id"]].append(cluster)
        if m["label"] == "TIME" and _CLOCK.search(m["text"]):
            clock.setdefault(m["sentence_id"], m)
    events, dated = [], set()
    for m in mentions:
        if m["label"] != "DATE":
            continue
        when = normalize_date(m["text"], doc_date)
        if not when:
            continue
        timed = clock.get(m["sentence_id"])
        when = (normalize_time(timed["text"], when) if timed else None) or when
        events.append(_event(doc_id, text, m, when, by_sentence))
        dated.add(m["sentence_id"])
    day = doc_date[:10] if _day(doc_date) else None
    for sentence_id, m in clock.items():
        when = normalize_time(m["text"], day) if sentence_id not in dated else None
        if when:
            events.append(_event(doc_id, text, m, when, by_sentence))
    return events


def _event(doc_id: str, text: str, m: dict[str, Any], when: str, by_sentence: dict[int, list[str]]) -> dict[str, Any]:
    return {
        "event_id": "ev-" + hashlib.sha1(f"{doc_id}|{m['start']}".encode()).hexdigest()[:12],
        "doc_id": doc_id,
        "date": when,
        "date_text": m["text"],
        "sentence": text[m["sentence_start"] : m["sentence_end"]],
        "start": m["sentence_start"],
        "end": m["sentence_end"],
        "date_start": m["start"],
        "date_end": m["end"],
        "cluster_ids": sorted(by_sentence.get(m["sentence_id"], [])),
    }


def order_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chronological order (coarser dates sort before finer ones in the same period)."""
    return sorted(events, key=lambda e: (e["date"], e["doc_id"], e["start"], e["event_id"]))


def _agree(a: str, b: str) -> bool:
    """ "2019" and "2019-03" agree (one is coarser); "2019-01" and "2019-03" do not."""
    return a.startswith(b) or b.startswith(a)


def date_conflicts(
    events: list[dict[str, Any]], relations: list[dict[str, Any]], assignments: dict[str, str]
) -> list[dict[str, Any]]:
    """One typed relation between the same two clusters dated differently in different sentences.

    A relation takes the date of its sentence nearest to its two mentions ("joined the board
    in 2018 and became chairman in January 2019" dates "chairman of" 2019-01). Reported in
    ``timeline_conflicts.json`` for review, with the sentences that disagree.
    """
    by_sentence: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        by_sentence[(e["doc_id"], e["start"])].append(e)
    dated: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in relations:
        head, tail = assignments.get(r["head_mention_id"]), assignments.get(r["tail_mention_id"])
        candidates = by_sentence.get((r["doc_id"], r["evidence_start"]))
        if r["kind"] != "typed" or not is_fact(r) or not head or not tail or head == tail or not candidates:
            continue
        low, high = min(r["head_start"], r["tail_start"]), max(r["head_start"], r["tail_start"])
        nearest = min(
            candidates, key=lambda e: (max(low - e["date_start"], e["date_start"] - high, 0), e["date_start"])
        )
        dated[(head, r["relation"], tail)].append(nearest)
    conflicts = []
    for (head, relation, tail), found in sorted(dated.items()):
        dates = sorted({e["date"] for e in found})
        if any(not _agree(a, b) for a in dates for b in dates) and len({e["doc_id"] for e in found}) > 1:
            conflicts.append(
                {
                    "head_cluster": head,
                    "relation": relation,
                    "tail_cluster": tail,
                    "dates": {d: sorted({e["doc_id"] for e in found if e["date"] == d}) for d in dates},
                    "evidence": [
                        {"doc_id": e["doc_id"], "date": e["date"], "sentence": e["sentence"]}
                        for e in sorted(found, key=lambda e: (e["date"], e["doc_id"]))
                    ],
                }
            )
    return conflicts
