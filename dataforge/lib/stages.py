"""Per-document stages over the lake: read inputs, call the domain functions, write outputs.

Each stage takes a batch of document ids and returns a ``BatchReport``. A document that
fails is quarantined with its reason and the batch goes on; a missing model or a broken
configuration fails the whole batch, since every document would fail the same way.
Assets call these functions; so do benchmarks that measure orchestration overhead.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from dataforge.lib import schemas
from dataforge.lib.chunk import chunk_document
from dataforge.lib.config import ConfigError, DataforgeConfig
from dataforge.lib.coref import COREF_MENTIONS, coref_mentions
from dataforge.lib.embed import EmbeddingModelMissingError, embed_texts
from dataforge.lib.entity_types import type_document
from dataforge.lib.extract import ExtractionError
from dataforge.lib.ingest import clear_quarantine, is_quarantined, quarantine, read_original
from dataforge.lib.lake import Lake
from dataforge.lib.language import detect_language, language_at
from dataforge.lib.nlp import (
    ENTITY_LABELS,
    ModelMissingError,
    chunk_sentences,
    mentions_from_parses,
    parse_documents,
    parses_from_bytes,
    parses_to_bytes,
)
from dataforge.lib.relations import extract_relations
from dataforge.lib.sandbox import extract_limited
from dataforge.lib.structure import outside_markup

FATAL = (ModelMissingError, EmbeddingModelMissingError, ConfigError, MemoryError, ImportError, SyntaxError)
Log = Callable[[str], None]


def silver_key(stage: str, doc_id: str, suffix: str = "parquet") -> str:
    return f"silver/{stage}/{doc_id}.{suffix}"


class UpstreamMissing(Exception):
    """The input of this stage does not exist (the document was quarantined earlier)."""


@dataclass
class BatchReport:
    stage: str
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # quarantined upstream
    quarantined: dict[str, str] = field(default_factory=dict)  # doc_id -> reason
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def metadata(self) -> dict[str, Any]:
        reasons = Counter(reason for reason in self.quarantined.values())
        return {
            "documents": len(self.done),
            "skipped_quarantined_upstream": len(self.skipped),
            "quarantined": len(self.quarantined),
            "quarantined_by_reason": dict(sorted(reasons.items())),
            **{k: v for k, v in sorted(self.counts.items())},
            "seconds": round(self.seconds, 3),
        }


def _run(
    stage: str, lake: Lake, doc_ids: Iterable[str], work: Callable[[str], dict[str, int]], log: Log | None
) -> BatchReport:
    report = BatchReport(stage)
    started = time.perf_counter()
    doc_ids = list(doc_ids)
    for index, doc_id in enumerate(doc_ids, 1):
        try:
            report.counts.update(work(doc_id))
            report.done.append(doc_id)
        except UpstreamMissing:
            report.skipped.append(doc_id)
        except FATAL:
            raise
        except ExtractionError as error:
            quarantine(lake, doc_id, stage, error.reason, error.message)
            report.quarantined[doc_id] = error.reason
        except Exception as error:  # one bad document never fails the batch
            reason = f"{stage}_error"
            quarantine(lake, doc_id, stage, reason, f"{type(error).__name__}: {error}")
            report.quarantined[doc_id] = reason
        if log and (index % 25 == 0 or index == len(doc_ids)):
            log(f"{stage}: {index}/{len(doc_ids)} documents, {len(report.quarantined)} quarantined")
    report.seconds = time.perf_counter() - started
    return report


def _read(lake: Lake, stage: str, doc_id: str, suffix: str = "parquet") -> Any:
    key = silver_key(stage, doc_id, suffix)
    if not lake.exists(key):
        if is_quarantined(lake, doc_id):
            raise UpstreamMissing(doc_id)
        raise FileNotFoundError(f"{key} is missing: materialize the upstream stage first")
    return lake.read_bytes(key) if suffix != "parquet" else lake.read_rows(key)


def read_text(lake: Lake, doc_id: str) -> dict[str, Any]:
    return _read(lake, "document_text", doc_id)[0]


def read_stage(lake: Lake, stage: str, doc_id: str) -> list[dict[str, Any]]:
    return _read(lake, stage, doc_id)


# --- the stages ---------------------------------------------------------------------------
def raw_document(lake: Lake, doc_ids: Iterable[str], config: DataforgeConfig, log: Log | None = None) -> BatchReport:
    """Check each stored original against its recorded sha256 and size limit."""
    import hashlib

    def work(doc_id: str) -> dict[str, int]:
        source, data = read_original(lake, doc_id)
        if hashlib.sha256(data).hexdigest() != source["sha256"]:
            raise ExtractionError("checksum_mismatch", "stored bytes differ from the recorded sha256")
        if len(data) > config.extract.max_bytes:
            raise ExtractionError("too_large", f"{len(data)} bytes > limit {config.extract.max_bytes}")
        if not data:
            raise ExtractionError("empty", "the file is empty (0 bytes)")
        clear_quarantine(lake, doc_id)
        return {"bytes": len(data)}

    return _run("raw_document", lake, doc_ids, work, log)


def document_text(lake: Lake, doc_ids: Iterable[str], config: DataforgeConfig, log: Log | None = None) -> BatchReport:
    def work(doc_id: str) -> dict[str, int]:
        if is_quarantined(lake, doc_id):
            raise UpstreamMissing(doc_id)
        source, data = read_original(lake, doc_id)
        extracted = extract_limited(data, source["file_name"], config.extract)  # OCR, limits, time/memory caps
        if not extracted.text.strip():
            raise ExtractionError("no_text", "no text could be extracted")
        meta = extracted.metadata
        row = {
            "doc_id": doc_id,
            "text": extracted.text,
            "media_type": extracted.media_type,
            "title": document_title(meta, source["file_name"]),
            "author": meta.get("author"),
            "date": meta.get("date"),
            # per-block languages are in metadata_json["language_spans"] (language.language_at)
            "language": meta.get("language") or detect_language(extracted.text),
            "page_count": int(meta.get("page_count") or len(extracted.pages)),
            "word_count": len(extracted.text.split()),
            "pages": [{"page": p, "start": s, "end": e} for p, s, e in extracted.pages],
            "metadata_json": json.dumps(meta, sort_keys=True, default=str),
            "subtitle": meta.get("subtitle"),
            "dateline": meta.get("dateline"),
            "byline": meta.get("byline"),
            "blocks": extracted.blocks,
        }
        lake.write_rows(silver_key("document_text", doc_id), [row], schemas.DOCUMENT_TEXT)
        return {"words": row["word_count"], "pages": row["page_count"], "characters": len(row["text"])}

    return _run("document_text", lake, doc_ids, work, log)


def document_title(meta: dict[str, Any], file_name: str) -> str:
    """The declared title unless it is a file name or a placeholder, then the headline found in the text."""
    from dataforge.lib.structure import usable_title

    for title in (meta.get("title"), meta.get("detected_title")):
        if usable_title(title):
            return title
    return file_name


def document_chunks(lake: Lake, doc_ids: Iterable[str], config: DataforgeConfig, log: Log | None = None) -> BatchReport:
    def work(doc_id: str) -> dict[str, int]:
        doc = read_text(lake, doc_id)
        chunks = chunk_document(doc_id, doc["text"], config.chunk)
        spans = json.loads(doc["metadata_json"] or "{}").get("language_spans") or []
        for chunk in chunks:  # each chunk knows its own language (mixed-language documents)
            chunk["language"] = language_at(spans, chunk["start"], chunk["end"]) if spans else doc["language"]
        lake.write_rows(silver_key("document_chunks", doc_id), chunks, schemas.DOCUMENT_CHUNKS)
        return {"chunks": len(chunks), "tokens": sum(c["n_tokens"] for c in chunks)}

    return _run("document_chunks", lake, doc_ids, work, log)


def document_mentions(
    lake: Lake, doc_ids: Iterable[str], config: DataforgeConfig, log: Log | None = None
) -> BatchReport:
    """NER for a whole batch in one ``nlp.pipe`` stream; non-English documents are skipped with a reason."""
    doc_ids = list(doc_ids)
    inputs: dict[str, tuple[str, list[dict[str, Any]], str]] = {}
    blocks_of: dict[str, Any] = {}  # headings, labels, front matter: no mentions there
    pre = _run("document_mentions", lake, doc_ids, lambda d: _load_for_ner(lake, d, inputs, blocks_of), None)
    english = [d for d, (_, _, language) in inputs.items() if language == "en"]
    # One stream for the batch, consumed a document at a time: only one document's parses live at once.
    stream = parse_documents([(d, inputs[d][0], inputs[d][1]) for d in english], config.nlp)

    def parses_of(doc_id: str) -> list[tuple[int, Any]]:
        if doc_id not in english:
            return []
        for parsed_id, parses in stream:
            if parsed_id == doc_id:
                return parses
        raise RuntimeError(f"the spaCy stream ended before {doc_id}: an earlier document of the batch broke it")

    def work(doc_id: str) -> dict[str, int]:
        if doc_id not in inputs:
            raise UpstreamMissing(doc_id)
        text, chunks, language = inputs.pop(doc_id)
        parses = parses_of(doc_id)
        # no mentions in headings, labels, front matter; then one type per entity (its mentions'
        # evidence) and every occurrence of its names, again outside markup
        blocks = blocks_of.pop(doc_id, None)
        named = outside_markup(mentions_from_parses(doc_id, parses, chunks), blocks)
        mentions = outside_markup(type_document(doc_id, text, parses, chunks, named), blocks)
        lake.write_bytes(silver_key("document_parses", doc_id, "spacy"), parses_to_bytes(parses))
        lake.write_rows(silver_key("document_mentions", doc_id), mentions, schemas.DOCUMENT_MENTIONS)
        linked = []
        if config.nlp.coref:  # pronouns and "the company" linked to named entities, kept apart
            named = [m for m in mentions if m["label"] in ENTITY_LABELS]
            linked = coref_mentions(doc_id, parses, named, chunk_sentences(chunks))
            lake.write_rows(silver_key("document_coref", doc_id), linked, COREF_MENTIONS)
        return {
            "mentions": len(mentions),
            "coref_mentions": len(linked),
            "words": len(text.split()),
            "skipped_not_english": int(language != "en"),
        }

    report = _run("document_mentions", lake, [d for d in doc_ids if d not in pre.quarantined], work, log)
    report.quarantined.update(pre.quarantined)
    report.seconds += pre.seconds
    return report


def _load_for_ner(lake: Lake, doc_id: str, inputs: dict, blocks_of: dict) -> dict[str, int]:
    doc = read_text(lake, doc_id)
    inputs[doc_id] = (doc["text"], read_stage(lake, "document_chunks", doc_id), doc["language"])
    blocks_of[doc_id] = doc.get("blocks")
    return {}


def document_relations(
    lake: Lake, doc_ids: Iterable[str], config: DataforgeConfig, log: Log | None = None
) -> BatchReport:
    def work(doc_id: str) -> dict[str, int]:
        mentions = read_stage(lake, "document_mentions", doc_id)
        parses = parses_from_bytes(_read(lake, "document_parses", doc_id, "spacy"), config.nlp)
        relations = extract_relations(doc_id, parses, mentions)
        lake.write_rows(silver_key("document_relations", doc_id), relations, schemas.DOCUMENT_RELATIONS)
        typed = sum(1 for r in relations if r["kind"] == "typed")
        return {"typed_relations": typed, "cooccurrences": len(relations) - typed}

    return _run("document_relations", lake, doc_ids, work, log)


def chunk_embeddings(
    lake: Lake, doc_ids: Iterable[str], config: DataforgeConfig, log: Log | None = None
) -> BatchReport:
    """Chunks and mention sentences of the whole batch in one ``encode`` call, then files per document.

    ``silver/mention_embeddings/<doc_id>.parquet`` holds one vector per named or coreferent
    mention: its sentence's (each sentence encoded once), the context for entity resolution.
    """
    doc_ids = list(doc_ids)
    loaded: dict[str, tuple[list[dict[str, Any]], list[tuple[str, str]]]] = {}
    pre = _run("chunk_embeddings", lake, doc_ids, lambda d: _load_for_embedding(lake, d, config, loaded), None)
    texts = [c["text"] for chunks, _ in loaded.values() for c in chunks]
    sentences = list(dict.fromkeys(s for _, pairs in loaded.values() for _, s in pairs))
    nlp = config.nlp
    vectors = embed_texts(texts + sentences, nlp.embedding_model, nlp.embedding_batch_size, nlp.embedding_precision)
    row_of_sentence = {s: len(texts) + i for i, s in enumerate(sentences)}
    offsets, position = {}, 0
    for d, (chunks, _) in loaded.items():
        offsets[d] = (position, position + len(chunks))
        position += len(chunks)

    def work(doc_id: str) -> dict[str, int]:
        if doc_id not in loaded:
            raise UpstreamMissing(doc_id)
        chunks, pairs = loaded[doc_id]
        start, end = offsets[doc_id]
        columns = {"doc_id": [doc_id] * len(chunks), "chunk_id": pa.array([c["chunk_id"] for c in chunks], pa.int32())}
        lake.write_table(silver_key("chunk_embeddings", doc_id), _vector_table(columns, vectors[start:end]))
        if config.nlp.mention_vectors:
            rows = vectors[[row_of_sentence[s] for _, s in pairs]].reshape(len(pairs), vectors.shape[1])
            columns = {"doc_id": [doc_id] * len(pairs), "mention_id": [m for m, _ in pairs]}
            lake.write_table(silver_key("mention_embeddings", doc_id), _vector_table(columns, rows))
        return {"vectors": end - start, "mention_vectors": len(pairs)}

    report = _run("chunk_embeddings", lake, [d for d in doc_ids if d not in pre.quarantined], work, log)
    report.quarantined.update(pre.quarantined)
    return report


def _load_for_embedding(lake: Lake, doc_id: str, config: DataforgeConfig, loaded: dict) -> dict[str, int]:
    """The chunks, and (mention_id, sentence) of every named and coreferent mention."""
    chunks = read_stage(lake, "document_chunks", doc_id)
    pairs: list[tuple[str, str]] = []
    if config.nlp.mention_vectors:
        text = read_text(lake, doc_id)["text"]
        mentions = [m for m in read_stage(lake, "document_mentions", doc_id) if m["label"] in ENTITY_LABELS]
        if lake.exists(silver_key("document_coref", doc_id)):
            mentions += read_stage(lake, "document_coref", doc_id)
        for m in mentions:
            sentence = text[m["sentence_start"] : m["sentence_end"]].strip() or m["text"]
            pairs.append((m["mention_id"], " ".join(sentence.split())))
    loaded[doc_id] = (chunks, pairs)
    return {}


def _vector_table(columns: dict[str, Any], vectors: Any) -> pa.Table:
    """Columns plus ``vector``: a fixed-size list of float32, one row per vector."""
    dimensions = vectors.shape[1]
    flat = pa.array(vectors.reshape(-1), pa.float32())
    table = {k: v if isinstance(v, pa.Array) else pa.array(v, pa.string()) for k, v in columns.items()}
    return pa.table({**table, "vector": pa.FixedSizeListArray.from_arrays(flat, dimensions)})


def document_examples(
    lake: Lake, doc_ids: Iterable[str], config: DataforgeConfig, log: Log | None = None
) -> BatchReport:
    """With ``generate.llm.enabled``, the batch's LLM requests are estimated (tokens, cost) and
    refused as a whole over budget before any is sent; LLM counts go into the metadata."""
    from dataforge.lib.generate import generate_document_examples, llm_requests
    from dataforge.lib.llm import open_llm

    doc_ids, llm = list(doc_ids), open_llm(config.generate.llm, lake)

    def inputs(doc_id: str) -> tuple[tuple, Any]:
        doc = read_text(lake, doc_id)
        document = {k: doc[k] for k in ("doc_id", "text", "title", "language", "date")}
        document["blocks"] = doc.get("blocks")  # markup spans: never an answer or summary sentence
        if lake.exists(silver_key("document_coref", doc_id)):  # pronouns in questions get their antecedent
            document["coref"] = read_stage(lake, "document_coref", doc_id)
        parsed = lake.exists(silver_key("document_parses", doc_id, "spacy"))
        parses = parses_from_bytes(_read(lake, "document_parses", doc_id, "spacy"), config.nlp) if parsed else None
        mentions = without_pii(doc["text"], read_stage(lake, "document_mentions", doc_id), config)
        relations = [r for r in read_stage(lake, "document_relations", doc_id) if r["kind"] == "typed"]
        return (document, read_stage(lake, "document_chunks", doc_id), mentions, relations), parses

    if llm is not None:
        requests = []
        for doc_id in doc_ids:
            try:
                args, parses = inputs(doc_id)
            except Exception:  # noqa: BLE001 - missing or broken upstream: `work` quarantines it
                continue
            requests += llm_requests(*args, config, parses)
        estimate = llm.check_budget(requests)  # LLMBudgetError: nothing of this batch is sent
        if log:
            log(estimate.describe())

    def work(doc_id: str) -> dict[str, int]:
        args, parses = inputs(doc_id)
        examples = generate_document_examples(*args, config, llm=llm, parses=parses)
        lake.write_rows(
            silver_key("document_examples", doc_id), schemas.example_rows(doc_id, examples), schemas.EXAMPLES
        )
        return Counter(f"examples_{e['kind']}" for e in examples)

    report = _run("document_examples", lake, doc_ids, work, log)
    if llm is not None:
        report.counts.update({f"llm_{k}": v for k, v in llm.stats.items()})
        report.counts["llm_spent_microusd"] = round(llm.spent_usd * 1e6)
    return report


def without_pii(text: str, mentions: list[dict[str, Any]], config: DataforgeConfig) -> list[dict[str, Any]]:
    """Drop mentions that overlap a contact identifier (spaCy tags "10 555 0147" as a DATE).

    Generators copy mention texts into answers and entity lists; a fragment of a phone
    number there would escape the pseudonymization that runs on whole examples later.
    """
    from dataforge.lib.quality import find_pii

    if config.quality.pii_strategy == "keep":
        return mentions
    # Names are replaced whole (the quality gate knows every PERSON mention of the document),
    # so person mentions stay: dropping them would leave no example about people at all.
    spans = find_pii(text, [t for t in config.quality.pii_types if t != "PERSON"])
    if not spans:
        return mentions
    return [m for m in mentions if not any(s[0] < m["end"] and m["start"] < s[1] for s in spans)]


DOCUMENT_STAGES: list[tuple[str, Callable[..., BatchReport]]] = [
    ("raw_document", raw_document),
    ("document_text", document_text),
    ("document_chunks", document_chunks),
    ("document_mentions", document_mentions),
    ("document_relations", document_relations),
    ("chunk_embeddings", chunk_embeddings),
    ("document_examples", document_examples),
]


def warm_up(config: DataforgeConfig) -> None:
    """Every per-document stage once on a two-sentence text in a scratch lake.

    Loads what each stage loads on first use (spaCy, the embedder, the tokenizer, the language
    identifier, the extractors), so that a long-lived process (``dataforge watch``) pays none
    of it on its first real document: about 0.7 s beyond the two models on these machines.
    """
    import tempfile

    from dataforge.lib.ingest import ingest_bytes
    from dataforge.lib.lake import LocalLake

    with tempfile.TemporaryDirectory(prefix="dataforge-warm-up-") as scratch:
        lake = LocalLake(scratch)
        text = b"Helena Marsh of Northwind Renewable Energy met the board in Oslo on 3 May 2024. She signed."
        doc_id = ingest_bytes(lake, text, "warm-up.txt", "warm-up").doc_id
        for _, stage in DOCUMENT_STAGES:
            stage(lake, [doc_id], config)
