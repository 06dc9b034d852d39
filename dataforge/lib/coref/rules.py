"""Within-document coreference by explicit rules, each link recorded with the rule that made it.

Mentions are taken in document order. A mention links to one antecedent, chosen by the first
rule that applies (every rule requires compatible labels: equal when labels are trusted):
- ``same_name``: an earlier mention with the same normalized name ("the NREC" -> "NREC").
- ``acronym``: an all-caps name equal to the initials of exactly one longer name in the
  document, before or after it ("NREC" -> "Northwind Renewable Energy Corporation").
- ``short_form``: a proper name whose words are the first or last words of a longer name (a
  single last word only for people), the nearest one before it ("Marsh" -> "Helena Marsh",
  "Halloran Blue" -> "Halloran Blue Capital", "van Dijk" -> "Pieter van Dijk").
- ``same_head``: a common noun phrase with the head and number of an earlier one ("the
  climber" -> "a British climber", never "the climbers").
- ``nominal``: "the" + a type noun ("the company", "the institute", "the city") -> a name
  ending with that noun, else the most salient name of that type.
- ``pronoun``: he/she -> the most salient person of a compatible gender; it/its -> the most
  salient non-person that is no place; they/them/their -> the most salient plural or group;
  who -> the person just before it in its sentence; I/we/you are never linked (quotes change
  the speaker). Salience: +2 for the first mention of its sentence (a subject, mostly), +1
  per earlier mention of the chain (up to 4), -2 per sentence back; at most two sentences
  back and at least ``MIN_SALIENCE``. Pronouns link to the chain's latest name, not to
  another pronoun.
- ``apposition`` (in addition): a role noun right next to a name in the same sentence
  ("receiver Vincent Jackson", "Helena Marsh, the chief executive").
The thresholds were set on the hand-labelled passages (dataforge_tests/lib/fixtures), so
their measured precision is optimistic; the ECB+ evaluation reports the rules on unseen text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dataforge.lib.link.names import (
    PERSON_NOUNS,
    Name,
    is_person_like,
    labels_compatible,
    parse_name,
    short_form_of,
)

WINDOW_SENTENCES = 2
# Salience (see _Doc.salience): a chain must reach MIN_SALIENCE to be an antecedent.
SUBJECT_BONUS = 2.0
SENTENCE_COST = 2.0
MIN_SALIENCE = -1.0  # it, they: a chain one sentence back must be a subject or mentioned before
MIN_SALIENCE_PERSON = -1.1  # he, she (gender filters already): any person of the previous sentence
# Heads of definite descriptions ("the company") and the entity type they refer to; "*" nouns
# only refer to a name that ends with them ("the programme" -> "the TIDEWAKE Programme").
TYPE_NOUNS = {
    **dict.fromkeys(
        "company firm group corporation bank lender insurer startup conglomerate network club agency "
        "ministry organization organisation institute university college navy army".split(),
        "ORG",
    ),
    **dict.fromkeys("city town country nation village".split(), "GPE"),
    **dict.fromkeys("programme program project farm plant facility laboratory centre center".split(), "*"),
}
_GENDERED = {
    **dict.fromkeys("man boy brother father son husband king actor spokesman mr sir lord".split(), "m"),
    **dict.fromkeys("woman girl sister mother daughter wife queen actress spokeswoman ms mrs miss".split(), "f"),
}
_LABEL_OF_TYPE = {"ORG": {"ORG", "HUM"}, "GPE": {"GPE", "LOC", "FAC"}}
_NOT_IT = frozenset({"GPE", "LOC", "NORP", "PERSON"})  # "it" rarely means a place or a nationality


def _gender(name: Name) -> str:
    if name.kind == "pronoun":
        return name.gender
    first = name.key.split()[0] if name.key else ""
    return _GENDERED.get(name.head) or _GENDERED.get(first, "")


_PLURAL_NOUNS = frozenset("people police staff crew authorities officials troops children men women".split())


def _plural(name: Name) -> bool:
    last = name.key.split()[-1] if name.key else ""
    return name.kind == "nominal" and (last != name.head or last in _PLURAL_NOUNS) or name.gender == "p"


def _is_group(name: Name, label: str | None) -> bool:
    return name.kind in ("proper", "nominal") and not is_person_like(name, label) and name.kind != "temporal"


class _Doc:
    """The mentions of one document with their parsed names, in order."""

    def __init__(self, mentions: Sequence[dict[str, Any]], strict_labels: bool):
        self.mentions = mentions
        self.names = [parse_name(m["text"]) for m in mentions]
        self.labels = [m.get("label") or None for m in mentions]
        self.strict = strict_labels
        self.sentences = _sentence_numbers(mentions)
        self.first = [i == 0 or self.sentences[i - 1] != self.sentences[i] for i in range(len(mentions))]
        self.root: list[int | None] = [None] * len(mentions)  # the named mention a chain starts from
        self.count: dict[int, int] = {}  # mentions so far per chain root
        self.last_named: dict[int, int] = {}  # the latest non-pronoun mention per chain root

    def settle(self, i: int, antecedent: int | None) -> None:
        """Record where mention ``i``'s chain starts once its antecedent is known."""
        root = self.root[antecedent] if antecedent is not None else None
        if root is None and self.names[i].kind != "pronoun":
            root = i
        self.root[i] = root
        if root is not None:
            self.count[root] = self.count.get(root, 0) + 1
            if self.names[i].kind != "pronoun":
                self.last_named[root] = i

    def salience(self, j: int, i: int) -> float:
        """How likely mention ``j`` is what ``i`` refers to: subjects (first in their sentence)
        and often-mentioned entities win over merely the nearest, near beats far."""
        root = self.root[j]
        frequency = min(self.count.get(root, 1), 4) if root is not None else 1
        distance = self.sentences[i] - self.sentences[j]
        return SUBJECT_BONUS * self.first[j] + frequency - SENTENCE_COST * distance - 0.01 * (i - j)

    def compatible(self, i: int, j: int) -> bool:
        a, b = self.labels[i], self.labels[j]
        return a == b or labels_compatible(a, b, self.strict)


