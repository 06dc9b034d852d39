"""The S3 upload sensor against a real S3 server (SeaweedFS on loopback).

Ticks are evaluated with ``build_sensor_context`` the way the daemon would, with the lake on
the same S3 server, so listing, StartAfter paging, ETags, SSE and partition registration are
all real.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster_aws.s3 import S3Resource

from dataforge.defs.automation.s3_sensor import s3_upload_sensor
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.ingest import list_quarantine
from dataforge.lib.lake import S3Lake, sse_args
from dataforge.lib.routing import K8S_CONFIG_TAG, ROUTE_TAG
from dataforge.lib.runs import RANGE_END_TAG, RANGE_START_TAG
from dataforge.lib.sources import arrival_key
from dataforge.lib.withdrawals import withdraw, withdrawn
from dataforge_tests.lib._builders import make_pdf

T0 = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def note(i: int) -> bytes:
    return f"Note {i}: Helena Marsh met Pieter van Dijk in Rotterdam on {i + 1} May 2024.".encode()


@pytest.fixture
def watch(bucket: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # noqa: ANN201
    """Watch s3://bucket/incoming/, lake at s3://bucket/lake, batches of 2, small thresholds."""
    config = tmp_path / "dataforge.yaml"
    config.write_text(yaml.safe_dump({"run": {"batch_size": 2}, "extract": {"max_bytes": 200_000}}))
    monkeypatch.setenv("DATAFORGE_CONFIG", str(config))
    monkeypatch.setenv("DATAFORGE_S3_WATCH", f"s3://{bucket}/incoming/")
    monkeypatch.setenv("DATAFORGE_HEAVY_MB", "0.03")  # ~31 KB
    monkeypatch.setenv("DATAFORGE_HEAVY_PAGES", "3")
    return bucket


def tick(instance: dg.DagsterInstance, bucket: str, cursor: str | None = None):  # noqa: ANN201
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"s3": S3Resource(), "dataforge": DataforgeResource(lake_uri=f"s3://{bucket}/lake")},
    )
    return s3_upload_sensor(context)


def added(result: dg.SensorResult) -> list[str]:
    return [key for request in result.dynamic_partitions_requests for key in request.partition_keys]


def test_uploads_become_batched_cpu_runs_and_gpu_runs_for_heavy_documents(s3_server, watch: str) -> None:
    client, instance = s3_server.client(), dg.DagsterInstance.ephemeral()
    keys = [arrival_key("incoming", f"note-{i}.txt", T0 + timedelta(seconds=i)) for i in range(3)]
    for i, key in enumerate(keys):
        client.put_object(Bucket=watch, Key=key, Body=note(i))
    big = arrival_key("incoming", "big-report.txt", T0 + timedelta(seconds=10))
    client.put_object(Bucket=watch, Key=big, Body=b"A long report about Northwind. " * 1500)  # 46 KB
    scan = arrival_key("incoming", "scan.pdf", T0 + timedelta(seconds=11))
    client.put_object(Bucket=watch, Key=scan, Body=make_pdf([f"page {i}" for i in range(5)]))
    client.put_object(Bucket=watch, Key="incoming/2025/06/01/upload.pdf.part", Body=b"partial")

    result = tick(instance, watch)
    assert isinstance(result, dg.SensorResult)
    partitions = added(result)
    assert len(partitions) == 5 and partitions[0].startswith("note-0-") and partitions[-1].startswith("scan-")
    lake = S3Lake(f"s3://{watch}/lake")
    assert lake.read_json(f"raw/{partitions[0]}/source.json")["source"] == f"s3://{watch}/{keys[0]}"
    cpu = [r for r in result.run_requests if r.tags[ROUTE_TAG] == "cpu"]
    gpu = [r for r in result.run_requests if r.tags[ROUTE_TAG] == "gpu"]
    assert [(r.tags.get(RANGE_START_TAG), r.tags.get(RANGE_END_TAG)) for r in cpu] == [
        (partitions[0], partitions[1]),
        (None, None),
    ]
    assert cpu[1].partition_key == partitions[2]
    assert sorted(r.partition_key for r in gpu) == sorted(partitions[3:])
    for request in gpu:
        config = json.loads(request.tags[K8S_CONFIG_TAG])
        assert config["container_config"]["resources"]["limits"]["nvidia.com/gpu"] == "1"
        assert config["pod_spec_config"]["tolerations"]
    cursor = json.loads(result.cursor)
    assert cursor["after"] == scan  # the last key that follows the convention, not the partial upload
    assert "etags" not in cursor and cursor["gen"] == 1  # the ETags live in the lake's inventory

    # the daemon applies the partition request; the next tick has nothing to do and says why
    instance.add_dynamic_partitions("documents", partitions)
    idle = tick(instance, watch, result.cursor)
    assert not idle.run_requests and "no new or changed documents" in idle.skip_reason.skip_message
    assert "5 unchanged" in idle.skip_reason.skip_message

    # the same bytes uploaded again under the same key: same ETag, nothing downloaded or run
    client.put_object(Bucket=watch, Key=keys[0], Body=note(0))
    same = tick(instance, watch, idle.cursor)
    assert not same.run_requests and "5 unchanged" in same.skip_reason.skip_message

    # changed content under an existing key (behind the cursor): the sweep finds it, new document
    client.put_object(Bucket=watch, Key=keys[0], Body=note(0) + b" Revised in June.")
    changed = tick(instance, watch, same.cursor)
    [new_doc] = added(changed)
    assert new_doc.startswith("note-0-") and new_doc not in partitions
    [rerun] = changed.run_requests
    assert rerun.partition_key == new_doc and rerun.tags[ROUTE_TAG] == "cpu"
    instance.add_dynamic_partitions("documents", [new_doc])

    # a key that does not follow the convention (sorts before the cursor) is still picked up
    client.put_object(Bucket=watch, Key="incoming/0-late-upload.txt", Body=note(9))
    late = tick(instance, watch, changed.cursor)
    assert [k.split("-")[:2] for k in added(late)] == [["0", "late"]]  # stamp-free keys keep their whole name
    assert json.loads(late.cursor)["after"] == cursor["after"]


