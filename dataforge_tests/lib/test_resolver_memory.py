"""Mention context vectors, computed block-wise in place: the values of the whole-array formula."""

from __future__ import annotations

import numpy as np

from dataforge.lib.link import resolver


def _whole_array(vectors: np.ndarray, doc_ids: list[str]) -> np.ndarray:
    _, first, inverse = np.unique(np.array(doc_ids), return_index=True, return_inverse=True)
    sums = np.zeros((len(first), vectors.shape[1]))
    np.add.at(sums, inverse, vectors)
    sums /= np.linalg.norm(sums, axis=1, keepdims=True) + 1e-12
    w = resolver.DOCUMENT_WEIGHT
    mixed = w * sums[inverse] + (1 - w) * vectors
    return mixed / (np.linalg.norm(mixed, axis=1, keepdims=True) + 1e-12)


def test_blockwise_context_is_bit_identical_to_the_whole_array_formula(monkeypatch) -> None:
    monkeypatch.setattr(resolver, "CONTEXT_ROWS", 7)  # many blocks, the last one partial
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(100, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    doc_ids = [f"d{int(i)}" for i in rng.integers(0, 9, 100)]
    got = resolver._context(vectors, [{"doc_id": d} for d in doc_ids])
    assert got is not None and got.dtype == np.float64
    assert np.array_equal(got, _whole_array(vectors, doc_ids))
    assert resolver._context(None, [{"doc_id": "d"}]) is None


def test_context_gathers_rows_in_order_bit_identical_to_a_reordered_copy(monkeypatch) -> None:
    monkeypatch.setattr(resolver, "CONTEXT_ROWS", 5)
    rng = np.random.default_rng(11)
    vectors = rng.normal(size=(60, 8)).astype(np.float32)
    ms = [{"doc_id": f"d{int(i)}"} for i in rng.integers(0, 6, 60)]
    order = [int(i) for i in rng.permutation(60)]
    reordered = [ms[i] for i in order]
    got = resolver._context(vectors, reordered, order)
    assert got is not None and np.array_equal(got, resolver._context(vectors[order], reordered))
