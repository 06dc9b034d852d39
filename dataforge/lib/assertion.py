"""Is a clause asserted as fact? Polarity and modality of a predicate from its dependency parse.

Training examples may only state what the source asserts. "Does Dr. Okafor work for
Northwind? No." asks; "NREC did not acquire Baltic Wind" denies; "If approved, NREC will
acquire ..." and "NREC plans to acquire ..." have not happened. Each relation and each
dependency question reads the same decision from here:

- ``polarity``: ``affirmative`` | ``negated`` (a ``neg`` dependent such as "not", "never",
  "n't" on the predicate or a governing verb, or a governing verb of denial: "deny", "fail",
  "refuse", "reject").
- ``modality``: ``asserted`` | ``question`` (the sentence is a question) | ``conditional``
  ("if", "unless", "whether" on the clause or an ``advcl`` of it) | ``hedged`` (may, might,
  could, would, should; "reportedly", "possibly", ...) | ``future`` (will, shall, "going to")
  | ``planned`` (a governing verb of intent: plan, intend, expect, aim, seek, agree to ...)
  | ``claimed`` (a governing verb of claiming or believing: "Perry is alleged to have told
  students that Obama is a Muslim", "claims that"; not "claimed £100,000": a claim with an
  object; plain attribution, "police said ...", is how news states its facts and stays).
Only ``affirmative`` + ``asserted`` is a fact.
"""

from __future__ import annotations

import re
from typing import Any

AFFIRMATIVE = "affirmative"
NEGATED = "negated"
ASSERTED = "asserted"
MODALITIES = ("asserted", "question", "conditional", "hedged", "claimed", "future", "planned")

_NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "nobody", "nothing"})
_DENIAL_VERBS = frozenset({"deny", "fail", "refuse", "reject", "decline", "dismiss", "rule"})
_HEDGE_AUX = frozenset({"may", "might", "could", "would", "should", "can", "must", "ought"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_HEDGE_ADVERBS = frozenset(
    {"reportedly", "allegedly", "possibly", "perhaps", "probably", "maybe", "likely", "supposedly", "apparently"}
)
_INTENT_VERBS = frozenset(
    {
        "plan",
        "intend",
        "expect",
        "aim",
        "seek",
        "want",
        "hope",
        "consider",
        "propose",
        "agree",
        "try",
        "attempt",
        "wish",
        "prepare",
        "offer",
        "threaten",
        "vow",
        "promise",
        "negotiate",
        "discuss",
        "explore",
        "set",
        "schedule",
    }
)
_CLAIM_VERBS = frozenset(
    "allege claim believe think suspect accuse insist suggest rumor rumour speculate argue contend assert "
    "maintain fear doubt reckon feel".split()
)
_CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "provided", "assuming"})
_CLIMB_DEPS = frozenset({"xcomp", "ccomp", "conj", "acl", "relcl", "advcl", "pcomp", "amod", "appos", "attr"})


def _sentence_is_question(sent: Any) -> bool:
    text = sent.text.rstrip().rstrip("\"'\u201d\u2019)")
    return text.endswith("?")


def _chain(token: Any) -> list[Any]:
    """The predicate and the verbs that govern it within its sentence ("plans to acquire")."""
    chain = [token]
    current = token
    sent_start = token.sent.start
    while current.head.i != current.i and current.head.i >= sent_start and current.dep_ in _CLIMB_DEPS:
        if current.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in current.children):
            break  # "NREC did not bid but Tidewater acquired it": its own subject, its own polarity
        current = current.head
        chain.append(current)
        if len(chain) > 6:
            break
    return chain


def _has_conditional(token: Any) -> bool:
    for child in token.children:
        if child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS:
            return True
        if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in _CONDITIONAL_MARKS for g in child.children):
            return True
    return False


def assertion(token: Any) -> tuple[str, str]:
    """(polarity, modality) of the clause whose predicate is ``token`` (a spaCy Token)."""
    polarity = AFFIRMATIVE
    modality = ASSERTED
    chain = _chain(token)
    for i, t in enumerate(chain):
        for child in t.children:
            low = child.lower_
            if child.dep_ == "neg" or (child.dep_ in ("advmod", "det", "preconj") and low in ("never", "not")):
                polarity = NEGATED
            if child.dep_ in ("aux", "auxpass"):
                if low in _FUTURE_AUX or child.lemma_.lower() == "will":
                    modality = _stronger(modality, "future")
                elif low in _HEDGE_AUX or child.lemma_.lower() in _HEDGE_AUX:
                    modality = _stronger(modality, "hedged")
            if child.dep_ == "advmod" and low in _HEDGE_ADVERBS:
                modality = _stronger(modality, "hedged")
        if i > 0 and t.pos_ in ("VERB", "AUX", "ADJ"):
            lemma = t.lemma_.lower()
            if lemma in _DENIAL_VERBS:
                polarity = NEGATED
            elif lemma in _INTENT_VERBS or (lemma == "go" and t.tag_ == "VBG"):
                modality = _stronger(modality, "planned")
            elif lemma in _CLAIM_VERBS and not any(c.dep_ == "dobj" for c in t.children):
                modality = _stronger(modality, "claimed")
        if _has_conditional(t):
            modality = _stronger(modality, "conditional")
    if _sentence_is_question(token.sent):
        modality = "question"
    return polarity, modality


_RANK = {m: i for i, m in enumerate(MODALITIES)}


def _stronger(current: str, new: str) -> str:
    """Keep the modality that takes the clause furthest from a plain assertion."""
    return new if _RANK[new] > _RANK[current] else current


def is_asserted(polarity: Any, modality: Any) -> bool:
    """Rows written before polarity existed (None) count as asserted."""
    return (polarity in (None, "", AFFIRMATIVE)) and (modality in (None, "", ASSERTED))


_NOT_ASSERTED_WORDS = re.compile(
    r"\b(?i:not|never|no longer|neither|nor|cannot|might|could|would|should|will|shall|if|unless|whether|"
    r"plans?|planned|intends?|expected|expects|proposed|reportedly|allegedly|possibly|perhaps|probably)\b"
    r"|\bmay\b|n't\b|\?"  # "may" lower-case only: "in May 2019" is a date
)


def text_is_asserted(sentence: str) -> bool:
    """A sentence with no negation, question, condition, hedge or intent word at all.

    The cautious, parse-free form of ``assertion`` for generators that read the sentence as a
    string: it rejects some plain facts ("the plant will ..." is future anyway) but never lets a
    denied or asked statement through.
    """
    return _NOT_ASSERTED_WORDS.search(sentence) is None


def sentence_assertion(doc_span: Any) -> tuple[str, str]:
    """(polarity, modality) of a sentence's main clause: its root verb."""
    root = doc_span.root
    return assertion(root)
