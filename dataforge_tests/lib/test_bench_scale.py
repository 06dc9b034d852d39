"""bench-scale's synthetic silver and its resolution score: true offsets, known clusters."""

from __future__ import annotations

from bench.scale import pairwise_recall
from bench.scale_corpus import build
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.lake import LocalLake
from dataforge.lib.release import build_entity_clusters
from dataforge.lib.stages import read_stage, read_text


def test_pairwise_recall_and_precision_from_contingency_counts() -> None:
    truth = {"a": "X", "b": "X", "c": "X", "d": "Y"}
    assert pairwise_recall(truth, {"a": "1", "b": "1", "c": "2", "d": "2"}) == {
        "recall": round(1 / 3, 4),  # of a-b, a-c, b-c only a-b together
        "precision": 0.5,  # a-b right, c-d wrong
        "mentions_scored": 4,
    }


def test_synthetic_silver_has_true_offsets_and_resolves(tmp_path) -> None:
    lake, config = LocalLake(tmp_path), DataforgeConfig()
    truth = build(lake, 6, config)
    docs = sorted({m.split(":")[0] for m in truth})
    assert len(docs) == 6
    for doc in docs:
        text = read_text(lake, doc)["text"]
        for m in read_stage(lake, "document_mentions", doc):
            assert text[m["start"] : m["end"]] == m["text"] and m["mention_id"] in truth
        kinds = {r["kind"] for r in read_stage(lake, "document_examples", doc)}
        assert {"qa", "summary", "instruction"} <= kinds
    lake.write_new_json("gold/releases/t/documents.json", {"release": "t", "doc_ids": docs, "withdrawn": []})
    build_entity_clusters(lake, "t", config)
    graph = lake.read_rows("gold/releases/t/graph/mentions.parquet")
    assert pairwise_recall(truth, {r["mention_id"]: r["cluster_id"] for r in graph})["recall"] > 0.8


def test_a_build_split_over_processes_writes_the_same_silver(tmp_path) -> None:
    """Parts written in two processes are the files one process writes: the 100k build can use
    every core without changing the corpus it measures."""
    config = DataforgeConfig()
    truth_one = build(LocalLake(tmp_path / "one"), 7, config)
    truth_two = build(LocalLake(tmp_path / "two"), 7, config, workers=2, part_size=3)
    assert truth_one == truth_two and len({m.split(":")[0] for m in truth_two}) == 7

    def files(root):
        return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())

    assert files(tmp_path / "one") and files(tmp_path / "one") == files(tmp_path / "two")
    for f in files(tmp_path / "one"):
        assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes(), f
