"""Token counts with a real tokenizer (cl100k_base, offline) and length histograms.

An example's token count is that of all its content fields joined (what a model reads and
writes during training, give or take the chat template). Histogram edges are powers of two,
so releases of any size share bins and compare at a glance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dataforge.lib.quality.schema import CONTENT_FIELDS, example_kind

EDGES: tuple[int, ...] = (0, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def content_text(example: dict[str, Any]) -> str:
    """The example's content fields as one text (metadata and provenance left out)."""
    fields = CONTENT_FIELDS.get(example_kind(example), ())
    return "\n".join(s for f in fields for s in _strings(example.get(f)))


def counter(name: str = "cl100k_base") -> Callable[[str], int]:
    from dataforge.lib.chunk import token_counter

    return token_counter(name)


def stats(counts: list[int]) -> dict[str, Any]:
    """Summary and power-of-two histogram of a list of token counts."""
    if not counts:
        return {"examples": 0, "total": 0, "mean": 0.0, "p50": 0, "p95": 0, "max": 0, "histogram": []}
    arr = np.asarray(counts)
    top = int(arr.max())
    edges = [e for e in EDGES if e <= top] + [next((e for e in EDGES if e > top), top + 1)]
    hist, _ = np.histogram(arr, bins=edges)
    return {
        "examples": len(counts),
        "total": int(arr.sum()),
        "mean": round(float(arr.mean()), 1),
        "p50": int(np.percentile(arr, 50, method="lower")),
        "p95": int(np.percentile(arr, 95, method="lower")),
        "max": int(arr.max()),
        "histogram": [
            {"from": int(lo), "to": int(hi), "examples": int(n)}
            for lo, hi, n in zip(edges[:-1], edges[1:], hist, strict=True)
        ],
    }
