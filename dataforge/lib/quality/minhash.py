"""Near-duplicate documents with MinHash and LSH banding, vectorized with numpy.

Each document becomes the set of its word n-gram shingles; every shingle is hashed once
(blake2b, 64 bits, so results do not depend on PYTHONHASHSEED) and ``num_perm`` universal
hashes ``(a * x + b) mod 2**64 >> 32`` are applied as one (num_perm x shingles) matrix. LSH
banding proposes candidate pairs; each candidate is then verified on its signatures:

- ``jaccard``: estimated |A & B| / |A | B| >= threshold;
- ``containment``: estimated |A & B| / min(|A|, |B|) >= threshold, computed from the Jaccard
  estimate and the exact shingle counts (|A & B| = J (|A| + |B|) / (1 + J)). It also catches a
  short document copied out of a longer one, which Jaccard misses.

Duplicates are grouped (union-find) and the first document of each group in the caller's
order is kept.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

_WORD_RE = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)


def shingles(text: str, k: int) -> set[str]:
    """Lower-cased word k-grams; a text shorter than k words is one shingle."""
    words = _WORD_RE.findall(text.casefold())
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def _hash64(items: set[str]) -> np.ndarray:
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") for s in items),
        dtype=np.uint64,
        count=len(items),
    )


@dataclass(frozen=True)
class MinHasher:
    """``num_perm`` seeded hash functions; the same seed gives the same signatures."""

    num_perm: int = 128
    seed: int = 1

    def _params(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(self.seed)
        a = rng.integers(1, 2**63, size=self.num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        b = rng.integers(0, 2**63, size=self.num_perm, dtype=np.uint64)
        return a, b

    def signature(self, items: set[str]) -> np.ndarray:
        """uint32 signature of a shingle set (all 0xFFFFFFFF for an empty set)."""
        if not items:
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint64)
        a, b = self._params()
        hv = _hash64(items)
        with np.errstate(over="ignore"):
            mixed = (a[:, None] * hv[None, :] + b[:, None]) >> np.uint64(32)
        return (mixed & _MASK32).min(axis=1)

    def signatures(self, sets: Sequence[set[str]]) -> np.ndarray:
        """(len(sets), num_perm) matrix, one row per set."""
        out = np.empty((len(sets), self.num_perm), dtype=np.uint64)
        for i, items in enumerate(sets):
            out[i] = self.signature(items)
        return out


def candidate_pairs(signatures: np.ndarray, bands: int) -> set[tuple[int, int]]:
    """Pairs of rows that agree on every row of at least one band."""
    n, num_perm = signatures.shape
    rows = max(1, num_perm // max(1, bands))
    pairs: set[tuple[int, int]] = set()
    for band in range(min(bands, num_perm // rows)):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        for i in range(n):
            buckets[block[i].tobytes()].append(i)
        for members in buckets.values():
            if len(members) > 1:
                pairs.update((x, y) for j, x in enumerate(members) for y in members[j + 1 :])
    return pairs


def similarity(sig_a: np.ndarray, sig_b: np.ndarray, size_a: int, size_b: int, measure: str) -> float:
    """Estimated Jaccard or containment of two shingle sets from their signatures."""
    if size_a == 0 or size_b == 0:
        return 0.0
    jaccard = float(np.mean(sig_a == sig_b))
    if measure == "jaccard":
        return jaccard
    if measure == "containment":
        inter = jaccard * (size_a + size_b) / (1.0 + jaccard)
        return min(1.0, inter / min(size_a, size_b))
    raise ValueError(f"unknown near-duplicate measure {measure!r}; known: jaccard, containment")


def near_duplicate_pairs(
    texts: Sequence[str],
    *,
    shingle_words: int = 3,
    threshold: float = 0.5,
    measure: str = "containment",
    num_perm: int = 128,
    bands: int = 64,
    seed: int = 1,
) -> list[tuple[int, int, float]]:
    """Verified near-duplicate pairs ``(i, j, similarity)`` with i < j, sorted."""
    sets = [shingles(t, shingle_words) for t in texts]
    sigs = MinHasher(num_perm, seed).signatures(sets)
    out = []
    for i, j in sorted(candidate_pairs(sigs, bands)):
        score = similarity(sigs[i], sigs[j], len(sets[i]), len(sets[j]), measure)
        if score >= threshold:
            out.append((i, j, round(score, 4)))
    return out


def duplicate_of(n: int, pairs: Sequence[tuple[int, int, float]]) -> dict[int, tuple[int, float]]:
    """Index -> (kept index of its group, best similarity to a group member) for every removed
    index; the lowest index of each connected group is kept."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best: dict[int, float] = {}
    for i, j, score in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
        best[j] = max(best.get(j, 0.0), score)
        best[i] = max(best.get(i, 0.0), score)
    return {i: (find(i), best.get(i, 0.0)) for i in range(n) if find(i) != i}


