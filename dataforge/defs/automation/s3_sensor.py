"""The production trigger: uploads under an S3 prefix become document partitions and runs.

Light documents are batched into CPU runs; heavy ones (size, or a page count taken in the
extraction sandbox, over the routing thresholds) get runs whose ``dagster-k8s/config`` tag
asks for a GPU node. An object deleted from the bucket becomes a withdrawal of the documents
ingested from it (``lib/withdrawals.py``), so the next release leaves them out; the same bytes
uploaded again reinstate them. The listing, the cursor, the inventory and the routing rules live
in ``lib/sources.py``, ``lib/s3_inventory.py`` and ``lib/routing.py``.
"""

from __future__ import annotations

import os

import dagster as dg
from dagster_aws.s3 import S3Resource

from dataforge.defs.automation.jobs import document_pipeline
from dataforge.defs.partitions import documents
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.ingest import documents_from_source, ingest_bytes
from dataforge.lib.lake import Lake
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
from dataforge.lib.withdrawals import reinstate, withdraw, withdrawal_key

WATCH_ENV = "DATAFORGE_S3_WATCH"
ON_DELETE_ENV = "DATAFORGE_S3_ON_DELETE"
DELETED_REASON = "deleted from s3"


def _summary(uri: str, report: WatchReport, known: int, withdrawn: int) -> str:
    parts = [f"listed {report.listed} key(s) under {uri}", f"{report.unchanged} unchanged"]
    if report.deleted:
        parts.append(f"{len(report.deleted)} deleted ({withdrawn} document(s) withdrawn)")
    if known:
        parts.append(f"{known} already ingested (same content, same document id)")
    if report.too_large:
        parts.append(f"{len(report.too_large)} too large (quarantined)")
    if report.failed:
        parts.append(f"{len(report.failed)} failed to download (retried by the sweep)")
    return "no new or changed documents: " + ", ".join(parts)


def on_delete() -> str:
    """``withdraw`` (default) or ``forget``: the latter for buckets where a lifecycle rule expires
    uploads once the lake holds its own copy, so an expiry is not mistaken for a takedown."""
    value = os.environ.get(ON_DELETE_ENV, "").strip().lower() or "withdraw"
    if value not in ("withdraw", "forget"):
        raise ValueError(f"{ON_DELETE_ENV}={value!r}: expected withdraw or forget")
    return value


def withdraw_deleted(lake: Lake, bucket: str, keys: list[str], log: dg.DagsterLogManager) -> int:
    """Withdraw every document ingested from each deleted key; returns how many."""
    count = 0
    for key in keys:
        source = f"s3://{bucket}/{key}"
        doc_ids = documents_from_source(lake, source)
        for doc_id in doc_ids:
            withdraw(lake, doc_id, reason=DELETED_REASON, source=source)
        count += len(doc_ids)
        log.warning(f"{source} was deleted: withdrew {', '.join(doc_ids) or 'no document (never ingested)'}")
    return count


def reinstate_if_deleted(lake: Lake, doc_id: str, log: dg.DagsterLogManager) -> None:
    """The same bytes uploaded again undo a withdrawal for a deletion, never a manual takedown."""
    key = withdrawal_key(doc_id)
    if lake.exists(key) and lake.read_json(key).get("reason") == DELETED_REASON and reinstate(lake, doc_id):
        log.info(f"{doc_id} was uploaded again after its deletion: reinstated")


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
    deletions = on_delete()
    limits = WatchLimits.from_env(max_object_bytes=config.extract.max_bytes)
    watcher = S3Watcher(s3.get_client(), uri, lake, limits)
    routes: dict[str, bool] = {}
    known = 0

    def handle(obj: S3Object, data: bytes) -> None:
        nonlocal known
        name = source_name(obj.key)
        result = ingest_bytes(lake, data, name, f"s3://{watcher.bucket}/{obj.key}")
        reinstate_if_deleted(lake, result.doc_id, context.log)
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
    withdrawn = 0
    if deletions == "withdraw":
        withdrawn = withdraw_deleted(lake, watcher.bucket, report.deleted, context.log)
    elif report.deleted:
        context.log.info(f"{len(report.deleted)} deleted key(s) forgotten ({ON_DELETE_ENV}=forget)")
    if report.stopped_by:
        context.log.info(f"tick budget reached ({report.stopped_by}); the rest follows on the next tick")
    cursor = report.state.encode()
    if not routes:
        return dg.SensorResult(cursor=cursor, skip_reason=dg.SkipReason(_summary(uri, report, known, withdrawn)))
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
