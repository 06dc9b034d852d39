"""The production trigger: uploads under an S3 prefix become document partitions and runs.

Light documents are batched into CPU runs; heavy ones (size, or a page count taken in the
extraction sandbox, over the routing thresholds) get runs whose ``dagster-k8s/config`` tag
asks for a GPU node. The listing, the cursor and the routing rules live in ``lib/sources.py`` and ``lib/routing.py``.
"""

from __future__ import annotations

import os

import dagster as dg
from dagster_aws.s3 import S3Resource

from dataforge.defs.automation.jobs import document_pipeline
from dataforge.defs.partitions import documents
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.ingest import ingest_bytes
from dataforge.lib.routing import RoutingPolicy, heavy_reason, plan_runs, safe_page_count
from dataforge.lib.sources import (
    S3Object,
    S3Watcher,
    WatchLimits,
    WatchReport,
    WatchState,
    quarantine_unread,
    source_name,
    split_uri,
)

WATCH_ENV = "DATAFORGE_S3_WATCH"


def _summary(uri: str, report: WatchReport, known: int) -> str:
    parts = [f"listed {report.listed} key(s) under {uri}", f"{report.unchanged} unchanged"]
    if known:
        parts.append(f"{known} already ingested (same content, same document id)")
    if report.too_large:
        parts.append(f"{len(report.too_large)} too large (quarantined)")
    if report.failed:
        parts.append(f"{len(report.failed)} failed to download (retried by the sweep)")
    return "no new or changed documents: " + ", ".join(parts)


def _overlaps(watch_uri: str, lake_uri: str) -> bool:
    """The lake inside the watched prefix (or the reverse) would feed the sensor its own writes."""
    if not lake_uri.startswith("s3://"):
        return False
    watch_bucket, watch_prefix = split_uri(watch_uri)
    lake_bucket, lake_prefix = split_uri(lake_uri.rstrip("/") + "/")
    nested = lake_prefix.startswith(watch_prefix) or watch_prefix.startswith(lake_prefix)
    return watch_bucket == lake_bucket and nested


@dg.sensor(
    job=document_pipeline,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches DATAFORGE_S3_WATCH (s3://bucket/prefix/): stores new or changed uploads in "
    "the lake, registers their partitions and requests runs, light documents batched on CPU, heavy "
    "ones on GPU pods. Keys should sort by arrival (see deploy/README.md).",
)
def s3_upload_sensor(
    context: dg.SensorEvaluationContext, s3: S3Resource, dataforge: DataforgeResource
) -> dg.SensorResult | dg.SkipReason:
    uri = os.environ.get(WATCH_ENV, "").strip()
    if not uri:
        return dg.SkipReason(f"{WATCH_ENV} is not set: no S3 prefix to watch (e.g. s3://bucket/incoming/)")
    uri = uri.rstrip("/") + "/"
    lake = dataforge.lake()
    if _overlaps(uri, lake.uri):
        return dg.SkipReason(f"refusing to watch {uri}: it overlaps the lake {lake.uri}")
    config = dataforge.config()
    policy = RoutingPolicy.from_env()
    watcher = S3Watcher(s3.get_client(), uri, WatchLimits.from_env(max_object_bytes=config.extract.max_bytes))
    routes: dict[str, bool] = {}
    known = 0

    def handle(obj: S3Object, data: bytes) -> None:
        nonlocal known
        name = source_name(obj.key)
        result = ingest_bytes(lake, data, name, f"s3://{watcher.bucket}/{obj.key}")
        if result.doc_id in routes or context.instance.has_dynamic_partition(documents.name, result.doc_id):
            known += 1
            return
        pages, unreadable = safe_page_count(data, name, policy)  # sandboxed: the upload is untrusted
        if unreadable:
            context.log.warning(f"{obj.key}: page count failed ({unreadable}); routed by size alone")
        reason = heavy_reason(len(data), pages, policy)
        routes[result.doc_id] = bool(reason)
        if reason:
            context.log.info(f"{result.doc_id} ({obj.key}) goes to a GPU pod: {reason}")

    report = watcher.poll(WatchState.decode(context.cursor), handle)
    for obj in report.too_large:
        record = quarantine_unread(lake, watcher.bucket, obj, config.extract.max_bytes)
        context.log.warning(f"quarantined {obj.key}: {record['message']}")
    for key, error in sorted(report.failed.items()):
        context.log.warning(f"could not download {key}: {error}")
    if report.behind_cursor:
        context.log.warning(
            f"{report.behind_cursor} upload(s) found behind the cursor: their keys do not sort by arrival, "
            "so they wait for the sweep; see the key convention in deploy/README.md"
        )
    if report.stopped_by:
        context.log.info(f"tick budget reached ({report.stopped_by}); the rest follows on the next tick")
    cursor = report.state.encode()
    if not routes:
        return dg.SensorResult(cursor=cursor, skip_reason=dg.SkipReason(_summary(uri, report, known)))
    order, plans = plan_runs(routes, config.run.batch_size, policy)
    requests = [
        dg.RunRequest(
            run_key=f"s3:{plan.first}:{plan.last}:{plan.count}",
            partition_key=plan.first if plan.count == 1 else None,
            tags=plan.tags,
        )
        for plan in plans
    ]
    heavy = sum(routes.values())
    context.log.info(
        f"{len(order)} new document(s) ({heavy} heavy) from {len(report.handled)} object(s) in {len(requests)} run(s)"
    )
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[documents.build_add_request(order)],
        cursor=cursor,
    )


@dg.definitions
def s3_resources() -> dg.Definitions:
    """The sensor and its ``s3`` resource (endpoint and credentials from the standard AWS variables)."""
    return dg.Definitions(sensors=[s3_upload_sensor], resources={"s3": S3Resource()})
