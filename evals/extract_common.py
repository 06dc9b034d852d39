"""Shared pieces of the extraction evaluations: paths, machine info, interleaved timing.

Timings on these 2-core machines are noisy (other jobs share them), so the library calls
and dataforge run on the same file back to back, several rounds, and each file keeps its
fastest time per side: ratios come from one run, never from two separate runs.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "bench" / "results"


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
    }


def write_result(name: str, payload: dict[str, Any]) -> Path:
    """bench/results/<name>.json, pretty and stable."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return path


def interleaved_times(
    items: list[Any], fns: dict[str, Callable[[Any], Any]], rounds: int = 3
) -> dict[str, list[float]]:
    """Per-item fastest seconds of every function over ``rounds`` interleaved runs.

    All functions run on one file before the next file, in a rotating order, so a burst of
    load from another process hits every side alike. Exceptions count as a finished call
    (a quarantine is a result, and the time spent reaching it is real work).
    """
    names = list(fns)
    best = {name: [float("inf")] * len(items) for name in names}
    for round_no in range(rounds):
        for i, item in enumerate(items):
            shift = (i + round_no) % len(names)
            for name in names[shift:] + names[:shift]:
                start = time.perf_counter()
                try:
                    fns[name](item)
                except Exception:  # noqa: BLE001 - timing only; outcomes are scored elsewhere
                    pass
                best[name][i] = min(best[name][i], time.perf_counter() - start)
    return best


def warm_up(fns: list[Callable[[Any], Any]], items: list[Any]) -> None:
    """Load lazy imports, models and caches before anything is timed."""
    for fn in fns:
        for item in items:
            try:
                fn(item)
            except Exception:  # noqa: BLE001 - warm-up only
                pass
