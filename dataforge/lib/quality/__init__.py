"""Quality gate between generated examples and a dataset release (see ``pipeline``).

Examples are flat dicts: the record fields of their kind (see DESIGN.md) plus provenance
(``id``, ``kind``, ``source_documents``, ``source_spans``, ``generator``).
"""

from __future__ import annotations

from dataforge.lib.quality.dedup import content_key, dedup_exact
from dataforge.lib.quality.detect import find_pii, iban_valid, luhn_valid
from dataforge.lib.quality.filters import filter_examples, main_text
from dataforge.lib.quality.pii import Edit, Scrubber, apply_pii, find_leaks, is_pseudonym, scrub_example
from dataforge.lib.quality.pipeline import build_training_dataset
from dataforge.lib.quality.schema import (
    CONTENT_FIELDS,
    KINDS,
    PII_TYPES,
    PROVENANCE_FIELDS,
    REALISTIC_PSEUDONYMS,
    REQUIRED_FIELDS,
    SPLITS,
    STRATEGIES,
    Span,
    example_kind,
)
from dataforge.lib.quality.splits import assign_splits, split_of_document

__all__ = [
    "CONTENT_FIELDS",
    "KINDS",
    "PII_TYPES",
    "PROVENANCE_FIELDS",
    "REALISTIC_PSEUDONYMS",
    "REQUIRED_FIELDS",
    "SPLITS",
    "STRATEGIES",
    "Edit",
    "Scrubber",
    "Span",
    "apply_pii",
    "assign_splits",
    "build_training_dataset",
    "content_key",
    "dedup_exact",
    "example_kind",
    "filter_examples",
    "find_leaks",
    "find_pii",
    "iban_valid",
    "luhn_valid",
    "is_pseudonym",
    "main_text",
    "scrub_example",
    "split_of_document",
]
