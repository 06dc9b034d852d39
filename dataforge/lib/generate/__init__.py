"""Training-example generators: documents, mentions and relations in, flat examples out.

Each example carries its record fields (DESIGN.md) plus provenance: ``id``, ``kind``,
``generator``, ``source_documents`` and ``source_spans`` (absolute offsets into each
document's text). Pure and deterministic: same inputs and config give the same list.
"""

from __future__ import annotations

from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate import (
    classification,
    conversation,
    corpus,
    corpus_tasks,
    instruction,
    ner,
    qa,
    summary,
)
from dataforge.lib.generate.common import build_context, finalize

KINDS = ("instruction", "qa", "summary", "conversation", "ner", "relation", "classification")

__all__ = ["KINDS", "generate_corpus_examples", "generate_document_examples"]


def generate_document_examples(
    document: dict[str, Any],
    chunks: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    config: DataforgeConfig,
) -> list[dict[str, Any]]:
    """Every per-document example: QA, summaries, instructions, conversations, NER/relation."""
    ctx = build_context(document, chunks, mentions, relations, int(config.seed))
    if ctx is None:
        return []
    qa_examples = qa.generate(ctx, config)
    summaries = summary.generate(ctx, config)
    out = qa_examples + summaries
    out += instruction.generate(ctx, config, qa_examples, summaries)
    out += conversation.generate(ctx, config, qa_examples, summaries)
    out += ner.generate(ctx, config)
    return finalize(out)


def generate_corpus_examples(
    documents: dict[str, dict[str, Any]],
    entities: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    events: list[dict[str, Any]],
    chunk_vectors: list[tuple[dict[str, Any], list[float]]],
    config: DataforgeConfig,
) -> list[dict[str, Any]]:
    """Examples that need several documents, plus chunk classification over the corpus."""
    documents = {str(k): v for k, v in (documents or {}).items() if v}
    if not documents:
        return []
    fact_list = corpus.facts(documents, mentions or [], relations or [])
    sents = corpus.cluster_sentences(documents, mentions or [])
    out = corpus.multihop(documents, fact_list, config)
    out += corpus.profiles(documents, entities or [], sents, config)
    out += corpus_tasks.generate(documents, entities or [], fact_list, sents, events or [], config)
    out += classification.generate(documents, chunk_vectors or [], config)
    return finalize(out)
