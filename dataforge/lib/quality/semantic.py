"""Semantic dedup of examples: cosine of sentence embeddings, greedy in the caller's order.

Exact dedup misses paraphrases ('When was X founded?' / 'In which year was X founded?');
examples of the same kind whose dedup texts embed closer than the threshold are near-copies
for training purposes. A text is removed when its cosine to an earlier *kept* text reaches
the threshold, so a chain a~b~c with a, c far apart keeps a and c.

Two searches give that decision:

- ``exact_duplicates`` compares each block of texts with every text kept so far in one matrix
  product: O(n * kept) time. It is the reference, and the cheaper one for small inputs.
- ``ann_duplicates`` looks each block up in a faiss inverted-file index (IVF) of the kept
  vectors: a query only scans the few cells nearest to it, so time grows about as
  n * kept / nlist * nprobe. IVF rather than HNSW because its adds and searches are
  deterministic (HNSW's parallel inserts build a different graph run to run), and releases
  are rebuilt and compared byte for byte. A near-duplicate (cosine >= 0.9) sits next to its
  original, so it almost always falls in one of the probed cells; the recall against the exact
  method is measured in ``bench.scale_dedup``.

``semantic_duplicates`` picks the exact search below ``ANN_MIN`` vectors per call (where the
index training costs more than it saves, and where every sample release falls), the index above.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

Embed = Callable[[list[str]], np.ndarray]
Method = Literal["auto", "exact", "ann"]
Duplicates = dict[int, tuple[int, float]]
BLOCK = 256  # texts compared with the kept ones in one matrix product / one index search
ANN_MIN = 20_000  # vectors per call from which the index is cheaper (bench.scale_dedup measures it)
NPROBE = 16  # cells each query scans
CANDIDATES = 4  # nearest kept vectors returned per query; the best one decides
TRAIN_SEED = 13
TRAIN_PER_CELL = 39  # training vectors per cell (faiss warns below): cells only route queries
THREADS = 1  # faiss threads: on shared cores, OpenMP's waiting costs more than it parallelizes


def semantic_duplicates(texts: Sequence[str], threshold: float, embed: Embed, method: Method = "auto") -> Duplicates:
    """Index -> (index of the earlier kept text it duplicates, cosine) for every removed text."""
    if len(texts) < 2 or threshold <= 0:
        return {}
    return vector_duplicates(np.asarray(embed(list(texts)), dtype=np.float32), threshold, method)


def vector_duplicates(vectors: np.ndarray, threshold: float, method: Method = "auto") -> Duplicates:
    """``semantic_duplicates`` over vectors already computed (per document, by the pods)."""
    if len(vectors) < 2 or threshold <= 0:
        return {}
    unit = _normalized(vectors)
    if method == "exact" or (method == "auto" and len(unit) < ANN_MIN):
        return exact_duplicates(unit, threshold)
    return ann_duplicates(unit, threshold)


def _normalized(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _within_block(
    block: np.ndarray, first: int, earlier: list[tuple[int, float]], threshold: float, kept: list[int], rows: np.ndarray
) -> tuple[Duplicates, list[int]]:
    """Greedy decisions for one block, given each text's best earlier kept match (position in
    ``kept``, cosine; -1 when none): also compared with the texts kept earlier in this block.
    Returns the removed texts and the block offsets kept, whose vectors are appended to ``rows``."""
    removed: Duplicates = {}
    new: list[int] = []
    before = len(kept)
    for offset, vector in enumerate(block):
        best, best_sim = earlier[offset]
        if new:
            sims = rows[before : before + len(new)] @ vector
            j = int(np.argmax(sims))
            if sims[j] > best_sim:  # a tie keeps the earlier kept text, as a single scan would
                best, best_sim = before + j, float(sims[j])
        if best >= 0 and best_sim >= threshold:
            removed[first + offset] = (kept[best], round(best_sim, 4))
            continue
        rows[before + len(new)] = vector
        new.append(offset)
        kept.append(first + offset)
    return removed, new


def _greedy(
    unit: np.ndarray,
    threshold: float,
    nearest: Callable[[np.ndarray, np.ndarray, int], list[tuple[int, float]]],
    kept_now: Callable[[np.ndarray], None] = lambda added: None,
) -> Duplicates:
    """The one greedy pass: per block, ``nearest(block, kept_rows, n_kept)`` gives each text its
    closest earlier kept vector (index in keeping order, cosine), the block is settled exactly,
    and ``kept_now`` hears of the vectors the block kept. Kept vectors are appended to one
    preallocated array, never copied whole (that copy made 50k examples take minutes)."""
    removed: Duplicates = {}
    rows = np.empty_like(unit)
    kept: list[int] = []
    for first in range(0, len(unit), BLOCK):
        block = unit[first : first + BLOCK]
        before = len(kept)
        earlier = nearest(block, rows, before) if kept else [(-1, -np.inf)] * len(block)
        found, new = _within_block(block, first, earlier, threshold, kept, rows)
        removed.update(found)
        if new:
            kept_now(rows[before : before + len(new)])
    return removed


def _exact_nearest(block: np.ndarray, rows: np.ndarray, n_kept: int) -> list[tuple[int, float]]:
    sims = block @ rows[:n_kept].T
    best = np.argmax(sims, axis=1)
    return [(int(j), float(sims[o, j])) for o, j in enumerate(best)]


def exact_duplicates(unit: np.ndarray, threshold: float) -> Duplicates:
    """The reference search over unit vectors: each block against every kept vector in one matrix product."""
    return _greedy(unit, threshold, _exact_nearest)


def ann_index(unit: np.ndarray) -> object:
    """An empty IVF index over inner products, its cells trained on (a sample of) all the
    vectors of the call: the kept ones are a subset of them, so the cells fit."""
    import faiss

    n, dim = unit.shape
    nlist = max(1, min(n // TRAIN_PER_CELL, int(2 * math.sqrt(n))))
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = unit[np.sort(np.random.default_rng(TRAIN_SEED).permutation(n)[: nlist * TRAIN_PER_CELL])]
    kmeans = faiss.Kmeans(dim, nlist, niter=10, seed=TRAIN_SEED, spherical=True)
    kmeans.train(sample)
    quantizer.add(kmeans.centroids)
    index.is_trained = True
    index.nprobe = min(NPROBE, nlist)
    return index


def ann_duplicates(unit: np.ndarray, threshold: float) -> Duplicates:
    """The greedy decisions of ``exact_duplicates``, each block looked up in an IVF index of the
    kept vectors instead of compared with all of them; within a block, exact as before."""
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(THREADS)
    try:
        return _ann_search(ann_index(unit), unit, threshold)
    finally:
        faiss.omp_set_num_threads(threads)


def _ann_search(index: object, unit: np.ndarray, threshold: float) -> Duplicates:
    def nearest(block: np.ndarray, rows: np.ndarray, n_kept: int) -> list[tuple[int, float]]:
        return _best(*index.search(block, min(CANDIDATES, n_kept)))  # type: ignore[attr-defined]

    return _greedy(unit, threshold, nearest, index.add)  # type: ignore[attr-defined]  # ids = keeping order


def _best(sims: np.ndarray, ids: np.ndarray) -> list[tuple[int, float]]:
    """Per query, the highest cosine among its candidates (faiss sorts them) and, on a tie, the
    earliest kept one, as the exact argmax picks; (-1, -inf) where none was found."""
    top = sims[:, :1]
    tied = np.where((sims == top) & (ids >= 0), ids, np.iinfo(np.int64).max).min(axis=1)
    return [(int(j), float(t)) if i >= 0 else (-1, -np.inf) for j, t, i in zip(tied, top[:, 0], ids[:, 0], strict=True)]
