"""Sentence windows whose schema relations are all extracted: the unit of relation examples.

A chunk lists a few triples out of many a reader sees, so a chunk-level target is incomplete.
A single sentence is small enough to check: it is a *complete window* only when
- it states at least one fact (a typed, asserted schema relation between two named mentions);
- every relation cue in it ("acquired", "chief executive", "founded", "(NSEI)" ...) is
  accounted for by a fact of a relation that cue can express, and every fact's relation has its
  cue in the sentence (no "find" or mistyped fact without the words that say it);
- coordination is complete: when an argument is coordinated with another name of its type
  ("founded by Jane Doe and Tom Lee"), the conjunct carries the same fact;
- adjacent names linked by "of", "in", ", " or "'s" ("Okafor of NSEI", "Rotterdam, the
  Netherlands", "Northwind's Maasvlakte demonstrator") have a fact linking the two;
- every argument is a full name (``argument``): no lower-case word, no markup, a person by more
  than a surname.
Anything else is left out: precision over volume, since an incomplete target teaches a model
to miss relations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dataforge.lib._structure_patterns import _DATELINE
from dataforge.lib.generate.common import DocContext, is_prose
from dataforge.lib.relation_schema import is_fact
from dataforge.lib.relation_text import ASKABLE_IN_DOCUMENT, question

MAX_WINDOW_WORDS = 60

# relation cue -> the schema relations that cue can express (any one of them accounts for it)
_CUES: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (re.compile(p, re.I), frozenset(r.split()))
    for p, r in (
        (r"\b(acquir\w*|bought|buys?|buying|purchas\w*|took over|takes? over|taking over|takeover)\b", "acquired"),
        (r"\b(co-?)?found(ed|er|ers|ing)\b|\bestablish(ed)?\b", "founded_by"),
        (r"\b(chief executive|ceo|managing director)\b", "ceo_of employee_of"),
        (r"\bchair(man|woman|person)?\b", "chair_of employee_of member_of"),
        (r"\bpresident\b", "president_of employee_of"),
        (r"\b(leader|leads|led|heads?|headed)\b", "leader_of"),
        (r"\bspokes(man|woman|person)\b", "spokesperson_of"),
        (r"\bheadquarter\w*|\bbased\b", "headquartered_in"),
        (r"\blocated\b", "located_in"),
        (r"\bborn\b", "born_in"),
        (r"\b(subsidiary|subsidiaries|unit|division|owned by|parent)\b", "subsidiary_of owns"),
        (r"\b(owns|owned|owner|stakes?)\b", "owns subsidiary_of invested_in"),
        (r"\binvest\w*\b", "invested_in"),
        (r"\bpartner\w*\b|\bteam(ed)? (up )?with\b|\bcollaborat\w*", "partner_of employee_of"),
        (r"\bsuppl(y|ies|ied|ier|iers)\b", "supplier_of"),
        (r"\b(beat|beats|beaten|defeat\w*)\b", "defeated"),
        (r"\b(member|members|joined|joins|plays for|played for|signed for)\b", "member_of employee_of"),
        (r"\b(works? for|worked for|works? at|employ\w*|hired)\b", "employee_of"),
        (
            r"\b(analyst|economist|engineer|director|manager|officer|executive|minister|secretary)\b",
            "employee_of ceo_of chair_of president_of leader_of member_of",
        ),
        (r"\(\s*[A-Z][A-Za-z&.]{1,9}\s*\)|\balso known as\b", "alias_of"),
    )
]
_OF_LINK = re.compile(r"^\s*,?\s*(of|from|at)\s+(the\s+)?$")
_COORD = re.compile(r"^\s*(,\s*(and\s+|or\s+)?|and\s+|or\s+|&\s+)$")
_ARG_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART"})


@dataclass(frozen=True)
class Triple:
    head: dict[str, Any]
    relation: str
    tail: dict[str, Any]
    predicate: str
    confidence: float = 0.0


@dataclass(frozen=True)
class Window:
    start: int
    end: int
    triples: tuple[Triple, ...]


_TITLES = frozenset(
    "Mr Mrs Ms Dr Sir Chairman Chairwoman President Minister Chief Director Senator General Coach".split()
)


def argument(ctx: DocContext, m: dict[str, Any]) -> dict[str, Any] | None:
    """The mention as a relation argument: its full name, or None when the text gives none.

    "the North Sea Energy Institute" loses its article; a surname the NER split from its first
    name ("Anders [Lindqvist]") gets it back; a bare surname, a lower-case word or markup is no name.
    """
    text, start, end = str(m["text"]), int(m["start"]), int(m["end"])
    article = text.lower().startswith("the ")
    if article:
        text, start = text[4:], start + 4
    if m["label"] == "PERSON" and len(text.split()) == 1:
        first = re.search(r"\b([A-Z][a-z]+) $", ctx.text[max(0, start - 20) : start])
        if first and first.group(1) not in _TITLES and not ctx.mentions_within(start - len(first.group(0)), start):
            text, start = first.group(1) + " " + text, start - len(first.group(0))
    if m["label"] not in _ARG_LABELS or re.search(r"[#|*_\[\]{}<>/]|\n\s*\n", text) or not text[:1].isupper():
        return None
    if any(w[:1].islower() and w not in ("of", "and", "the", "for", "de", "van", "von", "la") for w in text.split()):
        return None
    if m["label"] == "PERSON" and len(text.split()) < 2:
        return None
    assert ctx.text[start:end] == text
    return {**m, "text": text, "start": start, "end": end, "article": article}


def _number(r: dict[str, Any]) -> float:
    try:
        value = float(r.get("confidence") or 0.0)
    except (TypeError, ValueError):
        return 0.0
    return round(value, 4) if value == value and abs(value) != float("inf") else 0.0


def _facts(ctx: DocContext, start: int, end: int) -> list[Triple]:
    out: dict[tuple, Triple] = {}
    for r in ctx.relations_within(start, end):
        if (r.get("kind") or "typed") != "typed" or not is_fact(r):
            continue
        head, tail = ctx.mention_by_id[str(r["head_mention_id"])], ctx.mention_by_id[str(r["tail_mention_id"])]
        key = (head["start"], str(r["relation"]), tail["start"])
        out.setdefault(
            key, Triple(head, str(r["relation"]), tail, str(r.get("predicate") or r["relation"]), _number(r))
        )
    return list(out.values())


def _cues_accounted(sentence: str, relations: set[str]) -> bool:
    """Every cue is accounted for by a fact, and every fact's relation has a cue (or an "of" link)."""
    cued: set[str] = set()
    for pattern, names in _CUES:
        if pattern.search(sentence):
            if not names & relations:
                return False
            cued |= names
    return all(r in cued or r in ("affiliated_with", "located_in") for r in relations)


