"""Document-level curation: exact and near-duplicate documents, junk, Gopher/C4 flags,
language, coverage, and the per-document scrubbers (identifiers found in the whole text,
date shift, places)."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from dataforge.lib.config import QualityConfig
from dataforge.lib.quality.detect import find_pii
from dataforge.lib.quality.heuristics import document_flags, junk_reason
from dataforge.lib.quality.minhash import near_duplicates
from dataforge.lib.quality.pii import Scrubber
from dataforge.lib.quality.privacy import document_shift, generalize_locations

PLACE_LABELS = frozenset({"GPE", "LOC"})


def _norm_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()


ACTIONS = ("flag", "remove")


def curate_documents(
    documents: dict[str, dict[str, Any]],
    cfg: QualityConfig,
    seed: int,
    flagged: dict[str, list[str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """doc_id -> {reason, detail} for every document left out of the release.

    Order: exact duplicates (normalized text), near duplicates (MinHash-LSH), junk
    (``heuristics.junk_reason``: reason ``junk_<name>``), the Gopher/C4 filters, and the
    language filter on what is left. The first document of a duplicate group in doc_id order
    is kept. Gopher/C4 findings remove a document only with ``document_filters.action:
    remove`` (reason ``filter_<first>``); by default they are written to ``flagged``
    (doc_id -> every failing filter) and the document stays.
    """
    filters = cfg.document_filters
    if filters.action not in ACTIONS:
        raise ValueError(f"quality.document_filters.action must be one of {ACTIONS}, not {filters.action!r}")
    removed: dict[str, dict[str, Any]] = {}
    ids = sorted(documents)
    seen: dict[str, str] = {}
    for d in ids:
        h = _norm_hash(documents[d].get("text") or "")
        if h in seen:
            removed[d] = {"reason": "exact_duplicate", "detail": {"duplicate_of": seen[h]}}
        else:
            seen[h] = d
    nd = cfg.near_dup
    left = [d for d in ids if d not in removed]
    if nd.enabled and len(left) > 1:
        found = near_duplicates(
            [documents[d].get("text") or "" for d in left],
            shingle_words=nd.shingle_words,
            threshold=nd.threshold,
            measure=nd.measure,
            num_perm=nd.num_perm,
            bands=nd.bands,
            seed=seed,
        )
        for i, (keep, score) in found.items():
            removed[left[i]] = {
                "reason": "near_duplicate",
                "detail": {"duplicate_of": left[keep], "similarity": score, "measure": nd.measure},
            }
    for d in ids:
        if d in removed:
            continue
        text = documents[d].get("text") or ""
        if filters.enabled:
            junk = junk_reason(text, filters)
            if junk:
                removed[d] = {"reason": f"junk_{junk}", "detail": {}}
                continue
            flags = document_flags(text, filters)
            if flags and filters.action == "remove":
                removed[d] = {"reason": f"filter_{flags[0]}", "detail": {"flags": flags}}
                continue
            if flags and flagged is not None:
                flagged[d] = flags
        if cfg.languages:
            language = documents[d].get("language")
            if not language:
                from dataforge.lib.language import detect_language

                language = detect_language(text)
            if language not in cfg.languages:
                removed[d] = {"reason": "language", "detail": {"language": language}}
    return removed


def document_report(
    documents: dict[str, dict[str, Any]],
    removed: dict[str, dict[str, Any]],
    flagged: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Counts of removed documents by reason, and of kept documents by Gopher/C4 flag."""
    kept_flags = {d: f for d, f in (flagged or {}).items() if d not in removed}
    return {
        "in": len(documents),
        "out": len(documents) - len(removed),
        "removed": dict(sorted(Counter(r["reason"] for r in removed.values()).items())),
        "removed_documents": [{"doc_id": d, **removed[d]} for d in sorted(removed)],
        "flagged": dict(sorted(Counter(f for flags in kept_flags.values() for f in flags).items())),
        "flagged_documents": [{"doc_id": d, "flags": kept_flags[d]} for d in sorted(kept_flags)],
    }


