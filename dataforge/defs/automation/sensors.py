"""Sensors: new files in the inbox start document runs; processed documents cut releases."""

import json
import time

import dagster as dg

from dataforge.defs.automation.jobs import document_pipeline, release_pipeline
from dataforge.defs.factory import DOCUMENTS_PER_RUN, IN_FLIGHT
from dataforge.defs.partitions import documents, releases
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.inbox import inbox_folder, ingest_files, scan
from dataforge.lib.release import default_release_name, processed_documents, release_members
from dataforge.lib.release_policy import ReleaseTiming, decide
from dataforge.lib.runs import batch_ranges, range_tags

FILES_PER_TICK = 500


@dg.sensor(
    job=document_pipeline,
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Stores files dropped into the inbox folder (DATAFORGE_INBOX, default "
    "./.dataforge/inbox), registers their partitions and requests batched runs.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, dataforge: DataforgeResource) -> dg.SensorResult | dg.SkipReason:
    folder = inbox_folder()
    seen = json.loads(context.cursor) if context.cursor else {}
    files, seen = scan(folder, seen, FILES_PER_TICK)
    if not files:
        context.update_cursor(json.dumps(seen, sort_keys=True))
        return dg.SkipReason(f"no new or changed files in {folder.resolve()}")
    new_keys = [
        doc_id
        for doc_id in ingest_files(dataforge.lake(), folder, files)
        if not context.instance.has_dynamic_partition(documents.name, doc_id)
    ]
    cursor = json.dumps(seen, sort_keys=True)
    if not new_keys:
        return dg.SensorResult(
            cursor=cursor,
            skip_reason=dg.SkipReason(
                f"{len(files)} file(s) seen, all already ingested (same content, same document id)"
            ),
        )
    requests = [
        dg.RunRequest(run_key=f"inbox:{first}:{last}:{count}", tags=range_tags(first, last))
        for first, last, count in batch_ranges(new_keys, DOCUMENTS_PER_RUN)
    ]
    context.log.info(f"ingested {len(new_keys)} new document(s) in {len(requests)} run(s)")
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[documents.build_add_request(new_keys)],
        cursor=cursor,
    )


@dg.sensor(
    job=release_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Cuts a new release when the set of processed documents changed since the last "
    "release: once no document run is in flight, or after DATAFORGE_RELEASE_MAX_WAIT seconds "
    "(default 1800) with what has finished, so steady uploads never starve it; at most once per "
    "DATAFORGE_RELEASE_INTERVAL seconds (default 600), one release run at a time.",
)
def release_sensor(
    context: dg.SensorEvaluationContext, dataforge: DataforgeResource
) -> dg.SensorResult | dg.SkipReason:
    timing = ReleaseTiming.from_env()
    state = json.loads(context.cursor) if context.cursor else {}
    lake = dataforge.lake()
    docs = processed_documents(lake)
    if not docs:
        return dg.SkipReason("no processed documents yet")
    last = state.get("release")
    changed = not (last and release_members(lake, last) == docs)

    def in_flight(job: str) -> int:
        return context.instance.get_runs_count(dg.RunsFilter(job_name=job, statuses=list(IN_FLIGHT)))

    decision = decide(
        time.time(),
        timing,
        state.get("at", 0.0),
        state.get("pending_since"),
        changed,
        in_flight(document_pipeline.name) if changed else 0,
        in_flight(release_pipeline.name) if changed else 0,
    )
    if not decision.cut:
        reason = decision.reason.replace("the last release", f"release {last}") if last else decision.reason
        if decision.pending_since == state.get("pending_since"):
            return dg.SkipReason(reason)  # nothing to remember: the cursor stays as it is
        cursor = json.dumps({**state, "pending_since": decision.pending_since})
        return dg.SensorResult(cursor=cursor, skip_reason=dg.SkipReason(reason))
    name = default_release_name(docs, dataforge.config())
    if context.instance.has_dynamic_partition(releases.name, name):
        return dg.SkipReason(f"release {name} already exists for these documents")
    context.log.info(f"cutting release {name} with {len(docs)} document(s) {decision.reason}".rstrip())
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"release:{name}", partition_key=name)],
        dynamic_partitions_requests=[releases.build_add_request([name])],
        cursor=json.dumps({"release": name, "at": time.time(), "documents": len(docs)}),
    )
