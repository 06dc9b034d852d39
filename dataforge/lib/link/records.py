"""Mentions produced elsewhere (``dataforge link``): validate, embed their sentences, resolve.

One record a line: ``mention_id``, ``doc_id``, ``text``, ``sentence`` (the full sentence that
holds the mention) and optionally ``label`` and ``start`` (any number that orders mentions
inside their document; the file order is used without it). Labels are trusted: mentions with
different labels are never merged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import numpy as np

from dataforge.lib.link.resolver import resolve

REQUIRED = ("mention_id", "doc_id", "text")


class BadRecordError(ValueError):
    """A mention record lacks a required field or is not a JSON object."""


def read_records(lines: Iterable[str]) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadRecordError(f"line {number}: not JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise BadRecordError(f"line {number}: not a JSON object")
        missing = [f for f in REQUIRED if not isinstance(row.get(f), str) or not row[f].strip()]
        if missing:
            raise BadRecordError(f"line {number}: missing {', '.join(missing)}")
        rows.append(row)
    if len({r["mention_id"] for r in rows}) != len(rows):
        raise BadRecordError("mention_id values must be unique")
    return rows


def sentence_vectors(rows: list[dict[str, Any]], model: str, batch_size: int = 64) -> np.ndarray | None:
    """One vector per record from its sentence (its text when it has none), each sentence encoded once."""
    from dataforge.lib.embed import embed_texts

    if not rows:
        return None
    texts = [r.get("sentence") or r["text"] for r in rows]
    unique = list(dict.fromkeys(texts))
    vectors = embed_texts(unique, model, batch_size)
    position = {t: i for i, t in enumerate(unique)}
    return vectors[[position[t] for t in texts]]


def link_records(
    rows: list[dict[str, Any]], model: str = "all-MiniLM-L6-v2", use_context: bool = True
) -> dict[str, Any]:
    """Resolve records with trusted labels; context vectors from their sentences unless disabled."""
    mentions = [{**r, "label": r.get("label") or "ENTITY"} for r in rows]
    for m in mentions:
        if "start" in m and not isinstance(m["start"], int | float):
            m.pop("start")
    vectors = sentence_vectors(rows, model) if use_context else None
    return resolve(mentions, vectors=vectors)
