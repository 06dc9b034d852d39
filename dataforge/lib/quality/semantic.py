"""Semantic dedup of examples: cosine of sentence embeddings, greedy in the caller's order.

Exact dedup misses paraphrases ('When was X founded?' / 'In which year was X founded?');
examples of the same kind whose dedup texts embed closer than the threshold are near-copies
for training purposes. Each text is compared with the texts kept so far in one
matrix-vector product: O(n * kept) time, O(n * dim) memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Embed = Callable[[list[str]], np.ndarray]


def semantic_duplicates(texts: Sequence[str], threshold: float, embed: Embed) -> dict[int, tuple[int, float]]:
    """Index -> (index of the earlier kept text it duplicates, cosine) for every removed text.

    A text is removed when its cosine to an earlier *kept* text reaches ``threshold``, so a
    chain a~b~c with a, c far apart keeps a and c.
    """
    if len(texts) < 2 or threshold <= 0:
        return {}
    vectors = np.asarray(embed(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1, norms)
    removed: dict[int, tuple[int, float]] = {}
    kept: list[int] = []
    for i in range(len(texts)):
        if kept:
            sims = vectors[kept] @ vectors[i]
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                removed[i] = (kept[j], round(float(sims[j]), 4))
                continue
        kept.append(i)
    return removed
