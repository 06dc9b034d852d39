"""Corpus examples from schema facts: multi-hop questions and yes/no questions.

Both read facts by their schema relation (``relation_text``), never by the parser's predicate,
and lean on which end of a relation is single-valued (``FUNCTIONAL``):
- a multi-hop question names a bridge entity through a fact of one document ("the organization
  that acquired Halden Marine Power") and asks a fact of another document about it ("Where is
  ... headquartered?"); both steps are single-valued across the corpus, and neither document
  states the other's fact, so only the two together answer it;
- a yes/no question is "yes" for a stated fact, and "no" only where the corpus proves it false:
  the single-valued end replaced by another entity of its type (one chief executive per company,
  so a second person is not it), never a pair the corpus merely does not mention.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import make_example, rng, span
from dataforge.lib.generate.corpus import Fact, _text
from dataforge.lib.generate.instruction import instruction_example, phrase
from dataforge.lib.generate.qa import MAX_SOURCE_WORDS, qa_record, well_formed
from dataforge.lib.generate.relation_windows import cued
from dataforge.lib.relation_text import FUNCTIONAL, describe, question, statement, yes_no

GEN_MULTIHOP = "qa.multihop/2"
MAX_MULTIHOP = 500
MAX_YES_NO_FACTS = 200
_OTHER = {"head": "tail", "tail": "head"}


@dataclass(frozen=True)
class End:
    cluster: str
    text: str
    label: str
    span: tuple[int, int]


@dataclass(frozen=True)
class SchemaFact:
    """A fact in schema order: (head, relation, tail) as relation_schema names it."""

    doc_id: str
    relation: str
    head: End
    tail: End
    evidence: tuple[int, int]

    def end(self, which: str) -> End:
        return self.head if which == "head" else self.tail

    @property
    def key(self) -> tuple[str, str, str]:
        return self.head.cluster, self.relation, self.tail.cluster


def _full(text: str, label: str) -> bool:
    return bool(text[:1].isupper()) and "\n" not in text and (label != "PERSON" or len(text.split()) >= 2)


MAX_EVIDENCE_WORDS = 60  # a longer "sentence" is several glued together: no clean evidence


def _named(cluster: str, text: str, label: str, names: dict[str, str]) -> str:
    """The mention, or its cluster's full name where the mention is a bare surname ("Lindqvist")."""
    text = " ".join(text.split())
    full = names.get(cluster, "")
    if not _full(text, label) and _full(full, label) and full.endswith(text):
        return full
    return text


def schema_facts(
    fact_list: list[Fact], documents: dict[str, dict] | None = None, names: dict[str, str] | None = None
) -> list[SchemaFact]:
    """Facts with a schema relation and full-name ends; with ``documents``, only those whose
    evidence sentence holds a word for the relation (``relation_windows.cued``)."""
    out = []
    names = names or {}
    for f in fact_list:
        if not f.schema or f.schema == "alias_of":
            continue
        if documents is not None:
            evidence = _text(documents, f.doc_id)[slice(*f.evidence)]
            if not cued(f.schema, evidence) or len(evidence.split()) > MAX_EVIDENCE_WORDS or "\n\n" in evidence:
                continue
        a = End(f.head_cluster, _named(f.head_cluster, f.head, f.head_label, names), f.head_label, f.head_span)
        b = End(f.tail_cluster, _named(f.tail_cluster, f.tail, f.tail_label, names), f.tail_label, f.tail_span)
        head, tail = (b, a) if f.inverse else (a, b)
        if _full(head.text, head.label) and _full(tail.text, tail.label):
            out.append(SchemaFact(f.doc_id, f.schema, head, tail, f.evidence))
    return sorted(set(out), key=lambda f: (f.doc_id, f.evidence, f.head.span, f.relation, f.tail.span))


class Index:
    """Values of each single-valued end, and the documents stating each fact."""

    def __init__(self, facts: list[SchemaFact]) -> None:
        self.values: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (rel, fixed end, cluster)
        self.docs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for f in facts:
            self.docs[f.key].add(f.doc_id)
            which = FUNCTIONAL.get(f.relation)
            if which:
                fixed = f.end(_OTHER[which])
                self.values[(f.relation, _OTHER[which], fixed.cluster)].add(f.end(which).cluster)

    def single(self, f: SchemaFact) -> bool:
        """The fact's single-valued end has this one value across the corpus."""
        which = FUNCTIONAL[f.relation]
        return len(self.values[(f.relation, _OTHER[which], f.end(_OTHER[which]).cluster)]) == 1


