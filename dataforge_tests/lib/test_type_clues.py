"""Type clues beyond spaCy's vote: software, person clues, merged lists, document pointers (invented text)."""

from __future__ import annotations

import json
import re

from dataforge.lib.entity_types import resolve_types
from dataforge.lib.generate.common import build_context
from dataforge.lib.generate.entity_windows import window_record, windows
from dataforge.lib.mention_confidence import confident, name_parts, untagged_names
from dataforge.lib.type_clues import (
    author_initials,
    calendar_name,
    merged_list,
    particle_name,
    reference_word,
    speech_verb,
    technology_contexts,
)
from dataforge_tests.lib.test_entity_types import tagged


def lower_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\b[a-z]+\b", text))


def evidence(name: str, label: str, votes: dict[str, float], rows: list[tuple[str, str, float]]) -> str:
    return json.dumps(
        {"name": name, "label": label, "votes": votes, "evidence": [[k, lab, w, "", 1] for k, lab, w in rows]}
    )


def test_a_programming_language_spacy_calls_org_is_a_product() -> None:
    text = (
        "Ferrox has been the most loved language for years. Teams that write Ferrox code rarely go back. "
        "Some services were rewritten in Ferrox last year, and the Ferrox compiler keeps improving."
    )
    typed = resolve_types(text, tagged(text, ("Ferrox", "ORG", 0), ("Ferrox", "ORG", 2)))
    assert {m["label"] for m in typed} == {"PRODUCT"}
    record = json.loads(typed[0]["type_evidence"])
    assert any(row[0] == "technology" for row in record["evidence"])
    assert all(confident(m, lower_words(text)) for m in typed)


def test_a_company_that_says_and_hires_is_no_software() -> None:
    text = "Northwind hired forty engineers. Northwind said the plant in Oslo would open in May."
    spans = [(m.start(), m.end()) for m in re.finditer("Northwind", text)]
    assert technology_contexts(text, spans) == 0
    typed = resolve_types(text, tagged(text, ("Northwind", "ORG", 0), ("Northwind", "ORG", 1)))
    assert {m["label"] for m in typed} == {"ORG"}


def test_a_person_needs_a_person_clue_when_spacy_alone_says_person() -> None:
    text = (
        "It takes four hours to sail to Calvera. Calvera was mined for a century. "
        "Volunteers from the Calvera Recovery Programme counted the lizards."
    )
    typed = resolve_types(
        text,
        tagged(text, ("Calvera", "PERSON", 1), ("Calvera", "PERSON", 2), ("Calvera Recovery Programme", "PERSON", 0)),
    )
    words = lower_words(text)
    parts = name_parts(typed, words)
    assert not any(confident(m, words, parts) for m in typed if m["label"] == "PERSON")
    said = "The island is recovering, says Brannigan. Brannigan has counted lizards there since 2010."
    typed = resolve_types(said, tagged(said, ("Brannigan", "PERSON", 0), ("Brannigan", "PERSON", 1)))
    assert speech_verb(said, typed[0]["start"], typed[0]["end"]) == "says"
    assert all(confident(m, lower_words(said)) for m in typed)


def test_a_first_name_alone_does_not_outweigh_a_place() -> None:
    raw = evidence(
        "Lam Hoa Bay",
        "PERSON",
        {"PERSON": 6.5, "GPE": 2.5},
        [
            ("first_name", "PERSON", 3.25),
            ("gazetteer_place", "GPE", 2.5),
            ("spacy", "PERSON", 0.75),
            ("spacy", "ORG", 1.1),
        ],
    )
    m = {"text": "Lam Hoa Bay", "label": "PERSON", "start": 0, "end": 11, "type_evidence": raw}
    assert not confident(m, frozenset())
    town = evidence(
        "Bryce Hamilton",
        "PERSON",
        {"PERSON": 6.25, "GPE": 2.5},
        [("first_name", "PERSON", 3.25), ("gazetteer_place", "GPE", 2.5), ("spacy", "PERSON", 3.0)],
    )
    assert confident({"text": "Bryce Hamilton", "label": "PERSON", "type_evidence": town}, frozenset())
    honorific = evidence(
        "Anya Brell", "PERSON", {"PERSON": 7.25}, [("first_name", "PERSON", 3.25), ("honorific", "PERSON", 4.0)]
    )
    assert confident({"text": "Anya Brell", "label": "PERSON", "type_evidence": honorific}, frozenset())


