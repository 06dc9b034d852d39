"""The cross-document knowledge graph: clusters as nodes, relations aggregated as edges."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import networkx as nx


def aggregate_relations(relations: list[dict[str, Any]], assignments: dict[str, str]) -> list[dict[str, Any]]:
    """Map mention-level relations onto clusters and merge repeats across documents."""
    edges: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for r in relations:
        head, tail = assignments.get(r["head_mention_id"]), assignments.get(r["tail_mention_id"])
        if not head or not tail or head == tail:
            continue
        if r["kind"] == "cooccurrence" and head > tail:
            head, tail = tail, head  # undirected: one edge per pair
        key = (head, r["relation"], tail, r["kind"])
        edge = edges.setdefault(
            key,
            {
                "head_cluster": head,
                "relation": r["relation"],
                "tail_cluster": tail,
                "kind": r["kind"],
                "count": 0,
                "doc_ids": set(),
                "max_confidence": 0.0,
                "evidence": [],
            },
        )
        edge["count"] += 1
        edge["doc_ids"].add(r["doc_id"])
        edge["max_confidence"] = max(edge["max_confidence"], float(r["confidence"]))
        if len(edge["evidence"]) < 5:
            edge["evidence"].append({"doc_id": r["doc_id"], "start": r["evidence_start"], "end": r["evidence_end"]})
    rows = []
    for key in sorted(edges):
        edge = edges[key]
        rows.append({**edge, "doc_ids": sorted(edge["doc_ids"]), "doc_count": len(edge["doc_ids"])})
    return rows


def build_graph(entities: list[dict[str, Any]], edges: list[dict[str, Any]]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for e in entities:
        graph.add_node(
            e["cluster_id"],
            label=e["label"],
            name=e["canonical_name"],
            aliases="|".join(e["aliases"]),
            mention_count=e["mention_count"],
            doc_count=e["doc_count"],
        )
    for edge in edges:
        if edge["head_cluster"] in graph and edge["tail_cluster"] in graph:
            graph.add_edge(
                edge["head_cluster"],
                edge["tail_cluster"],
                key=f"{edge['kind']}:{edge['relation']}",
                relation=edge["relation"],
                kind=edge["kind"],
                count=edge["count"],
                confidence=edge["max_confidence"],
                doc_count=edge["doc_count"],
            )
    return graph


def centrality(graph: nx.MultiDiGraph) -> tuple[dict[str, float], dict[str, int]]:
    """PageRank (weighted by edge counts) and greedy-modularity communities per node."""
    if graph.number_of_nodes() == 0:
        return {}, {}
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for u, v, data in graph.edges(data=True):
        weight = simple.get_edge_data(u, v, {"weight": 0})["weight"] + data["count"]
        simple.add_edge(u, v, weight=weight)
    rank = nx.pagerank(simple, weight="weight") if simple.number_of_edges() else {n: 1 / len(simple) for n in simple}
    communities: dict[str, int] = {}
    if simple.number_of_edges():
        groups = nx.community.greedy_modularity_communities(simple, weight="weight")
        for index, group in enumerate(sorted(groups, key=lambda g: (-len(g), min(g)))):
            for node in group:
                communities[node] = index
    for index, node in enumerate(sorted(n for n in simple if n not in communities)):
        communities[node] = len(set(communities.values())) + index
    return {n: round(v, 8) for n, v in rank.items()}, communities


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    return buffer.getvalue()


def graph_summary(entities: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    by_label: dict[str, int] = defaultdict(int)
    for e in entities:
        by_label[e["label"]] += 1
    return {
        "entities": len(entities),
        "cross_document_entities": sum(1 for e in entities if e["doc_count"] > 1),
        "typed_edges": sum(1 for e in edges if e["kind"] == "typed"),
        "cooccurrence_edges": sum(1 for e in edges if e["kind"] == "cooccurrence"),
        "entities_by_label": dict(sorted(by_label.items())),
    }
