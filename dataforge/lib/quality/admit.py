"""Curation's first step, one batch of examples at a time: documents left out, input counts.

Documents are curated before any example is read (their texts decide it), so an example of a
removed document never has to be held: it is reduced to its removal row as it streams past, and
only the examples that go on to the next stages are kept. With near-duplicate and junk
documents removed, most of a templated corpus's examples never stay in memory. ``finish``
gives the kept examples and the removal rows in the order the one-list path produces them:
both sorted by ``order_key``, the key curation sorts its input by.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from dataforge.lib.quality.schema import KINDS, example_kind


def order_key(example: dict[str, Any]) -> tuple[str, str]:
    """Curation's deterministic order: id, then the whole content."""
    return (str(example.get("id", "")), json.dumps(example, sort_keys=True, ensure_ascii=False, default=str))


def removal_row(example: dict[str, Any], stage: str, reason: str, detail: Any = None) -> dict[str, Any]:
    """One entry of ``report["removals"]``."""
    row = {"id": example.get("id"), "kind": example_kind(example), "stage": stage, "reason": reason}
    if detail:
        row["detail"] = detail
    return row


class Admission:
    """Examples seen batch by batch against the documents removed before them."""

    def __init__(
        self, removed_docs: dict[str, dict[str, Any]], flagged_docs: dict[str, list[str]] | None = None
    ) -> None:
        self.removed_docs, self.flagged_docs = removed_docs, flagged_docs or {}
        self._removed_ids = set(removed_docs)
        self.count = 0
        self._kinds: Counter[str] = Counter()
        self._kept: list[dict[str, Any]] = []
        self._dropped: list[tuple[tuple[str, str], dict[str, Any]]] = []

    def add(self, examples: Iterable[dict[str, Any]]) -> None:
        for ex in examples:
            self.count += 1
            self._kinds[example_kind(ex)] += 1
            gone = sorted({str(d) for d in ex.get("source_documents") or []} & self._removed_ids)
            if gone:
                reason = f"document_{self.removed_docs[gone[0]]['reason']}"
                self._dropped.append((order_key(ex), removal_row(ex, "documents", reason, {"doc_id": gone[0]})))
            else:
                self._kept.append(ex)

    def by_kind(self) -> dict[str, int]:
        """Input examples per kind (the report's ``input.by_kind``)."""
        return {k: self._kinds.get(k, 0) for k in KINDS}

    def finish(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The kept examples in curation order and the documents stage's removal rows, in the
        same order; the admission is empty afterwards (its lists are handed over, not copied)."""
        kept = sorted(self._kept, key=order_key)
        self._dropped.sort(key=lambda pair: pair[0])
        rows = [row for _, row in self._dropped]
        self._kept, self._dropped = [], []
        return kept, rows
