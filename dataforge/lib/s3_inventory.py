"""What the S3 upload watcher has seen: key -> ETag digest for every object under the watched
prefix, kept in the lake under ``state/s3_watch/<watch id>/``.

Why in the lake and not in the sensor cursor: Dagster writes the cursor into ``job_ticks`` on
every tick and never purges successful ticks, so a cursor holding 20 000 ETags (~533 KB) cost
gigabytes a day. The cursor now holds two keys and a generation number; the inventory is
written only in a tick where something changed.

Why shards by key range: a tick looks at two narrow key ranges (the newest keys, found by the
arrival scan, and the page the sweep lists), so it reads the index and the two or three shards
that cover them, whatever the size of the bucket. A shard splits when it grows past
``SHARD_MAX`` keys and disappears when it empties.

Why generations: the cursor, stored by Dagster together with the tick's run requests, names the
generation it was computed against. A tick never changes a generation in place; it writes
generation g+1 (new shard objects for what changed, a new index) and returns g+1 in its cursor.
If that cursor is never stored (the daemon dies between evaluating a tick and committing it), the
next tick reads g again and redoes the work, instead of treating keys as known whose runs were
never requested. Generations older than the one read are deleted once a newer one is written.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import zlib
from dataclasses import dataclass, field

from dataforge.lib.lake import Lake

STATE_PREFIX = "state/s3_watch"
SHARD_MAX = 4000  # keys per shard object (~40 KB compressed); a larger one splits in halves


def watch_root(uri: str) -> str:
    """One folder per watched prefix, so two sensors on different prefixes never mix."""
    return f"{STATE_PREFIX}/{hashlib.sha256(uri.encode()).hexdigest()[:16]}"


@dataclass
class _Shard:
    first: str  # lowest key this shard may hold; the next shard's ``first`` bounds it above
    id: str | None  # object name; None for a shard never written (the empty inventory)
    count: int
    entries: dict[str, str] | None = None  # loaded lazily: key -> digest
    dirty: bool = False


@dataclass
class Inventory:
    """A generation of the inventory, loaded lazily, changed in memory, written by ``commit``."""

    lake: Lake
    root: str
    generation: int = 0
    prefix: str = ""  # stripped from stored keys: every key under a watch starts with it
    shards: list[_Shard] = field(default_factory=list)
    reads: int = 0  # lake GETs this inventory made (index + shards), for the benchmark
    writes: int = 0
    _bounds: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, lake: Lake, root: str, generation: int, prefix: str = "") -> Inventory:
        """Generation 0 is the empty inventory and has no objects."""
        inventory = cls(lake, root, generation, prefix)
        if generation <= 0:
            inventory.shards = [_Shard("", None, 0, {})]
            return inventory
        index = json.loads(lake.read_bytes(inventory._index_key(generation)))
        inventory.reads += 1
        inventory.shards = [_Shard(first, shard_id, count) for first, shard_id, count in index["shards"]]
        return inventory

    def _index_key(self, generation: int) -> str:
        return f"{self.root}/index/{generation:010d}.json"

    def _shard_key(self, shard_id: str) -> str:
        return f"{self.root}/shards/{shard_id}.json.z"

    def _entries(self, shard: _Shard) -> dict[str, str]:
        if shard.entries is None and shard.id is None:
            shard.entries = {}
        if shard.entries is None:
            rows = json.loads(zlib.decompress(self.lake.read_bytes(self._shard_key(shard.id or ""))))
            self.reads += 1
            shard.entries = {self.prefix + key: digest for key, digest in rows}
        return shard.entries

    def _firsts(self) -> list[str]:
        if len(self._bounds) != len(self.shards):  # shards change only in open and commit
            self._bounds = [s.first for s in self.shards]
        return self._bounds

    def _shard_for(self, key: str) -> _Shard:
        return self.shards[bisect.bisect_right(self._firsts(), key) - 1]

    def __len__(self) -> int:
        return sum(len(s.entries) if s.entries is not None else s.count for s in self.shards)

    def get(self, key: str) -> str | None:
        return self._entries(self._shard_for(key)).get(key)

    def put(self, key: str, digest: str) -> None:
        shard = self._shard_for(key)
        entries = self._entries(shard)
        if entries.get(key) != digest:
            entries[key] = digest
            shard.dirty = True

    def forget(self, key: str) -> None:
        shard = self._shard_for(key)
        if self._entries(shard).pop(key, None) is not None:
            shard.dirty = True

    def keys_between(self, after: str, until: str | None) -> list[str]:
        """Remembered keys ``k`` with ``after < k <= until`` (no upper bound when ``until`` is None)."""
        firsts = self._firsts()
        start = max(0, bisect.bisect_right(firsts, after) - 1)
        stop = len(self.shards) if until is None else bisect.bisect_right(firsts, until)
        found = []
        for shard in self.shards[start:stop]:
            found += [k for k in self._entries(shard) if k > after and (until is None or k <= until)]
        return sorted(found)

    @property
    def changed(self) -> bool:
        return any(s.dirty for s in self.shards)

    def commit(self) -> int:
        """Write the next generation if anything changed and return its number (else the same)."""
        if not self.changed:
            return self.generation
        generation = self.generation + 1
        shards: list[_Shard] = []
        written = 0
        for shard in self.shards:
            if not shard.dirty:
                shards.append(shard)
                continue
            keys = sorted(shard.entries or {})
            parts = max(1, -(-len(keys) // (SHARD_MAX // 2))) if len(keys) > SHARD_MAX else 1
            size = -(-len(keys) // parts) if keys else 0
            for part in range(parts):
                chunk = keys[part * size : (part + 1) * size]
                if not chunk:
                    continue  # an emptied shard: its range joins the previous shard's
                shard_id = f"{generation:010d}-{written:05d}"
                written += 1
                rows = [[k[len(self.prefix) :], shard.entries[k]] for k in chunk]  # type: ignore[index]
                body = zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 6)
                self.lake.write_bytes(self._shard_key(shard_id), body)
                self.writes += 1
                first = shard.first if part == 0 else chunk[0]
                shards.append(_Shard(first, shard_id, len(chunk), {k: shard.entries[k] for k in chunk}))  # type: ignore[index]
        if not shards:
            shards = [_Shard("", None, 0, {})]
        shards[0].first = ""  # the first shard always covers everything below the second
        index = {
            "v": 1,
            "generation": generation,
            "keys": sum(s.count for s in shards),
            "shards": [[s.first, s.id, s.count] for s in shards],
        }
        self.lake.write_bytes(self._index_key(generation), json.dumps(index, separators=(",", ":")).encode())
        self.writes += 1
        # the generation read stays whole (ids of edited shards are still the old ones here)
        self._collect(keep={self.generation, generation}, live={s.id for s in shards + self.shards})
        self.generation, self.shards, self._bounds = generation, shards, []
        return generation

    def _collect(self, keep: set[int], live: set[str | None]) -> None:
        """Delete indexes outside ``keep`` and shards no kept index names (also what a tick whose
        cursor was lost left behind). One listing of the watch's folder, only on a writing tick."""
        for key in self.lake.list(self.root):
            name = key.rsplit("/", 1)[-1]
            if key.startswith(f"{self.root}/index/"):
                stale = name.removesuffix(".json").isdigit() and int(name.removesuffix(".json")) not in keep
            else:
                stale = key.startswith(f"{self.root}/shards/") and name.removesuffix(".json.z") not in live
            if stale:
                self.lake.delete(key)

    def stored_bytes(self) -> int:
        """Bytes of the current generation's objects (index + shards), for the benchmark."""
        total = len(self.lake.read_bytes(self._index_key(self.generation))) if self.generation else 0
        for shard in self.shards:
            if shard.id:
                total += len(self.lake.read_bytes(self._shard_key(shard.id)))
        return total
