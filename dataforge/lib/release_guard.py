"""A release is built once, by one run: a lock taken atomically, a manifest that seals it.

Two runs of the same release (a sensor tick and a launchpad click, a retry while the first
is still going) would otherwise interleave their writes under one prefix. The first release
stage of a run claims ``gold/releases/<r>/_lock.json`` with a create-only write; a run that
finds the lock held by another run that is still alive refuses with a message naming it. A
lock whose run has ended (failed, canceled, or its process died) is taken over, so a crash
never blocks a release for good. Once ``manifest.json`` exists the release is sealed: its
stages refuse to write again unless the release is explicitly unsealed for a rebuild.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from dataforge.lib.lake import Lake


class ReleaseBusy(RuntimeError):
    """Another run holds the release's lock and is still alive."""


class ReleaseSealed(RuntimeError):
    """The release is complete (its manifest exists); releases are immutable."""


def lock_key(release: str) -> str:
    return f"gold/releases/{release}/_lock.json"


def manifest_key(release: str) -> str:
    return f"gold/releases/{release}/manifest.json"


def _lock_record(run_id: str) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "claimed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def process_alive(lock: dict[str, Any]) -> bool | None:
    """Whether the lock's process still runs: None when it ran on another host (unknowable here)."""
    if lock.get("host") != socket.gethostname() or not isinstance(lock.get("pid"), int):
        return None
    try:
        os.kill(lock["pid"], 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claim(lake: Lake, release: str, run_id: str, holder_alive: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """Take the release for ``run_id`` or raise: ReleaseSealed when complete, ReleaseBusy when
    another live run holds it. ``holder_alive(lock)`` decides whether a foreign lock still counts
    (the Dagster wiring asks the instance about the run and this host about its process)."""
    if lake.exists(manifest_key(release)):
        raise ReleaseSealed(
            f"release {release} is complete (manifest.json exists) and releases are built once: "
            "cut a new release, or rebuild this one on purpose with `dataforge run --rebuild --release "
            f"{release}`"
        )
    key = lock_key(release)
    for _ in range(3):  # lose a race to a takeover at most twice
        if lake.write_new_json(key, _lock_record(run_id)):
            return lake.read_json(key)
        try:
            lock = lake.read_json(key)
        except FileNotFoundError:
            continue  # released between our write and read: try again
        if lock.get("run_id") == run_id:
            return lock
        if holder_alive(lock):
            raise ReleaseBusy(
                f"release {release} is being built by run {lock.get('run_id')} "
                f"(since {lock.get('claimed_at')}, on {lock.get('host')}); this run waits for none "
                "and writes nothing: let that run finish, or cancel it first"
            )
        lake.delete(key)  # its run ended without finishing: take over
    raise ReleaseBusy(f"release {release}: could not take the lock (another run keeps claiming it)")


def release_lock(lake: Lake, release: str, run_id: str) -> None:
    """Drop the lock after the manifest sealed the release (only the holder's own lock)."""
    key = lock_key(release)
    if lake.exists(key) and lake.read_json(key).get("run_id") == run_id:
        lake.delete(key)


def unseal(lake: Lake, release: str) -> bool:
    """Make a complete release buildable again (``dataforge run --rebuild``): its manifest goes
    first, so no reader takes the half-rebuilt prefix for a release. False when not sealed."""
    if not lake.exists(manifest_key(release)):
        return False
    lake.delete(manifest_key(release))
    return True
