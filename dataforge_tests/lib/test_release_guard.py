"""One run builds a release, once: create-only writes, the lock, the seal, withdrawals."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pytest

from dataforge.lib.ingest import documents_from_source, ingest_bytes
from dataforge.lib.lake import LocalLake
from dataforge.lib.release import freeze_members, processed_documents
from dataforge.lib.release_guard import (
    ReleaseBusy,
    ReleaseSealed,
    claim,
    lock_key,
    manifest_key,
    process_alive,
    release_lock,
    unseal,
)
from dataforge.lib.stages import silver_key
from dataforge.lib.withdrawals import reinstate, withdraw, withdrawn


def test_write_new_has_exactly_one_winner_among_racing_writers(tmp_path: Path) -> None:
    lake = LocalLake(tmp_path)
    with ThreadPoolExecutor(8) as pool:
        wins = list(pool.map(lambda i: lake.write_new("locks/a.json", f"{i}".encode()), range(32)))
    assert wins.count(True) == 1
    assert lake.read_bytes("locks/a.json") == str(wins.index(True)).encode()
    assert not [p for p in (tmp_path / "locks").iterdir() if p.name.startswith(".tmp-")]  # no litter


def test_a_second_live_run_is_refused_and_names_the_holder(tmp_path: Path) -> None:
    lake = LocalLake(tmp_path)
    claim(lake, "r1", "run-a", holder_alive=lambda lock: True)
    assert claim(lake, "r1", "run-a", holder_alive=lambda lock: True)["run_id"] == "run-a"  # its next stage
    with pytest.raises(ReleaseBusy, match="being built by run run-a"):
        claim(lake, "r1", "run-b", holder_alive=lambda lock: True)


def test_a_dead_runs_lock_is_taken_over(tmp_path: Path) -> None:
    lake = LocalLake(tmp_path)
    claim(lake, "r1", "run-a", holder_alive=lambda lock: True)
    assert claim(lake, "r1", "run-b", holder_alive=lambda lock: False)["run_id"] == "run-b"


def test_a_sealed_release_refuses_until_unsealed(tmp_path: Path) -> None:
    lake = LocalLake(tmp_path)
    claim(lake, "r1", "run-a", holder_alive=lambda lock: True)
    lake.write_json(manifest_key("r1"), {"release": "r1"})
    release_lock(lake, "r1", "run-a")
    assert not lake.exists(lock_key("r1"))
    with pytest.raises(ReleaseSealed, match="--rebuild"):
        claim(lake, "r1", "run-b", holder_alive=lambda lock: False)
    assert unseal(lake, "r1") and not lake.exists(manifest_key("r1"))
    assert claim(lake, "r1", "run-b", holder_alive=lambda lock: False)["run_id"] == "run-b"


def test_process_alive_tells_a_dead_process_on_this_host() -> None:
    import os
    import socket

    dead = subprocess.Popen(["true"])
    dead.wait()
    assert process_alive({"host": socket.gethostname(), "pid": dead.pid}) is False
    assert process_alive({"host": socket.gethostname(), "pid": os.getpid()}) is True
    assert process_alive({"host": "another-node", "pid": os.getpid()}) is None


def _finished(lake: LocalLake, name: str) -> str:
    doc_id = ingest_bytes(lake, f"{name}: Helena Marsh visited Oslo.".encode(), f"{name}.txt", f"s3://b/{name}").doc_id
    lake.write_table(silver_key("document_examples", doc_id), pa.table({"id": pa.array([], pa.string())}))
    return doc_id


def test_withdrawn_documents_leave_later_releases_only(tmp_path: Path) -> None:
    lake = LocalLake(tmp_path)
    a, b = _finished(lake, "a"), _finished(lake, "b")
    assert freeze_members(lake, "before") == sorted([a, b])
    assert documents_from_source(lake, "s3://b/a") == [a]
    withdraw(lake, a, "deleted from s3", "s3://b/a")
    assert withdraw(lake, a, "again")["reason"] == "deleted from s3"  # idempotent: the first reason stays
    assert processed_documents(lake) == [b]
    assert freeze_members(lake, "after") == [b]
    assert freeze_members(lake, "before") == sorted([a, b])  # a frozen release never changes
    assert lake.read_json("gold/releases/after/documents.json")["withdrawn"] == [a]
    assert set(withdrawn(lake)) == {a}
    assert reinstate(lake, a) and processed_documents(lake) == sorted([a, b])
