"""NER records per teachable window (``entity_windows``); entity offsets are relative to the
record's text. Relation records are the relation kind's sentence windows (``generate.relation``)."""

from __future__ import annotations

from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, make_example, span
from dataforge.lib.generate.entity_windows import window_record, windows

GEN_NER = "ner.window/1"


def generate(ctx: DocContext, config: DataforgeConfig) -> list[dict[str, Any]]:
    # a NER row is a few sentences whose every entity is confident and every name tagged: a
    # whole chunk almost always holds one wrong type or one missed name, and fails whole; no
    # relation target here either: a few triples out of the many a reader sees is incomplete
    return [
        make_example("ner", GEN_NER, window_record(ctx, w), [span(ctx.doc_id, w.start, w.end)]) for w in windows(ctx)
    ]
