"""Release files as pure functions: each returns ``{relative_path: bytes}`` for the caller to
write atomically under ``gold/releases/<release>/``. Output is deterministic (sorted keys and
rows, declared Parquet schemas, no timestamps) except ``created_at`` in the manifest."""

from dataforge.lib.export.card import (
    LINEAGE_PATH,
    build_manifest,
    dataset_card,
    export_files,
    lineage_rows,
    release_files,
    trace,
)
from dataforge.lib.export.chat import (
    alpaca_files,
    openai_files,
    sharegpt_files,
    validate_openai_jsonl,
)
from dataforge.lib.export.tables import dataset_files, hf_files, parquet_bytes, schema_for
from dataforge.lib.export.validate import scan_pii, scan_types, validate_alpaca, validate_exports, validate_sharegpt

__all__ = [
    "LINEAGE_PATH",
    "export_files",
    "lineage_rows",
    "scan_pii",
    "scan_types",
    "trace",
    "validate_alpaca",
    "validate_exports",
    "validate_sharegpt",
    "alpaca_files",
    "build_manifest",
    "dataset_card",
    "dataset_files",
    "hf_files",
    "openai_files",
    "parquet_bytes",
    "release_files",
    "schema_for",
    "sharegpt_files",
    "validate_openai_jsonl",
]
