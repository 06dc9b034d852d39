"""Questions that one entity of the document answers and no other: a question whose predicate
another entity shares ("Which organization is based in Oslo?" where a division and the company
it bought both are) has no single answer and is not asked."""

from __future__ import annotations

import re
from typing import Any

from dataforge.lib.generate.common import DocContext
from dataforge.lib.generate.lexicon import VALUE_LABELS

_PLACE_RELATIONS = frozenset({"headquartered_in", "located_in"})
# a question that asks only where an entity is: the place alone does not single it out
_WHERE_IS = re.compile(r"(?:who|which \w+) (?:is|are|was|were) (?:\w+ )?(?:based|headquartered|located)\b", re.I)


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _entities(ctx: DocContext) -> dict[str, str]:
    """Each named mention's lower-cased text -> one key per entity: names that hold one another
    ("Okafor", "Amara Okafor") or that an alias_of relation links ("NREC", "Northwind Renewable
    Energy Corporation") share it."""
    names = sorted({_key(m["text"]) for m in ctx.mentions if m["label"] not in VALUE_LABELS}, key=len)
    parent = {n: n for n in names}

    def find(n: str) -> str:
        while parent.setdefault(n, n) != n:
            n = parent[n]
        return n

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    by_word: dict[str, list[str]] = {}
    for n in names:
        for w in set(n.split()):
            by_word.setdefault(w, []).append(n)
    for a in names:
        for b in by_word[a.split()[0]]:
            if len(b) > len(a) and f" {a} " in f" {b} ":
                union(a, b)
    for r in ctx.relations:
        if r.get("relation") == "alias_of":
            union(_key(str(r["head"])), _key(str(r["tail"])))
    return {n: find(n) for n in list(parent)}


def shared_answers(ctx: DocContext, cands: list[dict[str, Any]]) -> set[int]:
    """Candidates (by ``id``) whose question another entity of the document answers as well: one
    question asked of two entities, or "Which organization is based in Oslo?" where two
    organizations are (headquartered_in/located_in relations): the answer would not be unique."""
    if not cands:
        return set()
    entity = _entities(ctx)

    def same(a: str, b: str) -> bool:
        a, b = _key(a), _key(b)
        return entity.get(a, a) == entity.get(b, b) or f" {a} " in f" {b} " or f" {b} " in f" {a} "

    out: set[int] = set()
    by_question: dict[str, list[dict[str, Any]]] = {}
    for c in cands:
        by_question.setdefault(c["question"].lower(), []).append(c)
    for group in by_question.values():
        names = [c["mention"]["text"] for c in group]
        if any(not same(a, b) for a in names for b in names):
            out.update(id(c) for c in group)
    places: dict[str, set[str]] = {}
    for r in ctx.relations:
        if r.get("relation") in _PLACE_RELATIONS:
            places.setdefault(_key(str(r["tail"])), set()).add(str(r["head"]))
    for c in cands:
        if not _WHERE_IS.match(c["question"]):
            continue
        for place, heads in places.items():
            found = re.search(rf"(?<!\w){re.escape(place)}(?!\w)", c["question"].lower())
            if found and any(not same(c["mention"]["text"], h) for h in heads):
                out.add(id(c))
    return out
