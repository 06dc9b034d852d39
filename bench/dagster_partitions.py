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
    """``add_dynamic_partitions`` a sensor tick's worth at a time; first and last tick apart (growth)."""
    ticks = []
    start = time.perf_counter()
    for first in range(0, len(keys), FILES_PER_TICK):
        tick = time.perf_counter()
        inst.add_dynamic_partitions(PARTITIONS, keys[first : first + FILES_PER_TICK])
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
    sample = random.Random(0).sample(keys, min(200, len(keys)))
    start, cpu = time.perf_counter(), time.process_time()
    assert all(inst.has_dynamic_partition(PARTITIONS, k) for k in sample)
    lookup_ms = (time.perf_counter() - start) / len(sample) * 1000
    lookup_cpu_ms = (time.process_time() - cpu) / len(sample) * 1000
    # the inbox sensor asks has_dynamic_partition once per new file, FILES_PER_TICK per tick
    return {
        "list_all_s": listing,
        "has_partition_ms": round(lookup_ms, 2),
        "has_partition_cpu_ms": round(lookup_cpu_ms, 2),
        "sensor_tick_lookups_s": round(lookup_ms * FILES_PER_TICK / 1000, 2),
    }


def runs(inst: dg.DagsterInstance, keys: list[str], batch: int, sample: int) -> dict[str, Any]:
    """Run records for the first ``sample`` batches (NOT_STARTED, as a launch creates them; a
    QUEUED record needs a code location's origin), timed and scaled to every batch."""
    from dataforge.defs.automation.jobs import DOCUMENT_ASSETS
    from dataforge.runner import definitions

    job = definitions().resolve_job_def("document_pipeline")
    start = time.perf_counter()
    ranges = batch_ranges(keys, batch, list(inst.get_dynamic_partitions(PARTITIONS)))
    planning = _seconds(start)
    start, cpu = time.perf_counter(), time.process_time()
    for first, last, _ in ranges[:sample]:
        tags = {**range_tags(first, last), "dagster/run_key": f"inbox:{first}:{last}"}
        inst.create_run_for_job(job, tags=tags, status=dg.DagsterRunStatus.NOT_STARTED)
    per_run = (time.perf_counter() - start) / sample
    cpu_per_run = (time.process_time() - cpu) / sample
    start = time.perf_counter()
    in_flight = inst.get_runs_count(dg.RunsFilter(job_name=job.name, statuses=IN_FLIGHT))
    counting = _seconds(start)
    assert in_flight == sample, (in_flight, sample)
    return {
        "documents_per_run": batch,
        "runs_needed": len(ranges),
        "runs_created": sample,
        "batch_ranges_s": planning,
        "planned_events_per_run": batch * len(DOCUMENT_ASSETS),  # one per asset and partition of the range
        "s_per_run": round(per_run, 3),
        "cpu_s_per_run": round(cpu_per_run, 3),
        "all_runs_estimate_min": round(per_run * len(ranges) / 60, 1),
        "in_flight_count_s": counting,
    }


def materializations(inst: dg.DagsterInstance, keys: list[str], batch: int, events: int) -> dict[str, Any]:
    """One materialization for each of the first ``events`` partitions of one asset, a run's
    batch at a time; then the asset's partition status over every partition."""
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
    done_keys = keys[:events]
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(done_keys), batch):
        storage.store_event_batch([entry(k) for k in done_keys[first : first + batch]])
    storing = time.perf_counter() - start
    storing_cpu = time.process_time() - cpu
    start = time.perf_counter()
    done = inst.get_materialized_partitions(ASSET)
    reading = _seconds(start)
    assert len(done) == len(done_keys), len(done)
    from dataforge.defs.automation.jobs import DOCUMENT_ASSETS
    from dataforge.defs.partitions import documents

    start = time.perf_counter()
    status = inst.get_status_by_partition(ASSET, keys, documents)
    status_s = _seconds(start)
    return {
        "events": len(done_keys),
        "store_s": round(storing, 2),
        "events_per_s": round(len(done_keys) / storing),
        "cpu_ms_per_event": round(storing_cpu / len(done_keys) * 1000, 2),
        "all_assets_estimate_min": round(len(keys) * len(DOCUMENT_ASSETS) / (len(done_keys) / storing) / 60, 1),
        "materialized_partitions_s": reading,
        "status_by_partition_s": status_s,
        "status_known": sum(1 for v in (status or {}).values() if v is not None),
    }


def measure(backend: str, n: int, batch: int, sample_runs: int, events: int) -> dict[str, Any]:
    keys = doc_ids(n)
    with instance(backend) as inst:
        out: dict[str, Any] = {"backend": backend, "documents": n}
        out["register"] = register(inst, keys)
        print(backend, "register", out["register"], flush=True)
        out["read"] = read(inst, keys)
        print(backend, "read", out["read"], flush=True)
        out["runs"] = runs(inst, keys, batch, sample_runs)
        print(backend, "runs", out["runs"], flush=True)
        out["materializations"] = materializations(inst, keys, batch, events)
        print(backend, "materializations", out["materializations"], flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--batch", type=int, default=RunConfig().batch_size, help="documents per run")
    parser.add_argument("--runs", type=int, default=20, help="run records created (the rest estimated)")
    parser.add_argument("--events", type=int, default=5_000, help="materializations stored (the rest estimated)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results-scale.json as it is")
    args = parser.parse_args()
    from datetime import UTC, datetime

    from bench.scale import machine

    found = [measure(b, args.docs, args.batch, args.runs, args.events) for b in args.backends]
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "command": f"python -m bench.dagster_partitions --docs {args.docs} --backends {' '.join(args.backends)} "
        f"--runs {args.runs} --events {args.events}",
        "backends": found,
    }
    print(json.dumps(result, indent=1))
    if not args.no_write:
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results["dagster_partitions"] = result
        RESULTS.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
