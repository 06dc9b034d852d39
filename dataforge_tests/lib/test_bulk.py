"""Bulk silver reads: the rows ``read_stage`` gives document by document, in the same order."""

from __future__ import annotations

import pytest

from dataforge.lib import bulk, schemas
from dataforge.lib.ingest import quarantine
from dataforge.lib.lake import LocalLake
from dataforge.lib.stages import UpstreamMissing, read_stage, silver_key


def _mention(doc: str, i: int) -> dict:
    return {"doc_id": doc, "mention_id": f"{doc}:m{i:05d}", "start": i, "end": i + 3, "text": f"N{i}", "label": "ORG"}


@pytest.fixture
def lake(tmp_path, monkeypatch) -> LocalLake:
    monkeypatch.setattr(bulk, "BATCH", 3)  # several concatenations, one of them partial
    lake = LocalLake(tmp_path)
    for d in range(7):
        doc = f"doc-{d}"
        rows = [_mention(doc, i) for i in range(d % 3)]  # documents with none, one and two mentions
        lake.write_rows(silver_key("document_mentions", doc), rows, schemas.DOCUMENT_MENTIONS)
    return lake


def test_bulk_rows_equal_the_per_document_reads(lake: LocalLake) -> None:
    docs = [f"doc-{d}" for d in (6, 0, 3, 1, 5, 2, 4)]  # members in any order
    expected = [read_stage(lake, "document_mentions", d) for d in docs]
    assert bulk.read_stages(lake, "document_mentions", docs) == expected
    assert bulk.gather(lake, "document_mentions", docs) == [r for rows in expected for r in rows]
    assert sum(map(len, expected)) == 6


def test_missing_files_are_empty_only_when_allowed(lake: LocalLake) -> None:
    docs = ["doc-1", "doc-absent", "doc-2"]
    got = bulk.read_stages(lake, "document_mentions", docs, missing_ok=True)
    assert [len(rows) for rows in got] == [1, 0, 2]
    with pytest.raises(FileNotFoundError):
        bulk.read_stages(lake, "document_mentions", docs)
    quarantine(lake, "doc-absent", "document_mentions", "test")
    with pytest.raises(UpstreamMissing):
        bulk.read_stages(lake, "document_mentions", docs)


def test_read_texts_gives_each_documents_text_row(tmp_path) -> None:
    lake = LocalLake(tmp_path)
    for doc in ("a", "b"):
        row = {"doc_id": doc, "text": f"text of {doc}", "language": "en"}
        lake.write_rows(silver_key("document_text", doc), [row], schemas.DOCUMENT_TEXT)
    assert [t["text"] for t in bulk.read_texts(lake, ["b", "a"])] == ["text of b", "text of a"]
