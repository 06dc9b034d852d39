"""News defect patterns in entity types: head words, group context, titles, disputed types (no spaCy)."""

from __future__ import annotations

import json

from dataforge.lib.cluster_types import without_disputed
from dataforge.lib.entity_types import resolve_types
from dataforge.lib.mention_confidence import confident
from dataforge_tests.lib.test_entity_types import labels, tagged

LOWER = frozenset("the said a in at of was were".split())


def test_facility_head_words_outvote_a_spacy_person() -> None:
    text = "Keepers at the Cleveland Metroparks Zoo fed him. She gave birth in the Lindo Wing last year."
    typed = resolve_types(text, tagged(text, ("Cleveland Metroparks Zoo", "PERSON", 0), ("Lindo Wing", "PERSON", 0)))
    assert labels(typed)["Cleveland Metroparks Zoo"] == {"FAC"}
    assert labels(typed)["Lindo Wing"] == {"FAC"}  # "Lindo" is a first name, but "the Lindo Wing" is a place


def test_a_surname_that_is_a_facility_word_stays_a_person() -> None:
    text = "Stuart Hall presented the show for years."
    assert labels(resolve_types(text, tagged(text, ("Stuart Hall", "PERSON", 0))))["Stuart Hall"] == {"PERSON"}


def test_islamic_state_is_a_group_not_a_state() -> None:
    text = "Islamic State militants took the town. Washington State passed the law."
    typed = resolve_types(text, tagged(text, ("Islamic State", "GPE", 0), ("Washington State", "GPE", 0)))
    record = json.loads(next(m for m in typed if m["text"] == "Islamic State")["type_evidence"])
    assert "GPE" not in {row[1] for row in record["evidence"] if row[0] == "place_word"}
    assert record["votes"]["ORG"] > 0 and labels(typed)["Islamic State"] == {"ORG"}
    assert labels(typed)["Washington State"] == {"GPE"}


def test_a_team_in_a_race_report_is_an_organisation() -> None:
    text = "Jenson Button is a McLaren driver. Hull City won again."
    typed = resolve_types(text, tagged(text, ("McLaren", "PERSON", 0), ("Hull City", "GPE", 0)))
    assert labels(typed)["McLaren"] == {"ORG"}


def test_an_age_or_a_person_noun_makes_a_person() -> None:
    text = "The man, Rishi Khanal, was saved. Rishi Khanal had been trapped. Edward Byatt, 39, of Essex, paid."
    mentions = tagged(text, ("Rishi Khanal", "ORG", 0), ("Rishi Khanal", "ORG", 1), ("Edward Byatt", "ORG", 0))
    typed = resolve_types(text, mentions)
    assert labels(typed)["Rishi Khanal"] == {"PERSON"} and labels(typed)["Edward Byatt"] == {"PERSON"}
    typed = resolve_types(text, tagged(text, ("Edward Byatt", "PERSON", 0), ("Essex", "GPE", 0)))
    assert all(confident(m, LOWER) for m in typed)


def test_england_does_not_join_a_club_named_after_it() -> None:
    text = "The England Supporters Travel Club met. England drew with Italy in Turin."
    typed = resolve_types(
        text,
        tagged(text, ("England Supporters Travel Club", "ORG", 0), ("England", "GPE", 1), ("Italy", "GPE", 0)),
    )
    assert labels(typed)["England"] == {"GPE"} and labels(typed)["England Supporters Travel Club"] == {"ORG"}


def test_spacy_alone_cannot_ship_a_body_as_nationality_or_a_common_word_as_a_person() -> None:
    text = "He led British Swimming for years. Skin Therapy has six locations."
    typed = resolve_types(text, tagged(text, ("British Swimming", "NORP", 0), ("Skin Therapy", "PERSON", 0)))
    lower = LOWER | {"skin", "therapy"}
    assert not any(confident(m, lower) for m in typed)
    alone = resolve_types("Islamic State's police", tagged("Islamic State's police", ("Islamic State", "GPE", 0)))
    assert not confident(alone[0], LOWER)  # spaCy alone, and no known place in the name
    norp = resolve_types(
        "Saudi Arabian officials met.", tagged("Saudi Arabian officials met.", ("Saudi Arabian", "NORP", 0))
    )
    assert confident(norp[0], LOWER)


def test_an_example_whose_entity_the_release_types_otherwise_is_left_out() -> None:
    def example(start: int, name: str, label: str) -> dict:
        entity = {"text": name, "label": label, "start": 0, "end": len(name)}
        return {"source_spans": [{"doc_id": "d", "start": start, "end": start + 30}], "entities": [entity]}

    examples = [example(10, "Khanal", "PERSON"), example(50, "CNN", "ORG")]
    graph = [
        {"doc_id": "d", "start": 10, "end": 16, "text": "Khanal", "label": "ORG"},
        {"doc_id": "d", "start": 50, "end": 53, "text": "CNN", "label": "ORG"},
    ]
    kept, dropped = without_disputed(examples, graph)
    assert dropped == 1 and [e["entities"][0]["text"] for e in kept] == ["CNN"]


def test_an_operation_is_an_event_not_a_facility() -> None:
    text = "The CPS move leaves Operation Elveden in tatters."
    typed = resolve_types(text, tagged(text, ("CPS", "ORG", 0), ("Operation Elveden", "FAC", 0)))
    assert labels(typed)["Operation Elveden"] == {"EVENT"} and confident(typed[1], LOWER)


def test_a_coast_is_a_place_and_a_glued_lower_case_word_leaves_the_span() -> None:
    from dataforge.lib.mention_confidence import clean_bounds

    text = "He bought a home on the Costa Del Sol, Spain. Bill sits on the county Board of Education."
    typed = resolve_types(text, tagged(text, ("Costa Del Sol", "FAC", 0), ("Spain", "GPE", 0)))
    assert labels(typed)["Costa Del Sol"] == {"LOC"}
    start = text.index("county")
    s, e = clean_bounds(text, start, start + len("county Board of Education"))
    assert text[s:e] == "Board of Education"
    s, e = clean_bounds("Pieter van Dijk", 7, 15)
    assert "Pieter van Dijk"[s:e] == "van Dijk"


def test_an_acronym_ships_as_an_organisation_only_when_the_document_spells_it_out() -> None:
    text = "QA models improve with ICT pretraining. QA and ICT are evaluated on two sets."
    typed = resolve_types(text, tagged(text, ("QA", "ORG", 0), ("ICT", "ORG", 0), ("QA", "ORG", 1), ("ICT", "ORG", 1)))
    assert not any(confident(m, LOWER) for m in typed)  # terms of a technical paper, never expanded
    text = "The North Sea Energy Institute (NSEI) met in May. NSEI published its report."
    typed = resolve_types(
        text, tagged(text, ("North Sea Energy Institute", "ORG", 0), ("NSEI", "ORG", 0), ("NSEI", "ORG", 1))
    )
    assert all(confident(m, LOWER) for m in typed if m["text"] == "NSEI")
