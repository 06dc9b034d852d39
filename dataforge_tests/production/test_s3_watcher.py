"""The S3 watcher and its inventory against a real S3 server (SeaweedFS on loopback).

What the sensor tests do not show tick by tick: the cursor stays a few hundred bytes however many
keys are remembered, an unchanged object is never downloaded twice (GETs counted on the client),
an idle tick writes nothing, deletions are found by the sweep in a sharded inventory, and a tick
whose cursor was lost is redone from the generation the old cursor names.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from dataforge.lib import s3_inventory
from dataforge.lib.lake import LocalLake, S3Lake
from dataforge.lib.s3_inventory import Inventory
from dataforge.lib.sources import S3Watcher, WatchLimits, WatchState, arrival_key, etag_digest

T0 = datetime(2025, 6, 1, tzinfo=UTC)


class CountingClient:
    """The watcher's boto3 client, counting downloads."""

    def __init__(self, client: Any):
        self.client, self.gets = client, []

    def get_object(self, **kwargs: Any) -> Any:
        self.gets.append(kwargs["Key"])
        return self.client.get_object(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def key(i: int) -> str:
    return arrival_key("incoming", f"n{i}.txt", T0 + timedelta(seconds=i))


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s3_inventory, "SHARD_MAX", 50)  # 300 keys make a dozen shards


def test_cursor_stays_small_and_nothing_is_downloaded_twice(s3_server, bucket: str, small_shards) -> None:
    raw = s3_server.client()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: raw.put_object(Bucket=bucket, Key=key(i), Body=f"note {i}".encode()), range(300)))
    client, lake = CountingClient(s3_server.client()), S3Lake(f"s3://{bucket}/lake")
    watcher = S3Watcher(client, f"s3://{bucket}/incoming/", lake, WatchLimits(max_objects=1000, sweep_keys=100))
    noop = lambda obj, data: None  # noqa: E731

    first = watcher.poll(WatchState(), noop)
    assert len(first.handled) == 300 and len(client.gets) == 300
    assert len(first.inventory) == 300 and len(first.inventory.shards) >= 6
    assert len(first.state.encode()) < 200  # two keys and a number, not 300 ETags

    state, generation = first.state, first.state.generation
    for _ in range(4):  # more than a whole sweep cycle over the 300 keys
        report = watcher.poll(state, noop)
        assert not report.handled and not report.deleted and report.inventory.writes == 0
        state = report.state
    assert len(client.gets) == 300 and state.generation == generation  # no GET, no new generation
    assert len(state.encode()) < 10_000

    raw.put_object(Bucket=bucket, Key=key(150), Body=b"note 150, revised")  # a changed object: one GET
    raw.delete_object(Bucket=bucket, Key=key(10))
    changed, deleted = [], []
    for _ in range(4):
        report = watcher.poll(state, noop)
        changed += [obj.key for obj in report.handled]
        deleted += report.deleted
        state = report.state
    assert changed == [key(150)] and deleted == [key(10)] and len(client.gets) == 301
    assert len(Inventory.open(lake, watcher.root, state.generation, watcher.prefix)) == 299


def test_a_lost_cursor_redoes_the_tick_from_its_generation(s3_server, bucket: str, small_shards) -> None:
    raw = s3_server.client()
    for i in range(60):
        raw.put_object(Bucket=bucket, Key=key(i), Body=f"note {i}".encode())
    lake = S3Lake(f"s3://{bucket}/lake")
    watcher = S3Watcher(raw, f"s3://{bucket}/incoming/", lake)
    committed = watcher.poll(WatchState(), lambda obj, data: None).state
    raw.put_object(Bucket=bucket, Key=key(100), Body=b"arrived during the lost tick")

    lost = watcher.poll(committed, lambda obj, data: None)  # the daemon never stores this cursor
    redo = watcher.poll(committed, lambda obj, data: None)  # so the next tick starts from the old one
    assert [o.key for o in lost.handled] == [o.key for o in redo.handled] == [key(100)]
    assert redo.state.generation == lost.state.generation == committed.generation + 1
    indexes = [k for k in lake.list(watcher.root) if "/index/" in k]
    assert len(indexes) == 2  # the generation read and the one written; older ones are collected
    live = {s.id for g in (committed.generation, redo.state.generation) for s in open_shards(lake, watcher, g)}
    assert {k.rsplit("/", 1)[-1].removesuffix(".json.z") for k in lake.list(f"{watcher.root}/shards")} == live


def open_shards(lake: S3Lake, watcher: S3Watcher, generation: int) -> list[Any]:
    return Inventory.open(lake, watcher.root, generation, watcher.prefix).shards


def test_a_v1_cursor_moves_its_etags_into_the_inventory(s3_server, bucket: str) -> None:
    """Upgrading keeps what the old cursor remembered: no download of the objects it knew."""
    raw = s3_server.client()
    etags = {}
    for i in range(5):
        etags[key(i)] = etag_digest(raw.put_object(Bucket=bucket, Key=key(i), Body=f"note {i}".encode())["ETag"])
    client = CountingClient(raw)
    watcher = S3Watcher(client, f"s3://{bucket}/incoming/", S3Lake(f"s3://{bucket}/lake"))
    old = WatchState.decode(json.dumps({"v": 1, "after": key(4), "sweep": "", "etags": etags}))
    report = watcher.poll(old, lambda obj, data: None)
    assert client.gets == [] and report.unchanged == 5 and len(report.inventory) == 5
    assert "etags" not in report.state.encode()


def test_inventory_shards_split_and_empty_ones_disappear(tmp_path, small_shards) -> None:
    """Plain logic on a local lake: range lookups across shard boundaries."""
    lake = LocalLake(tmp_path)
    inventory = Inventory.open(lake, "state/s3_watch/t", 0, "incoming/")
    for i in range(120):
        inventory.put(f"incoming/{i:04d}", f"{i:012x}")
    generation = inventory.commit()
    reread = Inventory.open(lake, "state/s3_watch/t", generation, "incoming/")
    assert len(reread.shards) == 5 and len(reread) == 120 and reread.get("incoming/0077") == f"{77:012x}"
    assert reread.keys_between("incoming/0023", "incoming/0027") == [f"incoming/{i:04d}" for i in range(24, 28)]
    assert reread.keys_between("incoming/0117", None) == ["incoming/0118", "incoming/0119"]
    for i in range(24):  # empty the first shard
        reread.forget(f"incoming/{i:04d}")
    assert reread.commit() == generation + 1
    final = Inventory.open(lake, "state/s3_watch/t", generation + 1, "incoming/")
    assert len(final.shards) == 4 and final.shards[0].first == "" and len(final) == 96
    assert final.get("incoming/0005") is None and final.get("incoming/0024") == f"{24:012x}"
