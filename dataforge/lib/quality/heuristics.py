"""Text-quality heuristics in the style of Gopher (Rae et al. 2021, appendix A) and C4.

``document_reason`` returns the name of the first failing filter (or None); the names are
what ``quality_report.json`` counts. Thresholds come from ``DocumentFilterConfig``; Gopher's
published values are the defaults. ``example_reason`` applies the subset that means
something for a short generated text (word shape, symbols, degenerate repetition).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from dataforge.lib.config import DocumentFilterConfig

_WORD_RE = re.compile(r"\S+")
_STOP_WORDS = frozenset({"the", "be", "to", "of", "and", "that", "have", "with"})
_BULLETS = ("•", "-", "*", "–", "—", "·", "‣", "◦", "▪")
_SENTENCE_END_RE = re.compile(r"[.!?](?:[\"')\]]*)(?:\s|$)")
_HEADING_RE = re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]")  # Markdown headings are structure, not symbols

DOCUMENT_FILTERS: tuple[str, ...] = (
    "too_few_words",
    "too_many_words",
    "mean_word_length",
    "symbol_ratio",
    "bullet_lines",
    "ellipsis_lines",
    "alpha_words",
    "stop_words",
    "duplicate_lines",
    "duplicate_line_chars",
    "top_ngram_chars",
    "duplicate_ngram_chars",
    "too_few_sentences",
    "lorem_ipsum",
    "curly_braces",
)


def _ngrams(words: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def top_ngram_char_fraction(words: Sequence[str], n: int) -> float:
    """Characters covered by the most frequent n-gram (all its occurrences) / all word chars."""
    grams = _ngrams(words, n)
    total = sum(len(w) for w in words)
    if not grams or not total:
        return 0.0
    gram, count = Counter(grams).most_common(1)[0]
    if count < 2:
        return 0.0
    return count * sum(len(w) for w in gram) / total


def duplicate_ngram_char_fraction(words: Sequence[str], n: int) -> float:
    """Characters of words inside an n-gram that occurs more than once / all word chars."""
    grams = _ngrams(words, n)
    total = sum(len(w) for w in words)
    if not grams or not total:
        return 0.0
    counts = Counter(grams)
    covered = [False] * len(words)
    for i, gram in enumerate(grams):
        if counts[gram] > 1:
            for j in range(i, i + n):
                covered[j] = True
    return sum(len(w) for w, c in zip(words, covered, strict=True) if c) / total


def _duplicates(items: list[str]) -> tuple[float, float]:
    """Share of items that repeat an earlier one, and share of characters in them."""
    if not items:
        return 0.0, 0.0
    seen: set[str] = set()
    dup = dup_chars = 0
    for item in items:
        if item in seen:
            dup += 1
            dup_chars += len(item)
        seen.add(item)
    total_chars = sum(len(i) for i in items) or 1
    return dup / len(items), dup_chars / total_chars


def _word_shape(words: list[str], text: str, cfg: DocumentFilterConfig) -> str | None:
    """Filters on the shape of words, shared by documents and examples."""
    clean = [w.strip(".,;:!?\"'()[]{}") for w in words]
    mean_len = sum(len(w) for w in clean) / len(clean)
    if not cfg.min_mean_word_length <= mean_len <= cfg.max_mean_word_length:
        return "mean_word_length"
    body = _HEADING_RE.sub("", text)
    symbols = body.count("#") + body.count("...") + body.count("…")
    if symbols / len(words) > cfg.max_symbol_ratio:
        return "symbol_ratio"
    if sum(1 for w in words if any(c.isalpha() for c in w)) / len(words) < cfg.min_alpha_words:
        return "alpha_words"
    return None


def _repetition(words: list[str], cfg: DocumentFilterConfig) -> str | None:
    lowered = [w.casefold() for w in words]
    for n, limit in zip((2, 3, 4), cfg.max_top_ngram_chars, strict=False):
        if top_ngram_char_fraction(lowered, n) > limit:
            return "top_ngram_chars"
    for n, limit in zip(range(5, 11), cfg.max_duplicate_ngram_chars, strict=False):
        if duplicate_ngram_char_fraction(lowered, n) > limit:
            return "duplicate_ngram_chars"
    return None


def document_reason(text: str, cfg: DocumentFilterConfig) -> str | None:
    """First failing Gopher/C4 filter of a document, in ``DOCUMENT_FILTERS`` order."""
    words = _WORD_RE.findall(text)
    if len(words) < cfg.min_words:
        return "too_few_words"
    if len(words) > cfg.max_words:
        return "too_many_words"
    reason = _word_shape(words, text, cfg)
    if reason:
        return reason
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines and sum(1 for ln in lines if ln.startswith(_BULLETS)) / len(lines) > cfg.max_bullet_lines:
        return "bullet_lines"
    if lines and sum(1 for ln in lines if ln.endswith(("...", "…"))) / len(lines) > cfg.max_ellipsis_lines:
        return "ellipsis_lines"
    if len({w.casefold().strip(".,;:!?\"'") for w in words} & _STOP_WORDS) < cfg.min_stop_words:
        return "stop_words"
    line_dup, line_chars = _duplicates(lines)
    if line_dup > cfg.max_duplicate_lines:
        return "duplicate_lines"
    if line_chars > cfg.max_duplicate_line_chars:
        return "duplicate_line_chars"
    reason = _repetition(words, cfg)
    if reason:
        return reason
    if len(_SENTENCE_END_RE.findall(text)) < cfg.min_sentences:
        return "too_few_sentences"
    if cfg.lorem_ipsum and "lorem ipsum" in text.casefold():
        return "lorem_ipsum"
    if cfg.curly_braces and "{" in text:
        return "curly_braces"
    return None


def example_reason(fields: Sequence[str], cfg: DocumentFilterConfig, min_words: int = 100) -> str | None:
    """Word-shape and repetition filters on a generated example.

    Word shape (mean word length, symbol ratio) is measured on all fields together; the share
    of alphabetic words is not (tables of figures are fine training text). Repetition is
    measured per field of at least ``min_words`` words, because an answer quoting its context
    is not degenerate but a field that repeats itself is.
    """
    words = [w for f in fields for w in _WORD_RE.findall(f)]
    if not words:
        return None
    reason = _word_shape(words, "\n".join(fields), cfg) if len(words) >= 10 else None
    if reason and reason != "alpha_words":
        return reason
    for field_text in fields:
        field_words = _WORD_RE.findall(field_text)
        if len(field_words) >= min_words:
            reason = _repetition(field_words, cfg)
            if reason:
                return reason
    return None
