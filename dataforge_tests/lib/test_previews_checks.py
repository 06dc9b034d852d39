"""Previews shown in the UI and the release checks, on small hand-made inputs."""

from dataforge.lib.checks import check_no_pii, check_split_leakage, schema_problems
from dataforge.lib.config import DataforgeConfig, config_from_dict
from dataforge.lib.previews import markdown_table, scrubbing


def test_markdown_table_escapes_and_truncates() -> None:
    table = markdown_table([{"a": "x|y", "b": "word " * 40}, {"a": 2, "b": None}], ["a", "b"], limit=1)
    lines = table.splitlines()
    assert lines[0] == "| a | b |" and "x\\|y" in lines[2] and "…" in lines[2]
    assert "1 more rows" in table


def test_previews_scrub_contact_identifiers_unless_told_to_keep() -> None:
    rows = [{"text": "Write to lotte.dewit@northwind-nrec.example today"}]
    with scrubbing(DataforgeConfig()):
        assert "lotte.dewit" not in markdown_table(rows, ["text"])
    with scrubbing(config_from_dict({"quality": {"pii_strategy": "keep"}})):
        assert "lotte.dewit" in markdown_table(rows, ["text"])
    assert "lotte.dewit" in markdown_table(rows, ["text"]), "outside the context nothing is scrubbed"


def qa_row(**overrides: object) -> dict:
    row = {
        "context": "NREC bought HMP.",
        "question": "What did NREC buy?",
        "answer": "HMP",
        "answer_start": 12,
        "answer_end": 15,
        "metadata": {},
        "id": "q1",
        "source_documents": ["a"],
        "source_spans": [],
        "release": "r",
        "generator": "g",
        "split": "train",
    }
    return {**row, **overrides}


def test_schema_problems_name_what_is_wrong() -> None:
    assert schema_problems("qa", qa_row()) == []
    assert "missing answer" in schema_problems("qa", {k: v for k, v in qa_row().items() if k != "answer"})
    assert "answer_start is str" in schema_problems("qa", qa_row(answer_start="12"))


def test_split_leakage_and_pii_checks_fail_on_bad_data() -> None:
    leaking = {"qa": [qa_row(), qa_row(id="q2", split="test")]}
    assert not check_split_leakage(leaking).passed
    assert check_split_leakage({"qa": [qa_row()]}).passed
    source = "Call +31 10 555 0147 or mail lotte.dewit@northwind-nrec.example."
    leaked = {"qa": [qa_row(context="Mail lotte.dewit@northwind-nrec.example now")]}
    outcome = check_no_pii(leaked, DataforgeConfig(), [source])
    assert not outcome.passed and outcome.metadata["leaks_by_type"]["original"] == 1
    assert check_no_pii({"qa": [qa_row()]}, DataforgeConfig(), [source]).passed


def test_an_empty_kind_warns_and_an_empty_release_blocks() -> None:
    from dataforge.lib.checks import DATASETS, check_not_empty

    row = {"id": "x"}
    some = check_not_empty({"qa": [row], "summary": [row]})
    assert not some.passed and not some.blocking and "classification" in some.metadata["empty"]
    none = check_not_empty({})
    assert not none.passed and none.blocking
    full = check_not_empty({k: [row] for k in DATASETS})
    assert full.passed
