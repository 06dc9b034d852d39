"""Spans that run a nationality or a possessive into a name are cut apart; a region word and a town in
apposition get their place types (invented text)."""

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


def test_a_region_word_is_no_short_form_of_a_name_it_opens_and_a_region_as_a_noun_is_loc() -> None:
    # webx audit, round 11: "Caribbean: ORG", the cluster of "Caribbean Military Academy"
    from dataforge.lib.entity_types import resolve_types
    from dataforge_tests.lib.test_entity_types import labels

    text = "He trained at the Caribbean Military Academy. Cadets came from across the Caribbean. The Academy shut."
    mentions = tagged(text, ("Caribbean Military Academy", "ORG", 0), ("Caribbean", "LOC", 1))
    assert labels(resolve_types(text, mentions)) == {"Caribbean Military Academy": {"ORG"}, "Caribbean": {"LOC"}}
    text = "Caribbean leaders met in May. Caribbean islands sent men."
    mentions = tagged(text, ("Caribbean", "NORP", 0), ("Caribbean", "NORP", 1))
    assert labels(resolve_types(text, mentions)) == {"Caribbean": {"NORP"}}


def test_a_name_in_apposition_to_a_town_is_a_gpe() -> None:
    # cnnx audit, round 11: "Ixopo (LOC)" for "Ixopo, a small town 85 miles south-west of Durban"
    from dataforge.lib.entity_types import resolve_types
    from dataforge_tests.lib.test_entity_types import labels

    text = "She was found at the mission in Ixopo, a small town south-west of Durban. Police in Ixopo said so."
    mentions = tagged(text, ("Ixopo", "LOC", 0), ("Durban", "GPE", 0), ("Ixopo", "LOC", 1))
    assert labels(resolve_types(text, mentions))["Ixopo"] == {"GPE"}
    text = "They hired Northwind, a city council contractor, in May."
    assert labels(resolve_types(text, tagged(text, ("Northwind", "ORG", 0)))) == {"Northwind": {"ORG"}}


def test_a_person_spacy_always_calls_person_is_no_town_and_the_west_bank_is_no_bank() -> None:
    # aidax audit, round 11: "Dole (GPE)" (a French town in the gazetteer) for Bob Dole, "West Bank (ORG)"
    from dataforge.lib.entity_types import resolve_types
    from dataforge_tests.lib.test_entity_types import labels

    text = "Dole decided on Jack Kemp. Dole said the choice was final. Aides to Dole agreed. Troops left the West Bank."
    mentions = tagged(text, *(("Dole", "PERSON", k) for k in range(3)), ("West Bank", "GPE", 0))
    assert labels(resolve_types(text, mentions)) == {"Dole": {"PERSON"}, "West Bank": {"GPE"}}
    # a place spaCy calls PERSON every time is still a place where the text places it
    text = "The array in Lofoten ran. Lofoten produced power. Lofoten grew."
    assert labels(resolve_types(text, tagged(text, *(("Lofoten", "PERSON", k) for k in range(3))))) == {
        "Lofoten": {"LOC"}
    }


def test_a_book_title_is_a_work_of_art() -> None:
    # webz0 audit: "The Standard Book of Spells: ORG" in three rows
    from dataforge.lib.entity_types import resolve_types
    from dataforge_tests.lib.test_entity_types import labels

    text = "Pupils read The Standard Book of Spells in the first year. The Standard Book of Spells has six grades."
    mentions = tagged(text, ("The Standard Book of Spells", "ORG", 0), ("The Standard Book of Spells", "ORG", 1))
    assert labels(resolve_types(text, mentions)) == {"The Standard Book of Spells": {"WORK_OF_ART"}}
    text = "The Book Club of Halden met in May. The Book Club of Halden meets monthly."
    mentions = tagged(text, ("The Book Club of Halden", "ORG", 0), ("The Book Club of Halden", "ORG", 1))
    assert labels(resolve_types(text, mentions)) == {"The Book Club of Halden": {"ORG"}}
