"""The Dagster web UI in a real browser, and the GraphQL API, after a run on samples/.

A real `dagster-webserver` on loopback over a temporary instance; Debian's Chromium driven
headless by Playwright. Screenshots are kept in dataforge_tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dataforge_tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "dataforge_tests" / "artifacts"
ASSETS = [
    "raw_document",
    "document_text",
    "document_chunks",
    "document_mentions",
    "document_relations",
    "chunk_embeddings",
    "document_examples",
    "entity_clusters",
    "knowledge_graph",
    "timeline",
    "corpus_examples",
    "training_dataset",
    "dataset_exports",
]
GROUPS = ["ingest", "nlp", "graph", "datasets", "export"]
RELEASE = "ui-test"


@dataclass
class Server:
    url: str
    port: int
    env: dict[str, str]
    lake: Path
    pending_doc: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("ui")
    home, lake, docs = root / "dagster", root / "lake", root / "docs"
    home.mkdir()
    docs.mkdir()
    (home / "dagster.yaml").write_text((ROOT / "dagster.yaml").read_text())
    for name in [
        "nrec-halden-acquisition-press-release.txt",
        "offshore-weekly-halden-deal-analysis.txt",
        "nrec-investor-faq.md",
    ]:
        shutil.copy(SAMPLES / name, docs / name)
    env = {**os.environ, "DAGSTER_HOME": str(home), "DATAFORGE_LAKE": str(lake)}
    bin_dir = Path(sys.executable).parent
    run = subprocess.run(
        [str(bin_dir / "dataforge"), "run", str(docs), "--release", RELEASE],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    pending = SAMPLES / "nrec-timeline-memo.txt"
    ingest = subprocess.run(
        [str(bin_dir / "dataforge"), "ingest", str(pending)],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ingest.returncode == 0, ingest.stderr
    import hashlib

    from dataforge.lib.ingest import doc_id_for

    pending_doc = doc_id_for(pending.name, hashlib.sha256(pending.read_bytes()).hexdigest())
    port = _free_port()
    log = (root / "webserver.log").open("w")
    process = subprocess.Popen(
        [str(bin_dir / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", str(ROOT / "workspace.yaml")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/server_info", 90)
        yield Server(f"http://127.0.0.1:{port}", port, env, lake, pending_doc)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM:
        pytest.skip("Chromium is not installed: apt-get install chromium (tools/system-deps.sh does it)")
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (in requirements.lock)")
    with playwright.sync_playwright() as driver:
        instance = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield instance
        instance.close()


def _page(browser, url: str):  # noqa: ANN001, ANN202
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url, wait_until="networkidle", timeout=90_000)
    return page


def test_lineage_page_shows_all_thirteen_assets(server: Server, browser) -> None:  # noqa: ANN001
    expanded = "%2C".join(f"global%40global%3A{group}" for group in GROUPS)
    page = _page(browser, f"{server.url}/asset-groups/?expanded={expanded}")
    for name in ASSETS:
        page.get_by_text(name, exact=True).first.wait_for(timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "asset-lineage.png"))
    body = page.inner_text("body")
    assert all(name in body for name in ASSETS)


def test_release_exports_page_shows_counts_and_checks(server: Server, browser) -> None:  # noqa: ANN001
    page = _page(browser, f"{server.url}/assets/dataset_exports?partition={RELEASE}")
    page.get_by_text("examples_total", exact=True).first.wait_for(timeout=60_000)
    body = page.inner_text("body")
    for key in ["examples_qa", "examples_summary", "examples_conversation", "documents"]:
        assert key in body
    assert RELEASE in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "release-metadata.png"), full_page=True)

    checks = _page(browser, f"{server.url}/assets/dataset_exports?view=checks")
    checks.get_by_text("release_complete", exact=True).first.wait_for(timeout=60_000)
    text = checks.inner_text("body")
    assert "openai_format_valid" in text and "Succeeded" in text and "Failed" not in text
    checks.screenshot(path=str(ARTIFACTS / "release-checks.png"))


def test_graphql_launches_a_materialization_that_succeeds(server: Server) -> None:
    from dagster import DagsterRunStatus
    from dagster_graphql import DagsterGraphQLClient

    client = DagsterGraphQLClient("127.0.0.1", port_number=server.port)
    run_id = client.submit_job_execution("document_pipeline", tags={"dagster/partition": server.pending_doc})
    deadline = time.monotonic() + 300
    status = client.get_run_status(run_id)
    while status not in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED):
        assert time.monotonic() < deadline, f"run {run_id} still {status}"
        time.sleep(1)
        status = client.get_run_status(run_id)
    assert status == DagsterRunStatus.SUCCESS
    assert (server.lake / "silver" / "document_examples" / f"{server.pending_doc}.parquet").is_file()
