"""Privacy beyond identifier spans: Faker pseudonyms, date shifting, location generalization.

Every value is a pure function of (seed, original) or (seed, document), so the same person,
address or date gets the same replacement wherever it appears, in any example, in any build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache
from typing import Any

from dataforge.lib.quality.detect import DATE_RE

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_TITLES = {"Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Sir", "Dame"}
_UK_NATIONS = ("England", "Scotland", "Wales", "Northern Ireland", "United Kingdom", "UK")


def _int(seed: int, *parts: str) -> int:
    return int(hashlib.sha256(":".join([str(seed), *parts]).encode()).hexdigest()[:15], 16)


@lru_cache(maxsize=1)
def _faker() -> Any:
    from faker import Faker

    return Faker("en_US")


def fake_person(value: str, seed: int) -> str:
    """Token-wise fake name: the last token of a name maps to a fake surname, the others to
    fake given names, each seeded by the token alone, so 'Amara Okafor' -> 'Jane Smith' and a
    later 'Okafor' -> 'Smith'. Titles and initials keep their shape."""
    tokens = value.split()
    fake = _faker()
    out = []
    for i, tok in enumerate(tokens):
        if tok in _TITLES:
            out.append(tok)
            continue
        if re.fullmatch(r"[A-Z]\.?", tok):
            out.append(chr(ord("A") + _int(seed, "initial", tok) % 26) + ("." if tok.endswith(".") else ""))
            continue
        role = "last" if i == len(tokens) - 1 else "first"
        fake.seed_instance(_int(seed, "PERSON", role, tok.casefold()))
        out.append(fake.last_name() if role == "last" else fake.first_name())
    return " ".join(out)


def fake_address(value: str, seed: int) -> str:
    """A Faker street address; a city/state/ZIP tail is replaced when the original had one."""
    fake = _faker()
    fake.seed_instance(_int(seed, "ADDRESS", " ".join(value.split()).casefold()))
    street = fake.street_address()
    tail = re.search(r"([,\n] ?)[^,\n]+, [A-Z]{2} \d{5}(?:-\d{4})?$", value)
    if tail:
        street += f"{tail.group(1)}{fake.city()}, {fake.state_abbr()} {fake.zipcode()}"
    return street


# ---------------------------------------------------------------------------- dates


def _parse(value: str) -> tuple[dt.date, str] | None:
    """The date and a format tag that ``_format`` can reproduce exactly."""
    v = value.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), "iso"
        if m := re.fullmatch(r"(\d{1,2})([/.])(\d{1,2})\2(\d{4})", v):
            a, b = int(m[1]), int(m[3])
            dmy = m[2] == "." or a > 12
            day, month = (a, b) if dmy else (b, a)
            pad = len(m[1]) == 2
            return dt.date(int(m[4]), month, day), f"num:{'dmy' if dmy else 'mdy'}:{m[2]}:{int(pad)}"
        if m := re.fullmatch(r"(\d{1,2})(st|nd|rd|th)? ([A-Za-z]+)(\.?)(,?) (\d{4})", v):
            month, style = _month(m[3])
            return dt.date(int(m[6]), month, int(m[1])), f"dm:{style}:{int(bool(m[2]))}:{m[4]}:{m[5]}"
        if m := re.fullmatch(r"([A-Za-z]+)(\.?) (\d{1,2})(st|nd|rd|th)?(,?) (\d{4})", v):
            month, style = _month(m[1])
            return dt.date(int(m[6]), month, int(m[3])), f"md:{style}:{int(bool(m[4]))}:{m[2]}:{m[5]}"
    except ValueError:
        return None
    return None


def _month(name: str) -> tuple[int, str]:
    for i, full in enumerate(_MONTH_NAMES, 1):
        if name.casefold() == full.casefold():
            return i, "full"
        if name.casefold() == full[:3].casefold() or (full == "September" and name.casefold() == "sept"):
            return i, "abbr"
    raise ValueError(name)


def _ordinal(day: int) -> str:
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _format(date: dt.date, tag: str) -> str:
    parts = tag.split(":")
    if parts[0] == "iso":
        return date.isoformat()
    if parts[0] == "num":
        order, sep, pad = parts[1], parts[2], parts[3] == "1"
        first, second = (date.day, date.month) if order == "dmy" else (date.month, date.day)
        fmt = "{:02d}" if pad else "{}"
        return f"{fmt.format(first)}{sep}{fmt.format(second)}{sep}{date.year}"
    _, style, ordinal, dot, comma = parts
    name = _MONTH_NAMES[date.month - 1]
    name = name if style == "full" else name[:3]
    day = f"{date.day}{_ordinal(date.day) if ordinal == '1' else ''}"
    if parts[0] == "dm":
        return f"{day} {name}{dot}{comma} {date.year}"
    return f"{name}{dot} {day}{comma} {date.year}"


def shift_date(value: str, days: int) -> str:
    """The same date format, ``days`` later (earlier when negative); unparseable text is kept."""
    parsed = _parse(value)
    if parsed is None:
        return value
    date, tag = parsed
    try:
        return _format(date + dt.timedelta(days=days), tag)
    except OverflowError:
        return value


def document_shift(seed: int, doc_id: str, max_days: int) -> int:
    """One non-zero offset per document in [-max_days, max_days]: intervals inside a document
    stay true while no date can be read back."""
    if max_days <= 0:
        return 0
    n = _int(seed, "date-shift", doc_id) % (2 * max_days)
    return n - max_days if n < max_days else n - max_days + 1


def fake_date(value: str, seed: int) -> str:
    """Pseudonym of a date of birth: the same format, moved by 1 to 10 years' worth of days."""
    days = 365 + _int(seed, "DATE_OF_BIRTH", value) % 3285
    return shift_date(value, -days)


def date_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "DATE") for m in DATE_RE.finditer(text) if _parse(m.group()) is not None]


# ---------------------------------------------------------------------------- locations


@lru_cache(maxsize=1)
def _regions() -> frozenset[str]:
    """Countries, UK nations and US states: already general enough to keep."""
    from faker.providers.address.en_US import Provider

    return frozenset([*Provider.countries, *Provider.states, *_UK_NATIONS, "USA", "US", "EU", "Europe"])


def generalize_locations(text: str, places: list[str]) -> dict[str, str]:
    """Place name -> its generalization within one document.

    A country, UK nation or US state is kept; any other place becomes the region written
    right after it somewhere in the document ('Aberdeen, Scotland' -> 'Scotland'), else
    '[LOCATION]'. Computed once per document, so every example of it agrees.
    """
    regions = _regions()
    out: dict[str, str] = {}
    for place in sorted(set(places)):
        if place in regions:
            continue
        region = None
        for m in re.finditer(re.escape(place) + r",\s+([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?)", text):
            if m.group(1) in regions:
                region = m.group(1)
                break
        out[place] = region or "[LOCATION]"
    return out
