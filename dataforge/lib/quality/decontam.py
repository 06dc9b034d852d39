"""Decontamination: drop examples that share a long word n-gram with a benchmark test set.

The GPT-3 paper's rule (Brown et al. 2020, appendix C): lower-case, strip punctuation, and
flag any 13-gram in common. Benchmark files may be JSON (any nesting: every string value is
a text, e.g. SQuAD), JSONL (one object a line) or plain text (one item a line). A benchmark
item shorter than n words is matched as a whole (its own length is the n-gram size).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

_WORD_RE = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.casefold())


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def benchmark_texts(path: str | Path) -> list[str]:
    """Every text of one benchmark file."""
    p = Path(path)
    raw = p.read_text(encoding="utf-8")
    if p.suffix == ".json":
        return list(_strings(json.loads(raw)))
    if p.suffix == ".jsonl":
        return [s for line in raw.splitlines() if line.strip() for s in _strings(json.loads(line))]
    return [line for line in raw.splitlines() if line.strip()]


class NgramIndex:
    """The n-grams of a set of benchmark texts (short texts indexed at their own length)."""

    def __init__(self, texts: Iterable[str], n: int = 13, min_words: int = 8) -> None:
        self.n = n
        self.grams: dict[int, set[tuple[str, ...]]] = {}
        for text in texts:
            w = words(text)
            if len(w) < min_words:  # too short to mean contamination ("yes", a date, a name)
                continue
            size = min(n, len(w))
            bucket = self.grams.setdefault(size, set())
            bucket.update(tuple(w[i : i + size]) for i in range(len(w) - size + 1))

    def __len__(self) -> int:
        return sum(len(v) for v in self.grams.values())

    def hit(self, text: str) -> tuple[str, ...] | None:
        """The first shared n-gram, or None."""
        w = words(text)
        for size, grams in sorted(self.grams.items(), reverse=True):
            for i in range(len(w) - size + 1):
                gram = tuple(w[i : i + size])
                if gram in grams:
                    return gram
        return None


def load_index(paths: Sequence[str], n: int) -> NgramIndex | None:
    if not paths:
        return None
    return NgramIndex((t for p in paths for t in benchmark_texts(p)), n)
