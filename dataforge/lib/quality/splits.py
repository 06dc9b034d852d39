"""Train/validation/test splits by document: on the configured ratios, stable, never leaking.

The rule, in order:

1. The document graph. Nodes are the source documents of the examples; an example built on
   several documents (multi-hop QA, entity profiles) links each pair of them with weight
   ``1 / (k - 1)``. On real corpora this graph is nearly one component, so components cannot be
   the unit of assignment (they were: 189 of 195 news articles ended up in train).
2. Stable documents. A document assigned in an earlier release (``gold/splits/assignments.jsonl``)
   keeps its split whatever the ratios or the graph say now.
3. Targets. Every document of this release counts: ``ratio * N`` rounded by largest remainder,
   at least one document for each split with a non-zero ratio when there are enough documents.
4. New documents. Louvain communities (networkx, seeded) of the new documents, largest first,
   each placed whole in a split it fits (within target, else within one document over it): the
   one it is most linked to, then the one furthest below target. A community that fits nowhere
   is bisected (Kernighan-Lin, networkx) and its halves placed the same way, so cuts fall
   where the graph is thinnest. Then new documents move (or swap, rich in examples for poor)
   between splits while that brings example shares closer to the ratios (document shares
   staying within 1.5 points).
6. An example whose documents ended up in different splits is dropped and counted as
   'cross_split', so no document's text ever reaches two splits. Examples without source
   documents are placed by a hash of their id.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import networkx as nx

from dataforge.lib.quality.dedup import content_key
from dataforge.lib.quality.schema import SPLITS

ASSIGNMENTS_KEY = "gold/splits/assignments.jsonl"
RULE = (
    "documents assigned once and kept by later releases; new documents by Louvain communities of the "
    "document graph, bisected (Kernighan-Lin) where a split has no room; bridging examples dropped"
)


def _check(ratios: Sequence[float]) -> list[float]:
    total = float(sum(ratios))
    if len(ratios) != 3 or total <= 0 or any(r < 0 for r in ratios):
        raise ValueError(f"split ratios must be three non-negative numbers, got {ratios!r}")
    return [r / total for r in ratios]


def bucket(key: str, seed: int) -> float:
    return int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:16], 16) / 2**64


def split_of_document(doc_id: str, ratios: Sequence[float], seed: int) -> str:
    """A split by hash alone (examples with no source document): its bucket's ratio interval."""
    b, edge = bucket(doc_id, seed), 0.0
    for name, r in zip(SPLITS, _check(ratios), strict=True):
        edge += r
        if b < edge:
            return name
    return next(n for n, r in reversed(list(zip(SPLITS, ratios, strict=True))) if r > 0)


def targets(n: int, ratios: Sequence[float]) -> dict[str, int]:
    """Documents per split: largest remainder, and one for every non-zero split when n allows."""
    shares = _check(ratios)
    exact = [n * r for r in shares]
    counts = [math.floor(x) for x in exact]
    for i in sorted(range(3), key=lambda i: (counts[i] - exact[i], i))[: n - sum(counts)]:
        counts[i] += 1
    needed = [i for i in range(3) if shares[i] > 0]
    if n >= len(needed):
        for i in needed:
            if counts[i] == 0:
                counts[max(range(3), key=lambda j: (counts[j], -j))] -= 1
                counts[i] = 1
    return dict(zip(SPLITS, counts, strict=True))


def _doc_keys(example: dict[str, Any]) -> list[str]:
    return sorted({str(d) for d in example.get("source_documents") or []})


