"""Dataset tables: JSONL + Parquet per kind, and the Hugging Face folder.

Parquet schemas are declared per kind rather than inferred, so an empty kind still gets a
valid file and two releases of the same kind always share a schema. ``metadata`` (free-form,
keys vary by generator) is stored as a JSON string in Parquet; JSONL keeps it as an object.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any, Literal, get_args, get_origin

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from dataforge.lib.quality import KINDS, SPLITS
from dataforge.lib.records import MODELS

_STR = pa.string()
_INT = pa.int64()
_FLOAT = pa.float64()
_SPAN = pa.struct([("doc_id", _STR), ("start", _INT), ("end", _INT)])
_SCALARS: dict[Any, pa.DataType] = {str: _STR, int: _INT, float: _FLOAT}


def arrow_type(annotation: Any) -> pa.DataType:
    """Arrow type of a record field, read off its pydantic annotation (str, int, float,
    list[Model], Literal[...]); nested models become structs of their fields."""
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    if get_origin(annotation) is Literal:
        return _STR
    if get_origin(annotation) is list:
        return pa.list_(arrow_type(get_args(annotation)[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct([(n, arrow_type(f.annotation)) for n, f in annotation.model_fields.items()])
    raise TypeError(f"no Arrow type for {annotation!r}")


_HEAD: list[tuple[str, pa.DataType]] = [("id", _STR), ("kind", _STR), ("release", _STR), ("split", _STR)]
# Record columns of each kind, from its typed model (``lib.records``); metadata goes last, as JSON.
_RECORD: dict[str, list[tuple[str, pa.DataType]]] = {
    kind: [(n, arrow_type(f.annotation)) for n, f in model.model_fields.items() if n != "metadata"]
    for kind, model in MODELS.items()
}
_TAIL: list[tuple[str, pa.DataType]] = [
    ("metadata", _STR),  # JSON-encoded object
    ("source_documents", pa.list_(_STR)),
    ("source_spans", pa.list_(_SPAN)),
    ("generator", _STR),  # as given when a string, else JSON-encoded
]
JSON_COLUMNS = frozenset({"metadata"})


def sort_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in id order (content breaks ties), so every file is byte-stable."""
    return sorted(rows, key=lambda r: (str(r.get("id", "")), canonical_json(r)))


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _infer(values: list[Any]) -> pa.DataType:
    """Type of a column the kind does not declare: a plain scalar type, else JSON string."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.bool_()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return _INT
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return _FLOAT
    return _STR


def schema_for(kind: str, rows: list[dict[str, Any]] | None = None) -> pa.Schema:
    """Declared columns of the kind, then any extra fields the rows carry (sorted)."""
    fields = [*_HEAD, *_RECORD.get(kind, []), *_TAIL]
    known = {name for name, _ in fields}
    extra = sorted({k for r in rows or [] for k in r} - known)
    fields += [(name, _infer([r.get(name) for r in rows or []])) for name in extra]
    return pa.schema(fields)


def _conform(value: Any, typ: pa.DataType, as_json: bool = False) -> Any:
    """Coerce one value to the declared type (extra keys of structs are dropped)."""
    if value is None:
        return None
    if as_json:
        return canonical_json(value)
    if pa.types.is_string(typ):
        return value if isinstance(value, str) else canonical_json(value)
    if pa.types.is_boolean(typ):
        return bool(value)
    if pa.types.is_integer(typ):
        return int(value)
    if pa.types.is_floating(typ):
        return float(value)
    if pa.types.is_list(typ):
        if not isinstance(value, (list, tuple)):
            return None
        return [_conform(v, typ.value_type) for v in value]
    if pa.types.is_struct(typ):
        if not isinstance(value, dict):
            return None
        return {f.name: _conform(value.get(f.name), f.type) for f in typ}
    return value


def to_table(kind: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = schema_for(kind, rows)
    columns = {f.name: [_conform(r.get(f.name), f.type, f.name in JSON_COLUMNS) for r in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def parquet_bytes(kind: str, rows: list[dict[str, Any]]) -> bytes:
    """Parquet with no timestamps in it: same rows, same pyarrow -> same bytes."""
    buf = io.BytesIO()
    pq.write_table(to_table(kind, rows), buf, compression="zstd")
    return buf.getvalue()


def jsonl_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def dataset_kinds(datasets: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The kinds that get files: all seven, empty ones included, and any other the rows have."""
    return sorted(set(KINDS) | set(datasets))


