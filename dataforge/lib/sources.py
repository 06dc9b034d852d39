"""Documents that sit in, or keep arriving in, an S3 bucket.

``iter_s3_objects`` reads everything under a prefix once (``dataforge ingest s3://...``).
``S3Watcher`` is the upload sensor's reader: what is new or changed since the last look, in
steps small enough for a sensor tick.

Key convention for uploads
--------------------------
The watcher pages with ``list_objects_v2(StartAfter=<cursor>)``, so a tick costs one listing
page however large the prefix grows. That finds every new upload on the next tick only when keys
sort by arrival: put a UTC timestamp right after the watched prefix, e.g.
``incoming/2025/06/01/123005123456-report.pdf`` (``arrival_key`` builds one). The cursor moves
only over keys of that form, so a key outside it (``incoming/report.pdf``) is ingested where the
scan meets it but never hides the uploads that follow. Keys that sort before the cursor (an old
stamp, ``incoming/0-late.pdf``), re-uploads of an existing key, deletions and objects that failed
to download are found by the sweep: a full listing of the prefix spread over ticks,
``sweep_keys`` keys a tick, compared with the inventory of ETags kept in the lake
(``lib/s3_inventory.py``).
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
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from dataforge.lib.ingest import doc_id_for, quarantine_key, safe_file_name
from dataforge.lib.lake import Lake, s3_client
from dataforge.lib.s3_inventory import Inventory, watch_root

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
    modified: datetime | None = None


def etag_digest(etag: str) -> str:
    """48 bits of the ETag: enough to tell versions of one key apart, small in the inventory."""
    return hashlib.blake2b(etag.strip('"').encode(), digest_size=6).hexdigest()


_CONVENTION = re.compile(r"(\d{4})/(\d{2})/(\d{2})/(\d{2})(\d{2})(\d{2})(\d{6})-[^/]+")
CLOCK_SKEW = timedelta(minutes=5)  # an uploader's clock may run this far ahead of S3's


def arrival_time(prefix: str, key: str) -> datetime | None:
    """The stamp of a key that follows the convention (``arrival_key``), else None."""
    if not key.startswith(prefix):
        return None
    match = _CONVENTION.fullmatch(key[len(prefix) :].lstrip("/"))
    if not match:
        return None
    try:
        return datetime(*(int(part) for part in match.groups()), tzinfo=UTC)
    except ValueError:  # 2025/13/45/...: digits, but no date
        return None


@dataclass
class WatchState:
    """The sensor cursor: where the arrival scan and the sweep stand, and which generation of
    the inventory (``lib/s3_inventory.py``) they were computed against. A few hundred bytes
    whatever the bucket size: keys are at most 1 024 bytes."""

    after: str = ""
    sweep: str = ""
    generation: int = 0
    legacy: dict[str, str] = field(default_factory=dict)  # ETags of a v1 cursor, moved to the inventory

    def encode(self) -> str:
        return json.dumps(
            {"v": 2, "after": self.after, "sweep": self.sweep, "gen": self.generation}, separators=(",", ":")
        )

    @classmethod
    def decode(cls, text: str | None) -> WatchState:
        """Also reads v1 cursors, which carried the ETags themselves (zlib+base64 once large)."""
        if not text:
            return cls()
        if text.startswith("z1:"):
            text = zlib.decompress(base64.b64decode(text[3:])).decode()
        data = json.loads(text)
        return cls(data.get("after", ""), data.get("sweep", ""), int(data.get("gen", 0)), dict(data.get("etags", {})))


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
        )


@dataclass
class WatchReport:
    """What one poll did, for the sensor's skip reason, logs and tests."""

    state: WatchState
    inventory: Inventory
    handled: list[S3Object] = field(default_factory=list)
    too_large: list[S3Object] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)  # remembered keys the sweep no longer lists
    listed: int = 0
    unchanged: int = 0
    behind_cursor: int = 0  # never-seen keys the sweep found: uploads that ignore the key convention
    reuploads: int = 0  # known keys whose ETag changed
    stopped_by: str = ""  # "objects", "bytes" or "time" when a budget ended the tick early
    bytes: int = 0


class _Listing:
    """Up to ``limit`` objects after ``start_after``, in key order, a page at a time; ``ended``
    tells afterwards whether the listing reached the end of the prefix."""

    def __init__(self, watcher: S3Watcher, start_after: str, limit: int):
        self.watcher, self.start_after, self.limit, self.ended = watcher, start_after, limit, False

    def __iter__(self) -> Iterator[S3Object]:
        w = self.watcher
        start_after = max(self.start_after, w.prefix)
        token: str | None = None
        remaining = self.limit
        while remaining > 0:
            kwargs: dict[str, Any] = {"Bucket": w.bucket, "Prefix": w.prefix, "MaxKeys": min(1000, remaining)}
            kwargs.update({"ContinuationToken": token} if token else {"StartAfter": start_after} if start_after else {})
            page = w.client.list_objects_v2(**kwargs)
            for item in page.get("Contents", []):
                remaining -= 1
                etag = item.get("ETag", "").strip('"')
                yield S3Object(item["Key"], etag, int(item.get("Size", 0)), item.get("LastModified"))
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                self.ended = True
                return


