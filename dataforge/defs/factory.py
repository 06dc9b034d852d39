"""Builders for the two shapes of asset: batched per-document and per-release.

Keeping the wiring in one place means every asset reads the same resource, reports the same
kind of metadata and has the same batching policy, and the stage logic stays in ``lib``.
"""

from collections.abc import Callable, Sequence
from typing import Any

import dagster as dg

from dataforge.defs.partitions import documents, releases
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.config import RunConfig
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


def document_asset(
    name: str,
    stage: Callable[..., BatchReport],
    *,
    deps: Sequence[str],
    group: str,
    kinds: set[str],
    description: str,
) -> dg.AssetsDefinition:
    @dg.asset(
        name=name,
        partitions_def=documents,
        deps=list(deps),
        group_name=group,
        kinds=kinds,
        owners=OWNERS,
        description=description,
        backfill_policy=dg.BackfillPolicy.multi_run(DOCUMENTS_PER_RUN),
    )
    def _asset(context: dg.AssetExecutionContext, dataforge: DataforgeResource) -> dg.MaterializeResult:
        lake = dataforge.lake()
        keys = list(context.partition_keys)
        context.log.info(f"{name}: {len(keys)} document(s) in this run")
        report = stage(lake, keys, dataforge.config(), context.log.info)
        for doc_id, reason in sorted(report.quarantined.items()):
            context.log.warning(f"{name}: quarantined {doc_id}: {reason}")
        metadata = to_metadata(report.metadata())
        metadata["output"] = dg.MetadataValue.text(lake.join(f"silver/{name}/"))
        return dg.MaterializeResult(metadata=metadata)

    return _asset


def release_asset(
    name: str,
    build: Callable[..., dict[str, Any]],
    *,
    deps: Sequence[dg.AssetDep | str],
    group: str,
    kinds: set[str],
    description: str,
    extra_metadata: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> dg.AssetsDefinition:
    @dg.asset(
        name=name,
        partitions_def=releases,
        deps=list(deps),
        group_name=group,
        kinds=kinds,
        owners=OWNERS,
        description=description,
    )
    def _asset(context: dg.AssetExecutionContext, dataforge: DataforgeResource) -> dg.MaterializeResult:
        lake = dataforge.lake()
        result = build(lake, context.partition_key, dataforge.config())
        metadata = to_metadata(result)
        if extra_metadata:
            metadata.update(extra_metadata(result))
        metadata["release_path"] = dg.MetadataValue.text(lake.join(f"gold/releases/{context.partition_key}/"))
        return dg.MaterializeResult(metadata=metadata)

    return _asset


def on_all_documents(asset: str) -> dg.AssetDep:
    """A release reads every document it froze, so it depends on all document partitions."""
    return dg.AssetDep(asset, partition_mapping=dg.AllPartitionMapping())
