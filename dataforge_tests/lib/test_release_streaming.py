"""training_dataset streams examples past the curated documents: same result as one list."""

from __future__ import annotations

import json

import pytest

from bench.scale_corpus import build, hashed_embed
from dataforge.lib import embed, schemas
from dataforge.lib.bulk import gather, iter_records
from dataforge.lib.cluster_types import relabel_examples, without_disputed
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.export.tables import dataset_files, rejected_files
from dataforge.lib.lake import LocalLake
from dataforge.lib.quality.admit import Admission, order_key
from dataforge.lib.quality.pipeline import _Log, curate
from dataforge.lib.release import build_entity_clusters, build_training_dataset
from dataforge.lib.stages import read_stage, read_text, silver_key

REMOVED = {"d2": {"reason": "near_duplicate"}, "d4": {"reason": "exact_duplicate"}}


def _examples() -> list[dict]:
    """Invented examples: ids repeated with other content, several documents, one without any."""
    out = []
    for i in range(40):
        docs = [f"d{i % 5}"] + ([f"d{(i + 2) % 5}"] if i % 7 == 0 else [])
        out.append({"id": f"x{i % 9}", "kind": "qa", "question": f"Where is harbour {i}?", "source_documents": docs})
    out.append({"id": "x1", "kind": "summary", "summary": "A quay.", "source_documents": []})
    return out


def _one_list(examples: list[dict]) -> tuple[list[dict], list[dict]]:
    """The step as curation did it before streaming: sort everything, then filter."""
    log, kept = _Log(), []
    for ex in sorted(examples, key=order_key):
        gone = sorted({str(d) for d in ex.get("source_documents") or []} & set(REMOVED))
        if gone:
            log.drop(ex, "documents", f"document_{REMOVED[gone[0]]['reason']}", {"doc_id": gone[0]})
        else:
            kept.append(ex)
    return kept, log.rows


@pytest.mark.parametrize("batch", [1, 3, 41])
def test_admission_in_batches_equals_the_sorted_list(batch: int) -> None:
    examples = _examples()
    admission = Admission(REMOVED)
    for first in range(0, len(examples), batch):
        admission.add(examples[first : first + batch])
    kept, rows = admission.finish()
    want_kept, want_rows = _one_list(examples)
    assert [order_key(e) for e in kept] == [order_key(e) for e in want_kept]
    assert rows == want_rows and rows and kept
    assert admission.count == len(examples) and admission.by_kind()["qa"] == 40


def test_streamed_training_dataset_equals_curating_one_list(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(embed, "embed_texts", lambda texts, *a, **k: hashed_embed(list(texts)))
    lake, config = LocalLake(tmp_path), DataforgeConfig()
    truth = build(lake, 12, config)
    docs = sorted({m.split(":")[0] for m in truth})
    copied = dict(read_stage(lake, "document_text", docs[0])[0], doc_id=docs[5])  # an exact duplicate document
    lake.write_rows(silver_key("document_text", docs[5]), [copied], schemas.DOCUMENT_TEXT)
    lake.write_new_json("gold/releases/t/documents.json", {"release": "t", "doc_ids": docs, "withdrawn": []})
    build_entity_clusters(lake, "t", config)
    corpus = [json.loads(r["record"]) for r in gather(lake, "document_examples", docs[:2])][:5]
    for ex in corpus:  # corpus-level examples: other ids, two source documents
        ex["id"], ex["source_documents"] = "corpus-" + ex["id"], docs[:2]
    lake.write_rows("silver/corpus_examples/t.parquet", schemas.example_rows("", corpus), schemas.EXAMPLES)

    # the assembly before streaming: every example in one list, full mention rows
    examples = [json.loads(r["record"]) for r in gather(lake, "document_examples", docs)]
    examples += [json.loads(r["record"]) for r in lake.read_rows("silver/corpus_examples/t.parquet")]
    graph = {n: lake.read_rows(f"gold/releases/t/graph/{n}.parquet") for n in ("mentions", "entities")}
    examples, _ = without_disputed(examples, graph["mentions"])
    relabel_examples(examples, graph["mentions"])
    documents = {}
    for d in docs:
        doc = read_text(lake, d)
        documents[d] = {
            "text": doc["text"],
            "language": doc.get("language"),
            "mentions": read_stage(lake, "document_mentions", d),
        }
        documents[d]["blocks"] = doc.get("blocks")
    want = curate(examples, "t", config, documents=documents, decisions={}, graph=graph, split_assignments={})

    out = build_training_dataset(lake, "t", config)
    assert out["examples_in"] == len(examples)
    for path, data in {**dataset_files(want.datasets), **rejected_files(want.rejected)}.items():
        assert lake.read_bytes(f"gold/releases/t/{path}") == data, path
    report = lake.read_json("gold/releases/t/quality_report.json")
    for key in ("input", "documents", "removals", "dedup", "semantic_dedup", "gate", "output", "pii", "signals"):
        assert report[key] == json.loads(json.dumps(want.report[key])), key
    assert report["documents"]["out"] < len(docs) and report["output"]["examples"] > 0  # both paths exercised


def test_records_stream_in_document_order(tmp_path) -> None:
    lake, config = LocalLake(tmp_path), DataforgeConfig()
    truth = build(lake, 5, config)
    docs = sorted({m.split(":")[0] for m in truth})
    streamed = [ex for batch in iter_records(lake, "document_examples", docs, batch=2) for ex in batch]
    assert streamed == [json.loads(r["record"]) for r in gather(lake, "document_examples", docs)]


def test_vectors_read_as_arrays_equal_the_rows(tmp_path) -> None:
    from dataforge.lib.bulk import read_stages, read_vectors

    lake, config = LocalLake(tmp_path), DataforgeConfig()
    truth = build(lake, 3, config)
    docs = sorted({m.split(":")[0] for m in truth})
    arrays = list(read_vectors(lake, "chunk_embeddings", docs, "chunk_id"))
    rows = read_stages(lake, "chunk_embeddings", docs)
    assert [list(a) for a in arrays] == [[r["chunk_id"] for r in doc] for doc in rows]
    for found, doc in zip(arrays, rows, strict=True):
        for r in doc:
            assert found[r["chunk_id"]].dtype.name == "float32" and found[r["chunk_id"]].tolist() == r["vector"]


def test_mention_matrix_is_aligned_and_none_when_a_vector_is_missing(tmp_path, monkeypatch) -> None:
    from dataforge.lib import bulk
    from dataforge.lib.bulk import read_matrix, read_stages

    monkeypatch.setattr(bulk, "BATCH", 2)  # several batches of documents
    lake, config = LocalLake(tmp_path), DataforgeConfig()
    truth = build(lake, 5, config)
    docs = sorted({m.split(":")[0] for m in truth})
    rows = {r["mention_id"]: r["vector"] for doc in read_stages(lake, "mention_embeddings", docs) for r in doc}
    ids = sorted(rows, reverse=True)[:7] + [sorted(rows)[0]]  # any order, one id twice
    matrix = read_matrix(lake, "mention_embeddings", docs, "mention_id", ids)
    assert matrix is not None and matrix.dtype.name == "float32"
    assert [row.tolist() for row in matrix] == [rows[i] for i in ids]
    assert read_matrix(lake, "mention_embeddings", docs, "mention_id", [*ids, "nowhere:m0"]) is None
