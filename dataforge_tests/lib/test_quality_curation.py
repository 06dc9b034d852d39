"""quality: near-duplicate documents, Gopher/C4 filters, names/addresses/birth dates, date
shifting and place generalization, toxicity, decontamination, semantic dedup, splits without
leakage, tokens, and human review in and out. Hand-made inputs with known answers."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from dataforge.lib.config import DocumentFilterConfig, QualityConfig
from dataforge.lib.quality import (
    SPLITS,
    Scrubber,
    assign_splits,
    build_training_dataset,
    find_leaks,
    find_pii,
    is_pseudonym,
    scrub_example,
)
from dataforge.lib.quality.heuristics import document_reason
from dataforge.lib.quality.minhash import duplicate_of, near_duplicate_pairs
from dataforge.lib.quality.privacy import document_shift, generalize_locations, shift_date
from dataforge.lib.quality.semantic import semantic_duplicates
from dataforge.lib.quality.tokens import stats
from dataforge.lib.review import import_decisions, load_decisions, parse_decisions, review_files, sample

FAST = QualityConfig(semantic_threshold=0)
PROSE = (
    "The committee met on Tuesday to review the budget of the regional water authority. Members agreed that the "
    "maintenance of the old pumping station should have priority over new projects, and that the board will "
    "publish a report with the details in the spring. The chair thanked the staff for their work on the plan. "
)


def _doc_text(seed: int) -> str:
    """Varied prose of its own: distinct seeds give documents that share few 3-word phrases."""
    rng = random.Random(seed)
    vocab = [f"{w}{k}" for w in ("water", "board", "plant", "river", "budget", "report") for k in range(40)]
    sentences = [" ".join(["The", *rng.sample(vocab, 5), "and", "the", *rng.sample(vocab, 4)]) + "." for _ in range(12)]
    return " ".join(sentences)


# --------------------------------------------------------------------------- near duplicates


def test_minhash_finds_cut_copies_not_distinct_documents() -> None:
    original = PROSE + " ".join(f"extra{i} word{i}" for i in range(120)) + "."  # the cut is a third of it
    cut = PROSE + "A short addition from the editor."
    other = "Quarterly revenue of the software firm rose because cloud subscriptions grew in every region. " * 3
    pairs = near_duplicate_pairs([original, cut, other], threshold=0.5)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert duplicate_of(3, pairs) == {1: (0, pairs[0][2])}
    assert near_duplicate_pairs([original, cut, other], threshold=0.5, measure="jaccard") == []
    with pytest.raises(ValueError, match="measure"):
        near_duplicate_pairs([original, cut], measure="cosine")


# --------------------------------------------------------------------------- Gopher / C4 filters

FILTER_CASES = {
    "too_few_words": "Too short to be a document.",
    "mean_word_length": "a b c d e f g h i j " * 10 + "the and of to.",
    "symbol_ratio": PROSE + " ".join(["#tag"] * 20),
    "bullet_lines": "\n".join(f"- item {i} with the value and of the thing" for i in range(20)),
    "ellipsis_lines": PROSE + "\n" + "\n".join(f"and then the story of line {i} goes on..." for i in range(10)),
    "alpha_words": PROSE + " " + " ".join(str(10000 + i) for i in range(200)),
    "stop_words": " ".join(f"Lorem{i} ipsum{i} dolor{i}." for i in range(30)),
    "duplicate_lines": "\n".join([PROSE] + ["The same line of text with the words and of."] * 6),
    "top_ngram_chars": PROSE + " " + "wind farm " * 40,
    "duplicate_ngram_chars": PROSE + " " + PROSE.split(". ")[0] + ". " + PROSE.split(". ")[0] + ".",
    "too_few_sentences": PROSE.replace(".", ","),
    "lorem_ipsum": PROSE + " Lorem ipsum placeholder text follows here.",
}


@pytest.mark.parametrize("reason", list(FILTER_CASES))
def test_each_document_filter_fires(reason: str) -> None:
    assert document_reason(FILTER_CASES[reason], DocumentFilterConfig()) == reason


def test_good_document_passes_and_braces_are_optional() -> None:
    assert document_reason(PROSE, DocumentFilterConfig()) is None
    with_brace = PROSE + " The config {a: 1} is shown."
    assert document_reason(with_brace, DocumentFilterConfig()) is None
    assert document_reason(with_brace, DocumentFilterConfig(curly_braces=True)) == "curly_braces"


def _inst(i: int, doc: str, output: str | None = None) -> dict[str, Any]:
    return {
        "id": f"inst-{i:02d}",
        "kind": "instruction",
        "instruction": f"Explain point {i} of the note.",
        "input": "",
        "output": output or f"Point {i} says the board will publish report number {i} in the spring.",
        "metadata": {},
        "source_documents": [doc],
        "source_spans": [],
        "generator": "inst@1",
    }


def test_document_stage_removes_duplicates_and_bad_documents_with_their_examples() -> None:
    docs = {
        "a": {"text": _doc_text(1)},
        "b": {"text": "  " + _doc_text(1).upper()},  # exact duplicate after normalization
        "c": {"text": _doc_text(1)[:-60] + " A different ending for this copy of it."},  # near duplicate
        "d": {"text": "Too short."},
        "e": {"text": _doc_text(5), "language": "de"},
        "f": {"text": _doc_text(6)},
        "g": {"text": _doc_text(7)},
    }
    examples = [_inst(i, d) for i, d in enumerate(docs)]
    cfg = QualityConfig(semantic_threshold=0, languages=("en",))
    datasets, report = build_training_dataset(examples, "r", cfg, documents=docs)
    assert report["documents"]["removed"] == {
        "exact_duplicate": 1,
        "junk_no_words": 1,  # two words: junk; a short real text would be kept and flagged
        "language": 1,
        "near_duplicate": 1,
    }
    removed = {r["doc_id"]: r for r in report["documents"]["removed_documents"]}
    assert removed["b"]["detail"] == {"duplicate_of": "a"}
    assert removed["c"]["detail"]["duplicate_of"] == "a"
    assert {r["id"] for r in datasets["instruction"]} == {"inst-00", "inst-05", "inst-06"}
    assert Counter(r["reason"] for r in report["removals"]) == Counter(
        document_exact_duplicate=1, document_near_duplicate=1, document_junk_no_words=1, document_language=1
    )


# --------------------------------------------------------------------------- PII: names, addresses, birth dates

CONTACT = "Jane Doe was born on March 3, 1985. She lives at 4821 Smith Ports Apt. 12\nLake Jamesview, NV 90210."


def test_person_address_and_birth_date_detected() -> None:
    spans = find_pii(CONTACT, ["PERSON", "ADDRESS", "DATE_OF_BIRTH"])
    got = [(CONTACT[s:e], k) for s, e, k in spans]
    assert got == [
        ("Jane Doe", "PERSON"),
        ("March 3, 1985", "DATE_OF_BIRTH"),
        ("4821 Smith Ports Apt. 12\nLake Jamesview, NV 90210", "ADDRESS"),
    ]
    # a date without a birth cue is no date of birth; a year alone is no date at all
    assert find_pii("The plant opened on March 3, 1985 and closed in 1999.", ["DATE_OF_BIRTH"]) == []


def test_faker_pseudonyms_consistent_and_token_wise() -> None:
    known = (("Amara Okafor", "PERSON"), ("Okafor", "PERSON"))
    scrubber = Scrubber("pseudonymize", ("PERSON",), 7, known=known)
    out, _, counts = scrubber.scrub("Amara Okafor met her team. Later Okafor wrote to Amara Okafor.")
    assert counts["PERSON"] == 3 and "Okafor" not in out and "Amara" not in out
    full = out.split(" met ")[0]
    assert len(full.split()) == 2 and out.endswith(f" wrote to {full}.")
    assert f"Later {full.split()[-1]} wrote" in out  # 'Okafor' alone -> the same fake surname
    assert Scrubber("pseudonymize", ("PERSON",), 7, known=known).scrub("Amara Okafor")[0] == full
    assert Scrubber("pseudonymize", ("PERSON",), 8, known=known).scrub("Amara Okafor")[0] != full
    redacted = Scrubber("redact", ("PERSON", "ADDRESS", "DATE_OF_BIRTH"), 7).scrub(CONTACT)[0]
    assert redacted == "[PERSON] was born on [DATE_OF_BIRTH]. She lives at [ADDRESS]."


def test_known_values_from_the_document_reach_short_strings() -> None:
    scrubber = Scrubber("redact", ("DATE_OF_BIRTH",), 1, known=(("3 March 1985", "DATE_OF_BIRTH"),))
    assert scrubber.scrub("Answer: 3 March 1985")[0] == "Answer: [DATE_OF_BIRTH]"


# --------------------------------------------------------------------------- dates and places


def test_shift_date_keeps_format() -> None:
    assert shift_date("3 March 1985", 30) == "2 April 1985"
    assert shift_date("March 3rd, 1985", -3) == "February 28th, 1985"
    assert shift_date("1985-03-03", 1) == "1985-03-04"
    assert shift_date("03/30/1985", 2) == "04/01/1985"
    assert shift_date("31.12.1999", 1) == "1.1.2000" or shift_date("31.12.1999", 1) == "01.01.2000"
    shifts = {document_shift(13, f"doc-{i}", 30) for i in range(50)}
    assert 0 not in shifts and max(shifts) <= 30 and min(shifts) >= -30


def test_date_shift_and_places_consistent_within_a_document_and_spans_exact() -> None:
    context = "The plant in Aberdeen opened on 5 May 2020 and Aberdeen staff met on 5 May 2020."
    answer = "5 May 2020"
    start = context.index(answer)
    qa = {
        "id": "q", "kind": "qa", "context": context, "question": "When?", "answer": answer,
        "answer_start": start, "answer_end": start + len(answer), "source_documents": ["d1"],
    }  # fmt: skip
    docs = {
        "d1": {"text": "Aberdeen, Scotland is a city. " + context, "mentions": [{"label": "GPE", "text": "Aberdeen"}]}
    }
    off = DocumentFilterConfig(enabled=False)
    cfg = QualityConfig(semantic_threshold=0, shift_dates=True, generalize_locations=True, document_filters=off)
    datasets, report = build_training_dataset([qa], "r", cfg, documents=docs)
    out = datasets["qa"][0]
    assert out["context"][out["answer_start"] : out["answer_end"]] == out["answer"] != answer
    assert out["context"].count(out["answer"]) == 2  # both mentions shifted alike
    assert "Aberdeen" not in out["context"] and out["context"].count("Scotland") == 2
    assert report["privacy"]["dates_shifted"] == 2 and report["privacy"]["locations_generalized"] == 2
    assert generalize_locations("Visit Springfield.", ["Springfield", "Norway"]) == {"Springfield": "[LOCATION]"}


# --------------------------------------------------------------------------- toxicity, decontamination, semantic


def test_toxicity_flag_drop_and_classifier_hook() -> None:
    rows = [_inst(1, "d1", "That plan is bullshit, said the chair."), _inst(2, "d2"), _inst(3, "d3")]
    rows[2]["output"] = "All immigrants are lazy, the post claimed without evidence."
    flagged, report = build_training_dataset(rows, "r", FAST)
    meta = {r["id"]: r["metadata"].get("quality_flags") for r in flagged["instruction"]}
    assert meta == {"inst-01": ["toxicity"], "inst-02": None, "inst-03": ["bias"]}
    assert report["toxicity"]["flagged"] == {"bias": 1, "toxicity": 1}
    cfg = QualityConfig(semantic_threshold=0, toxicity_action="drop", toxicity_classifier="json:loads")
    with pytest.raises(TypeError):  # json.loads is no classifier: the hook really calls it
        build_training_dataset(rows, "r", cfg)
    dropped, report = build_training_dataset(rows, "r", QualityConfig(semantic_threshold=0, toxicity_action="drop"))
    assert [r["id"] for r in dropped["instruction"]] == ["inst-02"] and report["toxicity"]["removed"] == 2


def test_decontamination_drops_benchmark_overlap(tmp_path: Path) -> None:
    bench = tmp_path / "test.jsonl"
    question = "In what country is Normandy located and which river runs through its capital city today"
    bench.write_text(json.dumps({"question": question, "answers": ["France"]}) + "\n")
    rows = [_inst(1, "d1", f"Quiz: {question.lower()}? France."), _inst(2, "d2")]
    cfg = QualityConfig(semantic_threshold=0, decontamination_sets=(str(bench),))
    datasets, report = build_training_dataset(rows, "r", cfg)
    assert [r["id"] for r in datasets["instruction"]] == ["inst-02"]
    assert report["decontamination"]["removed"] == 1
    assert report["removals"][0]["detail"]["ngram"].startswith("in what country")


def test_semantic_dedup_with_the_real_embedder() -> None:
    from dataforge.lib.embed import embed_texts

    texts = ["When was the company founded? In 2015.", "In which year was the company founded? 2015.", "What is 2+2?"]
    assert set(semantic_duplicates(texts, 0.85, embed_texts)) == {1}
    assert semantic_duplicates(texts, 0.999, embed_texts) == {}


# --------------------------------------------------------------------------- splits


def test_every_split_non_empty_with_three_documents_and_no_leakage() -> None:
    for seed in range(20):
        rows = [{"id": f"e{i}", "source_documents": [f"d{i % 3}"]} for i in range(9)]
        kept, dropped = assign_splits(rows, (0.8, 0.1, 0.1), seed)
        assert {r["split"] for r in kept} == set(SPLITS) and not dropped
        assert assign_splits(rows, (0.8, 0.1, 0.1), seed)[0] == kept  # stable


def test_cross_document_examples_keep_their_documents_together() -> None:
    rows = [{"id": f"e{i}", "source_documents": [f"d{i}"]} for i in range(12)]
    rows += [{"id": "m1", "source_documents": ["d0", "d1"]}, {"id": "m2", "source_documents": ["d1", "d2"]}]
    kept, dropped = assign_splits(rows, (0.6, 0.2, 0.2), 3)
    split_of = {d: r["split"] for r in kept for d in r["source_documents"]}
    assert split_of["d0"] == split_of["d1"] == split_of["d2"] and not dropped
    # one connected corpus: broken into documents, bridging examples dropped, none leaks
    chain = [{"id": f"c{i}", "source_documents": [f"d{i}", f"d{i + 1}"]} for i in range(5)]
    kept, dropped = assign_splits(chain, (0.8, 0.1, 0.1), 1)
    assert dropped and {r["split"] for r in kept} | {"x"} >= {"x"}
    docs: dict[str, set[str]] = {}
    for r in kept:
        for d in r["source_documents"]:
            docs.setdefault(d, set()).add(r["split"])
    assert all(len(s) == 1 for s in docs.values())


def test_token_stats_histogram() -> None:
    s = stats([10, 50, 300, 70])
    assert (s["examples"], s["total"], s["max"]) == (4, 430, 300)
    assert sum(b["examples"] for b in s["histogram"]) == 4 and s["histogram"][-1]["to"] == 512


# --------------------------------------------------------------------------- human review


def _release(n: int = 40) -> dict[str, list[dict[str, Any]]]:
    rows = [{**_inst(i, f"d{i}"), "split": "train" if i % 4 else "test"} for i in range(n)]
    return {"instruction": rows, "qa": []}


def test_review_sample_stratified_and_importable() -> None:
    picked = sample(_release(), 0.05, 13)
    assert Counter(r["split"] for r in picked) == {"train": 2, "test": 1}
    assert sample(_release(), 0.05, 13) == picked
    files = review_files(_release(), 0.05, 13)
    argilla = [json.loads(line) for line in files["review/argilla.jsonl"].decode().splitlines()]
    studio = json.loads(files["review/label_studio.json"])
    assert [r["id"] for r in argilla] == [t["data"]["id"] for t in studio]
    assert {"prompt", "response", "kind", "split"} <= set(argilla[0])
    assert b'<Choices name="decision"' in files["review/label_studio.xml"]


def test_parse_decisions_from_every_format() -> None:
    studio = [
        {
            "data": {"id": "a"},
            "annotations": [{"result": [{"from_name": "decision", "value": {"choices": ["reject"]}}]}],
        },
        {
            "data": {"id": "b"},
            "annotations": [{"result": [{"from_name": "decision", "value": {"choices": ["accept"]}}]}],
        },
    ]
    argilla = {"id": "c", "responses": {"decision": [{"value": "reject", "user_id": "u"}]}}
    assert [d["decision"] for d in parse_decisions(json.dumps(studio).encode())] == ["reject", "accept"]
    assert parse_decisions(json.dumps(argilla).encode())[0]["id"] == "c"
    assert parse_decisions(b"id,decision\nd,Rejected\n", "x.csv") == [{"id": "d", "decision": "reject", "comment": ""}]


def test_review_import_cli_then_rejected_examples_leave_the_next_release(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dataforge.cli_review import app
    from dataforge.lib.lake import LocalLake

    export = tmp_path / "export.jsonl"
    export.write_text('{"id": "inst-01", "decision": "reject"}\n{"id": "inst-02", "decision": "accept"}\n')
    result = CliRunner().invoke(app, ["import", str(export), "--lake", str(tmp_path / "lake")])
    assert result.exit_code == 0, result.output
    assert "1 accepted, 1 rejected" in result.output
    lake = LocalLake(tmp_path / "lake")
    assert load_decisions(lake) == {"inst-01": "reject", "inst-02": "accept"}
    rows = [_inst(i, f"d{i}") for i in range(4)]
    datasets, report = build_training_dataset(rows, "r2", FAST, decisions=load_decisions(lake))
    assert "inst-01" not in {r["id"] for r in datasets["instruction"]}
    assert report["review"] == {"decisions": 2, "rejected": 1}
    bad = tmp_path / "empty.jsonl"
    bad.write_text('{"foo": 1}\n')
    assert CliRunner().invoke(app, ["import", str(bad), "--lake", str(tmp_path / "lake")]).exit_code == 1
    with pytest.raises(ValueError, match="no decisions"):
        import_decisions(lake, bad)


def test_scrub_example_keeps_renamed_entities() -> None:
    text = "Dr. Jane Doe joined Acme in Oslo."
    ner = {
        "id": "n", "kind": "ner", "text": text,
        "entities": [{"text": "Jane Doe", "label": "PERSON", "start": 4, "end": 12}],
        "relations": [],
    }  # fmt: skip
    out, counts = scrub_example(ner, "pseudonymize", ["PERSON"], 5)
    ent = out["entities"][0]
    assert counts["PERSON"] == 1 and ent["label"] == "PERSON" and ent["text"] != "Jane Doe"
    assert out["text"][ent["start"] : ent["end"]] == ent["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 001-507-843-9150x00806 today.", ["001-507-843-9150x00806"]),
        ("Office (565)408-8995 ext. 790, ask for Bo.", ["(565)408-8995 ext. 790"]),
        ("Version 2.4.1.3 and v1.2.3.4 ship; host 10.1.2.3 is down.", ["10.1.2.3"]),
        # In a source, documentation domains and ranges are contact data like any other.
        ("Write to info@example.com or test@example.org.", ["info@example.com", "test@example.org"]),
        ("Docs use 192.0.2.7 and 2001:db8::1 as examples.", ["192.0.2.7", "2001:db8::1"]),
        ("Desk +44 20 7542 1234 x211, or +1-714-555-0196.", ["+44 20 7542 1234 x211", "+1-714-555-0196"]),
    ],
)
def test_detector_formats_and_documentation_values(text: str, expected: list[str]) -> None:
    spans = find_pii(text, ["PHONE", "IP_ADDRESS", "EMAIL"])
    assert [text[s:e] for s, e, _ in spans] == expected


def test_pseudonyms_and_redactions_are_not_detected_again() -> None:
    text = "Mail ann@corp.io, call +44 20 7946 0958, host 8.8.4.4. Bob Stone, born on 1 May 1970."
    types = ("EMAIL", "PHONE", "IP_ADDRESS", "PERSON", "DATE_OF_BIRTH")
    fake = Scrubber("pseudonymize", types[:3], 2).scrub(text)[0]
    found = find_pii(fake, types[:3])  # detected, and recognised as ours by the keyed marker
    assert len(found) == 3 and all(is_pseudonym(fake[s:e], 2) for s, e, _ in found)
    assert find_leaks(fake, types[:3], 2) == [] and find_leaks(fake, types[:3], 3) != []
    redacted = Scrubber("redact", types, 2).scrub(text)[0]
    assert "[PERSON]" in redacted and find_pii(redacted, types) == []
