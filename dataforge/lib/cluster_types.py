"""A release's entity types: one per cross-document cluster, voted from every document's evidence.

Each named mention carries its document entity's evidence (``type_evidence``, written by
``entity_types.resolve_types``). A cluster's type sums those votes over its documents (each
document entity counted once), so "Lofoten" tagged PERSON by spaCy in five documents but placed
by "in Lofoten" in four is a place everywhere. ``relabel_examples`` gives example entities the
type of the cluster their span belongs to, so datasets agree with the graph.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from dataforge.lib.entity_types import PLACE_LABELS, decide

SPACY_ONLY_WEIGHT = 1.0  # a mention without evidence (a pronoun, an old lake) votes its label


def cluster_types(mentions: Sequence[dict[str, Any]], assignments: dict[str, str]) -> dict[str, dict[str, Any]]:
    """``cluster_id -> {label, votes, evidence, documents}`` from the mentions' evidence."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    evidence: dict[str, dict[tuple[str, str, str], list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    documents: dict[str, set[str]] = defaultdict(set)
    seen: set[tuple[str, str, str]] = set()
    parsed: dict[str, dict[str, Any]] = {}
    for m in mentions:
        cluster = assignments.get(m["mention_id"])
        if cluster is None or not m.get("label"):
            continue
        labels[cluster][m["label"]] += 1
        documents[cluster].add(m["doc_id"])
        raw = m.get("type_evidence") or ""
        if not raw:
            if m.get("antecedent_mention_id") is None:  # coref mentions only echo their antecedent's type
                votes[cluster][m["label"]] += SPACY_ONLY_WEIGHT
            continue
        record = parsed.get(raw) or parsed.setdefault(raw, json.loads(raw))
        key = (cluster, m["doc_id"], record["name"])
        if key in seen:
            continue
        seen.add(key)
        for label, weight in record["votes"].items():
            votes[cluster][label] += weight
        for kind, label, weight, detail, count in record["evidence"]:
            row = evidence[cluster][(kind, label, detail)]
            row[0] += weight
            row[1] += count
    out = {}
    for cluster in sorted(labels):
        fallback = min(labels[cluster].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        rows = sorted(
            ([k, lab, round(w, 3), d, n] for (k, lab, d), (w, n) in evidence[cluster].items()),
            key=lambda r: (-r[2], r[0], r[3]),
        )
        out[cluster] = {
            "label": decide({k: round(v, 3) for k, v in votes[cluster].items()}, fallback),
            "votes": {k: round(v, 3) for k, v in sorted(votes[cluster].items())},
            "evidence": rows[:20],
            "documents": len(documents[cluster]),
        }
    return out


def type_evidence_rows(types: dict[str, dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Rows of graph/type_evidence.parquet, clusters with the most documents first."""
    rows = [
        {
            "cluster_id": cluster,
            "canonical_name": names.get(cluster, ""),
            "label": t["label"],
            "documents": t["documents"],
            "votes_json": json.dumps(t["votes"], sort_keys=True),
            "evidence_json": json.dumps(t["evidence"]),
        }
        for cluster, t in types.items()
    ]
    return sorted(rows, key=lambda r: (-r["documents"], r["cluster_id"]))


def count_type_conflicts(
    mentions: Iterable[dict[str, Any]], assignments: dict[str, str], label_of: dict[str, str]
) -> int:
    """Mentions whose own label differs from their entity's type (goal: 0 once relabelled)."""
    return sum(
        1
        for m in mentions
        if m["mention_id"] in assignments and label_of.get(assignments[m["mention_id"]], m["label"]) != m["label"]
    )


def relabel_examples(
    examples: Iterable[dict[str, Any]], graph_mentions: Sequence[dict[str, Any]] | MentionTypes
) -> int:
    """Set each example entity's ``label`` to its cluster's type, in place; returns how many changed.

    An entity is found by its absolute span (example span start + entity offset) in
    graph/mentions.parquet, else by its exact text among the same document's mentions.
    """
    changed = 0
    for _, entity, label in _entity_types(examples, graph_mentions):
        if label and label != entity.get("label"):
            entity["label"] = label
            changed += 1
    return changed


def entity_type_conflicts(
    examples: Iterable[dict[str, Any]], graph_mentions: Sequence[dict[str, Any]] | MentionTypes
) -> int:
    """Example entities typed otherwise than their entity in the graph (the quality signal; goal 0)."""
    return sum(
        1 for _, entity, label in _entity_types(examples, graph_mentions) if label and label != entity.get("label")
    )


def without_disputed(
    examples: list[dict[str, Any]], graph_mentions: Sequence[dict[str, Any]] | MentionTypes
) -> tuple[list[dict[str, Any]], int]:
    """``examples`` less those with an entity its cluster types otherwise, and how many were left out.

    A document's vote and the release's cluster vote that disagree ("Khanal" PERSON in one
    article, ORG over the corpus) leave the type unsettled: relabelling would ship the other
    guess, so neither ships (a NER or relation row fails whole on one wrong type).
    """
    disputed = {
        id(example)
        for example, entity, label in _entity_types(examples, graph_mentions)
        if label and label != entity.get("label")
    }
    return [e for e in examples if id(e) not in disputed], len(disputed)


class MentionTypes:
    """The graph's mention types by absolute span and by (document, text), built once per release
    so that examples can be checked one batch at a time (a release stage streams them)."""

    def __init__(self, graph_mentions: Sequence[dict[str, Any]]) -> None:
        self.by_span = {(m["doc_id"], m["start"], m["end"]): m["label"] for m in graph_mentions}
        self.by_text: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for m in graph_mentions:
            self.by_text[(m["doc_id"], m["text"])][m["label"]] += 1


def _entity_types(
    examples: Iterable[dict[str, Any]], graph_mentions: Sequence[dict[str, Any]] | MentionTypes
) -> Iterator[tuple[dict[str, Any], dict[str, Any], str | None]]:
    """Each example and entity with its cluster's type (None when its span and text are unknown)."""
    index = graph_mentions if isinstance(graph_mentions, MentionTypes) else MentionTypes(graph_mentions)
    by_span, by_text = index.by_span, index.by_text
    for example in examples:
        spans = example.get("source_spans") or []
        entities = example.get("entities")
        if not isinstance(entities, list) or len(spans) != 1:
            continue
        doc_id, base = spans[0]["doc_id"], spans[0]["start"]
        for entity in entities:
            if not isinstance(entity, dict) or "start" not in entity:
                continue
            label = by_span.get((doc_id, base + entity["start"], base + entity["end"]))
            if label is None and by_text.get((doc_id, entity.get("text"))):
                label = by_text[(doc_id, entity["text"])].most_common(1)[0][0]
            if {entity.get("label"), label} & {"NORP"} and {entity.get("label"), label} & PLACE_LABELS:
                label = None  # "Norwegian" joins Norway's cluster (entity linking): each keeps its own type
            yield example, entity, label
