"""The one schema of relation names, and the mapping from extracted predicates onto it.

The dependency patterns (``dataforge.lib.relations``) find predicates: verb lemmas with their
preposition ("acquire", "partner with"), role phrases ("chief executive of"). A dataset or a
graph edge names a relation from this schema; the predicate stays on the row as evidence. A
predicate that maps to no schema relation produces no relation row (it can still phrase a
question). Each relation has a direction, argument types, and an example:

| relation | head -> tail | example |
| --- | --- | --- |
| founded_by | ORG -> PERSON/ORG | "Jane Doe founded Acme" -> (Acme, founded_by, Jane Doe) |
| ceo_of | PERSON -> ORG | "Helena Marsh, chief executive of NREC" |
| chair_of | PERSON -> ORG | "Marsh is the chairman of NREC" |
| president_of | PERSON -> ORG/GPE | "the president of France, Emmanuel Macron" |
| leader_of | PERSON -> ORG/GPE/NORP | "X leads the party", "head of the agency" |
| spokesperson_of | PERSON -> ORG/GPE | "a spokesman for the ministry" |
| employee_of | PERSON -> ORG | "an analyst at Ardent Research", "joined NREC" |
| member_of | PERSON/ORG -> ORG | "a member of the board", "plays for Ajax" |
| affiliated_with | PERSON -> ORG | "Dr. Amara Okafor of the North Sea Energy Institute" |
| headquartered_in | ORG -> GPE/LOC | "NREC is headquartered in Bergen", "based in" |
| located_in | ORG/FAC/GPE/LOC -> GPE/LOC | "the plant located in Halden" |
| born_in | PERSON -> GPE/LOC | "born in Oslo" |
| acquired | ORG -> ORG | "NREC acquired Baltic Wind", "bought", "took over" |
| owns | PERSON/ORG -> ORG/FAC/PRODUCT | "Tidewater owns the terminal" |
| subsidiary_of | ORG -> ORG | "a unit of Siemens", "owned by" |
| invested_in | PERSON/ORG -> ORG/FAC | "invested in Baltic Wind" |
| partner_of | ORG/PERSON -> ORG/PERSON | "partnered with Tidewater" (symmetric) |
| supplier_of | ORG -> ORG | "supplies turbines to NREC" |
| defeated | ORG/PERSON -> ORG/PERSON | "Ajax beat PSV 2-1" |
| alias_of | any -> same type | "North Sea Energy Institute (NSEI)" |
"""

from __future__ import annotations

from typing import Any

from dataforge.lib.assertion import is_asserted

RELATIONS = (
    "founded_by",
    "ceo_of",
    "chair_of",
    "president_of",
    "leader_of",
    "spokesperson_of",
    "employee_of",
    "member_of",
    "affiliated_with",
    "headquartered_in",
    "located_in",
    "born_in",
    "acquired",
    "owns",
    "subsidiary_of",
    "invested_in",
    "partner_of",
    "supplier_of",
    "defeated",
    "alias_of",
)
SYMMETRIC = frozenset({"partner_of"})

_PLACES = frozenset({"GPE", "LOC", "FAC"})
_ORGS = frozenset({"ORG", "NORP"})

# role nouns (last word of the role phrase, or the whole phrase) -> relation
_ROLES: dict[str, str] = {
    "chief executive": "ceo_of",
    "chief executive officer": "ceo_of",
    "ceo": "ceo_of",
    "managing director": "ceo_of",
    "chairman": "chair_of",
    "chairwoman": "chair_of",
    "chairperson": "chair_of",
    "chair": "chair_of",
    "president": "president_of",
    "leader": "leader_of",
    "head": "leader_of",
    "director general": "leader_of",
    "secretary general": "leader_of",
    "spokesman": "spokesperson_of",
    "spokeswoman": "spokesperson_of",
    "spokesperson": "spokesperson_of",
    "founder": "founded_by",
    "co-founder": "founded_by",
    "cofounder": "founded_by",
    "member": "member_of",
    "subsidiary": "subsidiary_of",
    "unit": "subsidiary_of",
    "division": "subsidiary_of",
    "owner": "owns",
}
_EMPLOYEE_ROLES = frozenset(
    "analyst engineer director manager officer executive economist scientist researcher professor lecturer "
    "adviser advisor consultant editor reporter correspondent lawyer attorney counsel employee worker "
    "treasurer secretary accountant architect designer developer strategist trader banker coach captain "
    "striker midfielder defender goalkeeper player minister ambassador official chief partner".split()
)

# verb lemma (first word of the predicate) + optional preposition -> relation
_VERBS: dict[str, str] = {
    "found": "founded_by",
    "find": "founded_by",  # spaCy lemmatises "founded" as "find"; the ORG/PERSON types decide
    "co-found": "founded_by",
    "establish": "founded_by",
    "acquire": "acquired",
    "buy": "acquired",
    "purchase": "acquired",
    "take over": "acquired",
    "own": "owns",
    "partner with": "partner_of",
    "team with": "partner_of",
    "collaborate with": "partner_of",
    "ally with": "partner_of",
    "work for": "employee_of",
    "work at": "employee_of",
    "work with": "partner_of",
    "join": "employee_of",
    "employ": "employee_of",
    "hire": "employee_of",
    "lead": "leader_of",
    "head": "leader_of",
    "chair": "chair_of",
    "run": "leader_of",
    "headquarter in": "headquartered_in",
    "base in": "headquartered_in",
    "locate in": "located_in",
    "bear in": "born_in",
    "invest in": "invested_in",
    "supply": "supplier_of",
    "supply to": "supplier_of",
    "beat": "defeated",
    "defeat": "defeated",
    "play for": "member_of",
    "sign for": "member_of",
}
# predicates whose object is the relation's head: "Acme employs Jane" -> (Jane, employee_of, Acme)
_OBJECT_FIRST = frozenset({"employ", "hire", "found", "find", "co-found", "establish"})


