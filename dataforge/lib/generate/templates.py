"""Question templates: a little verb morphology and sentence -> wh-question.

Rule based and conservative: when a sentence does not fit a template, the functions
return None rather than an ungrammatical question.
"""

from __future__ import annotations

import re

VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
SUBJECT_WH = {
    "PERSON": "Who",
    "ORG": "Which organization",
    "GPE": "Which place",
    "LOC": "Which place",
    "FAC": "Which facility",
    "NORP": "Which group",
    "PRODUCT": "Which product",
    "EVENT": "Which event",
    "WORK_OF_ART": "Which work",
    "LAW": "Which law",
    "LANGUAGE": "Which language",
}
LABEL_NOUN = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "facility",
    "NORP": "group",
    "PRODUCT": "product",
    "EVENT": "event",
    "WORK_OF_ART": "work",
    "LAW": "law",
    "LANGUAGE": "language",
}

VERBS = frozenset(
    """acquire announce appoint approve award build buy close complete create declare deliver
    design develop discover earn elect employ end establish expand file finish form found fund
    grow head hire hold introduce invent invest issue join launch lead leave list lose make
    manage merge meet move name negotiate obtain open operate order organize own partner pay
    plan produce propose publish purchase raise reach receive record reduce release relocate
    rename replace report resign retire return run sell serve sign sponsor start study succeed
    sue support take train unveil visit vote win work write become begin marry die teach license
    attend collaborate compete enter oversee ship deploy generate double post spend cut
    acquire expand host found""".split()
)
_IRREGULAR = {
    "become": "became",
    "begin": "began",
    "build": "built",
    "buy": "bought",
    "grow": "grew",
    "hold": "held",
    "lead": "led",
    "leave": "left",
    "lose": "lost",
    "make": "made",
    "meet": "met",
    "pay": "paid",
    "run": "ran",
    "sell": "sold",
    "take": "took",
    "teach": "taught",
    "win": "won",
    "write": "wrote",
    "oversee": "oversaw",
    "spend": "spent",
    "cut": "cut",
}
_DOUBLE = frozenset({"plan", "ban", "stop", "drop", "admit", "commit", "submit", "control", "ship"})
PREPS = frozenset("of in on at by for with from to into near since until during under over about".split())
_AUX = frozenset("is are was were will can could would should may might must".split())
_PERFECT = {"has": "does", "have": "do", "had": "did"}
_DETS = frozenset("the a an its their his her our this that these those my your".split())
_LOWER_STARTS = _DETS | frozenset("it they he she we there each every all some many most".split())
_DROP_STARTS = frozenset("but and so then also however meanwhile".split())
_INTRO_STARTS = PREPS | frozenset("after before following when while earlier later last".split())


def past(lemma: str) -> str:
    words = lemma.split()
    w = words[0]
    if w in _IRREGULAR:
        p = _IRREGULAR[w]
    elif w in _DOUBLE:
        p = w + w[-1] + "ed"
    elif w.endswith("e"):
        p = w + "d"
    elif re.search(r"[^aeiou]y$", w):
        p = w[:-1] + "ied"
    else:
        p = w + "ed"
    return " ".join([p, *words[1:]])


def third_person(lemma: str) -> str:
    w = lemma
    if re.search(r"(s|sh|ch|x|z|o)$", w):
        return w + "es"
    if re.search(r"[^aeiou]y$", w):
        return w[:-1] + "ies"
    return w + "s"


_PAST_TO_LEMMA = {past(v): v for v in VERBS}
_PRESENT_TO_LEMMA = {third_person(v): v for v in VERBS}


def tidy(question: str) -> str:
    q = re.sub(r"\s+", " ", question).strip()
    q = re.sub(r",(\s*,)+", ",", q)
    q = re.sub(r"\s+([,;:?])", r"\1", q)
    q = re.sub(r"[,;:]+\?", "?", q)
    q = re.sub(r"\(\s*\)", "", q)
    q = re.sub(r"\s+\?", "?", q)
    return q[:1].upper() + q[1:] if q else q


def join_question(*parts: str) -> str:
    return tidy(" ".join(p.strip() for p in parts if p and p.strip(" ,")) + "?")


def invert(clause: str, wh: str, verb_end: int | None = None, lower_first: bool | None = None) -> str | None:
    """Turn a declarative clause into a wh-question (aux inversion or do-support).

    ``verb_end``: when given, the main verb must end exactly there (direct objects).
    ``lower_first``: lower-case a capitalised first word (None: only pronouns/determiners).
    """
    lead = len(clause) - len(clause.lstrip(" ,\t\n"))
    clause = clause.strip(" ,\t\n").rstrip(".!?;:").strip(" ,\t\n")
    verb_end = None if verb_end is None else verb_end - lead
    toks = list(re.finditer(r"\S+", clause))
    if toks and toks[0].group().lower().strip(",") in _DROP_STARTS:
        clause, verb_end = _shift(clause, toks[1].start() if len(toks) > 1 else len(clause), verb_end)
        lower_first = None
        toks = list(re.finditer(r"\S+", clause))
    if toks and toks[0].group().lower() in _INTRO_STARTS:
        comma = next((t for t in toks[:10] if t.group().endswith(",")), None)
        if comma is not None:
            clause, verb_end = _shift(clause, comma.end(), verb_end)
            lower_first = None
            toks = list(re.finditer(r"\S+", clause))
    if verb_end is not None and verb_end <= 0:
        return None
    if len(toks) < 2:
        return None
    first = toks[0].group()
    if first.lower() in _LOWER_STARTS or (lower_first and first[:1].isupper() and first[1:].islower()):
        clause = first.lower() + clause[len(first) :]
    for i in range(1, min(len(toks), 12)):
        w = toks[i].group()
        prev = toks[i - 1].group().lower()
        if not re.fullmatch(r"[a-z]+", w) or prev in _DETS or prev.endswith(("'s", "\u2019s")):
            continue
        kind = _verb_kind(w, toks[i + 1].group().lower() if i + 1 < len(toks) else "")
        if kind is None:
            continue
        if verb_end is not None and toks[i].end() != verb_end:
            return None
        subject = re.sub(r",(\s*,)+", ",", clause[: toks[i].start()]).strip()
        if subject.endswith(",") and "," not in subject[:-1]:
            subject = subject[:-1]
        rest = clause[toks[i].end() :]
        if kind == "aux":
            return join_question(wh, w, subject, rest)
        if kind == "have":
            return join_question(wh, _PERFECT[w], subject, "have", rest)
        if kind == "past":
            return join_question(wh, "did", subject, _PAST_TO_LEMMA[w], rest)
        if kind == "present":
            return join_question(wh, "does", subject, _PRESENT_TO_LEMMA[w], rest)
        return join_question(wh, "was it that", clause)
    return None


