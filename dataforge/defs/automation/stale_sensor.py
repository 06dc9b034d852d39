"""Sensor: a changed configuration (or stage code version) recomputes exactly the stale stages."""

import hashlib
import json

import dagster as dg

from dataforge.defs.automation.jobs import DOCUMENT_ASSETS, document_pipeline
from dataforge.defs.factory import DOCUMENTS_PER_RUN, IN_FLIGHT
from dataforge.defs.partitions import documents
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.fingerprints import plan_documents, stage_fingerprint
from dataforge.lib.runs import batch_ranges, range_tags


@dg.sensor(
    job=document_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="When the stage fingerprints (configuration sections and code versions each stage "
    "depends on) change, requests runs of only the stale stages of the documents made under the "
    "old ones; a document's fingerprints are in silver/_fingerprints/<doc_id>.json.",
)
def stale_documents_sensor(
    context: dg.SensorEvaluationContext, dataforge: DataforgeResource
) -> dg.SensorResult | dg.SkipReason:
    config = dataforge.config()
    current = {stage: stage_fingerprint(stage, config) for stage in DOCUMENT_ASSETS}
    cursor = json.dumps(current, sort_keys=True)
    if context.cursor == cursor:
        return dg.SkipReason("no stage fingerprint changed since the last check")
    busy = context.instance.get_runs_count(dg.RunsFilter(job_name=document_pipeline.name, statuses=list(IN_FLIGHT)))
    if busy:  # their documents would look stale until they finish
        return dg.SkipReason(f"{busy} document run(s) queued or in progress; checking after them")
    order = context.instance.get_dynamic_partitions(documents.name)
    plan = plan_documents(dataforge.lake(), order, config)
    tag = hashlib.sha256(cursor.encode()).hexdigest()[:12]  # run keys differ when fingerprints do
    requests = [
        dg.RunRequest(
            run_key=f"stale:{tag}:{first}:{last}:{count}",
            asset_selection=[dg.AssetKey(a) for a in stages],
            tags=range_tags(first, last),
        )
        for stages, docs in sorted(plan.items())
        for first, last, count in batch_ranges(docs, DOCUMENTS_PER_RUN, order)
    ]
    if requests:
        context.log.info(f"{sum(map(len, plan.values()))} document(s) have stale stages: {len(requests)} run(s)")
    return dg.SensorResult(run_requests=requests, cursor=cursor)
