"""Arrow schemas of the silver and graph tables.

Declared up front so that an empty document still writes a valid, typed file and every
file of a stage has the same columns.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64())])

DOCUMENT_TEXT = pa.schema(
    [
        ("doc_id", pa.string()),
        ("text", pa.large_string()),
        ("media_type", pa.string()),
        ("title", pa.string()),
        ("author", pa.string()),
        ("date", pa.string()),
        ("language", pa.string()),
        ("page_count", pa.int64()),
        ("word_count", pa.int64()),
        ("pages", pa.list_(pa.struct([("page", pa.int64()), ("start", pa.int64()), ("end", pa.int64())]))),
        ("metadata_json", pa.string()),
        # front matter kept apart from the body, and the spans of markup (lib.structure)
        ("subtitle", pa.string()),
        ("dateline", pa.string()),
        ("byline", pa.string()),
        ("blocks", pa.list_(pa.struct([("start", pa.int64()), ("end", pa.int64()), ("role", pa.string())]))),
    ]
)

DOCUMENT_CHUNKS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("chunk_id", pa.int64()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.large_string()),
        ("n_tokens", pa.int64()),
        ("heading", pa.string()),
        ("sentences", pa.list_(SPAN)),
        ("language", pa.string()),
    ]
)

DOCUMENT_MENTIONS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("mention_id", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.string()),
        ("label", pa.string()),
        ("sentence_id", pa.int64()),
        ("sentence_start", pa.int64()),
        ("sentence_end", pa.int64()),
        ("chunk_id", pa.int64()),
        # ``label`` is the mention's entity's type (dataforge/lib/entity_types.py); spaCy's own
        # label is kept (null: spaCy missed it, the name was found by propagation) with the
        # evidence for the type as JSON ({name, label, votes, evidence}; "" for values).
        ("spacy_label", pa.string()),
        ("type_evidence", pa.large_string()),
    ]
)

# Nominal and pronoun mentions linked within a document: the mention columns (without
# chunk_id), then how and to what each was linked.
COREF_MENTIONS = pa.schema(
    [f for f in DOCUMENT_MENTIONS if f.name not in ("chunk_id",)][:6]
    + [pa.field("kind", pa.string())]
    + [f for f in DOCUMENT_MENTIONS if f.name in ("sentence_id", "sentence_start", "sentence_end")]
    + [
        pa.field("antecedent_mention_id", pa.string()),
        pa.field("rule", pa.string()),
        pa.field("detail", pa.string()),
    ]
)

DOCUMENT_RELATIONS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("head_mention_id", pa.string()),
        ("head", pa.string()),
        ("head_label", pa.string()),
        ("relation", pa.string()),
        ("tail_mention_id", pa.string()),
        ("tail", pa.string()),
        ("tail_label", pa.string()),
        ("confidence", pa.float64()),
        ("evidence_start", pa.int64()),
        ("evidence_end", pa.int64()),
        ("pattern", pa.string()),
        ("kind", pa.string()),
        ("predicate", pa.string()),  # the extracted predicate; ``relation`` is its schema name
        ("polarity", pa.string()),  # affirmative | negated (dataforge.lib.assertion)
        ("modality", pa.string()),  # asserted | question | conditional | hedged | future | planned
        ("inverse", pa.bool_()),  # the predicate reads tail -> head ("Jane founded Acme": Acme founded_by Jane)
    ]
)

EXAMPLES = pa.schema(
    [("id", pa.string()), ("kind", pa.string()), ("doc_id", pa.string()), ("record", pa.large_string())]
)

GRAPH_MENTIONS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("mention_id", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.string()),
        ("label", pa.string()),
        ("cluster_id", pa.string()),
    ]
)

ENTITIES = pa.schema(
    [
        ("cluster_id", pa.string()),
        ("label", pa.string()),
        ("canonical_name", pa.string()),
        ("aliases", pa.list_(pa.string())),
        ("mention_count", pa.int64()),
        ("doc_count", pa.int64()),
        ("doc_ids", pa.list_(pa.string())),
    ]
)

# Why a cluster has its type: summed votes per label and the heaviest evidence rows
# ([kind, label, weight, detail, count]) over its documents (dataforge/lib/cluster_types.py).
TYPE_EVIDENCE = pa.schema(
    [
        ("cluster_id", pa.string()),
        ("canonical_name", pa.string()),
        ("label", pa.string()),
        ("documents", pa.int64()),
        ("votes_json", pa.string()),
        ("evidence_json", pa.large_string()),
    ]
)

MERGE_EVIDENCE = pa.schema([("rule", pa.string()), ("a", pa.string()), ("b", pa.string()), ("detail", pa.string())])

GRAPH_RELATIONS = pa.schema(
    [
        ("head_cluster", pa.string()),
        ("head_name", pa.string()),
        ("relation", pa.string()),
        ("tail_cluster", pa.string()),
        ("tail_name", pa.string()),
        ("kind", pa.string()),
        ("count", pa.int64()),
        ("doc_count", pa.int64()),
        ("doc_ids", pa.list_(pa.string())),
        ("max_confidence", pa.float64()),
        ("evidence", pa.list_(pa.struct([("doc_id", pa.string()), ("start", pa.int64()), ("end", pa.int64())]))),
    ]
)

NODES = pa.schema(
    [
        ("cluster_id", pa.string()),
        ("canonical_name", pa.string()),
        ("label", pa.string()),
        ("pagerank", pa.float64()),
        ("community", pa.int64()),
    ]
)

TIMELINE = pa.schema(
    [
        ("event_id", pa.string()),
        ("doc_id", pa.string()),
        ("date", pa.string()),
        ("date_text", pa.string()),
        ("sentence", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("date_start", pa.int64()),
        ("date_end", pa.int64()),
        ("cluster_ids", pa.list_(pa.string())),
        ("participants", pa.list_(pa.string())),
    ]
)


def example_rows(doc_id: str, examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Examples are stored whole as JSON: their shapes differ by kind."""
    return [
        {
            "id": e["id"],
            "kind": e["kind"],
            "doc_id": doc_id,
            "record": json.dumps(e, sort_keys=True, ensure_ascii=False),
        }
        for e in examples
    ]
