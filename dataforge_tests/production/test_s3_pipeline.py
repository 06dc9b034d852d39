"""The production path end to end on a real S3 server: uploads -> sensor -> batched runs ->
release sensor -> release, with the lake on S3, then the CLI on the same S3 lake."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster_aws.s3 import S3Resource
from typer.testing import CliRunner

from dataforge import runner
from dataforge.cli import app
from dataforge.defs.automation.s3_sensor import s3_upload_sensor
from dataforge.defs.automation.sensors import release_sensor
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.lake import S3Lake
from dataforge.lib.routing import ROUTE_TAG
from dataforge.lib.runs import RANGE_END_TAG, RANGE_START_TAG
from dataforge.lib.sources import arrival_key
from dataforge.lib.stages import silver_key
from dataforge_tests.conftest import ROOT, SAMPLES

LIGHT = ["nrec-timeline-memo.txt", "nsei-tidewake-programme-update.md"]
HEAVY = "nrec-company-history.pdf"  # 2 pages: heavy with DATAFORGE_HEAVY_PAGES=1


@pytest.fixture
def production_env(bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Lake on S3, uploads watched on S3, batches of 2, a Dagster home of its own."""
    config = tmp_path / "dataforge.yaml"
    config.write_text(yaml.safe_dump({"run": {"batch_size": 2}}))
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text((ROOT / "dagster.yaml").read_text())
    for name, value in {
        "DATAFORGE_CONFIG": str(config),
        "DATAFORGE_LAKE": f"s3://{bucket}/lake",
        "DATAFORGE_S3_WATCH": f"s3://{bucket}/incoming/",
        "DATAFORGE_HEAVY_PAGES": "1",
        "DATAFORGE_RELEASE_INTERVAL": "0",
        "DAGSTER_HOME": str(home),
    }.items():
        monkeypatch.setenv(name, value)
    return bucket


def test_uploads_to_release_on_s3(s3_server, production_env: str) -> None:
    bucket, client = production_env, s3_server.client()
    start = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
    for i, name in enumerate([*LIGHT, HEAVY]):
        key = arrival_key("incoming", name, start + timedelta(minutes=i))
        client.put_object(Bucket=bucket, Key=key, Body=(SAMPLES / name).read_bytes())

    instance = runner.get_instance()
    resources = {"s3": S3Resource(), "dataforge": DataforgeResource()}
    uploads = s3_upload_sensor(dg.build_sensor_context(instance=instance, resources=resources))
    docs = [key for request in uploads.dynamic_partitions_requests for key in request.partition_keys]
    assert len(docs) == 3 and docs[-1].startswith("nrec-company-history-")
    batch, heavy = uploads.run_requests
    assert (batch.tags[ROUTE_TAG], batch.tags[RANGE_START_TAG], batch.tags[RANGE_END_TAG]) == ("cpu", *docs[:2])
    assert (heavy.tags[ROUTE_TAG], heavy.partition_key) == ("gpu", docs[2])
    instance.add_dynamic_partitions("documents", docs)

    job = runner.definitions().resolve_job_def("document_pipeline")
    for request in uploads.run_requests:  # what the run launcher would start, in process here
        result = job.execute_in_process(
            instance=instance, tags=request.tags, partition_key=request.partition_key, raise_on_error=False
        )
        assert result.success, request.tags
    lake = S3Lake(f"s3://{bucket}/lake")
    assert all(lake.exists(silver_key("document_examples", doc)) for doc in docs)

    release_resources = {"dataforge": DataforgeResource()}
    cut = release_sensor(dg.build_sensor_context(instance=instance, resources=release_resources))
    [request] = cut.run_requests
    name = request.partition_key
    instance.add_dynamic_partitions("releases", [name])
    release_job = runner.definitions().resolve_job_def("release_pipeline")
    assert release_job.execute_in_process(instance=instance, partition_key=name, raise_on_error=False).success

    # read the release back from S3, through the lake and with a plain S3 client
    manifest = lake.read_json(f"gold/releases/{name}/manifest.json")
    assert sorted(d["doc_id"] for d in manifest["documents"]) == sorted(docs)
    assert manifest["datasets"]["qa"]["rows"] > 0
    assert lake.read_table(f"gold/releases/{name}/datasets/qa.parquet").num_rows == manifest["datasets"]["qa"]["rows"]
    body = client.get_object(Bucket=bucket, Key=f"lake/gold/releases/{name}/datasets/qa.jsonl")["Body"].read()
    first = json.loads(body.decode().splitlines()[0])
    assert first["context"][first["answer_start"] : first["answer_end"]] == first["answer"]

    again = release_sensor(dg.build_sensor_context(instance=instance, cursor=cut.cursor, resources=release_resources))
    assert isinstance(again, dg.SkipReason) and "no document changed" in again.skip_message

    # the CLI on the same S3 lake and Dagster home
    cli = CliRunner()
    lake_uri = f"s3://{bucket}/lake"
    status = cli.invoke(app, ["status", "--lake", lake_uri])
    assert status.exit_code == 0, status.output
    assert "documents in the lake" in status.output and name in status.output
    run = cli.invoke(app, ["run", "--lake", lake_uri])
    assert run.exit_code == 0, run.output
    assert f"release {name} is up to date" in run.output and lake_uri in run.output
    ingest = cli.invoke(app, ["ingest", f"s3://{bucket}/incoming/", "--lake", lake_uri])
    assert ingest.exit_code == 0 and "ingested 3 document(s), 0 new partition(s)" in ingest.output
