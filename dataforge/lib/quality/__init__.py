"""Quality gate between generated examples and a dataset release.

Pipeline (``build_training_dataset``): scrub PII -> filter -> exact dedup -> splits ->
stamp the release -> group by kind. Every step is deterministic and counted, so a release can
be rebuilt byte for byte and its ``quality_report.json`` explains where every example went.

Examples are flat dicts: the record fields of their kind (see DESIGN.md) plus provenance
(``id``, ``kind``, ``source_documents``, ``source_spans``, ``generator``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from dataforge.lib.quality.dedup import content_key, dedup_exact
from dataforge.lib.quality.detect import _check_types, find_pii, iban_valid, luhn_valid
from dataforge.lib.quality.filters import _quality, filter_examples, main_text
from dataforge.lib.quality.pii import Edit, apply_pii, scrub_example
from dataforge.lib.quality.schema import (
    CONTENT_FIELDS,
    KINDS,
    PII_TYPES,
    PROVENANCE_FIELDS,
    REQUIRED_FIELDS,
    SPLITS,
    STRATEGIES,
    Span,
    example_kind,
)
from dataforge.lib.quality.splits import _split_documents, assign_splits, split_of_document

__all__ = [
    "CONTENT_FIELDS",
    "KINDS",
    "PII_TYPES",
    "PROVENANCE_FIELDS",
    "REQUIRED_FIELDS",
    "SPLITS",
    "STRATEGIES",
    "Edit",
    "Span",
    "apply_pii",
    "assign_splits",
    "build_training_dataset",
    "content_key",
    "dedup_exact",
    "example_kind",
    "filter_examples",
    "find_pii",
    "iban_valid",
    "luhn_valid",
    "main_text",
    "scrub_example",
    "split_of_document",
]


def _order_key(example: dict[str, Any]) -> tuple[str, str]:
    return (str(example.get("id", "")), json.dumps(example, sort_keys=True, ensure_ascii=False, default=str))


def build_training_dataset(
    examples: list[dict[str, Any]], release: str, config: Any, seed: int | None = None
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """scrub PII -> filter -> exact dedup -> splits -> release -> group by kind (sorted by id).

    ``config`` is a DataforgeConfig (its ``seed`` is used) or a QualityConfig with ``seed``
    given (default 13). Input is first sorted by (id, content), so 'keep the first duplicate'
    does not depend on the order partitions were loaded in. Returns the seven datasets (all
    keys present) and the quality report (plain counts, JSON-ready).
    """
    cfg = _quality(config)
    if seed is None:
        seed = getattr(config, "seed", 13)
    types = _check_types(cfg.pii_types)
    ordered = sorted(examples, key=_order_key)

    pii: Counter[str] = Counter()
    affected = 0
    scrubbed = []
    for ex in ordered:
        new, c = scrub_example(ex, cfg.pii_strategy, types, seed)
        if c:
            affected += 1
        pii.update(c)
        scrubbed.append(new)

    filtered, removed_by = filter_examples(scrubbed, cfg)
    deduped, dups = dedup_exact(filtered)
    assigned = assign_splits(deduped, cfg.split_ratios, seed)
    split = [ex for ex in assigned if ex["split"] is not None]
    cross_split = len(assigned) - len(split)

    datasets: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for ex in split:
        kind = example_kind(ex)
        datasets[kind].append({**ex, "kind": kind, "release": release})
    for kind in KINDS:
        datasets[kind].sort(key=_order_key)

    def per_kind(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
        c = Counter(example_kind(r) for r in rows)
        return {k: c.get(k, 0) for k in KINDS}

    report = {
        "release": release,
        "seed": seed,
        "input": {"examples": len(examples), "by_kind": per_kind(examples)},
        "pii": {
            "strategy": cfg.pii_strategy,
            "types": list(types),
            "by_type": {t: pii.get(t, 0) for t in types},
            "total": sum(pii.values()),
            "examples_affected": affected,
        },
        "filters": {
            "in": len(scrubbed),
            "out": len(filtered),
            "removed": dict(sorted(removed_by.items())),
            "min_chars": cfg.min_chars,
            "max_chars": cfg.max_chars,
        },
        "dedup": {"in": len(filtered), "out": len(deduped), "removed": len(dups), "by_kind": per_kind(dups)},
        "splits": {
            "ratios": list(cfg.split_ratios),
            "by_kind": {k: {s: sum(1 for r in datasets[k] if r["split"] == s) for s in SPLITS} for k in KINDS},
            "documents": _split_documents(split),
            "cross_split_removed": cross_split,
        },
        "output": {"examples": sum(len(v) for v in datasets.values()), "by_kind": {k: len(datasets[k]) for k in KINDS}},
    }
    return datasets, report
