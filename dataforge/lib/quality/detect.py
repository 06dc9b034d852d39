"""PII detection: regexes plus checksums (Luhn, IBAN mod-97), street addresses and dates of
birth by pattern and cue, names from spaCy's PERSON entities, resolved to non-overlapping spans.

Nothing is exempt by its value: an address at example.org or a 555 number in a source is a
contact identifier like any other. Telling dataforge's own pseudonyms apart is the job of
``pii.is_pseudonym`` (a keyed marker), not of this detector, so the stage, the release check
and the export validator all run this one detector and that one recogniser.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from dataforge.lib.quality.schema import PII_TYPES, Span

_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w@-])"
)
_PHONE_RE = re.compile(
    r"(?<![\w+.-])(?:"
    r"(?:(?:\+?1|001)[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}"  # North American
    r"|(?:\+?1)?[2-9]\d\d[2-9]\d{6}"  # North American, digits only (valid area and exchange)
    r"|\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}"  # international, needs the leading '+'
    r")(?:,? ?(?:x|ext\.?|extension) ?\d{1,6})?"  # an extension belongs to the number, either kind
    r"(?![\w-]|\.\d)"
)
_CARD_RE = re.compile(r"(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-])")
# Issuer prefixes and lengths (Visa, Mastercard incl. 2-series, Amex, Diners, JCB, Discover,
# UnionPay, Maestro): Luhn alone flags one random digit run in ten (ISBNs, order numbers, IBAN tails).
_CARD_BRANDS: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = tuple(
    (re.compile(prefix), frozenset(lengths))
    for prefix, lengths in (
        (r"^4", (13, 16, 19)),
        (r"^(?:5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)", (16,)),
        (r"^3[47]", (15,)),
        (r"^(?:30[0-5]|3[68])", (14, 15, 16, 17, 18, 19)),
        (r"^(?:35|6011|64[4-9]|65|62)", (16, 17, 18, 19)),
        (r"^(?:2131|1800)", (15,)),  # legacy JCB
        (r"^(?:50[12]|5[6-8]|6[0-9]|0604)", (12, 13, 14, 15, 16, 17, 18, 19)),  # Maestro
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
_VERSION_CUE_RE = re.compile(r"(?:\bversion|\bver\.?|\brelease|\bv)\s*$", re.IGNORECASE)
_SSN_RE = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")

# USPS street suffixes (Publication 28, appendix C1), the common ones, with their abbreviations.
_SUFFIXES = (
    "Alley Annex Arcade Avenue Ave Bayou Beach Bend Bluffs? Bottom Boulevard Blvd Branch Bridge Brooks? Burgs? "
    "Bypass Camp Canyon Cape Causeway Centers? Circles? Cir Cliffs? Club Commons? Corners? Course Courts? Ct "
    "Coves? Creek Crescent Crest Crossing Crossroad Curve Dale Dam Divide Drives? Dr Estates? Expressway "
    "Extensions? Falls Ferry Fields? Flats? Fords? Forest Forges? Forks? Fort Freeway Gardens? Gateway Glens? "
    "Greens? Groves? Harbors? Haven Heights Highway Hwy Hills? Hollow Inlet Islands? Isle Junctions? Keys? "
    "Knolls? Lakes? Land Landing Lane Ln Lights? Loaf Locks? Lodge Loop Mall Manors? Meadows? Mews Mills? "
    "Mission Motorway Mount Mountains? Neck Orchard Oval Overpass Parks? Parkways? Pkwy Pass Passage Path Pike "
    "Pines? Place Pl Plains? Plaza Points? Ports? Prairie Radial Ramp Ranch Rapids? Rest Ridges? River Roads? "
    "Rd Route Row Rue Run Shoals? Shores? Skyway Springs? Spurs? Squares? Sq Station Stravenue Stream Streets? "
    "St Summit Terrace Ter Throughway Trace Track Trafficway Trail Trl Tunnel Turnpike Underpass Unions? "
    "Valleys? Viaduct Views? Villages? Ville Vista Walks? Wall Ways? Wells?"
).split()
_ADDRESS_RE = re.compile(
    r"(?<![\w.-])\d{1,6}[A-Z]?(?: (?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?)?"
    r"(?: [A-Z][A-Za-z'.-]*){1,4} (?:" + "|".join(_SUFFIXES) + r")\b\.?"
    r"(?:,? (?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Floor|Fl\.?|#) ?[A-Za-z0-9-]{1,6})?"
    r"(?:[,\n] ?(?:[A-Z][A-Za-z'.-]+ ){0,3}[A-Z][A-Za-z'.-]+, [A-Z]{2} \d{5}(?:-\d{4})?)?"
)
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Full calendar dates: 3 March 1985, March 3(rd), 1985, 1985-03-03, 03/03/1985, 3.3.1985.
DATE_RE = re.compile(
    rf"(?<![\w/.-])(?:\d{{1,2}}(?:st|nd|rd|th)? {_MONTHS},? \d{{4}}|{_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\.\d{1,2}\.\d{4})(?![\w/-]|\.\d)"
)
_BIRTH_CUE_RE = re.compile(r"(?:\bborn|\bbirth(?:day|date)?|\bD\.?O\.?B\b\.?)[^.\n]{0,24}$", re.IGNORECASE)
_TITLES = ("Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Sir", "Dame", "Dr", "Mr", "Mrs", "Ms", "Prof")

# Overlaps resolve leftmost-longest, then by this order.
_PRIORITY = {
    name: i
    for i, name in enumerate(
        ("EMAIL", "IBAN", "CREDIT_CARD", "SSN", "IP_ADDRESS", "PHONE", "ADDRESS", "DATE_OF_BIRTH", "PERSON")
    )
}


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
        # An extension is part of the span (it goes with the number), not of the digit count.
        number = re.sub(r",? ?(?:x|ext\.?|extension) ?\d{1,6}$", "", m.group())
        n = len(re.sub(r"\D", "", number))
        if (8 if number.startswith("+") else 10) <= n <= 15:
            yield (m.start(), m.end(), "PHONE")


def _find_ips(text: str) -> Iterable[Span]:
    for m in _IPV4_RE.finditer(text):
        if not _VERSION_CUE_RE.search(text, max(0, m.start() - 12), m.start()):  # "version 2.4.1.3"
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


def _find_dobs(text: str) -> Iterable[Span]:
    """A full date right after a birth cue ('born on', 'date of birth:', 'DOB')."""
    for m in DATE_RE.finditer(text):
        if _BIRTH_CUE_RE.search(text, max(0, m.start() - 40), m.start()):
            yield (m.start(), m.end(), "DATE_OF_BIRTH")


def person_spans(text: str, nlp: Any, doc: Any = None) -> list[Span]:
    """spaCy PERSON entities, without a leading title or a trailing possessive."""
    out: list[Span] = []
    for ent in (doc if doc is not None else nlp(text)).ents:
        if ent.label_ != "PERSON":
            continue
        start, end = ent.start_char, ent.end_char
        value = text[start:end]
        for title in _TITLES:
            if value.startswith(title + " "):
                start += len(title) + 1
                break
        if text[start:end].endswith(("'s", "’s")):
            end -= 2
        name = text[start:end]
        placeholder = re.search(r"\[[A-Z_]+\]|<[A-Z_]+:", text[max(0, start - 1) : end + 1])  # our own redactions
        if placeholder or not any(c.isupper() for c in name) or any(c.isdigit() or c == "\n" for c in name):
            continue
        if end > start:
            out.append((start, end, "PERSON"))
    return out


@lru_cache(maxsize=256)
def _known_pattern(known: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    values = sorted({(v, k) for v, k in known if v.strip()}, key=lambda vk: (-len(vk[0]), vk))
    if not values:
        return None, {}
    kinds = {v: k for v, k in reversed(values)}
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v, _ in values) + r")(?!\w)"), kinds


def find_known(text: str, known: Iterable[tuple[str, str]]) -> list[Span]:
    """Whole-token literal occurrences of known ``(value, type)`` pairs (may overlap)."""
    return list(_find_known(text, known))


def _find_known(text: str, known: Iterable[tuple[str, str]]) -> Iterable[Span]:
    """Literal occurrences of values already detected in the source document."""
    pattern, kinds = _known_pattern(tuple(known))
    if pattern is None:
        return
    for m in pattern.finditer(text):
        yield (m.start(), m.end(), kinds[m.group()])


def person_spans_batch(texts: Iterable[str], nlp: Any, batch_size: int = 64) -> dict[str, list[Span]]:
    """PERSON spans of many texts in one ``nlp.pipe`` run (named-entity recognizer only)."""
    unique = sorted(set(texts))
    keep = {"tok2vec", "ner", "transformer", "entity_ruler"}
    disable = [name for name in nlp.pipe_names if name not in keep]
    docs = nlp.pipe(unique, batch_size=batch_size, disable=disable)
    return {t: person_spans(t, nlp, doc) for t, doc in zip(unique, docs, strict=True)}


def _find_regex(pattern: re.Pattern[str], name: str) -> Callable[[str], Iterable[Span]]:
    return lambda text: ((m.start(), m.end(), name) for m in pattern.finditer(text))


_DETECTORS: dict[str, Callable[[str], Iterable[Span]]] = {
    "EMAIL": _find_regex(_EMAIL_RE, "EMAIL"),
    "PHONE": _find_phones,
    "CREDIT_CARD": _find_cards,
    "IBAN": _find_ibans,
    "IP_ADDRESS": _find_ips,
    "SSN": _find_regex(_SSN_RE, "SSN"),
    "ADDRESS": _find_regex(_ADDRESS_RE, "ADDRESS"),
    "DATE_OF_BIRTH": _find_dobs,
}


def _check_types(types: Iterable[str]) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(t.upper() for t in types))
    unknown = [t for t in names if t not in _DETECTORS and t != "PERSON"]
    if unknown:
        raise ValueError(f"unknown PII type(s) {unknown}; known: {list(PII_TYPES)}")
    return names


def find_pii(
    text: str,
    types: Iterable[str],
    nlp: Any = None,
    known: Iterable[tuple[str, str]] = (),
    persons: list[Span] | None = None,
) -> list[Span]:
    """Detect identifiers of the given types; non-overlapping, sorted.

    PERSON needs a spaCy pipeline (``nlp``; the default model is loaded when None). ``known``
    are ``(value, type)`` pairs found in the whole source document: their literal occurrences
    are reported too, since a snippet may lack the context (a 'born on' cue, a sentence that
    lets spaCy see a name) that gave them away. ``persons``: PERSON spans already computed
    (a batch ``nlp.pipe`` run), used instead of parsing the text again. Overlapping candidates resolve leftmost-longest
    (ties by type priority), so an IPv4 tail of an IPv6 address or a phone-looking piece of a
    card number is not reported twice.
    """
    names = _check_types(types)
    candidates: list[Span] = []
    for name in names:
        if name == "PERSON" and persons is not None:
            candidates.extend(persons)
        elif name == "PERSON":
            if nlp is None:
                from dataforge.lib.nlp import load_spacy

                nlp = load_spacy()
            candidates.extend(person_spans(text, nlp))
        else:
            candidates.extend(_DETECTORS[name](text))
    candidates.extend(s for s in _find_known(text, known) if s[2] in names)
    candidates.sort(key=lambda s: (s[0], -(s[1] - s[0]), _PRIORITY[s[2]]))
    out: list[Span] = []
    for span in candidates:
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out