def _overlap(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a in b or b in a


def multihop(documents: dict[str, dict], facts: list[SchemaFact], config: DataforgeConfig) -> list[dict[str, Any]]:
    index = Index(facts)
    single = [f for f in facts if f.relation in FUNCTIONAL and index.single(f)]
    # f2 describes its single-valued end B ("the organization that acquired X"); f1 asks about B
    by_known: dict[str, list[tuple[SchemaFact, str]]] = defaultdict(list)
    for f1 in single:
        by_known[f1.end(_OTHER[FUNCTIONAL[f1.relation]]).cluster].append((f1, FUNCTIONAL[f1.relation]))
    found: dict[tuple, tuple[SchemaFact, SchemaFact, str, End]] = {}
    for f2 in single:
        e2 = FUNCTIONAL[f2.relation]
        bridge, known = f2.end(e2), f2.end(_OTHER[e2])
        desc = describe(f2.relation, e2, known.text, bridge.label)
        if desc is None:
            continue
        for f1, ask in by_known.get(bridge.cluster, []):
            answer = f1.end(ask)
            ev1 = _text(documents, f1.doc_id)[answer.span[0] : answer.span[1]]
            if ev1 != answer.text or f1.doc_id == f2.doc_id or answer.cluster in (bridge.cluster, known.cluster):
                continue
            if f1.doc_id in index.docs[f2.key] or f2.doc_id in index.docs[f1.key]:
                continue  # one document states both steps: no second hop needed
            if _overlap(answer.text, known.text) or _overlap(answer.text, bridge.text):
                continue
            q = question(f1.relation, ask, desc, answer.label)
            key = (answer.cluster, f1.relation, bridge.cluster, f2.relation, known.cluster)
            if q is None or key in found or not well_formed(q, answer.text):
                continue
            found[key] = (f1, f2, q, answer)
    keys = sorted(found)
    if len(keys) > MAX_MULTIHOP:
        keys = sorted(rng(config.seed, "multihop").sample(keys, MAX_MULTIHOP))
    # two-hop paths through a hub grow with the square of its degree: only the kept ones are built
    return [_multihop_example(documents, *found[k]) for k in keys]


def _multihop_example(documents: dict[str, dict], f1: SchemaFact, f2: SchemaFact, q: str, answer: End) -> dict:
    ev1 = _text(documents, f1.doc_id)[slice(*f1.evidence)]
    ev2 = _text(documents, f2.doc_id)[slice(*f2.evidence)]
    start = len(ev2) + 1 + answer.span[0] - f1.evidence[0]  # the describing step first, then the asked one
    qtype = q.split()[0].lower() if q.startswith(("Who", "Where")) else "which"
    end = start + len(answer.text)
    record = qa_record(ev2 + " " + ev1, q, answer.text, start, end, qtype, "hard", answer.label)
    return make_example("qa", GEN_MULTIHOP, record, [span(f2.doc_id, *f2.evidence), span(f1.doc_id, *f1.evidence)])


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_ARTICLE_LABELS = frozenset({"NORP", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})
_PLACED_ONLY = frozenset({"PERSON", "NORP"})  # a person or a people is from a place, not "located in" it


def as_written(documents: dict[str, dict], doc_id: str, end: End) -> str:
    """The end's name with the article its source gives it ("the Normans", "the USSR"): a
    question without it reads wrong ("Is Normans located in Italy?")."""
    before = _text(documents, doc_id)[max(0, end.span[0] - 4) : end.span[0]]
    if end.label in _ARTICLE_LABELS and before.lower() == "the " and not end.text.lower().startswith("the "):
        return "the " + end.text
    return end.text


def _written_in(name: str, text: str) -> bool:
    """``name`` stands in ``text`` as a whole name: "Is Ronnie Hale the chair of Barnsley?" asked of a
    story that never names him is no plausible probe."""
    return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def yes_no_questions(
    documents: dict[str, dict], facts: list[SchemaFact], pool: dict[str, list[str]], names: dict[str, str], config
) -> list[dict[str, Any]]:
    """A "yes" per fact; a "no" where the single-valued end, replaced by another name of the same
    story, is false per the corpus. The evidence sentence is the input: the question reads alone."""
    index = Index(facts)
    unique: dict[tuple, SchemaFact] = {}
    for f in facts:
        unique.setdefault(f.key, f)
    keys = sorted(unique)
    if len(keys) > MAX_YES_NO_FACTS:
        keys = sorted(rng(config.seed, "yes-no-facts").sample(keys, MAX_YES_NO_FACTS))
    related = {frozenset((f.head.cluster, f.tail.cluster)) for f in facts}
    out = []
    for key in keys:
        f = unique[key]
        if f.relation == "located_in" and f.head.label in _PLACED_ONLY:
            continue  # "Is Conrad located in Montferrat?": "Conrad of Montferrat" is a name
        head, tail = as_written(documents, f.doc_id, f.head), as_written(documents, f.doc_id, f.tail)
        said, asked = statement(f.relation, head, tail), yes_no(f.relation, head, tail)
        if not said or not asked:
            continue
        spans = [span(f.doc_id, *f.evidence)]
        passage = _clean(_text(documents, f.doc_id)[slice(*f.evidence)])  # the input: the question reads alone
        if len(passage.split()) > MAX_SOURCE_WORDS:
            continue  # captions run together, no passage to read a fact from
        text, k = phrase("yes_no", config.seed, *key, "yes", q=asked, q_lower=asked[:1].lower() + asked[1:])
        yes = f"Yes. The text says: {passage}"
        out.append(instruction_example("yes_no", text, k, passage, yes, spans, "corpus", None, f.head.text, 1))
        which = FUNCTIONAL.get(f.relation)
        if not which or not index.single(f):
            continue
        true, fixed = f.end(which), f.end(_OTHER[which])
        choices = [
            c
            for c in pool.get(true.label, [])
            if c not in (true.cluster, fixed.cluster)
            and frozenset((c, fixed.cluster)) not in related  # a related pair might hold the fact unstated
            and _full(names.get(c, ""), true.label)
            and not _overlap(names[c], true.text)
            and not _overlap(names[c], fixed.text)
            and _written_in(names[c], _text(documents, f.doc_id))  # a name of the same story, not of another
        ]
        if not choices:
            continue
        wrong = names[rng(config.seed, "yes-no", *key).choice(sorted(choices))]
        h, t = (wrong, tail) if which == "head" else (head, wrong)
        no = yes_no(f.relation, h, t)
        if no is None:
            continue
        text, k = phrase("yes_no", config.seed, *key, "no", q=no, q_lower=no[:1].lower() + no[1:])
        output = f"No. According to the text, {said} It says: {passage}"
        out.append(instruction_example("yes_no", text, k, passage, output, spans, "corpus", None, wrong, 1))
    return out
