"""Quality gate between generated examples and a dataset release.

Pipeline (``build_training_dataset``): scrub PII -> filter -> exact dedup -> splits ->
stamp the release -> group by kind. Every step is deterministic and counted, so a release can
be rebuilt byte for byte and its ``quality_report.json`` explains where every example went.

Examples are flat dicts: the record fields of their kind (see DESIGN.md) plus provenance
(``id``, ``kind``, ``source_documents``, ``source_spans``, ``generator``).
"""

from __future__ import annotations

import copy
import hashlib
import ipaddress
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from dataforge.lib.config import QualityConfig

KINDS: tuple[str, ...] = (
    "instruction",
    "qa",
    "summary",
    "conversation",
    "ner",
    "relation",
    "classification",
)
SPLITS: tuple[str, ...] = ("train", "validation", "test")
PII_TYPES: tuple[str, ...] = ("EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "SSN")
STRATEGIES: tuple[str, ...] = ("pseudonymize", "redact", "mask", "hash", "keep")

# Identifiers, not content: never scrubbed (doc ids must keep linking to the lake), never
# part of the dedup key.
PROVENANCE_FIELDS: frozenset[str] = frozenset(
    {"id", "kind", "source_documents", "source_spans", "generator", "release", "split"}
)

# Content fields per kind: what makes two examples "the same" for dedup.
CONTENT_FIELDS: dict[str, tuple[str, ...]] = {
    "instruction": ("instruction", "input", "output"),
    "qa": ("context", "question", "answer"),
    "summary": ("document", "summary", "summary_type"),
    "conversation": ("conversations",),
    "ner": ("text", "entities", "relations"),
    "relation": ("text", "entities", "relations"),
    "classification": ("text", "label"),
}
# Fields that must be non-empty for an example to be usable.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "instruction": ("instruction", "output"),
    "qa": ("context", "question", "answer"),
    "summary": ("document", "summary"),
    "conversation": ("conversations",),
    "ner": ("text",),
    "relation": ("text",),
    "classification": ("text", "label"),
}

Span = tuple[int, int, str]

# --------------------------------------------------------------------------- detectors

_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w@-])"
)
_PHONE_RE = re.compile(
    r"(?<![\w+.-])(?:"
    r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}"  # North American
    r"|\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}"  # international, needs the leading '+'
    r")(?![\w-]|\.\d)"
)
_CARD_RE = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
# Issuer prefixes and lengths (Visa, Mastercard incl. 2-series, Amex, Diners, JCB, Discover,
# UnionPay): Luhn alone flags one random digit run in ten (ISBNs, order numbers, IBAN tails).
_CARD_BRANDS: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = tuple(
    (re.compile(prefix), frozenset(lengths))
    for prefix, lengths in (
        (r"^4", (13, 16, 19)),
        (r"^(?:5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)", (16,)),
        (r"^3[47]", (15,)),
        (r"^(?:30[0-5]|3[68])", (14, 15, 16, 17, 18, 19)),
        (r"^(?:35|6011|64[4-9]|65|62)", (16, 17, 18, 19)),
    )
)


def _card_brand_ok(digits: str) -> bool:
    return any(p.match(digits) and len(digits) in lengths for p, lengths in _CARD_BRANDS)


_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,9}(?![A-Za-z0-9])")
# Lengths from the SWIFT IBAN registry: country code + length.
_IBAN_LENGTHS: dict[str, int] = {
    item[:2]: int(item[2:])
    for item in (
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 "
        "ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 "
        "LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 "
        "RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20"
    ).split()
}
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4_RE = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)")
_IPV6_CANDIDATE_RE = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")
# US SSN: area 000, 666 and 900-999, group 00 and serial 0000 are never issued.
_SSN_RE = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")

# Overlaps resolve leftmost-longest, then by this order.
_PRIORITY = {name: i for i, name in enumerate(("EMAIL", "IBAN", "CREDIT_CARD", "SSN", "IP_ADDRESS", "PHONE"))}


