"""Dagster at 100,000 documents: partitions, batched runs and materializations on the instance.

    python -m bench.dagster_partitions [--docs 100000] [--backends sqlite postgres]

Per backend (the embedded SQLite default of ``dagster.yaml``; Postgres as deploy/dagster.yaml
configures it, on a throwaway server started like the tests' fixture), on a fresh instance:

- ``register``: the inbox sensor's path, tick by tick: ``FILES_PER_TICK`` new documents, one
  ``has_dynamic_partition`` per document, one ``add_dynamic_partitions`` per tick;
- ``read``: the full partition list (what ``batch_ranges`` orders by and the UI pages
  through) and single lookups once all are registered;
- ``runs``: ``batch_ranges`` over all documents (``RunConfig.batch_size`` per run), then one run
  record per range with its partition-range tags, created QUEUED as the daemon does for a
  sensor's request under the QueuedRunCoordinator, and the release sensor's in-flight count;
- ``materializations``: one materialization per document partition of one asset, stored a
  run's batch at a time, and the reads of the asset's partition status over all of them.

Nothing executes a step: what is measured is the instance (its storage), not the pipeline.
Results go under ``dagster_partitions`` in bench/results-scale.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg

from dataforge.defs.automation.sensors import FILES_PER_TICK
from dataforge.lib.config import RunConfig
from dataforge.lib.runs import batch_ranges, range_tags

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results-scale.json"
PARTITIONS = "documents"
ASSET = dg.AssetKey("document_text")
IN_FLIGHT = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING]
SQLITE_YAML = "telemetry:\n  enabled: false\n"
POSTGRES_YAML = """storage:
  postgres:
    postgres_db:
      hostname: 127.0.0.1
      port: {port}
      username: postgres
      password: unused-with-trust-auth
      db_name: postgres
      scheme: postgresql+psycopg2
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
telemetry:
  enabled: false
"""


def doc_ids(n: int) -> list[str]:
    """Ids shaped like ``ingest.doc_id_for``: a slug and ten hex digits."""
    return [f"report-{i:07d}-{(i * 2654435761) % 16**10:010x}" for i in range(n)]


@contextmanager
def instance(backend: str) -> Iterator[dg.DagsterInstance]:
    home = Path(tempfile.mkdtemp(prefix=f"dataforge-dagster-{backend}-"))
    try:
        if backend == "sqlite":
            (home / "dagster.yaml").write_text(SQLITE_YAML)
            with dg.DagsterInstance.from_config(str(home)) as inst:
                yield inst
        else:
            from dataforge_tests.production.servers import run_postgres

            with run_postgres("dataforge-pg-bench-") as (port, _):
                (home / "dagster.yaml").write_text(POSTGRES_YAML.format(port=port))
                with dg.DagsterInstance.from_config(str(home)) as inst:
                    yield inst
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _seconds(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def register(inst: dg.DagsterInstance, keys: list[str]) -> dict[str, Any]:
    """The inbox sensor's calls, tick by tick; the first and last tick timed apart (growth)."""
    ticks = []
    start = time.perf_counter()
    for first in range(0, len(keys), FILES_PER_TICK):
        tick = time.perf_counter()
        batch = keys[first : first + FILES_PER_TICK]
        new = [k for k in batch if not inst.has_dynamic_partition(PARTITIONS, k)]
        inst.add_dynamic_partitions(PARTITIONS, new)
        ticks.append(time.perf_counter() - tick)
    return {
        "seconds": _seconds(start),
        "ticks": len(ticks),
        "first_tick_s": round(ticks[0], 3),
        "last_tick_s": round(ticks[-1], 3),
        "docs_per_s": round(len(keys) / max(1e-9, sum(ticks))),
    }


def read(inst: dg.DagsterInstance, keys: list[str]) -> dict[str, Any]:
    start = time.perf_counter()
    listed = inst.get_dynamic_partitions(PARTITIONS)
    listing = _seconds(start)
    assert list(listed) == keys, "partitions came back in another order"
    sample = random.Random(0).sample(keys, min(1000, len(keys)))
    start = time.perf_counter()
    assert all(inst.has_dynamic_partition(PARTITIONS, k) for k in sample)
    lookup_ms = (time.perf_counter() - start) / len(sample) * 1000
    return {"list_all_s": listing, "has_partition_ms": round(lookup_ms, 2)}


