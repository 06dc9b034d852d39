"""Semantic dedup through the faiss index: the same greedy decisions as the exact search.

The index is only worth having if it removes the examples the exact method removes, as
duplicates of the same kept examples, on vectors with planted paraphrases across the threshold.
"""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from dataforge.lib.quality import semantic


def _planted(n: int, dim: int = 32, seed: int = 5) -> tuple[np.ndarray, dict[int, int]]:
    """Topic-clustered vectors; a fifth of them paraphrase an earlier one at cosine 0.9-0.999."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(20, dim))
    vectors = topics[rng.integers(0, 20, n)] + rng.normal(size=(n, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    planted = {}
    for i in range(1, n):
        if rng.random() < 0.2:
            j = int(rng.integers(0, i))
            away = rng.normal(size=dim)
            away -= (away @ vectors[j]) * vectors[j]
            away /= np.linalg.norm(away)
            cosine = rng.uniform(0.9, 0.999)
            vectors[i] = cosine * vectors[j] + np.sqrt(1 - cosine**2) * away
            planted[i] = j
    return vectors.astype(np.float32), planted


def _single_scan(vectors: np.ndarray, threshold: float) -> dict[int, int]:
    """The definition, one text at a time: removed when an earlier kept text is close enough."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    kept: list[int] = []
    removed = {}
    for i, v in enumerate(unit):
        if kept:
            sims = unit[kept] @ v
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                removed[i] = kept[j]
                continue
        kept.append(i)
    return removed


@pytest.mark.parametrize("threshold", [0.95, 0.97])
def test_the_index_removes_what_the_exact_method_removes(monkeypatch, threshold: float) -> None:
    monkeypatch.setattr(semantic, "BLOCK", 64)  # many blocks: duplicates fall inside and across them
    vectors, planted = _planted(4000)
    exact = semantic.vector_duplicates(vectors, threshold, "exact")
    ann = semantic.vector_duplicates(vectors, threshold, "ann")
    assert len(exact) > 200 and set(exact) <= set(planted)
    assert (
        {i: j for i, (j, _) in ann.items()} == {i: j for i, (j, _) in exact.items()} == _single_scan(vectors, threshold)
    )
    assert all(abs(ann[i][1] - exact[i][1]) < 1e-3 for i in ann)


def test_a_chain_keeps_both_ends_with_either_search() -> None:
    a = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    c = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    b = (a + c) / np.sqrt(2)  # cosine 0.707 to a and to c; a and c orthogonal
    vectors = np.stack([a, b, c, a * 2])
    for method in ("exact", "ann"):
        assert semantic.vector_duplicates(vectors, 0.7, method) == {1: (0, 0.7071), 3: (0, 1.0)}  # type: ignore[arg-type]


def test_auto_uses_the_exact_search_below_the_cutoff_and_the_index_above(monkeypatch) -> None:
    vectors, _ = _planted(600)
    calls: list[str] = []
    monkeypatch.setattr(semantic, "exact_duplicates", lambda u, t: calls.append("exact") or {})
    monkeypatch.setattr(semantic, "ann_duplicates", lambda u, t: calls.append("ann") or {})
    monkeypatch.setattr(semantic, "ANN_MIN", 601)
    semantic.vector_duplicates(vectors, 0.97)
    monkeypatch.setattr(semantic, "ANN_MIN", 600)
    semantic.vector_duplicates(vectors, 0.97)
    assert calls == ["exact", "ann"]


def test_the_index_is_deterministic_and_leaves_faiss_threads_as_it_found_them() -> None:
    vectors, _ = _planted(3000, seed=9)
    before = faiss.omp_get_max_threads()
    first = semantic.ann_duplicates(vectors, 0.96)
    assert faiss.omp_get_max_threads() == before
    assert semantic.ann_duplicates(vectors.copy(), 0.96) == first


def test_semantic_duplicates_embeds_once_and_skips_trivial_inputs() -> None:
    vectors, _ = _planted(300)
    batches: list[int] = []

    def embed(texts: list[str]) -> np.ndarray:
        batches.append(len(texts))
        return vectors[[int(t) for t in texts]]

    texts = [str(i) for i in range(300)]
    assert semantic.semantic_duplicates(texts, 0.95, embed, "ann") == semantic.vector_duplicates(vectors, 0.95, "exact")
    assert batches == [300]
    assert semantic.semantic_duplicates(texts[:1], 0.95, embed) == {}
    assert semantic.semantic_duplicates(texts, 0, embed) == {}
