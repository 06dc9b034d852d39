"""Checks that stop a bad release from being exported, and cheap per-document checks.

Each check returns a ``CheckOutcome``; the Dagster layer turns them into asset-check results
(blocking ones stop ``dataset_exports``). They read what was written, not what was meant to
be written, so a bug anywhere upstream shows up here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.lake import Lake

DATASETS = ("instruction", "qa", "summary", "conversation", "ner", "relation", "classification")
PROVENANCE = ("id", "source_documents", "source_spans", "release", "generator", "split")
MAX_EXAMPLES_SHOWN = 5


@dataclass
class CheckOutcome:
    name: str
    passed: bool
    description: str
    blocking: bool = True
    metadata: dict[str, Any] = field(default_factory=dict)


def read_release_datasets(lake: Lake, release: str) -> dict[str, list[dict[str, Any]]]:
    datasets: dict[str, list[dict[str, Any]]] = {}
    for name in DATASETS:
        key = f"gold/releases/{release}/datasets/{name}.jsonl"
        text = lake.read_bytes(key).decode("utf-8") if lake.exists(key) else ""
        datasets[name] = [json.loads(line) for line in text.splitlines() if line.strip()]
    return datasets


def schema_problems(kind: str, row: dict[str, Any]) -> list[str]:
    """Why a shipped row breaks its kind's typed record (``lib.records``) or lacks provenance."""
    from dataforge.lib.records import record_problems

    return record_problems(kind, row, provenance=True)


def check_schema(datasets: dict[str, list[dict[str, Any]]]) -> CheckOutcome:
    bad = [
        (kind, row.get("id"), problems)
        for kind, rows in datasets.items()
        for row in rows
        if (problems := schema_problems(kind, row))
    ]
    return CheckOutcome(
        "schema_valid",
        not bad,
        "Every row has its record fields (DESIGN.md) and provenance, with the right types.",
        metadata={
            "invalid_rows": len(bad),
            "examples": [f"{k} {i}: {', '.join(p)}" for k, i, p in bad[:MAX_EXAMPLES_SHOWN]],
        },
    )


