"""Only asserted facts: relations carry polarity and modality, and names from one schema."""

import pytest

from dataforge.lib.assertion import is_asserted
from dataforge.lib.chunk import chunk_document
from dataforge.lib.config import config_from_dict
from dataforge.lib.generate import generate_document_examples
from dataforge.lib.relation_schema import RELATIONS, map_predicate
from dataforge_tests.lib.test_nlp import CONFIG, analyse


def _typed(text: str) -> dict[tuple[str, str, str], dict]:
    _, relations = analyse(text)
    return {(r["head"], r["relation"], r["tail"]): r for r in relations if r["kind"] == "typed"}


@pytest.mark.parametrize(
    ("text", "polarity", "modality"),
    [
        ("Microsoft acquired Nokia in 2014.", "affirmative", "asserted"),
        ("Microsoft did not acquire Nokia in 2014.", "negated", "asserted"),
        ("Microsoft never acquired Nokia.", "negated", "asserted"),
        ("Did Microsoft acquire Nokia in 2014?", "affirmative", "question"),
        ("Microsoft may acquire Nokia next year.", "affirmative", "hedged"),
        ("If regulators agree, Microsoft will acquire Nokia.", "affirmative", "future"),
        ("Google denied that Microsoft acquired Nokia.", "negated", "asserted"),
    ],
)
def test_polarity_and_modality_of_the_clause(text: str, polarity: str, modality: str) -> None:
    rel = _typed(text)[("Microsoft", "acquired", "Nokia")]
    assert (rel["polarity"], rel["modality"], rel["predicate"]) == (polarity, modality, "acquire")
    assert is_asserted(rel["polarity"], rel["modality"]) == ((polarity, modality) == ("affirmative", "asserted"))


def test_faq_question_yields_no_fact_in_any_dataset() -> None:
    """'Does X work for Y? No.' is no employment: no relation row, no QA answer built on it."""
    text = (
        "Bill Gates founded Microsoft in 1975. The company is based in Redmond.\n\n"
        "Does Bill Gates work for Google? No. Gates never worked for Google."
    )
    rels = _typed(text)
    asked = rels[("Bill Gates", "employee_of", "Google")]
    assert asked["modality"] == "question"
    chunks = chunk_document("d", text, CONFIG.chunk)
    mentions, relations = analyse(text)
    document = {"doc_id": "d", "text": text, "title": "FAQ"}
    config = config_from_dict({"generate": {"summary_method": "tfidf"}})
    examples = generate_document_examples(document, chunks, mentions, relations, config)
    for ex in examples:
        for r in ex.get("relations") or []:
            assert (r["head"], r["relation"], r["tail"]) != ("Bill Gates", "employee_of", "Google"), ex
        if ex["kind"] == "qa":
            assert not (ex["answer"] == "Google" and "Gates" in ex["question"]), ex
    stated = {(r["head"], r["relation"], r["tail"]) for ex in examples for r in ex.get("relations") or []}
    assert ("Microsoft", "founded_by", "Bill Gates") in stated  # the asserted one is still taught


@pytest.mark.parametrize(
    ("predicate", "pattern", "head", "tail", "expected"),
    [
        ("found", "svo", "PERSON", "ORG", ("founded_by", True)),
        ("find", "passive", "PERSON", "ORG", ("founded_by", True)),
        ("chief executive of", "appos", "PERSON", "ORG", ("ceo_of", False)),
        ("chairman of", "copula", "PERSON", "ORG", ("chair_of", False)),
        ("analyst at", "appos", "PERSON", "ORG", ("employee_of", False)),
        ("base in", "prep", "ORG", "GPE", ("headquartered_in", False)),
        ("acquire", "svo", "ORG", "ORG", ("acquired", False)),
        ("partner with", "prep", "ORG", "ORG", ("partner_of", False)),
        ("also known as", "alias", "ORG", "ORG", ("alias_of", False)),
        ("submit in", "prep", "ORG", "GPE", ("", False)),  # a verb fragment names nothing
        ("find", "svo", "PERSON", "PERSON", ("", False)),  # "police found the suspect" is no founding
        ("chief executive of", "appos", "ORG", "ORG", ("", False)),  # argument types must fit
    ],
)
def test_predicates_map_onto_the_documented_schema(predicate, pattern, head, tail, expected) -> None:
    assert map_predicate(predicate, pattern, head, tail) == expected
    assert expected[0] in (*RELATIONS, "")
