"""NER records per chunk; entity offsets are relative to the chunk text (relation rows: ``relation``)."""

from __future__ import annotations

from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, make_example, span

GEN_NER = "ner.chunk/1"


def _entities(ctx: DocContext, chunk: dict[str, Any]) -> list[dict[str, Any]]:
    c0 = chunk["start"]
    seen = set()
    out = []
    for m in ctx.mentions_within(chunk["start"], chunk["end"]):
        key = (m["start"], m["end"], m["label"])
        if key in seen:
            continue
        seen.add(key)
        ent = {"text": m["text"], "label": m["label"], "start": m["start"] - c0, "end": m["end"] - c0}
        assert chunk["text"][ent["start"] : ent["end"]] == ent["text"]
        out.append(ent)
    return out


def generate(ctx: DocContext, config: DataforgeConfig) -> list[dict[str, Any]]:
    out = []
    for chunk in ctx.chunks:
        if not chunk["text"].strip():
            continue
        entities = _entities(ctx, chunk)
        spans = [span(ctx.doc_id, chunk["start"], chunk["end"])]
        # no relation target on a chunk: a few triples out of the many a reader sees is incomplete;
        # complete relation targets are the relation kind's sentence windows (generate.relation)
        record = {"text": chunk["text"], "entities": entities, "relations": []}
        out.append(make_example("ner", GEN_NER, record, spans))
    return out
