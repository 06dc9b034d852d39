"""Clustering with guards: union-find over name nodes that refuses merges which would chain.

A merge of two clusters is refused when
- ``label``: their labels differ (when labels are trusted);
- ``names``: they hold two long names that cannot be the same thing ("John Smith" and "Jane
  Smith"; "Northwind Tidal" and "Northwind Renewable Energy" when a bare "Northwind" could
  join either);
- ``context``: the average cosine between the documents of one and those of the other is
  below the guard (a chain of pairwise-plausible merges drifting across unrelated documents);
- ``bridge``: a weak link (a pronoun, "the company", a shared common noun) would join two
  clusters that both have names and no name rule relates any two of those names: "the
  programme" may join "TIDEWAKE", but must not carry "TIDEWAKE" into "NSEI".
Edges are applied best first, so the strongest evidence decides what a cluster is.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from dataforge.lib.link.names import Name, long_forms_conflict
from dataforge.lib.link.scoring import name_evidence

MAX_LONG_FORMS = 8  # names kept per cluster for the name guards (the most frequent ones)
WEAK_RULES = frozenset({"pronoun", "nominal", "same_head", "apposition"})


class Clusters:
    """Union-find whose roots carry what the guards need."""

    def __init__(
        self,
        labels: list[str],
        long_forms: list[str],
        proper: list[list[Name]],
        weights: list[int],
        context: np.ndarray | None,
        counts: np.ndarray | None,
        strict_labels: bool,
        context_guard: float,
    ):
        self.parent = list(range(len(labels)))
        self.labels = labels
        self.strict = strict_labels
        self.long: list[Counter[str] | None] = [
            Counter({f: w}) if f else None for f, w in zip(long_forms, weights, strict=True)
        ]
        self.proper: list[Counter[Name] | None] = [Counter(names) if names else None for names in proper]
        self.context = None if context is None else context.astype(np.float64, copy=True)
        self.counts = None if counts is None else counts.astype(np.float64, copy=True)
        self.guard = context_guard
        self.refused: Counter[str] = Counter()

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def context_similarity(self, a: int, b: int) -> float | None:
        """Average-link cosine between two roots' documents (None without vectors)."""
        if self.context is None:
            return None
        return float(self.context[a] @ self.context[b] / (self.counts[a] * self.counts[b]))

    def why_not(self, a: int, b: int, weak: bool = False) -> str | None:
        if self.strict and self.labels[a] != self.labels[b]:
            return "label"
        pa, pb = self.proper[a], self.proper[b]
        if weak and pa and pb and not any(x.core == y.core or name_evidence(x, y) for x in pa for y in pb):
            return "bridge"
        la, lb = self.long[a], self.long[b]
        if la and lb:
            for x in la:
                for y in lb:
                    if long_forms_conflict(x, y):
                        return "names"
        if self.context is not None:
            similarity = self.context_similarity(a, b)
            if similarity is not None and similarity < self.guard:
                return "context"
        return None

    def union(self, a: int, b: int, weak: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        reason = self.why_not(ra, rb, weak)
        if reason:
            self.refused[reason] += 1
            return False
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        for attribute in (self.long, self.proper):
            if attribute[rb]:
                merged = (attribute[ra] or Counter()) + attribute[rb]
                attribute[ra] = Counter(dict(merged.most_common(MAX_LONG_FORMS)))
        if self.long[ra]:  # a long name inside a longer one of the same cluster says nothing more
            words = {form: set(form.split()) for form in self.long[ra]}
            for form in list(words):
                if any(other != form and words[form] < words[other] for other in words):
                    del self.long[ra][form]
        if self.context is not None:
            self.context[ra] += self.context[rb]
            self.counts[ra] += self.counts[rb]
        return True


def apply_edges(clusters: Clusters, edges: list[tuple[float, int, int, str, str]]) -> list[dict[str, Any]]:
    """Union along edges ``(score, a, b, rule, detail)`` from the best down; returns the evidence.

    The same pair linked by the same rule in several documents is one edge with that support;
    among equal scores the better supported goes first, so a short name shared by two long
    names joins the one most documents say it means.
    """
    merged: dict[tuple[int, int, str], list] = {}
    for score, a, b, rule, detail in edges:
        key = (min(a, b), max(a, b), rule)
        if key in merged:
            merged[key][0] = max(merged[key][0], score)
            merged[key][1] += 1
        else:
            merged[key] = [score, 1, detail]
    evidence = []
    for (a, b, rule), (score, support, detail) in sorted(merged.items(), key=lambda e: (-e[1][0], -e[1][1], e[0])):
        if clusters.union(a, b, rule in WEAK_RULES):
            if support > 1:
                detail = f"{detail}; and {support - 1} more"
            evidence.append({"rule": rule, "a": a, "b": b, "detail": detail, "score": round(score, 4)})
    return evidence
