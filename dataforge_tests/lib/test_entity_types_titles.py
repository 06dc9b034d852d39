"""Spans that run a nationality or a possessive into a name are cut apart (invented text)."""

from dataforge.lib.nlp import mention_placer
from dataforge.lib.span_cuts import split_merged
from dataforge_tests.lib.test_entity_types import tagged


def test_a_nationality_before_a_person_and_a_persons_possessive_are_cut_off() -> None:
    text = (
        "Nobody could match Peruvian Tomas Arrieta on Sunday. Tomas Arrieta won. "
        "Mara Quillen married often. Quillen' Zelbook page says so, and Quillen denies it."
    )
    mentions = tagged(
        text,
        ("Peruvian Tomas Arrieta", "PERSON", 0),
        ("Tomas Arrieta", "PERSON", 1),
        ("Mara Quillen", "PERSON", 0),
        ("Quillen' Zelbook", "ORG", 0),
    )
    place = mention_placer("d", [(0, len(text))], [{"start": 0, "end": len(text), "sentences": []}])
    split = [(m["text"], m["label"]) for m in split_merged(text, mentions, place)]
    assert split[:2] == [("Peruvian", "NORP"), ("Tomas Arrieta", "PERSON")]
    assert ("Quillen", "PERSON") in split and ("Zelbook", "ORG") in split
    # a possessive in a name no person of the document owns stays whole
    text = "She gave birth at St Mary's Hospital. The horse fell at Becher's Brook."
    mentions = tagged(text, ("St Mary's Hospital", "ORG", 0), ("Becher's Brook", "LOC", 0))
    assert [m["text"] for m in split_merged(text, mentions, place)] == ["St Mary's Hospital", "Becher's Brook"]
    # a nationality that opens a company's name is no person's
    text = "American Express Bank said so."
    mentions = tagged(text, ("American Express Bank", "ORG", 0))
    assert [m["text"] for m in split_merged(text, mentions, place)] == ["American Express Bank"]
