"""What an S3 upload-sensor tick costs as the watched prefix grows, on a real S3 server.

Uploads N small objects with arrival-sorted keys to SeaweedFS on loopback, then measures the
watcher (``dataforge.lib.sources.S3Watcher``) as the sensor drives it:
- first ticks: download + ingest into a lake on the same server, per object;
- an idle tick: the StartAfter scan alone (nothing after the cursor), and with the sweep
  listing a full 1000-key page behind it;
- a full listing of the prefix, which is what ``dagster_aws.s3.sensor.get_objects`` does
  every tick;
and the cursor size with the ETag memory full.

    .venv/bin/python -m evals.s3_sensor [N]
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dataforge.lib.ingest import ingest_bytes
from dataforge.lib.lake import S3Lake
from dataforge.lib.sources import S3Watcher, WatchLimits, WatchState, arrival_key
from dataforge_tests.production.servers import seaweedfs

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "s3_sensor.json"


def timed(fn, repeat: int = 5) -> float:  # noqa: ANN001
    """Median milliseconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1)


def main(n: int = 2000) -> dict:
    with seaweedfs() as server:
        client = server.client()
        client.create_bucket(Bucket="bench-sensor")
        start = datetime(2025, 6, 1, tzinfo=UTC)
        for i in range(n):
            key = arrival_key("incoming", f"note-{i}.txt", start + timedelta(seconds=i))
            client.put_object(Bucket="bench-sensor", Key=key, Body=f"Note {i}: Helena Marsh in Oslo.".encode())
        lake = S3Lake("s3://bench-sensor/lake", client=client)
        watcher = S3Watcher(client, "s3://bench-sensor/incoming/", WatchLimits(max_objects=500))
        state, ticks = WatchState(), []

        def ingest(obj, data):  # noqa: ANN001, ANN202
            ingest_bytes(lake, data, obj.key.rsplit("/", 1)[-1], obj.key)

        while True:
            began = time.perf_counter()
            report = watcher.poll(state, ingest)
            state = report.state
            if not report.handled:
                break
            ticks.append({"objects": len(report.handled), "seconds": round(time.perf_counter() - began, 2)})
        no_sweep = S3Watcher(client, "s3://bench-sensor/incoming/", WatchLimits(sweep_keys=0))

        def full_listing() -> None:
            for _ in client.get_paginator("list_objects_v2").paginate(Bucket="bench-sensor", Prefix="incoming/"):
                pass

        sweeping = WatchState(state.after, "", state.etags)  # the sweep at its start: a full 1000-key page
        assert watcher.poll(sweeping, ingest).listed == min(n, 1000)
        idle_ms = timed(lambda: watcher.poll(sweeping, ingest))
        assert no_sweep.poll(state, ingest).listed == 0
        idle_no_sweep_ms = timed(lambda: no_sweep.poll(state, ingest))
        full_ms = timed(full_listing)
    big = WatchState(after="x", etags={f"incoming/2025/06/01/{i:012d}-note-{i}.txt": "0" * 12 for i in range(20_000)})
    for key in big.etags:
        big.etags[key] = f"{hash(key) & 0xFFFFFFFFFFFF:012x}"
    per_object_ms = round(1000 * sum(t["seconds"] for t in ticks) / max(1, sum(t["objects"] for t in ticks)), 1)
    return {
        "objects": n,
        "first_ticks": ticks,
        "ingest_ms_per_object": per_object_ms,
        "idle_tick_ms_scan_and_sweep": idle_ms,
        "idle_tick_ms_scan_only": idle_no_sweep_ms,
        "full_listing_ms": full_ms,
        "cursor_bytes": {"after_first_ticks": len(state.encode()), "20000_etags": len(big.encode())},
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}, 2 cores (shared)",
        "server": "SeaweedFS 4.48 (weed mini) on 127.0.0.1",
    }


if __name__ == "__main__":
    result = main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
