"""Semantic dedup of examples: cosine of sentence embeddings, greedy in the caller's order.

Exact dedup misses paraphrases ('When was X founded?' / 'In which year was X founded?');
examples of the same kind whose dedup texts embed closer than the threshold are near-copies
for training purposes. Each text is compared with the texts kept so far in one
matrix product per block of texts: O(n * kept) time, O(n * dim) memory, and no copy of the
kept vectors per text (that copy made 50k examples take minutes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Embed = Callable[[list[str]], np.ndarray]
BLOCK = 256  # texts compared with the kept ones in one matrix product


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
    kept_rows = np.empty_like(vectors)  # kept vectors, in keeping order: appended, never copied whole
    kept: list[int] = []
    for first in range(0, len(texts), BLOCK):
        block = vectors[first : first + BLOCK]
        # against everything kept before this block: one matrix product for the whole block
        earlier = block @ kept_rows[: len(kept)].T if kept else np.zeros((len(block), 0), np.float32)
        before_block = len(kept)
        for offset, vector in enumerate(block):
            i = first + offset
            best, best_sim = -1, -np.inf
            if earlier.shape[1]:
                j = int(np.argmax(earlier[offset]))
                best, best_sim = j, float(earlier[offset, j])
            if len(kept) > before_block:  # kept earlier in this block
                sims = kept_rows[before_block : len(kept)] @ vector
                j = int(np.argmax(sims))
                if sims[j] > best_sim:  # a tie keeps the earlier kept text, as a single scan would
                    best, best_sim = before_block + j, float(sims[j])
            if best >= 0 and best_sim >= threshold:
                removed[i] = (kept[best], round(best_sim, 4))
                continue
            kept_rows[len(kept)] = vector
            kept.append(i)
    return removed
