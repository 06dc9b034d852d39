"""Jobs that group the assets into the two kinds of run: a batch of documents, a release."""

import dagster as dg

from dataforge.defs.partitions import documents, releases

DOCUMENT_ASSETS = [
    "raw_document",
    "document_text",
    "document_chunks",
    "document_mentions",
    "document_relations",
    "chunk_embeddings",
    "document_examples",
]
RELEASE_ASSETS = [
    "entity_clusters",
    "knowledge_graph",
    "timeline",
    "corpus_examples",
    "training_dataset",
    "dataset_exports",
]

document_pipeline = dg.define_asset_job(
    "document_pipeline",
    selection=dg.AssetSelection.assets(*DOCUMENT_ASSETS),
    partitions_def=documents,
    description="Every per-document stage for a batch (a partition range) of documents.",
)

release_pipeline = dg.define_asset_job(
    "release_pipeline",
    selection=dg.AssetSelection.assets(*RELEASE_ASSETS),
    partitions_def=releases,
    description="Build one release: add a partition to 'releases' in the launchpad and run this "
    "job to cut a release from the UI.",
)

document_pipeline_gpu = dg.define_asset_job(
    "document_pipeline_gpu",
    selection=dg.AssetSelection.assets(*DOCUMENT_ASSETS),
    partitions_def=documents,
    tags={"dataforge/route": "gpu"},
    description="The document stages on a GPU pod (dataforge.k8s_launcher routes every run of this job, "
    "from the launchpad, a backfill or the UI, to the GPU node pool): for scanned or very long documents.",
)