def document_graph(examples: list[dict[str, Any]]) -> nx.Graph:
    """Documents as nodes (sorted, for determinism); shared examples as weighted edges."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted({d for ex in examples for d in _doc_keys(ex)}))
    weights: dict[tuple[str, str], float] = {}
    for ex in examples:
        docs = _doc_keys(ex)
        for a, b in combinations(docs, 2):
            weights[(a, b)] = weights.get((a, b), 0.0) + 1.0 / (len(docs) - 1)
    # edges in sorted order: Louvain's seeded result depends on adjacency order, and the examples'
    # order must not matter (it followed set iteration upstream, so PYTHONHASHSEED moved splits)
    graph.add_weighted_edges_from((a, b, round(w, 9)) for (a, b), w in sorted(weights.items()))
    return graph


class _Placer:
    """Greedy placement of document groups into splits with fixed capacities."""

    def __init__(self, graph: nx.Graph, goal: dict[str, int], split_of: dict[str, str], seed: int) -> None:
        self.graph, self.goal, self.split_of, self.seed = graph, goal, split_of, seed
        self.size = Counter(split_of.values())

    def _affinity(self, group: list[str], split: str) -> float:
        return sum(a["weight"] for d in group for n, a in self.graph[d].items() if self.split_of.get(n) == split)

    def _choose(self, group: list[str]) -> str | None:
        for slack in (0, 1):  # within target, else one document over it rather than a cut
            fits = [s for s in SPLITS if self.goal[s] > 0 and self.size[s] + len(group) <= self.goal[s] + slack]
            if fits:
                return max(
                    fits,
                    key=lambda s: (
                        self._affinity(group, s),
                        (self.goal[s] - self.size[s]) / self.goal[s],
                        -SPLITS.index(s),
                    ),
                )
        return None

    def place(self, groups: list[list[str]]) -> None:
        queue = sorted((sorted(g) for g in groups), key=self._order)
        while queue:
            group = queue.pop(0)
            split = self._choose(group)
            if split is None and len(group) > 1:
                halves = nx.community.kernighan_lin_bisection(
                    self.graph.subgraph(group), weight="weight", seed=self.seed
                )
                queue = sorted(queue + [sorted(h) for h in halves], key=self._order)
                continue
            if split is None:  # a single document and every split full: the one furthest below target
                split = min(SPLITS, key=lambda s: (self.size[s] - self.goal[s], SPLITS.index(s)))
            for d in group:
                self.split_of[d] = split
            self.size[split] += len(group)

    def _order(self, group: list[str]) -> tuple[int, float]:
        return (-len(group), bucket(group[0], self.seed))


def _kept(groups: list[list[str]], split_of: dict[str, str]) -> Counter[str]:
    return Counter(split_of[g[0]] for g in groups if all(split_of[d] == split_of[g[0]] for d in g))


def _rebalance(groups: list[list[str]], split_of: dict[str, str], movable: list[str], ratios: Sequence[float]) -> None:
    """Move or swap new documents until example shares are within a point of the ratios.

    Cuts cost the small splits more of their examples than the large one (their documents have
    more neighbours elsewhere), and documents differ in how many examples they give, so example
    shares drift from the ratios that documents meet. A move must keep every document share
    within 1.5 points (or as close as it already was); a swap of a document rich in examples
    for a poor one keeps document counts. The change that helps most wins, one at a time.
    """
    shares = dict(zip(SPLITS, _check(ratios), strict=True))
    of_doc: dict[str, list[list[str]]] = {}
    for g in groups:
        for d in g:
            of_doc.setdefault(d, []).append(g)
    n_docs = len(split_of)
    docs = Counter(split_of.values())
    limit = max(0.015, max(abs(docs[s] / n_docs - shares[s]) for s in SPLITS))

    filled = {s for s in SPLITS if docs[s] and shares[s] > 0}

    def deviation(kept: Counter[str]) -> float:
        if max(abs(docs[s] / n_docs - shares[s]) for s in SPLITS) > limit + 1e-9 or not all(docs[s] for s in filled):
            return math.inf
        total = sum(kept.values()) or 1
        return max(abs(kept[s] / total - shares[s]) for s in SPLITS)

    def trial(kept: Counter[str], changes: list[tuple[str, str]]) -> tuple[float, Counter[str]]:
        touched = {id(g): g for d, _ in changes for g in of_doc[d]}.values()
        before, old = _kept(list(touched), split_of), [(d, split_of[d]) for d, _ in changes]
        for d, to in changes:
            docs[split_of[d]] -= 1
            docs[to] += 1
            split_of[d] = to
        after = kept - before + _kept(list(touched), split_of)
        score = deviation(after)
        for d, back in old:
            docs[split_of[d]] -= 1
            docs[back] += 1
            split_of[d] = back
        return score, after

    kept = _kept(groups, split_of)
    weight = {d: len(of_doc[d]) for d in movable}
    for _ in range(len(movable)):
        now = deviation(kept)
        if now <= 0.01:
            return
        total = sum(kept.values()) or 1
        over = max(SPLITS, key=lambda s: kept[s] / total - shares[s])
        under = min(SPLITS, key=lambda s: kept[s] / total - shares[s] if shares[s] > 0 else math.inf)
        options = [[(d, t)] for d in movable for t in SPLITS if t != split_of[d] and shares[t] > 0]
        rich = sorted((d for d in movable if split_of[d] == over), key=lambda d: (-weight[d], d))[:30]
        poor = sorted((d for d in movable if split_of[d] == under), key=lambda d: (weight[d], d))[:30]
        options += [[(d, under), (e, over)] for d in rich for e in poor if weight[d] > weight[e]]
        # share points gained against examples lost to new cuts (a lost example costs its share)
        scored = [
            (score + (total - sum(after.values())) / total, score, after, o)
            for o in options
            for score, after in [trial(kept, o)]
        ]
        best = min(scored, key=lambda x: x[0], default=None)
        if best is None or best[1] >= now - 1e-9 or best[0] >= now - 1e-9:
            return
        _, _, kept, changes = best
        for d, to in changes:
            docs[split_of[d]] -= 1
            docs[to] += 1
            split_of[d] = to


def assign_documents(
    graph: nx.Graph,
    ratios: Sequence[float],
    seed: int,
    assigned: dict[str, str] | None = None,
    groups: list[list[str]] | None = None,
) -> dict[str, str]:
    """Document -> split for every node of ``graph``, keeping ``assigned`` (steps 2-5).

    ``groups``: the source documents of each example, to balance example shares too.
    """
    split_of = {d: s for d, s in (assigned or {}).items() if d in graph}
    new = [d for d in graph.nodes if d not in split_of]
    if new:
        communities = nx.community.louvain_communities(graph.subgraph(new), weight="weight", seed=seed)
        _Placer(graph, targets(graph.number_of_nodes(), ratios), split_of, seed).place([list(g) for g in communities])
        if groups:
            _rebalance(groups, split_of, new, ratios)
    return split_of


def assign_splits(
    examples: list[dict[str, Any]], ratios: Sequence[float], seed: int, assigned: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(examples with their ``split``, examples dropped as cross_split).

    ``assigned``: document -> split from earlier releases, kept; the documents placed now are
    added to it, so the caller can store them (``save_assignments``).
    """
    groups = sorted(docs for docs in map(_doc_keys, examples) if docs)  # order-free, like the graph
    doc_split = assign_documents(document_graph(examples), ratios, seed, assigned, groups)
    if assigned is not None:
        assigned.update(doc_split)
    kept, dropped = [], []
    for ex in examples:
        docs = _doc_keys(ex)
        if not docs:
            kept.append({**ex, "split": split_of_document(f"example:{ex.get('id') or content_key(ex)}", ratios, seed)})
            continue
        splits = {doc_split[d] for d in docs}
        if len(splits) > 1:
            dropped.append(ex)
        else:
            kept.append({**ex, "split": splits.pop()})
    return kept, dropped


