"""Corpus examples (multi-hop, profiles, timeline, choices, classification) and templates."""

from __future__ import annotations

import pytest

from dataforge.lib.config import DataforgeConfig, GenerateConfig
from dataforge.lib.generate import generate_corpus_examples
from dataforge.lib.generate.common import clean_start, is_prose
from dataforge.lib.generate.relphrase import relation_question
from dataforge.lib.generate.templates import sentence_question
from dataforge_tests.lib.test_generate import CONFIG, TEXTS, check_qa, corpus_examples, corpus_inputs


def test_corpus_multihop_question_spans_two_documents():
    multihop = [ex for ex in corpus_examples() if ex["generator"] == "qa.multihop/1"]
    assert multihop
    for ex in multihop:
        check_qa(ex)
        assert len(ex["source_documents"]) == 2 and len(ex["source_spans"]) == 2
        a, b = (TEXTS[s["doc_id"]][s["start"] : s["end"]] for s in ex["source_spans"])
        assert ex["context"] in (a + " " + b, b + " " + a)
    questions = {ex["question"]: ex["answer"] for ex in multihop}
    assert questions["Who founded the organization that Northwind Robotics acquired?"] == ("Tom Becker")


def test_corpus_profiles_timeline_and_choices():
    examples = [ex for ex in corpus_examples() if ex["kind"] == "instruction"]
    tasks = {ex["metadata"]["task"] for ex in examples}
    assert set("entity_profile timeline_first timeline_order multiple_choice yes_no compare_corpus".split()) <= tasks
    helix = next(
        ex
        for ex in examples
        if ex["metadata"]["task"] == "entity_profile" and ex["metadata"]["entity"] == "Helix Sensors"
    )
    assert "[doc-a]" in helix["output"] and "[doc-b]" in helix["output"]
    assert helix["source_documents"] == ["doc-a", "doc-b"]
    for ex in examples:
        if ex["metadata"]["task"] == "multiple_choice":
            answer = ex["output"].split("\n")[0]
            assert answer in ex["input"].split("\n")
    firsts = [ex for ex in examples if ex["metadata"]["task"] == "timeline_first"]
    assert any("2009" in ex["input"] and "2011" in ex["input"] for ex in firsts)


def test_classification_topics_and_categories():
    examples = [
        ex
        for ex in corpus_examples(DataforgeConfig(generate=GenerateConfig(topics=2)))
        if ex["kind"] == "classification"
    ]
    assert len(examples) == 5  # one per chunk
    label = {(ex["metadata"]["doc_id"], ex["metadata"]["chunk_id"]): ex["label"] for ex in examples}
    assert len(set(label.values())) == 2
    assert label[("doc-c", 0)] != label[("doc-a", 0)] == label[("doc-b", 0)]
    assert "bread" in label[("doc-c", 0)] or "bistro" in label[("doc-c", 0)]
    documents, entities, mentions, relations, events, vectors = corpus_inputs()
    for doc_id, doc in documents.items():
        doc["category"] = "food" if doc_id == "doc-c" else "business"
    cats = generate_corpus_examples(documents, entities, mentions, relations, events, vectors, CONFIG)
    got = {ex["label"] for ex in cats if ex["kind"] == "classification"}
    assert got == {"food", "business"}


@pytest.mark.parametrize(
    "sentence, answer, label, expected",
    [
        ("In 2015, Acme acquired Beta.", "2015", "DATE", "When did Acme acquire Beta?"),
        ("Acme is based in Berlin.", "Berlin", "GPE", "Where is Acme based?"),
        ("Revenue grew by 12% last year.", "12%", "PERCENT", "By how much did revenue grow last year?"),
        ("Jane Doe founded Acme.", "Jane Doe", "PERSON", "Who founded Acme?"),
        ("Acme hired Jane Doe in 2012.", "Jane Doe", "PERSON", "Who did Acme hire in 2012?"),
        ("Acme employs 500 people.", "500", "CARDINAL", "How many people does Acme employ?"),
        ("Acme's chief Jane Doe resigned.", "Jane Doe", "PERSON", None),
        ("Acme has offices in Paris and Rome.", "Paris", "GPE", None),
        ('"We grew," said Jane Doe in 2012.', "2012", "DATE", None),  # quotes: no question
        ("Acme, founded in 1999, is based in Oslo.", "Oslo", "GPE", "Where is Acme, founded in 1999, based?"),
        ("Acme acquired Beta in 2015 and moved to Oslo.", "2015", "DATE", "When did Acme acquire Beta?"),
    ],
)
def test_sentence_templates(sentence, answer, label, expected):
    start = sentence.index(answer)
    lower_first = sentence.startswith("Revenue")  # a common noun, not a name
    made = sentence_question(sentence, start, start + len(answer), label, lower_first)
    assert (made[0] if made else None) == expected


def test_relation_templates():
    assert relation_question("chief executive of", "head", "X", "NREC", "PERSON")[0] == (
        "Who is the chief executive of NREC?"
    )
    assert relation_question("acquire", "tail", "Acme", "Beta", "ORG")[0] == ("Which organization did Acme acquire?")
    assert relation_question("based in", "tail", "Acme", "Berlin", "GPE")[0] == ("Where is Acme based?")
    assert relation_question("found in", "head", "Acme", "Oslo", "ORG")[0] == "Which organization was founded in Oslo?"
    assert relation_question("found in", "head", "Jane", "Oslo", "PERSON") is None  # active: object lost
    assert relation_question("analyst at", "head", "Jane", "Ardent", "ORG")[0] == "Who is an analyst at Ardent?"


def test_headings_fused_into_sentences_are_skipped():
    text = "Company History\nAcme was founded in 1999 by Jane Doe. Revenue | 2023 | 2022"
    assert text[clean_start(text, 0, 52) :].startswith("Acme was founded")
    assert is_prose("Acme was founded in 1999 by Jane Doe.") and not is_prose("Revenue | 2023 | 2022")
    assert not is_prose("What is Acme?") and not is_prose("Senior Fellow, North Sea Energy Institute, Aberdeen.")
