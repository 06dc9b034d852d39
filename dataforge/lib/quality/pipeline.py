"""The quality gate between generated examples and a dataset release.

documents (exact dup, near dup, Gopher/C4, language) -> review rejections -> PII and
privacy scrub -> example filters (usability, length, tokens, language, heuristics) ->
toxicity -> decontamination -> exact dedup -> semantic dedup -> quality gate (``gate``: scores
every example, rejects those below ``min_example_score``) -> splits -> group by kind.

Every removal is recorded with its stage and reason in ``report["removals"]``, and counted
per stage, so ``quality_report.json`` explains where every example went. Everything is
deterministic: input is sorted by (id, content) first, and "keep the first" means first in
that order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dataforge.lib.quality.admit import Admission, order_key, removal_row
from dataforge.lib.quality.decontam import load_index
from dataforge.lib.quality.dedup import content_key
from dataforge.lib.quality.detect import _check_types
from dataforge.lib.quality.documents import Scrubbers, coverage_report, curate_documents, document_report
from dataforge.lib.quality.filters import _filter_reason, _quality, token_counts
from dataforge.lib.quality.gate import run_gate
from dataforge.lib.quality.pii import scrub_example
from dataforge.lib.quality.release_signals import release_signals
from dataforge.lib.quality.schema import KINDS, PROVENANCE_FIELDS, SPLITS, example_kind
from dataforge.lib.quality.semantic import semantic_duplicates
from dataforge.lib.quality.splits import assign_splits, split_report
from dataforge.lib.quality.tokens import _strings, content_text, stats
from dataforge.lib.quality.toxicity import flags
from dataforge.lib.records import rejected_row

SEMANTIC_KINDS = ("instruction", "qa", "summary", "conversation")
SEMANTIC_WORDS = 32  # the lesson is in the first words; short inputs keep embedding cheap on a CPU


def is_document_summary(example: dict[str, Any]) -> bool:
    """Every document keeps its one document-level summary: dedup never removes it."""
    meta = example.get("metadata")
    return example_kind(example) == "summary" and isinstance(meta, dict) and meta.get("scope") == "document"


_order_key = order_key


def semantic_text(example: dict[str, Any]) -> str:
    """What two examples must share to be the same lesson: qa question + answer (not the
    context), a summary's summary, a conversation's turns (not the system turn's passage), all
    other content fields."""
    kind = example_kind(example)
    if kind == "qa":
        text = f"{example.get('question', '')} {example.get('answer', '')}"
    elif kind == "summary":
        text = str(example.get("summary", ""))
    elif kind == "conversation":  # the turns: the system turn quotes the same source for every one
        turns = [t for t in example.get("conversations") or [] if isinstance(t, dict) and t.get("role") != "system"]
        text = " ".join(str(t.get("content") or "") for t in turns)
    else:
        text = content_text(example)
    return " ".join(text.split()[:SEMANTIC_WORDS])


def _per_kind(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    c = Counter(example_kind(r) for r in rows)
    return {k: c.get(k, 0) for k in KINDS}


class _Log:
    """Removals, in the order they happen."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def drop(self, ex: dict[str, Any], stage: str, reason: str, detail: Any = None) -> None:
        self.rows.append(removal_row(ex, stage, reason, detail))

    def count(self, stage: str) -> dict[str, int]:
        return dict(sorted(Counter(r["reason"] for r in self.rows if r["stage"] == stage).items()))


def _embedder(config: Any) -> Callable[[list[str]], np.ndarray]:
    from dataforge.lib.embed import embed_texts

    nlp = getattr(config, "nlp", None)
    model = getattr(nlp, "embedding_model", None) or "all-MiniLM-L6-v2"
    precision = getattr(nlp, "embedding_precision", "fp32")
    return lambda texts: embed_texts(texts, model, precision=precision)


def _nlp(config: Any, types: Iterable[str]) -> Any:
    if "PERSON" not in types:
        return None
    from dataforge.lib.nlp import load_spacy

    return load_spacy(getattr(getattr(config, "nlp", None), "spacy_model", None) or "en_core_web_sm")


@dataclass
class Curated:
    """What curation makes of a release's examples: the datasets, the quality report, and
    the rejected rows per kind (``rejected/<kind>.jsonl``: the row plus ``rejected``)."""

    datasets: dict[str, list[dict[str, Any]]]
    report: dict[str, Any]
    rejected: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def build_training_dataset(
    examples: list[dict[str, Any]],
    release: str,
    config: Any,
    seed: int | None = None,
    documents: dict[str, dict[str, Any]] | None = None,
    decisions: dict[str, str] | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    split_assignments: dict[str, str] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Curate examples into the seven datasets and the quality report (see ``curate``)."""
    curated = curate(examples, release, config, seed, documents, decisions, embed, split_assignments=split_assignments)
    return curated.datasets, curated.report


def _rejected_rows(gated: Any, release: str, split: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Rejected examples shaped like the shipped rows of their kind (split: their documents')."""
    split_of = {str(d): ex["split"] for ex in split for d in ex.get("source_documents") or []}
    out: dict[str, list[dict[str, Any]]] = {}
    for ex, reasons, score, stage in gated.rejected:
        kind = example_kind(ex)
        docs = [split_of[str(d)] for d in ex.get("source_documents") or [] if str(d) in split_of]
        meta = ex.get("metadata") if isinstance(ex.get("metadata"), dict) else {}
        row = {
            **ex,
            "metadata": {**meta, "quality": {"score": round(score, 4), "reasons": reasons}},
            "kind": kind,
            "release": release,
            "split": docs[0] if docs else None,
        }
        out.setdefault(kind, []).append(rejected_row(row, reasons, score, stage))
    return {k: sorted(v, key=_order_key) for k, v in sorted(out.items())}


def curate(
    examples: list[dict[str, Any]],
    release: str,
    config: Any,
    seed: int | None = None,
    documents: dict[str, dict[str, Any]] | None = None,
    decisions: dict[str, str] | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    graph: dict[str, list[dict[str, Any]]] | None = None,
    split_assignments: dict[str, str] | None = None,
) -> Curated:
    """Curate examples into the seven datasets, the quality report and the rejected rows.

    ``config``: a DataforgeConfig (its ``seed``, ``quality``, ``nlp`` models) or a
    QualityConfig (seed 13 unless given). ``documents``: doc_id -> {text, language?,
    mentions?} of the release (enables the document stage, source-text PII detection, date
    shifting and location generalization). ``decisions``: example id -> 'accept' | 'reject'
    from human review. ``embed``: texts -> vectors for semantic dedup (default: the
    configured sentence-transformers model). ``graph``: the release's graph mentions and
    entities, for the automatic signals (``release_signals``); documents may carry ``blocks``.
    ``split_assignments``: document -> split of earlier releases, kept; documents assigned now
    are added to it (splits.assign_splits).
    """
    admission = admit_documents(config, documents, seed)
    admission.add(examples)
    return curate_admitted(admission, release, config, seed, documents, decisions, embed, graph, split_assignments)


def admit_documents(config: Any, documents: dict[str, dict[str, Any]] | None, seed: int | None = None) -> Admission:
    """Curate the documents, before any example is read; examples are then ``add``ed in batches
    (a release streams them) and ``curate_admitted`` does the rest. Same result as ``curate``."""
    cfg = _quality(config)
    seed = getattr(config, "seed", 13) if seed is None else seed
    flagged_docs: dict[str, list[str]] = {}
    return Admission(curate_documents(documents or {}, cfg, seed, flagged_docs), flagged_docs)


def curate_admitted(
    admission: Admission,
    release: str,
    config: Any,
    seed: int | None = None,
    documents: dict[str, dict[str, Any]] | None = None,
    decisions: dict[str, str] | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    graph: dict[str, list[dict[str, Any]]] | None = None,
    split_assignments: dict[str, str] | None = None,
) -> Curated:
    """``curate`` after ``admit_documents`` and its batches (the arguments are ``curate``'s)."""
    cfg = _quality(config)
    seed = getattr(config, "seed", 13) if seed is None else seed
    documents = documents or {}
    log = _Log()
    removed_docs, flagged_docs = admission.removed_docs, admission.flagged_docs
    n_examples, examples_by_kind = admission.count, admission.by_kind()
    current, log.rows = admission.finish()

    rejected = {i for i, d in (decisions or {}).items() if d == "reject"}
    kept = []
    for ex in current:
        if str(ex.get("id")) in rejected:
            log.drop(ex, "review", "rejected_in_review")
        else:
            kept.append(ex)
    current = kept

    scrubbers = Scrubbers(documents, cfg, seed, _nlp(config, cfg.pii_types))
    scrubbers.prime([s for ex in current for k, v in ex.items() if k not in PROVENANCE_FIELDS for s in _strings(v)])
    pii: Counter[str] = Counter()
    affected = 0
    scrubbed = []
    for i, ex in enumerate(current):
        new, c = scrub_example(ex, cfg.pii_strategy, cfg.pii_types, seed, scrubbers.for_example(ex))
        affected += any(k not in ("DATE", "LOCATION") for k in c)
        pii.update(c)
        scrubbed.append(new)
        current[i] = None  # type: ignore[call-overload]  # the unscrubbed copy is not needed again
    del current

    tokens = token_counts(scrubbed, cfg.tokenizer)
    filtered = []
    for ex in scrubbed:
        reason = _filter_reason(ex, cfg, tokens[id(ex)])
        if reason:
            log.drop(ex, "filters", reason)
        else:
            filtered.append(ex)

    flagged: Counter[str] = Counter()
    toxic_kept = []
    for ex, f in zip(
        filtered,
        flags(
            [content_text(e) for e in filtered], cfg.toxicity_wordlist, cfg.toxicity_classifier, cfg.toxicity_threshold
        ),
        strict=True,
    ):
        flagged.update(f)
        if f and cfg.toxicity_action == "drop":
            log.drop(ex, "toxicity", f[0], {"flags": f})
            continue
        if f:
            meta = ex.get("metadata") if isinstance(ex.get("metadata"), dict) else {}
            ex = {**ex, "metadata": {**meta, "quality_flags": f}}
        toxic_kept.append(ex)

    index = load_index(cfg.decontamination_sets, cfg.decontamination_ngram)
    clean = []
    for ex in toxic_kept:
        gram = index.hit(content_text(ex)) if index else None
        if gram:
            log.drop(ex, "decontamination", "benchmark_overlap", {"ngram": " ".join(gram)})
        else:
            clean.append(ex)

    seen: dict[str, Any] = {}
    deduped = []
    for ex in clean:
        key = content_key(ex)
        if key in seen and not is_document_summary(ex):
            log.drop(ex, "dedup", "exact_duplicate", {"duplicate_of": seen[key]})
        else:
            seen[key] = ex.get("id")
            deduped.append(ex)

    semantic_out = []
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for ex in deduped:
        by_kind.setdefault(example_kind(ex), []).append(ex)
    embed = embed or (_embedder(config) if cfg.semantic_threshold > 0 else None)
    for kind, rows in by_kind.items():
        dups = {}
        if kind in SEMANTIC_KINDS and embed is not None:
            dups = semantic_duplicates([semantic_text(r) for r in rows], cfg.semantic_threshold, embed)
        for i, ex in enumerate(rows):
            if i in dups and not is_document_summary(ex):
                j, cos = dups[i]
                log.drop(ex, "semantic_dedup", "semantic_duplicate", {"duplicate_of": rows[j].get("id"), "cosine": cos})
            else:
                semantic_out.append(ex)
    semantic_out.sort(key=_order_key)

    gated = run_gate(semantic_out, cfg.min_example_score)
    for ex, reasons, score, stage in gated.rejected:
        log.drop(ex, stage, reasons[0] if reasons else "low_score", {"reasons": reasons, "score": round(score, 4)})

    split, cross = assign_splits(gated.kept, cfg.split_ratios, seed, split_assignments)
    for ex in cross:
        log.drop(ex, "splits", "cross_split", {"source_documents": sorted(ex.get("source_documents") or [])})

    datasets: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for ex in split:
        kind = example_kind(ex)
        datasets.setdefault(kind, []).append({**ex, "kind": kind, "release": release})
    for kind in datasets:
        datasets[kind].sort(key=_order_key)
    n_tokens = {str(e.get("id")): tokens[id(e)] for e in scrubbed}
    types = _check_types(cfg.pii_types)

    report = {
        "release": release,
        "seed": seed,
        "input": {"examples": n_examples, "by_kind": examples_by_kind, "documents": len(documents)},
        "documents": document_report(documents, removed_docs, flagged_docs),
        "coverage": coverage_report(documents, datasets),
        "review": {"decisions": len(decisions or {}), "rejected": sum(1 for r in log.rows if r["stage"] == "review")},
        "pii": {
            "strategy": cfg.pii_strategy,
            "types": list(types),
            "by_type": {t: pii.get(t, 0) for t in types},
            "total": sum(n for k, n in pii.items() if k not in ("DATE", "LOCATION")),
            "examples_affected": affected,
        },
        "privacy": {
            "shift_dates": cfg.shift_dates,
            "max_date_shift_days": cfg.max_date_shift_days if cfg.shift_dates else 0,
            "dates_shifted": pii.get("DATE", 0),
            "generalize_locations": cfg.generalize_locations,
            "locations_generalized": pii.get("LOCATION", 0),
        },
        "filters": {
            "in": len(scrubbed),
            "out": len(filtered),
            "removed": log.count("filters"),
            "min_chars": cfg.min_chars,
            "max_chars": cfg.max_chars,
            "max_tokens": cfg.max_tokens,
            "languages": list(cfg.languages),
        },
        "toxicity": {
            "action": cfg.toxicity_action,
            "flagged": dict(sorted(flagged.items())),
            "removed": len(filtered) - len(toxic_kept),
        },
        "decontamination": {
            "sets": list(cfg.decontamination_sets),
            "ngram": cfg.decontamination_ngram,
            "removed": len(toxic_kept) - len(clean),
        },
        "dedup": {
            "in": len(clean),
            "out": len(deduped),
            "removed": len(clean) - len(deduped),
            "by_kind": _per_kind([r for r in log.rows if r["stage"] == "dedup"]),
        },
        "semantic_dedup": {
            "threshold": cfg.semantic_threshold,
            "kinds": list(SEMANTIC_KINDS),
            "removed": len(deduped) - len(semantic_out),
            "by_kind": _per_kind([r for r in log.rows if r["stage"] == "semantic_dedup"]),
        },
        "gate": gated.report(cfg.min_example_score),
        "splits": {
            **split_report(split, cross, cfg.split_ratios),
            "by_kind": {k: {s: sum(1 for r in datasets[k] if r["split"] == s) for s in SPLITS} for k in datasets},
        },
        "tokens": {
            "tokenizer": cfg.tokenizer,
            "by_kind": {k: stats([n_tokens.get(str(r.get("id")), 0) for r in rows]) for k, rows in datasets.items()},
        },
        "output": {
            "examples": sum(len(v) for v in datasets.values()),
            "by_kind": {k: len(v) for k, v in datasets.items()},
        },
        "signals": release_signals(datasets, graph, documents),
        "removals": log.rows,
    }
    return Curated(datasets, report, _rejected_rows(gated, release, split))
