"""The lake: where every stage's output lives, on a local folder or on S3.

Keys are relative POSIX paths (``silver/document_text/<doc_id>.parquet``). Every write is
atomic: a temp file renamed into place locally, a single PUT on S3, so a crash never leaves
a half-written file behind. Stages never check which backend they run on.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

import pyarrow as pa
import pyarrow.parquet as pq

DEFAULT_LAKE = "./.dataforge/lake"


class LakeKeyError(ValueError):
    """A key tried to escape the lake (absolute, ``..``, control characters)."""


def check_key(key: str) -> str:
    """Reject keys that could write outside the lake; return the normalized key."""
    if not key or "\x00" in key or any(ord(c) < 32 for c in key):
        raise LakeKeyError(f"invalid lake key {key!r}")
    path = PurePosixPath(key)
    if key.startswith("/") or "\\" in key or any(part in ("..", ".", "") for part in key.split("/")):
        raise LakeKeyError(f"lake key must be relative without '..': {key!r}")
    return str(path)


class Lake(ABC):
    """Backend-neutral byte store with JSON and Parquet helpers."""

    uri: str

    # --- backend primitives -------------------------------------------------------------
    @abstractmethod
    def write_bytes(self, key: str, data: bytes) -> None:
        """Store ``data`` at ``key`` atomically: readers see the old object or the new one."""

    @abstractmethod
    def read_bytes(self, key: str) -> bytes:
        """The whole object; FileNotFoundError when it does not exist."""

    @abstractmethod
    def write_new(self, key: str, data: bytes) -> bool:
        """Create ``key`` only if it does not exist yet (atomically); False when it did.

        The one primitive two concurrent writers can agree on: exactly one of them wins.
        """

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether an object is stored at ``key``."""

    @abstractmethod
    def list(self, prefix: str) -> list[str]:
        """Every key under ``prefix`` (a folder), sorted."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; a missing key is not an error."""

    # --- helpers --------------------------------------------------------------------
    def write_new_json(self, key: str, value: Any) -> bool:
        text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        return self.write_new(key, (text + "\n").encode("utf-8"))

    def write_json(self, key: str, value: Any) -> None:
        text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        self.write_bytes(key, (text + "\n").encode("utf-8"))

    def read_json(self, key: str) -> Any:
        return json.loads(self.read_bytes(key))

    def write_table(self, key: str, table: pa.Table) -> None:
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        self.write_bytes(key, buffer.getvalue())

    def write_rows(self, key: str, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
        self.write_table(key, pa.Table.from_pylist(rows, schema=schema))

    def read_table(self, key: str) -> pa.Table:
        return pq.read_table(io.BytesIO(self.read_bytes(key)))

    def read_rows(self, key: str) -> list[dict[str, Any]]:
        return self.read_table(key).to_pylist()

    def join(self, key: str) -> str:
        """Human-readable location of a key, for logs and metadata."""
        return f"{self.uri.rstrip('/')}/{key}"


class LocalLake(Lake):
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root).resolve()
        self.uri = str(self.root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def _staged(self, key: str, data: bytes) -> tuple[Path, str]:
        """``data`` written and synced to a temporary file beside ``key``'s path (not yet visible)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path, tmp

    def write_bytes(self, key: str, data: bytes) -> None:
        path, tmp = self._staged(key, data)
        try:
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def write_new(self, key: str, data: bytes) -> bool:
        path, tmp = self._staged(key, data)
        try:
            os.link(tmp, path)  # fails when the name exists: the complete file appears, or nothing
            return True
        except FileExistsError:
            return False
        finally:
            Path(tmp).unlink(missing_ok=True)

    def read_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str) -> list[str]:
        base = self.root / check_key(prefix.rstrip("/")) if prefix.strip("/") else self.root
        if not base.is_dir():
            return []
        keys = [
            p.relative_to(self.root).as_posix()
            for p in base.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        ]
        return sorted(keys)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def local_path(self, key: str) -> Path:
        return self._path(key)


CONDITION_FAILED = ("PreconditionFailed", "412", "ConditionalRequestConflict")


class S3Lake(Lake):
    """``s3://bucket/prefix``; endpoint and credentials come from the standard AWS variables.

    Every object is one PUT (atomic on S3: readers see the old or the new object, never half)
    and Parquet travels as whole objects through ``write_table``/``read_table``.
    """

    def __init__(self, uri: str, client: Any | None = None):
        parsed = urlparse(uri)
        if parsed.scheme != "s3" or not parsed.netloc:
            raise ValueError(f"not an S3 URI: {uri!r} (expected s3://bucket/prefix)")
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        self.uri = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        self.client = client if client is not None else s3_client()
        self.extra_args = sse_args()

    def _key(self, key: str) -> str:
        key = check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def write_bytes(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **self.extra_args)

    def write_new(self, key: str, data: bytes) -> bool:
        """A conditional PUT (``If-None-Match: *``): S3 and SeaweedFS answer 412 when it exists."""
        from botocore.exceptions import ClientError

        try:
            self.client.put_object(
                Bucket=self.bucket, Key=self._key(key), Body=data, IfNoneMatch="*", **self.extra_args
            )
            return True
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in CONDITION_FAILED:
                return False
            raise

    def read_bytes(self, key: str) -> bytes:
        """Like the local lake, a missing key raises FileNotFoundError (not a botocore error)."""
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise FileNotFoundError(f"{self.join(key)} does not exist") from error
            raise

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def list(self, prefix: str) -> list[str]:
        full = self._key(prefix.rstrip("/")) + "/" if prefix.strip("/") else (f"{self.prefix}/" if self.prefix else "")
        strip = len(self.prefix) + 1 if self.prefix else 0
        keys: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=full):
            keys.extend(item["Key"][strip:] for item in page.get("Contents", []))
        return sorted(keys)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def s3_client() -> Any:
    """A boto3 S3 client for any S3-compatible store, shared while the settings stay the same.

    ``AWS_ENDPOINT_URL_S3`` / ``AWS_ENDPOINT_URL`` pick the endpoint (MinIO, SeaweedFS, R2...),
    credentials come from the usual chain (``AWS_ACCESS_KEY_ID``..., a web identity token on
    EKS, an instance profile). Creating a client costs ~0.2 s and every asset opens the lake,
    so clients are cached per endpoint and credential variables (boto3 clients are thread-safe).
    """
    names = (
        "AWS_ENDPOINT_URL_S3",
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
    )
    return _cached_client(tuple(os.environ.get(name, "") for name in names))


@lru_cache(maxsize=8)
def _cached_client(settings: tuple[str, ...]) -> Any:
    import boto3
    from botocore.config import Config

    endpoint = settings[0] or settings[1] or None
    config = Config(retries={"mode": "standard", "max_attempts": 5})
    return boto3.session.Session().client("s3", endpoint_url=endpoint, config=config)


def sse_args(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Server-side encryption for every PUT: ``DATAFORGE_S3_SSE`` (``AES256`` or ``aws:kms``) and
    ``DATAFORGE_S3_KMS_KEY_ID``; a KMS key id alone implies ``aws:kms``."""
    env = os.environ if env is None else env
    args: dict[str, str] = {}
    sse = env.get("DATAFORGE_S3_SSE", "").strip()
    kms_key = env.get("DATAFORGE_S3_KMS_KEY_ID", "").strip()
    if sse:
        args["ServerSideEncryption"] = sse
    if kms_key:
        args["ServerSideEncryption"] = sse or "aws:kms"
        args["SSEKMSKeyId"] = kms_key
    if args.get("ServerSideEncryption") not in (None, "AES256", "aws:kms", "aws:kms:dsse"):
        raise ValueError(f"DATAFORGE_S3_SSE must be AES256 or aws:kms, not {sse!r}")
    return args


def open_lake(uri: str | os.PathLike[str] | None = None) -> Lake:
    """``s3://bucket/prefix`` or a local folder; defaults to ``$DATAFORGE_LAKE`` or ./.dataforge/lake."""
    uri = str(uri or os.environ.get("DATAFORGE_LAKE") or DEFAULT_LAKE)
    if uri.startswith("s3://"):
        return S3Lake(uri)
    if uri.startswith("file://"):
        uri = urlparse(uri).path
    return LocalLake(uri)
