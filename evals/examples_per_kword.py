"""Examples of each kind (and generator) per 1,000 words of input, on samples/.

The per-document and per-release stages run in process on a temporary lake (no Dagster,
same functions the assets call). Counted twice: as generated (silver, before the quality
stage) and as released (after filters, dedup, PII handling and document-level splits, which
drop cross-document examples whose documents fall in different splits). A second corpus
pass with augmentation on counts the substituted QA/NER variants it would add. Every
generated example is also checked for exact spans (QA answers, NER offsets, source spans).

Run: ``.venv/bin/python -m evals.examples_per_kword`` (writes bench/results/examples_per_kword.json).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "examples_per_kword.json"


def _exact(ex: dict[str, Any], texts: dict[str, str]) -> bool:
    ok = all(0 <= s["start"] < s["end"] <= len(texts[s["doc_id"]]) for s in ex["source_spans"])
    if ex["kind"] == "qa":
        ok &= ex["context"][ex["answer_start"] : ex["answer_end"]] == ex["answer"]
    if ex["kind"] in ("ner", "relation"):
        ok &= all(ex["text"][e["start"] : e["end"]] == e["text"] for e in ex["entities"])
    return ok


def _per_kword(counts: Counter, words: int) -> dict[str, float]:
    return {k: round(1000 * v / words, 2) for k, v in sorted(counts.items())}


def main() -> int:
    from dataforge.lib import release as rel
    from dataforge.lib.config import AugmentConfig, DataforgeConfig
    from dataforge.lib.generate import generate_corpus_examples
    from dataforge.lib.ingest import ingest_bytes, list_documents
    from dataforge.lib.lake import LocalLake
    from dataforge.lib.stages import DOCUMENT_STAGES, read_stage, read_text

    config = DataforgeConfig()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        lake = LocalLake(tmp)
        for path in sorted((ROOT / "samples").iterdir()):
            if path.is_file():
                ingest_bytes(lake, path.read_bytes(), path.name, str(path))
        doc_ids = list_documents(lake)
        for _, stage in DOCUMENT_STAGES:
            stage(lake, doc_ids, config)
        for build in (rel.build_entity_clusters, rel.build_knowledge_graph, rel.build_timeline):
            build(lake, "eval", config)
        rel.build_corpus_examples(lake, "eval", config)
        rel.build_training_dataset(lake, "eval", config)
        members = rel.freeze_members(lake, "eval")
        texts = {d: read_text(lake, d)["text"] for d in members}
        words = sum(len(t.split()) for t in texts.values())
        generated = [json.loads(r["record"]) for d in members for r in read_stage(lake, "document_examples", d)]
        generated += [json.loads(r["record"]) for r in lake.read_rows("silver/corpus_examples/eval.parquet")]
        datasets = rel.read_datasets(lake, "eval")
        released = [row for rows in datasets.values() for row in rows]
        augmented = replace(config, generate=replace(config.generate, augment=AugmentConfig(enabled=True)))
        inputs = _corpus_inputs(lake, members, config)
        extra = generate_corpus_examples(*inputs, augmented, generated)
        variants = Counter(ex["generator"] for ex in extra if ".augment/" in ex["generator"])
    cross = [ex for ex in generated if len(ex["source_documents"]) > 1]
    results = {
        "documents": len(members),
        "words": words,
        "generated": {
            "examples": len(generated),
            "per_1000_words_by_kind": _per_kword(Counter(ex["kind"] for ex in generated), words),
            "per_1000_words_by_generator": _per_kword(Counter(ex["generator"] for ex in generated), words),
            "cross_document": len(cross),
            "exact_spans": round(sum(_exact(ex, texts) for ex in generated) / max(len(generated), 1), 4),
            "document_summaries_per_document": round(
                sum(ex["kind"] == "summary" and ex["metadata"]["scope"] == "document" for ex in generated)
                / len(members),
                2,
            ),
        },
        "released": {
            "examples": len(released),
            "per_1000_words_by_kind": _per_kword(Counter({k: len(v) for k, v in datasets.items()}), words),
            "cross_document": sum(len(ex["source_documents"]) > 1 for ex in released),
        },
        "augmentation_per_1000_words": _per_kword(variants, words),
        "seconds": round(time.perf_counter() - started, 1),
        "date": time.strftime("%Y-%m-%d"),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


def _corpus_inputs(lake: Any, members: list[str], config: Any) -> tuple:
    """The inputs ``build_corpus_examples`` passes, read back from the release."""
    from dataforge.lib import release as rel
    from dataforge.lib.stages import read_stage, read_text, without_pii

    documents = {d: {**read_text(lake, d), "doc_id": d} for d in members}
    assignments = rel._assignments(lake, "eval")
    mentions = [
        {**m, "cluster_id": assignments.get(m["mention_id"])}
        for d in members
        for m in without_pii(documents[d]["text"], read_stage(lake, "document_mentions", d), config)
    ]
    return documents, rel._entities(lake, "eval"), mentions, [], [], []


if __name__ == "__main__":
    sys.exit(main())