def luhn_valid(digits: str) -> bool:
    """Luhn checksum, the check digit every payment card number carries."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """ISO 13616 mod-97 check (plus the registry length where the country is known)."""
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    expected = _IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _token_ends(text: str, start: int, end: int, sep: str) -> list[int]:
    """Candidate end positions inside a greedy match, longest first (trim trailing groups)."""
    ends = [i for i in range(start + 1, end) if text[i] in sep and text[i - 1] not in sep]
    return [end, *reversed(ends)]


def _find_cards(text: str) -> Iterable[Span]:
    for m in _CARD_RE.finditer(text):
        for end in _token_ends(text, m.start(), m.end(), " -"):
            digits = re.sub(r"\D", "", text[m.start() : end])
            if _card_brand_ok(digits) and luhn_valid(digits):
                yield (m.start(), end, "CREDIT_CARD")
                break


def _find_ibans(text: str) -> Iterable[Span]:
    for m in _IBAN_RE.finditer(text):
        for end in _token_ends(text, m.start(), m.end(), " "):
            if iban_valid(text[m.start() : end].replace(" ", "")):
                yield (m.start(), end, "IBAN")
                break


def _find_phones(text: str) -> Iterable[Span]:
    for m in _PHONE_RE.finditer(text):
        n = len(re.sub(r"\D", "", m.group()))
        if (8 if m.group().startswith("+") else 10) <= n <= 15:
            yield (m.start(), m.end(), "PHONE")


def _find_ips(text: str) -> Iterable[Span]:
    for m in _IPV4_RE.finditer(text):
        yield (m.start(), m.end(), "IP_ADDRESS")
    for m in _IPV6_CANDIDATE_RE.finditer(text):
        cand = m.group().rstrip(".")
        if cand.endswith(":") and not cand.endswith("::"):
            cand = cand[:-1]
        end = m.start() + len(cand)
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):
            continue
        if not re.search(r"[0-9A-Fa-f]", cand):
            continue
        try:
            ipaddress.IPv6Address(cand)
        except ValueError:
            continue
        yield (m.start(), end, "IP_ADDRESS")


def _find_regex(pattern: re.Pattern[str], name: str) -> Callable[[str], Iterable[Span]]:
    return lambda text: ((m.start(), m.end(), name) for m in pattern.finditer(text))


_DETECTORS: dict[str, Callable[[str], Iterable[Span]]] = {
    "EMAIL": _find_regex(_EMAIL_RE, "EMAIL"),
    "PHONE": _find_phones,
    "CREDIT_CARD": _find_cards,
    "IBAN": _find_ibans,
    "IP_ADDRESS": _find_ips,
    "SSN": _find_regex(_SSN_RE, "SSN"),
}


def _check_types(types: Iterable[str]) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(t.upper() for t in types))
    unknown = [t for t in names if t not in _DETECTORS]
    if unknown:
        raise ValueError(f"unknown PII type(s) {unknown}; known: {list(PII_TYPES)}")
    return names


def find_pii(text: str, types: Iterable[str]) -> list[Span]:
    """Detect contact identifiers with regexes plus checksums; non-overlapping, sorted.

    Overlapping candidates resolve leftmost-longest (ties by type priority), so an IPv4 tail
    of an IPv6 address or a phone-looking piece of a card number is not reported twice.
    """
    candidates: list[Span] = []
    for name in _check_types(types):
        candidates.extend(_DETECTORS[name](text))
    candidates.sort(key=lambda s: (s[0], -(s[1] - s[0]), _PRIORITY[s[2]]))
    out: list[Span] = []
    for span in candidates:
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


# --------------------------------------------------------------------------- replacement


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


def _digest(seed: int, kind: str, value: str) -> str:
    return hashlib.sha256(f"{seed}:{kind}:{_normalized(value, kind)}".encode()).hexdigest()


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


def _pseudonym(value: str, kind: str, seed: int) -> str:
    """A fake of the same shape, never a usable identifier.

    Emails go to example.com, phones to the fictional 555-01xx range, IPs to documentation
    networks (RFC 5737 / RFC 3849), SSNs to area 000, IBANs get check digits 00 and card
    numbers a broken Luhn digit, so none can be a real one and none is re-detected as such.
    """
    h = _digest(seed, kind, value)
    n = int(h[:12], 16)
    if kind == "EMAIL":
        return f"user_{h[:8]}@example.com"
    if kind == "PHONE":
        return f"+1-{200 + n % 800}-555-01{(n // 800) % 100:02d}"
    if kind == "SSN":
        return f"000-{n % 100:02d}-{(n // 100) % 10000:04d}"
    if kind == "IP_ADDRESS":
        if ":" in value:
            return f"2001:db8::{h[:4]}:{h[4:8]}"
        net = ("192.0.2", "198.51.100", "203.0.113")[n % 3]
        return f"{net}.{(n // 3) % 254 + 1}"
    if kind == "CREDIT_CARD":
        fake = _fill(value, h)
        digits = re.sub(r"\D", "", fake)
        if luhn_valid(digits):  # bump the last digit: one changed digit always breaks Luhn
            last = max(i for i, ch in enumerate(fake) if ch.isdigit())
            fake = fake[:last] + str((int(fake[last]) + 1) % 10) + fake[last + 1 :]
        return fake
    if kind == "IBAN":
        return value[:2] + "00" + _fill(value[4:], h)
    return f"<{kind}:{h[:8]}>"


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


def _scrub_text(text: str, strategy: str, types: Sequence[str], seed: int) -> tuple[str, list[Edit], Counter[str]]:
    """Replace every detected identifier; also return the edits for offset remapping."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown PII strategy {strategy!r}; known: {list(STRATEGIES)}")
    counts: Counter[str] = Counter()
    spans = find_pii(text, types)
    if not spans:
        return text, [], counts
    parts: list[str] = []
    edits: list[Edit] = []
    pos = 0
    new_len = 0
    for start, end, kind in spans:
        counts[kind] += 1
        parts.append(text[pos:start])
        new_len += start - pos
        repl = _replacement(text[start:end], kind, strategy, seed)
        parts.append(repl)
        edits.append((start, end, new_len, new_len + len(repl)))
        new_len += len(repl)
        pos = end
    parts.append(text[pos:])
    return "".join(parts), edits, counts


