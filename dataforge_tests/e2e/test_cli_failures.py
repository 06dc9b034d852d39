"""A failed check explains itself, and withhold_failing ships the rest of the release."""

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge_tests.conftest import SAMPLES

PLANTED = "jane.roe@example.org"


def _skip_scrubbing(example, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    """The stage 'forgets' to scrub, so the planted address reaches the datasets."""
    return dict(example), Counter()


@pytest.mark.slow
def test_failing_pii_check_is_explained_and_withhold_ships_the_rest(isolated_env, monkeypatch) -> None:
    monkeypatch.chdir(isolated_env)
    monkeypatch.setattr("dataforge.lib.quality.pipeline.scrub_example", _skip_scrubbing)
    docs = isolated_env / "docs"
    docs.mkdir()
    for name in ["nrec-halden-acquisition-press-release.txt", "offshore-weekly-halden-deal-analysis.txt"]:
        (docs / name).write_bytes((SAMPLES / name).read_bytes())
    memo = (SAMPLES / "nrec-investor-faq.md").read_text()
    (docs / "faq.md").write_text(memo.replace("\n\n", f"\n\nQuestions go to {PLANTED}.\n\n", 3))
    runner = CliRunner()

    failed = runner.invoke(app, ["run", str(docs), "--release", "leaky"])
    (isolated_env.parent / "pii-failed-output.txt").write_text(failed.output)
    assert failed.exit_code == 1, failed.output
    assert "Traceback" not in failed.output and failed.exception is None or isinstance(failed.exception, SystemExit)
    assert "check no_pii_left failed" in failed.output and "row(s)" in failed.output
    assert failed.output.count("example: ") == 3
    assert PLANTED not in failed.output  # the examples are scrubbed before they are shown
    assert "partial output: " in failed.output and "gold/releases/leaky/" in failed.output

    config = isolated_env / "withhold.yaml"
    config.write_text("quality:\n  withhold_failing: true\n")
    shipped = runner.invoke(app, ["run", "--release", "withheld", "--config", str(config)])
    assert shipped.exit_code == 0, shipped.output
    release = isolated_env / "lake" / "gold" / "releases" / "withheld"
    assert (release / "manifest.json").is_file()
    rejected = [
        json.loads(line)
        for path in sorted((release / "rejected").glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]
    withheld = [r for r in rejected if r["rejected"]["stage"].startswith("check:")]  # beside the gate's rejects
    assert withheld and all(r["rejected"]["stage"] == "check:no_pii_left" for r in withheld)
    assert all(r["rejected"]["score"] is None and r["rejected"]["reasons"] for r in withheld)
    everything = "".join(p.read_text() for p in release.rglob("*.json*"))
    assert PLANTED not in everything  # not in datasets, exports, nor the rejected copies
    report = json.loads((release / "quality_report.json").read_text())
    assert report["withheld"]["withheld"] == len(withheld) and report["withheld"]["by_check"]["no_pii_left"]
