"""Training-example generators: documents, mentions and relations in, flat examples out.

Each example carries its record fields (DESIGN.md) plus provenance: ``id``, ``kind``,
``generator``, ``source_documents`` and ``source_spans`` (absolute offsets into each
document's text). Pure and deterministic: same inputs and config give the same list.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from dataforge.lib.config import ConfigError, DataforgeConfig
from dataforge.lib.generate import (
    augment,
    choice_tasks,
    classification,
    conversation,
    corpus,
    corpus_tasks,
    fact_tasks,
    instruction,
    llm_tasks,
    ner,
    qa,
    relation,
    relation_tasks,
    summary,
)
from dataforge.lib.generate.common import MENTION_STRINGS, RELATION_STRINGS, build_context, finalize, sanitize
from dataforge.lib.llm import ChatClient, ChatRequest
from dataforge.lib.records import validate_examples

KINDS = ("instruction", "qa", "summary", "conversation", "ner", "relation", "classification")

__all__ = ["KINDS", "generate_corpus_examples", "generate_document_examples", "llm_requests"]


def default_embedder(config: DataforgeConfig) -> summary.Embed | None:
    """The pipeline's sentence embedder (MiniLM, loaded once per process), or None for TF-IDF."""
    if config.generate.summary_method not in ("embedding", "tfidf"):
        raise ConfigError(
            f"generate.summary_method must be 'embedding' or 'tfidf', not {config.generate.summary_method!r}"
        )
    if config.generate.summary_method != "embedding":
        return None
    from dataforge.lib.embed import embed_texts

    nlp = config.nlp
    return partial(
        embed_texts, model=nlp.embedding_model, batch_size=nlp.embedding_batch_size, precision=nlp.embedding_precision
    )


def generate_document_examples(
    document: dict[str, Any],
    chunks: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    config: DataforgeConfig,
    embed: summary.Embed | None = None,
    llm: ChatClient | None = None,
    parses: list[tuple[int, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Every per-document example: QA, summaries, instructions, conversations, NER/relation.

    ``embed`` maps sentences to vectors for summaries (default: the configured MiniLM);
    ``llm``, when given and enabled in the config, adds grounded LLM examples; ``parses``
    (the NER stage's spaCy docs with their offsets) add dependency-based questions.
    """
    ctx = build_context(document, chunks, mentions, relations, int(config.seed))
    if ctx is None:
        return []
    candidates = qa.checked_candidates(ctx, parses)  # once: QA rows and conversations share them
    qa_examples = qa.generate(ctx, config, parses, candidates)
    summaries = summary.generate(ctx, config, embed if embed is not None else default_embedder(config), parses)
    out = qa_examples + summaries
    out += instruction.generate(ctx, config, qa_examples, summaries)
    out += relation_tasks.generate(ctx)
    turns = config.generate.conversation_max_turns >= 2
    exchanges = [c for cands in candidates.values() for c in cands] if turns else []
    out += conversation.generate(ctx, config, qa_examples, summaries, exchanges, parses)
    out += ner.generate(ctx, config)
    out += relation.generate(ctx, config)
    if llm is not None and config.generate.llm.enabled:
        out += llm_tasks.generate(ctx, config, qa_examples, llm)
    return validate_examples(finalize(out))


def llm_requests(
    document: dict[str, Any],
    chunks: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    config: DataforgeConfig,
    parses: list[tuple[int, Any]] | None = None,
) -> list[ChatRequest]:
    """The LLM requests ``generate_document_examples`` would send: for the estimate before a run."""
    ctx = build_context(document, chunks, mentions, relations, int(config.seed))
    if ctx is None or not config.generate.llm.enabled:
        return []
    return [task.request for task in llm_tasks.plan(ctx, config, qa.generate(ctx, config, parses))]


def generate_corpus_examples(
    documents: dict[str, dict[str, Any]],
    entities: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    events: list[dict[str, Any]],
    chunk_vectors: list[tuple[dict[str, Any], list[float]]],
    config: DataforgeConfig,
    document_examples: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Examples that need several documents, plus chunk classification over the corpus.

    With ``generate.augment.enabled``, ``document_examples`` (the per-document examples of the
    release) are multiplied by consistent entity substitution with entities from the graph.
    """
    documents = {
        str(k): v
        for k, v in (documents.items() if isinstance(documents, dict) else [])
        if isinstance(v, dict) and isinstance(v.get("text"), str) and v["text"].strip()
    }
    if not documents:
        return []
    mentions = sanitize(mentions, MENTION_STRINGS, ("doc_id", "text", "label"))
    relations = sanitize(relations, RELATION_STRINGS, ("doc_id", "head_mention_id", "tail_mention_id"))
    entities = [
        {
            **e,
            "aliases": [a for a in e.get("aliases") or [] if isinstance(a, str)]
            if isinstance(e.get("aliases"), list)
            else [],
        }
        for e in sanitize(entities, ("cluster_id", "label", "canonical_name"), ("cluster_id",))
    ]
    events = sanitize(events, ("event_id", "doc_id", "date", "date_text", "sentence"), ("doc_id", "date"))
    chunk_vectors = [
        (c, v)
        for c, v in (p for p in chunk_vectors or [] if isinstance(p, list | tuple) and len(p) == 2)
        if isinstance(c, dict) and isinstance(c.get("doc_id"), str)
    ]
    labels = {str(e["cluster_id"]): str(e["label"]) for e in entities if e.get("cluster_id") and e.get("label")}
    fact_list = corpus.facts(documents, mentions, relations, labels)
    sents = corpus.cluster_sentences(documents, mentions)
    names = {str(e["cluster_id"]): str(e.get("canonical_name") or "") for e in entities if e.get("cluster_id")}
    schema_facts = fact_tasks.schema_facts(fact_list, documents, names)
    pool = corpus_tasks.distractor_pool(entities, sents)
    out = fact_tasks.multihop(documents, schema_facts, config)
    out += fact_tasks.yes_no_questions(documents, schema_facts, pool, names, config)
    out += corpus_tasks.generate(documents, entities, fact_list, sents, events, config)
    out += choice_tasks.choices(documents, entities, fact_list, config, sents)
    out += classification.generate(documents, chunk_vectors, config)
    if config.generate.augment.enabled and document_examples:
        out += augment.augment([e for e in document_examples if isinstance(e, dict)], entities, config)
    return validate_examples(finalize(out))
