"""Sentence -> wh-question templates (aux inversion and do-support).

Rule based and conservative: when a sentence does not clearly fit (unknown verb, the
answer inside a subordinate clause, quotes, coordination), the functions return None
rather than an ungrammatical question.
"""

from __future__ import annotations

import re

from dataforge.lib.generate.lexicon import (
    PARTICIPLES,
    PAST_TO_LEMMA,
    PREPS,
    PRESENT_TO_LEMMA,
    SUBJECT_WH,
    VALUE_LABELS,
    place_institution,
)

__all__ = ["VALUE_LABELS", "invert", "join_question", "sentence_question", "tidy"]

_AUX = frozenset("is are was were will can could would should may might must".split())
_PERFECT = {"has": "does", "have": "do", "had": "did"}
_DETS = frozenset("the a an its their his her our this that these those my your".split())
_LOWER_STARTS = _DETS | frozenset("it they he she we there each every all some many most".split())
_DROP_STARTS = frozenset("but and so then also however meanwhile".split())
_INTRO_STARTS = PREPS | frozenset(
    "after before following when while earlier later last according despite amid although though because "
    "once unlike like throughout within across among along against around towards toward".split()
)
_ADVERBS = frozenset("also later since already now recently just never not first originally formally still".split())
_BLOCKERS = frozenset("and or but which who whom whose that where while when because although whereas".split())
_REL_WORDS = frozenset("who whom which that whose where when while".split())
_CUT = re.compile(
    r",\s+(?:and|but|while|which|where|who|whose|whereas|although|though|as|including|with|after|before|when)\b"
    r"|;|:\s|\s[-\u2013\u2014]\s|\s\("
)
_CUT_AND = re.compile(r"\s+and\s+(?=[a-z])")  # after the gap only: "...in 2019 and committed ..."
_PIED_PIPING = frozenset("with for to from by at on in into under about".split())
_NOT_NOUNS = PREPS | _BLOCKERS | _ADVERBS | frozenset("as than to".split())
_ORDINALS = frozenset("first second third fourth fifth last latest next final".split())
_QUOTES = re.compile(r"[\"\u201c\u201d]")


def tidy(question: str) -> str:
    q = re.sub(r"\s+", " ", question).strip()
    q = re.sub(r",(\s*,)+", ",", q)
    q = re.sub(r"\s+([,;:?])", r"\1", q)
    q = re.sub(r"[,;:]+\?", "?", q)
    q = re.sub(r"\s+\?", "?", q)
    return q[:1].upper() + q[1:] if q else q


def join_question(*parts: str) -> str:
    return tidy(" ".join(p.strip() for p in parts if p and p.strip(" ,")) + "?")


def _tokens(text: str) -> list[re.Match]:
    return list(re.finditer(r"\S+", text))


def _word(tok: re.Match) -> str:
    return tok.group().lower().strip(",.;:")


def _participle_like(w: str) -> bool:
    return w.endswith(("ed", "en", "ing")) or w in PARTICIPLES or w == "been"


def _verb_kind(w: str, following: list[str]) -> str | None:
    if w in _AUX:
        return "aux"
    if w in _PERFECT:
        nxt = next((f for f in following[:3] if f not in _ADVERBS), "")
        return "aux" if _participle_like(nxt) else "have"
    if w in PAST_TO_LEMMA:
        return "past"
    if w in PRESENT_TO_LEMMA:
        return "present"
    return None


def _plausible_subject(subject: str) -> bool:
    words = subject.split()
    if not words or len(words) > 7 or re.search(r"[()\[\]:;#*|]|\s[-\u2013\u2014]\s", subject):
        return False
    if words[0][:1].isdigit():
        return False
    lowered = [w.lower().strip(",") for w in words]
    if len(lowered) > 1 and lowered[1] in _ORDINALS and (len(lowered) == 2 or lowered[2] in PREPS):
        return False  # "His first in the dugout": an ordinal with no noun is no subject

    if lowered[0] in _INTRO_STARTS or lowered[0] in ("what", "why", "how") or any(w in _REL_WORDS for w in lowered):
        return False
    if any(w in ("and", "or", "&") for w in lowered):  # "Jane Doe and John Smith" only
        return all(w[:1].isupper() or w.lower() in ("and", "or", "&", "the") for w in words)
    return True


