"""Deterministic train/validation/test splits by document group, with no leakage.

The rule, in order:

1. Units. Documents linked by an example that spans several of them (multi-hop QA, entity
   profiles: examples built around one entity cluster) form one unit, the connected
   component. An example without source documents is a unit of its own (keyed by its id).
2. Buckets. Each unit gets ``sha256(seed:first doc id)`` as a number in [0, 1) and the split
   whose ratio interval holds it. Adding documents never moves an existing unit.
3. Every split with a non-zero ratio gets a unit, when there are enough documents: while a
   split is empty, the unit whose bucket lies nearest to that split's interval is moved into
   it, taken from a split that keeps at least one unit. If there are fewer units than such
   splits, the largest unit is first broken into single documents (repeated as needed).
4. An example whose documents ended up in different splits (only possible for a unit broken
   in step 3) is dropped and counted as 'cross_split', so no document's text ever reaches two
   splits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from dataforge.lib.quality.dedup import content_key
from dataforge.lib.quality.schema import SPLITS


def _check(ratios: Sequence[float]) -> list[float]:
    total = float(sum(ratios))
    if len(ratios) != 3 or total <= 0 or any(r < 0 for r in ratios):
        raise ValueError(f"split ratios must be three non-negative numbers, got {ratios!r}")
    return [r / total for r in ratios]


def bucket(key: str, seed: int) -> float:
    return int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:16], 16) / 2**64


def _intervals(ratios: Sequence[float]) -> dict[str, tuple[float, float]]:
    out, edge = {}, 0.0
    for name, r in zip(SPLITS, _check(ratios), strict=True):
        out[name] = (edge, edge + r)
        edge += r
    return out


def split_of_document(doc_id: str, ratios: Sequence[float], seed: int) -> str:
    """The natural split of one unit: its bucket's ratio interval."""
    b = bucket(doc_id, seed)
    for name, (lo, hi) in _intervals(ratios).items():
        if lo <= b < hi:
            return name
    return next(n for n, r in reversed(list(zip(SPLITS, ratios, strict=True))) if r > 0)


def _doc_keys(example: dict[str, Any]) -> list[str]:
    docs = sorted({str(d) for d in example.get("source_documents") or []})
    return docs or [f"example:{example.get('id') or content_key(example)}"]


def _components(examples: list[dict[str, Any]]) -> list[list[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ex in examples:
        keys = _doc_keys(ex)
        root = find(keys[0])
        for k in keys[1:]:
            other = find(k)
            if other != root:
                parent[max(root, other)] = min(root, other)
                root = min(root, other)
    groups: dict[str, list[str]] = {}
    for k in list(parent):
        groups.setdefault(find(k), []).append(k)
    return sorted(sorted(g) for g in groups.values())


def _distance(b: float, interval: tuple[float, float]) -> float:
    lo, hi = interval
    return 0.0 if lo <= b < hi else min(abs(b - lo), abs(b - hi), 1 - abs(b - lo), 1 - abs(b - hi))


def assign_units(units: list[list[str]], ratios: Sequence[float], seed: int) -> dict[str, str]:
    """Document key -> split, following steps 2 and 3 of the module rule."""
    intervals = _intervals(ratios)
    needed = [s for s, r in zip(SPLITS, _check(ratios), strict=True) if r > 0]
    units = [list(u) for u in units]
    n_docs = sum(len(u) for u in units)
    while len(units) < len(needed) <= n_docs:
        big = max(units, key=lambda u: (len(u), u))
        units.remove(big)
        units += [[d] for d in big]
    units.sort()
    buckets = [bucket(u[0], seed) for u in units]
    split_of = [split_of_document(u[0], ratios, seed) for u in units]
    for target in needed:
        if target in split_of:
            continue
        counts = {s: split_of.count(s) for s in SPLITS}
        movable = [i for i, s in enumerate(split_of) if counts[s] > 1]
        if not movable:
            break
        i = min(movable, key=lambda i: (_distance(buckets[i], intervals[target]), units[i]))
        split_of[i] = target
    return {d: s for u, s in zip(units, split_of, strict=True) for d in u}


def assign_splits(
    examples: list[dict[str, Any]], ratios: Sequence[float], seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(examples with their ``split``, examples dropped as cross_split)."""
    doc_split = assign_units(_components(examples), ratios, seed)
    kept, dropped = [], []
    for ex in examples:
        splits = {doc_split[k] for k in _doc_keys(ex)}
        if len(splits) > 1:
            dropped.append(ex)
        else:
            kept.append({**ex, "split": splits.pop()})
    return kept, dropped


def split_documents(examples: list[dict[str, Any]]) -> dict[str, int]:
    """How many source documents feed each split (each feeds exactly one)."""
    by_split: dict[str, set[str]] = {s: set() for s in SPLITS}
    for ex in examples:
        by_split[ex["split"]].update(str(d) for d in ex.get("source_documents") or [])
    return {s: len(v) for s, v in by_split.items()}