def cued(relation: str, sentence: str) -> bool:
    """Does the sentence hold a word that can express the relation? ("acquired" for acquired)."""
    if relation in ("affiliated_with", "located_in"):
        return True  # stated by "of" / "in" alone
    return any(relation in names and pattern.search(sentence) for pattern, names in _CUES)


def stated_facts(ctx: DocContext, start: int, end: int) -> list[Triple]:
    """The sentence's facts that read as stated: the relation's cue present, full-name arguments.

    Looser than ``complete_window`` (the sentence may state more): for questions about one fact.
    """
    start = _skip_dateline(ctx, start, end)
    sentence = ctx.text[start:end]
    if not is_prose(sentence) or "\n\n" in sentence.strip():
        return []
    out = []
    for t in _facts(ctx, start, end):
        head, tail = argument(ctx, t.head), argument(ctx, t.tail)
        if head is not None and tail is not None and cued(t.relation, sentence):
            out.append(Triple(head, t.relation, tail, t.predicate, t.confidence))
    return out


def _coordination_complete(ctx: DocContext, triples: list[Triple], mentions: list[dict[str, Any]]) -> bool:
    """Each argument's coordinated neighbours of its type carry the same fact."""
    have = {(t.head["start"], t.relation, t.tail["start"]) for t in triples}
    ordered = sorted(mentions, key=lambda m: m["start"])
    for t in triples:
        for end, arg in (("head", t.head), ("tail", t.tail)):
            i = next((k for k, m in enumerate(ordered) if m["start"] == arg["start"]), None)
            if i is None:
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(ordered):  # any label: the NER may type one conjunct wrongly
                    continue
                a, b = sorted((ordered[j], arg), key=lambda m: m["start"])
                if not _COORD.match(ctx.text[a["end"] : b["start"]]):
                    continue
                other = ordered[j]["start"]
                key = (other, t.relation, t.tail["start"]) if end == "head" else (t.head["start"], t.relation, other)
                if key not in have:
                    return False
    return True


_ROLE = (
    r"(?:director|chairman|chairwoman|chair|chief executive|president|manager|coach|owner|founder|"
    r"spokes(?:man|woman|person)|editor|minister|secretary|captain|boss|executive|officer)"
)
_ROLE_ADJ = r"(?:former|new|acting|interim|deputy|chief|senior)"
# adjacent names whose link states a relation: (left labels, right labels, text between)
_LINKS = (
    ({"PERSON"}, {"ORG", "GPE", "NORP"}, re.compile(r"^\s*,?\s*(of|from|at)\s+(the\s+)?$")),  # "Okafor of NSEI"
    ({"ORG", "FAC"}, {"GPE", "LOC"}, re.compile(r"^\s*,?\s*(of|in)\s+$")),  # "Ardent Research in Paris"
    ({"GPE", "FAC", "LOC"}, {"GPE", "LOC"}, re.compile(r"^\s*,\s*(the\s+)?$")),  # "Rotterdam, the Netherlands"
    (
        {"ORG", "PERSON", "GPE"},
        {"ORG", "FAC", "PRODUCT"},
        re.compile(r"^\s*['\u2019]s?\s+$"),
    ),  # "Northwind's Maasvlakte"
    (
        {"ORG", "GPE"},
        {"PERSON"},
        re.compile(
            rf"^\s*(?:['\u2019]s?\s+)?(?:(?:former|new|acting|interim|deputy|chief|senior)\s+)*{_ROLE}\s+$", re.I
        ),
    ),  # "former Manchester United director Maurice Watkins"
)


