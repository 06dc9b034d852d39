"""Driving the Dagster jobs from the command line, on the same instance the web UI reads.

The CLI ingests files, registers their partitions and runs the same jobs a sensor or the UI
would launch, in process, so that every run shows up in ``dagster dev`` afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import dagster as dg

from dataforge.lib.runs import batch_ranges, range_tags

DEFAULT_DAGSTER_HOME = "./.dataforge/dagster"
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def dagster_home() -> Path:
    """``$DAGSTER_HOME`` or ./.dataforge/dagster, created with the embedded-default settings."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).resolve()
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists() and (PROJECT_ROOT / "dagster.yaml").exists():
        shutil.copyfile(PROJECT_ROOT / "dagster.yaml", settings)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def get_instance() -> dg.DagsterInstance:
    dagster_home()
    return dg.DagsterInstance.get()


@lru_cache(maxsize=1)
def definitions() -> dg.Definitions:
    from dataforge.definitions import defs

    return defs()


def warm_models(config: Any) -> float:
    """Load the models and everything else the stages load on first use (seconds taken)."""
    import time

    from dataforge.lib.stages import warm_up

    started = time.perf_counter()
    warm_up(config)
    return time.perf_counter() - started


def _run_config() -> dict[str, Any]:
    """Console logs at DATAFORGE_LOG_LEVEL (default CRITICAL: a failed run is explained by
    ``failure_message``, not by Dagster's stack traces); the UI keeps every event."""
    level = os.environ.get("DATAFORGE_LOG_LEVEL", "CRITICAL").upper()
    return {"loggers": {"console": {"config": {"log_level": level}}}}


def register(instance: dg.DagsterInstance, partitions: str, keys: list[str]) -> list[str]:
    """Add partitions that do not exist yet; returns the ones added."""
    existing = set(instance.get_dynamic_partitions(partitions))
    new = [k for k in dict.fromkeys(keys) if k not in existing]
    if new:
        instance.add_dynamic_partitions(partitions, new)
    return new


class RunFailed(Exception):
    """A run ended without its outputs. The message is for a person: which check or stage
    failed, how many rows, three scrubbed examples, and where the partial output is."""


def _metadata_value(value: Any) -> Any:
    return getattr(value, "value", getattr(value, "data", value))


def failure_message(result: Any, what: str, location: str | None = None) -> str:
    """Explain a failed in-process run from its events (failed checks first, then failed
    steps), without a stack trace: a data problem is not a bug."""
    lines = [f"{what} failed (run {result.run_id})."]
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        meta = {k: _metadata_value(v) for k, v in (evaluation.metadata or {}).items()}
        count = meta.get("failing_rows")
        lines.append(
            f"check {evaluation.check_name} failed"
            + (f": {count} row(s)" if count is not None else "")
            + (f" {json.dumps(meta['leaks_by_type'])}" if meta.get("leaks_by_type") else "")
            + (f" ({evaluation.description})" if getattr(evaluation, "description", None) else "")
        )
        examples = meta.get("examples") or []
        extra = {k: v for k, v in meta.items() if k not in ("examples", "failing_rows", "leaks_by_type", "strategy")}
        if count is None and extra:
            lines.append(f"  {json.dumps(extra, default=str)[:400]}")
        lines += [f"  example: {example}" for example in list(examples)[:3]]
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        if error is not None and error.cls_name == "DagsterAssetCheckFailedError":
            continue  # said above, check by check
        message = (error.message or "").strip() if error else ""
        while error is not None and error.cause is not None:  # the user's exception, not Dagster's wrapper
            error = error.cause
            message = (error.message or "").strip()
        lines.append(f"stage {event.step_key} failed: {message.splitlines()[0] if message else 'no message'}")
    if location:
        lines.append(f"partial output: {location}")
    lines.append("details: `dagster dev` (the run and its logs), or rerun with DATAFORGE_LOG_LEVEL=INFO")
    return "\n".join(lines)


def run_documents(
    instance: dg.DagsterInstance,
    doc_ids: list[str],
    batch_size: int,
    on_batch: Callable[[int, int], None] | None = None,
    assets: Sequence[str] | None = None,
) -> list[Any]:
    """Run the per-document job over ``doc_ids`` in batches of contiguous partition ranges
    (only the stages in ``assets`` when given: those a configuration change made stale)."""
    order = instance.get_dynamic_partitions("documents")
    job = definitions().resolve_job_def("document_pipeline")
    selection = [dg.AssetKey(a) for a in assets] if assets else None
    results = []
    for first, last, count in batch_ranges(doc_ids, batch_size, order):
        result = job.execute_in_process(
            run_config=_run_config(),
            instance=instance,
            tags=range_tags(first, last),
            raise_on_error=False,
            asset_selection=selection,
        )
        if not result.success:
            raise RunFailed(failure_message(result, f"document run {first}..{last}"))
        results.append(result)
        if on_batch:
            on_batch(count, len(doc_ids))
    return results


def reap_dead_holder(instance: dg.DagsterInstance, lake: Any, release: str) -> str | None:
    """An in-process release run whose process was killed stays STARTED for ever and would hold
    the release's lock; when its process is gone from this host, mark the run failed (the UI
    then shows what happened) so the next run can take the release over. Returns its run id."""
    from dataforge.lib.release_guard import lock_key, process_alive

    key = lock_key(release)
    lock = lake.read_json(key) if lake is not None and lake.exists(key) else None
    if not lock or process_alive(lock) is not False:
        return None
    run = instance.get_run_by_id(str(lock.get("run_id")))
    if run is None or run.is_finished:
        return None
    instance.report_run_failed(run, f"process {lock.get('pid')} on {lock.get('host')} is gone")
    return run.run_id


def run_release(instance: dg.DagsterInstance, release: str, location: str | None = None, lake: Any = None) -> Any:
    register(instance, "releases", [release])
    reap_dead_holder(instance, lake, release)
    job = definitions().resolve_job_def("release_pipeline")
    result = job.execute_in_process(
        run_config=_run_config(), instance=instance, partition_key=release, raise_on_error=False
    )
    if not result.success:
        raise RunFailed(failure_message(result, f"release {release}", location))
    return result
