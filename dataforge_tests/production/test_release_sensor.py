"""Release automation: one release per burst of uploads, at most once per interval."""

from __future__ import annotations

import json
import time
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pytest
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.utils import make_new_run_id

from dataforge.defs.automation.sensors import release_sensor
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.ingest import ingest_bytes, quarantine
from dataforge.lib.lake import LocalLake
from dataforge.lib.stages import silver_key


def finished(lake: LocalLake, name: str) -> str:
    """A stored document whose last per-document stage has written its output."""
    doc_id = ingest_bytes(lake, f"{name}: Helena Marsh visited Oslo.".encode(), f"{name}.txt", name).doc_id
    lake.write_table(silver_key("document_examples", doc_id), pa.table({"id": pa.array([], pa.string())}))
    return doc_id


def tick(instance: dg.DagsterInstance, lake: LocalLake, cursor: str | None = None):  # noqa: ANN201
    resources = {"dataforge": DataforgeResource(lake_uri=str(lake.root))}
    return release_sensor(dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources))


def skipped(result) -> str | None:  # noqa: ANN001
    """The skip message of a tick that requested nothing (a bare SkipReason or a SensorResult)."""
    if isinstance(result, dg.SkipReason):
        return result.skip_message
    return None if result.run_requests else result.skip_reason.skip_message


def test_release_waits_for_document_runs_then_cuts_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAFORGE_RELEASE_INTERVAL", "0")
    monkeypatch.delenv("DATAFORGE_CONFIG", raising=False)
    lake, instance = LocalLake(tmp_path / "lake"), dg.DagsterInstance.ephemeral()
    docs = [finished(lake, "a"), finished(lake, "b")]
    quarantine(lake, finished(lake, "c"), "document_text", "no_text")  # quarantined: not in the release

    busy = DagsterRun(job_name="document_pipeline", run_id=make_new_run_id(), status=dg.DagsterRunStatus.STARTED)
    instance.add_run(busy)
    waiting = tick(instance, lake)
    assert "queued or in progress" in skipped(waiting)

    instance.report_run_failed(busy)  # finished, one way or the other: no longer holds the release back
    cut = tick(instance, lake)
    [request] = cut.run_requests
    [add] = cut.dynamic_partitions_requests
    assert list(add.partition_keys) == [request.partition_key] and request.partition_key.startswith("release-")
    assert json.loads(cut.cursor)["documents"] == len(docs)

    # the same documents again: nothing to cut, whatever the interval
    instance.add_dynamic_partitions("releases", [request.partition_key])
    lake.write_json(f"gold/releases/{request.partition_key}/documents.json", {"doc_ids": sorted(docs)})
    same = tick(instance, lake, cut.cursor)
    assert "no document changed" in skipped(same)


def test_release_interval_is_a_minimum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAFORGE_RELEASE_INTERVAL", "3600")
    lake = LocalLake(tmp_path / "lake")
    finished(lake, "a")
    recent = json.dumps({"release": "release-0123456789", "at": time.time() - 60})
    assert "cut less than 3600s ago" in skipped(tick(dg.DagsterInstance.ephemeral(), lake, recent))
    old = json.dumps({"release": "release-0123456789", "at": time.time() - 7200})
    assert tick(dg.DagsterInstance.ephemeral(), lake, old).run_requests


def test_steady_uploads_never_starve_the_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Document runs always in flight: the release waits at most DATAFORGE_RELEASE_MAX_WAIT, then
    cuts what has finished; a document still in flight goes into the next release."""
    monkeypatch.setenv("DATAFORGE_RELEASE_INTERVAL", "0")
    monkeypatch.setenv("DATAFORGE_RELEASE_MAX_WAIT", "300")
    monkeypatch.delenv("DATAFORGE_CONFIG", raising=False)
    lake, instance = LocalLake(tmp_path / "lake"), dg.DagsterInstance.ephemeral()
    done = [finished(lake, "a"), finished(lake, "b")]
    ingest_bytes(lake, b"c: still being processed in Oslo.", "c.txt", "c")  # no document_examples yet
    instance.add_run(
        DagsterRun(job_name="document_pipeline", run_id=make_new_run_id(), status=dg.DagsterRunStatus.STARTED)
    )

    first = tick(instance, lake)
    assert "at most 300s more" in skipped(first)
    pending_since = json.loads(first.cursor)["pending_since"]
    again = tick(instance, lake, first.cursor)  # the first sighting is kept, not renewed each tick
    assert skipped(again) and isinstance(again, dg.SkipReason)  # a bare skip: the cursor stays as it was
    assert pending_since is not None

    later = json.dumps({"pending_since": time.time() - 301})
    cut = tick(instance, lake, later)
    [request] = cut.run_requests
    assert json.loads(cut.cursor)["documents"] == len(done)  # what has finished, not the one in flight


def test_no_second_release_run_while_one_is_in_flight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAFORGE_RELEASE_INTERVAL", "0")
    monkeypatch.setenv("DATAFORGE_RELEASE_MAX_WAIT", "0")
    lake, instance = LocalLake(tmp_path / "lake"), dg.DagsterInstance.ephemeral()
    finished(lake, "a")
    instance.add_run(
        DagsterRun(job_name="release_pipeline", run_id=make_new_run_id(), status=dg.DagsterRunStatus.STARTED)
    )
    assert "release run(s) queued or in progress" in skipped(tick(instance, lake))
