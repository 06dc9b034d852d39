"""Typed records, the example-quality gate, rejected rows, release signals and the audit sample."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dataforge.lib.config import QualityConfig
from dataforge.lib.export.card import dataset_card
from dataforge.lib.export.tables import rejected_files
from dataforge.lib.quality.gate import run_gate
from dataforge.lib.quality.pipeline import curate
from dataforge.lib.quality.release_signals import release_signals
from dataforge.lib.records import record_problems, validate_examples
from evals.quality_audit import acceptable, draw_sample, judge, wilson

CONTEXT = "Helena Marsh founded Northwind in Rotterdam in May 2015. The company builds offshore wind farms."


def _base(i: str, doc: str = "doc-a") -> dict[str, Any]:
    return {"id": i, "source_documents": [doc], "source_spans": [{"doc_id": doc, "start": 0, "end": 10}],
            "generator": "test/1"}  # fmt: skip


def qa(i: str, question: str, answer: str, answer_type: str, doc: str = "doc-a") -> dict[str, Any]:
    start = CONTEXT.index(answer)
    meta = {"question_type": "factoid", "difficulty": "easy", "answer_type": answer_type}
    return {**_base(i, doc), "kind": "qa", "context": CONTEXT, "question": question, "answer": answer,
            "answer_start": start, "answer_end": start + len(answer), "metadata": meta}  # fmt: skip


def conv(i: str, *turns: str) -> dict[str, Any]:
    roles = ["user", "assistant"] * len(turns)
    msgs = [{"role": r, "content": t} for r, t in zip(roles, turns, strict=False)]
    return {**_base(i), "kind": "conversation", "conversations": msgs, "metadata": {}}


def inst(i: str, instruction: str, inp: str, output: str) -> dict[str, Any]:
    return {**_base(i), "kind": "instruction", "instruction": instruction, "input": inp, "output": output,
            "metadata": {}}  # fmt: skip


GOOD_QA = qa("good", "Who founded Northwind in Rotterdam?", "Helena Marsh", "PERSON")
DEFECTS = {
    "voice": (qa("voice", "When did I found Northwind in Rotterdam?", "May 2015", "DATE"), "first_second_person"),
    "pronoun": (qa("pronoun", "Where did he found the company?", "Rotterdam", "GPE"), "unresolved_pronoun"),
    "wh_type": (qa("wh", "Who builds offshore wind farms?", "Rotterdam", "GPE"), "wh_answer_type"),
    "specific_answer": (qa("bare", "When did Helena Marsh found Northwind?", "May", "DATE"), "bare_when_answer"),
    "followups": (
        conv(
            "generic",
            "What does Northwind build?",
            "Northwind builds offshore wind farms.",
            "Tell me more about it.",
            "Northwind was founded in 2015.",
        ),  # fmt: skip
        "generic_followup",
    ),
}


@pytest.mark.parametrize("step", sorted(DEFECTS))
def test_each_defect_is_rejected_at_its_step_with_its_reason(step: str) -> None:
    example, reason = DEFECTS[step]
    result = run_gate([GOOD_QA, example], 0.5)
    assert [e["id"] for e in result.kept] == ["good"]
    [(rejected, reasons, score, stage)] = result.rejected
    assert rejected["id"] == example["id"] and reason in reasons and score == 0.0 and stage == f"gate:{step}"
    stats = {s["name"]: s for s in (st.stats() for st in result.steps)}
    assert stats[step]["rejected"] == 1 and stats[step]["reasons"][reason] == 1
    assert result.kept[0]["metadata"]["quality"] == {"score": 1.0, "reasons": []}


def test_answer_in_question_and_company_voice() -> None:
    given_away = qa("away", "Did Helena Marsh found Northwind in Rotterdam?", "Rotterdam", "GPE")
    ours = conv("ours", "What does Northwind build?", "Our division builds offshore wind farms.")
    result = run_gate([given_away, ours], 0.5)
    reasons = {e["id"]: r for e, r, _, _ in result.rejected}
    assert reasons == {"away": ["answer_in_question"], "ours": ["first_second_person"]}


def test_cross_kind_duplicates_drop_the_instruction_not_the_qa_or_summary() -> None:
    twin = inst("twin", "Answer the question using only the context.",
                f"Context:\n{CONTEXT}\n\nQuestion: {GOOD_QA['question']}", "Helena Marsh")  # fmt: skip
    summary = {**_base("sum"), "kind": "summary", "document": CONTEXT, "summary": "Helena Marsh founded "
               "Northwind, a builder of offshore wind farms, in Rotterdam.", "summary_type": "extractive",
               "compression_ratio": 0.5, "metadata": {}}  # fmt: skip
    summarize = inst("summ", "Write a short summary of the text below.", CONTEXT, summary["summary"])
    other = inst("other", "Name the founder.", CONTEXT, "Helena Marsh founded Northwind.")
    result = run_gate([GOOD_QA, twin, summary, summarize, other], 0.5)
    assert sorted(e["id"] for e in result.kept) == ["good", "other", "sum"]
    assert {e["id"]: s for e, _, _, s in result.rejected} == {"twin": "gate:cross_kind_duplicate",
                                                              "summ": "gate:cross_kind_duplicate"}  # fmt: skip


def test_threshold_is_configurable_and_mild_findings_lower_the_score() -> None:
    flagged = {**GOOD_QA, "id": "flagged", "metadata": {**GOOD_QA["metadata"], "quality_flags": ["slur"]}}
    kept = run_gate([flagged], 0.5).kept
    assert kept[0]["metadata"]["quality"] == {"score": 0.6, "reasons": ["toxicity_slur"]}
    assert run_gate([flagged], 0.7).kept == []
    voice, _ = DEFECTS["voice"]
    assert [e["id"] for e in run_gate([voice], 0.0).kept] == ["voice"]  # 0 keeps everything


def test_curate_writes_rejected_rows_as_shipped_rows_plus_reason_and_reports_them() -> None:
    cfg = QualityConfig(semantic_threshold=0.0, split_ratios=(1.0, 0.0, 0.0), min_chars=5)
    voice, _ = DEFECTS["voice"]
    curated = curate([GOOD_QA, voice], "r1", cfg, seed=1)
    [shipped] = curated.datasets["qa"]
    [line] = curated.rejected["qa"]
    assert line["rejected"] == {"reasons": ["first_second_person"], "score": 0.0, "stage": "gate:voice"}
    assert set(line) - {"rejected"} == set(shipped)  # same fields as a shipped row
    assert line["kind"] == "qa" and line["release"] == "r1" and line["split"] == "train"
    gate = curated.report["gate"]
    assert gate["rejected_by_kind_reason"] == {"qa": {"first_second_person": 1}}
    assert curated.report["signals"]["question_person_or_pronoun"]["count"] == 0  # nothing defective ships
    assert any(r["stage"] == "gate:voice" for r in curated.report["removals"])
    files = rejected_files(curated.rejected)
    assert len(files) == 7 and files["rejected/ner.jsonl"] == b""
    assert json.loads(files["rejected/qa.jsonl"])["id"] == "voice"
    card = dataset_card("r1", {"documents": []}, curated.report, curated.datasets).decode()
    assert "| qa | first_second_person | 1 |" in card and "`genre/2`" in card and "| press_release |" in card


def test_release_signals_count_each_defect() -> None:
    voice, _ = DEFECTS["voice"]
    wh, _ = DEFECTS["wh_type"]
    rel = {**_base("rel"), "kind": "relation", "text": "Okafor does not work for Northwind.", "entities": [],
           "relations": [{"head": "Okafor", "relation": "employee_of", "tail": "Northwind", "confidence": 0.9,
                          "polarity": "negated"},
                         {"head": "A", "relation": "ceo_of", "tail": "B", "confidence": 0.9,
                          "polarity": "affirmative"}]}  # fmt: skip
    twin = inst("twin", "Answer.", f"Context:\n{CONTEXT}\n\nQuestion: {GOOD_QA['question']}", "Helena Marsh")
    graph = {
        "entities": [{"cluster_id": "c1", "label": "PERSON"}, {"cluster_id": "c2", "label": "ORG"}],
        "mentions": [
            {"doc_id": "d", "start": 0, "end": 6, "label": "ORG", "cluster_id": "c1"},  # wrong type
            {"doc_id": "d", "start": 20, "end": 26, "label": "PERSON", "cluster_id": "c1"},
            {"doc_id": "d", "start": 40, "end": 46, "label": "ORG", "cluster_id": "c2"},
        ],
    }
    cells = [{"start": 0, "end": 10, "role": "heading"}, {"start": 10, "end": 60, "role": "table_cell"}]
    blocks = {"d": {"blocks": cells}}
    signals = release_signals({"qa": [GOOD_QA, voice, wh], "relation": [rel], "instruction": [twin]}, graph, blocks)
    counts = {k: v["count"] for k, v in signals.items()}
    assert counts["mention_type_mismatch"] == 1 and signals["mention_type_mismatch"]["checked"] == 3
    assert counts["question_person_or_pronoun"] == 1 and counts["wh_answer_type"] == 1
    assert counts["non_affirmative_relations"] == 1 and counts["entities_from_markup"] == 1
    assert counts["cross_kind_duplicates"] == 1 and counts["generic_followup"] == 0


def test_typed_records_name_what_is_wrong_and_generators_fail_loudly() -> None:
    assert record_problems("qa", GOOD_QA, provenance=False) == []
    assert "missing split" in record_problems("qa", GOOD_QA, provenance=True)
    assert "answer_start is bool" in record_problems("qa", {**GOOD_QA, "answer_start": True})
    bad_turn = conv("c", "Hi?", " ")
    assert any("conversations.1.content" in p for p in record_problems("conversation", bad_turn))
    ner = {"text": "Oslo is big.", "entities": [{"text": "Oslo", "label": "GPE", "start": 1, "end": 5}],
           "relations": []}  # fmt: skip
    assert record_problems("ner", ner) == ["entity offsets wrong: 'Oslo' at 1:5"]
    assert record_problems("qa", {**GOOD_QA, "metadata": {"quality": {"score": 2.0, "reasons": []}}})
    with pytest.raises(ValueError, match="invalid summary"):
        validate_examples([{**_base("s"), "kind": "summary", "document": "d", "summary": "s"}])


def test_audit_sample_is_seeded_capped_and_judged_with_wilson_intervals() -> None:
    datasets = {"qa": [{"id": f"q{i}"} for i in range(100)], "ner": [{"id": f"n{i}"} for i in range(5)]}
    first, again = draw_sample(datasets), draw_sample(datasets)
    assert first == again and [s["kind"] for s in first].count("qa") == 40 and len(first) == 45
    lo, hi = wilson(8, 10)
    assert (round(lo, 3), round(hi, 3)) == (0.49, 0.943)
    assert acceptable({"fluent": True, "correct": None, "useful": True, "labels_ok": True})
    ok = {"fluent": True, "correct": True, "useful": True, "labels_ok": True}
    rows = [{"kind": "qa", "generator": "g", "verdicts": ok if i < 30 else {**ok, "useful": False}} for i in range(40)]
    rows += [{"kind": "ner", "generator": "h", "verdicts": ok} for _ in range(5)]
    result = judge(rows, {"rows": {"qa": 100, "ner": 5}, "source_words": 2000})
    assert result["by_kind"]["qa"]["acceptable_pct"] == 75.0 and result["by_kind"]["qa"]["useful"] == 75.0
    assert result["size_weighted_acceptable_pct"] == round(100 * (100 * 0.75 + 5) / 105, 1)
    assert result["acceptable_per_1000_words"] == 40.0  # (75 + 5) acceptable rows over 2,000 words


@pytest.mark.parametrize(
    "turn, generic",
    [
        ("Tell me more about it.", True),
        ("Is there anything else about them?", True),
        ("What else does the document say about it?", True),
        ("What else did Helena Marsh found after Northwind?", False),
        ("Where is Northwind based?", False),
    ],
)
def test_generic_followups_are_told_from_specific_ones(turn: str, generic: bool) -> None:
    example = conv(
        "c", "What does Northwind build?", "Northwind builds offshore wind farms.", turn, "Northwind is in Rotterdam."
    )
    reasons = [r for _, rs, _, _ in run_gate([example], 0.5).rejected for r in rs]
    assert ("generic_followup" in reasons) is generic


def test_an_instruction_repeating_a_qa_with_another_context_window_is_still_a_duplicate() -> None:
    other_window = f"Context:\nNorthwind was founded in 2015.\n\nQuestion: {GOOD_QA['question']}"
    twin = inst("twin", "Using the text provided, answer the question below.", other_window, "Helena Marsh")
    result = run_gate([GOOD_QA, twin], 0.5)
    assert [e["id"] for e in result.kept] == ["good"]


def test_a_document_summary_opening_on_an_inner_pronoun_is_kept() -> None:
    """A news lead may point inside its own sentence; only a referent left out is a defect."""
    from dataforge.lib.quality.signals import dangling_summary_start

    assert not dangling_summary_start("A new species of monkey was told apart by the shape of its skull. More.")
    assert not dangling_summary_start("She has lived in New York for a year, and Princess Eugenie is at home there.")
    assert dangling_summary_start("It manages about $6.8 billion in assets. The fund grew.")
    assert dangling_summary_start("However, the plant opened in 2021.")
    assert dangling_summary_start("Our division grew by 12 percent in 2023.")
    assert not dangling_summary_start("A girl texted him hours before, 'I want her gone,' the police said.")
    assert not dangling_summary_start("He was once the double champion. Now Riddick Bowe is broke.")
    assert dangling_summary_start("He was once the double champion. Now he is broke. The end.")


def test_the_audit_never_freezes_a_release_still_being_built(tmp_path) -> None:
    """Drawing the audit of a release whose documents are still running must not fix its
    membership (it froze 7 of 11 documents once); it refuses until the manifest exists."""
    import pytest

    from dataforge.lib.lake import LocalLake
    from evals.quality_audit import draw

    lake = LocalLake(tmp_path / "lake")
    with pytest.raises(SystemExit, match="not complete"):
        draw(str(lake.root), "building", tmp_path / "audit")
    assert not lake.exists("gold/releases/building/documents.json")
