"""Entity types on news text: events, adjectives, breeds, merged spans, states, royals, shows (invented text)."""

import json
import re

from dataforge.lib.entity_types import resolve_types
from dataforge.lib.mention_confidence import confident
from dataforge.lib.nlp import mention_placer
from dataforge.lib.span_cuts import split_merged
from dataforge.lib.type_clues import event_name
from dataforge.lib.type_clues_news import anonymised_person, epithet_name, org_appositive, reflexive_after
from dataforge_tests.lib.test_entity_types import labels, tagged


def lower(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\b[a-z]+\b", text))


def test_a_race_cup_or_festival_named_by_its_head_is_an_event() -> None:
    text = "Lewis Hamilton took pole for the Malaysian Grand Prix. Zelbo United won the Harlow Cup."
    typed = resolve_types(text, tagged(text, ("Malaysian Grand Prix", "ORG", 0), ("Harlow Cup", "ORG", 0)))
    assert labels(typed)["Malaysian Grand Prix"] == {"EVENT"} and labels(typed)["Harlow Cup"] == {"EVENT"}
    assert event_name("London Marathon") == "Marathon" and event_name("Olympics") == "Olympics"
    assert not event_name("Epic Games") and not event_name("Cup") and not event_name("Open University")


def test_a_religion_adjective_is_no_short_form_of_the_group_it_opens() -> None:
    text = "Islamic State fighters hold the town. Women who did not wear proper Islamic dress were whipped."
    typed = resolve_types(text, tagged(text, ("Islamic State", "ORG", 0), ("Islamic", "NORP", 1)))
    assert labels(typed)["Islamic"] == {"NORP"} and labels(typed)["Islamic State"] == {"ORG"}


def test_a_name_after_a_determiner_is_a_common_noun_not_a_person() -> None:
    text = "A pensioner says his Jack Russell saved him. 'I have a little Jack Russell,' Terry Cooper said."
    typed = resolve_types(text, tagged(text, ("Jack Russell", "PERSON", 0), ("Jack Russell", "PERSON", 1)))
    dog = [m for m in typed if m["text"] == "Jack Russell"]
    assert dog and not any(confident(m, lower(text)) for m in dog)
    assert "first_name" not in {row[0] for row in json.loads(dog[0]["type_evidence"])["evidence"]}
    # a name after a noun is a person's: "his wife Mary Cooper"
    text = "He thanked his wife Mary Cooper. Mary Cooper said the dog was brave."
    typed = resolve_types(text, tagged(text, ("Mary Cooper", "PERSON", 0), ("Mary Cooper", "PERSON", 1)))
    assert all(confident(m, lower(text)) for m in typed if m["text"] == "Mary Cooper")


def test_an_outlet_run_into_a_person_is_split_in_two() -> None:
    text = "In an interview with Sky News Doaa, who fled Raqqa, spoke of the brigade. Doaa and Umm escaped."
    mentions = tagged(text, ("Sky News Doaa", "WORK_OF_ART", 0), ("Raqqa", "GPE", 0))
    place = mention_placer("d", [(0, len(text))], [{"start": 0, "end": len(text), "sentences": []}])
    split = split_merged(text, mentions, place)
    assert [(m["text"], m["label"]) for m in split] == [("Sky News", "ORG"), ("Doaa", "PERSON"), ("Raqqa", "GPE")]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in split)
    # one name whose last words are a place, or no head word before them, stays whole
    text = "Police Scotland said Helena Marsh was safe. Scotland mourned; Marsh thanked them."
    mentions = tagged(text, ("Police Scotland", "ORG", 0), ("Helena Marsh", "PERSON", 0))
    assert [m["text"] for m in split_merged(text, mentions, place)] == ["Police Scotland", "Helena Marsh"]


