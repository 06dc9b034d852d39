"""Instruction tasks on relations, over complete sentence windows (``relation_windows``).

``extract_relations`` names the relation types it asks for (the schema), so its target, every
fact of the window, is complete against the instruction; ``explain_relation`` states every
fact between one pair of the window in schema English (``relation_text``) and quotes the words
joining them, only where the sentence reads right alone (``standalone``).
"""

from __future__ import annotations

import re
from typing import Any

from dataforge.lib.generate.common import DocContext, rng, span
from dataforge.lib.generate.instruction import instruction_example, phrase
from dataforge.lib.generate.relation_windows import Triple, Window, complete_windows
from dataforge.lib.generate.standalone import object_pronoun, standalone
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


MAX_LINK_WORDS = 20  # a longer stretch between the two names is most of the sentence: no quote of it


def _link(ctx: DocContext, between: list, text: str) -> str:
    """The words of the sentence that join the pair, from the first name to the last ("Ukraine beat
    Northern Ireland"), when they are a short stretch without quote marks; "" otherwise."""
    start = min(min(t.head["start"], t.tail["start"]) for t in between)
    end = max(max(t.head["end"], t.tail["end"]) for t in between)
    words = " ".join(ctx.text[start:end].split())
    if len(words.split()) > MAX_LINK_WORDS or re.search(r"[\"“”‘’]|(?<!\w)'|'(?!\w)", words):
        return ""
    return "" if len(words) >= 0.8 * len(text) else words


SHARED = frozenset({"founded_by"})  # relations a sentence states of several at once ("by Marsh and van Dijk")


def _with_others(w: Window, t: Triple, said: str | None) -> str | None:
    """The statement with the others the sentence gives the same fact ("..., together with Helena
    Marsh."): one of two founders alone is half the truth."""
    if not said or t.relation not in SHARED:
        return said
    others = [_name(o.tail) for o in w.triples if o.relation == t.relation and o.head["start"] == t.head["start"]]
    others = [o for o in dict.fromkeys(others) if o != _name(t.tail)]
    if not others:
        return said
    return said[:-1] + ", together with " + " and ".join(others) + "."


def explainable(ctx: DocContext, w: Window) -> bool:
    """The evidence reads right alone (``standalone``: no pronoun or phrase leaning on a sentence
    left out, no half of a quotation) and calls no one by an object pronoun ("has called her")."""
    sentence = ctx.text[w.start : w.end]
    return standalone(sentence, ctx.text, w.start) and not object_pronoun(sentence)


def _explain(ctx: DocContext, w: Window, text: str, spans: list) -> dict[str, Any] | None:
    """The pair's facts in schema English, and the words of the text that state them: an
    explanation, not the input pasted back."""
    pairs = list(dict.fromkeys((t.head["start"], t.tail["start"]) for t in w.triples if t.relation != "alias_of"))
    if not pairs or not explainable(ctx, w):
        return None
    pair = rng(ctx.seed, ctx.doc_id, "explain", w.start).choice(pairs)
    between = [t for t in w.triples if {t.head["start"], t.tail["start"]} == set(pair)]
    said = [_with_others(w, t, statement(t.relation, _name(t.head, True), _name(t.tail, True))) for t in between]
    if not all(said):
        return None
    a, b = _name(between[0].head), _name(between[0].tail)
    instruction, i = phrase("explain_relation", ctx.seed, ctx.doc_id, w.start, a=a, b=b)
    link = _link(ctx, between, text)
    output = " ".join(s for s in said if s) + (f' The text says so in the words "{link}".' if link else "")
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
