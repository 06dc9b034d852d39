"""Overhead of the NLP stages over the bare libraries, on the same texts in the same run.

125 CNN/DailyMail articles (shared/eval/summarization_cnndm_dev) are ingested into a fresh
lake and taken through text and chunks (not timed). Then, alternating, each run ``--repeat``
times (the best of each counts):
- NER: ``stages.document_mentions`` (read inputs, one ``nlp.pipe`` stream, mentions, label
  repair, coreference mentions, DocBin and Parquet writes) against a bare
  ``list(nlp.pipe(texts, batch_size))`` with the same pipeline on the same document texts;
  words/s of both, ratio goal >= 0.85.
- Embeddings: ``stages.chunk_embeddings`` (chunks and mention sentences in one encode call,
  Parquet writes; the process-wide vector cache emptied before each run) against a bare
  ``model.encode`` of exactly the texts it encodes; ratio of throughputs, goal >= 0.9.
Both wall and CPU time are recorded; on a machine shared with other work, CPU time is the
fair comparison.

    .venv/bin/python -m evals.ner_stage_speed [--repeat 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval" / "summarization_cnndm_dev" / "cnndm_dev125.jsonl"
RESULTS = ROOT / "bench" / "results" / "ner_stage_speed.json"


def prepare(folder: Path) -> tuple[object, list[str], list[str]]:
    from dataforge.lib import stages
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.ingest import ingest_bytes
    from dataforge.lib.lake import LocalLake

    lake = LocalLake(folder)
    articles = [json.loads(line)["article"] for line in DATA.read_text(encoding="utf-8").splitlines()]
    ids = [ingest_bytes(lake, a.encode(), f"article-{i}.txt", f"cnndm/{i}").doc_id for i, a in enumerate(articles)]
    config = DataforgeConfig()
    for stage in (stages.raw_document, stages.document_text, stages.document_chunks):
        stage(lake, ids, config)
    texts = [stages.read_text(lake, d)["text"] for d in ids]
    return lake, ids, texts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"skipped: {DATA} is absent")
        return 0
    from dataforge.lib import stages
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.embed import CACHE, load_embedder
    from dataforge.lib.nlp import pipeline_for

    config = DataforgeConfig()
    nlp = pipeline_for(config.nlp)
    with tempfile.TemporaryDirectory() as folder:
        lake, ids, texts = prepare(Path(folder))
        words = sum(len(t.split()) for t in texts)
        list(nlp.pipe(texts[:5]))  # warm up
        bare, stage = [], []
        for _ in range(args.repeat):
            bare.append(_timed(lambda: list(nlp.pipe(texts, batch_size=config.nlp.batch_size))))
            stage.append(_timed(lambda: stages.document_mentions(lake, ids, config)))
        stages.chunk_embeddings(lake, ids, config)  # warm up, and the texts it encodes
        encoded = _encoded_texts(lake, ids, config)
        model = load_embedder(config.nlp.embedding_model)
        size = config.nlp.embedding_batch_size
        bare_e, stage_e = [], []
        for _ in range(args.repeat):
            bare_e.append(_timed(lambda: model.encode(encoded, batch_size=size, normalize_embeddings=True)))
            CACHE.vectors.clear()  # the process-wide vector cache would make repeats free
            stage_e.append(_timed(lambda: stages.chunk_embeddings(lake, ids, config)))
    ner = {"documents": len(ids), "words": words, **_compare(bare, stage, words, "words")}
    ner["components"] = list(nlp.pipe_names)
    embeddings = {"texts": len(encoded), **_compare(bare_e, stage_e, len(encoded), "texts")}
    report = {
        "eval": "stage throughput vs the bare library on 125 CNN/DailyMail articles",
        "command": f".venv/bin/python -m evals.ner_stage_speed --repeat {args.repeat}",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, 2 cores (shared with other sessions), Python {sys.version.split()[0]}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "method": "interleaved runs; the best of each; CPU time (all threads of this process) is the "
        "fair measure on a shared machine, wall time is reported beside it",
        "ner": ner,
        "embeddings": embeddings,
        "goals_met": {
            "ner_ratio_0.85": ner["ratio_cpu"] >= 0.85,
            "embedding_ratio_0.9": embeddings["ratio_cpu"] >= 0.9,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


def _timed(work) -> tuple[float, float]:  # noqa: ANN001
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def _compare(bare: list, stage: list, amount: int, unit: str) -> dict:
    best = {
        name: (min(w for w, _ in runs), min(c for _, c in runs)) for name, runs in (("bare", bare), ("stage", stage))
    }
    return {
        f"bare_{unit}_per_second_wall": round(amount / best["bare"][0]),
        f"stage_{unit}_per_second_wall": round(amount / best["stage"][0]),
        f"bare_{unit}_per_cpu_second": round(amount / best["bare"][1]),
        f"stage_{unit}_per_cpu_second": round(amount / best["stage"][1]),
        "ratio_wall": round(best["bare"][0] / best["stage"][0], 3),
        "ratio_cpu": round(best["bare"][1] / best["stage"][1], 3),
        "bare_runs_wall_cpu": [[round(w, 2), round(c, 2)] for w, c in bare],
        "stage_runs_wall_cpu": [[round(w, 2), round(c, 2)] for w, c in stage],
    }


def _encoded_texts(lake, ids: list[str], config) -> list[str]:  # noqa: ANN001
    """Exactly what ``chunk_embeddings`` encodes: chunk texts, then each mention sentence once."""
    from dataforge.lib.stages import _load_for_embedding

    loaded: dict = {}
    for doc_id in ids:
        _load_for_embedding(lake, doc_id, config, loaded)
    texts = [c["text"] for chunks, _ in loaded.values() for c in chunks]
    return texts + list(dict.fromkeys(s for _, pairs in loaded.values() for _, s in pairs))


if __name__ == "__main__":
    raise SystemExit(main())
