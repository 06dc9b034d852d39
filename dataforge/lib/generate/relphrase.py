"""Relation-phrase templates: questions, statements, yes/no and descriptions from triples.

A relation is a predicate lemma ('acquire'), a role ('chief executive of') or a participle
('based in'); each kind has its own grammar.
"""

from __future__ import annotations

import re

from dataforge.lib.generate.templates import LABEL_NOUN, PREPS, SUBJECT_WH, VERBS, join_question, past

_WAS = frozenset(
    "born founded established acquired created formed launched incorporated elected appointed "
    "named hired educated raised bought".split()
)
_ROLE_A = frozenset(
    "member subsidiary employee partner customer supplier shareholder investor unit division "
    "client director professor".split()
)


def relation_kind(rel: str) -> tuple[str, list[str]]:
    words = rel.lower().replace("_", " ").split()
    if words and words[0] == "be" and len(words) > 1:
        words = words[1:]
        if words[-1] not in PREPS:
            return "participle", words
    if not words:
        return "none", words
    if words[0] in VERBS:
        return "verb", words
    if words[-1] in PREPS:
        if words[0].endswith(("ed", "en")) or words[0] == "born":
            return "participle", words
        return "role", words
    if len(words) == 1 and re.fullmatch(r"[a-z]+", words[0]):
        return "verb", words
    return "none", words


def _article(words: list[str]) -> str:
    if words[0] in ("a", "an", "the", "part"):
        return ""
    return "a " if words[0] in _ROLE_A else "the "


def _be(words: list[str]) -> str:
    return "was" if words[0] in _WAS else "is"


def relation_question(rel: str, ask: str, head: str, tail: str, answer_label: str) -> tuple[str, str] | None:
    """Question whose answer is the head (ask='head') or tail of ``head rel tail``."""
    kind, words = relation_kind(rel)
    phrase = " ".join(words)
    wh = SUBJECT_WH.get(answer_label, "What")
    qtype = "who" if answer_label == "PERSON" else "which" if answer_label in SUBJECT_WH else "what"
    if kind == "verb":
        q = f"{wh} {past(phrase)} {tail}" if ask == "head" else f"{wh} did {head} {phrase}"
    elif kind == "participle":
        be = _be(words)
        if ask == "head":
            q = f"{wh} {be} {phrase} {tail}"
        elif words[-1] in ("in", "at") and answer_label in ("GPE", "LOC", "FAC"):
            q, qtype = f"Where {be} {head} {' '.join(words[:-1])}", "where"
        else:
            q = f"{wh} {be} {head} {phrase}"
    elif kind == "role":
        art = _article(words)
        q = f"{wh} is {art}{phrase} {tail}" if ask == "head" else f"{wh} is {head} {art}{phrase}"
    else:
        return None
    return join_question(q), qtype


def relation_statement(rel: str, head: str, tail: str) -> str | None:
    kind, words = relation_kind(rel)
    phrase = " ".join(words)
    if kind == "verb":
        return f"{head} {past(phrase)} {tail}."
    if kind == "participle":
        return f"{head} {_be(words)} {phrase} {tail}."
    if kind == "role":
        return f"{head} is {_article(words)}{phrase} {tail}."
    return None


def relation_yes_no(rel: str, head: str, tail: str) -> str | None:
    kind, words = relation_kind(rel)
    phrase = " ".join(words)
    if kind == "verb":
        return f"Did {head} {phrase} {tail}?"
    if kind == "participle":
        return f"{_be(words).capitalize()} {head} {phrase} {tail}?"
    if kind == "role":
        return f"Is {head} {_article(words)}{phrase} {tail}?"
    return None


def describe(rel: str, role: str, label: str, other: str) -> str | None:
    """Noun phrase for an entity through a relation: 'the organization that acquired Beta'."""
    kind, words = relation_kind(rel)
    phrase = " ".join(words)
    noun = LABEL_NOUN.get(label, "entity")
    rp = "who" if label == "PERSON" and role == "head" else "that"
    if kind == "verb":
        body = f"{past(phrase)} {other}" if role == "head" else f"{other} {past(phrase)}"
    elif kind == "participle":
        body = f"{_be(words)} {phrase} {other}" if role == "head" else f"{other} {_be(words)} {phrase}"
    elif kind == "role":
        art = _article(words)
        body = f"is {art}{phrase} {other}" if role == "head" else f"{other} is {art}{phrase}"
    else:
        return None
    return f"the {noun} {rp} {body}"