def split_documents(examples: list[dict[str, Any]]) -> dict[str, int]:
    """How many source documents feed each split (each feeds exactly one)."""
    by_split: dict[str, set[str]] = {s: set() for s in SPLITS}
    for ex in examples:
        by_split[ex["split"]].update(str(d) for d in ex.get("source_documents") or [])
    return {s: len(v) for s, v in by_split.items()}


def split_report(kept: list[dict[str, Any]], dropped: list[dict[str, Any]], ratios: Sequence[float]) -> dict[str, Any]:
    """Documents and examples per split, their shares, and what keeping documents apart cost."""
    docs = split_documents(kept)
    examples = Counter(ex["split"] for ex in kept)
    cross = sum(1 for ex in kept if len(_doc_keys(ex)) > 1) + len(dropped)

    def shares(counts: dict[str, int]) -> dict[str, float]:
        total = sum(counts.values())
        return {s: round(counts.get(s, 0) / total, 4) if total else 0.0 for s in SPLITS}

    return {
        "ratios": list(ratios),
        "rule": RULE,
        "documents": docs,
        "document_shares": shares(docs),
        "examples": {s: examples.get(s, 0) for s in SPLITS},
        "example_shares": shares(examples),
        "cross_document_examples": cross,
        "cross_split_removed": len(dropped),
        "cross_split_share": round(len(dropped) / cross, 4) if cross else 0.0,
    }


def load_assignments(lake: Any) -> dict[str, dict[str, str]]:
    """doc_id -> {"split", "first_release"} stored by earlier releases (empty for a new lake)."""
    if not lake.exists(ASSIGNMENTS_KEY):
        return {}
    rows = [json.loads(line) for line in lake.read_bytes(ASSIGNMENTS_KEY).decode("utf-8").splitlines() if line.strip()]
    return {r["doc_id"]: {"split": r["split"], "first_release": r["first_release"]} for r in rows}


def save_assignments(lake: Any, assigned: dict[str, str], release: str) -> int:
    """Add the documents first assigned in ``release``; earlier rows are never changed. Returns how many."""
    stored = load_assignments(lake)
    new = {d: {"split": s, "first_release": release} for d, s in assigned.items() if d not in stored}
    if new:
        stored.update(new)
        lines = [json.dumps({"doc_id": d, **stored[d]}, sort_keys=True) for d in sorted(stored)]
        lake.write_bytes(ASSIGNMENTS_KEY, ("\n".join(lines) + "\n").encode("utf-8"))
    return len(new)
