"""NER records per teachable window (``entity_windows``) and relation records per chunk;
entity offsets are relative to the record's text."""

from __future__ import annotations

import math
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, make_example, span
from dataforge.lib.generate.entity_windows import window_record, windows
from dataforge.lib.relation_schema import is_fact

GEN_NER = "ner.window/1"
GEN_RELATION = "relation.chunk/1"


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


def _confidence(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return round(number, 4) if math.isfinite(number) else 0.0


def _relations(ctx: DocContext, chunk: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    seen = set()
    for r in ctx.relations_within(chunk["start"], chunk["end"]):
        if (r.get("kind") or "typed") != "typed" or not is_fact(r):
            continue  # co-occurrence, or a predicate outside the relation schema: no relation to teach
        head = ctx.mention_by_id[str(r["head_mention_id"])]
        tail = ctx.mention_by_id[str(r["tail_mention_id"])]
        rel = {
            "head": head["text"],
            "relation": str(r["relation"]),
            "predicate": str(r.get("predicate") or r["relation"]),  # the source's words, as evidence
            "polarity": str(r.get("polarity") or "affirmative"),
            "modality": str(r.get("modality") or "asserted"),
            "tail": tail["text"],
            "confidence": _confidence(r.get("confidence")),
        }
        key = (rel["head"], rel["relation"], rel["tail"])
        if key not in seen:
            seen.add(key)
            out.append(rel)
    return out


def generate(ctx: DocContext, config: DataforgeConfig) -> list[dict[str, Any]]:
    # a NER row is a few sentences whose every entity is confident and every name tagged: a
    # whole chunk almost always holds one wrong type or one missed name, and fails whole
    out = [
        make_example("ner", GEN_NER, window_record(ctx, w), [span(ctx.doc_id, w.start, w.end)]) for w in windows(ctx)
    ]
    for chunk in ctx.chunks:
        if not chunk["text"].strip():
            continue
        relations = _relations(ctx, chunk)
        if relations:
            entities = _entities(ctx, chunk)
            spans = [span(ctx.doc_id, chunk["start"], chunk["end"])]
            record = {"text": chunk["text"], "entities": entities, "relations": relations}
            out.append(make_example("relation", GEN_RELATION, record, spans))
    return out
