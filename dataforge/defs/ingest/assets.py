"""Bronze to silver: stored originals, extracted text, chunks."""

from dataforge.defs.factory import document_asset
from dataforge.lib import stages

raw_document = document_asset(
    "raw_document",
    stages.raw_document,
    deps=[],
    group="ingest",
    kinds={"python", "s3"},
    description="The stored original (raw/<doc_id>/) checked against its sha256 and size limits; "
    "ingest (CLI or sensor) stores it and registers the partition.",
)

document_text = document_asset(
    "document_text",
    stages.document_text,
    deps=["raw_document"],
    group="ingest",
    kinds={"pdf", "parquet"},
    description="Extracted, cleaned text with page map, language, title, author and date.",
)

document_chunks = document_asset(
    "document_chunks",
    stages.document_chunks,
    deps=["document_text"],
    group="ingest",
    kinds={"python", "parquet"},
    description="Sentence-aligned, token-bounded chunks (cl100k tokens) with exact character "
    "offsets and heading paths.",
)
