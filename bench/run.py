"""`make bench` / `make bench-quick`: measure the pipeline and write BENCHMARKS.md.

Every ratio compares two measurements taken in the same run on the same machine, because
absolute numbers on shared 2-core machines move by tens of percent from one minute to the next.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.corpus import FULL_SIZES, QUICK_SIZES, SCALING_COPIES, build_corpus

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"  # the latest run, for tools
MODE_RESULTS = {
    "make bench": ROOT / "bench" / "results-full.json",
    "make bench-quick": ROOT / "bench" / "results-quick.json",
}
SECTIONS = ROOT / "bench" / "sections"
REPORT = ROOT / "BENCHMARKS.md"


def run_phase(name: str, corpus: Path, work: Path) -> dict[str, Any]:
    process = subprocess.run(
        [sys.executable, "-m", "bench.phases", name, str(corpus), str(work)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        raise RuntimeError(f"phase {name} failed:\n{process.stderr[-4000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"


def measure(quick: bool, scratch: Path) -> dict[str, Any]:
    sizes = QUICK_SIZES if quick else FULL_SIZES
    corpora = {1: scratch / "corpus"}
    build_corpus(corpora[1], sizes, copies=1, include_real=not quick)
    # The model comparison needs no 10 MB document to be meaningful (in full mode: files up to 1 MB).
    model_corpus = scratch / "models-corpus"
    build_corpus(model_corpus, [s for s in sizes if s <= 1_000_000], copies=1, include_real=False)
    # Scaling corpora are generated text only, so 2x and 4x really hold 2 and 4 times the bytes.
    scaled = {}
    for factor in (1, 2, 4):
        scaled[factor] = scratch / f"scaling-{factor}x"
        build_corpus(
            scaled[factor], QUICK_SIZES, copies=SCALING_COPIES * factor, include_real=False, include_samples=False
        )
    print(f"corpus 1x: {len(list(corpora[1].iterdir()))} files, {corpus_bytes(corpora[1]) / 1e6:.2f} MB", flush=True)
    # Alternate the two runs and keep the faster of each: load from other processes on a
    # shared machine then hits both sides alike, and the ratio stays meaningful. The full
    # corpus runs for long enough (tens of minutes) that one pair is enough.
    dagster_runs, plain_runs = [], []
    for attempt in range(2 if quick else 1):
        dagster_runs.append(run_phase("dagster", corpora[1], scratch / f"dagster-1x-{attempt}"))
        plain_runs.append(run_phase("plain", corpora[1], scratch / f"plain-1x-{attempt}"))
        print(f"dagster {dagster_runs[-1]['seconds']:.1f}s, plain {plain_runs[-1]['seconds']:.1f}s", flush=True)
    dagster = min(dagster_runs, key=lambda r: r["seconds"])
    plain = min(plain_runs, key=lambda r: r["seconds"])
    models = run_phase("models", model_corpus, scratch / "models")
    inbox = run_phase("inbox", corpora[1], scratch / "inbox")
    scaling = {}
    for factor in (1, 2, 4):
        scaling[factor] = run_phase("plain", scaled[factor], scratch / f"plain-scaling-{factor}x")
        print(f"plain scaling {factor}x: {scaling[factor]['seconds']:.1f}s", flush=True)
    mb = corpus_bytes(corpora[1]) / 1e6
    return {
        "quick": quick,
        "corpus": {
            "files": dagster["documents"],
            "megabytes": round(mb, 3),
            "sizes": sizes,
            "largest_file_mb": round(max(p.stat().st_size for p in corpora[1].iterdir()) / 1e6, 2),
        },
        "docs_per_s": round(dagster["documents"] / dagster["seconds"], 3),
        "mb_per_hour": round(mb / dagster["seconds"] * 3600, 1),
        "peak_rss_mb": dagster["peak_rss_mb"],
        "overhead_ratio": round(dagster["seconds"] / plain["seconds"], 3),
        "ner_speed_ratio": round(models["bare_ner_seconds"] / models["stage_ner_seconds"], 3),
        "embed_speed_ratio": round(models["bare_embed_seconds"] / models["stage_embed_seconds"], 3),
        # the path a user gets the lowest latency from: a running `dataforge watch`
        "inbox_latency_s": round(inbox["watch_latency_s"], 2),
        "sensor_latency_s": round(inbox["latency_s"], 2),
        "inbox_latency_bf16_s": round(inbox["watch_bf16_latency_s"], 2),
        "run_cold_start_s": round(inbox["run_cold_start_s"], 2),
        "scaling_2x_over_1x": round(scaling[2]["seconds"] / scaling[1]["seconds"], 3),
        "scaling_4x_over_1x": round(scaling[4]["seconds"] / scaling[1]["seconds"], 3),
        "scaling_peak_rss_mb": {f"{k}x": v["peak_rss_mb"] for k, v in scaling.items()},
        "scaling_documents_peak_rss_mb": {f"{k}x": v["documents_peak_rss_mb"] for k, v in scaling.items()},
        "scaling_sizes": QUICK_SIZES,
        "scaling_documents": {f"{k}x": v["documents"] for k, v in scaling.items()},
        "scaling_corpus_mb": {f"{k}x": round(corpus_bytes(scaled[k]) / 1e6, 3) for k in (1, 2, 4)},
        "phases": {
            "dagster": dagster,
            "plain": plain,
            "models": models,
            "inbox": inbox,
            "plain_2x": scaling[2],
            "plain_4x": scaling[4],
        },
        "machine": machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def render_run(results: dict[str, Any], command: str) -> list[str]:
    """The section of one command's latest results."""
    p = results["phases"]
    memory = " / ".join(str(v) for v in results["scaling_peak_rss_mb"].values())
    documents_memory = " / ".join(str(v) for v in results["scaling_documents_peak_rss_mb"].values())
    largest = results["corpus"].get("largest_file_mb")
    stage_rows = "\n".join(
        f"| {name} | {seconds:.2f} | {p['plain']['words'] / seconds:,.0f} |"
        for name, seconds in p["plain"]["per_stage_seconds"].items()
        if seconds > 0
    )
    bf16 = results.get("inbox_latency_bf16_s")  # absent from runs made before the row existed
    bf16_rows = [f"| inbox: same, `dataforge watch` with `nlp.embedding_precision: bf16` (s) | {bf16} | 8 |"]
    bf16_rows = bf16_rows if bf16 is not None else []
    overhead_ms = (p["dagster"]["seconds"] - p["plain"]["seconds"]) / results["corpus"]["files"] * 1000
    return [
        f"## `{command}`",
        "",
        f"Machine: {results['machine']}. Date: {results['date']}. Command: `{command}`.",
        f"Corpus: {results['corpus']['files']} files, {results['corpus']['megabytes']} MB "
        f"(generated text of sizes {results['corpus']['sizes']} bytes plus `samples/`"
        f"{' and ../shared/eval/real_docs' if not results['quick'] else ''}; largest file {largest} MB). "
        f"Models are loaded before timing (load time {p['plain']['model_load_seconds']:.1f} s, reported apart).",
        f"Scaling runs use generated text only, sizes {results['scaling_sizes']} bytes, "
        f"{' / '.join(str(v) for v in results['scaling_documents'].values())} documents "
        f"({' / '.join(str(v) for v in results['scaling_corpus_mb'].values())} MB; a run takes 25). "
        f"The model rows use the "
        f"corpus files up to 1 MB ({p['models']['words']:,} words, {p['models']['chunks']} chunks and "
        f"{p['models'].get('mention_sentences', 0)} mention sentences embedded).",
        "",
        "### Pipeline",
        "",
        "| row | value | goal |",
        "| --- | --- | --- |",
        f"| end to end through Dagster: documents/s | {results['docs_per_s']} | |",
        f"| end to end: MB/hour | {results['mb_per_hour']} | |",
        f"| peak memory (Dagster run, MB RSS) | {results['peak_rss_mb']} | |",
        f"| orchestration overhead (Dagster / plain loop) | {results['overhead_ratio']} | <= 1.15 |",
        f"| orchestration overhead per document (ms; Dagster minus plain loop) | {overhead_ms:.0f} | |",
        f"| NER stage speed / bare `nlp.pipe` | {results['ner_speed_ratio']} | >= 0.85 |",
        f"| embedding stage speed / bare `encode` | {results['embed_speed_ratio']} | >= 0.9 |",
        f"| inbox: 100 KB dropped -> examples, `dataforge watch` (s, incl. its 0.5 s look interval) "
        f"| {results['inbox_latency_s']} | 8 |",
        *bf16_rows,
        f"| inbox: same through the inbox sensor + run, in process (s; `dagster dev` adds a tick <= 15 s "
        f"and a run process cold start) | {results['sensor_latency_s']} | |",
        f"| cold start of a run process: imports + model load (s) | {results['run_cold_start_s']} | |",
        f"| scaling: time 2x / 1x corpus | {results['scaling_2x_over_1x']} | ~2 |",
        f"| scaling: time 4x / 1x corpus | {results['scaling_4x_over_1x']} | ~4 |",
        f"| scaling: peak memory after the per-document stages, 1x / 2x / 4x (MB) | {documents_memory} | flat |",
        f"| scaling: peak memory of the whole run incl. release stages, 1x / 2x / 4x (MB) | {memory} | |",
        "",
        "### Per stage (plain loop, 1x corpus)",
        "",
        "| stage | seconds | words/s |",
        "| --- | --- | --- |",
        stage_rows,
        "",
    ]


def render() -> str:
    """BENCHMARKS.md: the latest full and quick runs (each kept in its own file), then the
    hand-written sections of bench/sections/, whose numbers come from the commands they name."""
    lines = ["# Benchmarks", ""]
    for command, path in MODE_RESULTS.items():
        if path.exists():
            lines += render_run(json.loads(path.read_text(encoding="utf-8")), command)
    for section in sorted(SECTIONS.glob("*.md")):
        lines += [section.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small corpus, a few minutes")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="dataforge-bench-"))
    try:
        results = measure(args.quick, scratch)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    command = "make bench-quick" if args.quick else "make bench"
    for path in (RESULTS, MODE_RESULTS[command]):
        path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    REPORT.write_text(render(), encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "phases"}, indent=2))


if __name__ == "__main__":
    main()
