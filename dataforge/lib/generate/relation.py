"""Relation records over complete sentence windows (``relation_windows``); offsets are window-relative.

Each record names the relation types it was extracted against (``relation_types``: the schema
of ``dataforge.lib.relation_schema``), so a reader can judge completeness against them, and
lists as ``entities`` the arguments of its relations.
"""

from __future__ import annotations

from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, make_example, span
from dataforge.lib.generate.relation_windows import Window, complete_windows
from dataforge.lib.relation_schema import RELATIONS

GEN_RELATION = "relation.window/2"  # 2: a line wrapped inside the window reads as one line


def _unwrapped(text: str) -> str:
    """A window holds no paragraph break, so a newline in it is a line wrap ("Helena\nMarsh" in a
    PDF): it becomes a space, which keeps every offset."""
    return text.replace("\r", " ").replace("\n", " ")


def _entity(m: dict[str, Any], start: int) -> dict[str, Any]:
    return {"text": _unwrapped(m["text"]), "label": m["label"], "start": m["start"] - start, "end": m["end"] - start}


def record(ctx: DocContext, window: Window) -> dict[str, Any]:
    """The relation record of one window: its text, argument entities and triples."""
    s = window.start
    entities: dict[int, dict[str, Any]] = {}
    relations = []
    for t in window.triples:
        for m in (t.head, t.tail):
            entities.setdefault(m["start"], _entity(m, s))
        relations.append(
            {
                "head": " ".join(t.head["text"].split()),  # a name wrapped over two lines reads as one
                "head_label": t.head["label"],
                "head_start": t.head["start"] - s,
                "relation": t.relation,
                "predicate": t.predicate,  # the source's words, as evidence
                "tail": " ".join(t.tail["text"].split()),
                "tail_label": t.tail["label"],
                "tail_start": t.tail["start"] - s,
                "confidence": t.confidence,
                "polarity": "affirmative",  # a window holds facts only (relation_schema.is_fact)
                "modality": "asserted",
            }
        )
    text = _unwrapped(ctx.text[window.start : window.end])
    for e in entities.values():
        assert text[e["start"] : e["end"]] == e["text"]
    return {
        "text": text,
        "entities": [entities[k] for k in sorted(entities)],
        "relations": relations,
        "relation_types": list(RELATIONS),
        "entity_scope": "the arguments of the relations",
    }


def generate(ctx: DocContext, config: DataforgeConfig) -> list[dict[str, Any]]:
    del config  # no settings yet: every complete window is an example
    return [
        make_example("relation", GEN_RELATION, record(ctx, w), [span(ctx.doc_id, w.start, w.end)])
        for w in complete_windows(ctx)
    ]