def check_answer_spans(datasets: dict[str, list[dict[str, Any]]]) -> CheckOutcome:
    rows = datasets.get("qa", [])
    bad = [r.get("id") for r in rows if r["context"][r["answer_start"] : r["answer_end"]] != r["answer"]]
    return CheckOutcome(
        "exact_answer_spans",
        not bad,
        "context[answer_start:answer_end] == answer for every QA example.",
        metadata={"qa_rows": len(rows), "inexact": len(bad), "examples": bad[:MAX_EXAMPLES_SHOWN]},
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def check_no_pii(
    datasets: dict[str, list[dict[str, Any]]], config: DataforgeConfig, source_texts: list[str]
) -> CheckOutcome:
    """Every identifier found in the datasets must be a replacement we made, never an original.

    Pseudonyms look like identifiers on purpose (``user_x@example.com``), so "no match at all"
    would be the wrong test; instead the originals are found in the source texts and each is
    mapped through the configured strategy to the value that may legitimately appear.
    """
    from dataforge.lib.export.validate import scan_types
    from dataforge.lib.quality import apply_pii, find_pii

    strategy, types, seed = config.quality.pii_strategy, config.quality.pii_types, config.seed
    # Realistic pseudonyms (fake names) are names again: those types are checked only by
    # looking for the originals, not by detecting anything name-like.
    detect = [t for t in scan_types(types, strategy) if t != "PERSON"]
    leaks: dict[str, int] = defaultdict(int)
    if strategy != "keep":
        originals = {text[s:e] for text in source_texts for s, e, _ in find_pii(text, types)}
        allowed = {apply_pii(value, strategy, detect, seed)[0] for value in originals}
        for rows in datasets.values():
            for row in rows:
                content = {k: v for k, v in row.items() if k not in PROVENANCE}
                for text in _strings(content):
                    for start, end, kind in find_pii(text, detect) if detect else ():
                        if text[start:end] not in allowed:
                            leaks[kind] += 1
                    for value in originals:
                        if value in text:
                            leaks["original"] += 1
    return CheckOutcome(
        "no_pii_left",
        not leaks,
        f"No {', '.join(types)} from the sources is left in any dataset (strategy: {strategy}).",
        metadata={"strategy": strategy, "leaks_by_type": dict(sorted(leaks.items()))},
    )


def check_split_leakage(datasets: dict[str, list[dict[str, Any]]]) -> CheckOutcome:
    """A document's content may feed exactly one split."""
    splits_of_doc: dict[str, set[str]] = defaultdict(set)
    for rows in datasets.values():
        for row in rows:
            for doc_id in row.get("source_documents", []):
                splits_of_doc[doc_id].add(row.get("split", "?"))
    leaking = {doc: sorted(s) for doc, s in splits_of_doc.items() if len(s) > 1}
    return CheckOutcome(
        "no_split_leakage",
        not leaking,
        "No source document contributes to more than one of train / validation / test.",
        metadata={
            "documents": len(splits_of_doc),
            "leaking_documents": len(leaking),
            "examples": [f"{d}: {s}" for d, s in list(leaking.items())[:MAX_EXAMPLES_SHOWN]],
        },
    )


def check_not_empty(datasets: dict[str, list[dict[str, Any]]]) -> CheckOutcome:
    empty = [name for name in DATASETS if not datasets.get(name)]
    return CheckOutcome(
        "no_empty_dataset",
        not empty,
        "Each of the seven datasets has at least one example.",
        metadata={"empty": empty, **{f"rows_{k}": len(v) for k, v in sorted(datasets.items())}},
    )


def release_checks(lake: Lake, release: str, config: DataforgeConfig) -> list[CheckOutcome]:
    from dataforge.lib.release import freeze_members
    from dataforge.lib.stages import read_text

    datasets = read_release_datasets(lake, release)
    sources = [read_text(lake, doc_id)["text"] for doc_id in freeze_members(lake, release)]
    return [
        check_schema(datasets),
        check_answer_spans(datasets),
        check_no_pii(datasets, config, sources),
        check_split_leakage(datasets),
        check_not_empty(datasets),
    ]


RELEASE_CHECKS = {
    "schema_valid": "Every row has its record fields and provenance, with the right types.",
    "exact_answer_spans": "context[answer_start:answer_end] == answer for every QA example.",
    "no_pii_left": "No configured contact identifier is left in any dataset.",
    "no_split_leakage": "No source document contributes to more than one split.",
    "no_empty_dataset": "Each of the seven datasets has at least one example.",
}


# --- per-document checks (cheap, non-blocking) ---------------------------------------------
def check_text_present(lake: Lake, doc_ids: list[str]) -> CheckOutcome:
    from dataforge.lib.ingest import is_quarantined
    from dataforge.lib.stages import silver_key

    missing = [d for d in doc_ids if not lake.exists(silver_key("document_text", d)) and not is_quarantined(lake, d)]
    return CheckOutcome(
        "text_or_quarantine",
        not missing,
        "Every document of the run has extracted text or a quarantine record with its reason.",
        blocking=False,
        metadata={"documents": len(doc_ids), "unaccounted": missing[:MAX_EXAMPLES_SHOWN]},
    )


def check_chunk_offsets(lake: Lake, doc_ids: list[str]) -> CheckOutcome:
    from dataforge.lib.stages import read_stage, read_text, silver_key

    bad: list[str] = []
    for doc_id in doc_ids:
        if not lake.exists(silver_key("document_chunks", doc_id)):
            continue
        text = read_text(lake, doc_id)["text"]
        if any(text[c["start"] : c["end"]] != c["text"] for c in read_stage(lake, "document_chunks", doc_id)):
            bad.append(doc_id)
    return CheckOutcome(
        "chunk_offsets_exact",
        not bad,
        "Every chunk is the exact slice text[start:end] of its document.",
        blocking=False,
        metadata={"documents": len(doc_ids), "inexact": bad[:MAX_EXAMPLES_SHOWN]},
    )


DOCUMENT_CHECKS = {
    "document_text": ("text_or_quarantine", check_text_present),
    "document_chunks": ("chunk_offsets_exact", check_chunk_offsets),
}


# --- export checks (on dataset_exports) ---------------------------------------------------
SPLITS = ("train", "validation", "test")


def check_openai_export(lake: Lake, release: str) -> CheckOutcome:
    from dataforge.lib.export import validate_openai_jsonl

    errors: list[str] = []
    lines = 0
    for split in SPLITS:
        key = f"gold/releases/{release}/exports/openai/{split}.jsonl"
        if not lake.exists(key):
            errors.append(f"{split}: missing")
            continue
        data = lake.read_bytes(key)
        lines += data.count(b"\n")
        errors += [f"{split}: {e}" for e in validate_openai_jsonl(data)]
    return CheckOutcome(
        "openai_format_valid",
        not errors,
        "The OpenAI chat fine-tuning files pass the format rules (roles, non-empty content, token limit).",
        metadata={"lines": lines, "errors": len(errors), "examples": errors[:MAX_EXAMPLES_SHOWN]},
    )


def check_exports_complete(lake: Lake, release: str) -> CheckOutcome:
    """Every file of the gold layout exists and the manifest's counts match the datasets."""
    prefix = f"gold/releases/{release}"
    expected = [f"{prefix}/{p}" for p in ("manifest.json", "README.md", "quality_report.json", "timeline.parquet")]
    expected += [
        f"{prefix}/graph/{p}"
        for p in ("entities.parquet", "mentions.parquet", "relations.parquet", "knowledge_graph.graphml")
    ]
    expected += [f"{prefix}/datasets/{n}.{ext}" for n in DATASETS for ext in ("jsonl", "parquet")]
    expected += [
        f"{prefix}/exports/{fmt}/{s}.{ext}"
        for fmt, ext in (("openai", "jsonl"), ("alpaca", "json"), ("sharegpt", "json"))
        for s in SPLITS
    ]
    expected.append(f"{prefix}/exports/hf/README.md")
    missing = [key[len(prefix) + 1 :] for key in expected if not lake.exists(key)]
    mismatched: list[str] = []
    if f"{prefix}/manifest.json" not in [f"{prefix}/{m}" for m in missing]:
        manifest = lake.read_json(f"{prefix}/manifest.json")
        datasets = read_release_datasets(lake, release)
        for name, value in manifest.get("datasets", {}).items():
            rows = value["rows"] if isinstance(value, dict) else value
            if rows != len(datasets.get(name, [])):
                mismatched.append(f"{name}: manifest {rows}, file {len(datasets.get(name, []))}")
    return CheckOutcome(
        "release_complete",
        not missing and not mismatched,
        "Every file of the gold layout exists and manifest row counts match the dataset files.",
        metadata={"missing": missing, "count_mismatches": mismatched},
    )


def export_checks(lake: Lake, release: str, config: DataforgeConfig) -> list[CheckOutcome]:
    return [check_openai_export(lake, release), check_exports_complete(lake, release)]


EXPORT_CHECKS = {
    "openai_format_valid": "The OpenAI chat fine-tuning files pass the format rules.",
    "release_complete": "Every file of the gold layout exists; manifest counts match the dataset files.",
}
