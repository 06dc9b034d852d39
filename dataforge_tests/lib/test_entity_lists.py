"""Entity-list instructions: another person's surname stays listed, and NORP is worded as what it is."""

from dataforge.lib.generate.entity_tasks import distinct
from dataforge.lib.generate.instruction import LABEL_PLURAL, phrase


def test_a_surname_of_another_person_is_listed_beside_a_relative_s_full_name() -> None:
    entity = {"Ilse Brandt": "Ilse Brandt", "Brandt": "Brandt", "Kessel": "Kessel"}
    assert distinct(["Ilse Brandt", "Brandt", "Kessel"], entity) == ["Ilse Brandt", "Brandt", "Kessel"]
    # the same person's surname is one item with the full name
    same = {"Ilse Brandt": "Ilse Brandt", "Brandt": "Ilse Brandt"}
    assert distinct(["Ilse Brandt", "Brandt"], same) == ["Ilse Brandt"]
    assert distinct(["Ilse Brandt", "Brandt"]) == ["Ilse Brandt"]  # no entity known: words of a longer name


def test_the_norp_list_asks_for_nationalities_not_group_names() -> None:
    what, one = LABEL_PLURAL["NORP"]
    texts = {
        phrase("list_entities_of_type", seed, "d", k, what=what, what_short=one)[0]
        for seed in range(9)
        for k in range(9)
    }
    assert any("nationality" in t for t in texts) and not any("group name" in t for t in texts)
    assert all("nationalit" in t for t in texts)
