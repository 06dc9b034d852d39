"""Near-duplicate documents on the Clough & Stevenson short-answer corpus.

95 answers, each written from one of 5 Wikipedia source texts (orig_task{a..e}): 'cut' and
'light' answers count as near-duplicates of their source, 'heavy' and 'non' do not. Labelled
pairs: every answer with its own task's source (38 positive, 57 negative). A pair is
predicted when the detector reports it (LSH candidate + verified similarity >= threshold).

Compared in one run on the same texts and the same shingles: dataforge's numpy MinHash-LSH
(dataforge.lib.quality.minhash, default NearDupConfig) and datasketch's MinHash + MinHashLSH
with the same number of permutations and the same bands/rows, verified with the same
containment rule. Throughput = documents / median seconds of 5 full runs (shingling,
signatures, LSH, verification).

Run: .venv/bin/python -m evals.neardup_clough_stevenson
"""

from __future__ import annotations

import csv
import json
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from dataforge.lib.config import NearDupConfig
from dataforge.lib.quality.minhash import near_duplicate_pairs, shingles, similarity

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "neardup_clough_stevenson" / "data"
OUT = Path(__file__).resolve().parents[1] / "bench" / "results" / "neardup_clough_stevenson.json"
RUNS = 5


def load() -> tuple[list[str], list[str], list[tuple[int, int, bool, str]]]:
    """Names, texts, and labelled pairs (answer index, source index, positive, category)."""
    rows = [r for r in csv.DictReader((DATA / "file_information.csv").open()) if r["Category"] != "orig"]
    names = [f"orig_task{t}.txt" for t in "abcde"] + [r["File"] for r in rows]
    texts = [(DATA / n).read_bytes().decode("utf-8", errors="replace") for n in names]
    pairs = [
        (5 + i, "abcde".index(r["Task"]), r["Category"] in ("cut", "light"), r["Category"]) for i, r in enumerate(rows)
    ]
    return names, texts, pairs


def ours(texts: list[str], cfg: NearDupConfig) -> set[tuple[int, int]]:
    found = near_duplicate_pairs(
        texts,
        shingle_words=cfg.shingle_words,
        threshold=cfg.threshold,
        measure=cfg.measure,
        num_perm=cfg.num_perm,
        bands=cfg.bands,
    )
    return {(i, j) for i, j, _ in found}


def datasketch_pairs(texts: list[str], cfg: NearDupConfig) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    rows = cfg.num_perm // cfg.bands
    sets = [shingles(t, cfg.shingle_words) for t in texts]
    lsh = MinHashLSH(num_perm=cfg.num_perm, params=(cfg.bands, rows))
    sigs = []
    for i, s in enumerate(sets):
        m = MinHash(num_perm=cfg.num_perm, seed=1)
        m.update_batch([x.encode() for x in s])
        sigs.append(m)
        lsh.insert(str(i), m)
    found = set()
    for i, m in enumerate(sigs):
        for key in lsh.query(m):
            j = int(key)
            if j <= i:
                continue
            a, b = np.asarray(m.hashvalues), np.asarray(sigs[j].hashvalues)
            if similarity(a, b, len(sets[i]), len(sets[j]), cfg.measure) >= cfg.threshold:
                found.add((i, j))
    return found


def score(found: set[tuple[int, int]], pairs: list[tuple[int, int, bool, str]]) -> dict[str, float]:
    predicted = {(a, s): (min(a, s), max(a, s)) in found for a, s, _, _ in pairs}
    tp = sum(1 for a, s, pos, _ in pairs if pos and predicted[(a, s)])
    fp = sum(1 for a, s, pos, _ in pairs if not pos and predicted[(a, s)])
    fn = sum(1 for a, s, pos, _ in pairs if pos and not predicted[(a, s)])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    by_cat: dict[str, int] = {}
    for a, s, _, cat in pairs:
        by_cat[cat] = by_cat.get(cat, 0) + int(predicted[(a, s)])
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f1, 3),
        "flagged_by_category": dict(sorted(by_cat.items())),
    }


def timed(fn, texts: list[str], cfg: NearDupConfig) -> tuple[set[tuple[int, int]], float]:  # noqa: ANN001
    times, found = [], set()
    for _ in range(RUNS):
        t = time.perf_counter()
        found = fn(texts, cfg)
        times.append(time.perf_counter() - t)
    return found, statistics.median(times)


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is missing (shared evaluation data)")
        return 0
    names, texts, pairs = load()
    cfg = NearDupConfig()
    ours_found, ours_s = timed(ours, texts, cfg)
    ds_found, ds_s = timed(datasketch_pairs, texts, cfg)
    sweep = {}
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        c = NearDupConfig(threshold=threshold)
        sweep[str(threshold)] = {k: v for k, v in score(ours(texts, c), pairs).items() if k != "flagged_by_category"}
    jaccard = NearDupConfig(measure="jaccard", threshold=0.5)
    labelled = {(min(a, s), max(a, s)) for a, s, _, _ in pairs}
    result = {
        "dataset": "neardup_clough_stevenson (95 answers x their source; cut+light positive)",
        "documents": len(texts),
        "labelled_pairs": len(pairs),
        "positives": sum(1 for p in pairs if p[2]),
        "config": cfg.__dict__,
        "dataforge": {
            **score(ours_found, pairs),
            "seconds": round(ours_s, 4),
            "docs_per_s": round(len(texts) / ours_s, 1),
        },
        "datasketch": {**score(ds_found, pairs), "seconds": round(ds_s, 4), "docs_per_s": round(len(texts) / ds_s, 1)},
        "speed_ratio_dataforge_over_datasketch": round(ds_s / ours_s, 2),
        "unlabelled_pairs_flagged": {"dataforge": len(ours_found - labelled), "datasketch": len(ds_found - labelled)},
        "threshold_sweep_containment": sweep,
        "jaccard_at_0.5": {k: v for k, v in score(ours(texts, jaccard), pairs).items() if k != "flagged_by_category"},
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
