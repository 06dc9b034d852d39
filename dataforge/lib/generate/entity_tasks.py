"""Instruction tasks on entity lists: extract_entities, classify_entities, list_entities_of_type.

Their input is a teachable window (``entity_windows``: every named entity confident, no name
left untagged), not a whole chunk, so a list is complete and every type in it is right. Only
proper names are listed; the instructions say so (dates and numbers are left out).
"""

from __future__ import annotations

import json
from typing import Any

from dataforge.lib.generate.common import DocContext, rng, span
from dataforge.lib.generate.entity_windows import LIST_CHARS, LIST_SENTENCES, Window, windows
from dataforge.lib.generate.instruction import LABEL_DESC, LABEL_PLURAL, instruction_example, phrase

MIN_NAMES = 2


def distinct(names: list[str], entity: dict[str, str] | None = None) -> list[str]:
    """One item per entity: no name that is words of a longer one listed for the same entity ("Marsh"
    beside "Helena Marsh"; ``entity``: name -> its entity's name, where known: "Yeltsin" beside "Naina
    Yeltsin" is another person), no plural of a name listed ("Champions Leagues" beside "Champions League")."""
    keep = []
    listed = set(names)
    entity = entity or {}
    for name in names:
        words = f" {name} "
        if any(
            name != other and words in f" {other} " and entity.get(name, "") == entity.get(other, "") for other in names
        ):
            continue
        if any(name.endswith(ending) and name[: -len(ending)] in listed for ending in ("s", "es", "'s", "’s")):
            continue
        keep.append(name)
    return list(dict.fromkeys(keep))


def _entity_names(ctx: DocContext, window: Window) -> dict[str, str]:
    """Each listed name -> the name of the entity its mention was typed as (``type_evidence``)."""
    starts = {s for s, _, _ in window.entities}
    out: dict[str, str] = {}
    for m in ctx.mentions:
        if m["start"] in starts and m.get("type_evidence"):
            try:
                entity = str(json.loads(m["type_evidence"]).get("name") or "")
            except (ValueError, AttributeError):
                continue
            out.setdefault(" ".join(ctx.text[m["start"] : m["end"]].split()), entity)
    return out


def _tasks(ctx: DocContext, window: Window) -> list[dict[str, Any]]:
    chunk = ctx.chunk_of(window.start, window.end)
    cid = int(chunk["chunk_id"]) if chunk else None
    key = (ctx.doc_id, window.start)
    text_in = " ".join(ctx.text[window.start : window.end].split())
    spans = [span(ctx.doc_id, window.start, window.end)]
    named = window.names(ctx.text)
    out = []
    text, i = phrase("extract_entities", ctx.seed, *key)
    output = "\n".join(f"- {t} ({lab})" for t, lab in named)
    out.append(
        instruction_example("extract_entities", text, i, text_in, output, spans, "window", cid, None, len(named))
    )
    order = named[:]
    rng(ctx.seed, ctx.doc_id, "classify", window.start).shuffle(order)
    text, i = phrase("classify_entities", ctx.seed, *key)
    output = "\n".join(f"- {t}: {lab} ({LABEL_DESC.get(lab, lab)})" for t, lab in order)
    inp = "Text:\n" + text_in + "\n\nEntities:\n" + "\n".join(f"- {t}" for t, _ in order)
    out.append(instruction_example("classify_entities", text, i, inp, output, spans, "window", cid, None, len(order)))
    by_label: dict[str, list[str]] = {}
    for t, lab in named:
        if lab in LABEL_PLURAL:
            by_label.setdefault(lab, []).append(t)
    # a surname can be a relative's ("Yeltsin" beside "Naina Yeltsin"); a short organization or facility
    # name the grouping missed ("Ostrea" beside "Ostrea Offshore Wind Farm") is the same thing
    people = _entity_names(ctx, window)
    lists = {lab: distinct(names, people if lab == "PERSON" else None) for lab, names in by_label.items()}
    labels = sorted(lab for lab, names in lists.items() if len(names) >= MIN_NAMES)
    if labels:
        lab = rng(ctx.seed, ctx.doc_id, "entities-of-type", window.start).choice(labels)
        what, one = LABEL_PLURAL[lab]
        text, i = phrase("list_entities_of_type", ctx.seed, *key, what=what, what_short=one)
        output = "\n".join(f"- {t}" for t in lists[lab])
        out.append(
            instruction_example(
                "list_entities_of_type", text, i, text_in, output, spans, "window", cid, lab, len(lists[lab])
            )
        )
    return out


def generate(ctx: DocContext) -> list[dict[str, Any]]:
    """The entity-list tasks of every paragraph-sized window with two or more distinct names."""
    out = []
    for window in windows(ctx, LIST_SENTENCES, LIST_CHARS, MIN_NAMES):
        out.extend(_tasks(ctx, window))
    return out
