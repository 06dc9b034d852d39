"""Within-document coreference rules, on mention lists and on spaCy parses of sample passages."""

from dataforge.lib.coref import link_within_document
from evals.cdcr_coref_samples import FIXTURE, evaluate, load_passages


def doc(*items: tuple[str, str | None, int]) -> list[dict]:
    return [{"mention_id": f"m{i}", "text": t, "label": lab, "sentence_id": s} for i, (t, lab, s) in enumerate(items)]


def links(mentions: list[dict], strict: bool = True) -> set[tuple[str, str, str]]:
    return {(mentions[b]["text"], mentions[a]["text"], r) for a, b, r, _ in link_within_document(mentions, strict)}


def test_names_acronyms_and_short_forms() -> None:
    found = links(
        doc(
            ("NREC", "ORG", 0),  # before its long form, as in a headline
            ("Northwind Renewable Energy Corporation", "ORG", 1),
            ("Helena Marsh", "PERSON", 1),
            ("Marsh", "PERSON", 2),
            ("Pieter van Dijk", "PERSON", 2),
            ("van Dijk", "PERSON", 3),
            ("the NREC", "ORG", 3),
        )
    )
    assert ("NREC", "Northwind Renewable Energy Corporation", "acronym") in found
    assert ("Marsh", "Helena Marsh", "short_form") in found
    assert ("van Dijk", "Pieter van Dijk", "short_form") in found
    assert ("the NREC", "NREC", "same_name") in found


def test_pronouns_follow_gender_number_and_salience() -> None:
    found = links(
        doc(
            ("NREC", "ORG", 0),
            ("Helena Marsh", "PERSON", 0),
            ("She", None, 1),
            ("its", None, 1),
            ("Anders Lindqvist", "PERSON", 2),
            ("he", None, 2),
            ("I", None, 3),
        ),
        strict=False,
    )
    assert ("She", "Helena Marsh", "pronoun") in found
    assert ("its", "NREC", "pronoun") in found
    assert ("he", "Anders Lindqvist", "pronoun") in found
    assert not any(anaphor == "I" for anaphor, _, _ in found), "a quote's I is never linked"


def test_pronouns_look_back_only_two_sentences_and_never_at_places() -> None:
    far = links(doc(("Helena Marsh", "PERSON", 0), ("she", None, 4)), strict=False)
    assert far == set()
    place = links(doc(("Rotterdam", "GPE", 0), ("it", None, 0)), strict=False)
    assert place == set(), "'it' rarely means a city"


def test_type_nominals_and_same_head() -> None:
    found = links(
        doc(
            ("North Sea Energy Institute", "ORG", 0),
            ("Aberdeen", "GPE", 0),
            ("the institute", None, 1),
            ("Halden Marine Power", "ORG", 2),
            ("the company", None, 2),
            ("a British climber", "HUM", 3),
            ("the climber", "HUM", 4),
            ("the climbers", "HUM", 4),
        ),
        strict=False,
    )
    assert ("the institute", "North Sea Energy Institute", "nominal") in found
    assert ("the company", "Halden Marine Power", "nominal") in found
    assert ("the climber", "a British climber", "same_head") in found
    assert not any(anaphor == "the climbers" for anaphor, _, _ in found), "plural is another group"


def test_trusted_labels_are_never_crossed() -> None:
    assert links(doc(("Jordan", "PERSON", 0), ("Jordan", "GPE", 1))) == set()


def test_apposition_of_a_role_and_a_name() -> None:
    sentence = "Chargers receiver Vincent Jackson was arrested ."
    mentions = [
        {"mention_id": "a", "text": "receiver", "label": "HUM", "sentence": sentence},
        {"mention_id": "b", "text": "Vincent Jackson", "label": "HUM", "sentence": sentence},
    ]
    assert links(mentions) == {("Vincent Jackson", "receiver", "apposition")}


def test_rule_precision_on_hand_labelled_sample_passages() -> None:
    """The fixture marks every name, pronoun and type nominal of 10 passages of samples/."""
    passages = load_passages(FIXTURE)
    assert len(passages) == 10 and sum(len(p["gold"]) for p in passages) > 130
    result = evaluate(passages)
    assert result["links"] >= 30
    assert result["precision"] >= 0.75, result["errors"]
    for rule in ("same_name", "short_form", "acronym"):
        assert result["by_rule"][rule]["precision"] == 1.0, (rule, result["errors"])
    assert result["by_rule"]["pronoun"]["precision"] >= 0.6, result["errors"]