def _attached(toks: list[re.Match], i: int, kind: str, gap: int) -> bool:
    """Does the gap belong to the main clause (no subordinate clause or participle in between)?"""
    mid = [_word(t) for t in toks[i + 1 :] if t.end() <= gap]
    j = 0
    if kind == "aux":
        while j < len(mid) and mid[j] in _ADVERBS:
            j += 1
        j += 1 if j < len(mid) and _participle_like(mid[j]) else 0
    if any(t.group().endswith(",") for t in toks[i + 1 :] if t.end() <= gap):
        return False  # the gap sits in a comma-separated adjunct
    for w in mid[j:]:
        if w in _BLOCKERS or w in _AUX or w in _PERFECT:
            return False
        if len(w) > 4 and re.fullmatch(r"[a-z]+", w) and _participle_like(w):
            return False
        if w in PAST_TO_LEMMA or w in PRESENT_TO_LEMMA:
            return False
    return True


def _shift(clause: str, n: int, gap: int | None) -> tuple[str, int | None]:
    rest = clause[n:]
    lead = len(rest) - len(rest.lstrip(" ,\t\n"))
    return rest[lead:], (None if gap is None else gap - n - lead)


def invert(
    clause: str, wh: str, gap: int | None = None, verb_at_gap: bool = False, lower_first: bool | None = None
) -> str | None:
    """Turn a declarative clause into a wh-question.

    ``gap``: where the answer was removed; the main verb must come before it and the gap
    must belong to the main clause. ``verb_at_gap``: the answer was the verb's direct object.
    ``lower_first``: lower-case a capitalised first word (None: only pronouns/determiners).
    """
    clause, gap = _shift(clause, 0, gap)
    clause = clause.rstrip(" ,.!?;:\t\n")
    toks = _tokens(clause)
    if toks and _word(toks[0]) in _DROP_STARTS and len(toks) > 1:
        clause, gap = _shift(clause, toks[1].start(), gap)
        lower_first, toks = None, _tokens(clause)
    if toks and _word(toks[0]) in _INTRO_STARTS:
        comma = next((t for t in toks[:10] if t.group().endswith(",")), None)
        if comma is None:
            return None
        clause, gap = _shift(clause, comma.end(), gap)
        lower_first, toks = None, _tokens(clause)
    if len(toks) < 2 or (gap is not None and gap <= 0):
        return None
    first = toks[0].group()
    if first.lower() in _LOWER_STARTS or (lower_first and first[:1].isupper() and first[1:].islower()):
        clause = first.lower() + clause[len(first) :]
    for i in range(1, min(len(toks), 9)):
        w, prev = toks[i].group(), toks[i - 1].group().lower()
        if not re.fullmatch(r"[a-z]+", w) or prev in _DETS or prev.endswith(("'s", "\u2019s")):
            continue
        kind = _verb_kind(w, [_word(t) for t in toks[i + 1 : i + 4]])
        if kind == "past" and prev.endswith(",") and clause[: toks[i].start()].count(",") % 2 == 1:
            continue  # "Acme, founded in 1999, is ...": a participle in apposition, not the verb
        if kind is None:
            if len(w) > 4 and w.endswith(("ed", "ing")):
                return None  # an unknown verb: its base form would be a guess
            continue
        if gap is not None and (toks[i].end() > gap or (verb_at_gap and toks[i].end() != gap)):
            return None
        subject = re.sub(r",(\s*,)+", ",", clause[: toks[i].start()]).strip()
        if subject.endswith(",") and "," not in subject[:-1]:
            subject = subject[:-1]
        if not _plausible_subject(subject) or (gap is not None and not _attached(toks, i, kind, gap)):
            return None
        rest = clause[toks[i].end() :]
        if kind == "aux":
            return join_question(wh, w, subject, rest)
        if kind == "have":
            return join_question(wh, _PERFECT[w], subject, "have", rest)
        lemma = PAST_TO_LEMMA[w] if kind == "past" else PRESENT_TO_LEMMA[w]
        return join_question(wh, "did" if kind == "past" else "does", subject, lemma, rest)
    return None


def _cut(clause: str, after: int, coordination: bool = False) -> str:
    ends = [m.start() for m in [_CUT.search(clause, max(after, 0))] if m]
    if coordination:
        ends += [m.start() for m in [_CUT_AND.search(clause, max(after, 0))] if m]
    return clause[: min(ends)] if ends else clause


