"""Entity-substitution augmentation, and dependency-based questions on real spaCy parses."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dataforge.lib.config import AugmentConfig, DataforgeConfig
from dataforge.lib.generate import generate_corpus_examples, generate_document_examples
from dataforge.lib.generate.augment import remap, substitute
from dataforge.lib.generate.depqa import question_for
from dataforge_tests.lib.test_generate import TEXTS, bundle, cached_embed, check_provenance, check_qa, corpus_inputs

AUGMENT = replace(DataforgeConfig(), generate=replace(DataforgeConfig().generate, augment=AugmentConfig(enabled=True)))


def augmented(config: DataforgeConfig = AUGMENT) -> tuple[list[dict], list[dict]]:
    base = [ex for d in TEXTS for ex in generate_document_examples(*bundle(d), config, embed=cached_embed)]
    out = generate_corpus_examples(*corpus_inputs(), config, document_examples=base)
    return base, [ex for ex in out if ex["generator"] in ("qa.augment/1", "ner.augment/1")]


def test_substitution_offsets():
    text, edits = substitute("Helix Sensors sold Helix Sensors.", "Helix Sensors", "Blue Fern Bistro")
    assert text == "Blue Fern Bistro sold Blue Fern Bistro."
    assert remap(14, edits, 16, 13) == 17 and remap(3, edits, 16, 13) is None
    assert substitute("Helix Sensorsx", "Helix Sensors", "X")[0] == "Helix Sensorsx"  # whole words only


def test_entities_are_substituted_consistently_with_exact_spans():
    base, variants = augmented()
    assert {ex["kind"] for ex in variants} == {"qa", "ner"}
    originals = {tuple(sorted(map(tuple, (s.items() for s in ex["source_spans"])))): ex for ex in base}
    names = {"ORG": {"Northwind Robotics", "Helix Sensors", "Blue Fern Bistro"},
             "PERSON": {"Maria Alvarez", "Tom Becker", "Lena Park"},
             "GPE": {"Boston", "Denver", "Austin", "Portland"}}  # fmt: skip
    for ex in variants:
        check_provenance(ex)
        if ex["kind"] == "qa":
            check_qa(ex)
        else:
            for ent in ex["entities"]:
                assert ex["text"][ent["start"] : ent["end"]] == ent["text"]
        text = ex.get("context", ex.get("text"))
        assert text not in {o.get("context", o.get("text")) for o in originals.values()}
    qa = [ex for ex in variants if ex["kind"] == "qa"]
    assert qa
    for ex in qa:  # the answer moved with the context: a name of the same type, or unchanged
        label = ex["metadata"]["answer_type"]
        if label in names and ex["answer"] not in TEXTS[ex["source_documents"][0]]:
            assert ex["answer"] in names[label]


def test_augmentation_is_optional_and_deterministic():
    assert augmented(DataforgeConfig())[1] == []
    assert augmented()[1] == augmented()[1]
    capped = replace(AUGMENT, generate=replace(AUGMENT.generate, augment=AugmentConfig(True, 1, 2)))
    per_doc: dict[str, int] = {}
    for ex in augmented(capped)[1]:
        per_doc[ex["source_documents"][0]] = per_doc.get(ex["source_documents"][0], 0) + 1
    assert max(per_doc.values()) <= 2


@pytest.fixture(scope="module")
def nlp():
    from dataforge.lib.nlp import pipeline_for

    return pipeline_for(DataforgeConfig().nlp)


@pytest.mark.parametrize(
    "sentence, answer, expected",
    [
        ("In 1066, William conquered England with an army.", "1066", "When did William conquer England with an army?"),
        ("In 1066, William conquered England with an army.", "William", "Who conquered England with an army?"),
        ("Tom Becker moved the production to Austin and hired 40 engineers.", "40",
         "How many engineers did Tom Becker hire?"),
        ("Northwind Robotics, which opened a lab in Denver in 2021, employs 850 people.", "2021",
         "When did Northwind Robotics open a lab in Denver?"),
    ],
)  # fmt: skip
def test_dependency_questions(nlp, sentence, answer, expected):
    doc = nlp(sentence)
    (span,) = [e for e in doc.ents if e.text == answer]
    assert question_for(span, span.label_)[0] == expected


def test_parses_add_dependency_questions_with_exact_answers(nlp):
    from dataforge.lib.nlp import parse_documents

    document, chunks, mentions, relations = bundle("doc-a")
    ((_, parses),) = parse_documents([("doc-a", document["text"], chunks)], DataforgeConfig().nlp)
    examples = generate_document_examples(
        document, chunks, mentions, relations, DataforgeConfig(), embed=cached_embed, parses=parses
    )
    dep = [ex for ex in examples if ex["generator"] == "qa.dependency/5"]
    assert dep
    for ex in dep:
        check_qa(ex)
        assert re.match(r"(When|Who|Which|Where|How|In|By|To|From|With|For)\b", ex["question"]), ex["question"]
