"""Relation-phrase templates: questions from predicate-level triples (multiple choice).

Statements, yes/no questions and descriptions of schema facts: ``dataforge.lib.relation_text``.

A relation is a verb lemma ('acquire', 'work for'), a role ('chief executive of') or a
participle ('based in'; 'found in' with a non-person subject reads 'founded in'). Each kind
has its own grammar; a phrase that fits none gives None.
"""

from __future__ import annotations

from dataforge.lib.generate.lexicon import (
    LOCATIVE,
    PASSIVE_PREP,
    PERSON_ROLES,
    PREPS,
    SUBJECT_WH,
    TRANSITIVE,
    UNIQUE_ROLES,
    VALUE_LABELS,
    VERBS,
    WAS_PARTICIPLES,
    participle,
    past,
)
from dataforge.lib.generate.templates import join_question

_QUANTIFIERS = frozenset("several many some few most all both two three four five various numerous".split())
_PLACE_PARTICIPLES = frozenset({participle(v) for v in LOCATIVE} | {"founded", "born"})


def normalize_relation(rel: str, tail_label: str | None) -> str:
    """spaCy lemmatises "founded" as "find": an organization is founded, not found."""
    words = str(rel or "").split()
    if words and words[0] == "find" and tail_label == "ORG":
        return " ".join(["found", *words[1:]])
    return str(rel or "")


VERB_PATTERNS = frozenset({"svo", "prep", "passive"})


def usable(rel: str, pattern: str | None) -> bool:
    """A relation from a verb pattern is phrased only when its verb is in the lexicon: an
    unknown one ('betray to') would otherwise read as a role ('a betray to')."""
    words = str(rel or "").lower().split()
    return bool(words) and (pattern not in VERB_PATTERNS or words[0] in VERBS or words[0] == "be")


def relation_kind(rel: str, head_label: str | None = None) -> tuple[str, list[str]]:
    words = rel.lower().replace("_", " ").split()
    if len(words) > 1 and words[0] == "be":
        words = words[1:]
        if words[-1] not in PREPS:
            return "participle", words
    if not words or not all(w.replace("-", "").isalpha() for w in words):
        return "none", words
    if len(words) > 1 and words[0] in PASSIVE_PREP and words[-1] in PREPS:
        if head_label == "PERSON":
            return "none", words  # "Jane founded Acme in Oslo": the object is missing
        return "participle", [participle(words[0]), *words[1:]]
    if words[0] in VERBS:
        if len(words) == 2 and words[0] in TRANSITIVE and words[1] in ("in", "at", "on"):
            return "none", words  # "submitted applications in Norway": the object is missing
        return "verb", words
    if words[-1] in PREPS and len(words) > 1:
        if any(w in _QUANTIFIERS for w in words):
            return "none", words  # "several monks of": a group, not a role
        if len(words) == 2 and (words[0].endswith(("ed", "en")) or words[0] == "born"):
            return "participle", words
        return "role", words
    return "none", words


def _article(words: list[str]) -> str:
    if words[0] in ("a", "an", "the", "part"):
        return ""
    if any(w in UNIQUE_ROLES for w in words):
        return "the "
    return "an " if words[0][0] in "aeiou" else "a "


def _be(words: list[str]) -> str:
    return "was" if words[0] in WAS_PARTICIPLES else "is"


def _is_person_role(words: list[str]) -> bool:
    return any(w in PERSON_ROLES for w in words)


def _qtype(wh: str) -> str:
    return {"Who": "who", "Where": "where", "When": "when", "What": "what"}.get(wh, "which")


def relation_question(
    rel: str, ask: str, head: str, tail: str, answer_label: str, head_label: str | None = None
) -> tuple[str, str] | None:
    """Question whose answer is the head (ask='head') or the tail of ``head rel tail``."""
    if head_label is None and ask == "head":
        head_label = answer_label
    kind, words = relation_kind(rel, head_label)
    phrase = " ".join(words)
    wh = SUBJECT_WH.get(answer_label, "What")
    if kind == "verb":
        q = f"{wh} {past(phrase)} {tail}" if ask == "head" else f"{wh} did {head} {phrase}"
    elif kind == "participle":
        be = _be(words)
        if ask == "head":
            q = f"{wh} {be} {phrase} {tail}"
        elif answer_label in ("DATE", "TIME"):
            wh, q = "When", f"When {be} {head} {' '.join(words[:-1])}"
        elif (
            words[-1] in ("in", "at")
            and answer_label not in VALUE_LABELS
            and (answer_label in ("GPE", "LOC", "FAC") or words[0] in _PLACE_PARTICIPLES)
        ):
            wh, q = "Where", f"Where {be} {head} {' '.join(words[:-1])}"
        else:
            q = f"{wh} {be} {head} {phrase}"
    elif kind == "role":
        art = _article(words)
        if ask == "head":
            wh = "Who" if _is_person_role(words) else wh
            q = f"{wh} is {art}{phrase} {tail}"
        else:
            q = f"{wh} is {head} {art}{phrase}"
    else:
        return None
    return join_question(q), _qtype(wh)