def test_an_odd_key_does_not_delay_the_next_upload(s3_server, watch: str, monkeypatch) -> None:
    """``incoming/report.pdf`` sorts after every ``incoming/2025/...`` key; a key stamped in 2099
    would sort after every real upload until then. Neither may carry the cursor past them."""
    monkeypatch.setenv("DATAFORGE_S3_SWEEP_KEYS", "1")  # the sweep would need a tick per key
    client, instance = s3_server.client(), dg.DagsterInstance.ephemeral()
    keys = [arrival_key("incoming", f"note-{i}.txt", T0 + timedelta(seconds=i)) for i in range(3)]
    for i, key in enumerate(keys):
        client.put_object(Bucket=watch, Key=key, Body=note(i))
    client.put_object(Bucket=watch, Key="incoming/report.pdf", Body=note(7))
    client.put_object(Bucket=watch, Key="incoming/2099/01/01/000000000000-future.txt", Body=note(8))
    first = tick(instance, watch)
    assert len(added(first)) == 5  # the scan ingests the odd keys where it meets them
    assert json.loads(first.cursor)["after"] == keys[-1]
    instance.add_dynamic_partitions("documents", added(first))

    upload = arrival_key("incoming", "next.txt", T0 + timedelta(minutes=5))
    client.put_object(Bucket=watch, Key=upload, Body=note(20))
    second = tick(instance, watch, first.cursor)
    [doc] = added(second)  # found on the very next tick, by the arrival scan
    assert doc.startswith("next-") and json.loads(second.cursor)["after"] == upload
    instance.add_dynamic_partitions("documents", [doc])
    idle = tick(instance, watch, second.cursor)
    assert not idle.run_requests and "3 unchanged" in idle.skip_reason.skip_message  # 2 odd (scan) + 1 (sweep)


def test_a_deleted_upload_becomes_a_withdrawal(s3_server, watch: str, monkeypatch) -> None:
    client, instance = s3_server.client(), dg.DagsterInstance.ephemeral()
    lake = S3Lake(f"s3://{watch}/lake")
    keys = [arrival_key("incoming", f"memo-{i}.txt", T0 + timedelta(seconds=i)) for i in range(2)]
    for i, key in enumerate(keys):
        client.put_object(Bucket=watch, Key=key, Body=note(i))
    first = tick(instance, watch)
    docs = added(first)
    instance.add_dynamic_partitions("documents", docs)

    client.delete_object(Bucket=watch, Key=keys[0])
    gone = tick(instance, watch, first.cursor)
    assert "1 deleted (1 document(s) withdrawn)" in gone.skip_reason.skip_message
    record = withdrawn(lake)[docs[0]]
    assert record["reason"] == "deleted from s3" and record["source"] == f"s3://{watch}/{keys[0]}"
    assert set(withdrawn(lake)) == {docs[0]}
    again = tick(instance, watch, gone.cursor)  # forgotten by the inventory: reported once
    assert "deleted" not in again.skip_reason.skip_message

    client.put_object(Bucket=watch, Key=keys[0], Body=note(0))  # the same bytes come back
    back = tick(instance, watch, again.cursor)
    assert "1 already ingested" in back.skip_reason.skip_message and withdrawn(lake) == {}

    withdraw(lake, docs[1], reason="legal takedown")  # a manual takedown is not undone by a re-upload
    client.put_object(Bucket=watch, Key="incoming/copy-of-memo-1.txt", Body=note(1))
    copy = tick(instance, watch, back.cursor)
    assert withdrawn(lake)[docs[1]]["reason"] == "legal takedown"

    monkeypatch.setenv("DATAFORGE_S3_ON_DELETE", "forget")  # e.g. a lifecycle rule expires uploads
    client.delete_object(Bucket=watch, Key=keys[0])
    expired = tick(instance, watch, copy.cursor)
    assert "1 deleted (0 document(s) withdrawn)" in expired.skip_reason.skip_message
    assert set(withdrawn(lake)) == {docs[1]}


