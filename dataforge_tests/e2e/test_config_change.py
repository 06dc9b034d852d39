"""`dataforge run` after a configuration change recomputes exactly the stages it affects."""

import dagster as dg
import pytest
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.lib.stages import DOCUMENT_STAGES
from dataforge_tests.conftest import SAMPLES

STAGES = [name for name, _ in DOCUMENT_STAGES]
DOCS = ["nrec-halden-acquisition-press-release.txt", "offshore-weekly-halden-deal-analysis.txt"]


def materialized(instance) -> dict[str, int]:  # noqa: ANN001
    """Partitions materialized so far, per document stage."""
    return {s: len(instance.fetch_materializations(dg.AssetKey(s), limit=1000).records) for s in STAGES}


def run(monkeypatch, isolated_env, yaml_text: str) -> tuple[dict[str, int], str]:  # noqa: ANN001
    from dataforge import runner

    config = isolated_env / "dataforge.yaml"
    config.write_text(yaml_text)
    monkeypatch.setenv("DATAFORGE_CONFIG", str(config))
    instance = runner.get_instance()
    before = materialized(instance)
    result = CliRunner().invoke(app, ["run", str(isolated_env / "docs")])
    assert result.exit_code == 0, result.output
    after = materialized(instance)
    releases = sorted(p.name for p in (isolated_env / "lake" / "gold" / "releases").iterdir())
    return {s: after[s] - before[s] for s in STAGES}, "\n".join(releases)


@pytest.mark.slow
def test_changed_settings_recompute_their_stages_and_nothing_else(isolated_env, monkeypatch) -> None:
    monkeypatch.chdir(isolated_env)
    (isolated_env / "docs").mkdir()
    for name in DOCS:
        (isolated_env / "docs" / name).write_bytes((SAMPLES / name).read_bytes())
    lake = isolated_env / "lake" / "silver"

    ran, releases = run(monkeypatch, isolated_env, "{}\n")
    assert ran == dict.fromkeys(STAGES, 2) and len(releases.split()) == 1
    text_stamp = sorted(p.stat().st_mtime_ns for p in (lake / "document_text").iterdir())
    chunks_before = sorted(p.read_bytes() for p in (lake / "document_chunks").iterdir())

    ran, _ = run(monkeypatch, isolated_env, "{}\n")  # same settings: nothing to do
    assert ran == dict.fromkeys(STAGES, 0)

    ran, releases = run(monkeypatch, isolated_env, "chunk:\n  max_tokens: 64\n")
    assert ran == {**dict.fromkeys(STAGES, 2), "raw_document": 0, "document_text": 0}
    assert sorted(p.stat().st_mtime_ns for p in (lake / "document_text").iterdir()) == text_stamp
    assert sorted(p.read_bytes() for p in (lake / "document_chunks").iterdir()) != chunks_before
    assert len(releases.split()) == 2  # a new release under the new config hash

    ran, releases = run(monkeypatch, isolated_env, "chunk:\n  max_tokens: 64\ngenerate:\n  summary_sentences: 2\n")
    assert ran == {**dict.fromkeys(STAGES, 0), "document_examples": 2}
    assert len(releases.split()) == 3
