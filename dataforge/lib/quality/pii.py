"""PII strategies: replace detected identifiers in strings and whole examples, keeping offsets exact.

A ``Scrubber`` holds everything one document's examples need: the strategy, the types, the
seed, a spaCy pipeline for names, the identifiers already found in the whole source document
(``known``), and the optional date shift and location generalization of that document.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import ipaddress
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dataforge.lib.quality.detect import _check_types, find_pii, luhn_valid
from dataforge.lib.quality.privacy import date_spans, fake_address, fake_date, fake_person, shift_date
from dataforge.lib.quality.schema import (
    PII_TYPES,
    PROVENANCE_FIELDS,
    REALISTIC_PSEUDONYMS,
    STRATEGIES,
    Span,
    example_kind,
)

CONTACT_TYPES: tuple[str, ...] = tuple(t for t in PII_TYPES if t not in REALISTIC_PSEUDONYMS)
_MAX_PASSES = 6


def _normalized(value: str, kind: str) -> str:
    """One spelling per identifier, so 'John@X.com' and 'john@x.com' get the same fake."""
    if kind == "EMAIL":
        return value.casefold()
    if kind in ("PHONE", "CREDIT_CARD", "SSN"):
        return re.sub(r"\D", "", value)
    if kind == "IBAN":
        return value.replace(" ", "").upper()
    if kind == "IP_ADDRESS":
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return value
    return value


def _digest(seed: int, kind: str, value: str, attempt: int = 0) -> str:
    salt = f":{attempt}" if attempt else ""
    return hashlib.sha256(f"{seed}:{kind}:{_normalized(value, kind)}{salt}".encode()).hexdigest()


def _tag(seed: int, kind: str, body: str) -> int:
    """The keyed marker of a pseudonym: HMAC of its visible body under the seed."""
    mac = hmac.new(f"dataforge-pseudonym:{seed}".encode(), f"{kind}:{body}".encode(), hashlib.sha256)
    return int(mac.hexdigest()[:8], 16)


def _fill(layout: str, h: str) -> str:
    """Replace digits/letters of ``layout`` with hash-derived ones, keeping separators."""
    stream = (h * 2)[: 2 * len(layout)]
    out = []
    for i, ch in enumerate(layout):
        v = int(stream[i % len(stream)], 16)
        if ch.isdigit():
            out.append(str(v % 10))
        elif ch.isalpha():
            out.append(chr(ord("A") + (v + i) % 26))
        else:
            out.append(ch)
    return "".join(out)


# Pseudonyms the detector finds carry a keyed marker; the others (cards with a broken Luhn
# digit, IBANs with check digits 00, SSNs in area 000) are never detected at all.
_EMAIL_FAKE = re.compile(r"user_([0-9a-f]{8})([0-9a-f]{4})@example\.com")
_PHONE_FAKE = re.compile(r"\+1-([2-9]\d\d)-555-01(\d\d)")
_IPV4_FAKE = re.compile(r"(192\.0\.2|198\.51\.100|203\.0\.113)\.([1-9]\d?|1\d\d|2[0-4]\d|250)")
_IPV6_FAKE = re.compile(r"2001:db8::([0-9a-f]{4}):([0-9a-f]{4}):([0-9a-f]{4})")
_DOC_NETS = ("192.0.2", "198.51.100", "203.0.113")


def is_pseudonym(value: str, seed: int) -> bool:
    """True when ``value`` is exactly an identifier dataforge wrote under ``seed``.

    Recognition is by the keyed marker, not by the domain or number range: a source's own
    ``info@example.org`` or ``555`` number is personal data and is replaced. A real value of
    the same shape passes only when its marker happens to match (1 in 65536 for e-mails and
    IPv6, 1 in 100 for 555-01xx phones, 1 in 10 for documentation-range IPv4), and the stage
    never relies on this: it replaces every identifier of the source first.
    """
    if m := _EMAIL_FAKE.fullmatch(value):
        return int(m[2], 16) == _tag(seed, "EMAIL", m[1]) % 65536
    if m := _PHONE_FAKE.fullmatch(value):
        return int(m[2]) == _tag(seed, "PHONE", m[1]) % 100
    if m := _IPV4_FAKE.fullmatch(value):
        body, check = divmod(int(m[2]) - 1, 10)
        return check == _tag(seed, "IPV4", f"{m[1]}.{body}") % 10
    if m := _IPV6_FAKE.fullmatch(value):
        return int(m[3], 16) == _tag(seed, "IPV6", f"{m[1]}:{m[2]}") % 65536
    return False


def _shape(value: str, kind: str, seed: int, attempt: int) -> str:
    h = _digest(seed, kind, value, attempt)
    n = int(h[:12], 16)
    if kind == "EMAIL":
        return f"user_{h[:8]}{_tag(seed, 'EMAIL', h[:8]) % 65536:04x}@example.com"
    if kind == "PHONE":
        npa = str(200 + n % 800)
        return f"+1-{npa}-555-01{_tag(seed, 'PHONE', npa) % 100:02d}"
    if kind == "SSN":
        return f"000-{n % 100:02d}-{(n // 100) % 10000:04d}"
    if kind == "IP_ADDRESS":
        if ":" in value:
            body = f"{h[:4]}:{h[4:8]}"
            return f"2001:db8::{body}:{_tag(seed, 'IPV6', body) % 65536:04x}"
        net, body = _DOC_NETS[n % 3], (n // 3) % 25
        return f"{net}.{1 + body * 10 + _tag(seed, 'IPV4', f'{_DOC_NETS[n % 3]}.{body}') % 10}"
    if kind == "CREDIT_CARD":
        fake = _fill(value, h)
        digits = re.sub(r"\D", "", fake)
        if luhn_valid(digits):  # bump the last digit: one changed digit always breaks Luhn
            last = max(i for i, ch in enumerate(fake) if ch.isdigit())
            fake = fake[:last] + str((int(fake[last]) + 1) % 10) + fake[last + 1 :]
        return fake
    if kind == "IBAN":
        return value[:2] + "00" + _fill(value[4:], h)
    if kind == "PERSON":
        return fake_person(value, seed)
    if kind == "ADDRESS":
        return fake_address(value, seed)
    if kind == "DATE_OF_BIRTH":
        return fake_date(value, seed)
    return f"<{kind}:{h[:8]}>"


def _pseudonym(value: str, kind: str, seed: int) -> str:
    """A fake of the same shape, never a usable identifier, never read as a leak.

    Emails go to example.com, phones to the fictional 555-01xx range, IPs to documentation
    networks (RFC 5737 / RFC 3849), each with a keyed marker (``is_pseudonym``); SSNs go to
    area 000, IBANs get check digits 00 and card numbers a broken Luhn digit, so the detector
    finds none of them. A candidate the detector would read otherwise (a trimmed card that
    passes Luhn, a 1-in-97 IBAN whose 00 is valid) is drawn again.
    """
    if kind in REALISTIC_PSEUDONYMS:
        return _shape(value, kind, seed, 0)
    for attempt in range(16):
        fake = _shape(value, kind, seed, attempt)
        if not find_leaks(fake, CONTACT_TYPES, seed):
            return fake
    return f"[{kind}]"


def find_leaks(text: str, types: Iterable[str], seed: int, known: Iterable[tuple[str, str]] = ()) -> list[Span]:
    """Identifiers of ``types`` in ``text`` that dataforge did not write: the one test the
    stage's re-scan, the ``no_pii_left`` check and the export validator all apply.

    PERSON is matched from ``known`` values only (no spaCy run): a fake name is a name.
    """
    types = tuple(types)
    persons: list[Span] | None = [] if "PERSON" in types else None
    return [s for s in find_pii(text, types, None, known, persons) if not is_pseudonym(text[s[0] : s[1]], seed)]


def _replacement(value: str, kind: str, strategy: str, seed: int) -> str:
    if strategy == "pseudonymize":
        return _pseudonym(value, kind, seed)
    if strategy == "redact":
        return f"[{kind}]"
    if strategy == "mask":
        return "*" * len(value)
    if strategy == "hash":  # salted with the seed: SSNs are too few to hash unsalted
        return f"<{kind}:{_digest(seed, kind, value)[:8]}>"
    if strategy == "keep":
        return value
    raise ValueError(f"unknown PII strategy {strategy!r}; known: {list(STRATEGIES)}")


Edit = tuple[int, int, int, int]  # old_start, old_end, new_start, new_end


@dataclass
class Scrubber:
    """Finds and replaces identifiers (and, when asked, dates and places) in strings.

    ``date_shift`` (days) moves every full date; ``locations`` maps place names to their
    generalization. Both come from the example's source document, so all of its examples
    agree. PII spans win over overlapping dates (a date of birth is PII).
    """

    strategy: str
    types: tuple[str, ...]
    seed: int
    nlp: Any = None
    known: tuple[tuple[str, str], ...] = ()
    date_shift: int | None = None
    locations: dict[str, str] = field(default_factory=dict)
    persons: dict[str, list[Span]] = field(default_factory=dict)  # text -> PERSON spans, precomputed

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"unknown PII strategy {self.strategy!r}; known: {list(STRATEGIES)}")
        self.types = _check_types(self.types)

    @property
    def changes_nothing(self) -> bool:
        return self.strategy == "keep" and not self.date_shift and not self.locations

    def spans(self, text: str) -> list[Span]:
        spans = find_pii(text, self.types, self.nlp, self.known, self.persons.get(text))
        extra: list[Span] = []
        if self.date_shift:
            extra += date_spans(text)
        if self.locations:
            pattern = r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(self.locations, key=len, reverse=True))
            extra += [(m.start(), m.end(), "LOCATION") for m in re.finditer(pattern + r")(?!\w)", text)]
        for span in sorted(extra):
            if all(span[1] <= s[0] or span[0] >= s[1] for s in spans):
                spans.append(span)
        return sorted(spans)

    def replacement(self, value: str, kind: str) -> str:
        if kind == "DATE":
            return shift_date(value, self.date_shift or 0)
        if kind == "LOCATION":
            return self.locations.get(value, value)
        return _replacement(value, kind, self.strategy, self.seed)

    @property
    def rescan_types(self) -> tuple[str, ...]:
        """What the re-scan looks for: under pseudonymize, the types whose fakes do not look
        real (a fake name is a name); otherwise every type (names only as known values)."""
        if self.strategy == "pseudonymize":
            return tuple(t for t in self.types if t not in REALISTIC_PSEUDONYMS)
        return self.types

    def _apply(self, text: str, spans: list[Span], redact: set[int]) -> tuple[str, list[Edit]]:
        parts: list[str] = []
        edits: list[Edit] = []
        pos = new_len = 0
        for start, end, kind in spans:
            parts.append(text[pos:start])
            new_len += start - pos
            repl = f"[{kind}]" if start in redact else self.replacement(text[start:end], kind)
            parts.append(repl)
            edits.append((start, end, new_len, new_len + len(repl)))
            new_len += len(repl)
            pos = end
        parts.append(text[pos:])
        return "".join(parts), edits

    def scrub(self, text: str) -> tuple[str, list[Edit], Counter[str]]:
        """Replace every span, re-scan the result and replace what is still read as an
        identifier (a pseudonym glued to a following extension, a digit run that a neighbour
        completes), until the output has no leak by ``find_leaks``; also return the edits
        (in original offsets) for offset remapping."""
        spans = self.spans(text)
        if not spans:
            return text, [], Counter()
        if self.strategy == "keep":
            return text, [], Counter(k for _, _, k in spans)
        redact: set[int] = set()
        for attempt in range(_MAX_PASSES):
            new, edits = self._apply(text, spans, redact)
            left = find_leaks(new, self.rescan_types, self.seed, self.known)
            if not left:
                break
            for a, b, kind in left:
                sa, sb = _to_source(a, b, edits)
                inside = [s for s in spans if s[0] < sb and s[1] > sa]
                sa, sb = min([sa, *(s[0] for s in inside)]), max([sb, *(s[1] for s in inside)])
                spans = sorted([s for s in spans if s not in inside] + [(sa, sb, kind)])
                if attempt >= 2:  # a fake that keeps gluing: a placeholder cannot glue
                    redact.add(sa)
        return new, edits, Counter(k for _, _, k in spans)


def events_without_pii(text: str, events: list[dict[str, Any]], scrubber: Scrubber) -> list[dict[str, Any]]:
    """Timeline events of one document: an event whose date is a piece of an identifier
    ('1918' inside an IBAN) is dropped, and every sentence is scrubbed like an example, so
    timeline.parquet holds no identifier the datasets would not."""
    if scrubber.strategy == "keep":
        return events
    spans = find_pii(text, [t for t in scrubber.types if t != "PERSON"], None, scrubber.known)
    out = []
    for event in events:
        if any(s < event["date_end"] and event["date_start"] < e for s, e, _ in spans):
            continue
        out.append({**event, "sentence": scrubber.scrub(event["sentence"])[0]})
    return out


def _scrub_text(text: str, strategy: str, types: Iterable[str], seed: int) -> tuple[str, list[Edit], Counter[str]]:
    return Scrubber(strategy, tuple(types), seed).scrub(text)


def apply_pii(text: str, strategy: str, types: Iterable[str], seed: int) -> tuple[str, Counter[str]]:
    """Scrub one string. Counts are detections, also under 'keep' (the report shows them)."""
    new, _, counts = _scrub_text(text, strategy, types, seed)
    return new, counts


def _to_source(start: int, end: int, edits: list[Edit]) -> tuple[int, int]:
    """Move an output span back to original offsets; a boundary inside a replacement snaps
    outwards to the whole replaced original."""
    src_s, src_e, shift_s, shift_e = None, None, 0, 0
    for os_, oe, ns, ne in edits:
        if ns <= start < ne:
            src_s = os_
        elif ne <= start:
            shift_s += (ne - ns) - (oe - os_)
        if ns < end <= ne:
            src_e = oe
        elif ne < end:
            shift_e += (ne - ns) - (oe - os_)
    return (start - shift_s if src_s is None else src_s, end - shift_e if src_e is None else src_e)


def _map_span(start: int, end: int, edits: list[Edit]) -> tuple[int, int, bool]:
    """Move [start, end) through the edits; a boundary inside a replaced identifier snaps
    outwards to cover the whole replacement. Also says whether an edit straddles a boundary
    (an edit wholly inside the span, or the span itself, keeps it intact)."""
    shift_s = shift_e = 0
    new_s = new_e = None
    touched = False
    for os_, oe, ns, ne in edits:
        if oe <= start:
            shift_s += (ne - ns) - (oe - os_)
        elif os_ < start:
            new_s = ns
        if oe <= end:
            shift_e += (ne - ns) - (oe - os_)
        elif os_ < end:
            new_e = ne
        if os_ < start < oe or os_ < end < oe:
            touched = True
    return (
        start + shift_s if new_s is None else new_s,
        end + shift_e if new_e is None else new_e,
        touched,
    )


def _scrub_value(value: Any, scrubber: Scrubber, counts: Counter[str]) -> Any:
    if isinstance(value, str):
        new, _, c = scrubber.scrub(value)
        counts.update(c)
        return new
    if isinstance(value, dict):
        return {k: _scrub_value(v, scrubber, counts) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub_value(v, scrubber, counts) for v in value]
    return value


def scrub_example(
    example: dict[str, Any],
    strategy: str,
    types: Iterable[str],
    seed: int,
    scrubber: Scrubber | None = None,
) -> tuple[dict[str, Any], Counter[str]]:
    """Scrub every string field (recursively) except provenance, keeping offsets exact.

    ``scrubber`` (one per source document) overrides strategy/types/seed. Rules that keep
    spans valid:
    - qa: the context is scrubbed and ``answer_start``/``answer_end`` are moved through the
      edits; the answer becomes ``context[answer_start:answer_end]`` of the scrubbed context,
      so the invariant holds by construction. An answer that is (or contains) an identifier
      therefore gets the very same replacement (pseudonyms derive from the original value
      only); where an identifier straddles an answer boundary the answer grows to cover the
      whole replacement. A qa example whose span was already broken is scrubbed field by
      field and left for ``filter_examples`` to drop ('qa_span_mismatch').
    - ner / relation: entity offsets are moved through the edits of ``text``; an entity that
      is itself replaced (a name, a date) keeps its label with the replacement as its text;
      one that a replacement straddles is dropped, and so is a relation whose head or tail
      only named dropped entities. Head/tail strings are scrubbed like any other string.
    - ``source_spans`` point into the unscrubbed ``document_text`` in the lake and are kept.
    """
    scrubber = scrubber or Scrubber(strategy, tuple(types), seed)
    counts: Counter[str] = Counter()
    out = copy.deepcopy(example)
    kind = example_kind(example)
    handled: set[str] = set()

    ctx, s, e, ans = (example.get(k) for k in ("context", "answer_start", "answer_end", "answer"))
    if (
        kind == "qa"
        and isinstance(ctx, str)
        and isinstance(ans, str)
        and isinstance(s, int)
        and isinstance(e, int)
        and ctx[s:e] == ans
    ):
        new_ctx, edits, c = scrubber.scrub(ctx)
        counts.update(c)
        ns, ne, _ = _map_span(s, e, edits)
        out.update(context=new_ctx, answer_start=ns, answer_end=ne, answer=new_ctx[ns:ne])
        handled |= {"context", "answer_start", "answer_end", "answer"}

    text = example.get("text")
    if isinstance(text, str) and isinstance(example.get("entities"), list):
        new_text, edits, c = scrubber.scrub(text)
        counts.update(c)
        kept, dropped, kept_texts = [], [], set()
        for ent in example["entities"]:
            if not (isinstance(ent, dict) and isinstance(ent.get("start"), int) and isinstance(ent.get("end"), int)):
                kept.append(_scrub_value(ent, scrubber, counts))
                continue
            ns, ne, straddled = _map_span(ent["start"], ent["end"], edits)
            if straddled:
                dropped.append(ent.get("text"))
            else:
                kept.append({**copy.deepcopy(ent), "start": ns, "end": ne, "text": new_text[ns:ne]})
                kept_texts.add(ent.get("text"))
        out.update(text=new_text, entities=kept)
        handled |= {"text", "entities"}
        if isinstance(example.get("relations"), list) and dropped:
            gone = set(dropped) - kept_texts
            out["relations"] = [
                r
                for r in example["relations"]
                if not (isinstance(r, dict) and (r.get("head") in gone or r.get("tail") in gone))
            ]

    for key in out:
        if key in PROVENANCE_FIELDS or key in handled:
            continue
        out[key] = _scrub_value(out[key], scrubber, counts)
    if scrubber.changes_nothing:  # counted the same way, changed nothing (entities included)
        return copy.deepcopy(example), counts
    return out, counts