def apply_pii(text: str, strategy: str, types: Iterable[str], seed: int) -> tuple[str, Counter[str]]:
    """Scrub one string. Counts are detections, also under 'keep' (the report shows them)."""
    new, _, counts = _scrub_text(text, strategy, _check_types(types), seed)
    return new, counts


def _map_span(start: int, end: int, edits: list[Edit]) -> tuple[int, int, bool]:
    """Move [start, end) through the edits; a boundary inside a replaced identifier snaps
    outwards to cover the whole replacement. Also says whether any edit touched the span."""
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
        if os_ < end and oe > start:
            touched = True
    return (
        start + shift_s if new_s is None else new_s,
        end + shift_e if new_e is None else new_e,
        touched,
    )


def _scrub_value(value: Any, strategy: str, types: Sequence[str], seed: int, counts: Counter[str]) -> Any:
    if isinstance(value, str):
        new, _, c = _scrub_text(value, strategy, types, seed)
        counts.update(c)
        return new
    if isinstance(value, dict):
        return {k: _scrub_value(v, strategy, types, seed, counts) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub_value(v, strategy, types, seed, counts) for v in value]
    return value


def scrub_example(
    example: dict[str, Any], strategy: str, types: Iterable[str], seed: int
) -> tuple[dict[str, Any], Counter[str]]:
    """Scrub every string field (recursively) except provenance, keeping offsets exact.

    Rules that keep spans valid:
    - qa: the context is scrubbed and ``answer_start``/``answer_end`` are moved through the
      edits; the answer becomes ``context[answer_start:answer_end]`` of the scrubbed context,
      so the invariant holds by construction. An answer that is (or contains) an identifier
      therefore gets the very same replacement (pseudonyms derive from the original value
      only); where an identifier straddles an answer boundary the answer grows to cover the
      whole replacement. A qa example whose span was already broken is scrubbed field by
      field and left for ``filter_examples`` to drop ('qa_span_mismatch').
    - ner / relation: entity offsets are moved through the edits of ``text``; an entity that
      overlaps a replaced identifier is dropped (its text no longer exists), and so is a
      relation whose head or tail only named dropped entities. Head/tail strings of the
      remaining relations are scrubbed like any other string.
    - ``source_spans`` point into the unscrubbed ``document_text`` in the lake and are kept.
    """
    kinds = _check_types(types)
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
        new_ctx, edits, c = _scrub_text(ctx, strategy, kinds, seed)
        counts.update(c)
        ns, ne, _ = _map_span(s, e, edits)
        out.update(context=new_ctx, answer_start=ns, answer_end=ne, answer=new_ctx[ns:ne])
        handled |= {"context", "answer_start", "answer_end", "answer"}

    text = example.get("text")
    if isinstance(text, str) and isinstance(example.get("entities"), list):
        new_text, edits, c = _scrub_text(text, strategy, kinds, seed)
        counts.update(c)
        kept, dropped = [], []
        for ent in example["entities"]:
            if not (isinstance(ent, dict) and isinstance(ent.get("start"), int) and isinstance(ent.get("end"), int)):
                kept.append(_scrub_value(ent, strategy, kinds, seed, counts))
                continue
            ns, ne, touched = _map_span(ent["start"], ent["end"], edits)
            if touched:
                dropped.append(ent.get("text"))
            else:
                kept.append({**copy.deepcopy(ent), "start": ns, "end": ne})
        out.update(text=new_text, entities=kept)
        handled |= {"text", "entities"}
        if isinstance(example.get("relations"), list) and dropped:
            kept_texts = {ent.get("text") for ent in kept if isinstance(ent, dict)}
            gone = set(dropped) - kept_texts
            out["relations"] = [
                r
                for r in example["relations"]
                if not (isinstance(r, dict) and (r.get("head") in gone or r.get("tail") in gone))
            ]

    for key in out:
        if key in PROVENANCE_FIELDS or key in handled:
            continue
        out[key] = _scrub_value(out[key], strategy, kinds, seed, counts)
    if strategy == "keep":  # counted the same way, changed nothing (entities included)
        return copy.deepcopy(example), counts
    return out, counts


