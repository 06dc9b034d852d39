"""Corpus-level graph: resolved entities, the knowledge graph and the timeline of a release."""

from dataforge.defs.factory import on_all_documents, release_asset
from dataforge.defs.release_metadata import entity_metadata, graph_metadata, timeline_metadata
from dataforge.lib import release

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
    "cluster with a canonical name; the merge evidence is kept (graph/merge_evidence.parquet).",
    extra_metadata=entity_metadata,
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
