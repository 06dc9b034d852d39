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


def test_release_waits_for_document_runs_then_cuts_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAFORGE_RELEASE_INTERVAL", "0")
    monkeypatch.delenv("DATAFORGE_CONFIG", raising=False)
    lake, instance = LocalLake(tmp_path / "lake"), dg.DagsterInstance.ephemeral()
    docs = [finished(lake, "a"), finished(lake, "b")]
    quarantine(lake, finished(lake, "c"), "document_text", "no_text")  # quarantined: not in the release

    busy = DagsterRun(job_name="document_pipeline", run_id=make_new_run_id(), status=dg.DagsterRunStatus.STARTED)
    instance.add_run(busy)
    waiting = tick(instance, lake)
    assert isinstance(waiting, dg.SkipReason) and "queued or in progress" in waiting.skip_message

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
    assert isinstance(same, dg.SkipReason) and "no document changed" in same.skip_message


def test_release_interval_is_a_minimum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAFORGE_RELEASE_INTERVAL", "3600")
    lake = LocalLake(tmp_path / "lake")
    finished(lake, "a")
    recent = json.dumps({"release": "release-0123456789", "at": time.time() - 60})
    skipped = tick(dg.DagsterInstance.ephemeral(), lake, recent)
    assert isinstance(skipped, dg.SkipReason) and "cut less than 3600s ago" in skipped.skip_message
    old = json.dumps({"release": "release-0123456789", "at": time.time() - 7200})
    assert tick(dg.DagsterInstance.ephemeral(), lake, old).run_requests
