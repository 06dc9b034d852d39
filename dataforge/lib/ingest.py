"""Storing originals in the lake (bronze) and keeping a record of what could not be processed.

A document's id is derived from its content, so the same bytes ingested twice get the same
id and are processed once; the readable slug in front helps people find it in the UI.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from dataforge.lib.lake import Lake

MAX_DOC_ID = 64
_SLUG_BAD = re.compile(r"[^a-z0-9_-]+")


def slugify(name: str) -> str:
    """Lowercase ASCII slug of a file name without its extension: only ``[a-z0-9_-]``."""
    stem = safe_file_name(name).rsplit(".", 1)[0]
    ascii_name = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = _SLUG_BAD.sub("-", ascii_name.lower()).strip("-_")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug or "doc"


def doc_id_for(name: str, sha256_hex: str) -> str:
    """``<slug>-<first 10 hex of sha256>``, at most 64 characters."""
    suffix = sha256_hex[:10]
    slug = slugify(name)[: MAX_DOC_ID - len(suffix) - 1].rstrip("-_") or "doc"
    return f"{slug}-{suffix}"


def safe_file_name(name: str) -> str:
    """The last path component with control characters, bidi marks and NUL removed.

    Keys and names from users may contain ``../``, backslashes or right-to-left marks; the
    stored copy must never land outside ``raw/<doc_id>/``.
    """
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    cleaned = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn")).strip(" .")
    if len(cleaned.encode()) > 200:
        stem, dot, ext = cleaned.rpartition(".")
        ext = ext[:16] if dot else ""
        cleaned = (stem or cleaned).encode()[:180].decode("utf-8", "ignore") + (f".{ext}" if ext else "")
    return cleaned or "document"


@dataclass(frozen=True)
class IngestResult:
    doc_id: str
    file_name: str
    sha256: str
    size: int
    new: bool


def ingest_bytes(lake: Lake, data: bytes, name: str, source: str) -> IngestResult:
    """Store one original and its ``source.json``; storing the same bytes again is a no-op."""
    digest = hashlib.sha256(data).hexdigest()
    index_key = f"index/sha256/{digest}.json"
    if lake.exists(index_key):  # the same bytes under any name are one document
        known = lake.read_json(index_key)
        index_source(lake, source, known["doc_id"])
        return IngestResult(known["doc_id"], known["file_name"], digest, len(data), new=False)
    doc_id = doc_id_for(name, digest)
    file_name = safe_file_name(name)
    source_key = f"raw/{doc_id}/source.json"
    if file_name == "source.json":
        file_name = "source.json.orig"
    lake.write_bytes(f"raw/{doc_id}/{file_name}", data)
    media_type, _ = mimetypes.guess_type(file_name)
    lake.write_json(
        source_key,
        {
            "doc_id": doc_id,
            "file_name": file_name,
            "source": source,
            "size": len(data),
            "sha256": digest,
            "media_type": media_type,
            "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    index_source(lake, source, doc_id)
    lake.write_json(index_key, {"doc_id": doc_id, "file_name": file_name})  # last: marks ingest complete
    return IngestResult(doc_id, file_name, digest, len(data), new=True)


def source_index_key(source: str) -> str:
    return f"index/source/{hashlib.sha256(source.encode()).hexdigest()[:32]}.json"


def index_source(lake: Lake, source: str, doc_id: str) -> None:
    """Remember which documents came from ``source``, so a deleted upload finds its documents
    with one read instead of a scan of every ``source.json``."""
    key = source_index_key(source)
    entry = lake.read_json(key) if lake.exists(key) else {"source": source, "doc_ids": []}
    if doc_id not in entry["doc_ids"]:
        entry["doc_ids"].append(doc_id)
        lake.write_json(key, entry)


def documents_from_source(lake: Lake, source: str) -> list[str]:
    """The documents ingested from ``source`` (an s3:// URI or a path)."""
    key = source_index_key(source)
    return list(lake.read_json(key)["doc_ids"]) if lake.exists(key) else []


def read_source(lake: Lake, doc_id: str) -> dict[str, Any]:
    return lake.read_json(f"raw/{doc_id}/source.json")


def read_original(lake: Lake, doc_id: str) -> tuple[dict[str, Any], bytes]:
    source = read_source(lake, doc_id)
    return source, lake.read_bytes(f"raw/{doc_id}/{source['file_name']}")


def quarantine_key(doc_id: str) -> str:
    return f"quarantine/{doc_id}.json"


def quarantine(lake: Lake, doc_id: str, stage: str, reason: str, message: str = "") -> dict[str, Any]:
    """Record why a document could not be processed; it is listed, never silently dropped."""
    try:
        source = read_source(lake, doc_id)
    except Exception:  # the original itself may be what is missing
        source = {}
    record = {
        "doc_id": doc_id,
        "source": source.get("source"),
        "file_name": source.get("file_name"),
        "sha256": source.get("sha256"),
        "size": source.get("size"),
        "stage": stage,
        "reason": reason,
        "message": message,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    lake.write_json(quarantine_key(doc_id), record)
    return record


def is_quarantined(lake: Lake, doc_id: str) -> bool:
    return lake.exists(quarantine_key(doc_id))


def clear_quarantine(lake: Lake, doc_id: str) -> None:
    """A successful re-run of the first stage lifts an earlier quarantine."""
    if lake.exists(quarantine_key(doc_id)):
        lake.delete(quarantine_key(doc_id))


def list_quarantine(lake: Lake) -> list[dict[str, Any]]:
    return [lake.read_json(key) for key in lake.list("quarantine") if key.endswith(".json")]


def list_documents(lake: Lake) -> list[str]:
    return sorted(key.split("/")[1] for key in lake.list("raw") if key.endswith("/source.json"))
