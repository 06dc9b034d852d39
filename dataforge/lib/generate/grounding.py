"""Grounding checks for model-written text: accept only what the source supports.

Rules (documented in bench/sections/datasets.md):

- An **extractive answer** is grounded when it occurs in the context, exactly or after case
  folding and whitespace normalisation; the stored answer is then the context's own span, so
  ``context[answer_start:answer_end] == answer`` holds as for every other QA example.
- A **free text** (summary sentence, dialogue answer, paraphrased question) is grounded when,
  sentence by sentence, (1) every number in it occurs in the source, (2) every capitalised
  word inside the sentence (a name) occurs in the source, and (3) at least ``min_support`` of
  its content words occur in the source (stop words dropped, light suffix stemming; words
  that only frame a question, such as 'year' or 'organization', do not count). A sentence
  that fails any rule rejects the whole text; the reason is the first rule it broke.
"""

from __future__ import annotations

import re

from dataforge.lib.generate.common import STOPWORDS

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\d[\d.,]*\d|\d")
_SENT = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_QUESTION_WORDS = frozenset("what which who whom whose when where why how does do did is are was were".split())
# words that frame a question by the answer's type ("which organization", "in which year"):
# not content, a grounded question need not find them in its passage
_FRAME_WORDS = frozenset("person people organization organisation company place country city year date name amount "
                         "number group event product thing".split())  # fmt: skip


def stem(word: str) -> str:
    """A light, deterministic suffix stemmer: 'acquired' ~ 'acquires', 'companies' ~ 'company'."""
    w = word.lower().strip("'\u2019-")
    for suffix, keep in (("'s", ""), ("\u2019s", ""), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + keep
            break
    return w[:-1] if w.endswith("e") and len(w) >= 4 else w  # 'acquire' ~ 'acquir(ed)'


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def content_words(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text) if w[0].isalpha()]
    skip = STOPWORDS | _QUESTION_WORDS | _FRAME_WORDS
    return [stem(w) for w in words if w.lower() not in skip and len(w) > 1]


def find_span(context: str, answer: str) -> tuple[int, int] | None:
    """Where ``answer`` occurs in ``context``: exactly, else case- and whitespace-insensitively."""
    answer = answer.strip().strip("\"'\u201c\u201d").rstrip(".").strip()
    if not answer:
        return None
    at = context.find(answer)
    if at >= 0:
        return at, at + len(answer)
    pattern = r"\s+".join(re.escape(tok) for tok in answer.split())
    m = re.search(pattern, context, flags=re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def support(text: str, source: str) -> float:
    """Share of ``text``'s content words found in ``source`` (1.0 for a text without any)."""
    words = content_words(text)
    if not words:
        return 1.0
    vocab = set(content_words(source))
    return sum(w in vocab for w in words) / len(words)


def unsupported_reason(text: str, source: str, min_support: float) -> str | None:
    """None when ``text`` is grounded in ``source``; else why not (for rejection counts)."""
    if not text.strip():
        return "empty"
    numbers = _numbers(source)
    lowered = source.lower()
    vocab = set(content_words(source))
    for sent in (s.strip() for s in _SENT.findall(text)):
        if not sent:
            continue
        if not _numbers(sent) <= numbers:
            return "numbers"
        for tok in sent.split()[1:]:
            name = re.sub(r"['\u2019]s$", "", tok.strip(".,;:!?()\"'\u201c\u201d\u2019"))
            if name[:1].isupper() and name.lower() not in _QUESTION_WORDS and name.lower() not in lowered:
                return "names"
        words = content_words(sent)
        if words and sum(w in vocab for w in words) / len(words) < min_support:
            return "content_words"
    return None


def best_sources(text: str, sentences: list[tuple[int, int]], doc: str) -> list[tuple[int, int]]:
    """For each sentence of ``text``, the source sentence sharing most content words with it."""
    bags = [set(content_words(doc[s:e])) for s, e in sentences]
    out: list[tuple[int, int]] = []
    for sent in _SENT.findall(text):
        words = set(content_words(sent))
        if not words or not bags:
            continue
        scores = [len(words & bag) for bag in bags]
        best = max(range(len(bags)), key=lambda i: (scores[i], -i))
        if scores[best] > 0 and sentences[best] not in out:
            out.append(sentences[best])
    return sorted(out)
