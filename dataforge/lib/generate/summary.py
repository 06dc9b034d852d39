"""Extractive summaries a reader accepts: lead prior, centrality and redundancy, in context.

Sentences are embedded (MiniLM through ``dataforge.lib.embed``; TF-IDF when configured or
when no embedder is given). The document summary (``select_document``) opens with the first
usable sentence (the lead, which names the subject) and scores the others by a position prior
(news and reports put the point first) plus its cosine to the document's centroid
(embedding and TF-IDF cosines mixed, ``hybrid_rows``), less a penalty for opening with a
quotation, and picks greedily with Maximal Marginal Relevance until the summary is closest
to a word budget; a near copy of a chosen sentence (a photo caption repeating the lead), by
cosine or by most of its content words, is never added. Section summaries use
*directed* centrality (PacSum, Zheng & Lapata 2019) with MMR (``select``).

Both use only sentences that read right out of context (``standalone``): one opening with a
pronoun or connective ("It", "However") only right after the sentence before it, one naming a
person by surname only after the full name; no list item, table row, disclaimer, dateline.
A section summary only for a section of SECTION_MIN_WORDS or more that the document summary
does not cover and whose first sentence reads on its own (a section that opens leaning on the one
before it does not stand alone); that sentence opens its summary. Or for a question heading
("What is Ostrea?") whose answer is one sentence. Site furniture, commands to the reader
("Stir in the lentils") and quotations without their speaker are never summary material.

One document summary per document, plus such section summaries. When too few sentences read on
their own for a selection, the document summary is its lead passage (``lead``); a list, table or
memo without one gets none. Meeting procedure ("opened the meeting ...") is never summary material.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from dataforge.lib.captions import holds_caption
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, is_prose, make_example, span, terms, tfidf
from dataforge.lib.generate.lead import lead_passage
from dataforge.lib.generate.section_gate import content_mask, results_table, section_opening, section_stands
from dataforge.lib.generate.source_grammar import Parses, copied_error
from dataforge.lib.generate.standalone import (
    clean_sentence,
    connective_before_name,
    dependent,
    imperative,
    lead_furniture,
    procedural,
    standalone,
)
from dataforge.lib.generate.summary_context import (
    Need,
    given,
    referent_needs,
    summary_sentences,
)

GEN_DOCUMENT = "summary.document/11"  # 11: the lead describes, quotes closed; 10: no page timestamp; 9: weekdays
GEN_SECTION = "summary.section/6"
Embed = Callable[[list[str]], np.ndarray]

# The four weights were chosen on the first 60 CNN/DM dev articles (evals/summary_cnndm.py)
MMR_LAMBDA = 0.6  # weight of centrality against redundancy with already chosen sentences
EDGE_THRESHOLD = 0.0  # PacSum beta: similarities below min + beta * (max - min) are no edge
FORWARD_WEIGHT = 1.0  # edges to later sentences (the sentence announces what follows)
BACKWARD_WEIGHT = -0.5  # edges to earlier sentences (the sentence repeats what came before)
MIN_WORDS = 4  # shorter sentences, headings, table rows are only chosen when nothing else is
MAX_WORDS = 80  # run-on "sentences" (a list or a table flattened) are weak too
MIN_USABLE_SHARE = 0.4  # a document with fewer sentences that read on their own is a list or table
SHARE_MIN_WORDS = 5  # a heading, label or question heading is this short: not counted in that share
SECTION_MAX_SHARE = 0.9  # a section covering this much of the document adds nothing
SECTION_MIN_WORDS = 150  # a shorter section is read faster than its summary: none (two sentences above)
QUESTION_MIN_WORDS = 30  # a question heading is answered by one sentence even in a short section
SECTION_THREE_SENTENCES = 450  # from this many words a section summary has three sentences

# Document summary weights, tuned on the first 62 CNN/DM dev articles (evals/summary_cnndm.py)
POSITION_POWER = 1.0  # prior 1 / (1 + position) ** power
CENTROID_WEIGHT = 0.5  # cosine to the mean sentence vector
QUOTE_PENALTY = 0.2  # a sentence opening with a quotation is a voice, rarely the point
DOC_MMR = 0.3  # redundancy weight against chosen sentences
NEAR_COPY = 0.85  # cosine above which a sentence repeats a chosen one
WORD_COPY = 0.8  # share of the shorter sentence's content words in the other: a reworded repeat
WORDS_PER_SENTENCE = 27  # word budget per summary sentence (3 sentences: about 80 words)
KTH_OVERSHOOT = 0.5  # cost of a word past the budget against a word short, when adding the k-th sentence
TFIDF_SHARE = 0.5  # share of TF-IDF cosine in the document summary's sentence similarity
LEAD_ANCHOR = 1  # the first usable sentence always opens a document summary
DOC_MIN_WORDS = 8  # after the first sentence, shorter ones are fragments or asides
MAX_COMPRESSION = 0.6  # a summary longer than this share of its document copies it (a 3-sentence story)

_OPENING_QUOTE = re.compile(r"^[\"'‘“]")
# "These peanut butter truffles ...": the first sentence points only at the title above it
_TITLE_DEMONSTRATIVE = re.compile(
    r"^(?:This|These)\s+(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*\s+(?:is|are|was|were|has|have|contains?|makes?|gives?)\b"
)


def usable(texts: list[str], doc_text: str = "", starts: list[int] | None = None) -> np.ndarray:
    """Sentences a summary may use at all (``standalone`` apart from a dependent opening, which
    ``_allowed`` accepts right after its predecessor)."""
    starts = starts or [0] * len(texts)
    return np.array(
        [standalone(t, doc_text, s, after_predecessor=True, closable=True) for t, s in zip(texts, starts, strict=True)]
    )


def _allowed(
    texts: list[str], chosen: list[int], ok: np.ndarray | None = None, needs: list[frozenset[Need]] | None = None
) -> np.ndarray:
    """Sentences that may be added now: usable ones; a dependent one only after its predecessor;
    one pointing at a person, a thing or a photo ("his cultural anthem", "these images") only
    after a chosen sentence that gives it (``needs``, ``summary_context.referent_needs``)."""
    ok = usable(texts) if ok is None else ok.copy()
    taken = set(chosen)
    for i, t in enumerate(texts):
        if i - 1 not in taken and dependent(t, opening=i == 0) and not (i == 0 and _TITLE_DEMONSTRATIVE.match(t)):
            ok[i] = False
        elif needs and needs[i] and not all(any(given(n, texts[j]) for j in chosen if j < i) for n in needs[i]):
            ok[i] = False
    return ok


def _weak(texts: list[str]) -> np.ndarray:
    """Fragments, run-ons, non-prose and meeting procedure: chosen only when nothing else is left."""
    return np.array([not (MIN_WORDS <= len(t.split()) <= MAX_WORDS) or not is_prose(t) or procedural(t) for t in texts])


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


def select(
    texts: list[str],
    k: int,
    vectors: np.ndarray | None = None,
    first: int | None = None,
    ok: np.ndarray | None = None,
    needs: list[frozenset[Need]] | None = None,
) -> list[int]:
    """Indices (in document order) of up to ``k`` central, mutually non-redundant sentences
    that read well out of context (``_allowed``; ``ok``: the ``usable`` mask, from the texts
    alone when not given); ``first``: an index that must be included."""
    n = len(texts)
    ok_base = usable(texts) if ok is None else ok
    mat = unit_rows(texts, vectors)
    centrality = directed_centrality(mat)
    weak = _weak(texts)
    if (~weak).sum() >= k:
        centrality = np.where(weak, -1.0, centrality)
    chosen: list[int] = []
    max_sim = np.zeros(n)
    while len(chosen) < min(k, n):
        ok = _allowed(texts, chosen, ok_base, needs)
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


def word_copies(texts: list[str]) -> np.ndarray:
    """Pairs of sentences where one repeats the other in other words: most content words of the
    shorter one (``WORD_COPY``) stand in the longer. News pages repeat their lead in a photo
    caption ("Homes with a Waitrose nearby cost 12 per cent more") or run a caption into the
    paragraph it repeats; a summary saying a fact twice is a poor example (embedding cosine
    misses a repeat that swaps a name for "the store")."""
    bags = [set(terms(t)) for t in texts]
    n = len(texts)
    out = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(i + 1, n):
            small = min(len(bags[i]), len(bags[j]))
            if small >= 3 and len(bags[i] & bags[j]) >= WORD_COPY * small:
                out[i, j] = out[j, i] = True
    return out


def _fills(total: int, words: int, budget: int, kth: bool) -> bool:
    """Does adding a sentence of ``words`` bring a summary of ``total`` words closer to ``budget``?
    For the k-th sentence (``kth``) words past the budget count ``KTH_OVERSHOOT`` each: k sentences
    are what was asked for, the budget only keeps them from running long, so a summary falls short
    by one sentence only when the k-th would overshoot by much more than the shortfall."""
    weight = KTH_OVERSHOOT if kth else 1.0

    def miss(n: int) -> float:
        return weight * (n - budget) if n > budget else float(budget - n)

    return miss(total + words) < miss(total)


def select_document(
    texts: list[str],
    k: int,
    vectors: np.ndarray | None = None,
    ok: np.ndarray | None = None,
    needs: list[frozenset[Need]] | None = None,
    lead_needs: list[frozenset[Need]] | None = None,
) -> list[int]:
    """Indices (in document order) of the document summary: ``k - 1`` or ``k`` usable sentences
    (``ok``, see ``select``), as many as bring it closest to ``k * WORDS_PER_SENTENCE`` words (at
    most half the document's words; the k-th sentence is preferred, ``_fills``); all usable ones
    when there are no more than ``k``. Never more than ``k``: the configuration asks for k
    sentences, and a (k+1)-th was mostly an aside that padded the summary ("Michael Lurie and his
    family were at the exhibit when they heard the child scream"). The lead is chosen with
    ``lead_needs`` (its definite descriptions introduce: "The quaint capital city put on ...")."""
    n = len(texts)
    ok_base = usable(texts) if ok is None else ok
    if n <= k:
        return [i for i in range(n) if _allowed(texts, list(range(n)), ok_base, needs)[i]]
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
    copies = word_copies(texts)
    total = 0
    while len(chosen) < k:
        first = not chosen and lead_needs is not None
        ok = _allowed(texts, chosen, ok_base, lead_needs if first else needs)
        ok &= (max_sim <= NEAR_COPY) & ~copies[chosen].any(axis=0)
        ok[chosen] = False
        if not chosen and LEAD_ANCHOR and (ok & ~weak).any():
            ok[int(np.argmax(ok & ~weak)) + 1 :] = False  # the lead that names the subject opens it
        if not ok.any():
            break
        # rounded so that last-bit floating point noise cannot flip a near tie between machines
        gain = np.round(score - DOC_MMR * max_sim, 6)
        gain[~ok] = -np.inf
        i = int(np.argmax(gain))
        if len(chosen) >= max(1, k - 1) and (weak[i] or not _fills(total, int(words[i]), budget, len(chosen) < k)):
            break
        chosen.append(i)
        total += int(words[i])
        max_sim = np.maximum(max_sim, mat @ mat[i])
    return sorted(chosen)


def hybrid_rows(texts: list[str], vectors: np.ndarray | None) -> np.ndarray | None:
    """Sentence rows whose dot product is ``(1 - TFIDF_SHARE)`` x the embedding cosine plus
    ``TFIDF_SHARE`` x the TF-IDF cosine: the encoder sees paraphrase, TF-IDF the names and numbers
    a summary must carry (chosen on the first 62 CNN/DM dev articles, evals/summary_cnndm.py).
    None (TF-IDF alone) without vectors."""
    if vectors is None or len(vectors) != len(texts):
        return None
    words, vocab = tfidf(texts)
    dense = unit_rows(texts, vectors)
    if not vocab:
        return dense
    return np.hstack([np.sqrt(1.0 - TFIDF_SHARE) * dense, np.sqrt(TFIDF_SHARE) * words])


def answer_sentence(
    question: str, texts: list[str], vectors: np.ndarray | None, heading_vector: Any, ok: np.ndarray | None = None
) -> int | None:
    """The sentence that best answers a question heading: most shared content words (by
    five-letter stem), then cosine to the heading; None when nothing shares a word."""
    stems = {w[:5] for w in terms(question)}
    if not stems or not texts:
        return None
    overlap = np.array([len(stems & {w[:5] for w in terms(t)}) for t in texts], dtype=np.float64)
    shared = overlap > 0
    if overlap.max() <= 0:
        return None
    if vectors is not None and heading_vector is not None:
        rows = unit_rows(texts, vectors)
        h = np.asarray(heading_vector, dtype=np.float64)
        overlap += 0.5 * rows @ (h / (np.linalg.norm(h) or 1.0))
    bad = (~usable(texts) if ok is None else ~ok) | ~shared  # an answer shares a word with its question
    if bad.all():
        return None
    overlap[bad] -= 100.0
    return int(np.argmax(np.round(overlap, 6)))


def summary_length(words: int, base: int) -> int:
    """``base`` sentences under 1,000 words, one more per further 1,000, at most 3x base."""
    return max(1, min(base + words // 1000, 3 * base)) if words >= 1000 else max(1, base)


def _clean(text: str) -> str:
    return clean_sentence(text)


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


def _usable(ctx: DocContext, index: list[int], parses: Parses | None = None) -> np.ndarray:
    """``usable`` for the given ``ctx.sentences``, judged in their document (line starts); with
    the parse, no sentence carrying a grammar error of its source (``source_grammar``)."""
    spans = [ctx.sentences[i] for i in index]
    texts = [ctx.text[s:e] for s, e in spans]
    ok = usable(texts, ctx.text, [s for s, _ in spans]).astype(bool)  # an empty section: an empty bool array
    commands = np.array([not imperative(t) for t in texts], dtype=bool)  # a recipe or manual step says no point
    grammatical = np.array([copied_error(parses, s, e) is None for s, e in spans], dtype=bool)
    return ok & content_mask(texts) & commands & grammatical  # no code, citation, form text


def _summary_text(ctx: DocContext, picked: list[tuple[int, int]]) -> str:
    """The chosen sentences, cleaned, a bare surname given its full name and "today" its date."""
    return " ".join(summary_sentences(ctx, picked))


def document_summary(
    ctx: DocContext, config: DataforgeConfig, vectors: np.ndarray | None = None, parses: Parses | None = None
) -> tuple[str, list[tuple[int, int]]]:
    """The summary text and the sentence spans it was built from. When too few sentences read
    right on their own for a selection, the lead passage (``lead``); none when there is no
    such passage either (a list, a table, a timeline memo)."""
    sents = ctx.sentences
    k = summary_length(len(ctx.text.split()), int(config.generate.summary_sentences))
    ok = _usable(ctx, list(range(len(sents))), parses)
    words = np.array([len(ctx.text[s:e].split()) for s, e in sents])
    ok &= (words >= MIN_WORDS) & (words <= MAX_WORDS)  # no fragment, no flattened list or table
    texts = [_clean(ctx.text[s:e]) for s, e in sents]
    if results_table(texts):
        return "", []  # a results table: no prose says its point
    ok &= ~np.array(holds_caption(texts), dtype=bool)  # "... next month Altice pleaded guilty ...": two sentences
    needs, lead_needs = referent_needs(ctx, sents), referent_needs(ctx, sents, described=False)
    order = select_document(texts, k, hybrid_rows(texts, vectors), ok, needs, lead_needs)
    # the share among running sentences: headings and labels ("What is Ostrea?") are no list
    # nor are commands (a recipe's steps): the prose around them is what a summary draws on
    running = (words > SHARE_MIN_WORDS) & np.array([not imperative(t) for t in texts], dtype=bool)
    if len(order) < min(2, k) or ok.sum() < MIN_USABLE_SHARE * int(running.sum()):
        # few sentences read on their own (first person, quotes, a list): the opening passage, in context
        budget = min(k * WORDS_PER_SENTENCE, int(words.sum()) // 2)
        order = lead_passage(texts, [s for s, _ in sents], ctx.text, budget, MAX_WORDS)
        if not order:
            return "", []  # a list or a table (a timeline memo): no prose passage says its point
    # a summary that copies most of its document is none: fewer sentences, else no summary
    while order and sum(len(texts[i]) for i in order) > MAX_COMPRESSION * len(ctx.text):
        order = order[:-1]
    picked = [sents[i] for i in order]
    return _summary_text(ctx, picked), picked


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


def _body_sentences(ctx: DocContext) -> DocContext:
    """The context with each sentence cut past a dateline it opens with, and the document's
    headline (its title repeated as a sentence) left out."""
    title = " ".join(ctx.title.split()).rstrip(" .").lower()
    sents = []
    for i, (s, e) in enumerate(ctx.sentences):
        s += lead_furniture(ctx.text[s:e])
        s += connective_before_name(ctx.text[s:e])  # "But Britt McHenry ...": the name opens it
        if i == 0 and lead_furniture(ctx.text[e : e + 200].lstrip()):
            continue  # the sentence before the dateline is the headline
        if s < e and (not title or " ".join(ctx.text[s:e].split()).rstrip(" .").lower() != title):
            sents.append((s, e))
    return replace(ctx, sentences=sents)


def generate(
    ctx: DocContext, config: DataforgeConfig, embed: Embed | None = None, parses: Parses | None = None
) -> list[dict[str, Any]]:
    """The document summary and section summaries (module docstring); ``parses``: the NER stage's
    spaCy docs, to leave out sentences with a grammar error of their source."""
    ctx = _body_sentences(ctx)
    if not ctx.sentences:
        return []
    vectors, method = sentence_vectors(ctx, config, embed)
    out = []
    summary, picked = document_summary(ctx, config, vectors, parses)
    if summary:
        record = summary_record(ctx.text, summary, "document", ctx.readable_title(), None, len(picked), method)
        spans = [span(ctx.doc_id, s, e) for s, e in picked]
        out.append(make_example("summary", GEN_DOCUMENT, record, spans))
    starts = [s for s, _ in ctx.sentences]
    for heading, s0, s1 in _sections(ctx):
        if s1 - s0 >= SECTION_MAX_SHARE * len(ctx.text):
            continue
        first = bisect.bisect_left(starts, s0)  # sentences are sorted: no scan per section
        index = [i for i in range(first, bisect.bisect_right(starts, s1)) if ctx.sentences[i][1] <= s1]
        words = sum(len(ctx.text[slice(*ctx.sentences[i])].split()) for i in index)
        ok = _usable(ctx, index, parses)
        answer = _answer(ctx, heading, index, vectors, embed, ok)
        if answer is None and heading.rsplit(" > ", 1)[-1].strip().endswith("?"):
            continue  # a question heading the section does not answer in one sentence: no summary
        if answer is None and (words < SECTION_MIN_WORDS or any(ctx.sentences[i] in picked for i in index)):
            continue  # a short section needs no summary; the document summary already covers this one
        if answer is not None and words < SECTION_MIN_WORDS:
            after = index.index(answer) + 1
            if words < QUESTION_MIN_WORDS or (
                after < len(index) and dependent(ctx.text[slice(*ctx.sentences[index[after]])])
            ):
                continue  # the answer goes on in the next sentence ("The other directors are ..."): no summary
        k = 1 if words < SECTION_MIN_WORDS else 2 if words < SECTION_THREE_SENTENCES else 3
        # never repeat the document summary, except the answer to a question heading
        keep = [j for j, i in enumerate(index) if ctx.sentences[i] not in picked or i == answer]
        texts = [_clean(ctx.text[slice(*ctx.sentences[i])]) for i in index]
        if answer is None and not section_stands(heading, texts, ok, k):
            continue  # apparatus (references, links, disclosure) or too little standalone content
        opening = None if answer is not None else section_opening(ctx, s0, index)
        if answer is None and (opening is None or not ok[opening] or dependent(texts[opening])):
            continue  # a section whose first sentence does not read on its own does not stand alone
        index, ok, texts = [index[j] for j in keep], ok[keep], [texts[j] for j in keep]
        if ok.sum() < k:
            continue
        sub = None if vectors is None else vectors[index]
        needs = referent_needs(ctx, [ctx.sentences[i] for i in index])
        lead = index.index(answer) if answer is not None else keep.index(opening)
        order = select(texts, k, sub, lead, ok, needs)  # the answer, or the sentence that opens the section
        chosen = [ctx.sentences[index[i]] for i in order]
        if not chosen:
            continue
        text = _summary_text(ctx, chosen)
        record = summary_record(ctx.text[s0:s1], text, "section", ctx.readable_title(), heading, len(chosen), method)
        spans = [span(ctx.doc_id, s, e) for s, e in chosen]
        out.append(make_example("summary", GEN_SECTION, record, spans))
    return out


def _answer(
    ctx: DocContext,
    heading: str,
    index: list[int],
    vectors: np.ndarray | None,
    embed: Embed | None,
    ok: np.ndarray,
) -> int | None:
    """For a question heading ("A > Where is NREC headquartered?"), the usable section sentence answering it."""
    question = heading.rsplit(" > ", 1)[-1].strip()
    if not question.endswith("?") or not ok.any():
        return None
    texts = [_clean(ctx.text[slice(*ctx.sentences[i])]) for i in index]
    sub = None if vectors is None else vectors[index]
    hv = embed([question])[0] if sub is not None and embed is not None else None
    alone = ok & np.array([not dependent(t) for t in texts], dtype=bool)  # the answer opens the summary
    best = answer_sentence(question, texts, sub, hv, alone)
    return None if best is None else index[best]
