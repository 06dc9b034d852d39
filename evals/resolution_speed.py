"""Entity resolution speed on synthetic mentions with a realistic name distribution.

The corpus is generated, seeded: 300,000 entities (half people, a third organizations, the
rest places) whose popularity follows a Zipf law; people draw first names and surnames from
Zipf-distributed pools (so common surnames are shared by thousands of people, as in real
text), organizations are 1-4 words from a Zipf vocabulary with an optional legal form. Each
document mentions 8-15 entities 1-5 times: the first mention in full, later ones as surnames,
"Ms. X", first words, acronyms; one mention in ten is a pronoun or "the company". 5% of the
labels are wrong, as with spaCy, and resolution runs as in the pipeline (labels voted, no
context vectors: the context comes from embeddings, benchmarked separately).

    .venv/bin/python -m evals.resolution_speed [--sizes 1000000 2000000]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results" / "resolution_speed.json"
SYLLABLES = "ka lo mi ra ten vor sal berg dan el ius mar to ni ve ston ham ley ford wick an sen dal rik os ul".split()
LEGAL = ["", "", "", " Inc", " Ltd", " Group", " AG", " Holdings", " Corporation"]
TITLES = ["Ms.", "Mr.", "Dr."]


def _words(rng: np.random.Generator, count: int, syllables: tuple[int, int]) -> list[str]:
    words = set()
    while len(words) < count:
        n = rng.integers(syllables[0], syllables[1] + 1)
        words.add("".join(rng.choice(SYLLABLES, n)).capitalize())
    return sorted(words)


def _zipf(rng: np.random.Generator, size: int, count: int, exponent: float = 1.05) -> np.ndarray:
    """``count`` indices into ``range(size)`` with Zipf-like frequencies (rank 0 most frequent)."""
    weights = 1.0 / np.arange(1, size + 1) ** exponent
    return rng.choice(size, count, p=weights / weights.sum())


def make_entities(rng: np.random.Generator, count: int = 300_000) -> list[tuple[str, str]]:
    first = _words(rng, 400, (2, 2))
    last = _words(rng, 60_000, (2, 4))
    vocabulary = _words(rng, 5_000, (2, 3))
    kinds = rng.random(count)
    firsts, lasts = _zipf(rng, len(first), count), _zipf(rng, len(last), count)
    org_words = _zipf(rng, len(vocabulary), count * 4)
    entities = []
    for i, kind in enumerate(kinds):
        if kind < 0.5:
            entities.append(("PERSON", f"{first[firsts[i]]} {last[lasts[i]]}"))
        elif kind < 0.85:
            n = int(rng.integers(1, 5))
            name = " ".join(vocabulary[w] for w in org_words[4 * i : 4 * i + n])
            entities.append(("ORG", name + LEGAL[int(rng.integers(len(LEGAL)))]))
        else:
            entities.append(("GPE", last[lasts[-i]] + ("" if rng.random() < 0.7 else " " + vocabulary[org_words[i]])))
    return entities


def surface(rng: np.random.Generator, label: str, name: str, first: bool) -> str:
    words = name.split()
    r = rng.random()
    if first or len(words) == 1 or label == "GPE":
        return name
    if label == "PERSON":
        return words[-1] if r < 0.6 else f"{TITLES[int(rng.integers(3))]} {words[-1]}" if r < 0.7 else name
    if r < 0.2:
        return "".join(w[0] for w in words if w not in ("Inc", "Ltd", "AG")).upper()
    return words[0] if r < 0.5 else name


def make_mentions(count: int, seed: int = 7) -> list[dict]:
    rng = np.random.default_rng(seed)
    entities = make_entities(rng)
    labels = ["PERSON", "ORG", "GPE"]
    picks = iter(_zipf(rng, len(entities), count))
    mentions: list[dict] = []
    doc = 0
    while len(mentions) < count:
        doc += 1
        cast = [next(picks) for _ in range(int(rng.integers(8, 16)))]
        plan = [e for e in cast for _ in range(int(rng.integers(1, 6)))]
        rng.shuffle(plan)
        seen: set[int] = set()
        for position, e in enumerate(plan):
            label, name = entities[e]
            if e in seen and rng.random() < 0.1:
                text = {"PERSON": "she", "ORG": "the company", "GPE": "the city"}[label]
            else:
                text = surface(rng, label, name, e not in seen)
            seen.add(e)
            noisy = labels[int(rng.integers(3))] if rng.random() < 0.05 else label
            mentions.append(
                {
                    "mention_id": f"d{doc}:m{position}",
                    "doc_id": f"d{doc}",
                    "text": text,
                    "label": noisy,
                    "start": position * 40,
                    "sentence_id": position // 3,
                }
            )
    return mentions[:count]


def time_resolve(mentions: list[dict]) -> tuple[float, float, dict]:
    """Wall and CPU seconds of one ``resolve`` call, and its statistics (seconds per step)."""
    from dataforge.lib.link import parse_name, resolve

    parse_name.cache_clear()
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    result = resolve(mentions, vote_labels=True)
    return time.perf_counter() - started, time.process_time() - cpu, result["stats"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000, 2_000_000])
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        mentions = make_mentions(size)
        load = round(os.getloadavg()[0], 2)
        seconds, cpu, stats = time_resolve(mentions)
        rows.append(
            {
                "mentions": size,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "mentions_per_second": round(size / seconds),
                "load_average_before": load,
                "documents": len({m["doc_id"] for m in mentions}),
            }
        )
        rows[-1].update({k: stats[k] for k in ("nodes", "pairs_compared", "clusters") if k in stats})
        rows[-1]["seconds_by_step"] = stats["seconds"]
        print(rows[-1], flush=True)
        del mentions
    by_size = {r["mentions"]: r["seconds"] for r in rows}
    cpu = {r["mentions"]: r["cpu_seconds"] for r in rows}
    both = {1_000_000, 2_000_000} <= set(by_size)
    report = {
        "eval": "entity resolution of synthetic mentions (Zipf entities and names, 5% label noise), no vectors",
        "command": ".venv/bin/python -m evals.resolution_speed",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, 2 cores, Python {sys.version.split()[0]}",
        "runs": rows,
        "goal_1m_under_60s": by_size.get(1_000_000, 1e9) <= 60,
        "ratio_2m_over_1m": round(by_size[2_000_000] / by_size[1_000_000], 3) if both else None,
        "cpu_ratio_2m_over_1m": round(cpu[2_000_000] / cpu[1_000_000], 3) if both else None,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