# --------------------------------------------------------------------------- dedup & filters


def example_kind(example: dict[str, Any]) -> str:
    """The example's ``kind``, inferred from its fields when missing."""
    kind = example.get("kind")
    if isinstance(kind, str) and kind:
        return kind
    if "conversations" in example:
        return "conversation"
    if "question" in example and "context" in example:
        return "qa"
    if "instruction" in example:
        return "instruction"
    if "summary" in example and "document" in example:
        return "summary"
    if "entities" in example:
        return "relation" if example.get("relations") else "ner"
    if "label" in example and "text" in example:
        return "classification"
    return "unknown"


def _norm_content(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, dict):
        return {k: _norm_content(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_norm_content(v) for v in value]
    return value


def content_key(example: dict[str, Any]) -> str:
    """sha256 of the kind plus its normalized content fields (never id, provenance, metadata)."""
    kind = example_kind(example)
    fields = CONTENT_FIELDS.get(kind) or tuple(
        sorted(k for k in example if k not in PROVENANCE_FIELDS and k != "metadata")
    )
    payload = {"kind": kind, **{f: _norm_content(example.get(f)) for f in fields}}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def dedup_exact(examples: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Drop examples whose content matches an earlier one (case and whitespace ignored)."""
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    for ex in examples:
        key = content_key(ex)
        (removed if key in seen else kept).append(ex)
        seen.add(key)
    return kept, removed


def main_text(example: dict[str, Any]) -> str:
    """The text the length filters measure: what a model reads or writes for this example.

    instruction: instruction + input + output; conversation: all turns; qa: context;
    summary: document; ner / relation / classification: text.
    """
    kind = example_kind(example)

    def s(key: str) -> str:
        v = example.get(key)
        return v if isinstance(v, str) else ""

    if kind == "instruction":
        return "\n".join(p for p in (s("instruction"), s("input"), s("output")) if p)
    if kind == "conversation":
        turns = example.get("conversations") or []
        return "\n".join(str(t.get("content") or "") for t in turns if isinstance(t, dict))
    if kind == "qa":
        return s("context")
    if kind == "summary":
        return s("document")
    return s("text")


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def _filter_reason(example: dict[str, Any], cfg: QualityConfig) -> str | None:
    kind = example_kind(example)
    if kind not in KINDS:
        return "unknown_kind"
    if any(_is_empty(example.get(f)) for f in REQUIRED_FIELDS[kind]):
        return "empty_field"
    if kind == "conversation":
        turns = example["conversations"]
        if not isinstance(turns, list) or any(
            not isinstance(t, dict) or _is_empty(t.get("role")) or _is_empty(t.get("content")) for t in turns
        ):
            return "empty_field"
    if kind == "qa":
        s, e = example.get("answer_start"), example.get("answer_end")
        if not (isinstance(s, int) and isinstance(e, int)) or example["context"][s:e] != example["answer"]:
            return "qa_span_mismatch"
    n = len(main_text(example))
    if n < cfg.min_chars:
        return "too_short"
    if n > cfg.max_chars:
        return "too_long"
    return None


def _quality(config: Any) -> QualityConfig:
    return config.quality if hasattr(config, "quality") else config


def filter_examples(examples: list[dict[str, Any]], config: Any) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Keep usable examples; count removals by the first filter that fails.

    Filters, in order: unknown_kind, empty_field, qa_span_mismatch, too_short, too_long.
    ``config`` is a QualityConfig (or a DataforgeConfig, whose ``quality`` is used).
    """
    cfg = _quality(config)
    kept: list[dict[str, Any]] = []
    removed: Counter[str] = Counter()
    for ex in examples:
        reason = _filter_reason(ex, cfg)
        if reason:
            removed[reason] += 1
        else:
            kept.append(ex)
    return kept, removed


# --------------------------------------------------------------------------- splits


def split_of_document(doc_id: str, ratios: Sequence[float], seed: int) -> str:
    """Deterministic split of one document: a sha256(seed:doc_id) bucket in [0, 1)."""
    total = float(sum(ratios))
    if len(ratios) != 3 or total <= 0 or any(r < 0 for r in ratios):
        raise ValueError(f"split ratios must be three non-negative numbers, got {ratios!r}")
    bucket = int(hashlib.sha256(f"{seed}:{doc_id}".encode()).hexdigest()[:16], 16) / 2**64
    edge = 0.0
    for name, ratio in zip(SPLITS, ratios, strict=True):
        edge += ratio / total
        if bucket < edge:
            return name
    return next(name for name, r in reversed(list(zip(SPLITS, ratios, strict=True))) if r > 0)


def assign_splits(examples: list[dict[str, Any]], ratios: Sequence[float], seed: int) -> list[dict[str, Any]]:
    """Split by document so no document's text leaks across train/validation/test.

    An example from several documents takes the split of its sorted first doc id; one with
    no source document is keyed by its own id. Future work: cluster-aware splitting (documents
    sharing entities or a multi-hop example put together), since a multi-document example
    still leaks its other documents' text into that split.
    """
    out = []
    for ex in examples:
        docs = sorted(str(d) for d in ex.get("source_documents") or [])
        key = docs[0] if docs else f"example:{ex.get('id', content_key(ex))}"
        out.append({**ex, "split": split_of_document(key, ratios, seed)})
    return out


# --------------------------------------------------------------------------- pipeline


def _order_key(example: dict[str, Any]) -> tuple[str, str]:
    return (str(example.get("id", "")), json.dumps(example, sort_keys=True, ensure_ascii=False, default=str))


def build_training_dataset(
    examples: list[dict[str, Any]], release: str, config: Any, seed: int | None = None
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """scrub PII -> filter -> exact dedup -> splits -> release -> group by kind (sorted by id).

    ``config`` is a DataforgeConfig (its ``seed`` is used) or a QualityConfig with ``seed``
    given (default 13). Input is first sorted by (id, content), so 'keep the first duplicate'
    does not depend on the order partitions were loaded in. Returns the seven datasets (all
    keys present) and the quality report (plain counts, JSON-ready).
    """
    cfg = _quality(config)
    if seed is None:
        seed = getattr(config, "seed", 13)
    types = _check_types(cfg.pii_types)
    ordered = sorted(examples, key=_order_key)

    pii: Counter[str] = Counter()
    affected = 0
    scrubbed = []
    for ex in ordered:
        new, c = scrub_example(ex, cfg.pii_strategy, types, seed)
        if c:
            affected += 1
        pii.update(c)
        scrubbed.append(new)

    filtered, removed_by = filter_examples(scrubbed, cfg)
    deduped, dups = dedup_exact(filtered)
    split = assign_splits(deduped, cfg.split_ratios, seed)

    datasets: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for ex in split:
        kind = example_kind(ex)
        datasets[kind].append({**ex, "kind": kind, "release": release})
    for kind in KINDS:
        datasets[kind].sort(key=_order_key)

    def per_kind(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
        c = Counter(example_kind(r) for r in rows)
        return {k: c.get(k, 0) for k in KINDS}

    report = {
        "release": release,
        "seed": seed,
        "input": {"examples": len(examples), "by_kind": per_kind(examples)},
        "pii": {
            "strategy": cfg.pii_strategy,
            "types": list(types),
            "by_type": {t: pii.get(t, 0) for t in types},
            "total": sum(pii.values()),
            "examples_affected": affected,
        },
        "filters": {
            "in": len(scrubbed),
            "out": len(filtered),
            "removed": dict(sorted(removed_by.items())),
            "min_chars": cfg.min_chars,
            "max_chars": cfg.max_chars,
        },
        "dedup": {"in": len(filtered), "out": len(deduped), "removed": len(dups), "by_kind": per_kind(dups)},
        "splits": {
            "ratios": list(cfg.split_ratios),
            "by_kind": {k: {s: sum(1 for r in datasets[k] if r["split"] == s) for s in SPLITS} for k in KINDS},
            "documents": _split_documents(split),
        },
        "output": {"examples": sum(len(v) for v in datasets.values()), "by_kind": {k: len(datasets[k]) for k in KINDS}},
    }
    return datasets, report


def _split_documents(examples: list[dict[str, Any]]) -> dict[str, int]:
    """How many documents (by sorted first doc id) landed in each split."""
    by_split: dict[str, set[str]] = {s: set() for s in SPLITS}
    for ex in examples:
        docs = sorted(str(d) for d in ex.get("source_documents") or [])
        if docs:
            by_split[ex["split"]].add(docs[0])
    return {s: len(v) for s, v in by_split.items()}
