"""A release is built once, by one run; a takedown leaves the next release (issue 17, 5 and 7)."""

from __future__ import annotations

import shutil
import socket
import subprocess

import dagster as dg
import pytest
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.utils import make_new_run_id
from typer.testing import CliRunner

from dataforge import runner
from dataforge.cli import app
from dataforge.lib.lake import LocalLake
from dataforge.lib.release_guard import lock_key

cli = CliRunner()


def test_a_complete_release_is_never_rebuilt_in_place(pipeline_run) -> None:
    manifest = (pipeline_run.release_dir / "manifest.json").read_bytes()
    with pytest.raises(runner.RunFailed, match="is complete .* releases are built once"):
        runner.run_release(pipeline_run.instance, pipeline_run.release)
    assert (pipeline_run.release_dir / "manifest.json").read_bytes() == manifest


@pytest.fixture
def lake_copy(pipeline_run, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """The processed samples lake, copied, so a test may withdraw documents and cut releases."""
    root = tmp_path / "lake"
    shutil.copytree(pipeline_run.lake_root, root)
    monkeypatch.setenv("DATAFORGE_LAKE", str(root))
    return LocalLake(root)


def test_a_second_run_of_a_release_in_progress_writes_nothing(pipeline_run, lake_copy) -> None:
    instance = pipeline_run.instance
    holder = DagsterRun(job_name="release_pipeline", run_id=make_new_run_id(), status=dg.DagsterRunStatus.STARTED)
    instance.add_run(holder)
    lake_copy.write_json(lock_key("busy"), {"run_id": holder.run_id, "host": "node-7", "pid": 1})
    with pytest.raises(runner.RunFailed, match=f"being built by run {holder.run_id}"):
        runner.run_release(instance, "busy", lake=lake_copy)
    assert lake_copy.list("gold/releases/busy") == [lock_key("busy")]  # not even documents.json


def test_a_withdrawn_document_leaves_the_next_release(pipeline_run, lake_copy) -> None:
    manifest = lake_copy.read_json(f"gold/releases/{pipeline_run.release}/manifest.json")
    target = next(d for d in manifest["documents"] if d["file_name"] == "nrec-investor-faq.md")
    result = cli.invoke(app, ["withdraw", target["source"], "--reason", "customer request"])
    assert result.exit_code == 0 and "withdrawn (customer request" in result.stdout, result.output

    # a release run killed mid-way on this host left its lock and a run stuck in STARTED
    dead = subprocess.Popen(["true"])
    dead.wait()
    stuck = DagsterRun(job_name="release_pipeline", run_id=make_new_run_id(), status=dg.DagsterRunStatus.STARTED)
    pipeline_run.instance.add_run(stuck)
    lake_copy.write_json(lock_key("after"), {"run_id": stuck.run_id, "host": socket.gethostname(), "pid": dead.pid})

    runner.run_release(pipeline_run.instance, "after", lake=lake_copy)
    after = lake_copy.read_json("gold/releases/after/manifest.json")
    assert pipeline_run.instance.get_run_by_id(stuck.run_id).status == dg.DagsterRunStatus.FAILURE
    assert target["doc_id"] not in {d["doc_id"] for d in after["documents"]}
    assert len(after["documents"]) == len(manifest["documents"]) - 1
    [gone] = after["withdrawn"]
    assert gone["doc_id"] == target["doc_id"] and gone["reason"] == "customer request"
    for path in (lake_copy.root / "gold/releases/after/datasets").glob("*.jsonl"):
        assert target["doc_id"] not in path.read_text(), path.name
    assert not lake_copy.exists(lock_key("after"))  # sealed by its manifest, the lock is gone
    # the earlier release is untouched, and the document is still in the lake
    assert lake_copy.read_json(f"gold/releases/{pipeline_run.release}/manifest.json") == manifest
    assert lake_copy.exists(f"raw/{target['doc_id']}/source.json")
