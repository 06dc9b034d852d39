"""`make bench-scale`: release stages over 1k, 10k (and 100k) synthetic documents.

Each size's silver is written by ``bench.scale_corpus`` (no models run), then every release
stage runs in its own subprocess, so that its peak RSS (``ru_maxrss`` of that process) is the
stage's own and not the maximum of everything before it. The encoder is replaced by a hashed
bag-of-words embedder in these processes (semantic dedup's vectors, summaries' sentence
vectors): the release should read vectors computed per document, and the encoder's own
throughput is measured by `make bench`. spaCy (PERSON detection in curation) runs as in a
real release.

    python -m bench.scale [--sizes 1000 10000] [--scratch DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results-scale.json"
SECTION = ROOT / "bench" / "sections" / "scale.md"
RELEASE = "scale"
STAGES = {
    "entity_clusters": "build_entity_clusters",
    "knowledge_graph": "build_knowledge_graph",
    "timeline": "build_timeline",
    "corpus_examples": "build_corpus_examples",
    "training_dataset": "build_training_dataset",
    "dataset_exports": "build_exports",
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _patch_encoder() -> None:
    from bench.scale_corpus import hashed_embed
    from dataforge.lib import embed

    embed.embed_texts = lambda texts, *args, **kwargs: hashed_embed(list(texts))  # type: ignore[assignment]


def child_build(lake_dir: str, n_docs: int, workers: int = 1) -> dict[str, Any]:
    from bench.scale_corpus import build
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.lake import LocalLake

    lake = LocalLake(lake_dir)
    start = time.perf_counter()
    truth = build(lake, n_docs, DataforgeConfig(), workers=workers)
    lake.write_json("bench/truth.json", truth)
    return {"seconds": round(time.perf_counter() - start, 2), "peak_rss_mb": round(_peak_mb()), "mentions": len(truth)}


def child_stage(lake_dir: str, stage: str) -> dict[str, Any]:
    _patch_encoder()
    from dataforge.lib import release
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.lake import LocalLake

    lake, config = LocalLake(lake_dir), DataforgeConfig()
    baseline = _peak_mb()
    start, cpu = time.perf_counter(), _cpu_s()
    getattr(release, STAGES[stage])(lake, RELEASE, config)
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "cpu_s": round(_cpu_s() - cpu, 2),  # user + system: what a shared machine's load does not inflate
        "peak_rss_mb": round(_peak_mb()),
        "rss_before_mb": round(baseline),
    }


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pairwise_recall(truth: dict[str, str], assigned: dict[str, str]) -> dict[str, float]:
    """Of the mention pairs naming one true entity, the share resolved into one cluster; and of
    the pairs put into one cluster, the share that name one entity (precision). Counted from
    contingency counts, never by listing pairs (the frequent entities have millions)."""
    both: Counter[tuple[str, str]] = Counter()
    by_truth: Counter[str] = Counter()
    by_cluster: Counter[str] = Counter()
    for mention, entity in truth.items():
        if mention in assigned:
            both[entity, assigned[mention]] += 1
            by_truth[entity] += 1
            by_cluster[assigned[mention]] += 1

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    same = pairs(both)
    return {
        "recall": round(same / max(1, pairs(by_truth)), 4),
        "precision": round(same / max(1, pairs(by_cluster)), 4),
        "mentions_scored": sum(by_truth.values()),
    }


def _child(args: list[str], timeout: float) -> dict[str, Any]:
    process = subprocess.run(
        [sys.executable, "-m", "bench.scale", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if process.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{process.stderr[-4000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def measure_size(n_docs: int, scratch: Path, timeout: float, workers: int = 1) -> dict[str, Any]:
    from dataforge.lib.lake import LocalLake

    lake_dir = scratch / f"lake-{n_docs}"
    built = _child(["_build", str(lake_dir), str(n_docs), str(workers)], timeout * 4)
    print(f"{n_docs} docs: silver built in {built['seconds']} s ({workers} processes)", flush=True)
    stages = {}
    for stage in STAGES:
        stages[stage] = _child(["_stage", str(lake_dir), stage], timeout)
        print(f"  {stage}: {stages[stage]}", flush=True)
    lake = LocalLake(lake_dir)
    truth = lake.read_json("bench/truth.json")
    graph = lake.read_rows(f"gold/releases/{RELEASE}/graph/mentions.parquet")
    scores = pairwise_recall(truth, {r["mention_id"]: r["cluster_id"] for r in graph})
    report = lake.read_json(f"gold/releases/{RELEASE}/quality_report.json")
    silver_mb = sum(p.stat().st_size for p in (lake_dir / "silver").rglob("*") if p.is_file()) / 1e6
    return {
        "docs": n_docs,
        "mentions": built["mentions"],
        "silver_mb": round(silver_mb, 1),
        "silver_build_s": built["seconds"],
        "silver_build_workers": workers,
        "release_s": round(sum(s["seconds"] for s in stages.values()), 1),
        "release_cpu_s": round(sum(s["cpu_s"] for s in stages.values()), 1),
        "peak_rss_mb": max(s["peak_rss_mb"] for s in stages.values()),
        "resolution_pairwise_recall": scores["recall"],
        "resolution_pairwise_precision": scores["precision"],
        "examples_in": report.get("input", {}).get("examples"),
        "stages": stages,
    }


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--scratch")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per stage process")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes writing the synthetic silver"
    )
    args = parser.parse_args()
    from bench import scale_dedup
    from bench.scale_section import render

    scratch = Path(args.scratch or tempfile.mkdtemp(prefix="dataforge-scale-"))
    sizes = [measure_size(n, scratch, args.timeout, args.workers) for n in args.sizes]
    dedup = scale_dedup.measure(20_000)
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "command": "make bench-scale  # python -m bench.scale --sizes " + " ".join(map(str, args.sizes)),
        "sizes": sizes,
        "semantic_dedup_recall": dedup["recall"],
        "semantic_dedup": dedup,
    }
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    SECTION.write_text(render(results))
    print(json.dumps({k: v for k, v in results.items() if k != "sizes"}, indent=1))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        print(json.dumps(child_build(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 1)))
    elif len(sys.argv) > 1 and sys.argv[1] == "_stage":
        print(json.dumps(child_stage(sys.argv[2], sys.argv[3])))
    else:
        main()