def _shift(clause: str, n: int, verb_end: int | None) -> tuple[str, int | None]:
    rest = clause[n:]
    lead = len(rest) - len(rest.lstrip())
    return rest.lstrip(), (None if verb_end is None else verb_end - n - lead)


def _verb_kind(w: str, nxt: str) -> str | None:
    if w in _AUX:
        return "aux"
    if w in _PERFECT:
        participle = nxt.endswith(("ed", "en")) or nxt in _IRREGULAR.values() or nxt == "been"
        return "aux" if participle else "have"
    if w in _PAST_TO_LEMMA:
        return "past"
    if w in _PRESENT_TO_LEMMA:
        return "present"
    if w.endswith("ed") and len(w) > 4:
        return "unknown_past"
    return None


def sentence_question(
    sentence: str, start: int, end: int, label: str, lower_first: bool | None = None
) -> tuple[str, str] | None:
    """A wh-question whose answer is ``sentence[start:end]`` and its question type."""
    before, after = sentence[:start], sentence[end:]
    if (before and not before[-1].isspace()) or (after and not re.match(r"[\s.,;!?)]", after)):
        return None
    tail = after.strip()
    at_end = tail in ("", ".", "!", "?", ";")
    if not before.strip():
        return _subject_question(after, label, lower_first)
    pm = re.search(r"(\S+)\s*$", before)
    prev = pm.group(1).lower() if pm else ""
    has_prep = prev in PREPS
    without_prep = before[: pm.start(1)] if (pm and has_prep) else before
    if after.lstrip().startswith(("(", "'", "\u2019")):
        return None
    if without_prep.strip() and re.match(r",\s+[A-Z0-9]", after):
        return None
    if prev in ("and", "or", "nor", "between") or re.match(r"\s+(and|or|nor)\b", after):
        return None  # coordinated: removing one conjunct breaks the clause
    keep_prep, verb_check = False, False
    if label in ("DATE", "TIME"):
        if prev in ("in", "on", "at", "during"):
            wh = "When"
        elif prev in ("since", "until"):
            wh = prev.capitalize() + " when"
        elif not has_prep and at_end and prev not in _DETS and not prev.endswith("'s"):
            wh = "When"
        else:
            return None
        qtype = "when"
    elif label in ("GPE", "LOC", "FAC") and prev in ("in", "at", "near"):
        wh, qtype = "Where", "where"
    elif label in ("MONEY", "PERCENT", "QUANTITY"):
        qtype = "how_much"
        if prev == "by":
            wh = "By how much"
        elif prev == "for":
            wh, keep_prep = "How much", True
        elif not has_prep:
            wh, verb_check = "How much", True
        else:
            return None
    elif label == "CARDINAL":
        nm = re.match(r"\s+([a-z]+s|people|staff|children|men|women)\b", after)
        if not nm or (has_prep and prev not in ("with", "by")):
            return None
        after = after[nm.end() :]
        wh = ("" if not has_prep else prev.capitalize() + " ") + f"how many {nm.group(1)}"
        wh, qtype, verb_check = wh[:1].upper() + wh[1:], "how_many", not has_prep
    elif label in SUBJECT_WH:
        wh = SUBJECT_WH[label]
        qtype = "who" if label == "PERSON" else "which"
        keep_prep, verb_check = has_prep and at_end, not has_prep
        if has_prep and not at_end:
            if prev == "of":
                return None
            wh = prev.capitalize() + " " + ("whom" if label == "PERSON" else wh.lower())
        if not has_prep and not at_end and not re.match(r"\s+[a-z]+\b", after):
            return None
    else:
        return None
    head = before if keep_prep else without_prep
    if head.strip().lower() in PREPS:
        return None
    if not head.strip():
        clause, verb_end, lower_first = after.lstrip(" ,"), None, None
    else:
        clause = head.rstrip() + " " + after.lstrip()
        verb_end = len(head.rstrip()) if verb_check else None
    question = invert(clause, wh, verb_end, lower_first)
    return (question, qtype) if question else None


def _subject_question(after: str, label: str, lower_first: bool | None) -> tuple[str, str] | None:
    if label in ("DATE", "TIME") and after.startswith(","):
        q = invert(after[1:], "When", None, lower_first)
        return (q, "when") if q else None
    if label not in SUBJECT_WH:
        return None
    m = re.match(r"\s+([a-z]+)\b", after)
    if not m or m.group(1) in ("and", "or", "nor", "of", "who", "which", "that"):
        return None
    rest = after.strip().rstrip(".!?;:").strip()
    if len(rest.split()) < 2:
        return None
    return join_question(SUBJECT_WH[label], rest), ("who" if label == "PERSON" else "which")