def coverage_report(documents: dict[str, dict[str, Any]], datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """How many input documents the release uses: with at least one example, with a document summary.

    A document that contributes nothing is either removed (see ``documents.removed``) or
    lost later; ``without_examples`` lists them so a user can look.
    """
    ids = set(documents)
    used: set[str] = set()
    summarized: set[str] = set()
    for kind, rows in datasets.items():
        for ex in rows:
            sources = {str(d) for d in ex.get("source_documents") or []} & ids
            used |= sources
            meta = ex.get("metadata")
            if kind == "summary" and isinstance(meta, dict) and meta.get("scope") == "document":
                summarized |= sources
    n = len(ids)
    return {
        "documents": n,
        "with_examples": len(used),
        "with_document_summary": len(summarized),
        "share_with_examples": round(len(used) / n, 4) if n else 0.0,
        "share_with_document_summary": round(len(summarized) / n, 4) if n else 0.0,
        "without_examples": sorted(ids - used),
        "without_document_summary": sorted(ids - summarized),
    }


class Scrubbers:
    """One ``Scrubber`` per group of source documents, built lazily and cached."""

    def __init__(self, documents: dict[str, dict[str, Any]], cfg: QualityConfig, seed: int, nlp: Any = None) -> None:
        self.documents, self.cfg, self.seed, self.nlp = documents, cfg, seed, nlp
        self._known: dict[str, tuple[tuple[str, str], ...]] = {}
        self._places: dict[str, dict[str, str]] = {}
        self._cache: dict[tuple[str, ...], Scrubber] = {}
        self.persons: dict[str, list[Any]] = {}

    def prime(self, texts: list[str]) -> None:
        """Find the names of all these texts in one batched spaCy run (PERSON only)."""
        if "PERSON" in self.cfg.pii_types and self.cfg.pii_strategy != "keep" and self.nlp is not None:
            from dataforge.lib.quality.detect import person_spans_batch

            self.persons.update(person_spans_batch([t for t in texts if t not in self.persons], self.nlp))

    def known(self, doc_id: str) -> tuple[tuple[str, str], ...]:
        """Identifiers detected in the whole document (names from its PERSON mentions)."""
        if doc_id not in self._known:
            doc = self.documents.get(doc_id) or {}
            text = doc.get("text") or ""
            types = [t for t in self.cfg.pii_types if t != "PERSON"]
            found = {(text[s:e], k) for s, e, k in find_pii(text, types)} if self.cfg.pii_strategy != "keep" else set()
            if "PERSON" in self.cfg.pii_types and self.cfg.pii_strategy != "keep":
                mentions = doc.get("mentions")
                if mentions is None:
                    found |= {(text[s:e], k) for s, e, k in find_pii(text, ["PERSON"], self.nlp)}
                else:
                    found |= {(m["text"], "PERSON") for m in mentions if m.get("label") == "PERSON"}
            self._known[doc_id] = tuple(sorted(found))
        return self._known[doc_id]

    def places(self, doc_id: str) -> dict[str, str]:
        if doc_id not in self._places:
            doc = self.documents.get(doc_id) or {}
            text = doc.get("text") or ""
            mentions = doc.get("mentions")
            if mentions is None:
                from dataforge.lib.nlp import load_spacy

                nlp = self.nlp or load_spacy()
                names = [e.text for e in nlp(text).ents if e.label_ in PLACE_LABELS]
            else:
                names = [m["text"] for m in mentions if m.get("label") in PLACE_LABELS]
            self._places[doc_id] = generalize_locations(text, names)
        return self._places[doc_id]

    def for_example(self, example: dict[str, Any]) -> Scrubber:
        docs = tuple(sorted(str(d) for d in example.get("source_documents") or [] if str(d) in self.documents))
        if docs not in self._cache:
            cfg = self.cfg
            known = tuple(sorted({kv for d in docs for kv in self.known(d)}))
            key = docs[0] if docs else ""
            shift = document_shift(self.seed, key, cfg.max_date_shift_days) if cfg.shift_dates else None
            places: dict[str, str] = {}
            if cfg.generalize_locations:
                for d in docs:
                    for k, v in self.places(d).items():
                        places.setdefault(k, v)
            self._cache[docs] = Scrubber(
                cfg.pii_strategy, cfg.pii_types, self.seed, self.nlp, known, shift, places, self.persons
            )
        return self._cache[docs]
