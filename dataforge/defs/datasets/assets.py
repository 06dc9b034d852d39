"""Training examples per document and across the corpus, then the curated dataset."""

from typing import Any

import dagster as dg

from dataforge.defs.factory import document_asset, on_all_documents, release_asset
from dataforge.defs.release_metadata import training_metadata
from dataforge.lib import release, stages
from dataforge.lib.checks import RELEASE_CHECKS, release_checks
from dataforge.lib.lake import Lake
from dataforge.lib.previews import markdown_table


def gate_metadata(lake: Lake, release: str, result: dict[str, Any]) -> dict[str, Any]:
    """The training_dataset's UI metadata plus what the quality gate withheld and the signals."""
    metadata = training_metadata(lake, release, result)
    report = result.get("report") or {}
    gate = report.get("gate") or {}
    rows = [
        {"kind": kind, "reason": reason, "examples": n}
        for kind, reasons in sorted((gate.get("rejected_by_kind_reason") or {}).items())
        for reason, n in sorted(reasons.items())
    ]
    metadata["rejected_examples"] = int(gate.get("rejected", 0))
    metadata["rejected_by_kind_reason"] = dg.MetadataValue.md(
        markdown_table(rows, ["kind", "reason", "examples"], limit=max(1, len(rows)))
    )
    signals = [{"signal": n, **v} for n, v in (report.get("signals") or {}).items()]
    metadata["quality_signals"] = dg.MetadataValue.md(
        markdown_table(signals, ["signal", "count", "checked", "description"], limit=max(1, len(signals)))
    )
    return metadata


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
    extra_metadata=gate_metadata,
    checks=release_checks,
    check_descriptions=RELEASE_CHECKS,
)
