"""The command line as a user drives it."""

import json
import subprocess
import sys
import threading

import pytest
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.defs.automation.jobs import DOCUMENT_ASSETS, RELEASE_ASSETS
from dataforge_tests.conftest import ROOT, SAMPLES

cli = CliRunner()


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".txt", ".md"])
def test_extract_prints_text_for_each_format(suffix: str) -> None:
    path = next(p for p in sorted(SAMPLES.iterdir()) if p.suffix == suffix)
    result = cli.invoke(app, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip().splitlines()[0])
    assert record["path"] == str(path) and len(record["text"].split()) > 200
    assert "SCRIPT-SHOULD-NOT-APPEAR" not in record["text"]


def test_extract_reports_unreadable_files_as_json_errors(tmp_path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    result = cli.invoke(app, ["extract", str(bad), "--json"])
    record = json.loads(result.stdout.strip())
    assert record["path"] == str(bad) and record["error"].startswith("corrupt")


@pytest.mark.slow
def test_run_builds_a_release_and_a_second_run_recomputes_nothing(isolated_env, monkeypatch) -> None:
    monkeypatch.chdir(isolated_env)
    docs = isolated_env / "docs"
    docs.mkdir()
    for name in [
        "nrec-halden-acquisition-press-release.txt",
        "offshore-weekly-halden-deal-analysis.txt",
        "nrec-investor-faq.md",
    ]:
        (docs / name).write_bytes((SAMPLES / name).read_bytes())
    (docs / "empty.txt").write_bytes(b"")
    first = cli.invoke(app, ["run", str(docs), "--release", "cli-test"])
    assert first.exit_code == 0, first.output
    assert "documents processed" in first.stdout and "cli-test" in first.stdout
    release = isolated_env / "lake" / "gold" / "releases" / "cli-test"
    assert (release / "manifest.json").is_file()
    stamp = (release / "datasets" / "qa.jsonl").stat().st_mtime_ns

    second = cli.invoke(app, ["run", str(docs), "--release", "cli-test"])
    assert second.exit_code == 0, second.output
    assert "no new documents" in second.output and "up to date" in second.output
    assert (release / "datasets" / "qa.jsonl").stat().st_mtime_ns == stamp

    status = cli.invoke(app, ["status"])
    assert status.exit_code == 0
    assert "quarantined" in status.stdout and "empty" in status.stdout and "cli-test" in status.stdout


@pytest.mark.slow
def test_dagster_asset_materialize_works_for_a_registered_partition(isolated_env) -> None:
    """The way CI drives it: partitions registered by `dataforge ingest`, then the dagster CLI."""
    sample = SAMPLES / "nrec-timeline-memo.txt"
    bin_dir = __import__("pathlib").Path(sys.executable).parent
    env = {**__import__("os").environ}
    ingest = subprocess.run(
        [str(bin_dir / "dataforge"), "ingest", str(sample)],
        env=env,
        cwd=isolated_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ingest.returncode == 0, ingest.stderr
    from dataforge.lib.ingest import list_documents
    from dataforge.lib.lake import LocalLake

    [doc_id] = list_documents(LocalLake(isolated_env / "lake"))
    materialize = subprocess.run(
        [
            str(bin_dir / "dagster"),
            "asset",
            "materialize",
            "-m",
            "dataforge.definitions",
            "--select",
            ",".join(DOCUMENT_ASSETS),
            "--partition",
            doc_id,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert materialize.returncode == 0, materialize.stdout[-3000:] + materialize.stderr[-3000:]
    for stage in ("document_text", "document_examples"):  # the whole per-document path, not one level
        assert (isolated_env / "lake" / "silver" / stage / f"{doc_id}.parquet").is_file(), stage

    dagster = [str(bin_dir / "dagster"), "asset", "materialize", "-m", "dataforge.definitions"]
    register = subprocess.run(
        [str(bin_dir / "dataforge"), "ingest", "--release", "ci-release"],
        env=env,
        cwd=isolated_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert register.returncode == 0, register.stderr
    cut = subprocess.run(
        [*dagster, "--select", ",".join(RELEASE_ASSETS), "--partition", "ci-release"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert cut.returncode == 0, cut.stdout[-3000:] + cut.stderr[-3000:]
    assert (isolated_env / "lake" / "gold" / "releases" / "ci-release" / "manifest.json").is_file()


@pytest.mark.slow
def test_watch_processes_files_already_there_and_files_dropped_later(isolated_env) -> None:
    """A real `dataforge watch` process: a file present at start and one dropped while it runs
    both get examples; a broken one is quarantined with its reason and does not stop it."""
    import os
    from pathlib import Path

    inbox = isolated_env / "inbox"
    inbox.mkdir()
    (inbox / "memo.txt").write_bytes((SAMPLES / "nrec-timeline-memo.txt").read_bytes())
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    errors_file = isolated_env / "watch-stderr.log"  # a file: a full stderr pipe cannot block the watcher
    with errors_file.open("w") as stderr:
        watcher = subprocess.Popen(
            [str(Path(sys.executable).parent / "dataforge"), "watch", "--interval", "0.2", "--max-documents", "3"],
            cwd=isolated_env,
            env={**os.environ},
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    # Every read goes through the same buffered reader: communicate() would read the raw pipe and
    # lose the lines readline() had already buffered (under load, the next document's line).
    deadline = threading.Timer(240, watcher.kill)
    deadline.start()
    try:
        lines = []
        while not any("examples" in line for line in lines):  # the file present at start is done
            line = watcher.stdout.readline()
            assert line, f"watch ended early: {errors_file.read_text()[-3000:]}"
            lines.append(line)
        # dropped while watching, the way uploads land: written aside, then renamed in
        (inbox / ".faq.md.tmp").write_bytes((SAMPLES / "nrec-investor-faq.md").read_bytes())
        os.replace(inbox / ".faq.md.tmp", inbox / "faq.md")
        remaining = watcher.stdout.read()  # until the watcher exits (or the deadline kills it)
        watcher.wait()
    finally:
        deadline.cancel()
        if watcher.poll() is None:
            watcher.kill()
    errors = errors_file.read_text()
    output = "".join(lines) + remaining
    assert watcher.returncode == 0, errors[-3000:]
    assert "watching" in output and "quarantined (corrupt)" in output, (output, errors[-3000:])
    assert output.count(" examples") == 2, output
    silver = isolated_env / "lake" / "silver" / "document_examples"
    assert len(list(silver.glob("*.parquet"))) == 2
    from dataforge.lib.ingest import list_documents
    from dataforge.lib.lake import LocalLake

    assert len(list_documents(LocalLake(isolated_env / "lake"))) == 3