def _sentence_numbers(mentions: Sequence[dict[str, Any]]) -> list[int]:
    """``sentence_id`` when given, else a new number whenever the ``sentence`` text changes."""
    if all("sentence_id" in m for m in mentions):
        return [int(m["sentence_id"]) for m in mentions]
    numbers, current, previous = [], -1, object()
    for m in mentions:
        sentence = m.get("sentence")
        if sentence != previous or sentence is None:
            current += 1
            previous = sentence
        numbers.append(current)
    return numbers


def link_within_document(
    mentions: Sequence[dict[str, Any]], strict_labels: bool = True
) -> list[tuple[int, int, str, str]]:
    """Links ``(antecedent, anaphor, rule, detail)`` between positions of one document's mentions.

    ``mentions`` must be in document order and carry ``text`` (and optionally ``label``,
    ``sentence_id`` or ``sentence``).
    """
    doc = _Doc(mentions, strict_labels)
    links: list[tuple[int, int, str, str]] = []
    last_key: dict[str, int] = {}
    last_head: dict[str, int] = {}
    long_by_word: dict[str, list[int]] = {}  # multi-word proper names seen so far, by first and last word
    long_by_initials: dict[str, list[int]] = {}
    pending_acronyms: list[int] = []
    for i, name in enumerate(doc.names):
        found = None
        if name.kind == "pronoun":
            found = _pronoun(doc, i)
        elif name.key in last_key and doc.compatible(last_key[name.key], i):
            found = (last_key[name.key], "same_name", name.key)
        elif name.kind == "proper":
            found = _acronym(doc, i, long_by_initials) or _short_form(doc, i, long_by_word)
            if found is None and name.acronym:
                pending_acronyms.append(i)
        elif name.kind == "nominal":
            j = last_head.get(name.head)
            if j is not None and doc.compatible(j, i) and _plural(doc.names[j]) == _plural(name):
                found = (j, "same_head", name.head)
            else:
                found = _type_nominal(doc, i)
        if found:
            links.append((found[0], i, found[1], found[2]))
        doc.settle(i, found[0] if found else None)
        if i and _apposition(doc, i - 1, i):
            links.append((i - 1, i, "apposition", f"'{mentions[i - 1]['text']}' next to '{mentions[i]['text']}'"))
        if name.kind != "pronoun":
            last_key[name.key] = i
            if name.kind == "nominal":
                last_head[name.head] = i
            words = name.core.split()
            if name.kind == "proper" and len(words) > 1:
                for key in {words[0], words[-1]}:
                    long_by_word.setdefault(key, []).append(i)
                for letters in name.initials:
                    long_by_initials.setdefault(letters, []).append(i)
    for i in pending_acronyms:  # an acronym before its long form (headlines)
        found = _acronym(doc, i, long_by_initials)
        if found:
            links.append((found[0], i, found[1], found[2]))
    return links


_APPOSITION_GAPS = (" ", " , ", ", ", " , the ", ", the ", " , a ", ", a ", " , an ", ", an ")


def _apposition(doc: _Doc, j: int, i: int) -> bool:
    """ "receiver Vincent Jackson", "Helena Marsh, the chief executive": a role noun next to a name."""
    a, b = doc.names[j], doc.names[i]
    if a.kind == b.kind or {a.kind, b.kind} != {"nominal", "proper"} or doc.sentences[i] != doc.sentences[j]:
        return False
    if not doc.compatible(j, i):
        return False
    nominal, proper = (j, i) if a.kind == "nominal" else (i, j)
    person = is_person_like(doc.names[proper], doc.labels[proper])
    role = doc.names[nominal].head in PERSON_NOUNS
    if person != role or (not role and doc.names[nominal].head not in TYPE_NOUNS) or _plural(doc.names[nominal]):
        return False
    sentence = doc.mentions[i].get("sentence")
    if not sentence:
        return False
    first, second = doc.mentions[j]["text"], doc.mentions[i]["text"]
    return any(f"{first}{gap}{second}" in sentence for gap in _APPOSITION_GAPS)


