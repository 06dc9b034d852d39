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
MAX_EXAMPLES_SHOWN = 3  # rows a failed check shows (scrubbed)


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


class PiiScan:
    """The ``no_pii_left`` test of one release, built once: the same detector and pseudonym
    recogniser the stage re-scan uses (``find_leaks``), plus every identifier found in the
    source texts searched for verbatim. Also the scrubber that hides examples in messages."""

    def __init__(self, config: DataforgeConfig, source_texts: list[str]) -> None:
        from dataforge.lib.export.validate import scan_types
        from dataforge.lib.quality import Scrubber, find_pii

        q = config.quality
        self.strategy, self.types, self.seed = q.pii_strategy, tuple(q.pii_types), config.seed
        # Realistic pseudonyms (fake names) are names again: those types are checked only by
        # looking for the originals, not by detecting anything name-like.
        self.detect = [t for t in scan_types(self.types, self.strategy) if t != "PERSON"]
        found = {(t[s:e], k) for t in source_texts for s, e, k in find_pii(t, self.types)} if self.active else set()
        self.originals = tuple(sorted(found))
        self.scrubber = Scrubber(
            self.strategy if self.active else "redact", self.types, self.seed, known=self.originals
        )

    @property
    def active(self) -> bool:
        return self.strategy != "keep"

    def leaks(self, row: dict[str, Any]) -> list[str]:
        """'TYPE in field' for every identifier left in the row's content ('original' when
        it is a value of the sources, whatever its type)."""
        from dataforge.lib.quality import find_leaks
        from dataforge.lib.quality.detect import find_known

        if not self.active:
            return []
        out: list[str] = []
        for key, value in row.items():
            if key in PROVENANCE:
                continue
            for text in _strings(value):
                seen = {(s, e) for s, e, _ in find_known(text, self.originals)}
                out += [f"original in {key}"] * len(seen)
                out += [f"{k} in {key}" for s, e, k in find_leaks(text, self.detect, self.seed) if (s, e) not in seen]
        return out

    def shown(self, row: dict[str, Any], limit: int = 300) -> str:
        """The row as a message may show it: scrubbed with the configured pseudonymizer; for a
        leak, the scrubbed text around it."""
        from dataforge.lib.quality import scrub_example

        for key, where in self._first_leak(row):
            text = where[max(0, where.index("\x00") - 120) :].replace("\x00", "", 1)[:240]
            return f"{key}: ...{json.dumps(self.scrubber.scrub(text)[0], ensure_ascii=False)[1:-1]}..."
        scrubbed, _ = scrub_example(row, self.strategy, self.types, self.seed, self.scrubber)
        content = {k: v for k, v in scrubbed.items() if k not in PROVENANCE or k == "id"}
        text = json.dumps(content, ensure_ascii=False, default=str)
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def _first_leak(self, row: dict[str, Any]) -> list[tuple[str, str]]:
        """(field, its text with a NUL before the first leak), for the first leaking field."""
        from dataforge.lib.quality import find_leaks
        from dataforge.lib.quality.detect import find_known

        if not self.active:
            return []
        for key, value in row.items():
            if key in PROVENANCE:
                continue
            for text in _strings(value):
                spans = find_known(text, self.originals) + find_leaks(text, self.detect, self.seed)
                if spans:
                    start = min(s for s, _, _ in spans)
                    return [(key, text[:start] + "\x00" + text[start:])]
        return []


def row_failures(kind: str, row: dict[str, Any], pii: PiiScan) -> dict[str, list[str]]:
    """Check name -> reasons, for the per-example release checks this row fails."""
    failures: dict[str, list[str]] = {}
    if kind in DATASETS and (problems := schema_problems(kind, row)):
        failures["schema_valid"] = problems
    if kind == "qa" and not _span_exact(row):
        failures["exact_answer_spans"] = ["context[answer_start:answer_end] != answer"]
    if leaks := pii.leaks(row):
        failures["no_pii_left"] = [f"PII left: {r}" for r in sorted(set(leaks))]
    return failures


def _span_exact(row: dict[str, Any]) -> bool:
    ctx, s, e = row.get("context"), row.get("answer_start"), row.get("answer_end")
    if not (isinstance(ctx, str) and isinstance(s, int) and isinstance(e, int)):
        return False
    return ctx[s:e] == row.get("answer")


def _failing(
    datasets: dict[str, list[dict[str, Any]]], name: str, pii: PiiScan
) -> list[tuple[str, dict[str, Any], list[str]]]:
    return [
        (kind, row, reasons)
        for kind, rows in datasets.items()
        for row in rows
        if (reasons := row_failures(kind, row, pii).get(name))
    ]


def _shown(bad: list[tuple[str, dict[str, Any], list[str]]], pii: PiiScan) -> list[str]:
    return [f"{k} {r.get('id')}: {'; '.join(why)}: {pii.shown(r)}" for k, r, why in bad[:MAX_EXAMPLES_SHOWN]]


def check_schema(datasets: dict[str, list[dict[str, Any]]], pii: PiiScan | None = None) -> CheckOutcome:
    pii = pii or PiiScan(DataforgeConfig(), [])
    bad = _failing(datasets, "schema_valid", pii)
    return CheckOutcome(
        "schema_valid",
        not bad,
        "Every row has its record fields (docs/DESIGN.md) and provenance, with the right types.",
        metadata={"invalid_rows": len(bad), "failing_rows": len(bad), "examples": _shown(bad, pii)},
    )


