"""PII detection: regexes plus checksums (Luhn, IBAN mod-97), resolved to non-overlapping spans."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable

from dataforge.lib.quality.schema import PII_TYPES, Span

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