class S3Watcher:
    """Finds new, changed and deleted objects under ``s3://bucket/prefix/`` within a tick's budget.

    Two listings a tick: the arrival scan after the cursor key, and one page of the sweep, a
    full listing of the prefix spread over ticks. The cursor advances only over keys that follow
    the convention (``arrival_time``), so an odd key (``incoming/report.pdf`` sorts after every
    ``incoming/2025/...`` key) is handled where the scan meets it without carrying the cursor
    past the uploads that come after it. The ETags seen live in the lake (``Inventory``): never
    evicted, so an unchanged object is never downloaded twice at any bucket size.
    """

    def __init__(
        self,
        client: Any,
        uri: str,
        lake: Lake,
        limits: WatchLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.client = client
        self.bucket, self.prefix = split_uri(uri)
        self.lake, self.root = lake, watch_root(f"s3://{self.bucket}/{self.prefix}")
        self.limits = limits or WatchLimits()
        self.clock = clock

    def follows_convention(self, obj: S3Object) -> bool:
        """A stamped key no later than S3's own clock allows: a key stamped in the future (a
        wrong clock, ``2099/...``) would carry the cursor past every real upload until then."""
        stamp = arrival_time(self.prefix, obj.key)
        if stamp is None or not wanted(obj.key):  # a partial upload's final name sorts before it
            return False
        return obj.modified is None or stamp <= obj.modified.astimezone(UTC) + CLOCK_SKEW

    def poll(self, state: WatchState, handle: Callable[[S3Object, bytes], None]) -> WatchReport:
        """Download what is new or changed and pass it to ``handle``; returns the next state.

        An error from ``handle`` propagates before the inventory is written (the tick fails, the
        cursor stays, the next tick retries). A download that fails is reported, not remembered,
        and retried by the sweep. Keys the sweep no longer lists are in ``report.deleted``,
        already forgotten by the inventory generation the new state names.
        """
        inventory = Inventory.open(self.lake, self.root, state.generation, self.prefix)
        for key, digest in state.legacy.items():
            inventory.put(key, digest)
        report = WatchReport(state=WatchState(state.after, state.sweep, state.generation), inventory=inventory)
        self._scan_and_sweep(report, handle)
        report.state.generation = inventory.commit()
        return report

    def _scan_and_sweep(self, report: WatchReport, handle: Callable[[S3Object, bytes], None]) -> None:
        started = self.clock()
        new, inventory = report.state, report.inventory

        def consider(obj: S3Object, in_sweep: bool) -> bool:
            """False when a budget says stop before this object."""
            report.listed += 1
            if not wanted(obj.key):
                return True
            known = inventory.get(obj.key)
            if known == etag_digest(obj.etag):
                report.unchanged += 1
                return True
            if obj.size > self.limits.max_object_bytes:
                report.too_large.append(obj)
                inventory.put(obj.key, etag_digest(obj.etag))
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
                if known is not None:
                    report.reuploads += 1
                else:
                    report.behind_cursor += 1
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=obj.key)
                data = response["Body"].read()
            except Exception as error:  # noqa: BLE001 - reported; the sweep retries it
                report.failed[obj.key] = f"{type(error).__name__}: {error}"
                return True
            handled = S3Object(obj.key, response.get("ETag", obj.etag).strip('"'), len(data), obj.modified)
            handle(handled, data)
            inventory.put(handled.key, etag_digest(handled.etag))
            report.handled.append(handled)
            report.bytes += len(data)
            return True

        for obj in _Listing(self, new.after, self.limits.list_keys):
            if not consider(obj, in_sweep=False):
                return
            if self.follows_convention(obj):
                new.after = obj.key
        start, listed = new.sweep, set()
        sweep = _Listing(self, start, self.limits.sweep_keys)
        for obj in sweep:
            if not consider(obj, in_sweep=True):
                break
            listed.add(obj.key)
            new.sweep = obj.key
        finished = sweep.ended and not report.stopped_by
        if listed or finished:
            # a remembered key inside the range this page covered, but not in it, was deleted
            for key in inventory.keys_between(start, None if finished else new.sweep):
                if key not in listed:
                    report.deleted.append(key)
                    inventory.forget(key)
        if finished:
            new.sweep = ""  # the cycle is complete: start over next tick


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
