"""Shared vocabulary of the quality gate: kinds, splits, PII types, field sets, ``example_kind``."""

from __future__ import annotations

from typing import Any

KINDS: tuple[str, ...] = (
    "instruction",
    "qa",
    "summary",
    "conversation",
    "ner",
    "relation",
    "classification",
)
SPLITS: tuple[str, ...] = ("train", "validation", "test")
PII_TYPES: tuple[str, ...] = (
    "EMAIL",
    "PHONE",
    "CREDIT_CARD",
    "IBAN",
    "IP_ADDRESS",
    "SSN",
    "ADDRESS",
    "DATE_OF_BIRTH",
    "PERSON",
)
# Types whose pseudonyms look real on purpose (a fake name is still a name): a scan of the
# exports for left-over PII cannot tell them from originals, so it skips them under pseudonymize.
REALISTIC_PSEUDONYMS: frozenset[str] = frozenset({"ADDRESS", "DATE_OF_BIRTH", "PERSON"})
STRATEGIES: tuple[str, ...] = ("pseudonymize", "redact", "mask", "hash", "keep")

# Identifiers, not content: never scrubbed (doc ids must keep linking to the lake), never
# part of the dedup key.
PROVENANCE_FIELDS: frozenset[str] = frozenset(
    {"id", "kind", "source_documents", "source_spans", "generator", "release", "split"}
)

# Content fields per kind: what makes two examples "the same" for dedup.
CONTENT_FIELDS: dict[str, tuple[str, ...]] = {
    "instruction": ("instruction", "input", "output"),
    "qa": ("context", "question", "answer"),
    "summary": ("document", "summary", "summary_type"),
    "conversation": ("conversations",),
    "ner": ("text", "entities", "relations"),
    "relation": ("text", "entities", "relations"),
    "classification": ("text", "label"),
}
# Fields that must be non-empty for an example to be usable.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "instruction": ("instruction", "output"),
    "qa": ("context", "question", "answer"),
    "summary": ("document", "summary"),
    "conversation": ("conversations",),
    "ner": ("text",),
    "relation": ("text",),
    "classification": ("text", "label"),
}

Span = tuple[int, int, str]


def example_kind(example: dict[str, Any]) -> str:
    """The example's ``kind``, inferred from its fields when missing."""
    kind = example.get("kind")
    if isinstance(kind, str) and kind:
        return kind
    if "conversations" in example:
        return "conversation"
    if "question" in example and "context" in example:
        return "qa"
    if "instruction" in example:
        return "instruction"
    if "summary" in example and "document" in example:
        return "summary"
    if "entities" in example:
        return "relation" if example.get("relations") else "ner"
    if "label" in example and "text" in example:
        return "classification"
    return "unknown"
