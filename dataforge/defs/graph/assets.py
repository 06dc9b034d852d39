"""Corpus-level graph: resolved entities, the knowledge graph and the timeline of a release."""

from typing import Any

import dagster as dg

from dataforge.defs.factory import on_all_documents, release_asset
from dataforge.defs.release_metadata import entity_metadata, graph_metadata, timeline_metadata
from dataforge.lib import release
from dataforge.lib.lake import Lake
from dataforge.lib.previews import markdown_table


def entity_and_type_metadata(lake: Lake, release_name: str, result: dict[str, Any]) -> dict[str, Any]:
    """The entity previews, plus why the largest clusters have their type (graph/type_evidence.parquet)."""
    rows = result.get("type_evidence", [])
    columns = ["canonical_name", "label", "documents", "votes_json", "evidence_json"]
    preview = [{**r, "evidence_json": r["evidence_json"][:200]} for r in rows]
    table = dg.MetadataValue.md(markdown_table(preview, columns, 10))
    return {**entity_metadata(lake, release_name, result), "type_evidence": table}


entity_clusters = release_asset(
    "entity_clusters",
    release.build_entity_clusters,
    deps=[
        on_all_documents("document_mentions"),
        on_all_documents("document_relations"),
        on_all_documents("chunk_embeddings"),
    ],
    group="graph",
    kinds={"python", "parquet"},
    description="Cross-document entity resolution: every mention of the release mapped to a "
    "cluster with a canonical name and one type voted from all its mentions' evidence; the merge "
    "and type evidence are kept (graph/merge_evidence.parquet, graph/type_evidence.parquet).",
    extra_metadata=entity_and_type_metadata,
)

knowledge_graph = release_asset(
    "knowledge_graph",
    release.build_knowledge_graph,
    deps=["entity_clusters", on_all_documents("document_relations")],
    group="graph",
    kinds={"networkx", "parquet"},
    description="Clusters as nodes, relations aggregated across documents as edges, with "
    "PageRank and communities; Parquet and GraphML.",
    extra_metadata=graph_metadata,
)

timeline = release_asset(
    "timeline",
    release.build_timeline,
    deps=["entity_clusters"],
    group="graph",
    kinds={"python", "parquet"},
    description="Dated events (DATE mentions normalized to ISO) with their sentence and "
    "participating clusters, in chronological order.",
    extra_metadata=timeline_metadata,
)
