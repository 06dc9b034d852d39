"""Documents that sit in, or keep arriving in, an S3 bucket.

``iter_s3_objects`` reads everything under a prefix once (``dataforge ingest s3://...``).
``S3Watcher`` is the upload sensor's reader: what is new or changed since the last look, in
steps small enough for a sensor tick.

Key convention for uploads
--------------------------
The watcher pages with ``list_objects_v2(StartAfter=<last key handled>)``, so a tick costs one
listing page however large the prefix grows. That finds every new upload only when keys sort
by arrival: put a UTC timestamp right after the watched prefix, e.g.
``incoming/2025/06/01/123005123456-report.pdf`` (``arrival_key`` builds one). Keys that break the
rule, re-uploads of an existing key, and objects that failed to download are found by the sweep:
a bounded full listing that walks the prefix ``sweep_keys`` keys per tick, behind the cursor,
and compares ETags with the ones remembered in the cursor.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from dataforge.lib.ingest import doc_id_for, quarantine_key, safe_file_name
from dataforge.lib.lake import Lake, s3_client

PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload")
MIB = 1024 * 1024


def split_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix/`` -> ``("bucket", "some/prefix/")``."""
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"not an S3 URI: {uri!r} (expected s3://bucket/prefix/)")
    return parsed.netloc, parsed.path.lstrip("/")


def wanted(key: str) -> bool:
    """Folder markers, hidden files and partial uploads are not documents."""
    name = key.rsplit("/", 1)[-1]
    return bool(name) and not name.startswith(".") and not name.lower().endswith(PARTIAL_SUFFIXES)


def arrival_key(prefix: str, name: str, when: datetime | None = None) -> str:
    """An upload key that sorts by arrival: ``<prefix>/YYYY/MM/DD/HHMMSSffffff-<name>``."""
    when = when or datetime.now(UTC)
    return f"{prefix.rstrip('/')}/{when:%Y/%m/%d/%H%M%S%f}-{safe_file_name(name)}"


_ARRIVAL_STAMP = re.compile(r"^\d{12}-(?=.)")


def source_name(key: str) -> str:
    """The file name a key stands for, without the stamp ``arrival_key`` put in front."""
    return _ARRIVAL_STAMP.sub("", key.rsplit("/", 1)[-1])


def iter_s3_objects(uri: str, client: Any | None = None) -> Iterator[tuple[str, bytes]]:
    """``(s3://bucket/key, bytes)`` for every document under ``s3://bucket/prefix/``, in key order."""
    bucket, prefix = split_uri(uri)
    client = client or s3_client()
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if wanted(item["Key"]):
                body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                yield f"s3://{bucket}/{item['Key']}", body


@dataclass(frozen=True)
class S3Object:
    key: str
    etag: str
    size: int


def etag_digest(etag: str) -> str:
    """48 bits of the ETag: enough to tell versions of one key apart, small in the cursor."""
    return hashlib.blake2b(etag.strip('"').encode(), digest_size=6).hexdigest()


@dataclass
class WatchState:
    """The sensor cursor: where the arrival scan and the sweep stand, and the ETags handled."""

    after: str = ""
    sweep: str = ""
    etags: dict[str, str] = field(default_factory=dict)

    def remember(self, key: str, etag: str, limit: int) -> None:
        """Most recently seen last; the oldest entries go once there are more than ``limit``."""
        self.etags.pop(key, None)
        self.etags[key] = etag_digest(etag)
        while len(self.etags) > limit:
            self.etags.pop(next(iter(self.etags)))

    def knows(self, key: str, etag: str) -> bool:
        return self.etags.get(key) == etag_digest(etag)

    def encode(self) -> str:
        """Plain JSON while small; zlib+base64 (``z1:`` prefix) once the ETag memory grows."""
        data = {"v": 1, "after": self.after, "sweep": self.sweep, "etags": self.etags}
        text = json.dumps(data, separators=(",", ":"))
        if len(text) <= 16_000:
            return text
        return "z1:" + base64.b64encode(zlib.compress(text.encode(), 6)).decode()

    @classmethod
    def decode(cls, text: str | None) -> WatchState:
        if not text:
            return cls()
        if text.startswith("z1:"):
            text = zlib.decompress(base64.b64decode(text[3:])).decode()
        data = json.loads(text)
        return cls(after=data.get("after", ""), sweep=data.get("sweep", ""), etags=dict(data.get("etags", {})))