def test_tick_caps_objects_and_continues_where_it_stopped(s3_server, watch: str, monkeypatch) -> None:
    monkeypatch.setenv("DATAFORGE_S3_MAX_OBJECTS_PER_TICK", "2")
    client, instance = s3_server.client(), dg.DagsterInstance.ephemeral()
    keys = [arrival_key("incoming", f"n{i}.txt", T0 + timedelta(seconds=i)) for i in range(5)]
    for i, key in enumerate(keys):
        client.put_object(Bucket=watch, Key=key, Body=note(i))
    cursor, sizes = None, []
    for _ in range(4):
        result = tick(instance, watch, cursor)
        sizes.append(len(added(result)))
        instance.add_dynamic_partitions("documents", added(result))
        cursor = result.cursor
    assert sizes == [2, 2, 1, 0]
    assert json.loads(cursor)["after"] == keys[-1]


def test_oversized_uploads_are_quarantined_without_downloading(s3_server, watch: str, monkeypatch, tmp_path) -> None:
    config = tmp_path / "small.yaml"
    config.write_text(yaml.safe_dump({"extract": {"max_bytes": 1000}}))
    monkeypatch.setenv("DATAFORGE_CONFIG", str(config))
    s3_server.client().put_object(Bucket=watch, Key="incoming/2025/huge.txt", Body=b"x" * 5000)
    result = tick(dg.DagsterInstance.ephemeral(), watch)
    assert not result.run_requests and "1 too large" in result.skip_reason.skip_message
    [record] = list_quarantine(S3Lake(f"s3://{watch}/lake"))
    assert record["reason"] == "too_large" and record["source"] == f"s3://{watch}/incoming/2025/huge.txt"
    assert record["size"] == 5000 and record["sha256"] is None


def test_skip_reasons_when_unconfigured_or_pointed_at_the_lake(bucket: str, monkeypatch) -> None:
    monkeypatch.delenv("DATAFORGE_S3_WATCH", raising=False)
    unset = tick(dg.DagsterInstance.ephemeral(), bucket)
    assert isinstance(unset, dg.SkipReason) and "DATAFORGE_S3_WATCH is not set" in unset.skip_message
    monkeypatch.setenv("DATAFORGE_S3_WATCH", f"s3://{bucket}/")
    loop = tick(dg.DagsterInstance.ephemeral(), bucket)
    assert isinstance(loop, dg.SkipReason) and "overlaps the lake" in loop.skip_message


def test_lake_objects_are_encrypted_when_configured(s3_server, bucket: str, monkeypatch) -> None:
    monkeypatch.setenv("DATAFORGE_S3_SSE", "AES256")
    lake = S3Lake(f"s3://{bucket}/lake")
    lake.write_json("probe.json", {"ok": True})
    head = s3_server.client().head_object(Bucket=bucket, Key="lake/probe.json")
    assert head["ServerSideEncryption"] == "AES256"
    assert lake.read_json("probe.json") == {"ok": True}
    with pytest.raises(FileNotFoundError):
        lake.read_bytes("missing.json")
    # SeaweedFS has no KMS, so the KMS variant is checked on the request arguments only
    assert sse_args({"DATAFORGE_S3_KMS_KEY_ID": "arn:aws:kms:k"}) == {
        "ServerSideEncryption": "aws:kms",
        "SSEKMSKeyId": "arn:aws:kms:k",
    }
    with pytest.raises(ValueError):
        sse_args({"DATAFORGE_S3_SSE": "rot13"})
