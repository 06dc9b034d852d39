"""What the UI shows for each release asset: tables, pictures and headline numbers."""

from typing import Any

import dagster as dg

from dataforge.lib.checks import read_release_datasets
from dataforge.lib.lake import Lake
from dataforge.lib.previews import counts_table, example_lengths, histogram_png, markdown_table, png_markdown


def entity_metadata(lake: Lake, release: str, result: dict[str, Any]) -> dict[str, Any]:
    rows = [{**e, "aliases": ", ".join(e["aliases"])} for e in result.get("top_entities", [])]
    return {
        "top_entities": dg.MetadataValue.md(
            markdown_table(rows, ["canonical_name", "label", "aliases", "mention_count", "doc_count"], limit=10)
        ),
        "merges_by_rule": dg.MetadataValue.md(counts_table(result.get("merges_by_rule", {}), "rule", "merges")),
    }


def graph_metadata(lake: Lake, release: str, result: dict[str, Any]) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "central_nodes": dg.MetadataValue.md(
            markdown_table(result.get("central_nodes", []), ["canonical_name", "label", "pagerank", "community"], 10)
        ),
        "graphml": dg.MetadataValue.path(lake.join(f"gold/releases/{release}/graph/knowledge_graph.graphml")),
    }
    picture = f"gold/releases/{release}/graph/central.png"
    if lake.exists(picture):
        metadata["central_graph"] = dg.MetadataValue.md(png_markdown(lake.read_bytes(picture), "most central entities"))
    return metadata


def timeline_metadata(lake: Lake, release: str, result: dict[str, Any]) -> dict[str, Any]:
    key = f"gold/releases/{release}/timeline.parquet"
    events = lake.read_rows(key) if lake.exists(key) else []
    for event in events:
        event["participants"] = ", ".join(event.get("participants") or [])
    return {
        "first_events": dg.MetadataValue.md(
            markdown_table(events, ["date", "date_text", "participants", "sentence"], 8)
        )
    }


def _split_table(datasets: dict[str, list[dict[str, Any]]]) -> str:
    rows = []
    for name, examples in sorted(datasets.items()):
        splits = {s: sum(1 for e in examples if e.get("split") == s) for s in ("train", "validation", "test")}
        rows.append({"dataset": name, "examples": len(examples), **splits})
    return markdown_table(rows, ["dataset", "examples", "train", "validation", "test"], limit=len(rows) or 1)


def training_metadata(lake: Lake, release: str, result: dict[str, Any]) -> dict[str, Any]:
    datasets = read_release_datasets(lake, release)
    metadata: dict[str, Any] = {"examples_by_split": dg.MetadataValue.md(_split_table(datasets))}
    for name, rows in sorted(datasets.items()):
        metadata[f"examples_{name}"] = len(rows)
    png = histogram_png(example_lengths(datasets), "example length", "cl100k tokens")
    if png:
        metadata["token_length_histogram"] = dg.MetadataValue.md(png_markdown(png, "token length histogram"))
    return metadata


def export_metadata(lake: Lake, release: str, result: dict[str, Any]) -> dict[str, Any]:
    manifest = result.get("manifest", {})
    counts = {
        name: value["rows"] if isinstance(value, dict) else value
        for name, value in manifest.get("datasets", {}).items()
    }
    metadata: dict[str, Any] = {f"examples_{name}": count for name, count in sorted(counts.items())}
    metadata["examples_total"] = sum(counts.values())
    metadata["documents"] = len(manifest.get("documents", []))
    metadata["examples_by_dataset"] = dg.MetadataValue.md(counts_table(counts, "dataset", "examples"))
    metadata["dataset_card"] = dg.MetadataValue.path(lake.join(f"gold/releases/{release}/README.md"))
    return metadata