def _env_number(env: dict[str, str] | os._Environ[str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    return float(value) if value else default


@dataclass(frozen=True)
class WatchLimits:
    """Bounds on one tick; the daemon gives a sensor tick 60 s, so stay well inside it."""

    max_objects: int = 200  # objects downloaded and ingested per tick
    max_bytes: int = 1024 * MIB  # bytes downloaded per tick (one larger object still goes alone)
    max_seconds: float = 30.0  # stop starting downloads after this long
    list_keys: int = 5000  # keys the arrival scan lists per tick
    sweep_keys: int = 1000  # keys the sweep (bounded full listing) lists per tick
    max_object_bytes: int = 200 * MIB  # larger objects are not downloaded: quarantined as too_large
    remember: int = 20_000  # ETags kept in the cursor

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, max_object_bytes: int | None = None) -> WatchLimits:
        env = os.environ if env is None else env
        base = cls()
        return cls(
            max_objects=int(_env_number(env, "DATAFORGE_S3_MAX_OBJECTS_PER_TICK", base.max_objects)),
            max_bytes=int(_env_number(env, "DATAFORGE_S3_MAX_MB_PER_TICK", base.max_bytes / MIB) * MIB),
            max_seconds=_env_number(env, "DATAFORGE_S3_TICK_SECONDS", base.max_seconds),
            list_keys=int(_env_number(env, "DATAFORGE_S3_LIST_KEYS", base.list_keys)),
            sweep_keys=int(_env_number(env, "DATAFORGE_S3_SWEEP_KEYS", base.sweep_keys)),
            max_object_bytes=max_object_bytes or base.max_object_bytes,
            remember=int(_env_number(env, "DATAFORGE_S3_REMEMBER_ETAGS", base.remember)),
        )


@dataclass
class WatchReport:
    """What one poll did, for the sensor's skip reason, logs and tests."""

    state: WatchState
    handled: list[S3Object] = field(default_factory=list)
    too_large: list[S3Object] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    listed: int = 0
    unchanged: int = 0
    behind_cursor: int = 0  # never-seen keys the sweep found: uploads that ignore the key convention
    reuploads: int = 0  # known keys whose ETag changed
    stopped_by: str = ""  # "objects", "bytes" or "time" when a budget ended the tick early
    bytes: int = 0


class S3Watcher:
    """Finds new and changed objects under ``s3://bucket/prefix/`` within a tick's budget."""

    def __init__(
        self,
        client: Any,
        uri: str,
        limits: WatchLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.client = client
        self.bucket, self.prefix = split_uri(uri)
        self.limits = limits or WatchLimits()
        self.clock = clock

    def _list(self, start_after: str, limit: int) -> Iterator[S3Object]:
        """Up to ``limit`` objects after ``start_after``, in key order, a page at a time."""
        start_after = max(start_after, self.prefix)
        token: str | None = None
        remaining = limit
        while remaining > 0:
            kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix, "MaxKeys": min(1000, remaining)}
            kwargs.update({"ContinuationToken": token} if token else {"StartAfter": start_after} if start_after else {})
            page = self.client.list_objects_v2(**kwargs)
            for item in page.get("Contents", []):
                remaining -= 1
                yield S3Object(item["Key"], item.get("ETag", "").strip('"'), int(item.get("Size", 0)))
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return

    def poll(self, state: WatchState, handle: Callable[[S3Object, bytes], None]) -> WatchReport:
        """Download what is new or changed and pass it to ``handle``; returns the next state.

        An error from ``handle`` propagates (the tick fails, the cursor stays, the next tick
        retries). A download that fails is reported, not remembered, and retried by the sweep.
        """
        started = self.clock()
        new = WatchState(state.after, state.sweep, dict(state.etags))
        report = WatchReport(state=new)

        def consider(obj: S3Object, in_sweep: bool) -> bool:
            """False when a budget says stop before this object."""
            report.listed += 1
            if not wanted(obj.key):
                return True
            if new.knows(obj.key, obj.etag):
                report.unchanged += 1
                new.remember(obj.key, obj.etag, self.limits.remember)  # keep keys still present
                return True
            if obj.size > self.limits.max_object_bytes:
                report.too_large.append(obj)
                new.remember(obj.key, obj.etag, self.limits.remember)
                return True
            if report.handled:
                if len(report.handled) >= self.limits.max_objects:
                    report.stopped_by = "objects"
                elif report.bytes + obj.size > self.limits.max_bytes:
                    report.stopped_by = "bytes"
                elif self.clock() - started >= self.limits.max_seconds:
                    report.stopped_by = "time"
                if report.stopped_by:
                    return False
            if in_sweep:
                if obj.key in new.etags:
                    report.reuploads += 1
                else:
                    report.behind_cursor += 1
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=obj.key)
                data = response["Body"].read()
            except Exception as error:  # noqa: BLE001 - reported; the sweep retries it
                report.failed[obj.key] = f"{type(error).__name__}: {error}"
                return True
            handled = S3Object(obj.key, response.get("ETag", obj.etag).strip('"'), len(data))
            handle(handled, data)
            new.remember(handled.key, handled.etag, self.limits.remember)
            report.handled.append(handled)
            report.bytes += len(data)
            return True

        for obj in self._list(new.after, self.limits.list_keys):
            if not consider(obj, in_sweep=False):
                return report
            new.after = obj.key
        listed_in_sweep = 0
        for obj in self._list(new.sweep, self.limits.sweep_keys):
            if obj.key > new.after:  # the arrival scan's side of the cursor
                new.sweep = ""
                return report
            listed_in_sweep += 1
            if not consider(obj, in_sweep=True):
                return report
            new.sweep = obj.key
        if listed_in_sweep < self.limits.sweep_keys:
            new.sweep = ""  # reached the end of the prefix: start over next tick
        return report


def quarantine_unread(lake: Lake, bucket: str, obj: S3Object, limit: int) -> dict[str, Any]:
    """Record an object too large to download: listed in quarantine, never silently dropped.

    Its bytes were never read, so the id hashes the key and ETag instead of the content.
    """
    name = source_name(obj.key)
    source = f"s3://{bucket}/{obj.key}"
    doc_id = doc_id_for(name, hashlib.sha256(f"{source}#{obj.etag}".encode()).hexdigest())
    record = {
        "doc_id": doc_id,
        "source": source,
        "file_name": safe_file_name(name),
        "sha256": None,
        "size": obj.size,
        "stage": "s3_upload_sensor",
        "reason": "too_large",
        "message": f"{obj.size} bytes > limit {limit}; not downloaded",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    lake.write_json(quarantine_key(doc_id), record)
    return record
