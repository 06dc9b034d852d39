"""Shared fixtures: the sample corpus, an isolated lake/instance, and one full pipeline run
per test session (models load once; many tests read the same release)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh lake, Dagster home and inbox under tmp_path, set through the environment."""
    monkeypatch.setenv("DATAFORGE_LAKE", str(tmp_path / "lake"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.setenv("DATAFORGE_INBOX", str(tmp_path / "inbox"))
    monkeypatch.delenv("DATAFORGE_CONFIG", raising=False)
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_text((ROOT / "dagster.yaml").read_text())
    return tmp_path


def write_bad_inputs(folder: Path) -> dict[str, str]:
    """Files that must be quarantined, with the reason each must get."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "truncated-report.pdf").write_bytes(
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n%%broken"
    )
    (folder / "empty-notes.txt").write_bytes(b"")
    (folder / "spreadsheet.xlsx").write_bytes(b"\x00\x01binary\x02" * 50)
    return {"truncated-report.pdf": "corrupt", "empty-notes.txt": "empty", "spreadsheet.xlsx": "unsupported_type"}


@dataclass
class PipelineRun:
    lake_root: Path
    release: str
    bad_inputs: dict[str, str]
    instance: object
    check_results: dict[str, bool]

    @property
    def release_dir(self) -> Path:
        return self.lake_root / "gold" / "releases" / self.release


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    """Materialize the whole asset graph on samples/ (plus bad inputs) on an ephemeral instance."""
    import dagster as dg

    from dataforge import runner
    from dataforge.lib.ingest import ingest_bytes, list_documents
    from dataforge.lib.lake import LocalLake

    root = tmp_path_factory.mktemp("e2e")
    bad_dir = root / "bad"
    bad = write_bad_inputs(bad_dir)
    previous = os.environ.get("DATAFORGE_LAKE")
    os.environ["DATAFORGE_LAKE"] = str(root / "lake")
    try:
        lake = LocalLake(root / "lake")
        for path in sorted(SAMPLES.iterdir()) + sorted(bad_dir.iterdir()):
            ingest_bytes(lake, path.read_bytes(), path.name, str(path))
        instance = dg.DagsterInstance.ephemeral()
        doc_ids = list_documents(lake)
        runner.register(instance, "documents", doc_ids)
        runner.run_documents(instance, doc_ids, batch_size=25)
        result = runner.run_release(instance, "test-release")
        checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
        yield PipelineRun(root / "lake", "test-release", bad, instance, checks)
    finally:
        if previous is None:
            os.environ.pop("DATAFORGE_LAKE", None)
        else:
            os.environ["DATAFORGE_LAKE"] = previous
