"""Document statistics added to the extraction metadata: language, readability, sentiment.

Everything here runs offline on models and lexicons that ship inside their packages
(py3langid, VADER). Readability and sentiment formulas are English-calibrated, so for
other languages they are left out with the reason recorded instead of a meaningless number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from dataforge.lib.language import language_profile

__all__ = ["describe_text", "flesch_kincaid", "sentiment", "split_authors"]

# Sentiment is averaged over the sentences of this prefix: VADER is pure Python and the
# opening of a document sets its tone well enough for a metadata field.
SENTIMENT_CHARS = 10000

_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END_RE = re.compile(r"[.!?]+(?=[\s\"')\]]|$)|\n\s*\n")
_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=50000)
def _syllables(word: str) -> int:
    """English syllable estimate: vowel groups, a silent final 'e' not counted."""
    word = word.lower()
    count = len(_VOWEL_GROUP_RE.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def flesch_kincaid(text: str) -> dict[str, float] | None:
    """Flesch-Kincaid grade level and Flesch reading ease; None for too little text."""
    words = _WORD_RE.findall(text)
    if len(words) < 10:
        return None
    sentences = max(1, sum(1 for part in _SENTENCE_END_RE.split(text) if _WORD_RE.search(part)))
    syllables = sum(_syllables(w) for w in words)
    words_per_sentence = len(words) / sentences
    syllables_per_word = syllables / len(words)
    return {
        "flesch_kincaid_grade": round(0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59, 2),
        "flesch_reading_ease": round(206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word, 2),
    }


@lru_cache(maxsize=1)
def _vader() -> Any:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise RuntimeError("sentiment needs 'vaderSentiment': pip install vaderSentiment") from error
    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> dict[str, float] | None:
    """Mean VADER compound score over sentences (-1..1) and the shares of +/- sentences."""
    sample = text[:SENTIMENT_CHARS]
    parts = [p.strip() for p in _SENTENCE_END_RE.split(sample) if p and _WORD_RE.search(p)]
    if not parts:
        return None
    analyzer = _vader()
    scores = [analyzer.polarity_scores(p)["compound"] for p in parts]
    return {
        "compound": round(sum(scores) / len(scores), 4),
        "positive_share": round(sum(1 for s in scores if s >= 0.05) / len(scores), 4),
        "negative_share": round(sum(1 for s in scores if s <= -0.05) / len(scores), 4),
        "sentences": len(scores),
    }


_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:;|\||&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)


def split_authors(author: str | None) -> list[str]:
    """'Ada Lovelace; Grace Hopper' -> two names. 'Lovelace, Ada' stays one name."""
    if not author or not author.strip():
        return []
    names: list[str] = []
    for part in _AUTHOR_SPLIT_RE.split(author):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        # Comma-separated full names ("A B, C D") are a list; "Last, First" is one name.
        if len(pieces) > 1 and all(len(p.split()) > 1 for p in pieces):
            names.extend(pieces)
        elif part.strip():
            names.append(" ".join(part.split()))
    seen: set[str] = set()
    return [n for n in names if not (n.lower() in seen or seen.add(n.lower()))]


def describe_text(text: str) -> dict[str, Any]:
    """Language (document and per block), readability and sentiment metadata for ``text``."""
    language, confidence, spans = language_profile(text)
    meta: dict[str, Any] = {"language": language, "language_confidence": confidence, "language_spans": spans}
    if language == "en":
        meta["readability"] = flesch_kincaid(text)
        meta["sentiment"] = sentiment(text)
    else:
        meta["readability"] = None
        meta["sentiment"] = None
        meta["describe_skipped"] = f"readability and sentiment are English-only; language is {language!r}"
    return meta
