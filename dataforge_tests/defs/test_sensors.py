"""Sensors evaluated the way the daemon would, against a real lake folder."""

import json

import dagster as dg

from dataforge.defs.automation.sensors import inbox_sensor, release_sensor
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.ingest import list_documents
from dataforge.lib.lake import LocalLake
from dataforge.lib.runs import RANGE_END_TAG, RANGE_START_TAG


def tick(sensor, instance, lake_uri, cursor=None):  # noqa: ANN001, ANN201
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"dataforge": DataforgeResource(lake_uri=lake_uri)}
    )
    return sensor(context), context


def test_inbox_sensor_ingests_registers_and_requests_batched_runs(isolated_env, monkeypatch) -> None:
    inbox = isolated_env / "inbox"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"note-{i}.txt").write_text(f"Note {i}: Helena Marsh visited Oslo in 2023.")
    (inbox / ".hidden.txt").write_text("ignored")
    (inbox / "upload.pdf.part").write_text("partial upload")
    lake_uri = str(isolated_env / "lake")
    instance = dg.DagsterInstance.ephemeral()

    result, context = tick(inbox_sensor, instance, lake_uri)
    assert isinstance(result, dg.SensorResult)
    [add] = result.dynamic_partitions_requests
    keys = list(add.partition_keys)
    assert len(keys) == 3 and sorted(keys) == list_documents(LocalLake(lake_uri))
    [request] = result.run_requests
    assert {request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]} <= set(keys)
    cursor = result.cursor
    assert set(json.loads(cursor)) == {"note-0.txt", "note-1.txt", "note-2.txt"}

    # nothing new: the sensor says why it skipped
    instance.add_dynamic_partitions("documents", keys)
    again, _ = tick(inbox_sensor, instance, lake_uri, cursor)
    assert isinstance(again, dg.SkipReason) and "no new or changed files" in again.skip_message

    # identical bytes under a new name are the same document: no new run
    (inbox / "copy.txt").write_text("Note 0: Helena Marsh visited Oslo in 2023.")
    dup, _ = tick(inbox_sensor, instance, lake_uri, cursor)
    assert not dup.run_requests and "already ingested" in dup.skip_reason.skip_message


def test_release_sensor_skips_without_processed_documents(isolated_env) -> None:
    result, _ = tick(release_sensor, dg.DagsterInstance.ephemeral(), str(isolated_env / "lake"))
    assert isinstance(result, dg.SkipReason) and "no processed documents" in result.skip_message
