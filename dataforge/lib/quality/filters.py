"""Example filters: usability (kind, empty fields, broken qa spans), length in characters and
tokens, language, and the text-quality heuristics of ``heuristics.example_reason``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from dataforge.lib.config import QualityConfig
from dataforge.lib.quality.heuristics import example_reason
from dataforge.lib.quality.schema import KINDS, REQUIRED_FIELDS, example_kind
from dataforge.lib.quality.tokens import _strings, content_text

LANGUAGE_MIN_CHARS = 200  # below this, language identification is a guess


def main_text(example: dict[str, Any]) -> str:
    """The text the length filters measure: what a model reads or writes for this example.

    instruction: instruction + input + output; conversation: all turns; qa: context;
    summary: document; ner / relation / classification: text.
    """
    kind = example_kind(example)

    def s(key: str) -> str:
        v = example.get(key)
        return v if isinstance(v, str) else ""

    if kind == "instruction":
        return "\n".join(p for p in (s("instruction"), s("input"), s("output")) if p)
    if kind == "conversation":
        turns = example.get("conversations") or []
        return "\n".join(str(t.get("content") or "") for t in turns if isinstance(t, dict))
    if kind == "qa":
        return s("context")
    if kind == "summary":
        return s("document")
    return s("text")


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def _filter_reason(example: dict[str, Any], cfg: QualityConfig, tokens: int | None = None) -> str | None:
    kind = example_kind(example)
    if kind not in KINDS:
        return "unknown_kind"
    if any(_is_empty(example.get(f)) for f in REQUIRED_FIELDS[kind]):
        return "empty_field"
    if kind == "conversation":
        turns = example["conversations"]
        if not isinstance(turns, list) or any(
            not isinstance(t, dict) or _is_empty(t.get("role")) or _is_empty(t.get("content")) for t in turns
        ):
            return "empty_field"
    if kind == "qa":
        s, e = example.get("answer_start"), example.get("answer_end")
        if not (isinstance(s, int) and isinstance(e, int)) or example["context"][s:e] != example["answer"]:
            return "qa_span_mismatch"
    text = main_text(example)
    if len(text) < cfg.min_chars:
        return "too_short"
    if len(text) > cfg.max_chars:
        return "too_long"
    return _content_reason(example, text, cfg, tokens)


def _content_reason(example: dict[str, Any], text: str, cfg: QualityConfig, tokens: int | None) -> str | None:
    if tokens is not None and tokens > cfg.max_tokens:
        return "too_many_tokens"
    if cfg.languages and len(text) >= LANGUAGE_MIN_CHARS:
        from dataforge.lib.language import detect_language

        if detect_language(text) not in cfg.languages:
            return "language"
    if cfg.example_heuristics:
        fields = [s for k, v in example.items() if k in _CONTENT_KEYS and k not in _SOURCE_KEYS for s in _strings(v)]
        reason = example_reason(fields, cfg.document_filters)
        if reason:
            return f"heuristic_{reason}"
    return None


# Source text quoted into an example (a summary's document, a QA context, an NER text) was
# judged by the document stage; the heuristics judge what a generator wrote around it.
_SOURCE_KEYS = frozenset({"document", "context", "text", "input"})
_CONTENT_KEYS = frozenset(
    {"instruction", "input", "output", "context", "question", "answer", "document", "summary", "text", "conversations"}
)


def _quality(config: Any) -> QualityConfig:
    return config.quality if hasattr(config, "quality") else config


def filter_examples(
    examples: list[dict[str, Any]], config: Any, tokens: dict[int, int] | None = None
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Keep usable examples; count removals by the first filter that fails.

    Filters, in order: unknown_kind, empty_field, qa_span_mismatch, too_short, too_long,
    too_many_tokens (when ``tokens`` maps ``id(example)`` to its count), language (when
    ``languages`` is set; texts under 200 characters are not judged), heuristic_<name>.
    ``config`` is a QualityConfig (or a DataforgeConfig, whose ``quality`` is used).
    """
    cfg = _quality(config)
    kept: list[dict[str, Any]] = []
    removed: Counter[str] = Counter()
    for ex in examples:
        reason = _filter_reason(ex, cfg, (tokens or {}).get(id(ex)))
        if reason:
            removed[reason] += 1
        else:
            kept.append(ex)
    return kept, removed


def token_counts(examples: list[dict[str, Any]], tokenizer: str) -> dict[int, int]:
    """``id(example)`` -> tokens of its content fields."""
    from dataforge.lib.quality.tokens import counter

    count = counter(tokenizer)
    return {id(ex): count(content_text(ex)) for ex in examples}