def test_an_acronym_of_common_words_is_a_term_and_its_first_word_no_first_name() -> None:
    text = (
        "Recent advances in Deep Learning (DL) changed the field. DL models are hard to reuse, "
        "and deep models need learning rates tuned by hand. We release DL tools."
    )
    typed = resolve_types(text, tagged(text, ("Deep Learning", "PERSON", 0), ("DL", "PERSON", 0), ("DL", "ORG", 1)))
    record = json.loads(typed[0]["type_evidence"])
    assert not any(row[0] == "first_name" for row in record["evidence"])
    words = lower_words(text)
    assert not any(confident(m, words, name_parts(typed, words)) for m in typed if m["text"] == "DL")


def test_an_acronym_is_not_confident_because_a_longer_name_starts_with_it() -> None:
    raw = evidence("CF", "ORG", {"ORG": 4.0}, [("spacy", "ORG", 3.0), ("acronym", "ORG", 1.0)])
    cf = {"text": "CF", "label": "ORG", "start": 0, "end": 2, "type_evidence": raw}
    assert not confident(cf, frozenset(), {"CF": {"ORG"}})


def test_a_list_merged_into_one_span_is_no_entity() -> None:
    assert merged_list("Zotac, Asus", set())
    assert merged_list("Windows and Mac", {"Mac", "Windows and Mac"})
    assert not merged_list("Procter and Gamble", {"Procter and Gamble"})
    assert not merged_list("Acme Tools, Inc", set())
    text = "The cards come from Zotac, Asus and Gigabyte. Gigabyte makes boards."
    ms = tagged(text, ("Zotac, Asus", "ORG", 0), ("Gigabyte", "ORG", 0), ("Gigabyte", "ORG", 1))
    typed = resolve_types(text, ms)
    sentences = [{"start": m.start(), "end": m.end()} for m in re.finditer(r"[^.]+\.", text)]
    chunks = [{"doc_id": "d", "chunk_id": 0, "start": 0, "end": len(text), "text": text, "sentences": sentences}]
    ctx = build_context({"doc_id": "d", "text": text}, chunks, typed, [], 1)
    assert not any("Zotac" in window_record(ctx, w)["text"] for w in windows(ctx, 1))


def test_a_figure_reference_is_neither_taught_nor_missed() -> None:
    text = "The inhibitor curve rises as shown in Fig. 5 of the paper."
    assert reference_word(text, text.index("Fig"), text.index("Fig") + 3)
    assert not reference_word("Fig trees grow here.", 0, 3)
    assert untagged_names(text, 0, len(text), [], lower_words(text)) == []


def test_a_reference_entry_with_its_address_is_no_ner_window() -> None:
    text = "Games played by Anya Brell in 2001 (https://www.example.org/players/6784). Anya Brell scored twice in May."
    raw = evidence("Anya Brell", "PERSON", {"PERSON": 6.25}, [("first_name", "PERSON", 3.25)])
    ms = tagged(text, ("Anya Brell", "PERSON", 0), ("Anya Brell", "PERSON", 1))
    for m in ms:
        m["type_evidence"] = raw
    sentences = [{"start": 0, "end": text.index(". ") + 1}, {"start": text.index(". ") + 2, "end": len(text)}]
    chunks = [{"doc_id": "d", "chunk_id": 0, "start": 0, "end": len(text), "text": text, "sentences": sentences}]
    ctx = build_context({"doc_id": "d", "text": text}, chunks, ms, [], 1)
    got = [window_record(ctx, w)["text"] for w in windows(ctx, 1)]
    assert got == ["Anya Brell scored twice in May."]


def test_authors_written_surname_first_with_initials_are_people() -> None:
    text = "Tarno K-L, Belvik SN, Oruma P. Rashes after a new drug. Belvik SN et al. Another study."
    ms = tagged(text, ("Tarno K-L", "ORG", 0), ("Belvik SN", "ORG", 0), ("Belvik SN", "ORG", 1))
    typed = resolve_types(text, ms)
    assert {m["label"] for m in typed} == {"PERSON"}
    assert not author_initials("Windows XP is old.", 0, 10)


def test_a_name_with_a_surname_particle_is_a_person_without_a_known_first_name() -> None:
    text = "The firm was founded in 2015 by Joost van Rijkel, who still runs it."
    typed = resolve_types(text, tagged(text, ("Joost van Rijkel", "PERSON", 0)))
    assert typed[0]["label"] == "PERSON" and confident(typed[0], lower_words(text))
    assert not particle_name("Bank of America")


def test_calendar_names_are_days_and_holidays_not_people() -> None:
    for day in ["Easter Saturday", "Easter Monday", "Good Friday", "Christmas Day", "Christmas Eve", "Anzac Day"]:
        assert calendar_name(day), day
    assert calendar_name("Mother's Day") and calendar_name("Easter") and calendar_name("Monday April")
    for name in ["Jason Day", "April Jones", "May", "April May", "Christmas Island", "Easter Island", "Paul Dundon"]:
        assert not calendar_name(name), name
