"""Toxicity and bias flags: word lists, plus a hook for a classifier of your choice.

The built-in lists are deliberately short (common English profanity and insults; sweeping
statements about groups of people). ``toxicity_wordlist`` adds terms from a file, one a line
(e.g. the LDNOOBW list); ``toxicity_classifier`` names a ``module:function`` that takes a
list of texts and returns one score in [0, 1] each, flagged at ``toxicity_threshold``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

TOXIC_TERMS: tuple[str, ...] = (
    "asshole",
    "bastard",
    "bitch",
    "bullshit",
    "crap",
    "cunt",
    "damn",
    "dickhead",
    "dumbass",
    "fuck",
    "fucking",
    "idiot",
    "moron",
    "motherfucker",
    "piss off",
    "retard",
    "retarded",
    "scumbag",
    "shit",
    "shut up",
    "slut",
    "stupid",
    "whore",
)
_GROUPS = (
    r"women|men|girls|boys|blacks|whites|asians|latinos|hispanics|muslims|christians|jews|hindus|"
    r"immigrants|foreigners|gays|lesbians|old people|the elderly|disabled people|poor people"
)
# "all women are ...", "immigrants are always ...", "men never ...": generalizations about a group.
BIAS_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\b(?:all|most|typical)\s+(?:{_GROUPS})\s+(?:are|can't|cannot|should|always|never)\b", re.I),
    re.compile(rf"\b(?:{_GROUPS})\s+(?:are|were)\s+(?:all|always|never|naturally|inherently)\b", re.I),
    re.compile(rf"\b(?:{_GROUPS})\s+(?:always|never|can't|cannot)\b", re.I),
)


@lru_cache(maxsize=8)
def _term_re(extra_file: str) -> re.Pattern[str]:
    terms = list(TOXIC_TERMS)
    if extra_file:
        terms += [t.strip() for t in Path(extra_file).read_text(encoding="utf-8").splitlines() if t.strip()]
    alternation = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def load_classifier(spec: str) -> Callable[[list[str]], Sequence[float]] | None:
    """``module:function`` -> the function; empty -> None."""
    if not spec:
        return None
    module, _, name = spec.partition(":")
    if not name:
        raise ValueError(f"toxicity_classifier must look like 'module:function', got {spec!r}")
    return getattr(importlib.import_module(module), name)


def flags(texts: Sequence[str], wordlist: str = "", classifier: str = "", threshold: float = 0.5) -> list[list[str]]:
    """Per text, its flags among 'toxicity' (word list), 'bias' (patterns), 'toxicity_classifier'."""
    term_re = _term_re(wordlist)
    out = [
        (["toxicity"] if term_re.search(t) else []) + (["bias"] if any(p.search(t) for p in BIAS_PATTERNS) else [])
        for t in texts
    ]
    model = load_classifier(classifier)
    if model is not None and texts:
        scores = list(model(list(texts)))
        if len(scores) != len(texts):
            raise ValueError(f"toxicity classifier returned {len(scores)} scores for {len(texts)} texts")
        for f, score in zip(out, scores, strict=True):
            if float(score) >= threshold:
                f.append("toxicity_classifier")
    return out
