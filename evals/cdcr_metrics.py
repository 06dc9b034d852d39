"""Coreference metrics: MUC, B-cubed, CEAF-e and their average (CoNLL F1).

Clusters are compared as sets of mention ids; singletons count (gold mentions are given, so
every mention is in exactly one gold and one predicted cluster).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from scipy.optimize import linear_sum_assignment


def clusters_from(assignments: dict[str, str]) -> list[set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for mention, cluster in assignments.items():
        groups[cluster].add(mention)
    return list(groups.values())


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _prf(p: float, r: float) -> dict[str, float]:
    return {"p": round(100 * p, 2), "r": round(100 * r, 2), "f1": round(100 * _f1(p, r), 2)}


def _muc_side(keys: Iterable[set[str]], responses: list[set[str]]) -> float:
    where = {m: i for i, cluster in enumerate(responses) for m in cluster}
    numerator = denominator = 0
    for key in keys:
        parts = {where.get(m, ("alone", m)) for m in key}
        numerator += len(key) - len(parts)
        denominator += len(key) - 1
    return numerator / denominator if denominator else 0.0


def muc(gold: list[set[str]], pred: list[set[str]]) -> dict[str, float]:
    return _prf(_muc_side(pred, gold), _muc_side(gold, pred))


def _b3_side(keys: list[set[str]], responses: list[set[str]]) -> float:
    where = {m: i for i, cluster in enumerate(responses) for m in cluster}
    total = sum(len(k) for k in keys)
    score = 0.0
    for key in keys:
        counts: dict[int, int] = defaultdict(int)
        for m in key:
            if m in where:
                counts[where[m]] += 1
        score += sum(c * c for c in counts.values()) / len(key)
    return score / total if total else 0.0


def b_cubed(gold: list[set[str]], pred: list[set[str]]) -> dict[str, float]:
    return _prf(_b3_side(pred, gold), _b3_side(gold, pred))


def ceaf_e(gold: list[set[str]], pred: list[set[str]]) -> dict[str, float]:
    """Entity-based CEAF with phi4 similarity and the optimal one-to-one alignment."""
    where = {m: j for j, cluster in enumerate(pred) for m in cluster}
    similarity = np.zeros((len(gold), len(pred)))
    for i, key in enumerate(gold):
        overlap: dict[int, int] = defaultdict(int)
        for m in key:
            if m in where:
                overlap[where[m]] += 1
        for j, shared in overlap.items():
            similarity[i, j] = 2 * shared / (len(key) + len(pred[j]))
    rows, cols = linear_sum_assignment(-similarity)
    best = float(similarity[rows, cols].sum())
    return _prf(best / len(pred) if pred else 0.0, best / len(gold) if gold else 0.0)


def score(gold: dict[str, str], pred: dict[str, str]) -> dict[str, object]:
    """All three metrics and CoNLL F1 for two ``{mention_id: cluster}`` maps over the same mentions."""
    g, p = clusters_from(gold), clusters_from(pred)
    results: dict[str, object] = {"muc": muc(g, p), "b_cubed": b_cubed(g, p), "ceaf_e": ceaf_e(g, p)}
    results["conll_f1"] = round(sum(results[k]["f1"] for k in ("muc", "b_cubed", "ceaf_e")) / 3, 2)
    results["clusters"] = len(p)
    return results
