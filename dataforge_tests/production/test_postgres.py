"""The production instance (deploy/dagster.yaml) on a real PostgreSQL, with compute logs on S3."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest
from dagster_aws.s3 import S3Resource

from dataforge import runner
from dataforge.defs.automation.s3_sensor import s3_upload_sensor
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.routing import ROUTE_TAG
from dataforge_tests.conftest import ROOT, SAMPLES


def test_sensor_and_materialization_on_the_postgres_instance(
    postgres, s3_server, bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg2

    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copyfile(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    for name, value in {
        **postgres.env(),
        "DAGSTER_HOME": str(home),
        "DATAFORGE_COMPUTE_LOG_BUCKET": bucket,
        "DATAFORGE_LAKE": f"s3://{bucket}/lake",
        "DATAFORGE_S3_WATCH": f"s3://{bucket}/incoming/",
    }.items():
        monkeypatch.setenv(name, value)
    client = s3_server.client()
    client.put_object(
        Bucket=bucket,
        Key="incoming/2025/06/01/080000000000-memo.txt",
        Body=(SAMPLES / "nrec-timeline-memo.txt").read_bytes(),
    )

    instance = dg.DagsterInstance.get()
    try:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.compute_log_manager).__name__ == "S3ComputeLogManager"
        limits = instance.run_coordinator.get_run_queue_config().tag_concurrency_limits
        assert {"key": "dataforge/route", "value": "gpu", "limit": 2} in limits

        resources = {"s3": S3Resource(), "dataforge": DataforgeResource()}
        result = s3_upload_sensor(dg.build_sensor_context(instance=instance, resources=resources))
        [request] = result.run_requests
        assert request.tags[ROUTE_TAG] == "cpu"
        [doc] = [key for r in result.dynamic_partitions_requests for key in r.partition_keys]
        instance.add_dynamic_partitions("documents", [doc])

        job = runner.definitions().resolve_job_def("document_pipeline")
        run = job.execute_in_process(instance=instance, partition_key=doc, tags=request.tags, raise_on_error=False)
        assert run.success

        with psycopg2.connect(host=postgres.host, port=postgres.port, user=postgres.user, dbname="postgres") as conn:
            with conn.cursor() as cursor:
                cursor.execute(
                    "SELECT asset_key, partition FROM event_logs WHERE run_id = %s "
                    "AND dagster_event_type = 'ASSET_MATERIALIZATION' ORDER BY asset_key",
                    (run.run_id,),
                )
                rows = cursor.fetchall()
                cursor.execute("SELECT partition FROM dynamic_partitions WHERE partitions_def_name = 'documents'")
                partitions = [row[0] for row in cursor.fetchall()]
        assert len(rows) == 7 and {partition for _, partition in rows} == {doc}
        assert partitions == [doc]
        stored = instance.get_run_by_id(run.run_id)
        assert stored.tags[ROUTE_TAG] == "cpu" and stored.is_success
        logs = client.list_objects_v2(Bucket=bucket, Prefix="dagster/compute-logs/").get("Contents", [])
        assert logs, "step logs were not uploaded to S3"
    finally:
        instance.dispose()