def sentence_question(
    sentence: str, start: int, end: int, label: str, lower_first: bool | None = None
) -> tuple[str, str] | None:
    """A wh-question whose answer is ``sentence[start:end]``, and its question type."""
    before, after = sentence[:start], sentence[end:]
    if _QUOTES.search(sentence) or re.search(r"\n\s*[A-Z]", sentence[start:end]) or sentence.rstrip().endswith("?"):
        return None
    if (before and not before[-1].isspace()) or (after and not re.match(r"[\s.,;!?)]", after)):
        return None
    at_end = after.strip() in ("", ".", "!", "?", ";")
    if not before.strip():
        return _subject_question(after, label, lower_first)
    pm = re.search(r"(\S+)\s*$", before)
    prev = pm.group(1).lower() if pm else ""
    has_prep = prev in PREPS
    without_prep = before[: pm.start(1)] if (pm and has_prep) else before
    if after.lstrip().startswith(("(", "'", "\u2019")) or before.lower().rstrip().endswith("according to"):
        return None
    if without_prep.strip() and re.match(r",\s+(the\s+)?[A-Z0-9]", after):
        return None  # "in Berlin, Germany": an apposition would be left dangling
    if prev in ("and", "or", "nor", "between") or re.match(r"\s+(and|or|nor)\s+(the\s+)?[A-Z0-9$\u20ac\u00a3]", after):
        return None  # coordinated: removing one conjunct breaks the clause
    keep_prep, verb_at_gap = False, False
    if label in ("DATE", "TIME"):
        qtype = "when"
        if prev in ("in", "on", "at", "during"):
            wh = "When"
        elif prev in ("since", "until"):
            wh = prev.capitalize() + " when"
        elif not has_prep and at_end and re.fullmatch(r"[a-z]+", prev) and prev not in _DETS:
            wh = "When"
        else:
            return None
    elif (label in ("GPE", "LOC", "FAC") and prev in ("in", "at", "near")) or (
        has_prep and at_end and place_institution(label, prev, sentence[start:end])
    ):
        wh, qtype = "Where", "where"
    elif label in ("MONEY", "PERCENT", "QUANTITY"):
        qtype = "how_much"
        if re.match(r"\s+of\b", after):
            return None  # "187 tons of supplies": the amount of a noun, not "How much did India deliver of supplies?"
        if prev == "by":
            wh = "By how much"
        elif prev == "for":
            wh, keep_prep = "How much", True
        elif not has_prep:
            wh, verb_at_gap = "How much", True
        else:
            return None
    elif label == "CARDINAL":
        nm = re.match(r"\s+([a-z]+s|people|staff|children|men|women)\b", after)
        if not nm or (has_prep and prev not in ("with", "by")):
            return None
        after = after[nm.end() :]
        wh = (prev.capitalize() + " how many " if has_prep else "How many ") + nm.group(1)
        qtype, verb_at_gap = "how_many", not has_prep
    elif label in SUBJECT_WH:
        modified = re.match(r"\s+([a-z]+)\b", after)
        if modified and modified.group(1) not in _NOT_NOUNS and _verb_kind(modified.group(1), []) is None:
            return None  # "the Irish culture": the name modifies a noun, no question about it alone
        wh = SUBJECT_WH[label]
        qtype = "who" if label == "PERSON" else "which"
        keep_prep, verb_at_gap = has_prep and at_end, not has_prep
        nxt = re.match(r"\s+([a-z]+)\b", after)
        if verb_at_gap and nxt and _verb_kind(nxt.group(1), []) is not None:
            return None  # "says Ostrea remains funded": the name is a subject, not an object
        if has_prep and (not at_end or not without_prep.strip()):
            if prev not in _PIED_PIPING or not without_prep.strip():
                return None
            wh = prev.capitalize() + " " + ("whom" if label == "PERSON" else wh.lower())
    else:
        return None
    head = before if keep_prep else without_prep
    if head.strip().lower() in PREPS:
        return None
    if not head.strip():
        clause = after.lstrip(" ,")
        question = invert(_cut(clause, 0), wh, None, False, None)
    else:
        clause = head.rstrip() + " " + after.lstrip()
        gap = len(head.rstrip())
        question = invert(_cut(clause, gap, True), wh, gap, verb_at_gap, lower_first)
    return (question, qtype) if question else None


def _subject_question(after: str, label: str, lower_first: bool | None) -> tuple[str, str] | None:
    if label in ("DATE", "TIME") and after.startswith(","):
        q = invert(_cut(after[1:], 0), "When", None, False, lower_first)
        return (q, "when") if q else None
    if label not in SUBJECT_WH:
        return None
    m = re.match(r"\s+([a-z]+)\b", after)
    if not m or after.rstrip().endswith("?"):
        return None
    verb = m.group(1)
    known = verb in _AUX or verb in _PERFECT or verb in PAST_TO_LEMMA or verb in PRESENT_TO_LEMMA
    if not known and not (verb.endswith("ed") and len(verb) > 3):
        return None
    rest = _cut(after, 0)
    rest = rest[: m.start()] if (m := re.search(r"\s+and\s+(?=[A-Z])", rest)) else rest
    rest = rest.strip().rstrip(".!?;:").strip()
    if len(rest.split()) < 2:
        return None
    return join_question(SUBJECT_WH[label], rest), ("who" if label == "PERSON" else "which")
