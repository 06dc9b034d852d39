"""Extractive summaries a reader accepts: lead prior, centrality and redundancy, in context.

Sentences are embedded (MiniLM through ``dataforge.lib.embed``; TF-IDF when configured or
when no embedder is given). The document summary (``select_document``) scores a sentence by
a position prior (news and reports put the point first) plus its cosine to the document's
centroid, less a penalty for opening with a quotation, and picks greedily with Maximal
Marginal Relevance until the summary is closest to a word budget; a near copy of a chosen
sentence (a photo caption repeating the lead) is never added. Section summaries use
*directed* centrality (PacSum, Zheng & Lapata 2019) with MMR (``select``).

Both skip what reads wrong out of context: a sentence that opens with a pronoun or a
connective ("It", "However") is taken only right after the sentence before it; disclaimer
and furniture lines ("Figures refer to ... unless stated otherwise.") never. A section whose
heading is a question ("Where is NREC headquartered?") always includes its best answer.

One document-scope summary per document, plus section summaries for headed chunks.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from dataforge.lib.clean import is_boilerplate_line
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, is_prose, make_example, span, terms, tfidf

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

# Document summary weights, tuned on the first 62 CNN/DM dev articles (evals/summary_cnndm.py)
POSITION_POWER = 2.0  # prior 1 / (1 + position) ** power
CENTROID_WEIGHT = 0.5  # cosine to the mean sentence vector
QUOTE_PENALTY = 0.2  # a sentence opening with a quotation is a voice, rarely the point
DOC_MMR = 0.3  # redundancy weight against chosen sentences
NEAR_COPY = 0.85  # cosine above which a sentence repeats a chosen one
WORDS_PER_SENTENCE = 27  # word budget per summary sentence (3 sentences: about 80 words)
DOC_MIN_WORDS = 8  # after the first sentence, shorter ones are fragments or asides

# A sentence opening like this leans on the one before it.
_DEPENDENT = frozenset(
    """it its this that these those he she they him her his their them however but and also meanwhile
    moreover furthermore instead still yet so then such both besides nevertheless nonetheless thus
    therefore hence otherwise likewise similarly consequently additionally later there""".split()
)
_OPENING_QUOTE = re.compile(r"^[\"'‘“]")
_DISCLAIMER = re.compile(
    r"\b(?:unless (?:otherwise )?(?:stated|noted|indicated)|figures (?:refer|are) (?:to|in)\b|all figures\b"
    r"|forward-looking statements|for more information|click here|subscribe\b|all rights reserved"
    r"|this (?:page|document|article|release|section) (?:answers|describes|contains|explains|summari[sz]es)"
    r"|(?:photo|image|picture)s?\s*(?:credit)?:|getty images|follow us\b|terms of (?:use|service)|privacy policy)",
    re.IGNORECASE,
)


def dependent(text: str) -> bool:
    """Does the sentence open with a pronoun or connective that needs the sentence before it?"""
    first = re.match(r"[\"'‘“(]*([A-Za-z]+)", text)
    return bool(first) and first.group(1).lower() in _DEPENDENT


def boilerplate(text: str) -> bool:
    """A disclaimer, credit or furniture sentence: never summary material."""
    return is_boilerplate_line(text) or bool(_DISCLAIMER.search(text))


def _allowed(texts: list[str], chosen: list[int]) -> np.ndarray:
    """Sentences that may be added now: no boilerplate; a dependent one only after its predecessor."""
    ok = np.array([not boilerplate(t) for t in texts])
    taken = set(chosen)
    for i, t in enumerate(texts):
        if i and i - 1 not in taken and dependent(t):
            ok[i] = False
    return ok


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


def select(texts: list[str], k: int, vectors: np.ndarray | None = None, first: int | None = None) -> list[int]:
    """Indices (in document order) of up to ``k`` central, mutually non-redundant sentences
    that read well out of context (``_allowed``); ``first``: an index that must be included."""
    n = len(texts)
    mat = unit_rows(texts, vectors)
    centrality = directed_centrality(mat)
    weak = _weak(texts)
    if (~weak).sum() >= k:
        centrality = np.where(weak, -1.0, centrality)
    chosen: list[int] = []
    max_sim = np.zeros(n)
    while len(chosen) < min(k, n):
        ok = _allowed(texts, chosen)
        ok[chosen] = False
        if first is not None and not chosen:
            ok[:] = False
            ok[first] = True
        if not ok.any():
            break
        # rounded so that last-bit floating point noise cannot flip a near tie between machines
        score = np.round(MMR_LAMBDA * centrality - (1 - MMR_LAMBDA) * max_sim, 6)
        score[~ok] = -np.inf
        i = int(np.argmax(score))
        chosen.append(i)
        max_sim = np.maximum(max_sim, mat @ mat[i])
    return sorted(chosen)


def select_document(texts: list[str], k: int, vectors: np.ndarray | None = None) -> list[int]:
    """Indices (in document order) of the document summary: ``k - 1`` to ``k + 1`` sentences,
    as many as bring it closest to ``k * WORDS_PER_SENTENCE`` words (at most half the
    document's words); all of them when there are no more than ``k``."""
    n = len(texts)
    if n <= k:
        return list(range(n))
    mat = unit_rows(texts, vectors)
    centroid = mat.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    centrality = mat @ (centroid / norm) if norm > 0 else np.zeros(n)
    words = np.array([len(t.split()) for t in texts])
    position = np.arange(n)
    score = 1.0 / (1.0 + position) ** POSITION_POWER + CENTROID_WEIGHT * centrality
    score -= QUOTE_PENALTY * np.array([bool(_OPENING_QUOTE.match(t)) for t in texts])
    weak = _weak(texts) | ((words < DOC_MIN_WORDS) & (position > 0))
    score = np.where(weak, score - 5.0, score)  # taken only when nothing else is left
    budget = min(k * WORDS_PER_SENTENCE, int(words.sum()) // 2)  # a summary is shorter than its document
    chosen: list[int] = []
    max_sim = np.zeros(n)
    total = 0
    while len(chosen) < k + 1:
        ok = _allowed(texts, chosen) & (max_sim <= NEAR_COPY)
        ok[chosen] = False
        if not ok.any():
            break
        # rounded so that last-bit floating point noise cannot flip a near tie between machines
        gain = np.round(score - DOC_MMR * max_sim, 6)
        gain[~ok] = -np.inf
        i = int(np.argmax(gain))
        if len(chosen) >= max(1, k - 1) and abs(total + words[i] - budget) >= abs(total - budget):
            break
        chosen.append(i)
        total += int(words[i])
        max_sim = np.maximum(max_sim, mat @ mat[i])
    return sorted(chosen)


def answer_sentence(question: str, texts: list[str], vectors: np.ndarray | None, heading_vector: Any) -> int | None:
    """The sentence that best answers a question heading: most shared content words (by
    five-letter stem), then cosine to the heading; None when nothing shares a word."""
    stems = {w[:5] for w in terms(question)}
    if not stems or not texts:
        return None
    overlap = np.array([len(stems & {w[:5] for w in terms(t)}) for t in texts], dtype=np.float64)
    if overlap.max() <= 0:
        return None
    if vectors is not None and heading_vector is not None:
        rows = unit_rows(texts, vectors)
        h = np.asarray(heading_vector, dtype=np.float64)
        overlap += 0.5 * rows @ (h / (np.linalg.norm(h) or 1.0))
    overlap[[boilerplate(t) or not is_prose(t) for t in texts]] -= 100.0
    return int(np.argmax(np.round(overlap, 6)))


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
        return None, "tfidf-lead-mmr"
    vectors = np.asarray(embed([_clean(ctx.text[s:e]) for s, e in ctx.sentences]), dtype=np.float64)
    return vectors, "embedding-lead-mmr"


def document_summary(
    ctx: DocContext, config: DataforgeConfig, vectors: np.ndarray | None = None
) -> tuple[str, list[tuple[int, int]]]:
    """The summary text and the sentence spans it was built from."""
    sents = ctx.sentences
    k = summary_length(len(ctx.text.split()), int(config.generate.summary_sentences))
    picked = [sents[i] for i in select_document([_clean(ctx.text[s:e]) for s, e in sents], k, vectors)]
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
        answer = _answer(ctx, heading, index, vectors, embed)
        # never repeat the document summary, except the answer to a question heading
        index = [i for i in index if ctx.sentences[i] not in picked or i == answer]
        if len(index) < k:
            continue
        sub = None if vectors is None else vectors[index]
        texts = [_clean(ctx.text[slice(*ctx.sentences[i])]) for i in index]
        order = select(texts, k, sub, None if answer is None else index.index(answer))
        chosen = [ctx.sentences[index[i]] for i in order]
        if not chosen:
            continue
        text = " ".join(_clean(ctx.text[s:e]) for s, e in chosen)
        record = summary_record(ctx.text[s0:s1], text, "section", ctx.title, heading, len(chosen), method)
        spans = [span(ctx.doc_id, s, e) for s, e in chosen]
        out.append(make_example("summary", GEN_SECTION, record, spans))
    return out


def _answer(
    ctx: DocContext, heading: str, index: list[int], vectors: np.ndarray | None, embed: Embed | None
) -> int | None:
    """For a question heading ("A > Where is NREC headquartered?"), the section sentence answering it."""
    question = heading.rsplit(" > ", 1)[-1].strip()
    if not question.endswith("?"):
        return None
    texts = [_clean(ctx.text[slice(*ctx.sentences[i])]) for i in index]
    sub = None if vectors is None else vectors[index]
    hv = embed([question])[0] if sub is not None and embed is not None else None
    best = answer_sentence(question, texts, sub, hv)
    return None if best is None else index[best]
