"""Small human-readable views of stage outputs: Markdown tables and PNG pictures.

They answer "what happened here?" in the Dagster UI without opening files. Kept short and
deterministic; pictures are rendered with matplotlib's non-interactive backend.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from typing import Any

from dataforge.lib.lake import Lake

PREVIEW_ROWS = 5
CELL_CHARS = 60


_SCRUB: list[Any] = []  # the active PII scrubber for previews (set by ``scrubbing``)


class scrubbing:  # noqa: N801 - used as a context manager, reads like a phrase
    """Previews go to the UI and its database: scrub PII in them like in any export."""

    def __init__(self, config: Any):
        self.config = config

    def __enter__(self) -> None:
        from dataforge.lib.quality import apply_pii

        quality = self.config.quality
        if quality.pii_strategy != "keep":
            strategy = quality.pii_strategy
            _SCRUB.append(lambda text: apply_pii(text, strategy, quality.pii_types, self.config.seed)[0])

    def __exit__(self, *_: Any) -> None:
        _SCRUB.clear()


def _cell(value: Any) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    for scrub in _SCRUB:
        text = scrub(text)
    text = text.replace("|", "\\|")
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"


def markdown_table(rows: list[dict[str, Any]], columns: list[str], limit: int = PREVIEW_ROWS) -> str:
    if not rows:
        return "_no rows_"
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    lines += ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"\n_{len(rows) - limit} more rows_")
    return "\n".join(lines)


def counts_table(counts: dict[str, Any], key: str = "name", value: str = "count") -> str:
    return markdown_table([{key: k, value: v} for k, v in counts.items()], [key, value], limit=len(counts) or 1)


def _read_many(lake: Lake, stage: str, doc_ids: list[str], limit: int = PREVIEW_ROWS) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for doc_id in doc_ids[:limit]:
        key = f"silver/{stage}/{doc_id}.parquet"
        if lake.exists(key):
            rows.extend(lake.read_rows(key))
    return rows


def document_preview(lake: Lake, stage: str, doc_ids: list[str]) -> str | None:
    """A few rows of a per-document stage's output, chosen to be readable."""
    if stage == "raw_document":
        rows = [
            lake.read_json(f"raw/{d}/source.json")
            for d in doc_ids[:PREVIEW_ROWS]
            if lake.exists(f"raw/{d}/source.json")
        ]
        return markdown_table(rows, ["doc_id", "file_name", "size", "media_type"])
    rows = _read_many(lake, stage, doc_ids)
    if stage == "document_text":
        for row in rows:
            row["excerpt"] = row["text"][:200]
        return markdown_table(rows, ["doc_id", "title", "language", "word_count", "page_count", "excerpt"])
    if stage == "document_chunks":
        return markdown_table(rows, ["doc_id", "chunk_id", "n_tokens", "heading", "text"])
    if stage == "document_mentions":
        by_label = Counter(r["label"] for r in rows)
        return (
            counts_table(dict(by_label.most_common(12)), "label", "mentions (first documents)")
            + "\n\n"
            + markdown_table(rows, ["doc_id", "text", "label", "sentence_id"])
        )
    if stage == "document_relations":
        typed = [r for r in rows if r["kind"] == "typed"]
        return markdown_table(typed, ["head", "relation", "tail", "pattern", "confidence"], limit=8)
    if stage == "document_examples":
        import json

        examples = [json.loads(r["record"]) for r in rows]
        for e in examples:
            e["summary"] = e.get("question") or e.get("instruction") or e.get("summary") or e.get("label") or ""
        return markdown_table(examples, ["kind", "generator", "summary"], limit=8)
    return None


def png_markdown(png: bytes, alt: str) -> str:
    return f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode()})"


def histogram_png(values: list[int], title: str, xlabel: str) -> bytes | None:
    """A small histogram; None when matplotlib is not installed or there are no values."""
    if not values:
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    figure, axis = plt.subplots(figsize=(5, 2.6), dpi=80)
    axis.hist(values, bins=min(30, max(5, len(set(values)))), color="#4f6bed")
    axis.set_title(title, fontsize=10)
    axis.set_xlabel(xlabel, fontsize=9)
    axis.set_ylabel("examples", fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def example_lengths(datasets: dict[str, list[dict[str, Any]]]) -> list[int]:
    """Token length of every example's text fields (cl100k), for the histogram."""
    from dataforge.lib.chunk import token_counter

    count = token_counter()
    lengths = []
    for rows in datasets.values():
        for row in rows:
            text = " ".join(
                str(row.get(k, ""))
                for k in (
                    "instruction",
                    "input",
                    "output",
                    "context",
                    "question",
                    "answer",
                    "document",
                    "summary",
                    "text",
                )
            )
            if row.get("conversations"):
                text += " ".join(turn["content"] for turn in row["conversations"])
            lengths.append(count(text))
    return lengths
