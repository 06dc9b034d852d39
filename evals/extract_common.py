"""Shared pieces of the extraction evaluations: paths, machine info, paired timing.

Timings on these 2-core machines are noisy (other jobs share them), so the library call
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


def paired_times(
    items: list[Any],
    baseline: Callable[[Any], Any],
    ours: Callable[[Any], Any],
    rounds: int = 3,
) -> tuple[list[float], list[float]]:
    """Per-item fastest seconds of ``baseline`` and ``ours`` over ``rounds`` interleaved runs.

    Exceptions count as a finished call (a quarantine is a result, and the time spent
    reaching it is real work).
    """
    best_base = [float("inf")] * len(items)
    best_ours = [float("inf")] * len(items)
    for round_no in range(rounds):
        for i, item in enumerate(items):
            order = (baseline, ours) if (i + round_no) % 2 == 0 else (ours, baseline)
            for fn in order:
                start = time.perf_counter()
                try:
                    fn(item)
                except Exception:  # noqa: BLE001 - timing only; outcomes are scored elsewhere
                    pass
                elapsed = time.perf_counter() - start
                if fn is baseline:
                    best_base[i] = min(best_base[i], elapsed)
                else:
                    best_ours[i] = min(best_ours[i], elapsed)
    return best_base, best_ours


def warm_up(fns: list[Callable[[Any], Any]], items: list[Any]) -> None:
    """Load lazy imports, models and caches before anything is timed."""
    for fn in fns:
        for item in items:
            try:
                fn(item)
            except Exception:  # noqa: BLE001 - warm-up only
                pass
