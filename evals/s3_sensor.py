"""What the S3 upload watcher costs at 100 000 keys, on a real S3 server (SeaweedFS on loopback).

Uploads N small objects with arrival-sorted keys plus one key outside the convention
(``incoming/report.pdf``, which sorts after every stamped key: the case that used to stall the
cursor), then drives ``dataforge.lib.sources.S3Watcher`` the way the sensor does, tick after
tick, with the inventory in an S3 lake on the same server:
- the first ticks, until every object is handled once (downloads counted);
- a whole sweep cycle of idle ticks: time per tick, downloads (GETs of watched objects), lake
  GETs and PUTs per tick;
- new uploads: ticks and seconds until each is handled, and the same with the cursor parked
  after the odd key (what the old cursor did), where only the sweep finds them;
- deletions: ticks until the sweep reports three deleted keys;
- cursor size, inventory size (keys, shards, bytes), and a full listing for comparison (what
  ``dagster_aws.s3.sensor.get_objects`` does every tick).

The handler only counts bytes: ingest cost per object is measured by the sensor tests and the
pipeline benchmarks, and would make the 100k fill take an hour here.

    .venv/bin/python -m evals.s3_sensor [N] [--keep DIR]   # DIR: reuse the server's objects
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dataforge.lib.lake import S3Lake
from dataforge.lib.sources import S3Watcher, WatchLimits, WatchState, arrival_key
from dataforge_tests.production.servers import seaweedfs

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "s3_sensor.json"
BUCKET, WATCH = "bench-sensor", "s3://bench-sensor/incoming/"
ODD_KEY = "incoming/report.pdf"


class Counting:
    """A boto3 client that counts GETs and PUTs (listing goes through uncounted)."""

    def __init__(self, client: Any):
        self.client, self.gets, self.puts = client, 0, 0

    def get_object(self, **kwargs: Any) -> Any:
        self.gets += 1
        return self.client.get_object(**kwargs)

    def put_object(self, **kwargs: Any) -> Any:
        self.puts += 1
        return self.client.put_object(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def note_key(i: int) -> str:
    return arrival_key("incoming", f"note-{i}.txt", datetime(2025, 6, 1, tzinfo=UTC) + timedelta(seconds=i))


def fill(client: Any, n: int) -> float:
    """N objects and the odd key; seconds taken. On a kept server that holds them already, only
    undo what the last run changed (its new uploads and deletions)."""
    marker = f"filled/{n}"
    if client.list_objects_v2(Bucket=BUCKET, Prefix=marker).get("KeyCount"):
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix="incoming/", StartAfter="incoming/2025/12"
        ):
            for item in page.get("Contents", []):
                if item["Key"] != ODD_KEY:
                    client.delete_object(Bucket=BUCKET, Key=item["Key"])
        for i in deletion_targets(n):
            client.put_object(Bucket=BUCKET, Key=note_key(i), Body=note(i))
        return 0.0
    began = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: client.put_object(Bucket=BUCKET, Key=note_key(i), Body=note(i)), range(n)))
    client.put_object(Bucket=BUCKET, Key=ODD_KEY, Body=b"%PDF-1.4 a report outside the key convention")
    client.put_object(Bucket=BUCKET, Key=marker, Body=b"")
    return round(time.perf_counter() - began, 1)


def note(i: int) -> bytes:
    return f"Note {i}: Helena Marsh in Oslo.".encode()


def deletion_targets(n: int) -> list[int]:
    """The first, a middle and the last stamped key: deleted during the run."""
    return [0, n // 2, n - 1]


def main(n: int, keep: Path | None) -> dict:
    with seaweedfs(keep) as server:
        raw = server.client()
        if BUCKET not in [b["Name"] for b in raw.list_buckets()["Buckets"]]:
            raw.create_bucket(Bucket=BUCKET)
        fill_s = fill(raw, n)
        for key in S3Lake(f"s3://{BUCKET}/lake", client=raw).list("state"):
            raw.delete_object(Bucket=BUCKET, Key=f"lake/{key}")  # every run starts with an empty inventory
        watched, lake_client = Counting(server.client()), Counting(server.client())
        lake = S3Lake(f"s3://{BUCKET}/lake", client=lake_client)
        watcher = S3Watcher(watched, WATCH, lake, WatchLimits(max_objects=5000, max_seconds=300))
        handled: list[str] = []
        state = WatchState()

        def tick() -> dict[str, Any]:
            nonlocal state
            gets, lake_gets, lake_puts, began = watched.gets, lake_client.gets, lake_client.puts, time.perf_counter()
            report = watcher.poll(state, lambda obj, data: handled.append(obj.key))
            state = report.state
            return {
                "seconds": time.perf_counter() - began,
                "handled": len(report.handled),
                "downloads": watched.gets - gets,
                "lake_gets": lake_client.gets - lake_gets,
                "lake_puts": lake_client.puts - lake_puts,
                "deleted": report.deleted,
                "listed": report.listed,
                "keys": len(report.inventory),
            }

        first, began = [], time.perf_counter()
        while not first or first[-1]["handled"]:
            first.append(tick())
        first_s = round(time.perf_counter() - began, 1)
        assert len(set(handled)) == n + 1 == len(handled), (len(handled), n)

        while state.sweep:  # finish the cycle the first ticks began
            tick()
        idle = [tick()]  # a whole sweep cycle: until the sweep starts over
        while state.sweep:
            idle.append(tick())
        assert not any(t["downloads"] or t["lake_puts"] for t in idle), "an idle tick downloaded or wrote"

        latency = []
        for i in range(5):
            key = arrival_key("incoming", f"new-{i}.txt")
            raw.put_object(Bucket=BUCKET, Key=key, Body=f"New upload {i}.".encode())
            put_at, ticks = time.perf_counter(), 0
            while key not in handled:
                ticks += 1
                tick()
            latency.append({"ticks": ticks, "seconds": round(time.perf_counter() - put_at, 2)})

        # the old cursor moved past the odd key: a new upload then waits for the sweep to reach it
        key = arrival_key("incoming", "parked.txt")
        raw.put_object(Bucket=BUCKET, Key=key, Body=b"Found by the sweep only.")
        state = WatchState(ODD_KEY, "", state.generation)
        put_at, parked_ticks = time.perf_counter(), 0
        while key not in handled:
            parked_ticks += 1
            tick()
        parked_s = round(time.perf_counter() - put_at, 1)
        state.after = key

        keys = [note_key(i) for i in deletion_targets(n)]
        for key in keys:
            raw.delete_object(Bucket=BUCKET, Key=key)
        deleted, deletion_ticks = [], 0
        while len(deleted) < len(keys):
            deletion_ticks += 1
            deleted += tick()["deleted"]
        assert sorted(deleted) == sorted(keys), deleted

        inventory = watcher.poll(state, lambda obj, data: None).inventory
        index = lake.read_bytes(inventory._index_key(inventory.generation))
        inventory_stats = {
            "keys": len(inventory),
            "shards": len(json.loads(index)["shards"]),
            "index_bytes": len(index),
            "stored_bytes": inventory.stored_bytes(),
        }
        began = time.perf_counter()
        listed = sum(
            p.get("KeyCount", 0)
            for p in raw.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="incoming/")
        )
        full_listing_s = round(time.perf_counter() - began, 2)
    seconds = [t["seconds"] * 1000 for t in idle]
    return {
        "objects": n,
        "odd_keys": [ODD_KEY],
        "fill_seconds": fill_s,
        "first_pass": {
            "ticks": len(first) - 1,
            "seconds": first_s,
            "downloads": sum(t["downloads"] for t in first),
            "lake_puts": sum(t["lake_puts"] for t in first),
        },
        "idle_cycle": {
            "ticks": len(idle),
            "tick_ms_median": round(statistics.median(seconds), 1),
            "tick_ms_p90": round(sorted(seconds)[int(0.9 * (len(seconds) - 1))], 1),
            "tick_ms_max": round(max(seconds), 1),
            "downloads_per_tick_max": max(t["downloads"] for t in idle),
            "lake_gets_per_tick_median": statistics.median(t["lake_gets"] for t in idle),
            "lake_gets_per_tick_max": max(t["lake_gets"] for t in idle),
            "lake_puts_total": sum(t["lake_puts"] for t in idle),
            "keys_listed_per_tick_median": statistics.median(t["listed"] for t in idle),
        },
        "new_upload": latency,
        "new_upload_cursor_parked_after_odd_key": {"ticks": parked_ticks, "seconds": parked_s},
        "deletions": {"keys": len(keys), "ticks_until_all_reported": deletion_ticks},
        "cursor_bytes": len(state.encode()),
        "inventory": inventory_stats,
        "full_listing": {"keys": listed, "seconds": full_listing_s},
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}, 2 cores (shared)",
        "server": "SeaweedFS 4.48 (weed mini) on 127.0.0.1",
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the server's data here and reuse it on the next run")
    args = parser.parse_args()
    result = main(args.n, args.keep)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