# role modifiers: a former or future holder has no present role; a deputy is staff, not the head
_NOT_NOW = frozenset(
    "former ex ex- late then outgoing incoming designate prospective would-be onetime erstwhile".split()
)
_SECOND = frozenset("deputy vice assistant associate junior acting".split())


def _role(words: list[str]) -> str | None:
    if any(w in _NOT_NOW or w.startswith("ex-") for w in words):
        return None
    if any(w in _SECOND or w.startswith("vice-") for w in words):
        return "employee_of"
    phrase = " ".join(words)
    for size in (3, 2, 1):
        tail = " ".join(words[-size:])
        if len(words) >= size and tail in _ROLES:
            return _ROLES[tail]
    if phrase in _ROLES:
        return _ROLES[phrase]
    if words and words[-1] in _EMPLOYEE_ROLES:
        return "employee_of"
    return None


def map_predicate(predicate: str, pattern: str, head_label: str, tail_label: str) -> tuple[str, bool]:
    """(schema relation or "", swap head and tail) for one extracted predicate."""
    words = str(predicate or "").lower().replace("_", " ").split()
    if not words:
        return "", False
    if pattern == "alias" or predicate == "also known as":
        return "alias_of", False
    if pattern == "of" or words == ["of"]:
        if head_label == "PERSON" and tail_label in _ORGS:
            return "affiliated_with", False
        if head_label in _ORGS | _PLACES and tail_label in _PLACES:
            return "located_in", False
        return "", False
    if words[0] == "be" and len(words) > 1:
        words = words[1:]
    if pattern in ("appos", "copula", "possessive") or (
        words[-1] in ("of", "at", "for", "with") and words[0] not in _VERBS_FIRST
    ):
        core = words[:-1] if words[-1] in ("of", "at", "for", "with", "in", "to") else words
        relation = _role(core)
        if relation is None:
            return "", False
        return _typed(relation, head_label, tail_label, swap=relation == "founded_by")
    key2 = " ".join(words[:2])
    relation = _VERBS.get(key2) if len(words) > 1 else None
    if relation is None and len(words) == 1:
        relation = _VERBS.get(words[0])
    # no fallback from "verb + any preposition" to the verb: "joined Milan from Torino" is no job at
    # Torino, "bought it from Siemens" no acquisition of Siemens, "acquired a stake in X" none of X
    if relation is None:
        return "", False
    return _typed(relation, head_label, tail_label, swap=words[0] in _OBJECT_FIRST)


_VERBS_FIRST = frozenset(w.split()[0] for w in _VERBS)

_HEAD_TYPES: dict[str, frozenset[str]] = {
    "founded_by": _ORGS | {"FAC", "PRODUCT", "WORK_OF_ART", "EVENT"},
    "ceo_of": frozenset({"PERSON"}),
    "chair_of": frozenset({"PERSON"}),
    "president_of": frozenset({"PERSON"}),
    "leader_of": frozenset({"PERSON"}),
    "spokesperson_of": frozenset({"PERSON"}),
    "employee_of": frozenset({"PERSON"}),
    "affiliated_with": frozenset({"PERSON"}),
    "born_in": frozenset({"PERSON"}),
    "headquartered_in": _ORGS,
    "acquired": _ORGS | {"PERSON"},
    "subsidiary_of": _ORGS,
    "supplier_of": _ORGS,
}
_TAIL_TYPES: dict[str, frozenset[str]] = {
    "founded_by": frozenset({"PERSON", "ORG", "NORP"}),
    "ceo_of": _ORGS,
    "chair_of": _ORGS,
    "employee_of": _ORGS,
    "affiliated_with": _ORGS,
    "president_of": _ORGS | {"GPE"},
    "leader_of": _ORGS | {"GPE"},
    "spokesperson_of": _ORGS | {"GPE"},
    "headquartered_in": _PLACES,
    "located_in": _PLACES,
    "born_in": _PLACES,
    "acquired": _ORGS | {"FAC", "PRODUCT"},
    "subsidiary_of": _ORGS,
    "supplier_of": _ORGS,
    "member_of": _ORGS,
}


def _typed(relation: str, head_label: str, tail_label: str, swap: bool) -> tuple[str, bool]:
    head, tail = (tail_label, head_label) if swap else (head_label, tail_label)
    if relation in _HEAD_TYPES and head not in _HEAD_TYPES[relation]:
        return "", False
    if relation in _TAIL_TYPES and tail not in _TAIL_TYPES[relation]:
        return "", False
    return relation, swap


def in_predicate_order(row: dict[str, Any]) -> dict[str, Any]:
    """The row with head and tail as the predicate reads them ("Jane found Acme"), for phrasing.

    Rows are stored in schema order ((Acme, founded_by, Jane)); ``inverse`` marks the ones whose
    predicate reads the other way round.
    """
    if not row.get("inverse"):
        return row
    out = dict(row)
    for suffix in ("", "_mention_id", "_label", "_cluster", "_start"):
        head, tail = f"head{suffix}", f"tail{suffix}"
        if head in row or tail in row:
            out[head], out[tail] = row.get(tail), row.get(head)
    return out


def predicate_of(row: dict[str, Any]) -> str:
    """The phrase a question is built from: the extracted predicate (older rows: ``relation``)."""
    return str(row.get("predicate") or row.get("relation") or "")


def is_fact(row: dict[str, Any]) -> bool:
    """A typed relation worth stating: a schema name, affirmative, asserted."""
    return bool(row.get("relation")) and is_asserted(row.get("polarity"), row.get("modality"))
