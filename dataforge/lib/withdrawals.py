"""Withdrawn documents: a takedown (a deleted upload, `dataforge withdraw`) leaves every later release.

A withdrawal is a marker in the lake, ``withdrawn/<doc_id>.json``, never a deletion of the
document's files: releases already built stay reproducible and the manifest of the next
release names what left it and why. Releases freeze their members without withdrawn ones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dataforge.lib.lake import Lake

PREFIX = "withdrawn"


def withdrawal_key(doc_id: str) -> str:
    return f"{PREFIX}/{doc_id}.json"


def withdraw(lake: Lake, doc_id: str, reason: str, source: str | None = None) -> dict[str, Any]:
    """Record that ``doc_id`` must not be in any later release; idempotent (the first reason stays)."""
    key = withdrawal_key(doc_id)
    record = {
        "doc_id": doc_id,
        "reason": reason,
        "source": source,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if not lake.write_new_json(key, record):
        return lake.read_json(key)
    return record


def withdrawn(lake: Lake) -> dict[str, dict[str, Any]]:
    """Every withdrawal by document id (one listing, then one read per withdrawn document)."""
    return {
        key[len(PREFIX) + 1 : -len(".json")]: lake.read_json(key) for key in lake.list(PREFIX) if key.endswith(".json")
    }


def reinstate(lake: Lake, doc_id: str) -> bool:
    """Undo a withdrawal made by mistake; False when the document was not withdrawn."""
    key = withdrawal_key(doc_id)
    if not lake.exists(key):
        return False
    lake.delete(key)
    return True