def test_a_state_opened_by_a_compass_word_is_a_gpe_and_a_region_stays_loc() -> None:
    text = "Western Australia gets Monday off. Aid reached West Africa."
    typed = resolve_types(text, tagged(text, ("Western Australia", "LOC", 0), ("West Africa", "LOC", 0)))
    assert labels(typed)["Western Australia"] == {"GPE"} and labels(typed)["West Africa"] == {"LOC"}


def test_a_royal_title_makes_a_person_of_a_name_that_is_also_a_city() -> None:
    text = "Queen Elizabeth I ruled from London."
    typed = resolve_types(text, tagged(text, ("Elizabeth", "PERSON", 0), ("London", "GPE", 0)))
    assert labels(typed)["Elizabeth"] == {"PERSON"}


def test_a_show_on_broadway_is_not_taught_as_a_person() -> None:
    text = "The friends were on their way to see Les Miserables on Broadway when Eric Jansberger saw the fight."
    typed = resolve_types(text, tagged(text, ("Les Miserables", "PERSON", 0), ("Eric Jansberger", "PERSON", 0)))
    show = next(m for m in typed if m["text"] == "Les Miserables")
    assert not confident(show, lower(text))


def test_a_faith_adjective_before_extremists_stays_norp() -> None:
    text = "The march was organised by the Islamic extremist group Zelbo. Islamic scholars condemned it."
    typed = resolve_types(text, tagged(text, ("Islamic", "NORP", 0), ("Islamic", "NORP", 1), ("Zelbo", "ORG", 0)))
    assert labels(typed)["Islamic"] == {"NORP"}


def test_a_team_run_into_a_driver_s_full_name_is_split() -> None:
    text = "Jenson Button drives for McLaren. He starts ahead of McLaren Fernando Alonso. Fernando Alonso was 18th."
    mentions = tagged(text, ("McLaren", "PERSON", 0), ("McLaren Fernando Alonso", "PERSON", 0))
    place = mention_placer("d", [(0, len(text))], [{"start": 0, "end": len(text), "sentences": []}])
    split = split_merged(text, mentions, place)
    assert [m["text"] for m in split] == ["McLaren", "McLaren", "Fernando Alonso"]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in split)
    # a full name whose first word is a first name is never cut ("Mary Ann Smith" beside "Ann Smith")
    text = "Mary Ann Smith spoke. Ann Smith, her niece, and Mary listened."
    mentions = tagged(text, ("Mary Ann Smith", "PERSON", 0))
    assert [m["text"] for m in split_merged(text, mentions, place)] == ["Mary Ann Smith"]


def test_a_zero_weight_doubt_survives_a_long_evidence_list() -> None:
    roles = "coach manager captain striker golfer boxer jockey senator governor mayor author editor actor".split()
    text = " ".join(f"Jack Russell, {role}, came." for role in roles) + " We saw his Jack Russell bark."
    mentions = tagged(text, *[("Jack Russell", "PERSON", k) for k in range(len(roles) + 1)])
    record = json.loads(resolve_types(text, mentions)[0]["type_evidence"])
    assert len(record["evidence"]) > 12 and any(row[0] == "determiner" for row in record["evidence"])


def test_an_acronym_that_speaks_is_no_person() -> None:
    said = " ".join(f"The probe is turning, ZELA said on day {k}." for k in range(6))
    text = f"The Zela Exploration Launch Agency runs it. {said}"
    typed = resolve_types(text, tagged(text, *[("ZELA", "ORG", k) for k in range(6)]))
    assert labels(typed)["ZELA"] == {"ORG"}
    record = json.loads(typed[0]["type_evidence"])
    assert "person_verb" not in {row[0] for row in record["evidence"]}
    # a person's name still gets the clue: "Marsh said"
    text = "The plant is ready, Marsh said."
    record = json.loads(resolve_types(text, tagged(text, ("Marsh", "PERSON", 0)))[0]["type_evidence"])
    assert "person_verb" in {row[0] for row in record["evidence"]}


