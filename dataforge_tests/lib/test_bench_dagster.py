"""bench.dagster_partitions on a tiny embedded instance: every measure runs and checks itself."""

from __future__ import annotations

from bench.dagster_partitions import doc_ids, measure


def test_dagster_partition_bench_registers_lists_runs_and_materializes() -> None:
    keys = doc_ids(1200)
    assert len(set(keys)) == 1200 and all(len(k) <= 64 for k in keys)
    result = measure("sqlite", 1200, batch=5, sample_runs=1, events=10)
    assert result["register"]["ticks"] == 3  # 500 keys a tick, as the inbox sensor adds them
    assert result["runs"]["runs_needed"] == 240 and result["runs"]["runs_created"] == 1
    assert result["runs"]["planned_events_per_run"] == 5 * 7
    assert result["materializations"]["status_known"] == 10
