"""Two `dataforge run` processes at once, over overlapping documents, on one lake and one Postgres
instance: both succeed, every document is processed once into readable outputs, and a later run
finds nothing left to do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dataforge.lib.lake import LocalLake
from dataforge_tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow

FIRST = ["nrec-timeline-memo.txt", "nrec-investor-faq.md", "offshore-weekly-halden-deal-analysis.txt"]
SECOND = [
    "nrec-investor-faq.md",
    "offshore-weekly-halden-deal-analysis.txt",
    "nrec-halden-acquisition-press-release.txt",
]


def _folder(path: Path, names: list[str]) -> Path:
    path.mkdir()
    for name in names:
        (path / name).write_bytes((SAMPLES / name).read_bytes())
    return path


def test_two_runs_over_overlapping_partitions_on_postgres(postgres, tmp_path: Path) -> None:  # noqa: ANN001
    home = tmp_path / "dagster"
    home.mkdir()
    storage = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text())["storage"]
    (home / "dagster.yaml").write_text(yaml.safe_dump({"storage": storage}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATAFORGE_", "DAGSTER_"))}
    env.update(postgres.env(), DAGSTER_HOME=str(home), DATAFORGE_LAKE=str(tmp_path / "lake"))
    exe = str(Path(sys.executable).parent / "dataforge")
    runs = [
        subprocess.Popen(
            [exe, "run", str(_folder(tmp_path / name, names)), "--release", name],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name, names in (("first", FIRST), ("second", SECOND))
    ]
    outputs = [run.communicate(timeout=540)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output[-4000:]

    lake = LocalLake(tmp_path / "lake")
    docs = sorted(k.split("/")[1] for k in lake.list("raw") if k.endswith("/source.json"))
    assert len(docs) == len(set(FIRST) | set(SECOND))  # the overlap is stored once
    assert lake.list("quarantine") == []
    for doc in docs:
        assert lake.read_rows(f"silver/document_examples/{doc}.parquet") is not None  # complete, readable
    assert not [k for k in lake.list("") if ".tmp-" in k]

    final = subprocess.run(
        [exe, "run", "--release", "final"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert final.returncode == 0, final.stderr[-4000:]
    assert "no new documents to process" in final.stdout + final.stderr  # both runs finished every document
    release = tmp_path / "lake" / "gold" / "releases" / "final"
    assert sorted(d["doc_id"] for d in json.loads((release / "manifest.json").read_text())["documents"]) == docs
    for jsonl in (release / "datasets").glob("*.jsonl"):
        ids = [json.loads(line)["id"] for line in jsonl.read_text().splitlines() if line.strip()]
        assert len(ids) == len(set(ids)), jsonl.name

    import psycopg2

    with psycopg2.connect(host=postgres.host, port=postgres.port, user=postgres.user, dbname=postgres.database) as conn:
        with conn.cursor() as cursor:
            cursor.execute("select status, count(*) from runs group by status")
            statuses = dict(cursor.fetchall())
            cursor.execute(
                "select partition, count(*) from event_logs where dagster_event_type = 'ASSET_MATERIALIZATION'"
                " and asset_key like '%document_examples%' group by partition"
            )
            materialized = dict(cursor.fetchall())
    assert statuses.get("SUCCESS", 0) >= 4 and set(statuses) == {"SUCCESS"}, statuses
    assert set(materialized) == set(docs), materialized
    both = sorted(doc for doc, count in materialized.items() if count > 1)
    print(f"\n{len(both)} of {len(docs)} documents were materialized by both concurrent runs: {both}")
