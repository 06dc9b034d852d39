import re

import pyarrow as pa
import pytest

from dataforge.lib.ingest import (
    doc_id_for,
    ingest_bytes,
    is_quarantined,
    list_documents,
    list_quarantine,
    quarantine,
    safe_file_name,
)
from dataforge.lib.lake import LakeKeyError, LocalLake, open_lake
from dataforge.lib.runs import batch_ranges


def test_local_lake_round_trips_bytes_json_and_parquet(tmp_path) -> None:
    lake = LocalLake(tmp_path / "lake")
    lake.write_bytes("raw/a/file.txt", b"hello")
    lake.write_json("raw/a/source.json", {"x": 1})
    lake.write_rows("silver/t/a.parquet", [{"n": 1}], pa.schema([("n", pa.int64())]))
    assert lake.read_bytes("raw/a/file.txt") == b"hello"
    assert lake.read_json("raw/a/source.json") == {"x": 1}
    assert lake.read_rows("silver/t/a.parquet") == [{"n": 1}]
    assert lake.list("raw") == ["raw/a/file.txt", "raw/a/source.json"]
    assert not list((tmp_path / "lake").rglob(".tmp-*")), "no temp files left behind"


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "raw/../../x", "raw/a\x00b", "raw//x", ""])
def test_lake_rejects_keys_that_escape(tmp_path, key: str) -> None:
    with pytest.raises(LakeKeyError):
        LocalLake(tmp_path).write_bytes(key, b"x")


def test_open_lake_defaults_to_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATAFORGE_LAKE", str(tmp_path / "envlake"))
    assert open_lake().uri == str((tmp_path / "envlake").resolve())


def test_doc_ids_are_content_addressed_slugs() -> None:
    digest = "0123456789abcdef" * 4
    assert doc_id_for("NREC Annual Report (2023).PDF", digest) == "nrec-annual-report-2023-0123456789"
    long_id = doc_id_for("x" * 300 + ".txt", digest)
    assert len(long_id) <= 64 and long_id.endswith("-0123456789")
    for hostile in ["../../etc/passwd", "\u202egnp.exe", "名前.txt", "a\x00b.txt", ""]:
        assert re.fullmatch(r"[a-z0-9_-]{1,64}", doc_id_for(hostile, digest))


def test_safe_file_name_strips_paths_and_control_characters() -> None:
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("C:\\Users\\x\\report.pdf") == "report.pdf"
    assert safe_file_name("evil\u202etxt.pdf") == "eviltxt.pdf"
    assert safe_file_name("a\x00b\x07.txt") == "ab.txt"
    assert len(safe_file_name("y" * 1000 + ".pdf").encode()) <= 200


def test_ingest_is_idempotent_and_quarantine_is_listed(tmp_path) -> None:
    lake = LocalLake(tmp_path)
    first = ingest_bytes(lake, b"same bytes", "a.txt", "/in/a.txt")
    again = ingest_bytes(lake, b"same bytes", "copy-of-a.txt", "/in/copy.txt")
    assert first.new and not again.new and first.doc_id == again.doc_id
    assert list_documents(lake) == [first.doc_id]
    source = lake.read_json(f"raw/{first.doc_id}/source.json")
    assert source["sha256"] == first.sha256 and source["size"] == 10 and source["source"] == "/in/a.txt"
    quarantine(lake, first.doc_id, "document_text", "corrupt", "bad bytes")
    assert is_quarantined(lake, first.doc_id)
    [record] = list_quarantine(lake)
    assert record["reason"] == "corrupt" and record["sha256"] == first.sha256 and record["stage"] == "document_text"


def test_batch_ranges_split_on_gaps_and_size() -> None:
    order = ["a", "b", "c", "d", "e", "f"]
    assert batch_ranges(["a", "b", "d", "e", "f"], 2, order) == [("a", "b", 2), ("d", "e", 2), ("f", "f", 1)]
    assert batch_ranges([], 5, order) == []
