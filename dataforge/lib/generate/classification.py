"""Chunk classification: the documents' own 'category' when every one has it, else topics.

Topics come from k-means (cosine, deterministic farthest-point init) over the chunk
vectors, each named by the top TF-IDF keywords of its chunks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import as_int, make_example, span, tfidf

GEN_CATEGORY = "classification.category/1"
GEN_TOPIC = "classification.topic/1"
KMEANS_ITERATIONS = 100
TOPIC_KEYWORDS = 3


def category(document: dict[str, Any]) -> str | None:
    value = document.get("category") or (document.get("metadata") or {}).get("category")
    return str(value) if value not in (None, "") else None


def kmeans(vectors: np.ndarray, k: int) -> np.ndarray:
    """Cluster ids for L2-normalised rows; ids numbered by first appearance."""
    n = len(vectors)
    k = max(1, min(k, len(np.unique(np.round(vectors, 10), axis=0))))
    first = int(np.argmax(vectors @ vectors.mean(axis=0)))
    centers = [first]
    best = vectors @ vectors[first]
    while len(centers) < k:
        masked = best.copy()
        masked[centers] = np.inf
        i = int(np.argmin(masked))
        centers.append(i)
        best = np.maximum(best, vectors @ vectors[i])
    cent = vectors[centers].copy()
    labels = np.full(n, -1)
    for _ in range(KMEANS_ITERATIONS):
        new = np.argmax(vectors @ cent.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = vectors[labels == j]
            if len(members):
                c = members.mean(axis=0)
                norm = np.linalg.norm(c)
                if norm > 0:
                    cent[j] = c / norm
    order: dict[int, int] = {}
    for lab in labels.tolist():
        order.setdefault(lab, len(order))
    return np.array([order[lab] for lab in labels.tolist()])


def topic_names(texts_by_topic: list[str]) -> list[tuple[str, list[str]]]:
    mat, vocab = tfidf(texts_by_topic)
    names, used = [], set()
    for t in range(len(texts_by_topic)):
        row = mat[t] if vocab else np.zeros(0)
        named = (i for i in range(len(vocab)) if row[i] > 0 and vocab[i].isalpha() and len(vocab[i]) > 2)
        top = sorted(named, key=lambda i: (-row[i], vocab[i]))
        keywords = [vocab[i] for i in top[:TOPIC_KEYWORDS]]
        name = "-".join(keywords) or f"topic-{t}"
        if name in used:
            name = f"{name}-{t}"
        used.add(name)
        names.append((name, keywords))
    return names


def _rows(documents: dict[str, dict], chunk_vectors: list) -> list[tuple]:
    rows = []
    dim = None
    for chunk, vec in chunk_vectors or []:
        doc = documents.get(chunk.get("doc_id")) or {}
        text = str(doc.get("text") or "")
        s, e = as_int(chunk.get("start")), as_int(chunk.get("end"))
        try:
            arr = np.asarray(vec if vec is not None else [], dtype=np.float64).ravel()
        except (TypeError, ValueError):
            continue
        if not (0 <= s < e <= len(text)) or text[s:e] != chunk.get("text", text[s:e]):
            continue
        if arr.size == 0 or not np.all(np.isfinite(arr)) or (dim is not None and arr.size != dim):
            continue
        dim = arr.size
        rows.append((str(chunk["doc_id"]), as_int(chunk.get("chunk_id"), 0), s, e, text[s:e], arr))
    return sorted(rows, key=lambda r: r[:4])


def _record(text: str, label: str, source: str, topic, keywords, doc_id, chunk_id) -> dict:
    meta = {
        "label_source": source,
        "topic_id": topic,
        "keywords": list(keywords),
        "doc_id": doc_id,
        "chunk_id": chunk_id,
    }
    return {"text": text, "label": label, "metadata": meta}


def generate(documents: dict[str, dict], chunk_vectors: list, config: DataforgeConfig) -> list[dict[str, Any]]:
    rows = [r for r in _rows(documents, chunk_vectors) if r[4].strip()]
    if not rows:
        return []
    cats = [category(documents[r[0]]) for r in rows]
    out = []
    if all(cats):
        for (doc_id, cid, s, e, text, _), cat in zip(rows, cats, strict=True):
            record = _record(text, str(cat), "category", None, [], doc_id, cid)
            out.append(make_example("classification", GEN_CATEGORY, record, [span(doc_id, s, e)]))
        return out
    mat = np.stack([r[5] for r in rows])
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    mat = np.divide(mat, norms, out=np.zeros_like(mat), where=norms > 0)
    labels = kmeans(mat, max(1, int(config.generate.topics)))
    n_topics = int(labels.max()) + 1
    names = topic_names([" ".join(r[4] for r, t in zip(rows, labels, strict=True) if t == j) for j in range(n_topics)])
    for (doc_id, cid, s, e, text, _), t in zip(rows, labels.tolist(), strict=True):
        name, keywords = names[t]
        record = _record(text, name, "kmeans", int(t), keywords, doc_id, cid)
        out.append(make_example("classification", GEN_TOPIC, record, [span(doc_id, s, e)]))
    return out
