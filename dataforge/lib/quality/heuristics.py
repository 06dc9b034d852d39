"""Text-quality heuristics in the style of Gopher (Rae et al. 2021, appendix A) and C4, and
the junk checks that decide whether a source document is removed.

Gopher/C4 were made to thin out a web crawl for pretraining; on fine-tuning sources (news,
reports, manuals) they fire on real prose (XSum's glued sentences, a table-heavy PDF, Welsh).
So ``document_flags`` only *describes* a document (every failing filter, counted in
``quality_report.json``), while ``junk_reason`` names the text nobody wants to train on:
empty, no words, lorem ipsum, garbage characters, near-total repetition.
``document_reason`` returns the name of the first failing Gopher/C4 filter (or None).
Thresholds come from ``DocumentFilterConfig``; Gopher's published values are the defaults.
``example_reason`` applies the subset that means something for a short generated text
(word shape, symbols, degenerate repetition).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

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


def repeated_char_fraction(words: Sequence[str], n: int) -> float:
    """Characters of words inside an n-gram seen *earlier* / all word chars: a text written
    twice scores 0.5, the same phrase over and over close to 1."""
    total = sum(len(w) for w in words)
    if len(words) < n or not total:
        return 0.0
    seen: set[tuple[str, ...]] = set()
    covered = [False] * len(words)
    for i, gram in enumerate(_ngrams(words, n)):
        if gram in seen:
            covered[i : i + n] = [True] * n
        seen.add(gram)
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


def document_reason(text: str, cfg: DocumentFilterConfig, skip: frozenset[str] = frozenset()) -> str | None:
    """First failing Gopher/C4 filter of a document, in ``DOCUMENT_FILTERS`` order (``skip``: names to pass over)."""
    for name, check in _checks(text, cfg):
        if name not in skip and check():
            return name
    return None


def _checks(text: str, cfg: DocumentFilterConfig) -> list[tuple[str, Callable[[], bool]]]:
    """(name, test) per Gopher/C4 filter; tests are lazy so the first failure costs little."""
    words = _WORD_RE.findall(text)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lowered = [w.casefold() for w in words]
    clean = [w.strip(".,;:!?\"'()[]{}") for w in words] or [""]
    mean_len = sum(len(w) for w in clean) / len(clean)
    body = _HEADING_RE.sub("", text)
    n = max(len(words), 1)
    dup = _duplicates(lines)
    top = list(zip((2, 3, 4), cfg.max_top_ngram_chars, strict=False))
    rep = list(zip(range(5, 11), cfg.max_duplicate_ngram_chars, strict=False))
    return [
        ("too_few_words", lambda: len(words) < cfg.min_words),
        ("too_many_words", lambda: len(words) > cfg.max_words),
        ("mean_word_length", lambda: not cfg.min_mean_word_length <= mean_len <= cfg.max_mean_word_length),
        ("symbol_ratio", lambda: (body.count("#") + body.count("...") + body.count("…")) / n > cfg.max_symbol_ratio),
        ("alpha_words", lambda: sum(1 for w in words if any(c.isalpha() for c in w)) / n < cfg.min_alpha_words),
        ("bullet_lines", lambda: _share(lines, lambda ln: ln.startswith(_BULLETS)) > cfg.max_bullet_lines),
        ("ellipsis_lines", lambda: _share(lines, lambda ln: ln.endswith(("...", "…"))) > cfg.max_ellipsis_lines),
        ("stop_words", lambda: len({w.strip(".,;:!?\"'") for w in lowered} & _STOP_WORDS) < cfg.min_stop_words),
        ("duplicate_lines", lambda: dup[0] > cfg.max_duplicate_lines),
        ("duplicate_line_chars", lambda: dup[1] > cfg.max_duplicate_line_chars),
        ("top_ngram_chars", lambda: any(top_ngram_char_fraction(lowered, k) > lim for k, lim in top)),
        ("duplicate_ngram_chars", lambda: any(duplicate_ngram_char_fraction(lowered, k) > lim for k, lim in rep)),
        ("too_few_sentences", lambda: len(_SENTENCE_END_RE.findall(text)) < cfg.min_sentences),
        ("lorem_ipsum", lambda: cfg.lorem_ipsum and "lorem ipsum" in text.casefold()),
        ("curly_braces", lambda: cfg.curly_braces and "{" in text),
    ]


def _share(lines: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for ln in lines if test(ln)) / len(lines) if lines else 0.0


JUNK_CHECKS: tuple[str, ...] = ("empty", "no_words", "lorem_ipsum", "garbage", "repetition")
# The placeholder's vocabulary: a text mostly made of these words is a template, not prose.
_LOREM = frozenset(
    """lorem ipsum dolor sit amet consectetur consectetuer adipiscing adipisicing elit sed do eiusmod tempor
    incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris
    nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum eu fugiat
    nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id
    est laborum vestibulum pellentesque morbi nunc nibh vel mauris etiam quam eget vitae ac risus""".split()
)
_LETTERS_RE = re.compile(r"[^\W\d_]{2,}")
_CID_RE = re.compile(r"\(cid:\d+\)")  # a PDF glyph without a Unicode mapping


def _garbage_share(text: str) -> float:
    """Share of characters that carry no text: U+FFFD, private use, unassigned, surrogates,
    control characters, unmapped PDF glyphs and mojibake pairs ftfy could not repair."""
    import unicodedata

    from dataforge.lib.clean import _MOJIBAKE_HINT_RE

    bad = sum(
        1 for c in text if c == "\ufffd" or (unicodedata.category(c) in ("Co", "Cn", "Cs", "Cc") and c not in "\n\t")
    )
    bad += sum(len(m) for m in _CID_RE.findall(text)) + 2 * len(_MOJIBAKE_HINT_RE.findall(text))
    return bad / max(len(text), 1)


def junk_reason(text: str, cfg: DocumentFilterConfig) -> str | None:
    """Why a document is junk a user would agree is junk (``JUNK_CHECKS`` order), or None."""
    if not text.strip():
        return "empty"
    words = _WORD_RE.findall(text)
    lettered = [w for w in words if _LETTERS_RE.search(w)]
    if len(lettered) < cfg.junk_min_words:
        return "no_words"
    plain = [w.casefold().strip(".,;:!?\"'()[]") for w in lettered]
    if sum(w in _LOREM for w in plain) / len(plain) > cfg.junk_max_lorem:
        return "lorem_ipsum"
    if _garbage_share(text) > cfg.junk_max_garbage:
        return "garbage"
    if len(words) >= 20 and repeated_char_fraction([w.casefold() for w in words], 10) > cfg.junk_max_repetition:
        return "repetition"
    return None


def document_flags(text: str, cfg: DocumentFilterConfig) -> list[str]:
    """Every Gopher/C4 filter the document fails, in ``DOCUMENT_FILTERS`` order."""
    flags = []
    while True:  # each round finds the first failing filter of those not yet reported
        reason = document_reason(text, cfg, skip=frozenset(flags))
        if reason is None:
            return flags
        flags.append(reason)


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
