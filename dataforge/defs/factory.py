"""Builders for the two shapes of asset: batched per-document and per-release.

Keeping the wiring in one place means every asset reads the same resource, reports the same
kind of metadata and has the same batching policy, and the stage logic stays in ``lib``.
"""

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import dagster as dg

from dataforge.defs.partitions import documents, releases
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.checks import DOCUMENT_CHECKS, CheckOutcome
from dataforge.lib.config import RunConfig, load_config
from dataforge.lib.fingerprints import STAGE_CODE_VERSIONS, record_fingerprints, stage_code_version, stage_fingerprint
from dataforge.lib.lake import Lake
from dataforge.lib.previews import document_preview, scrubbing
from dataforge.lib.release_guard import ReleaseBusy, ReleaseSealed, claim, manifest_key, release_lock
from dataforge.lib.stages import BatchReport

OWNERS = ["team:dataforge"]
DOCUMENTS_PER_RUN = RunConfig().batch_size


def to_metadata(values: dict[str, Any]) -> dict[str, Any]:
    """Scalars as they are, structures as JSON, anything else dropped."""
    metadata: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, bool | int | float | str) or value is None:
            metadata[key] = value if value is not None else dg.MetadataValue.null()
        elif isinstance(value, dict | list):
            metadata[key] = dg.MetadataValue.json(value)
    return metadata


def code_reference(function: Callable[..., Any]) -> dict[str, Any]:
    """Point the UI at the plain-Python function that does the work, not at this wiring."""
    function = inspect.unwrap(function)
    path = inspect.getsourcefile(function)
    line = inspect.getsourcelines(function)[1]
    return {
        "dagster/code_references": dg.CodeReferencesMetadataValue(
            code_references=[dg.LocalFileCodeReference(file_path=path, line_number=line, label=function.__qualname__)]
        )
    }


def check_result(outcome: CheckOutcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=outcome.name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR if outcome.blocking else dg.AssetCheckSeverity.WARN,
        description=outcome.description,
        metadata=to_metadata(outcome.metadata),
    )


def document_asset(
    name: str,
    stage: Callable[..., BatchReport],
    *,
    deps: Sequence[str],
    group: str,
    kinds: set[str],
    description: str,
) -> dg.AssetsDefinition:
    """A per-document asset: its ``code_version`` is the stage's code version and settings under
    the configuration the definitions load with, so the UI marks partitions made under other
    settings stale; each run reports the stage fingerprint as data version and stores it per document."""
    check = DOCUMENT_CHECKS.get(name)
    check_specs = [dg.AssetCheckSpec(check[0], asset=name, description=check[1].__doc__)] if check else []
    versioned = name in STAGE_CODE_VERSIONS

    @dg.asset(
        name=name,
        partitions_def=documents,
        deps=list(deps),
        group_name=group,
        kinds=kinds,
        owners=OWNERS,
        description=description,
        metadata=code_reference(stage),
        backfill_policy=dg.BackfillPolicy.multi_run(DOCUMENTS_PER_RUN),
        check_specs=check_specs,
        code_version=stage_code_version(name, load_config()) if versioned else None,
    )
    def _asset(context: dg.AssetExecutionContext, dataforge: DataforgeResource) -> dg.MaterializeResult:
        lake, config = dataforge.lake(), dataforge.config()
        keys = list(context.partition_keys)
        context.log.info(f"{name}: {len(keys)} document(s) in this run")
        report = stage(lake, keys, config, context.log.info)
        if versioned:
            record_fingerprints(lake, name, report.done, config)
        for doc_id, reason in sorted(report.quarantined.items()):
            context.log.warning(f"{name}: quarantined {doc_id}: {reason}")
        metadata = to_metadata(report.metadata())
        metadata["output"] = dg.MetadataValue.text(lake.join(f"silver/{name}/"))
        with scrubbing(dataforge.config()):
            preview = document_preview(lake, name, report.done)
        if preview:
            metadata["preview"] = dg.MetadataValue.md(preview)
        results = [check_result(check[1](lake, keys))] if check else []
        version = dg.DataVersion(stage_fingerprint(name, config)) if versioned else None
        if version:
            metadata["fingerprint"] = version.value
        return dg.MaterializeResult(metadata=metadata, check_results=results, data_version=version)

    return _asset


def release_asset(
    name: str,
    build: Callable[..., dict[str, Any]],
    *,
    deps: Sequence[dg.AssetDep | str],
    group: str,
    kinds: set[str],
    description: str,
    extra_metadata: Callable[[Lake, str, dict[str, Any]], dict[str, Any]] | None = None,
    checks: Callable[..., list[CheckOutcome]] | None = None,
    check_descriptions: dict[str, str] | None = None,
) -> dg.AssetsDefinition:
    """A per-release asset; ``checks`` run after ``build`` and block downstream assets on failure."""
    check_specs = [
        dg.AssetCheckSpec(check_name, asset=name, description=text, blocking=True)
        for check_name, text in (check_descriptions or {}).items()
    ]

    @dg.asset(
        name=name,
        partitions_def=releases,
        deps=list(deps),
        group_name=group,
        kinds=kinds,
        owners=OWNERS,
        description=description,
        metadata=code_reference(build),
        check_specs=check_specs,
    )
    def _asset(context: dg.AssetExecutionContext, dataforge: DataforgeResource) -> dg.MaterializeResult:
        lake, config, release = dataforge.lake(), dataforge.config(), context.partition_key
        try:
            claim(lake, release, context.run_id, lambda lock: run_in_flight(context.instance, lock.get("run_id")))
        except (ReleaseBusy, ReleaseSealed) as refused:
            raise dg.Failure(description=str(refused), allow_retries=False) from None
        result = build(lake, release, config)
        if lake.exists(manifest_key(release)):  # the last stage sealed it: the lock has done its job
            release_lock(lake, release, context.run_id)
        metadata = to_metadata(result)
        if extra_metadata:
            with scrubbing(config):
                metadata.update(extra_metadata(lake, release, result))
        metadata["release_path"] = dg.MetadataValue.text(lake.join(f"gold/releases/{release}/"))
        outcomes = checks(lake, release, config) if checks else []
        for outcome in outcomes:
            if not outcome.passed:
                context.log.error(f"check {outcome.name} failed: {outcome.metadata}")
        return dg.MaterializeResult(metadata=metadata, check_results=[check_result(o) for o in outcomes])

    return _asset


IN_FLIGHT = (
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
)


def run_in_flight(instance: dg.DagsterInstance, run_id: str | None) -> bool:
    """Whether a lock holder still counts: its run is known to this instance and not finished."""
    run = instance.get_run_by_id(run_id) if run_id else None
    return run is not None and run.status in IN_FLIGHT


def on_all_documents(asset: str) -> dg.AssetDep:
    """A release reads every document it froze, so it depends on all document partitions."""
    return dg.AssetDep(asset, partition_mapping=dg.AllPartitionMapping())
