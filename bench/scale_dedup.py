"""Semantic dedup: the faiss index against the exact search, in one run on the same vectors.

The vectors are synthetic, shaped like sentence embeddings of examples: every example sits near
one of a few hundred topic directions (examples of one corpus are far from isotropic), and a
share of them are paraphrases of an earlier example, planted at cosines spread across the
threshold (0.95-0.995 around 0.97), so the borderline pairs that an approximate search could
miss are there in number. Recall is the share of the exact method's removals that the index
also makes; ``same_decisions`` says whether both removed the same examples as duplicates of the same ones.

    python -m bench.scale_dedup [--n 20000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np

from dataforge.lib.quality.semantic import ann_duplicates, exact_duplicates, vector_duplicates

DIM = 384  # all-MiniLM-L6-v2, the configured encoder
TOPICS = 300
PARAPHRASE_SHARE = 0.2
THRESHOLD = 0.97  # QualityConfig.semantic_threshold


def planted_vectors(n: int, seed: int = 7, dim: int = DIM) -> tuple[np.ndarray, dict[int, int]]:
    """``n`` vectors and the planted paraphrases: index -> the earlier index it paraphrases."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(TOPICS, dim)).astype(np.float32)
    vectors = topics[rng.integers(0, TOPICS, n)] + rng.normal(size=(n, dim)).astype(np.float32) * 0.9
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    planted: dict[int, int] = {}
    for i in np.nonzero(rng.random(n) < PARAPHRASE_SHARE)[0][1:]:
        j = int(rng.integers(0, i))
        away = rng.normal(size=dim).astype(np.float32)
        away -= (away @ vectors[j]) * vectors[j]
        away /= np.linalg.norm(away)
        cosine = rng.uniform(0.95, 0.995)
        vectors[i] = cosine * vectors[j] + np.sqrt(1 - cosine**2) * away
        planted[int(i)] = j
    return vectors, planted


def measure(n: int, seed: int = 7) -> dict[str, Any]:
    vectors, planted = planted_vectors(n, seed)
    start = time.perf_counter()
    exact = exact_duplicates(vectors, THRESHOLD)
    exact_s = time.perf_counter() - start
    start = time.perf_counter()
    ann = ann_duplicates(vectors, THRESHOLD)
    ann_s = time.perf_counter() - start
    found = set(exact) & set(ann)
    return {
        "examples": n,
        "planted_paraphrases": len(planted),
        "exact_removed": len(exact),
        "ann_removed": len(ann),
        "recall": round(len(found) / len(exact), 4) if exact else 1.0,
        "precision": round(len(found) / len(ann), 4) if ann else 1.0,
        # the same examples removed as duplicates of the same kept ones (cosines may differ in
        # the fourth decimal: faiss and numpy sum the products in different orders)
        "same_decisions": {i: j for i, (j, _) in exact.items()} == {i: j for i, (j, _) in ann.items()},
        "exact_s": round(exact_s, 2),
        "ann_s": round(ann_s, 2),
        "exact_over_ann": round(exact_s / ann_s, 2) if ann_s else None,
    }


def crossover(sizes: tuple[int, ...] = (2_000, 5_000, 10_000)) -> list[dict[str, Any]]:
    """Both searches' times at smaller sizes: where the index starts to pay (``ANN_MIN``)."""
    rows = []
    for n in sizes:
        vectors, _ = planted_vectors(n)
        times = {}
        for method in ("exact", "ann"):
            start = time.perf_counter()
            vector_duplicates(vectors, THRESHOLD, method)  # type: ignore[arg-type]
            times[method] = round(time.perf_counter() - start, 3)
        rows.append({"examples": n, "exact_s": times["exact"], "ann_s": times["ann"]})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--json")
    args = parser.parse_args()
    result = {**measure(args.n), "crossover": crossover()}
    print(json.dumps(result, indent=1))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