def _links_covered(ctx: DocContext, triples: list[Triple], mentions: list[dict[str, Any]]) -> bool:
    """Two adjacent names joined by "of", "in", ", " or "'s" need a fact between them."""
    linked = {frozenset((t.head["start"], t.tail["start"])) for t in triples}
    ordered = sorted(mentions, key=lambda m: m["start"])
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a["end"] > b["start"] or frozenset((a["start"], b["start"])) in linked:
            continue
        between = ctx.text[a["end"] : b["start"]]
        if any(a["label"] in left and b["label"] in right and p.match(between) for left, right, p in _LINKS):
            return False
    return True


def _skip_dateline(ctx: DocContext, start: int, end: int) -> int:
    """Past a news dateline glued to the sentence ("GENEVA 1996-08-30 UEFA came down ...")."""
    found = _DATELINE.match(ctx.text[start:end])
    return start + found.end() if found else start


def complete_window(ctx: DocContext, start: int, end: int) -> Window | None:
    """The sentence text[start:end] with its facts when it is a complete window, else None."""
    start = _skip_dateline(ctx, start, end)
    sentence = ctx.text[start:end]
    if not is_prose(sentence) or len(sentence.split()) > MAX_WINDOW_WORDS or "\n\n" in sentence.strip():
        return None
    triples = _facts(ctx, start, end)
    if not triples:
        return None
    if not _cues_accounted(sentence, {t.relation for t in triples}):
        return None
    named = [m for m in ctx.mentions_within(start, end) if m["label"] in _ARG_LABELS]
    if not _coordination_complete(ctx, triples, named) or not _links_covered(ctx, triples, named):
        return None
    named_triples = []
    for t in triples:
        head, tail = argument(ctx, t.head), argument(ctx, t.tail)
        if head is None or tail is None:
            return None
        named_triples.append(Triple(head, t.relation, tail, t.predicate, t.confidence))
    named_triples.sort(key=lambda t: (t.head["start"], t.tail["start"], t.relation))
    return Window(start, end, tuple(named_triples))


def complete_windows(ctx: DocContext) -> list[Window]:
    """Every complete one-sentence window of the document, in text order."""
    out = []
    for s, e in ctx.sentences:
        window = complete_window(ctx, s, e)
        if window is not None:
            out.append(window)
    return out


_CO_FOUNDER = re.compile(r"\bco-?\s?found", re.I)


def functional_questions(ctx: DocContext) -> list[tuple[str, str, dict[str, Any], tuple[int, int]]]:
    """(question, qtype, answer mention, sentence) for each single-valued end of a stated fact.

    "Who is the chief executive of NREC?" has one answer; "Who founded NREC?" may have two, so
    only single-valued ends (``ASKABLE_IN_DOCUMENT``) are asked, only when the document gives that
    end one value, and a founder only from a complete window (no co-founder left unextracted).
    """
    values: dict[tuple[str, str, str], set[str]] = {}
    for r in ctx.relations:
        which = ASKABLE_IN_DOCUMENT.get(str(r.get("relation") or ""))
        if which and is_fact(r):
            ends = {
                "head": ctx.mention_by_id[str(r["head_mention_id"])],
                "tail": ctx.mention_by_id[str(r["tail_mention_id"])],
            }
            fixed = "tail" if which == "head" else "head"
            values.setdefault((r["relation"], fixed, ends[fixed]["text"].lower()), set()).add(
                ends[which]["text"].lower()
            )
    out = []
    for w_start, w_end in ctx.sentences:
        for t in stated_facts(ctx, w_start, w_end):
            which = ASKABLE_IN_DOCUMENT.get(t.relation)
            if not which:
                continue
            if t.relation == "founded_by" and (
                _CO_FOUNDER.search(ctx.text[w_start:w_end]) or complete_window(ctx, w_start, w_end) is None
            ):
                continue  # "co-founder of Northwind" says there are others
            answer, known = (t.head, t.tail) if which == "head" else (t.tail, t.head)
            fixed = "tail" if which == "head" else "head"
            if len(values.get((t.relation, fixed, known["text"].lower()), ())) != 1:
                continue
            q = question(t.relation, which, known["text"], answer["label"])
            if q is not None:
                qtype = q.split()[0].lower() if q.startswith(("Who", "Where")) else "which"
                out.append((q, qtype, answer, (w_start, w_end)))
    return out
