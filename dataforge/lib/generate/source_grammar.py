"""Grammar errors a source sentence carries, read from the NER stage's spaCy parse.

An extractive example copies its sentences word for word, so a typo of the source ("a
distinctive alarm calls", "any parent who support him", "decided had just returned", "a nod
to it's heritage") becomes a fluency error of the example. Each test here is one structure
the parser reads unambiguously, so that a correct sentence is almost never flagged: a
singular determiner on a plural noun (and the reverse), a relative clause whose verb does not
agree with the noun it describes, a finite clause glued to the verb before it with neither a
subject nor a conjunction, and "it's" parsed as a possessive. A summary takes another sentence.
"""

from __future__ import annotations

import bisect
from typing import Any

Parses = list[tuple[int, Any]]

_SINGULAR_DET = frozenset("a an another each every".split())
_PLURAL_DET = frozenset("these those several".split())
_RELATIVE = frozenset("who that".split())  # "which" may stand for a whole clause: "She repeats outfits, which is ..."
# present forms that are past tenses too: "a sign that read ..."
_PAST_TOO = frozenset("read put set cut hit let quit spread cast cost hurt shut beat bet split burst".split())
_QUANTITY = frozenset("dozen hundred thousand million billion few couple number lot series".split())
_FINITE = frozenset("VBD VBZ VBP MD".split())
# nouns written the same in both numbers, or plural in form and singular in use
_INVARIANT = frozenset("series species means news headquarters crossroads barracks works kudos".split())


def _determiner(token: Any) -> str | None:
    """ "a distinctive alarm calls": a singular determiner on a plural noun, or the reverse."""
    head = token.head
    if token.dep_ != "det" or head.i <= token.i or head.lower_ in _INVARIANT:
        return None
    if any(c.dep_ == "case" for c in head.children):
        return None  # a possessive: "a prosecutors' spokesman"
    between = token.doc[token.i + 1 : head.i]
    if any(t.tag_ == "CD" or t.lower_ in _QUANTITY for t in between):
        return None  # "a further 20 people", "a dozen oddities", "a few days"
    if token.lower_ in _SINGULAR_DET and head.tag_ == "NNS":
        return f"determiner: {token.text} {head.text}"
    if token.lower_ in _PLURAL_DET and head.tag_ == "NN" and head.i == token.i + 1:
        return f"determiner: {token.text} {head.text}"
    return None


def _relative(token: Any) -> str | None:
    """ "any parent who support him": the relative clause's verb agrees with the noun it describes."""
    if token.dep_ != "relcl" or token.pos_ not in ("VERB", "AUX") or token.lower_ in _PAST_TOO:
        return None
    if not any(c.dep_ == "nsubj" and c.lower_ in _RELATIVE for c in token.children):
        return None
    if any(c.dep_ in ("aux", "auxpass") for c in token.children):
        return None  # the auxiliary carries the agreement: left to the parser's own tags
    noun = token.head
    if noun.lower_ in _INVARIANT or any(c.dep_ in ("cc", "conj") for c in noun.children):
        return None  # "a man and a woman who live ..."
    if token.tag_ == "VBP" and noun.tag_ == "NN":  # a proper name may be a team: "Barcelona, who host ..."
        return f"agreement: {noun.text} {token.text}"
    if token.tag_ == "VBZ" and noun.tag_ in ("NNS", "NNPS"):
        return f"agreement: {noun.text} {token.text}"
    return None


def _glued_clause(token: Any) -> str | None:
    """ "decided had just returned": a finite clause right after its verb, with no subject of its own."""
    if token.dep_ not in ("ccomp", "xcomp") or token.head.pos_ not in ("VERB", "AUX") or token.i < token.head.i:
        return None
    first = min(t.i for t in token.subtree)
    if (
        first != token.head.i + 1
        or token.doc[first].tag_ not in _FINITE
        or any(c.dep_ in ("nsubj", "nsubjpass", "expl", "mark") for c in token.children)
    ):
        return None
    if token.head.tag_ in ("VBD", "VBZ", "VBP"):
        return f"two verbs: {token.head.text} {token.doc[first].text}"
    return None


def _its(token: Any) -> str | None:
    """ "In a nod to it's English heritage": the parser reads "it's" as the possessive "its"."""
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if token.lower_ == "it" and token.dep_ == "poss" and nxt is not None and nxt.text in ("'s", "’s"):
        return "it's for its"
    return None


def sentence_error(span: Any) -> str | None:
    """The first grammar error in a parsed sentence (see the module docstring), or None."""
    for token in span:
        for test in (_determiner, _relative, _glued_clause, _its):
            found = test(token)
            if found:
                return found
    return None


def copied_error(parses: Parses | None, start: int, end: int) -> str | None:
    """The grammar error of the document's text[start:end], from its parse; None when it has
    none or no parse covers it (the examples are then built as before)."""
    if not parses:
        return None
    i = bisect.bisect_right([offset for offset, _ in parses], start) - 1
    if i < 0:
        return None
    offset, doc = parses[i]
    span = doc.char_span(start - offset, end - offset, alignment_mode="expand")
    return sentence_error(span) if span is not None and len(span) else None
