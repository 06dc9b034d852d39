"""Bulk reads of per-document silver files for the release stages.

Silver is one Parquet file per document per stage. Read one by one, a release over 1,000
documents spent 40% of entity resolution's time opening 4,000 small files (bench.scale), and
on S3 each is a GET paid in sequence. Here the files of a stage are fetched by a thread pool
(pyarrow and the S3 client release the GIL while reading) and turned into Python rows in one
``to_pylist`` over their concatenation: the same rows, in the same order, as ``read_stage``
document by document.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dataforge.lib.lake import Lake
from dataforge.lib.stages import UpstreamMissing, read_stage, silver_key

THREADS = 8  # concurrent reads: latency-bound on S3, cheap on a local disk
BATCH = 2_000  # documents per concatenation: bounds the Arrow memory held at once


def _table(lake: Lake, key: str) -> pa.Table:
    return pq.read_table(io.BytesIO(lake.read_bytes(key)))


def read_tables(lake: Lake, stage: str, doc_ids: Sequence[str], missing_ok: bool = False) -> list[pa.Table | None]:
    """Each document's table of ``stage``, in order; None for a missing file when ``missing_ok``
    (one listing of the stage, not one lookup per document), else ``read_stage``'s error."""
    present = set(lake.list(f"silver/{stage}")) if missing_ok else None
    keys = [silver_key(stage, d) for d in doc_ids]

    def one(i: int) -> pa.Table | None:
        if present is not None and keys[i] not in present:
            return None
        try:
            return _table(lake, keys[i])
        except Exception:
            read_stage(lake, stage, doc_ids[i])  # raises UpstreamMissing or the reason it is missing
            raise

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, range(len(keys))))


def read_stages(
    lake: Lake,
    stage: str,
    doc_ids: Sequence[str],
    missing_ok: bool = False,
    columns: Sequence[str] | None = None,
) -> list[list[dict[str, Any]]]:
    """``[read_stage(lake, stage, d) for d in doc_ids]`` in bulk ([] for a missing file when
    ``missing_ok``); rows hold only ``columns`` when given (what a stage keeps for every
    document of the release, without the columns it never reads)."""
    out: list[list[dict[str, Any]]] = []
    for first in range(0, len(doc_ids), BATCH):
        tables = read_tables(lake, stage, doc_ids[first : first + BATCH], missing_ok)
        if columns is not None:
            tables = [None if t is None else t.select(list(columns)) for t in tables]
        present = [t for t in tables if t is not None]
        try:
            rows = pa.concat_tables(present).to_pylist() if present else []
        except pa.ArrowInvalid:  # files of different schemas (written by an older version)
            rows = [r for t in present for r in t.to_pylist()]
        position = 0
        for table in tables:
            n = 0 if table is None else table.num_rows
            out.append(rows[position : position + n])
            position += n
    return out


def gather(lake: Lake, stage: str, doc_ids: Sequence[str], missing_ok: bool = False) -> list[dict[str, Any]]:
    """Every row of ``stage`` over ``doc_ids``, documents in order."""
    return [row for rows in read_stages(lake, stage, doc_ids, missing_ok) for row in rows]


RECORD_BATCH = 250  # documents per batch of parsed examples: ~4,000 example dicts at a time


def iter_records(
    lake: Lake, stage: str, doc_ids: Sequence[str], batch: int = RECORD_BATCH
) -> Iterator[list[dict[str, Any]]]:
    """The parsed ``record`` column of ``stage`` (document_examples), one batch of documents at
    a time, documents in order: only the record strings of one batch are held while they are
    parsed, never every row of the release beside every example."""
    for first in range(0, len(doc_ids), batch):
        tables = read_tables(lake, stage, doc_ids[first : first + batch])
        records = [table.column("record") for table in tables if table is not None]
        del tables
        strings = [s for column in records for s in column.to_pylist()]
        del records
        yield [json.loads(s) for s in strings]


def read_vectors(lake: Lake, stage: str, doc_ids: Sequence[str], id_column: str) -> Iterator[dict[Any, np.ndarray]]:
    """Each document's ``id -> vector`` of an embeddings stage, documents in order, as float32
    rows of one array per document (1.5 KB a 384-d vector, where ``to_pylist`` makes 384
    Python floats, ~12 KB); files read a batch at a time."""
    for first in range(0, len(doc_ids), BATCH):
        for table in read_tables(lake, stage, doc_ids[first : first + BATCH]):
            assert table is not None
            ids = table.column(id_column).to_pylist()
            flat = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
            yield dict(zip(ids, flat.reshape(len(ids), -1) if ids else [], strict=True))


def read_matrix(
    lake: Lake, stage: str, doc_ids: Sequence[str], id_column: str, row_ids: Sequence[Any]
) -> np.ndarray | None:
    """The vectors of an embeddings stage aligned with ``row_ids`` (float32, one row each), or
    None when a document's file is missing or a row has no vector. Filled into one preallocated
    matrix a batch of documents at a time: never every document's table beside the matrix (2x
    the vectors, as collecting them into a dict first did)."""
    rows_of: dict[Any, list[int]] = defaultdict(list)
    for i, row_id in enumerate(row_ids):
        rows_of[row_id].append(i)
    out: np.ndarray | None = None
    filled = np.zeros(len(row_ids), dtype=bool)
    for first in range(0, len(doc_ids), BATCH):
        for table in read_tables(lake, stage, doc_ids[first : first + BATCH], missing_ok=True):
            if table is None:
                return None
            ids = table.column(id_column).to_pylist()
            if not ids:
                continue
            block = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
            block = block.reshape(len(ids), -1)
            if out is None:
                out = np.empty((len(row_ids), block.shape[1]), dtype=np.float32)
            for row_id, vector in zip(ids, block, strict=True):
                for i in rows_of.get(row_id, ()):
                    out[i] = vector
                    filled[i] = True
    if not filled.all():
        return None
    return out if out is not None else np.array([], dtype=np.float32)


def read_texts(lake: Lake, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
    """``read_text`` for each document, in bulk."""
    return [rows[0] for rows in read_stages(lake, "document_text", doc_ids)]


__all__ = [
    "UpstreamMissing",
    "gather",
    "iter_records",
    "read_stages",
    "read_matrix",
    "read_tables",
    "read_texts",
    "read_vectors",
]
