"""Watching a local drop folder: which files are new or changed since the last look."""

from __future__ import annotations

import os
from pathlib import Path

from dataforge.lib.ingest import ingest_bytes
from dataforge.lib.lake import Lake

DEFAULT_INBOX = "./.dataforge/inbox"
SUPPORTED_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt", ".md", ".markdown"}


def inbox_folder() -> Path:
    return Path(os.environ.get("DATAFORGE_INBOX") or DEFAULT_INBOX)


def signature(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def scan(folder: Path, seen: dict[str, str], limit: int) -> tuple[list[Path], dict[str, str]]:
    """Files that are new or changed (size or mtime), oldest first, at most ``limit``.

    Returns them with the updated ``seen`` map (pruned to files still present) for the
    cursor. Hidden files and partial uploads (``.part``, ``.tmp``) are ignored.
    """
    if not folder.is_dir():
        return [], {}
    present: dict[str, tuple[float, str, Path]] = {}
    for path in folder.rglob("*"):
        if not path.is_file() or any(p.startswith(".") for p in path.relative_to(folder).parts):
            continue
        if path.suffix.lower() in {".part", ".tmp", ".crdownload"}:
            continue
        try:
            present[path.relative_to(folder).as_posix()] = (path.stat().st_mtime, signature(path), path)
        except OSError:
            continue  # vanished between listing and stat
    changed = sorted((mtime, rel) for rel, (mtime, sig, _) in present.items() if seen.get(rel) != sig)[:limit]
    updated = {rel: sig for rel, sig in seen.items() if rel in present}
    for _, rel in changed:
        updated[rel] = present[rel][1]
    return [present[rel][2] for _, rel in changed], updated


def document_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the files dataforge can read (others are ingested and quarantined)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


def ingest_files(lake: Lake, folder: Path, files: list[Path]) -> list[str]:
    """Store files found in ``folder`` (source ``inbox:<relative path>``); their document ids, no repeats.

    The inbox sensor and ``dataforge watch`` both use this, so a file gets the same id and
    source either way. A file that vanished since the scan is skipped: it was moved away.
    """
    doc_ids: list[str] = []
    for path in files:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        result = ingest_bytes(lake, data, path.name, f"inbox:{path.relative_to(folder).as_posix()}")
        if result.doc_id not in doc_ids:
            doc_ids.append(result.doc_id)
    return doc_ids
