"""Long documents in bounded memory: the block-wise computations give what the whole-matrix
ones gave, across block boundaries, so a 10 MB document gets the same answers a 10 KB one would."""

from __future__ import annotations

import numpy as np
import pytest

from dataforge.lib.generate import summary
from dataforge.lib.quality import semantic


def _whole_matrix_centrality(vectors: np.ndarray, edge_threshold: float) -> np.ndarray:
    """PacSum as written in the paper: build every edge, sum later and earlier ones per row."""
    unit = summary.unit_rows(["x"] * len(vectors), vectors)
    sim = unit @ unit.T
    n = len(sim)
    off = sim[~np.eye(n, dtype=bool)]
    lo, hi = off.min(), off.max()
    edges = np.clip(sim - (lo + edge_threshold * (hi - lo)), 0.0, None)
    np.fill_diagonal(edges, 0.0)
    score = summary.FORWARD_WEIGHT * np.triu(edges, 1).sum(1) + summary.BACKWARD_WEIGHT * np.tril(edges, -1).sum(1)
    score -= score.min()
    return score / score.max()


def _single_scan_duplicates(vectors: np.ndarray, threshold: float) -> dict[int, tuple[int, float]]:
    """Greedy dedup one text at a time against every kept text (the definition)."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    removed, kept = {}, []
    for i, vector in enumerate(unit):
        if kept:
            sims = unit[kept] @ vector
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                removed[i] = (kept[j], round(float(sims[j]), 4))
                continue
        kept.append(i)
    return removed


@pytest.mark.parametrize("edge_threshold", [0.0, 0.3])
def test_blockwise_centrality_equals_the_whole_matrix_across_blocks(monkeypatch, edge_threshold: float) -> None:
    monkeypatch.setattr(summary, "BLOCK_ROWS", 32)  # 300 rows: ten blocks, the last one partial
    monkeypatch.setattr(summary, "EDGE_THRESHOLD", edge_threshold)
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(300, 24)) + rng.normal(size=24)
    expected = _whole_matrix_centrality(vectors, edge_threshold)
    got = summary.directed_centrality(summary.unit_rows(["x"] * 300, vectors))
    np.testing.assert_allclose(got, expected, atol=1e-9)


def test_summary_selection_does_not_depend_on_the_block_size(monkeypatch) -> None:
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(500, 16)) + rng.normal(size=16) * 0.5
    texts = [f"Sentence number {i} says something about the offshore wind farm." for i in range(500)]
    whole = summary.select(texts, 9, vectors)
    monkeypatch.setattr(summary, "BLOCK_ROWS", 17)
    assert summary.select(texts, 9, vectors) == whole
    assert len(set(whole)) == 9 and whole == sorted(whole)


@pytest.mark.parametrize("threshold", [0.9, 0.99])
def test_blockwise_semantic_dedup_equals_a_single_scan(monkeypatch, threshold: float) -> None:
    monkeypatch.setattr(semantic, "BLOCK", 16)  # many blocks; duplicates fall inside and across them
    rng = np.random.default_rng(11)
    originals = rng.normal(size=(60, 12))
    vectors = originals[rng.integers(0, 60, 400)] + rng.normal(size=(400, 12)) * 0.05
    texts = [str(i) for i in range(400)]
    got = semantic.semantic_duplicates(texts, threshold, lambda batch: vectors[[int(t) for t in batch]])
    expected = _single_scan_duplicates(vectors, threshold)
    assert got.keys() == expected.keys() and len(got) > 100
    assert all(got[i][0] == expected[i][0] and abs(got[i][1] - expected[i][1]) < 1e-3 for i in got)
