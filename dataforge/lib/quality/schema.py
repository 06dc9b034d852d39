"""Shared vocabulary of the quality gate: kinds, splits, PII types, field sets, ``example_kind``."""

from __future__ import annotations

from typing import Any

from dataforge.lib.records import KINDS as RECORD_KINDS
from dataforge.lib.records import MODELS

KINDS: tuple[str, ...] = RECORD_KINDS
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

# Content fields per kind (what makes two examples "the same" for dedup) and the fields that
# must be non-empty for an example to be usable: both declared on the typed records.
CONTENT_FIELDS: dict[str, tuple[str, ...]] = {k: m.content_fields for k, m in MODELS.items()}
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {k: m.required for k, m in MODELS.items()}

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
