"""SIGKILL a `dataforge run` mid-batch, run again, and compare with an uninterrupted run.

The same runs double as the scan for leaks: a fake API key in the environment and PII in a
document (with ``pii_strategy: redact``) must not appear in Dagster's logs and metadata, the
CLI output, or the release (manifest, datasets, exports).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dataforge.lib.ingest import ingest_bytes
from dataforge.lib.lake import LocalLake
from dataforge_tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow

SAMPLE_NAMES = ["nrec-timeline-memo.txt", "nrec-investor-faq.md", "offshore-weekly-halden-deal-analysis.txt"]
FAKE_KEY = "sk-dataforge-FAKE-7f3a9c2e51b04d6e8a1f"
PII = {"email": "ingrid.solberg@halden-example.no", "phone": "+47 912 34 567", "ip": "81.166.22.190"}
PII_DOC = (
    "Contact sheet for the Halden wind farm project.\n\n"
    f"The site manager can be reached by email at {PII['email']} or by phone on {PII['phone']}. "
    f"The SCADA gateway of the wind farm answers on {PII['ip']} during the commissioning period. "
    "The operator inspected every turbine in March and reported that the export cables were in good "
    "condition. The first power was delivered to the grid in April after the final inspection. The "
    "board of the company approved the budget for the second phase of the project in May.\n"
)
CONFIG = (
    "run: {batch_size: 1}\nquality: {pii_strategy: redact}\ngenerate: {llm: {api_key_env: DATAFORGE_LLM_API_KEY}}\n"
)


def _docs(folder: Path) -> Path:
    folder.mkdir()
    for name in SAMPLE_NAMES:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    (folder / "halden-contacts.txt").write_text(PII_DOC)
    return folder


def _env(home: Path) -> dict[str, str]:
    home.mkdir()
    (home / "dagster.yaml").write_text((ROOT / "dagster.yaml").read_text())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATAFORGE_", "DAGSTER_"))}
    return {**env, "DAGSTER_HOME": str(home), "DATAFORGE_LLM_API_KEY": FAKE_KEY, "PYTHONUNBUFFERED": "1"}


def _command(docs: Path, lake: Path, config: Path, *extra: str) -> list[str]:
    exe = Path(sys.executable).parent / "dataforge"
    return [str(exe), "run", str(docs), "--release", "r", "--lake", str(lake), "--config", str(config), *extra]


def _run(cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> str:
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    log.write_text(done.stdout + done.stderr)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def _kill_mid_batch(cmd: list[str], env: dict[str, str], cwd: Path, lake: Path, total: int) -> int:
    """Start the run; SIGKILL it while a later document is in progress. Returns documents done."""
    process = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 480
    try:
        while time.monotonic() < deadline and process.poll() is None:
            texts = list((lake / "silver" / "document_text").glob("*.parquet"))
            examples = list((lake / "silver" / "document_examples").glob("*.parquet"))
            if examples and len(texts) > len(examples):  # one document done, the next one in progress
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.05)
    finally:
        if process.poll() is None and time.monotonic() >= deadline:
            process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL, f"the run ended on its own ({process.returncode}) before the kill"
    return len(list((lake / "silver" / "document_examples").glob("*.parquet")))


def _digest_tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _stamps(folder: Path) -> dict[str, tuple[int, str]]:
    """Modification time and content hash of every file: a no-op rewrite also shows."""
    return {name: ((folder / name).stat().st_mtime_ns, digest) for name, digest in _digest_tree(folder).items()}


def _scan(paths: list[Path], needles: list[str]) -> list[str]:
    """Files (or text logs) under ``paths`` that contain any needle, as 'path: needle'."""
    hits = []
    for base in paths:
        for path in [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()):
            data = path.read_bytes()
            hits += [f"{path}: {n}" for n in needles if n.encode() in data]
    return hits


def test_sigkill_mid_batch_then_rerun_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    docs = _docs(tmp_path / "docs")
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    total = len(list(docs.iterdir()))
    crashed, clean = tmp_path / "crashed", tmp_path / "clean"
    crashed.mkdir()
    clean.mkdir()

    env_a = _env(crashed / "dagster")
    killed_after = _kill_mid_batch(_command(docs, crashed / "lake", config), env_a, crashed, crashed / "lake", total)
    assert 0 < killed_after < total
    visible = LocalLake(crashed / "lake").list("")
    assert not [k for k in visible if "/.tmp-" in k or k.startswith(".tmp-")]
    out_a = _run(_command(docs, crashed / "lake", config), env_a, crashed, crashed / "resume.log")

    env_b = _env(clean / "dagster")
    out_b = _run(_command(docs, clean / "lake", config), env_b, clean, clean / "run.log")

    release_a = crashed / "lake" / "gold" / "releases" / "r"
    release_b = clean / "lake" / "gold" / "releases" / "r"
    datasets_a, datasets_b = _digest_tree(release_a / "datasets"), _digest_tree(release_b / "datasets")
    assert datasets_a and datasets_a == datasets_b  # complete and byte-identical
    assert _digest_tree(release_a / "exports") == _digest_tree(release_b / "exports")
    manifest = json.loads((release_a / "manifest.json").read_text())
    assert len(manifest["documents"]) == total  # no document lost to the kill

    for jsonl in (release_a / "datasets").glob("*.jsonl"):
        ids = [json.loads(line)["id"] for line in jsonl.read_text().splitlines() if line.strip()]
        assert len(ids) == len(set(ids)), f"duplicate example ids in {jsonl.name}"
    orphans = [p for p in (crashed / "lake").rglob(".tmp-*")]
    print(f"\nkilled after {killed_after}/{total} documents; leftover invisible temp files: {len(orphans)}")

    # determinism: rebuilding the release from the same inputs and config changes no dataset byte
    _run(_command(docs, clean / "lake", config, "--rebuild"), env_b, clean, clean / "rebuild.log")
    assert _digest_tree(release_b / "datasets") == datasets_b

    # idempotency: ingesting the same files again changes nothing in the lake
    before = _stamps(clean / "lake")
    lake_b = LocalLake(clean / "lake")
    results = [ingest_bytes(lake_b, p.read_bytes(), p.name, str(p.resolve())) for p in sorted(docs.iterdir())]
    assert not any(r.new for r in results)
    assert _stamps(clean / "lake") == before

    # secrets and PII: Dagster storage (event logs, run metadata), CLI output, the release
    (clean / "cli.log").write_text(out_a + out_b)
    places = [crashed / "dagster", clean / "dagster", clean / "cli.log", release_a, release_b]
    assert _scan(places + [crashed / "lake", clean / "lake"], [FAKE_KEY]) == []
    published = [p / name for p in (release_a, release_b) for name in ("manifest.json", "datasets", "exports")]
    assert _scan(places[:3] + published, list(PII.values())) == []  # logs, run metadata, previews, datasets
    # the knowledge graph is published too: no contact identifier becomes an entity
    assert _scan([release_b / "graph"], list(PII.values())) == []
