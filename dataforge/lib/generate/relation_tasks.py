"""Instruction tasks on relations, over complete sentence windows (``relation_windows``).

``extract_relations`` names the relation types it asks for (the schema), so its target, every
fact of the window, is complete against the instruction; ``explain_relation`` states every
fact between one pair of the window in schema English (``relation_text``), with the evidence.
"""

from __future__ import annotations

import re
from typing import Any

from dataforge.lib.generate.common import DocContext, rng, span
from dataforge.lib.generate.instruction import instruction_example, phrase
from dataforge.lib.generate.relation_windows import Window, complete_windows
from dataforge.lib.relation_schema import RELATIONS
from dataforge.lib.relation_text import schema_line, statement


def _name(m: dict[str, Any], in_prose: bool = False) -> str:
    """The argument's name; in a sentence with the article the text gave it ("the North Sea ...")."""
    name = " ".join(str(m["text"]).split())
    return "the " + name if in_prose and m.get("article") else name


def _extract(ctx: DocContext, w: Window, text: str, spans: list) -> dict[str, Any]:
    output = "\n".join(f"({_name(t.head)}, {t.relation}, {_name(t.tail)})" for t in w.triples)
    instruction, i = phrase("extract_relations", ctx.seed, ctx.doc_id, w.start)
    # the text first, then the relation types the target is complete against
    inp = f"Text: {text}\n\nRelation types: {schema_line(RELATIONS)}"
    n = len(w.triples)
    return instruction_example("extract_relations", instruction, i, inp, output, spans, "sentence", None, None, n)


def _explain(ctx: DocContext, w: Window, text: str, spans: list) -> dict[str, Any] | None:
    pairs = list(dict.fromkeys((t.head["start"], t.tail["start"]) for t in w.triples if t.relation != "alias_of"))
    if not pairs:
        return None
    pair = rng(ctx.seed, ctx.doc_id, "explain", w.start).choice(pairs)
    between = [t for t in w.triples if {t.head["start"], t.tail["start"]} == set(pair)]
    said = [statement(t.relation, _name(t.head, True), _name(t.tail, True)) for t in between]
    if not all(said):
        return None
    a, b = _name(between[0].head), _name(between[0].tail)
    instruction, i = phrase("explain_relation", ctx.seed, ctx.doc_id, w.start, a=a, b=b)
    output = " ".join(s for s in said if s) + f" The text puts it this way: {text}"
    return instruction_example(
        "explain_relation", instruction, i, text, output, spans, "sentence", None, None, len(said)
    )


def generate(ctx: DocContext) -> list[dict[str, Any]]:
    out = []
    for w in complete_windows(ctx):
        text = re.sub(r"\s+", " ", ctx.text[w.start : w.end]).strip()
        spans = [span(ctx.doc_id, w.start, w.end)]
        out.append(_extract(ctx, w, text, spans))
        explained = _explain(ctx, w, text, spans)
        if explained is not None:
            out.append(explained)
    return out