def check_answer_spans(datasets: dict[str, list[dict[str, Any]]], pii: PiiScan | None = None) -> CheckOutcome:
    pii = pii or PiiScan(DataforgeConfig(), [])
    rows = datasets.get("qa", [])
    bad = _failing({"qa": rows}, "exact_answer_spans", pii)
    return CheckOutcome(
        "exact_answer_spans",
        not bad,
        "context[answer_start:answer_end] == answer for every QA example.",
        metadata={"qa_rows": len(rows), "inexact": len(bad), "failing_rows": len(bad), "examples": _shown(bad, pii)},
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
    datasets: dict[str, list[dict[str, Any]]],
    config: DataforgeConfig,
    source_texts: list[str],
    pii: PiiScan | None = None,
) -> CheckOutcome:
    """Every identifier found in the datasets must be a pseudonym dataforge wrote (its keyed
    marker, ``is_pseudonym``), and no identifier of the sources may appear verbatim."""
    pii = pii or PiiScan(config, source_texts)
    bad = _failing(datasets, "no_pii_left", pii)
    leaks: dict[str, int] = defaultdict(int)
    for _, row, _ in bad:
        for reason in pii.leaks(row):
            leaks[reason.split(" in ", 1)[0]] += 1
    return CheckOutcome(
        "no_pii_left",
        not bad,
        f"No {', '.join(pii.types)} from the sources is left in any dataset (strategy: {pii.strategy}).",
        metadata={
            "strategy": pii.strategy,
            "leaks_by_type": dict(sorted(leaks.items())),
            "failing_rows": len(bad),
            "examples": _shown(bad, pii),
        },
    )


def withhold_failing(
    datasets: dict[str, list[dict[str, Any]]], config: DataforgeConfig, source_texts: list[str]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Split off the rows that fail a per-example check: (kept, rejected rows by kind, report).

    A rejected row is the dataset record plus ``rejected`` {reasons, score, stage}; where the
    row failed the PII check, it is stored scrubbed (the leak replaced), never as it was.
    """
    pii = PiiScan(config, source_texts)
    kept: dict[str, list[dict[str, Any]]] = {}
    rejected: dict[str, list[dict[str, Any]]] = {}
    by_check: dict[str, int] = defaultdict(int)
    by_reason: dict[str, int] = defaultdict(int)
    for kind, rows in datasets.items():
        kept[kind] = []
        for row in rows:
            failures = row_failures(kind, row, pii)
            if not failures:
                kept[kind].append(row)
                continue
            first = next(iter(failures))
            record = row
            if "no_pii_left" in failures:
                from dataforge.lib.quality import scrub_example

                record, _ = scrub_example(row, pii.strategy, pii.types, pii.seed, pii.scrubber)
            reasons = [r for name in failures for r in failures[name]]
            rejected.setdefault(kind, []).append(
                {**record, "rejected": {"reasons": reasons, "score": None, "stage": f"check:{first}"}}
            )
            for name in failures:
                by_check[name] += 1
            for reason in reasons:
                by_reason[reason] += 1
    report = {
        "withheld": sum(len(v) for v in rejected.values()),
        "by_kind": {k: len(v) for k, v in sorted(rejected.items())},
        "by_check": dict(sorted(by_check.items())),
        "by_reason": dict(sorted(by_reason.items())),
    }
    return kept, rejected, report


def withhold_release_rows(
    lake: Lake,
    release: str,
    datasets: dict[str, list[dict[str, Any]]],
    config: DataforgeConfig,
    source_texts: list[str],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """``withhold_failing`` and write its rows to ``rejected/<kind>.jsonl``, appended to what
    other stages put there (a row of an earlier build with the same id and stage is replaced)."""
    kept, rejected, report = withhold_failing(datasets, config, source_texts)
    for kind, rows in sorted(rejected.items()):
        key = f"gold/releases/{release}/rejected/{kind}.jsonl"
        mine = {(r.get("id"), r["rejected"]["stage"]) for r in rows}
        old = lake.read_bytes(key).decode("utf-8").splitlines() if lake.exists(key) else []
        lines = [line for line in old if line.strip() and _reject_key(line) not in mine]
        lines += [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows]
        lake.write_bytes(key, "".join(line + "\n" for line in lines).encode("utf-8"))
    return kept, report


def _reject_key(line: str) -> tuple[Any, Any]:
    try:
        row = json.loads(line)
        return row.get("id"), (row.get("rejected") or {}).get("stage")
    except (json.JSONDecodeError, AttributeError):
        return None, None


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
    """An empty release blocks; a kind that is empty only warns: a small corpus may hold no row
    of a kind that passes the quality gate (no document genre, no follow-up worth asking)."""
    empty = [name for name in DATASETS if not datasets.get(name)]
    nothing = len(empty) == len(DATASETS)
    return CheckOutcome(
        "no_empty_dataset",
        not empty,
        "Each of the seven datasets has at least one example (an empty release blocks; an empty kind warns).",
        blocking=nothing,
        metadata={"empty": empty, **{f"rows_{k}": len(v) for k, v in sorted(datasets.items())}},
    )


def release_checks(lake: Lake, release: str, config: DataforgeConfig) -> list[CheckOutcome]:
    from dataforge.lib.release import freeze_members
    from dataforge.lib.stages import read_text

    datasets = read_release_datasets(lake, release)
    pii = PiiScan(config, [read_text(lake, doc_id)["text"] for doc_id in freeze_members(lake, release)])
    return [
        check_schema(datasets, pii),
        check_answer_spans(datasets, pii),
        check_no_pii(datasets, config, [], pii),
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
