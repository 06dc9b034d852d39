"""Extractive summaries: embedding centrality with position awareness and MMR redundancy control.

Sentences are embedded (MiniLM through ``dataforge.lib.embed``; TF-IDF when configured or
when no embedder is given) and scored by *directed* centrality (PacSum, Zheng & Lapata 2019):
a sentence counts when the sentences after it say the same thing, which is how openings and
topic sentences behave, while similarity to earlier sentences counts against it (it repeats).
Maximal Marginal Relevance then picks ``k`` sentences that are central but not redundant.

One document-scope summary per document, plus section summaries for headed chunks.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, is_prose, make_example, span, tfidf

GEN_DOCUMENT = "summary.document/2"
GEN_SECTION = "summary.section/2"
Embed = Callable[[list[str]], np.ndarray]

# The four weights were chosen on the first 60 CNN/DM dev articles (evals/summary_cnndm.py)
MMR_LAMBDA = 0.6  # weight of centrality against redundancy with already chosen sentences
EDGE_THRESHOLD = 0.0  # PacSum beta: similarities below min + beta * (max - min) are no edge
FORWARD_WEIGHT = 1.0  # edges to later sentences (the sentence announces what follows)
BACKWARD_WEIGHT = -0.5  # edges to earlier sentences (the sentence repeats what came before)
MIN_WORDS = 4  # shorter sentences, headings, table rows are only chosen when nothing else is
MAX_WORDS = 80  # run-on "sentences" (a list or a table flattened) are weak too
SECTION_MAX_SHARE = 0.9  # a section covering this much of the document adds nothing


def _weak(texts: list[str]) -> np.ndarray:
    return np.array([not (MIN_WORDS <= len(t.split()) <= MAX_WORDS) or not is_prose(t) for t in texts])


BLOCK_ROWS = 512  # similarity rows computed at a time: memory stays O(n), never O(n^2)


def unit_rows(texts: list[str], vectors: np.ndarray | None) -> np.ndarray:
    """L2-normalized rows (float64) of the given sentence vectors, else of TF-IDF; a dot product is a cosine."""
    if vectors is None or len(vectors) != len(texts):
        vectors, vocab = tfidf(texts)
        if not vocab:
            return np.zeros((len(texts), 1))
    mat = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    return np.divide(mat, norms, out=np.zeros_like(mat), where=norms > 0)


def _off_diagonal_range(mat: np.ndarray) -> tuple[float, float]:
    """Smallest and largest cosine between two different rows, one block of rows at a time."""
    n, lo, hi = len(mat), np.inf, -np.inf
    for first in range(0, n, BLOCK_ROWS):
        block = mat[first : first + BLOCK_ROWS] @ mat[first:].T  # upper triangle only: symmetric
        rows = np.arange(len(block))  # row r of the block is row first + r: the diagonal is (r, r)
        block[rows, rows] = np.inf
        lo = min(lo, float(block.min()))
        block[rows, rows] = -np.inf
        hi = max(hi, float(block.max()))
    return lo, hi


def directed_centrality(mat: np.ndarray) -> np.ndarray:
    """PacSum centrality of each unit row, scaled to [0, 1], in O(n) memory.

    Edges are ``max(cos - threshold, 0)`` with ``threshold = lo + EDGE_THRESHOLD * (hi - lo)``.
    At EDGE_THRESHOLD 0 no off-diagonal edge is clipped, so a row's sum over later rows is a
    dot product with their running sum; otherwise rows are summed block by block.
    """
    n = len(mat)
    if n < 2:
        return np.ones(n)
    lo, hi = _off_diagonal_range(mat)
    threshold = lo + EDGE_THRESHOLD * (hi - lo)
    position = np.arange(n)
    if EDGE_THRESHOLD == 0:
        after = np.cumsum(mat[::-1], axis=0)[::-1] - mat  # sum of rows j > i
        before = np.cumsum(mat, axis=0) - mat  # sum of rows j < i
        forward = np.einsum("ij,ij->i", mat, after) - threshold * (n - 1 - position)
        backward = np.einsum("ij,ij->i", mat, before) - threshold * position
    else:
        forward, backward = np.zeros(n), np.zeros(n)
        for first in range(0, n, BLOCK_ROWS):
            edges = np.clip(mat[first : first + BLOCK_ROWS] @ mat.T - threshold, 0.0, None)
            later = position[None, :] > position[first : first + BLOCK_ROWS, None]
            earlier = position[None, :] < position[first : first + BLOCK_ROWS, None]
            forward[first : first + BLOCK_ROWS] = (edges * later).sum(axis=1)
            backward[first : first + BLOCK_ROWS] = (edges * earlier).sum(axis=1)
    score = FORWARD_WEIGHT * forward + BACKWARD_WEIGHT * backward
    score = score - score.min()
    top = score.max()
    return score / top if top > 0 else np.ones(n)


def select(texts: list[str], k: int, vectors: np.ndarray | None = None) -> list[int]:
    """Indices (in document order) of ``k`` central, mutually non-redundant sentences."""
    n = len(texts)
    if n <= k:
        return list(range(n))
    mat = unit_rows(texts, vectors)
    centrality = directed_centrality(mat)
    weak = _weak(texts)
    if (~weak).sum() >= k:
        centrality = np.where(weak, -1.0, centrality)
    chosen: list[int] = []
    max_sim = np.zeros(n)
    for _ in range(k):
        # rounded so that last-bit floating point noise cannot flip a near tie between machines
        score = np.round(MMR_LAMBDA * centrality - (1 - MMR_LAMBDA) * max_sim, 6)
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


def summary_record(
    document: str, summary: str, scope: str, title: str, heading: str | None, n: int, method: str
) -> dict[str, Any]:
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
            "method": method,
        },
    }


def sentence_vectors(ctx: DocContext, config: DataforgeConfig, embed: Embed | None) -> tuple[np.ndarray | None, str]:
    """One vector per ``ctx.sentences`` entry, and the method name recorded in metadata."""
    if config.generate.summary_method == "tfidf" or embed is None or not ctx.sentences:
        return None, "tfidf-pacsum-mmr"
    vectors = np.asarray(embed([_clean(ctx.text[s:e]) for s, e in ctx.sentences]), dtype=np.float64)
    return vectors, "embedding-pacsum-mmr"


def document_summary(
    ctx: DocContext, config: DataforgeConfig, vectors: np.ndarray | None = None
) -> tuple[str, list[tuple[int, int]]]:
    """The summary text and the sentence spans it was built from."""
    sents = ctx.sentences
    k = summary_length(len(ctx.text.split()), int(config.generate.summary_sentences))
    picked = [sents[i] for i in select([ctx.text[s:e] for s, e in sents], k, vectors)]
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


def generate(ctx: DocContext, config: DataforgeConfig, embed: Embed | None = None) -> list[dict[str, Any]]:
    if not ctx.sentences:
        return []
    vectors, method = sentence_vectors(ctx, config, embed)
    out = []
    summary, picked = document_summary(ctx, config, vectors)
    if summary:
        record = summary_record(ctx.text, summary, "document", ctx.title, None, len(picked), method)
        spans = [span(ctx.doc_id, s, e) for s, e in picked]
        out.append(make_example("summary", GEN_DOCUMENT, record, spans))
    base = int(config.generate.summary_sentences)
    starts = [s for s, _ in ctx.sentences]
    for heading, s0, s1 in _sections(ctx):
        if s1 - s0 >= SECTION_MAX_SHARE * len(ctx.text):
            continue
        first = bisect.bisect_left(starts, s0)  # sentences are sorted: no scan per section
        index = [i for i in range(first, bisect.bisect_right(starts, s1)) if ctx.sentences[i][1] <= s1]
        if len(index) < 3:
            continue
        k = max(1, min(base - 1, len(index) // 3))
        index = [i for i in index if ctx.sentences[i] not in picked]  # never repeat the document summary
        if len(index) < k:
            continue
        sub = None if vectors is None else vectors[index]
        chosen = [ctx.sentences[index[i]] for i in select([ctx.text[slice(*ctx.sentences[i])] for i in index], k, sub)]
        text = " ".join(_clean(ctx.text[s:e]) for s, e in chosen)
        record = summary_record(ctx.text[s0:s1], text, "section", ctx.title, heading, len(chosen), method)
        spans = [span(ctx.doc_id, s, e) for s, e in chosen]
        out.append(make_example("summary", GEN_SECTION, record, spans))
    return out
