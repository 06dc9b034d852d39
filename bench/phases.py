"""One benchmark phase per process, so peak memory (ru_maxrss) belongs to that phase alone.

Usage: python -m bench.phases PHASE CORPUS_DIR WORK_DIR  -> prints one JSON object.
Models are loaded before the clock starts; their load time is reported separately.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _warm_models() -> float:
    """Models and every lazily loaded piece, before the clock starts (lib.stages.warm_up)."""
    from dataforge import runner
    from dataforge.lib.config import DataforgeConfig

    return runner.warm_models(DataforgeConfig())


def _ingest(lake_dir: Path, corpus: Path) -> list[str]:
    from dataforge.lib.inbox import document_files
    from dataforge.lib.ingest import ingest_bytes
    from dataforge.lib.lake import LocalLake

    lake = LocalLake(lake_dir)
    return [ingest_bytes(lake, p.read_bytes(), p.name, str(p)).doc_id for p in document_files([corpus])]


def phase_dagster(corpus: Path, work: Path) -> dict[str, Any]:
    """The whole pipeline through the Dagster assets, on a SQLite instance like the demo."""
    os.environ["DATAFORGE_LAKE"] = str(work / "lake")
    os.environ["DAGSTER_HOME"] = str(work / "dagster")
    os.environ["DATAFORGE_LOG_LEVEL"] = "ERROR"
    from dataforge import runner
    from dataforge.lib.config import DataforgeConfig

    load_s = _warm_models()
    instance = runner.get_instance()
    runner.definitions()
    started = time.perf_counter()
    doc_ids = _ingest(work / "lake", corpus)
    runner.register(instance, "documents", doc_ids)
    runner.run_documents(instance, doc_ids, DataforgeConfig().run.batch_size)
    documents_s = time.perf_counter() - started
    runner.run_release(instance, "bench")
    total_s = time.perf_counter() - started
    return {
        "documents": len(doc_ids),
        "seconds": total_s,
        "documents_seconds": documents_s,
        "release_seconds": total_s - documents_s,
        "model_load_seconds": load_s,
        "peak_rss_mb": _peak_rss_mb(),
    }


def phase_plain(corpus: Path, work: Path) -> dict[str, Any]:
    """The same functions in a plain Python loop: no runs, no event log, no instance.

    Every function an asset calls is called here too (stage, previews, checks, metadata
    tables and pictures), so the ratio measures orchestration and nothing else. The release
    metadata builders live in dataforge.defs but only build values; their cost counts alike.
    """
    from dataforge.defs import release_metadata as extras
    from dataforge.lib import release as releases
    from dataforge.lib import stages
    from dataforge.lib.checks import DOCUMENT_CHECKS, export_checks, release_checks
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.lake import LocalLake
    from dataforge.lib.previews import document_preview, scrubbing

    RELEASE_EXTRAS = {  # noqa: N806
        "entity_clusters": extras.entity_metadata,
        "knowledge_graph": extras.graph_metadata,
        "timeline": extras.timeline_metadata,
        "training_dataset": extras.training_metadata,
        "dataset_exports": extras.export_metadata,
    }
    load_s = _warm_models()
    config = DataforgeConfig()
    lake = LocalLake(work / "lake")
    per_stage: dict[str, float] = {}
    started = time.perf_counter()
    doc_ids = _ingest(work / "lake", corpus)
    per_stage["ingest"] = time.perf_counter() - started
    size = config.run.batch_size
    for first in range(0, len(doc_ids), size):
        batch = doc_ids[first : first + size]
        for name, stage in stages.DOCUMENT_STAGES:
            t = time.perf_counter()
            report = stage(lake, batch, config)
            # the same extra work the asset does: its preview and its per-document check
            with scrubbing(config):
                document_preview(lake, name, report.done)
            if name in DOCUMENT_CHECKS:
                DOCUMENT_CHECKS[name][1](lake, batch)
            per_stage[name] = per_stage.get(name, 0.0) + time.perf_counter() - t
    documents_peak = _peak_rss_mb()  # the per-document stages stream: this should not grow with the corpus
    for name, build in [
        ("entity_clusters", releases.build_entity_clusters),
        ("knowledge_graph", releases.build_knowledge_graph),
        ("timeline", releases.build_timeline),
        ("corpus_examples", releases.build_corpus_examples),
        ("training_dataset", releases.build_training_dataset),
        ("dataset_exports", releases.build_exports),
    ]:
        t = time.perf_counter()
        result = build(lake, "bench", config)
        with scrubbing(config):  # the metadata and checks the release assets add
            if name in RELEASE_EXTRAS:
                RELEASE_EXTRAS[name](lake, "bench", result)
        if name == "training_dataset":
            release_checks(lake, "bench", config)
        if name == "dataset_exports":
            export_checks(lake, "bench", config)
        per_stage[name] = time.perf_counter() - t
    total_s = time.perf_counter() - started
    words = sum(stages.read_text(lake, d)["word_count"] for d in releases.processed_documents(lake))
    return {
        "documents": len(doc_ids),
        "seconds": total_s,
        "per_stage_seconds": per_stage,
        "words": words,
        "model_load_seconds": load_s,
        "documents_peak_rss_mb": documents_peak,
        "peak_rss_mb": _peak_rss_mb(),
    }


def phase_models(corpus: Path, work: Path) -> dict[str, Any]:
    """NER and embedding stages beside bare nlp.pipe / encode on the same texts, same run."""
    from dataforge.lib import stages
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.embed import load_embedder
    from dataforge.lib.lake import LocalLake
    from dataforge.lib.nlp import pipeline_for, segments

    _warm_models()
    config = DataforgeConfig()
    lake = LocalLake(work / "lake")
    doc_ids = _ingest(work / "lake", corpus)
    for _, stage in stages.DOCUMENT_STAGES[:3]:
        stage(lake, doc_ids, config)
    doc_ids = [d for d in doc_ids if lake.exists(stages.silver_key("document_chunks", d))]
    texts = []
    for doc_id in doc_ids:
        text = stages.read_text(lake, doc_id)["text"]
        chunks = stages.read_stage(lake, "document_chunks", doc_id)
        sentences = sorted({(s["start"], s["end"]) for c in chunks for s in c["sentences"]})
        texts += [text[s:e] for s, e in segments(text, sentences)]
    words = sum(len(t.split()) for t in texts)
    nlp = pipeline_for(config.nlp)
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=config.nlp.batch_size):
        pass
    bare_ner = time.perf_counter() - t
    t = time.perf_counter()
    stages.document_mentions(lake, doc_ids, config)
    stage_ner = time.perf_counter() - t
    # The stage encodes every chunk and, as entity-resolution context, each distinct sentence
    # holding a named or coreferent mention: the bare call gets exactly those texts.
    loaded: dict[str, Any] = {}
    for doc_id in doc_ids:
        stages._load_for_embedding(lake, doc_id, config, loaded)
    chunk_texts = [c["text"] for chunks, _ in loaded.values() for c in chunks]
    mention_sentences = list(dict.fromkeys(s for _, pairs in loaded.values() for _, s in pairs))
    embedder = load_embedder(config.nlp.embedding_model)
    t = time.perf_counter()
    embedder.encode(
        chunk_texts + mention_sentences, batch_size=config.nlp.embedding_batch_size, normalize_embeddings=True
    )
    bare_embed = time.perf_counter() - t
    t = time.perf_counter()
    stages.chunk_embeddings(lake, doc_ids, config)
    stage_embed = time.perf_counter() - t
    return {
        "words": words,
        "chunks": len(chunk_texts),
        "mention_sentences": len(mention_sentences),
        "bare_ner_seconds": bare_ner,
        "stage_ner_seconds": stage_ner,
        "bare_embed_seconds": bare_embed,
        "stage_embed_seconds": stage_embed,
        "ner_words_per_s_bare": words / bare_ner,
        "ner_words_per_s_stage": words / stage_ner,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _watch_latency(work: Path, text: str, config_yaml: str = "") -> dict[str, float]:
    """Drop a file into a running `dataforge watch` (models loaded, default 0.5 s look interval);
    seconds until its examples are written, measured from outside the watcher."""
    import subprocess

    inbox, lake = work / "watch-inbox", work / "watch-lake"
    inbox.mkdir(parents=True)
    env = {**os.environ, "DATAFORGE_LAKE": str(lake), "DAGSTER_HOME": str(work / "watch-dagster")}
    if config_yaml:
        (work / "watch-config.yaml").write_text(config_yaml, encoding="utf-8")
        env["DATAFORGE_CONFIG"] = str(work / "watch-config.yaml")
    command = [str(Path(sys.executable).parent / "dataforge"), "watch", str(inbox), "--max-documents", "1"]
    watcher = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        while "watching" not in (line := watcher.stdout.readline()):
            if not line:
                raise RuntimeError("dataforge watch ended before it was ready")
        (inbox / ".probe.txt.tmp").write_text(text, encoding="utf-8")
        started = time.perf_counter()
        os.replace(inbox / ".probe.txt.tmp", inbox / "latency-probe.txt")  # an upload lands whole
        examples = lake / "silver" / "document_examples"
        while not (examples.is_dir() and any(examples.glob("*.parquet"))):
            if watcher.poll() is not None:
                raise RuntimeError("dataforge watch ended without writing examples")
            time.sleep(0.01)
        latency = time.perf_counter() - started
        watcher.wait(timeout=60)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    return {"latency_s": latency, "interval_s": 0.5}


def _cold_start_seconds() -> float:
    """A fresh process importing the definitions and loading the models: what every run
    launched by the Dagster daemon pays before its first document."""
    import subprocess

    code = (
        "from dataforge import runner; from dataforge.lib.config import DataforgeConfig; "
        "runner.definitions(); runner.warm_models(DataforgeConfig())"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - started


def phase_inbox(corpus: Path, work: Path) -> dict[str, Any]:
    """A 100 KB document dropped into the inbox: seconds until its examples are written.

    Two paths: a running ``dataforge watch`` (a real process, measured from outside), and the
    inbox sensor evaluated here followed by the run it requests, in this process with models
    loaded (under ``dagster dev`` the daemon adds its tick, up to 15 s, and the cold start of
    a run process, reported apart).
    """
    os.environ["DATAFORGE_LAKE"] = str(work / "lake")
    os.environ["DAGSTER_HOME"] = str(work / "dagster")
    os.environ["DATAFORGE_INBOX"] = str(work / "inbox")
    os.environ["DATAFORGE_LOG_LEVEL"] = "ERROR"
    import dagster as dg

    from bench.corpus import generated_text
    from dataforge import runner
    from dataforge.defs.automation.sensors import inbox_sensor
    from dataforge.defs.resources import DataforgeResource

    text = generated_text(100_000, seed=4242)
    watch = _watch_latency(work, text)
    watch_bf16 = _watch_latency(work / "bf16", text, "nlp:\n  embedding_precision: bf16\n")
    _warm_models()
    instance = runner.get_instance()
    job = runner.definitions().resolve_job_def("document_pipeline")
    inbox = work / "inbox"
    inbox.mkdir(parents=True)
    started = time.perf_counter()
    (inbox / "latency-probe.txt").write_text(text, encoding="utf-8")
    context = dg.build_sensor_context(instance=instance, resources={"dataforge": DataforgeResource()})
    result = inbox_sensor(context)
    for request in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions("documents", list(request.partition_keys))
    for request in result.run_requests:
        job.execute_in_process(instance=instance, tags=request.tags, run_config=runner._run_config())
    latency = time.perf_counter() - started
    [doc_id] = [k for r in result.dynamic_partitions_requests for k in r.partition_keys]
    assert (work / "lake" / "silver" / "document_examples" / f"{doc_id}.parquet").is_file()
    return {
        "watch_latency_s": watch["latency_s"],
        "watch_bf16_latency_s": watch_bf16["latency_s"],
        "watch_interval_s": watch["interval_s"],
        "latency_s": latency,
        "sensor_interval_s": 15,
        "run_cold_start_s": _cold_start_seconds(),
        "peak_rss_mb": _peak_rss_mb(),
    }


PHASES = {"dagster": phase_dagster, "plain": phase_plain, "models": phase_models, "inbox": phase_inbox}

if __name__ == "__main__":
    name, corpus_dir, work_dir = sys.argv[1:4]
    Path(work_dir).mkdir(parents=True, exist_ok=True)
    print(json.dumps(PHASES[name](Path(corpus_dir), Path(work_dir))))