def dataset_files(datasets: dict[str, list[dict[str, Any]]], kinds: Iterable[str] | None = None) -> dict[str, bytes]:
    """datasets/<kind>.jsonl and .parquet for all seven kinds, empty ones included (or for
    ``kinds`` only: a release writes one kind's files at a time)."""
    files: dict[str, bytes] = {}
    for kind in dataset_kinds(datasets) if kinds is None else kinds:
        rows = sort_rows(datasets.get(kind, []))
        files[f"datasets/{kind}.jsonl"] = jsonl_bytes(rows)
        files[f"datasets/{kind}.parquet"] = parquet_bytes(kind, rows)
    return files


def rejected_files(rejected: dict[str, list[dict[str, Any]]]) -> dict[str, bytes]:
    """rejected/<kind>.jsonl for all seven kinds (empty ones too): each line a row as it would
    have shipped plus its top-level ``rejected`` {reasons, score, stage}."""
    return {
        f"rejected/{kind}.jsonl": jsonl_bytes(sort_rows(rejected.get(kind, [])))
        for kind in sorted(set(KINDS) | set(rejected))
    }


def by_split(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group rows by their 'split' (missing means train); unknown splits are an error."""
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in SPLITS}
    for r in rows:
        split = r.get("split") or "train"
        if split not in out:
            raise ValueError(f"example {r.get('id')!r} has unknown split {split!r}")
        out[split].append(r)
    return {s: sort_rows(v) for s, v in out.items()}


def hf_configs(datasets: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """Non-empty kinds -> their non-empty splits (an empty split gets no file)."""
    out: dict[str, list[str]] = {}
    for kind in sorted(datasets):
        splits = by_split(datasets[kind])
        present = [s for s in SPLITS if splits[s]]
        if present:
            out[kind] = present
    return out


def hf_yaml_configs(configs: dict[str, list[str]], prefix: str) -> str:
    """The ``configs:`` block of a dataset card, paths relative to the card."""
    if not configs:
        return "configs: []\n"
    lines = ["configs:"]
    for kind, splits in configs.items():
        lines += [f"- config_name: {kind}", "  data_files:"]
        for split in splits:
            lines += [f"  - split: {split}", f"    path: {prefix}data/{kind}/{split}.parquet"]
    return "\n".join(lines) + "\n"


def hf_files(datasets: dict[str, list[dict[str, Any]]]) -> dict[str, bytes]:
    """exports/hf/: README.md (YAML configs) + data/<kind>/<split>.parquet.

    ``datasets.load_dataset(folder, kind)`` loads one kind with its splits; only non-empty
    kinds and splits are listed, since a config or split without rows cannot be loaded.
    """
    configs = hf_configs(datasets)
    files: dict[str, bytes] = {}
    for kind, splits in configs.items():
        grouped = by_split(datasets[kind])
        for split in splits:
            files[f"exports/hf/data/{kind}/{split}.parquet"] = parquet_bytes(kind, grouped[split])
    listing = "\n".join(
        f"- `{kind}`: " + ", ".join(f"{s} ({len(by_split(datasets[kind])[s])})" for s in splits)
        for kind, splits in configs.items()
    )
    readme = (
        "---\n"
        + hf_yaml_configs(configs, "")
        + "---\n\n# dataforge datasets (Hugging Face layout)\n\n"
        + "One config per dataset kind, one Parquet file per split:\n\n"
        + (listing or "(no examples)")
        + "\n\n```python\nimport datasets\n"
        + 'ds = datasets.load_dataset("path/to/exports/hf", "qa")\n```\n\n'
        + "`metadata` is a JSON-encoded string; `source_documents` and `source_spans` give "
        + "each example's provenance.\n"
    )
    files["exports/hf/README.md"] = readme.encode("utf-8")
    return dict(sorted(files.items()))
