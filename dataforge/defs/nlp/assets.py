"""Entities, relations and vectors per document."""

from dataforge.defs.factory import document_asset
from dataforge.lib import stages

document_mentions = document_asset(
    "document_mentions",
    stages.document_mentions,
    deps=["document_chunks"],
    group="nlp",
    kinds={"spacy", "parquet"},
    description="Named-entity mentions from spaCy (nlp.pipe over the whole batch) with label, "
    "offsets, sentence and chunk ids.",
)

document_relations = document_asset(
    "document_relations",
    stages.document_relations,
    deps=["document_mentions"],
    group="nlp",
    kinds={"spacy", "parquet"},
    description="(head, relation, tail) triples from dependency patterns with evidence spans and "
    "confidence, plus sentence co-occurrence edges kept apart.",
)

chunk_embeddings = document_asset(
    "chunk_embeddings",
    stages.chunk_embeddings,
    deps=["document_chunks", "document_mentions"],
    group="nlp",
    kinds={"pytorch", "parquet"},
    description="One normalized all-MiniLM-L6-v2 vector per chunk, and per mention its sentence's "
    "(silver/mention_embeddings, context for entity resolution), in one encode call; fixed-size list columns.",
)
