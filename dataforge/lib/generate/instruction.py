"""Instruction tasks over one document; the phrasing library is shared with corpus tasks.

Every task has 3+ phrasings; the phrasing is chosen by a string-seeded generator so the
same inputs always give the same instruction.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, make_example, mention_sentence, rng, span
from dataforge.lib.generate.lexicon import VALUE_LABELS
from dataforge.lib.quality.signals import cross_kind_duplicates

MAX_COMPARE_PER_DOC = 2
MAX_DOCUMENT_INPUT_CHARS = 12000  # longer documents get chunk-level date lists instead
LABEL_DESC = {
    "PERSON": "a person",
    "ORG": "an organization",
    "GPE": "a country, city or state",
    "LOC": "a location",
    "NORP": "a nationality, religious or political group",
    "FAC": "a facility",
    "PRODUCT": "a product",
    "EVENT": "an event",
    "WORK_OF_ART": "a work of art",
    "LAW": "a law",
    "LANGUAGE": "a language",
    "DATE": "a date",
    "TIME": "a time",
    "MONEY": "an amount of money",
    "PERCENT": "a percentage",
    "QUANTITY": "a quantity",
    "CARDINAL": "a number",
    "ORDINAL": "an ordinal",
}
LABEL_PLURAL = {  # what to list, and the word for one item
    "PERSON": ("people", "person"),
    "ORG": ("organizations", "organization"),
    "GPE": ("countries, cities and states", "place"),
    "LOC": ("locations", "location"),
    "FAC": ("facilities", "facility"),
    "NORP": ("nationalities and groups", "group"),
    "PRODUCT": ("products", "product"),
    "EVENT": ("events", "event"),
    "LAW": ("laws", "law"),
    "WORK_OF_ART": ("works", "work"),
}
PHRASINGS: dict[str, list[str]] = {
    "extract_entities": [  # names only: dates and numbers are not listed, and the wording says so
        "Extract all named entities (proper names, not dates or numbers) from the text and give the type of each.",
        "List every proper name mentioned in the passage (people, organizations, places and the like) with its "
        "entity type.",
        "Identify the people, organizations, places and other named entities in the text below, with their types. "
        "Leave out dates and numbers.",
    ],
    "extract_relations": [
        "Extract every relation of the listed types that the text states, as (head, relation, tail) triples "
        "with full entity names.",
        "List all relationships of the given types between the entities in this sentence as (head, relation, "
        "tail) triples.",
        "Which entities in the text are related by one of the listed relation types? Answer with every "
        "(head, relation, tail) triple the text states.",
    ],
    "summarize": [
        "Summarize the following document in {n} sentences.",
        "Write a short summary of the text below.",
        "Give the key points of this document in a few sentences.",
    ],
    "answer_from_context": [  # the LLM tasks' phrasing (an extractive pair is a QA row, not an instruction)
        "Answer the question using only the context.",
        "Read the passage and answer the question with a short span from it.",
        "Using the text provided, answer the question below.",
    ],
    "list_entities_of_type": [
        "List the {what} mentioned in the text.",
        "Which {what} does the passage mention? Give one per line.",
        "Extract every {what_short} named in the text below.",
    ],
    "explain_relation": [
        "How are {a} and {b} related, according to the text?",
        "What does the passage say connects {a} and {b}?",
        "Explain the relationship between {a} and {b} stated in the text.",
    ],
    "list_dates": [
        "List the dates mentioned in the text in chronological order, with what happened.",
        "Put the events described in the passage in chronological order.",
        "Build a short timeline from the text: each date and the event it belongs to.",
    ],
    "classify_entities": [
        "Classify each of these names from the text by entity type.",
        "For each entity below, say what kind of entity it is according to the text.",
        "Give the entity type (person, organization, place, ...) of each name listed.",
    ],
    "compare_entities": [
        "Compare {a} and {b} based on the text.",
        "What does the text say about {a} and about {b}? Contrast the two.",
        "Using the passage, describe {a} and {b} and how they differ.",
    ],
    "suggest_title": [
        "Suggest a title for this document.",
        "What would be a good title for the following text?",
        "Give this text a short, descriptive title.",
    ],
    "entity_profile": [
        "Tell me what the corpus says about {a}.",
        "Summarize everything the documents say about {a}, citing the document for each fact.",
        "What do the documents report about {a}?",
    ],
    "timeline_first": [
        "Which happened first?",
        "Of the two events below, which one came earlier?",
        "Look at these two events and say which took place first.",
    ],
    "timeline_order": [
        "Put these events in chronological order.",
        "Order the following events from earliest to latest.",
        "Arrange the events below in the order they happened.",
    ],
    "multiple_choice": [
        "{q} Choose one of the options.",
        "Answer the multiple-choice question: {q}",
        "{q} Pick the correct option.",
    ],
    "yes_no": [
        "Answer yes or no, according to the corpus: {q}",
        "{q} Answer with yes or no and give the evidence.",
        "Based on the documents, {q_lower}",
    ],
    "compare_corpus": [
        "Compare {a} and {b} using what the corpus says about them.",
        "How do {a} and {b} differ according to the documents?",
        "Contrast {a} with {b} based on the document collection.",
    ],
}


def phrase(task: str, seed: Any, *key: Any, **fmt: str) -> tuple[str, int]:
    options = PHRASINGS[task]
    i = rng(seed, "phrasing", task, *key).randrange(len(options))
    return options[i].format(**fmt), i


def instruction_example(
    task: str,
    instruction: str,
    phrasing: int,
    input_text: str,
    output: str,
    spans: list[dict[str, Any]],
    scope: str,
    chunk_id: int | None = None,
    entity: str | None = None,
    n_items: int = 0,
) -> dict[str, Any]:
    record = {
        "instruction": instruction,
        "input": input_text,
        "output": output,
        "metadata": {
            "task": task,
            "scope": scope,
            "chunk_id": chunk_id,
            "entity": entity,
            "phrasing": int(phrasing),
            "n_items": int(n_items),
        },
    }
    return make_example("instruction", f"instruction.{task}/1", record, spans)


def date_key(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) from free text or ISO dates; None without a year."""
    year = re.search(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b", text)
    if not year:
        return None
    iso = re.search(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b", text)
    if iso:
        return int(iso.group(1)), int(iso.group(2)), int(iso.group(3) or 0)
    months = "jan feb mar apr may jun jul aug sep oct nov dec".split()
    mm = re.search(r"\b(" + "|".join(months) + r")[a-z]*\.?\b", text.lower())
    month = months.index(mm.group(1)) + 1 if mm else 0
    day = re.search(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b(?!\d)", text.replace(year.group(1), ""))
    d = int(day.group(1)) if (day and month and 1 <= int(day.group(1)) <= 31) else 0
    return int(year.group(1)), month, d


def _sentences_about(ctx: DocContext, name: str) -> list[tuple[int, int]]:
    found = {mention_sentence(ctx, m) for m in ctx.mentions if m["text"] == name}
    return sorted(s for s in found if s)


def _join_sents(ctx: DocContext, sents: list[tuple[int, int]]) -> str:
    return " ".join(re.sub(r"\s+", " ", ctx.text[s:e]).strip() for s, e in sents)


def _chunk_tasks(ctx: DocContext, chunk: dict[str, Any]) -> list[dict]:
    """Per-chunk tasks left here: dates of a long document (entity and relation tasks live in
    ``entity_tasks`` and ``relation_tasks``, over windows they can get complete)."""
    if len(ctx.text) <= MAX_DOCUMENT_INPUT_CHARS:
        return []
    cid = int(chunk["chunk_id"])
    cspan = [span(ctx.doc_id, chunk["start"], chunk["end"])]
    inside = ctx.mentions_within(chunk["start"], chunk["end"])
    return list(_list_dates(ctx, inside, chunk["text"], cspan, cid))


def _list_dates(
    ctx: DocContext, mentions: list[dict], input_text: str, spans: list[dict], chunk_id: int | None
) -> list[dict]:
    dated = [(date_key(m["text"]), m) for m in mentions if m["label"] == "DATE"]
    dated = [(k, m) for k, m in dated if k and mention_sentence(ctx, m)]
    if len({k for k, _ in dated}) < 2:
        return []
    text, i = phrase("list_dates", ctx.seed, ctx.doc_id, chunk_id)
    dated.sort(key=lambda km: (km[0], km[1]["start"]))
    lines = [f"- {m['text']}: {_join_sents(ctx, [mention_sentence(ctx, m)])}" for _, m in dated]
    scope = "document" if chunk_id is None else "chunk"
    return [
        instruction_example(
            "list_dates", text, i, input_text, "\n".join(lines), spans, scope, chunk_id, None, len(lines)
        )
    ]


def _compare(ctx: DocContext) -> list[dict]:
    counts = Counter((m["text"], m["label"]) for m in ctx.mentions if m["label"] not in VALUE_LABELS)
    by_label: dict[str, list[str]] = {}
    for (t, lab), _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        by_label.setdefault(lab, []).append(t)
    pairs = [(names[0], names[1]) for _, names in sorted(by_label.items()) if len(names) >= 2]
    pairs += [(names[0], names[2]) for _, names in sorted(by_label.items()) if len(names) >= 3]
    out = []
    for a, b in pairs[:MAX_COMPARE_PER_DOC]:
        sa, sb = _sentences_about(ctx, a)[:3], _sentences_about(ctx, b)[:3]
        if not sa or not sb or a.lower() in b.lower() or b.lower() in a.lower():
            continue
        text, i = phrase("compare_entities", ctx.seed, ctx.doc_id, a, b, a=a, b=b)
        output = (
            f"{a}:\n"
            + "\n".join(f"- {_join_sents(ctx, [s])}" for s in sa)
            + f"\n\n{b}:\n"
            + "\n".join(f"- {_join_sents(ctx, [s])}" for s in sb)
        )
        used = sorted(set(sa) | set(sb))
        out.append(
            instruction_example(
                "compare_entities",
                text,
                i,
                _join_sents(ctx, used),
                output,
                [span(ctx.doc_id, s, e) for s, e in used],
                "document",
                None,
                f"{a} | {b}",
                2,
            )
        )
    return out


def generate(ctx: DocContext, config: DataforgeConfig, qa: list[dict], summaries: list[dict]) -> list[dict[str, Any]]:
    from dataforge.lib.generate import entity_tasks  # it builds on this module's phrasings

    out: list[dict[str, Any]] = []
    for chunk in ctx.chunks:
        out.extend(_chunk_tasks(ctx, chunk))
    out.extend(entity_tasks.generate(ctx))  # entity lists over windows whose every name is confident
    title = ctx.title.strip()
    if title and title != ctx.doc_id and len(title.split()) >= 2 and ctx.sentences:
        text, i = phrase("suggest_title", ctx.seed, ctx.doc_id)
        spans = [span(ctx.doc_id, ctx.sentences[0][0], ctx.sentences[-1][1])]
        out.append(instruction_example("suggest_title", text, i, ctx.text, title, spans, "document", None, None, 1))
    if len(ctx.text) <= MAX_DOCUMENT_INPUT_CHARS:
        whole = [span(ctx.doc_id, ctx.sentences[0][0], ctx.sentences[-1][1])]
        out.extend(_list_dates(ctx, ctx.mentions, ctx.text, whole, None))
    out.extend(_compare(ctx))
    # no example is shipped twice under two kinds: an instruction that repeats a QA row or a summary goes
    twice = set(cross_kind_duplicates(qa + summaries + out))
    return [e for e in out if e["id"] not in twice]
