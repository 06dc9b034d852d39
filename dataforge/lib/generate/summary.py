"""Extractive summaries: TF-IDF sentence centrality with MMR redundancy control.

One document-scope summary per document, plus section summaries for headed chunks.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, is_prose, make_example, span, tfidf

GEN_DOCUMENT = "summary.document/1"
GEN_SECTION = "summary.section/1"
MMR_LAMBDA = 0.7  # weight of centrality against redundancy with already chosen sentences
MIN_WORDS = 4  # shorter sentences, headings, table rows are only chosen when nothing else is
SECTION_MAX_SHARE = 0.9  # a section covering this much of the document adds nothing


def select(texts: list[str], k: int) -> list[int]:
    """Indices (in document order) of ``k`` central, mutually non-redundant sentences."""
    n = len(texts)
    if n <= k:
        return list(range(n))
    mat, vocab = tfidf(texts)
    if not vocab:
        return list(range(k))
    self_sim = np.einsum("ij,ij->i", mat, mat)
    centrality = (mat @ mat.sum(axis=0) - self_sim) / max(n - 1, 1)
    weak = np.array([len(t.split()) < MIN_WORDS or not is_prose(t) for t in texts])
    if (~weak).sum() >= k:
        centrality = np.where(weak, -1.0, centrality)
    chosen: list[int] = []
    max_sim = np.zeros(n)
    for _ in range(k):
        # rounded so that last-bit floating point noise cannot flip a near tie between machines
        score = np.round(MMR_LAMBDA * centrality - (1 - MMR_LAMBDA) * max_sim, 9)
        score[chosen] = -np.inf
        i = int(np.argmax(score))
        chosen.append(i)
        max_sim = np.maximum(max_sim, mat @ mat[i])
    return sorted(chosen)


def summary_length(words: int, base: int) -> int:
    """``base`` sentences under 1,000 words, one more per further 1,000, at most 3x base."""
    return max(1, min(base + words // 1000, 3 * base)) if words >= 1000 else max(1, base)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def summary_record(document: str, summary: str, scope: str, title: str, heading: str | None, n: int) -> dict[str, Any]:
    return {
        "document": document,
        "summary": summary,
        "summary_type": "extractive",
        "compression_ratio": round(len(summary) / len(document), 4) if document else 0.0,
        "metadata": {
            "scope": scope,
            "title": title or None,
            "heading": heading,
            "n_sentences": int(n),
            "method": "tfidf-centrality-mmr",
        },
    }


def document_summary(ctx: DocContext, config: DataforgeConfig) -> tuple[str, list[tuple]]:
    """The summary text and the sentence spans it was built from."""
    sents = ctx.sentences
    k = summary_length(len(ctx.text.split()), int(config.generate.summary_sentences))
    picked = [sents[i] for i in select([ctx.text[s:e] for s, e in sents], k)]
    return " ".join(_clean(ctx.text[s:e]) for s, e in picked), picked


def _sections(ctx: DocContext) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    for c in ctx.chunks:
        heading = _clean(str(c.get("heading") or ""))
        if not heading:
            continue
        if out and out[-1][0] == heading:
            out[-1] = (heading, out[-1][1], max(out[-1][2], c["end"]))
        else:
            out.append((heading, c["start"], c["end"]))
    return out


def generate(ctx: DocContext, config: DataforgeConfig) -> list[dict[str, Any]]:
    if not ctx.sentences:
        return []
    out = []
    summary, picked = document_summary(ctx, config)
    if summary:
        record = summary_record(ctx.text, summary, "document", ctx.title, None, len(picked))
        spans = [span(ctx.doc_id, s, e) for s, e in picked]
        out.append(make_example("summary", GEN_DOCUMENT, record, spans))
    base = int(config.generate.summary_sentences)
    for heading, s0, s1 in _sections(ctx):
        if s1 - s0 >= SECTION_MAX_SHARE * len(ctx.text):
            continue
        sents = [(s, e) for s, e in ctx.sentences if s0 <= s and e <= s1]
        if len(sents) < 3:
            continue
        k = max(1, min(base - 1, len(sents) // 3))
        chosen = [sents[i] for i in select([ctx.text[s:e] for s, e in sents], k)]
        text = " ".join(_clean(ctx.text[s:e]) for s, e in chosen)
        record = summary_record(ctx.text[s0:s1], text, "section", ctx.title, heading, len(chosen))
        spans = [span(ctx.doc_id, s, e) for s, e in chosen]
        out.append(make_example("summary", GEN_SECTION, record, spans))
    return out
