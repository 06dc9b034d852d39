"""The whole graph materialized on samples/: what a user finds in the release."""

import json

import pyarrow.parquet as pq
import pytest

from dataforge_tests.conftest import SAMPLES

pytestmark = pytest.mark.slow

DATASETS = ["instruction", "qa", "summary", "conversation", "ner", "relation", "classification"]
REQUIRED_FIELDS = {
    "instruction": {"instruction", "input", "output", "metadata"},
    "conversation": {"conversations", "metadata"},
    "qa": {"context", "question", "answer", "answer_start", "answer_end", "metadata"},
    "summary": {"document", "summary", "summary_type", "compression_ratio", "metadata"},
    "ner": {"text", "entities", "relations"},
    "relation": {"text", "entities", "relations"},
    "classification": {"text", "label", "metadata"},
}
PROVENANCE = {"id", "source_documents", "source_spans", "release", "generator"}


def rows(run, name: str) -> list[dict]:
    path = run.release_dir / "datasets" / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_gold_layout_is_complete(pipeline_run) -> None:
    release = pipeline_run.release_dir
    expected = [
        "manifest.json",
        "README.md",
        "quality_report.json",
        "timeline.parquet",
        "graph/entities.parquet",
        "graph/mentions.parquet",
        "graph/relations.parquet",
        "graph/knowledge_graph.graphml",
    ]
    expected += [f"datasets/{n}.{ext}" for n in DATASETS for ext in ("jsonl", "parquet")]
    expected += [
        f"exports/{fmt}/{split}.{ext}"
        for fmt, ext in [("openai", "jsonl"), ("alpaca", "json"), ("sharegpt", "json")]
        for split in ("train", "validation", "test")
    ]
    missing = [p for p in expected if not (release / p).is_file()]
    assert not missing
    assert (release / "exports" / "hf" / "README.md").is_file()


def test_manifest_lists_every_sample_and_row_counts(pipeline_run) -> None:
    manifest = json.loads((pipeline_run.release_dir / "manifest.json").read_text())
    names = {d["file_name"] for d in manifest["documents"]}
    assert names == {p.name for p in SAMPLES.iterdir() if p.is_file()}
    assert all(len(d["sha256"]) == 64 for d in manifest["documents"])
    for name in DATASETS:
        assert manifest["datasets"][name]["rows"] == len(rows(pipeline_run, name)) > 0, name


def test_every_dataset_row_has_its_schema_and_provenance(pipeline_run) -> None:
    doc_ids = {d["doc_id"] for d in json.loads((pipeline_run.release_dir / "manifest.json").read_text())["documents"]}
    for name in DATASETS:
        for row in rows(pipeline_run, name):
            assert REQUIRED_FIELDS[name] | PROVENANCE <= set(row), (name, set(row))
            assert row["release"] == pipeline_run.release
            assert set(row["source_documents"]) <= doc_ids
            assert row["split"] in {"train", "validation", "test"}
        table = pq.read_table(pipeline_run.release_dir / "datasets" / f"{name}.parquet")
        assert table.num_rows == len(rows(pipeline_run, name))


def test_every_qa_answer_is_an_exact_span(pipeline_run) -> None:
    qa = rows(pipeline_run, "qa")
    assert qa
    for row in qa:
        assert row["context"][row["answer_start"] : row["answer_end"]] == row["answer"]


def test_source_spans_point_into_document_text(pipeline_run) -> None:
    from dataforge.lib.lake import LocalLake
    from dataforge.lib.stages import read_text

    lake = LocalLake(pipeline_run.lake_root)
    texts: dict[str, str] = {}
    for name in DATASETS:
        for row in rows(pipeline_run, name):
            for span in row["source_spans"]:
                text = texts.setdefault(span["doc_id"], read_text(lake, span["doc_id"])["text"])
                assert 0 <= span["start"] < span["end"] <= len(text)


def test_an_entity_recurs_across_documents_under_different_surface_forms(pipeline_run) -> None:
    entities = pq.read_table(pipeline_run.release_dir / "graph" / "entities.parquet").to_pylist()
    recurring = [e for e in entities if e["doc_count"] >= 2 and len(e["aliases"]) >= 2]
    assert recurring, "no entity is one cluster across documents under several names"
    by_name = {e["canonical_name"]: e for e in entities}
    nrec = by_name.get("Northwind Renewable Energy Corporation")
    assert nrec and "NREC" in nrec["aliases"] and nrec["doc_count"] >= 3


def test_bad_inputs_are_quarantined_with_their_reason(pipeline_run) -> None:
    records = [json.loads(p.read_text()) for p in (pipeline_run.lake_root / "quarantine").glob("*.json")]
    reasons = {r["file_name"]: r["reason"] for r in records}
    assert reasons == pipeline_run.bad_inputs
    assert all(r["sha256"] and r["stage"] and r["at"] for r in records)


def test_contact_identifiers_are_pseudonymized_in_exports(pipeline_run) -> None:
    exported = "".join(p.read_text(encoding="utf-8") for p in (pipeline_run.release_dir / "datasets").glob("*.jsonl"))
    assert "lotte.dewit@northwind-nrec.example" not in exported
    assert "555 0147" not in exported


def test_release_checks_ran_and_passed(pipeline_run) -> None:
    expected = {
        "schema_valid",
        "exact_answer_spans",
        "no_pii_left",
        "no_split_leakage",
        "no_empty_dataset",
        "openai_format_valid",
        "release_complete",
    }
    assert expected <= set(pipeline_run.check_results)
    assert all(pipeline_run.check_results.values()), pipeline_run.check_results


def test_a_corrupted_answer_span_fails_its_check(pipeline_run, tmp_path) -> None:
    """Corrupt one QA span in a copy of the release: the check fails and counts the bad row."""
    import shutil

    from dataforge.lib.checks import release_checks
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.lake import LocalLake

    lake_root = tmp_path / "lake"
    shutil.copytree(pipeline_run.lake_root, lake_root)
    qa_path = lake_root / "gold" / "releases" / "test-release" / "datasets" / "qa.jsonl"
    rows = [json.loads(line) for line in qa_path.read_text().splitlines()]
    rows[0]["answer_end"] += 1
    qa_path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    outcomes = {o.name: o for o in release_checks(LocalLake(lake_root), "test-release", DataforgeConfig())}
    assert not outcomes["exact_answer_spans"].passed and outcomes["exact_answer_spans"].metadata["inexact"] == 1
    assert outcomes["schema_valid"].passed


def test_every_document_has_one_document_summary_or_is_counted_without(pipeline_run) -> None:
    """A document whose sentences do not read on their own (a timeline memo of dated rows) gets
    no summary rather than a bad one, and the quality report names it: nothing silently missing."""
    manifest = json.loads((pipeline_run.release_dir / "manifest.json").read_text())
    coverage = json.loads((pipeline_run.release_dir / "quality_report.json").read_text())["coverage"]
    summaries = [r for r in rows(pipeline_run, "summary") if r["metadata"].get("scope") == "document"]
    per_doc = {}
    for row in summaries:
        [doc] = row["source_documents"]
        per_doc[doc] = per_doc.get(doc, 0) + 1
    documents = {d["doc_id"] for d in manifest["documents"]}
    assert set(per_doc.values()) == {1}
    assert documents - set(per_doc) == set(coverage["without_document_summary"])
    assert len(per_doc) >= 0.9 * len(documents)
