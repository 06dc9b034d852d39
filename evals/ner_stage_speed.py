"""Overhead of the NLP stages over the bare libraries, on the same texts in the same run.

125 CNN/DailyMail articles (shared/eval/summarization_cnndm_dev) are ingested into a fresh
lake and taken through text and chunks (not timed). Then, alternating, each run ``--repeat``
times (the best of each counts):
- NER: ``stages.document_mentions`` (read inputs, one ``nlp.pipe`` stream, mentions, label
  repair, coreference mentions, DocBin and Parquet writes) against a bare
  ``list(nlp.pipe(texts, batch_size))`` with the same pipeline on the same document texts;
  words/s of both, ratio goal >= 0.85.
- Embeddings: ``stages.chunk_embeddings`` (chunks and mention sentences in one encode call,
  Parquet writes) against a bare ``model.encode`` of exactly the texts it encodes; ratio of
  throughputs, goal >= 0.9.

    .venv/bin/python -m evals.ner_stage_speed [--repeat 3]
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
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"skipped: {DATA} is absent")
        return 0
    from dataforge.lib import stages
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.embed import load_embedder
    from dataforge.lib.nlp import pipeline_for

    config = DataforgeConfig()
    nlp = pipeline_for(config.nlp)
    with tempfile.TemporaryDirectory() as folder:
        lake, ids, texts = prepare(Path(folder))
        words = sum(len(t.split()) for t in texts)
        list(nlp.pipe(texts[:5]))  # warm up
        bare, stage = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            list(nlp.pipe(texts, batch_size=config.nlp.batch_size, n_process=config.nlp.n_process))
            bare.append(time.perf_counter() - started)
            started = time.perf_counter()
            stages.document_mentions(lake, ids, config)
            stage.append(time.perf_counter() - started)
        stages.chunk_embeddings(lake, ids, config)  # warm up, and the texts it encodes
        encoded = _encoded_texts(lake, ids, config)
        model = load_embedder(config.nlp.embedding_model)
        bare_e, stage_e = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            model.encode(encoded, batch_size=config.nlp.embedding_batch_size, normalize_embeddings=True)
            bare_e.append(time.perf_counter() - started)
            started = time.perf_counter()
            stages.chunk_embeddings(lake, ids, config)
            stage_e.append(time.perf_counter() - started)
    ner = {
        "documents": len(ids),
        "words": words,
        "bare_nlp_pipe_words_per_second": round(words / min(bare)),
        "stage_words_per_second": round(words / min(stage)),
        "ratio": round(min(bare) / min(stage), 3),
        "bare_seconds": [round(t, 2) for t in bare],
        "stage_seconds": [round(t, 2) for t in stage],
        "components": list(nlp.pipe_names),
    }
    embeddings = {
        "texts": len(encoded),
        "bare_encode_texts_per_second": round(len(encoded) / min(bare_e)),
        "stage_texts_per_second": round(len(encoded) / min(stage_e)),
        "ratio": round(min(bare_e) / min(stage_e), 3),
        "bare_seconds": [round(t, 2) for t in bare_e],
        "stage_seconds": [round(t, 2) for t in stage_e],
    }
    report = {
        "eval": "stage throughput vs the bare library on 125 CNN/DailyMail articles",
        "command": ".venv/bin/python -m evals.ner_stage_speed",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, 2 cores, Python {sys.version.split()[0]}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "ner": ner,
        "embeddings": embeddings,
        "goals_met": {"ner_ratio_0.85": ner["ratio"] >= 0.85, "embedding_ratio_0.9": embeddings["ratio"] >= 0.9},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


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
