"""Automatic defect signals of a release, each with its count (``quality_report.json`` ``signals``).

They read what ships (the curated datasets) and the release graph, so a defect that slips
past every generator and the gate still shows up as a number here. The goal is 0 for each.
``checked`` says how many items a signal looked at (0: its inputs were not available).
"""

from __future__ import annotations

from typing import Any

from dataforge.lib.assertion import AFFIRMATIVE as AFFIRMATIVE_POLARITY
from dataforge.lib.assertion import ASSERTED
from dataforge.lib.quality import gate_signals as sig
from dataforge.lib.quality.gate import CrossKindDuplicates
from dataforge.lib.relation_schema import RELATIONS
from dataforge.lib.structure import NON_ENTITY_ROLES, ROLES

# Block roles of document_text.blocks (dataforge.lib.structure) where an entity may stand:
# table cells hold values; any other role (heading, table_header, title, dateline, ...) is markup.
BODY_ROLES = frozenset(ROLES) - NON_ENTITY_ROLES
AFFIRMATIVE = frozenset({AFFIRMATIVE_POLARITY, ASSERTED})

DESCRIPTIONS = {
    "mention_type_mismatch": "graph mentions whose label differs from their entity's label",
    "question_person_or_pronoun": "qa questions, instructions and conversations with first/second person "
    "or an unresolved pronoun",
    "wh_answer_type": "qa questions whose wh-word does not fit the answer type",
    "bare_when_answer": "'when' questions answered without a year",
    "answer_in_question": "qa questions that contain their answer",
    "generic_followup": "conversations with a follow-up such as 'Tell me more about it.'",
    "non_affirmative_relations": "relations in the ner/relation datasets whose polarity or modality is not "
    "affirmative (negated, questioned, hedged)",
    "entities_from_markup": "graph mentions inside a heading, table header or other non-body block",
    "cross_kind_duplicates": "instructions that repeat a shipped qa or summary row",
}


def _signal(name: str, count: int, checked: int) -> dict[str, Any]:
    return {"count": count, "checked": checked, "description": DESCRIPTIONS[name]}


def _questions(datasets: dict[str, list[dict[str, Any]]]) -> tuple[int, int]:
    bad = checked = 0
    for row in datasets.get("qa", []):
        q = str(row.get("question", ""))
        checked += 1
        bad += sig.copied_voice(q) or sig.unresolved_pronoun(q)
    for row in datasets.get("instruction", []):
        checked += 1
        bad += sig.company_voice(str(row.get("instruction", "")))
    for row in datasets.get("conversation", []):
        turns = [t for t in row.get("conversations") or [] if isinstance(t, dict)]
        users = [str(t.get("content", "")) for t in turns if t.get("role") == "user"]
        assistants = [str(t.get("content", "")) for t in turns if t.get("role") == "assistant"]
        checked += 1
        bad += bool(users and sig.unresolved_pronoun(users[0])) or any(sig.company_voice(a) for a in assistants)
    return bad, checked


def _relation_polarity(datasets: dict[str, list[dict[str, Any]]]) -> tuple[int, int]:
    bad = checked = 0
    for kind in ("relation", "ner"):
        for row in datasets.get(kind, []):
            for rel in row.get("relations") or []:
                if not isinstance(rel, dict):
                    continue
                checked += 1
                values = [str(rel[k]).lower() for k in ("polarity", "modality") if rel.get(k) not in (None, "")]
                bad += any(v not in AFFIRMATIVE for v in values) or rel.get("relation") not in RELATIONS
    return bad, checked


def _in_markup(mentions: list[dict[str, Any]], documents: dict[str, dict[str, Any]]) -> tuple[int, int]:
    bad = checked = 0
    for m in mentions:
        blocks = (documents.get(str(m.get("doc_id"))) or {}).get("blocks")
        if blocks is None or len(blocks) == 0:
            continue
        checked += 1
        s, e = int(m["start"]), int(m["end"])
        bad += any(int(b["start"]) <= s and e <= int(b["end"]) and str(b.get("role")) not in BODY_ROLES for b in blocks)
    return bad, checked


def release_signals(
    datasets: dict[str, list[dict[str, Any]]],
    graph: dict[str, list[dict[str, Any]]] | None = None,
    documents: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Counts of every signal over the shipped datasets and the release graph.

    ``graph``: {"mentions": rows of graph/mentions.parquet, "entities": rows of
    graph/entities.parquet}; ``documents``: doc_id -> {"blocks": [{start, end, role}]}.
    """
    graph = graph or {}
    documents = documents or {}
    entity_label = {str(e["cluster_id"]): e.get("label") for e in graph.get("entities", [])}
    mentions = [m for m in graph.get("mentions", []) if m.get("cluster_id") is not None]
    linked = [m for m in mentions if str(m["cluster_id"]) in entity_label]
    qa = datasets.get("qa", [])
    conversations = datasets.get("conversation", [])
    dup = CrossKindDuplicates([*qa, *datasets.get("summary", [])])
    instructions = datasets.get("instruction", [])
    questions = _questions(datasets)
    relations = _relation_polarity(datasets)
    markup = _in_markup(mentions, documents)
    return {
        "mention_type_mismatch": _signal(
            "mention_type_mismatch",
            sum(1 for m in linked if m.get("label") != entity_label[str(m["cluster_id"])]),
            len(linked),
        ),
        "question_person_or_pronoun": _signal("question_person_or_pronoun", *questions),
        "wh_answer_type": _signal(
            "wh_answer_type",
            sum(sig.wh_mismatch(str(r.get("question", "")), (r.get("metadata") or {}).get("answer_type")) for r in qa),
            len(qa),
        ),
        "bare_when_answer": _signal(
            "bare_when_answer",
            sum(bool(r.get("answer")) and sig.bare_when(str(r["question"]), str(r["answer"])) for r in qa),
            len(qa),
        ),
        "answer_in_question": _signal(
            "answer_in_question",
            sum(bool(r.get("answer")) and sig.answer_in_question(str(r["question"]), str(r["answer"])) for r in qa),
            len(qa),
        ),
        "generic_followup": _signal(
            "generic_followup",
            sum(
                any(
                    sig.generic_followup(str(t.get("content", "")))
                    for t in [t for t in r.get("conversations") or [] if t.get("role") == "user"][1:]
                )
                for r in conversations
            ),
            len(conversations),
        ),
        "non_affirmative_relations": _signal("non_affirmative_relations", *relations),
        "entities_from_markup": _signal("entities_from_markup", *markup),
        "cross_kind_duplicates": _signal(
            "cross_kind_duplicates", sum(bool(dup(r)) for r in instructions), len(instructions)
        ),
    }