PAIRS_PER_CHUNK = 65_536  # candidate pairs verified per numpy step: bounds the signature copies


def near_duplicates(
    texts: Sequence[str],
    *,
    shingle_words: int = 3,
    threshold: float = 0.5,
    measure: str = "containment",
    num_perm: int = 128,
    bands: int = 64,
    seed: int = 1,
) -> dict[int, tuple[int, float]]:
    """``duplicate_of(len(texts), near_duplicate_pairs(texts, ...))``, without listing the pairs.

    Documents written from one template share a band with most others, so the candidates grow
    with the square of the corpus (207,508 pairs at 1,000 synthetic documents, bench.scale):
    held in one Python set and verified one ``np.mean`` at a time, they were most of the
    release's curation time and memory. Here each band's buckets are verified as they come, a
    chunk of pairs per numpy step, and folded into the union-find at once. A pair met in
    several bands is verified again; union and maximum do not mind, so the groups, the kept
    document and the best similarity are exactly those of ``duplicate_of``.
    """
    sets = [shingles(t, shingle_words) for t in texts]
    n = len(sets)
    sigs = MinHasher(num_perm, seed).signatures(sets).astype(np.uint32)  # values fit 32 bits
    sizes = np.array([len(s) for s in sets], dtype=np.float64)
    root = np.arange(n)
    best = np.full(n, -1.0)
    rows = max(1, num_perm // max(1, bands))
    for band in range(min(bands, num_perm // rows)):
        _, bucket = np.unique(sigs[:, band * rows : (band + 1) * rows], axis=0, return_inverse=True)
        for left, right in _bucket_pairs(bucket.reshape(-1)):
            score = _scores(sigs, sizes, left, right, measure)
            keep = score >= threshold
            left, right, score = left[keep], right[keep], score[keep]
            np.maximum.at(best, left, score)
            np.maximum.at(best, right, score)
            _union(root, left, right)
    return {i: (int(root[i]), round(float(best[i]), 4)) for i in range(n) if root[i] != i}


def _bucket_pairs(bucket: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Every pair (i < j) of rows sharing a bucket id, ``PAIRS_PER_CHUNK`` or so at a time."""
    order = np.argsort(bucket, kind="stable")
    starts = np.flatnonzero(np.r_[True, bucket[order][1:] != bucket[order][:-1]])
    ends = np.r_[starts[1:], len(order)]
    lefts: list[np.ndarray] = []
    rights: list[np.ndarray] = []
    pending = 0
    for start, end in zip(starts, ends, strict=True):
        members = order[start:end]
        for r in range(len(members) - 1):
            rest = members[r + 1 :]
            lefts.append(np.full(len(rest), members[r]))
            rights.append(rest)
            pending += len(rest)
            if pending >= PAIRS_PER_CHUNK:
                yield _ordered(np.concatenate(lefts), np.concatenate(rights))
                lefts, rights, pending = [], [], 0
    if pending:
        yield _ordered(np.concatenate(lefts), np.concatenate(rights))


def _ordered(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.minimum(a, b), np.maximum(a, b)


def _scores(sigs: np.ndarray, sizes: np.ndarray, a: np.ndarray, b: np.ndarray, measure: str) -> np.ndarray:
    """``similarity`` of many pairs at once (the same float operations, so the same values)."""
    jaccard = (sigs[a] == sigs[b]).sum(axis=1) / sigs.shape[1]
    size_a, size_b = sizes[a], sizes[b]
    if measure == "jaccard":
        score = jaccard
    elif measure == "containment":
        inter = jaccard * (size_a + size_b) / (1.0 + jaccard)
        score = np.minimum(1.0, inter / np.maximum(np.minimum(size_a, size_b), 1.0))
    else:
        raise ValueError(f"unknown near-duplicate measure {measure!r}; known: jaccard, containment")
    return np.where((size_a == 0) | (size_b == 0), 0.0, score)


def _union(root: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """Join the groups of each pair; every group's root is its lowest index (as ``duplicate_of``)."""
    ra, rb = root[a], root[b]
    differ = ra != rb
    for x, y in np.unique(np.stack([np.minimum(ra, rb), np.maximum(ra, rb)])[:, differ], axis=1).T:
        x, y = _find(root, int(x)), _find(root, int(y))
        if x != y:
            root[max(x, y)] = min(x, y)
    while True:  # point every row straight at its root
        flat = root[root]
        if np.array_equal(flat, root):
            return
        root[:] = flat


def _find(root: np.ndarray, x: int) -> int:
    while root[x] != x:
        x = int(root[x])
    return x
