"""Deterministic, document-level train/validation/test splits."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from dataforge.lib.quality.dedup import content_key
from dataforge.lib.quality.schema import SPLITS


def split_of_document(doc_id: str, ratios: Sequence[float], seed: int) -> str:
    """Deterministic split of one document: a sha256(seed:doc_id) bucket in [0, 1)."""
    total = float(sum(ratios))
    if len(ratios) != 3 or total <= 0 or any(r < 0 for r in ratios):
        raise ValueError(f"split ratios must be three non-negative numbers, got {ratios!r}")
    bucket = int(hashlib.sha256(f"{seed}:{doc_id}".encode()).hexdigest()[:16], 16) / 2**64
    edge = 0.0
    for name, ratio in zip(SPLITS, ratios, strict=True):
        edge += ratio / total
        if bucket < edge:
            return name
    return next(name for name, r in reversed(list(zip(SPLITS, ratios, strict=True))) if r > 0)


def assign_splits(examples: list[dict[str, Any]], ratios: Sequence[float], seed: int) -> list[dict[str, Any]]:
    """Split by document so no document's text leaks across train/validation/test.

    An example from several documents keeps the split its documents share; when they fall
    in different splits it gets ``split=None`` and the caller drops it (counted as
    ``cross_split``), since keeping it would put a test document's text into training. One
    with no source document is keyed by its own id.
    """
    out = []
    for ex in examples:
        docs = sorted(str(d) for d in ex.get("source_documents") or [])
        keys = docs or [f"example:{ex.get('id', content_key(ex))}"]
        splits = {split_of_document(key, ratios, seed) for key in keys}
        out.append({**ex, "split": splits.pop() if len(splits) == 1 else None})
    return out


def _split_documents(examples: list[dict[str, Any]]) -> dict[str, int]:
    """How many documents (by sorted first doc id) landed in each split."""
    by_split: dict[str, set[str]] = {s: set() for s in SPLITS}
    for ex in examples:
        docs = sorted(str(d) for d in ex.get("source_documents") or [])
        if docs:
            by_split[ex["split"]].add(docs[0])
    return {s: len(v) for s, v in by_split.items()}
