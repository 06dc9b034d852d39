"""bench/sections/scale.md from bench/results-scale.json: the rows `make bench-scale` measured.

Only numbers from the results file; the lead renders BENCHMARKS.md from the sections.
"""

from __future__ import annotations

from typing import Any


def _growth(sizes: list[dict[str, Any]]) -> list[str]:
    lines = []
    for small, big in zip(sizes, sizes[1:], strict=False):
        factor = big["docs"] / small["docs"]
        lines.append(
            f"- {small['docs']:,} -> {big['docs']:,} documents ({factor:g}x): release time "
            f"{big['release_s'] / max(small['release_s'], 1e-9):.2f}x, peak RSS "
            f"{big['peak_rss_mb'] / max(small['peak_rss_mb'], 1):.2f}x."
        )
    return lines


def render(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    stages = list(sizes[0]["stages"]) if sizes else []
    out = [
        "## Release stages at scale (synthetic silver)",
        "",
        f"`{results['command']}` ({results['date'][:10]}, {results['machine']}): silver outputs for N synthetic "
        "documents written directly (bench/scale_corpus.py: Zipf-distributed people and organisations, surface "
        "variants, bracketed acronyms with alias relations, typed relations, chunk and mention vectors, about 15 "
        "examples of every kind per document from the real generators), then each release stage in its own "
        "process: seconds and that process's peak RSS. The encoder is replaced by a hashed bag-of-words "
        "embedder inside the release (semantic dedup, summaries); spaCy runs as in a real release.",
        "",
        "| documents | mentions | silver MB | examples | release s | peak RSS MB "
        "| resolution pairwise recall | precision |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        out.append(
            f"| {s['docs']:,} | {s['mentions']:,} | {s['silver_mb']} | {s['examples_in']:,} | {s['release_s']} | "
            f"{s['peak_rss_mb']:,} | {s['resolution_pairwise_recall']:.4f} | {s['resolution_pairwise_precision']:.4f} |"
        )
    out += ["", "Per stage, seconds / peak RSS MB:", "", "| documents | " + " | ".join(stages) + " |"]
    out.append("|---:|" + "---:|" * len(stages))
    for s in sizes:
        cells = [f"{s['stages'][k]['seconds']} / {s['stages'][k]['peak_rss_mb']:,}" for k in stages]
        out.append(f"| {s['docs']:,} | " + " | ".join(cells) + " |")
    out += ["", *_growth(sizes), ""]
    d = results["semantic_dedup"]
    out += [
        f"Semantic dedup, faiss IVF index against the exact search on {d['examples']:,} synthetic example vectors "
        f"with {d['planted_paraphrases']:,} planted paraphrases (cosine 0.95-0.995 around the 0.97 threshold; "
        f"`python -m bench.scale_dedup`): recall **{d['recall']}**, precision {d['precision']}, same decisions "
        f"(removed, and duplicate of which kept example): {d['same_decisions']}; exact {d['exact_s']} s, "
        f"index {d['ann_s']} s ({d['exact_over_ann']}x).",
        "",
    ]
    if results.get("stage_growth"):
        out += growth_section(results["stage_growth"])
    if results.get("dagster_partitions"):
        out += dagster_section(results["dagster_partitions"])
    return "\n".join(out)


def growth_section(result: dict[str, Any]) -> list[str]:
    """Per-stage CPU seconds at two sizes in one session, and the generator change's before/after."""
    small, big = result["sizes"][0], result["sizes"][-1]
    factor = big["docs"] / small["docs"]
    stages = list(small["stages"])

    def cell(name: str) -> str:
        a, b = small["stages"][name], big["stages"][name]
        return f"{a['cpu_s']} / {b['cpu_s']} ({b['cpu_s'] / a['cpu_s']:.2f}x)"

    def total(size: dict[str, Any], key: str) -> float:
        return sum(s[key] for s in size["stages"].values())

    before = [s["corpus_examples_before"]["cpu_s"] for s in (small, big)]
    return [
        f"### Growth per stage, {small['docs']:,} -> {big['docs']:,} documents ({factor:g}x)",
        "",
        f"{result['command']} ({result['date']}, {result['load']}). CPU seconds at "
        f"{small['docs']:,} / {big['docs']:,} documents (growth):",
        "",
        "| " + " | ".join(stages) + " | release |",
        "|" + "---:|" * (len(stages) + 1),
        "| " + " | ".join(cell(s) for s in stages) + f" | {total(small, 'cpu_s'):.1f} / {total(big, 'cpu_s'):.1f} "
        f"({total(big, 'cpu_s') / total(small, 'cpu_s'):.2f}x) |",
        "",
        f"- Wall seconds: release {total(small, 'seconds'):.1f} / {total(big, 'seconds'):.1f} "
        f"({total(big, 'seconds') / total(small, 'seconds'):.2f}x); peak RSS "
        f"{max(s['peak_rss_mb'] for s in small['stages'].values()):,} / "
        f"{max(s['peak_rss_mb'] for s in big['stages'].values()):,} MB.",
        f"- `corpus_examples` before the generator change (commit dcdb8d8): {before[0]} / {before[1]} CPU s "
        f"({before[1] / before[0]:.2f}x), peak RSS {small['corpus_examples_before']['peak_rss_mb']:,} / "
        f"{big['corpus_examples_before']['peak_rss_mb']:,} MB; after: {cell('corpus_examples')}; output "
        f"byte-identical at both sizes: {all(s['corpus_examples_identical'] for s in (small, big))}.",
        "",
    ]


def dagster_section(result: dict[str, Any]) -> list[str]:
    """The instance at 100k document partitions (bench/dagster_partitions.py)."""
    out = [
        "### Dagster at 100,000 document partitions",
        "",
        f"`{result['command']}` ({result['date'][:10]}, {result['machine']}): a fresh instance per backend "
        "(embedded SQLite; Postgres 15 on loopback, fsync off as in the tests' fixture), partitions added a "
        "sensor tick (500) at a time, run records created for a sample of batches and scaled to all of them, "
        "materializations stored a run's batch at a time for a sample of partitions. Wall seconds on a shared "
        "machine; CPU seconds where load inflates wall time.",
        "",
        "| backend | register s (ticks) | list all s | has_partition ms (CPU) | runs needed "
        "| s per run (CPU) | all runs: CPU hours | events/s (CPU ms each) | partition status s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for b in result["backends"]:
        reg, read, runs, mat = b["register"], b["read"], b["runs"], b["materializations"]
        out.append(
            f"| {b['backend']} | {reg['seconds']} ({reg['ticks']}) | {read['list_all_s']} | "
            f"{read['has_partition_ms']} ({read['has_partition_cpu_ms']}) | {runs['runs_needed']:,} | "
            f"{runs['s_per_run']} ({runs['cpu_s_per_run']}) | "
            f"{runs['runs_needed'] * runs['cpu_s_per_run'] / 3600:.1f} | "
            f"{mat['events_per_s']} ({mat['cpu_ms_per_event']}) | {mat['status_by_partition_s']} |"
        )
    out.append("")
    return out
