"""Training examples per document and across the corpus, then the curated dataset."""

from dataforge.defs.factory import document_asset, on_all_documents, release_asset
from dataforge.defs.release_metadata import training_metadata
from dataforge.lib import release, stages
from dataforge.lib.checks import RELEASE_CHECKS, release_checks

document_examples = document_asset(
    "document_examples",
    stages.document_examples,
    deps=["document_text", "document_chunks", "document_mentions", "document_relations"],
    group="datasets",
    kinds={"python", "parquet"},
    description="This document's examples of every kind (instruction, qa, summary, "
    "conversation, ner, relation) with provenance spans.",
)

corpus_examples = release_asset(
    "corpus_examples",
    release.build_corpus_examples,
    deps=["entity_clusters", "knowledge_graph", "timeline", on_all_documents("chunk_embeddings")],
    group="datasets",
    kinds={"python", "parquet"},
    description="Examples that need several documents: multi-hop QA over graph paths, entity "
    "profiles, timeline questions, topic classification.",
)

training_dataset = release_asset(
    "training_dataset",
    release.build_training_dataset,
    deps=["corpus_examples", on_all_documents("document_examples")],
    group="datasets",
    kinds={"python", "jsonl", "parquet"},
    description="All examples after PII handling, filters and exact dedup, split by document "
    "into train/validation/test; datasets/<name>.jsonl|parquet and quality_report.json. Its "
    "blocking checks stop a bad release from being exported.",
    extra_metadata=training_metadata,
    checks=release_checks,
    check_descriptions=RELEASE_CHECKS,
)
