"""`PGSSLMODE=verify-full` (deploy/k8s/postgres-env.yaml) against a real PostgreSQL with TLS.

The production instance (deploy/dagster.yaml) gets no TLS parameter in its URL: libpq takes
sslmode and the CA from the environment, which every pod receives from dataforge-postgres-env.
This starts PostgreSQL with a certificate from a throwaway CA and checks that the instance
connects encrypted with the right CA and host name, and refuses a wrong CA or a wrong name.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from dataforge_tests.production.servers import Postgres, run_postgres

ROOT = Path(__file__).resolve().parents[2]


def _ca(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


DB_NAME = "db.example.internal"  # the only name in the server certificate


def _server_cert(ca_key, ca_cert, dns: str) -> tuple[bytes, bytes]:  # noqa: ANN001
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), pem_key


@pytest.fixture(scope="module")
def tls_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Postgres, Path, Path]]:
    """PostgreSQL on 127.0.0.1 with ssl=on; (server, CA file, an unrelated CA file)."""
    certs = tmp_path_factory.mktemp("pg-certs")
    ca_key, ca_cert = _ca("dataforge test CA")
    (certs / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (certs / "other-ca.pem").write_bytes(_ca("someone else")[1].public_bytes(serialization.Encoding.PEM))
    server_pem, server_key = _server_cert(ca_key, ca_cert, DB_NAME)
    ssl = "-c ssl=on -c ssl_cert_file={workdir}/server.crt -c ssl_key_file={workdir}/server.key"
    files = {"server.crt": server_pem, "server.key": server_key}
    with run_postgres("dataforge-pgtls-", ssl, files) as (port, _):
        yield Postgres(DB_NAME, port), certs / "ca.pem", certs / "other-ca.pem"


def production_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, server: Postgres, ca: Path, host: str, sslmode: str = ""
) -> None:
    """What dataforge-postgres-env gives a pod, pointed at the test server.

    PGHOSTADDR sends libpq to 127.0.0.1 while it verifies the certificate against ``host``, as
    if ``host`` resolved there.
    """
    shipped = yaml.safe_load((ROOT / "deploy" / "k8s" / "postgres-env.yaml").read_text())["data"]
    home = tmp_path / "dagster"
    home.mkdir(exist_ok=True)
    shutil.copyfile(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    env = {**server.env(), "DAGSTER_PG_HOST": host, "DAGSTER_HOME": str(home), "PGHOSTADDR": "127.0.0.1"}
    env |= {"PGSSLMODE": sslmode or shipped["PGSSLMODE"], "PGSSLROOTCERT": str(ca)}
    env |= {"DATAFORGE_COMPUTE_LOG_BUCKET": "unused"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def connect(server: Postgres, host: str):  # noqa: ANN201
    import psycopg2

    return psycopg2.connect(host=host, port=server.port, user="postgres", dbname="postgres")


def test_instance_connects_with_verified_tls(tls_postgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server, ca, _ = tls_postgres
    production_env(monkeypatch, tmp_path, server, ca, DB_NAME)
    instance = dg.DagsterInstance.get()
    try:
        assert instance.get_runs() == []  # the run storage answered: schema created over TLS
    finally:
        instance.dispose()
    with connect(server, DB_NAME) as conn, conn.cursor() as cursor:
        cursor.execute("select ssl, version from pg_stat_ssl where pid = pg_backend_pid()")
        ssl, version = cursor.fetchone()
    assert ssl is True and version.startswith("TLS")


def test_wrong_ca_or_wrong_host_is_refused(tls_postgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg2

    server, ca, other_ca = tls_postgres
    production_env(monkeypatch, tmp_path, server, other_ca, DB_NAME)
    with pytest.raises(psycopg2.OperationalError, match="certificate verify failed"):
        connect(server, DB_NAME)
    production_env(monkeypatch, tmp_path, server, ca, "localhost")
    with pytest.raises(psycopg2.OperationalError, match="does not match host name"):
        connect(server, "localhost")
    # what verify-full adds: "require" (the chart's old setting) talks to the impostor name
    production_env(monkeypatch, tmp_path, server, ca, "localhost", sslmode="require")
    connect(server, "localhost").close()
