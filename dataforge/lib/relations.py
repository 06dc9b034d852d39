"""Typed relations from dependency patterns, plus co-occurrence edges kept apart.

Patterns (each documented with an example; confidence reflects how often the pattern is
right in practice, highest for appositions and copulas):
- ``appos``:  "Helena Marsh, chief executive of NREC"        -> (Marsh, chief executive of, NREC)
- ``alias``:  "Northwind Renewable Energy Corporation (NREC)" -> (long form, also known as, NREC);
  only for a bracketed or all-caps apposition, so "Oslo, Norway" is no alias
- ``copula``: "Marsh is the chairman of NREC"                 -> (Marsh, chairman of, NREC)
- ``svo``:    "NREC acquired Baltic Wind"                     -> (NREC, acquire, Baltic Wind)
- ``passive``:"Baltic Wind was acquired by NREC"              -> (NREC, acquire, Baltic Wind)
- ``prep``:   "NREC partnered with Tidewater"                 -> (NREC, partner with, Tidewater)
- ``possessive``: "NREC's chief executive, Helena Marsh" and "Halloran Blue's managing partner
  Sofia Reyes"                                                 -> (Reyes, managing partner of, Halloran Blue)
- ``of``:     "Dr. Amara Okafor of the North Sea Energy Institute" -> (Okafor, of, NSEI)
The predicate is the verb's lemma (with its preposition) or the role noun phrase; it is kept
as evidence (``predicate``) while ``relation`` names it in the one schema of
``dataforge.lib.relation_schema`` ("" when it maps to none). ``polarity`` and ``modality``
(``dataforge.lib.assertion``) say whether the clause asserts it: a negated, questioned,
conditional, hedged or planned relation is kept with those fields and never stated as a fact.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

from dataforge.lib.assertion import AFFIRMATIVE, ASSERTED, assertion
from dataforge.lib.link import is_acronym
from dataforge.lib.nlp import ENTITY_LABELS, repair_entity
from dataforge.lib.relation_schema import map_predicate

CONFIDENCE = {
    "alias": 0.9,
    "appos": 0.8,
    "copula": 0.75,
    "possessive": 0.75,
    "svo": 0.7,
    "passive": 0.7,
    "prep": 0.6,
    "of": 0.55,
}
COOCCURRENCE = "co-occurs with"


def _mention_index(mentions: list[dict[str, Any]]) -> dict[tuple[int, int], dict[str, Any]]:
    return {(m["start"], m["end"]): m for m in mentions if m["label"] in ENTITY_LABELS}


def _entities_by_token(doc: Any) -> dict[int, Any]:
    """Token index -> the entity span covering it; ``Doc.ents`` builds every span on each access."""
    return {i: e for e in doc.ents for i in range(e.start, e.end)}


def _entity_of(
    token: Any, offset: int, index: dict[tuple[int, int], dict[str, Any]], entity_at: dict[int, Any]
) -> dict[str, Any] | None:
    span = entity_at.get(token.i)
    repaired = repair_entity(span) if span is not None else None
    if repaired is None:
        return None
    span = repaired[0]  # the mention as mentions_from_parses made it
    text = span.text.strip()
    start = offset + span.start_char
    return index.get((start, start + len(text)))


def _phrase(head: Any) -> str:
    """The modifier words before a noun plus the noun: "chief executive"."""
    words = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod") and not t.ent_type_]
    return " ".join([t.text.lower() for t in words] + [head.text.lower()])


def _prep_objects(token: Any) -> list[tuple[str, Any]]:
    found = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent"):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    found.extend((prep.text.lower(), c) for c in _with_conjuncts([obj]))
    return found


def abbreviates(short: str, long: str) -> bool:
    """Is ``short`` an acronym of ``long``? "NSEI" of "North Sea Energy Institute", not "Pakistan"
    of "Jansher Khan" (news lists a player's country in brackets)."""
    letters = [c for c in short if c.isalpha()]
    if not is_acronym(short) or len(letters) < 2:
        return False
    initials = iter(w[0].upper() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", long) if w[0].isupper())
    return all(any(c == i for i in initials) for c in letters)


def _with_conjuncts(tokens: list[Any]) -> list[Any]:
    """The tokens and their coordinated names: "Marsh and van Dijk founded" gives both founders."""
    out = list(tokens)
    for t in tokens:
        # the small model hangs "Helena Marsh and Pieter van Dijk" as an nmod (with its "and") on the last name
        stack = [
            c for c in t.children if c.dep_ == "conj" or (c.dep_ == "nmod" and any(g.dep_ == "cc" for g in c.children))
        ]
        while stack and len(out) < 12:
            c = stack.pop(0)
            out.append(c)
            stack.extend(g for g in c.children if g.dep_ == "conj")
    return out


def _role_objects(role: Any) -> list[tuple[Any, str, Any]]:
    """(role noun, preposition, object) for a role and its coordinated roles, which share the
    object: "co-founder and chief technology officer of Northwind" gives both roles of Northwind."""
    roles = [role] + [c for c in role.children if c.dep_ == "conj" and c.pos_ == "NOUN" and not c.ent_type_]
    shared = [po for r in roles for po in _prep_objects(r)]
    return [(r, prep, obj) for r in roles for prep, obj in shared]


def _noun_patterns(token: Any, ent: Any, add: Any) -> None:
    """``possessive`` and ``of`` around one noun (see the module docstring)."""
    if token.pos_ == "NOUN" and not token.ent_type_:
        owners = [c for c in token.children if c.dep_ == "poss"]
        holders = [c for c in token.children if c.dep_ == "appos"]
        if token.dep_ == "compound":
            holders.append(token.head)
        if owners and holders:
            for holder in holders:
                add(ent(holder), f"{_phrase(token)} of", ent(owners[0]), "possessive")
    elif token.ent_type_ and (token.head.ent_type_ != token.ent_type_ or token.head.i == token.i):
        for prep in token.children:  # the entity's own root: "Okafor of NSEI", not "Bank of England"
            if prep.dep_ == "prep" and prep.lower_ == "of":
                # "Greig Box-Turnbull and Stephen Moyes of the News of the World": the parse hangs "of"
                # on the first name, but it is the nearest name's; the first may work elsewhere
                between = [c for c in token.children if c.dep_ == "conj" and token.i < c.i < prep.i]
                holder = between[-1] if between else token
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    add(ent(holder), "of", ent(obj), "of")


def extract_relations(
    doc_id: str, parses: list[tuple[int, Any]], mentions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Typed relations and sentence co-occurrences between named-entity mentions."""
    index = _mention_index(mentions)
    found: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(
        head: dict | None, predicate: str, tail: dict | None, pattern: str, sent: Any, offset: int, token: Any
    ) -> None:
        if not head or not tail or head["mention_id"] == tail["mention_id"] or not predicate.strip():
            return
        key = (head["mention_id"], predicate, tail["mention_id"])
        if key in found:
            return
        relation, swap = map_predicate(predicate, pattern, head["label"], tail["label"])
        if swap:
            head, tail = tail, head
        polarity, modality = assertion(token)
        found[key] = _relation(
            doc_id,
            head,
            relation,
            tail,
            pattern,
            CONFIDENCE.get(pattern, 0.3),
            offset + sent.start_char,
            offset + sent.end_char,
            "typed",
            predicate=predicate,
            polarity=polarity,
            modality=modality,
            inverse=swap,
        )

    for offset, doc in parses:
        entity_at = _entities_by_token(doc)

        def ent(token: Any, offset: int = offset, entity_at: dict[int, Any] = entity_at) -> dict[str, Any] | None:
            return _entity_of(token, offset, index, entity_at)

        for sent in doc.sents:
            for token in sent:
                if token.dep_ == "appos":
                    anchor = ent(token.head)
                    bracketed = token.i > 0 and token.doc[token.i - 1].text == "("
                    if ent(token) and (bracketed or is_acronym(token.text)):
                        if anchor and abbreviates(ent(token)["text"], anchor["text"]):
                            add(anchor, "also known as", ent(token), "alias", sent, offset, token)
                    elif ent(token):
                        continue  # "Oslo, Norway": an apposition between names is no alias
                    else:
                        for role, prep, obj in _role_objects(token):
                            add(anchor, f"{_phrase(role)} {prep}", ent(obj), "appos", sent, offset, token)
                if token.pos_ in ("NOUN", "PROPN"):
                    _noun_patterns(
                        token, ent, lambda h, r, t, p, sent=sent, o=offset, tok=token: add(h, r, t, p, sent, o, tok)
                    )
                if token.pos_ not in ("VERB", "AUX"):
                    continue
                subjects = _with_conjuncts([c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")])
                passive = any(c.dep_ == "nsubjpass" for c in subjects)
                for subj in subjects:
                    head = ent(subj)
                    if token.lemma_ == "be":
                        for attr in (c for c in token.children if c.dep_ == "attr"):
                            for role, prep, obj in _role_objects(attr):
                                add(head, f"{_phrase(role)} {prep}", ent(obj), "copula", sent, offset, token)
                        continue
                    if passive:
                        for prep, obj in _prep_objects(token):
                            if prep == "by":
                                add(ent(obj), token.lemma_.lower(), head, "passive", sent, offset, token)
                            else:
                                add(head, f"{token.lemma_.lower()} {prep}", ent(obj), "prep", sent, offset, token)
                        continue
                    for obj in _with_conjuncts([c for c in token.children if c.dep_ in ("dobj", "attr", "oprd")]):
                        add(head, token.lemma_.lower(), ent(obj), "svo", sent, offset, token)
                    for prep, obj in _prep_objects(token):
                        add(head, f"{token.lemma_.lower()} {prep}", ent(obj), "prep", sent, offset, token)
    typed = sorted(
        found.values(), key=lambda r: (r["evidence_start"], r["head_mention_id"], r["predicate"], r["tail_mention_id"])
    )
    return typed + cooccurrences(doc_id, mentions)


def cooccurrences(doc_id: str, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One edge per pair of distinct named entities sharing a sentence."""
    by_sentence: dict[int, list[dict[str, Any]]] = {}
    for m in mentions:
        if m["label"] in ENTITY_LABELS:
            by_sentence.setdefault(m["sentence_id"], []).append(m)
    edges = []
    for sentence_id in sorted(by_sentence):
        group = by_sentence[sentence_id]
        for a, b in combinations(group, 2):
            if a["text"].lower() == b["text"].lower():
                continue
            edges.append(
                _relation(
                    doc_id, a, COOCCURRENCE, b, "sentence", 0.3, a["sentence_start"], a["sentence_end"], "cooccurrence"
                )
            )
    return edges


def _relation(
    doc_id: str,
    head: dict,
    relation: str,
    tail: dict,
    pattern: str,
    confidence: float,
    start: int,
    end: int,
    kind: str,
    predicate: str | None = None,
    polarity: str = AFFIRMATIVE,
    modality: str = ASSERTED,
    inverse: bool = False,
) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "head_mention_id": head["mention_id"],
        "head": head["text"],
        "head_label": head["label"],
        "relation": relation,
        "tail_mention_id": tail["mention_id"],
        "tail": tail["text"],
        "tail_label": tail["label"],
        "confidence": confidence,
        "evidence_start": start,
        "evidence_end": end,
        "pattern": pattern,
        "kind": kind,
        "predicate": relation if predicate is None else predicate,
        "polarity": polarity,
        "modality": modality,
        "inverse": inverse,
    }
