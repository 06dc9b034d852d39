"""Exact dedup on normalized content fields (case and whitespace ignored)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from dataforge.lib.quality.schema import CONTENT_FIELDS, PROVENANCE_FIELDS, example_kind


def _norm_content(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, dict):
        return {k: _norm_content(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_norm_content(v) for v in value]
    return value


def content_key(example: dict[str, Any]) -> str:
    """sha256 of the kind plus its normalized content fields (never id, provenance, metadata)."""
    kind = example_kind(example)
    fields = CONTENT_FIELDS.get(kind) or tuple(
        sorted(k for k in example if k not in PROVENANCE_FIELDS and k != "metadata")
    )
    payload = {"kind": kind, **{f: _norm_content(example.get(f)) for f in fields}}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def dedup_exact(examples: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Drop examples whose content matches an earlier one (case and whitespace ignored)."""
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    for ex in examples:
        key = content_key(ex)
        (removed if key in seen else kept).append(ex)
        seen.add(key)
    return kept, removed