def _acronym(doc: _Doc, i: int, by_initials: dict[str, list[int]]) -> tuple[int, str, str] | None:
    letters = doc.names[i].acronym
    if not letters:
        return None
    matches = [j for j in by_initials.get(letters, ()) if doc.compatible(j, i)]
    targets = {doc.names[j].core for j in matches}
    if len(targets) == 1:
        return matches[-1], "acronym", f"{letters.upper()} = initials of {doc.names[matches[-1]].core}"
    return None


def _short_form(doc: _Doc, i: int, by_word: dict[str, list[int]]) -> tuple[int, str, str] | None:
    words = doc.names[i].core.split()
    if not words:
        return None
    candidates = by_word.get(words[0], []) + (by_word.get(words[-1], []) if words[-1] != words[0] else [])
    for j in sorted(candidates, reverse=True):
        if doc.compatible(j, i) and short_form_of(doc.names[i], doc.names[j], doc.labels[j]):
            return j, "short_form", f"'{doc.names[i].core}' after '{doc.names[j].core}'"
    return None


def _type_nominal(doc: _Doc, i: int) -> tuple[int, str, str] | None:
    """ "the institute" -> a salient name ending with "institute", else the most salient name of its type."""
    name = doc.names[i]
    wanted = TYPE_NOUNS.get(name.head)
    words = doc.mentions[i]["text"].lower().split()
    if not wanted or len(words) != 2 or words[0] not in ("the", "this", "that") or _plural(name):
        return None
    j = _best(doc, i, lambda other, _: other.kind == "proper" and other.key.split()[-1] == name.head, -1e9)
    if j is not None:
        return j, "nominal", f"'{doc.mentions[i]['text']}' -> a name ending in '{name.head}'"
    if wanted == "*":
        return None

    def fits(other: Name, label: str | None) -> bool:
        if other.kind != "proper" or label is None or is_person_like(other, label):
            return False
        return label in _LABEL_OF_TYPE[wanted] or label == "ENTITY"

    j = _best(doc, i, fits)
    return (j, "nominal", f"'{doc.mentions[i]['text']}' -> most salient {wanted} name") if j is not None else None


def _window(doc: _Doc, i: int) -> range:
    """Earlier mentions in this and the previous WINDOW_SENTENCES sentences, nearest first."""
    first = i
    while first > 0 and doc.sentences[i] - doc.sentences[first - 1] <= WINDOW_SENTENCES:
        first -= 1
    return range(i - 1, first - 1, -1)


def _best(doc: _Doc, i: int, fits, minimum: float | None = None) -> int | None:  # noqa: ANN001
    """The latest named mention of the most salient chain in the window that ``fits``, if it is
    salient enough (a chain two sentences back must be a subject or mentioned often)."""
    best, best_score, seen = None, float("-inf"), set()
    for j in _window(doc, i):
        root = doc.root[j]
        if root is None or root in seen or not doc.compatible(root, i) or not doc.compatible(j, i):
            continue
        seen.add(root)
        if fits(doc.names[root], doc.labels[root]):
            score = doc.salience(j, i)
            if score > best_score:
                best, best_score = doc.last_named.get(root, root), score
    return best if best_score >= (MIN_SALIENCE if minimum is None else minimum) else None


def _pronoun(doc: _Doc, i: int) -> tuple[int, str, str] | None:
    name = doc.names[i]
    gender = name.gender
    if gender == "r":
        j = i - 1
        if name.key in ("who", "whom", "whose") and j >= 0 and doc.sentences[j] == doc.sentences[i]:
            if doc.root[j] is not None and is_person_like(doc.names[doc.root[j]], doc.labels[doc.root[j]]):
                return j, "pronoun", "who -> the person just before"
        return None
    if gender in ("m", "f"):

        def fits(other: Name, label: str | None) -> bool:
            return is_person_like(other, label) and _gender(other) in ("", gender) and not _plural(other)

        rule = f"{name.key} -> most salient person"
        minimum = MIN_SALIENCE_PERSON
    elif gender == "n":

        def fits(other: Name, label: str | None) -> bool:
            return _is_group(other, label) and not _plural(other) and label not in _NOT_IT

        rule = "it -> most salient non-person"
        minimum = MIN_SALIENCE
    elif gender == "p":

        def fits(other: Name, label: str | None) -> bool:
            return _plural(other) or (_is_group(other, label) and label not in _NOT_IT)

        rule = "they -> most salient plural or group"
        minimum = MIN_SALIENCE
    else:  # I, we, you: quotes change the speaker
        return None
    j = _best(doc, i, fits, minimum)
    return (j, "pronoun", rule) if j is not None else None
