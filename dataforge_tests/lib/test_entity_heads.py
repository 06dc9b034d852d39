"""Head nouns that type a name, a place cut from the name it follows, surnames written first (invented text)."""

from dataforge.lib.entity_groups import group_mentions
from dataforge.lib.entity_types import resolve_types
from dataforge.lib.mention_confidence import confident
from dataforge.lib.nlp import mention_placer
from dataforge.lib.span_cuts import located_in, split_merged
from dataforge.lib.type_clues import event_name
from dataforge_tests.lib.test_entity_types import labels, tagged
from dataforge_tests.lib.test_entity_types_news import lower


def test_a_series_tour_or_games_named_by_its_head_is_an_event() -> None:
    text = "Tarvonia won the Kessler World Series. Ana Brel leads the Coastal Tour. Asian Games medals were handed out."
    mentions = tagged(text, ("Kessler World Series", "ORG", 0), ("Coastal Tour", "ORG", 0), ("Asian Games", "ORG", 0))
    found = labels(resolve_types(text, mentions))
    assert found["Kessler World Series"] == found["Coastal Tour"] == found["Asian Games"] == {"EVENT"}
    assert not event_name("Epic Games") and not event_name("Tour") and not event_name("Series")


def test_a_name_headed_by_a_product_noun_is_a_product() -> None:
    text = "Ravi unwrapped his Crumblewick Caramel Bars. Crumblewick Caramel Bars are sold in blue packs."
    bars = "Crumblewick Caramel Bars"
    typed = resolve_types(text, tagged(text, (bars, "ORG", 0), (bars, "ORG", 1)))
    assert labels(typed)["Crumblewick Caramel Bars"] == {"PRODUCT"}
    assert all(confident(m, lower(text)) for m in typed if m["text"] == "Crumblewick Caramel Bars")


def test_an_ocean_current_is_a_location() -> None:
    text = "Warm water from the Morrow Stream reaches the coast; the Pellan Current runs south."
    typed = resolve_types(text, tagged(text, ("Morrow Stream", "GPE", 0), ("Pellan Current", "FAC", 0)))
    assert labels(typed)["Morrow Stream"] == {"LOC"} and labels(typed)["Pellan Current"] == {"LOC"}


def test_a_place_after_in_is_cut_from_the_hospital_or_company_before_it() -> None:
    text = "She was taken to Dunmore General Hospital in Kelvshire. Women in Science met in Oslo."
    mentions = tagged(text, ("Dunmore General Hospital in Kelvshire", "ORG", 0), ("Women in Science", "ORG", 0))
    place = mention_placer("d", [(0, len(text))], [{"start": 0, "end": len(text), "sentences": []}])
    split = split_merged(text, mentions, place)
    assert [(m["text"], m["label"]) for m in split] == [
        ("Dunmore General Hospital", "ORG"),
        ("Kelvshire", "GPE"),
        ("Women in Science", "ORG"),
    ]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in split)
    assert located_in("Bank of Tarvonia") is None and located_in("Hospital in Kelvshire") is None


def test_a_place_name_that_opens_a_korean_name_is_that_person() -> None:
    # "Kim" is also a town in the gazetteer; written first before a hyphenated given name it is a surname
    text = "Kim Dae-ho, a former agent, died on Friday. Doctors said Kim had been ill. Kim was freed in 1993."
    mentions = tagged(text, ("Kim Dae-ho", "PERSON", 0), ("Kim", "GPE", 1), ("Kim", "GPE", 2))
    assert group_mentions(mentions) == [[0, 1, 2]]
    assert labels(resolve_types(text, mentions))["Kim"] == {"PERSON"}
    # a place that opens an organization's name stays its own entity
    text = "Bergen Ocean Laboratory opened. Bergen is wet."
    mentions = tagged(text, ("Bergen Ocean Laboratory", "ORG", 0), ("Bergen", "GPE", 1))
    assert group_mentions(mentions) == [[0], [1]]


def test_an_office_before_a_name_and_letters_after_it_leave_no_name_untagged() -> None:
    import re

    from dataforge.lib.mention_confidence import untagged_names

    text = (
        "Judge Ann Morrow QC fined Pell. Detective Superintendent Colby agreed. Pastor Reyes won. "
        "Chief Constable Office opened."
    )
    covered = [re.search(n, text).span() for n in ("Ann Morrow", "Pell", "Colby", "Reyes")]
    assert untagged_names(text, 0, len(text), covered, lower(text)) == ["Pastor", "Chief", "Constable", "Office"]