def runs(inst: dg.DagsterInstance, keys: list[str], batch: int) -> dict[str, Any]:
    """One QUEUED run record per batch of documents, as the daemon creates a sensor's requests."""
    from dataforge.runner import definitions

    job = definitions().resolve_job_def("document_pipeline")
    start = time.perf_counter()
    ranges = batch_ranges(keys, batch, list(inst.get_dynamic_partitions(PARTITIONS)))
    planning = _seconds(start)
    start = time.perf_counter()
    created = []
    for first, last, _ in ranges:
        tags = {**range_tags(first, last), "dagster/run_key": f"inbox:{first}:{last}"}
        created.append(inst.create_run_for_job(job, tags=tags, status=dg.DagsterRunStatus.NOT_STARTED).run_id)
    creating = time.perf_counter() - start
    start = time.perf_counter()
    queued = inst.get_runs_count(dg.RunsFilter(job_name=job.name, statuses=IN_FLIGHT))
    counting = _seconds(start)
    assert queued == len(ranges), (queued, len(ranges))
    return {
        "documents_per_run": batch,
        "runs": len(ranges),
        "batch_ranges_s": planning,
        "create_runs_s": round(creating, 2),
        "ms_per_run": round(creating / len(ranges) * 1000, 2),
        "in_flight_count_s": counting,
    }


def materializations(inst: dg.DagsterInstance, keys: list[str], batch: int) -> dict[str, Any]:
    """One materialization per partition of one asset, a run's batch of events at a time."""
    from dagster._core.events import DagsterEvent, DagsterEventType, StepMaterializationData
    from dagster._core.events.log import EventLogEntry

    def entry(key: str) -> EventLogEntry:
        event = DagsterEvent(
            DagsterEventType.ASSET_MATERIALIZATION.value,
            "bench",
            event_specific_data=StepMaterializationData(dg.AssetMaterialization(ASSET, partition=key)),
        )
        return EventLogEntry(None, "DEBUG", "", "bench", time.time(), dagster_event=event)

    storage = inst.event_log_storage
    start = time.perf_counter()
    for first in range(0, len(keys), batch):
        storage.store_event_batch([entry(k) for k in keys[first : first + batch]])
    storing = time.perf_counter() - start
    start = time.perf_counter()
    done = inst.get_materialized_partitions(ASSET)
    reading = _seconds(start)
    assert len(done) == len(keys), len(done)
    from dataforge.defs.partitions import documents

    start = time.perf_counter()
    status = inst.get_status_by_partition(ASSET, keys, documents)
    status_s = _seconds(start)
    return {
        "events": len(keys),
        "store_s": round(storing, 2),
        "events_per_s": round(len(keys) / storing),
        "materialized_partitions_s": reading,
        "status_by_partition_s": status_s,
        "status_known": sum(1 for v in (status or {}).values() if v is not None),
    }


def measure(backend: str, n: int, batch: int) -> dict[str, Any]:
    keys = doc_ids(n)
    with instance(backend) as inst:
        out: dict[str, Any] = {"backend": backend, "documents": n}
        out["register"] = register(inst, keys)
        print(backend, "register", out["register"], flush=True)
        out["read"] = read(inst, keys)
        print(backend, "read", out["read"], flush=True)
        out["runs"] = runs(inst, keys, batch)
        print(backend, "runs", out["runs"], flush=True)
        out["materializations"] = materializations(inst, keys, batch)
        print(backend, "materializations", out["materializations"], flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--batch", type=int, default=RunConfig().batch_size, help="documents per run")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results-scale.json as it is")
    args = parser.parse_args()
    from datetime import UTC, datetime

    from bench.scale import machine

    found = [measure(b, args.docs, args.batch) for b in args.backends]
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "command": f"python -m bench.dagster_partitions --docs {args.docs} --backends {' '.join(args.backends)}",
        "backends": found,
    }
    print(json.dumps(result, indent=1))
    if not args.no_write:
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results["dagster_partitions"] = result
        RESULTS.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