def test_a_name_in_apposition_to_an_agency_or_a_company_is_an_org() -> None:
    text = (
        "The capsule will burn up, Zelkosmos, the Ruritanian Federal Space Agency, said. "
        "Zelkosmos added that it posed no danger. Few details came from the space agency Zelkosmos."
    )
    typed = resolve_types(text, tagged(text, ("Zelkosmos", "PERSON", 0), ("Zelkosmos", "PERSON", 1)))
    assert labels(typed)["Zelkosmos"] == {"ORG"}
    assert org_appositive(text, *next(m.span() for m in re.finditer("Zelkosmos", text))) == "agency"
    # the founder of a company, a head of an agency and a first name after "company" are no appositives
    for text, name in (
        ("Marsh, the company's founder, spoke.", "Marsh"),
        ("Marsh, the head of the agency, spoke.", "Marsh"),
        ("Marsh, the company spokesman, spoke.", "Marsh"),
    ):
        assert not org_appositive(text, text.index(name), text.index(name) + len(name))
    text = "He joined the company Helena Marsh founded. Helena Marsh said so."
    typed = resolve_types(text, tagged(text, ("Helena Marsh", "PERSON", 0), ("Helena Marsh", "PERSON", 1)))
    assert labels(typed)["Helena Marsh"] == {"PERSON"}


def test_a_person_named_by_a_letter_is_a_person() -> None:
    text = "The nurse gave the Patient B an overdose. Witness C saw her. Vitamin C was found."
    typed = resolve_types(
        text, tagged(text, ("the Patient B", "ORG", 0), ("Witness C", "ORG", 0), ("Vitamin C", "PRODUCT", 0))
    )
    found = labels(typed)
    assert found["the Patient B"] == {"PERSON"} and found["Witness C"] == {"PERSON"}
    assert found["Vitamin C"] == {"PRODUCT"}
    assert anonymised_person("Baby P") and anonymised_person("Mr X") and not anonymised_person("Plan B")


def test_a_league_named_after_its_entrants_is_a_competition() -> None:
    text = "Zelbo United reached the Champions League final. The Premier League fined them."
    typed = resolve_types(text, tagged(text, ("Champions League", "ORG", 0), ("Premier League", "ORG", 0)))
    assert labels(typed)["Champions League"] == {"EVENT"} and labels(typed)["Premier League"] == {"ORG"}
    assert event_name("Champions Leagues") and event_name("UEFA Europa League") and not event_name("Football League")


def test_a_character_with_an_epithet_or_himself_is_no_org() -> None:
    text = "The frog looks like a Muppet, Kermit the Frog. Kermit himself noted the likeness on Over the Rainbow."
    typed = resolve_types(
        text, tagged(text, ("Kermit the Frog", "ORG", 0), ("Kermit", "ORG", 1), ("Over the Rainbow", "WORK_OF_ART", 0))
    )
    found = labels(typed)
    assert found["Kermit the Frog"] == {"PERSON"} and found["Kermit"] == {"PERSON"}
    assert found["Over the Rainbow"] == {"WORK_OF_ART"}  # a song's title opens with no first name
    assert epithet_name("Jack the Ripper") and not epithet_name("Grease the Musical")
    assert reflexive_after(text, text.index("Kermit himself") + 6) == "himself"


def test_a_party_and_an_international_body_are_organizations() -> None:
    """ "Labour" was typed PERSON (it "said" things) and "the Commonwealth" GPE (a gazetteer town)."""
    text = "Labour said the vote was rigged. Ministers met at the Commonwealth summit; the Commonwealth agreed."
    typed = resolve_types(
        text, tagged(text, ("Labour", "PERSON", 0), ("Commonwealth", "GPE", 0), ("Commonwealth", "GPE", 1))
    )
    assert labels(typed)["Labour"] == {"ORG"} and labels(typed)["Commonwealth"] == {"ORG"}
    assert all(confident(m, lower(text)) for m in typed)
