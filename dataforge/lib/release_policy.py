"""When to cut a release: soon after a burst of uploads, never starved by a steady stream.

Waiting for zero document runs in flight gives one release per burst instead of one per
batch, but under continuous uploads there is never zero: the release would wait for ever.
So the sensor waits for quiet at most ``max_wait`` seconds after it first saw unreleased
documents, then cuts a release of what has finished (documents still in flight go into the
next one). Release runs are never started while another release run is in flight.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ReleaseTiming:
    interval: float = 600.0  # seconds between two releases at least
    max_wait: float = 1800.0  # seconds a change waits for document runs to finish, at most

    @classmethod
    def from_env(cls) -> ReleaseTiming:
        base = cls()
        interval = float(os.environ.get("DATAFORGE_RELEASE_INTERVAL") or base.interval)
        max_wait = float(os.environ.get("DATAFORGE_RELEASE_MAX_WAIT") or max(base.max_wait, interval))
        return cls(interval=interval, max_wait=max_wait)


@dataclass(frozen=True)
class Decision:
    cut: bool
    reason: str
    pending_since: float | None  # when unreleased documents were first seen (kept in the cursor)


def decide(
    now: float,
    timing: ReleaseTiming,
    last_cut_at: float,
    pending_since: float | None,
    changed: bool,
    document_runs: int,
    release_runs: int,
) -> Decision:
    """Whether to cut now. ``changed``: the finished documents differ from the last release."""
    if not changed:
        return Decision(False, "no document changed since the last release", None)
    since = pending_since if pending_since is not None else now
    wait = last_cut_at + timing.interval - now
    if wait > 0:
        message = f"last release cut less than {timing.interval:.0f}s ago; next check in {wait:.0f}s"
        return Decision(False, message, since)
    if release_runs:
        return Decision(False, f"{release_runs} release run(s) queued or in progress; waiting for them", since)
    waited = now - since
    if document_runs and waited < timing.max_wait:
        return Decision(
            False,
            f"{document_runs} document run(s) queued or in progress; waiting for them to finish "
            f"(at most {timing.max_wait - waited:.0f}s more, then releasing what has finished)",
            since,
        )
    why = f"after waiting {waited:.0f}s with {document_runs} document run(s) still in flight" if document_runs else ""
    return Decision(True, why, None)
