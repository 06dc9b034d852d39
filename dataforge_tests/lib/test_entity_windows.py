"""Entity examples teach only confident types over text with no name left untagged."""

from __future__ import annotations

import json
import re

from dataforge.lib.entity_types import resolve_types
from dataforge.lib.generate import entity_tasks
from dataforge.lib.generate.common import build_context
from dataforge.lib.generate.entity_windows import window_record, windows
from dataforge.lib.mention_confidence import clean_bounds, confident, name_parts, untagged_names

LOWER = frozenset("the company said a wind farm in built".split())


def evidence(name: str, label: str, votes: dict[str, float], rows: list[tuple[str, str, float]]) -> str:
    return json.dumps(
        {"name": name, "label": label, "votes": votes, "evidence": [[k, lab, w, "", 1] for k, lab, w in rows]}
    )


def mention(text: str, start: int, label: str, raw: str | None, mid: int) -> dict:
    return {
        "doc_id": "d",
        "mention_id": f"d:m{mid:05d}",
        "start": start,
        "end": start + len(text),
        "text": text,
        "label": label,
        "type_evidence": raw,
    }


def test_one_word_names_need_evidence_beyond_spacy():
    lone = mention("Ostrea", 0, "PERSON", evidence("Ostrea", "PERSON", {"PERSON": 0.6}, [("spacy", "PERSON", 0.6)]), 0)
    assert not confident(lone, LOWER)
    person = evidence("Helena Marsh", "PERSON", {"PERSON": 6.25, "ORG": 3.0}, [("first_name", "PERSON", 3.25)])
    assert confident(mention("Helena Marsh", 0, "PERSON", person, 1), LOWER)
    split = evidence("Oslo", "ORG", {"ORG": 3.0, "GPE": 2.5}, [("gazetteer_place", "GPE", 2.5)])
    assert not confident(mention("Oslo", 0, "ORG", split, 2), LOWER)  # no clear margin, no ORG clue
    assert not confident(mention("MW", 0, "ORG", None, 3), LOWER)  # a unit is no name
    assert not confident(mention("Scroll", 0, "ORG", None, 4), LOWER | {"scroll"})  # a common word
    junk = evidence("Independent Non-Executive", "ORG", {"ORG": 3.0}, [("spacy", "ORG", 3.0)])
    common = LOWER | {"independent", "non", "executive"}
    assert not confident(mention("Independent Non-Executive", 0, "ORG", junk, 5), common)


def test_a_one_word_name_takes_the_label_of_the_longer_names_it_starts():
    org = evidence("Halden Marine Power", "ORG", {"ORG": 8.0}, [("org_word", "ORG", 5.0)])
    halden = evidence("Halden", "GPE", {"GPE": 5.5}, [("gazetteer_place", "GPE", 2.5)])
    nw = evidence("Northwind", "ORG", {"ORG": 3.0}, [("spacy", "ORG", 3.0)])
    tidal = evidence("Northwind Tidal", "ORG", {"ORG": 8.0}, [("org_word", "ORG", 5.0)])
    mentions = [
        mention("Halden Marine Power", 0, "ORG", org, 0),
        mention("Halden", 30, "GPE", halden, 1),
        mention("Northwind Tidal", 40, "ORG", tidal, 2),
        mention("Northwind", 60, "ORG", nw, 3),
    ]
    parts = name_parts(mentions, LOWER)
    assert not confident(mentions[1], LOWER, parts)  # the company, not the town
    assert confident(mentions[3], LOWER, parts)
    assert not confident(mentions[3], LOWER)  # alone, spaCy's one-word ORG is not enough


def test_untagged_capitalised_words_are_found_but_sentence_openers_are_not():
    text = "The deal was signed by Marsh in March. Despite that, Northwind built 12 MW in Zeeland."
    marsh = (text.index("Marsh"), text.index("Marsh") + 5)
    found = untagged_names(text, 0, len(text), [marsh], LOWER)
    assert found == ["Northwind", "Zeeland"]
    assert untagged_names(text, 0, text.index(" Despite"), [marsh], LOWER) == []


def test_spans_lose_a_leading_article_and_a_possessive():
    text = "the North Sea Energy Institute's programme"
    s, e = clean_bounds(text, 0, text.index(" programme"))
    assert text[s:e] == "North Sea Energy Institute"


def _context(text: str, mentions: list[dict]):
    sentences = [{"start": m.start(), "end": m.end()} for m in re.finditer(r"[^.]+\.", text)]
    chunks = [{"doc_id": "d", "chunk_id": 0, "start": 0, "end": len(text), "text": text, "sentences": sentences}]
    return build_context({"doc_id": "d", "text": text}, chunks, mentions, [], 1)


def _doc():
    text = (
        "Helena Marsh founded Northwind Tidal in Oslo in 2015. Ostrea delivered power to\nthe grid. "
        "Marsh said that Helena Marsh and Ingrid Solheim would lead Northwind Tidal from Oslo."
    )
    hm = evidence("Helena Marsh", "PERSON", {"PERSON": 9.0}, [("first_name", "PERSON", 3.25)])
    nt = evidence("Northwind Tidal", "ORG", {"ORG": 8.0}, [("org_word", "ORG", 5.0)])
    oslo = evidence("Oslo", "GPE", {"GPE": 6.5}, [("gazetteer_place", "GPE", 2.5)])
    ostrea = evidence("Ostrea", "PERSON", {"PERSON": 0.6}, [("spacy", "PERSON", 0.6)])
    solheim = evidence("Ingrid Solheim", "PERSON", {"PERSON": 6.25}, [("first_name", "PERSON", 3.25)])
    found = []
    for name, label, raw in [
        ("Helena Marsh", "PERSON", hm),
        ("Marsh", "PERSON", hm),
        ("Northwind Tidal", "ORG", nt),
        ("Oslo", "GPE", oslo),
        ("Ostrea", "PERSON", ostrea),
        ("Ingrid Solheim", "PERSON", solheim),
        ("2015", "DATE", None),
    ]:
        for m in re.finditer(rf"\b{name}\b", text):
            if not any(f["start"] <= m.start() < f["end"] for f in found):
                found.append(mention(name, m.start(), label, raw, len(found)))
    return text, sorted(found, key=lambda m: m["start"])


def test_ner_windows_ship_only_sentences_whose_every_entity_is_confident():
    text, mentions = _doc()
    ctx = _context(text, mentions)
    got = [window_record(ctx, w) for w in windows(ctx, 1)]
    texts = [r["text"] for r in got]
    assert not any("Ostrea" in t for t in texts)  # a one-word PERSON from spaCy alone
    first = got[0]
    assert [(e["text"], e["label"]) for e in first["entities"]] == [
        ("Helena Marsh", "PERSON"),
        ("Northwind Tidal", "ORG"),
        ("Oslo", "GPE"),
    ]  # no DATE: names only
    for record in got:
        assert "\n" not in record["text"]
        for e in record["entities"]:
            assert record["text"][e["start"] : e["end"]] == e["text"]


def test_a_sentence_with_an_untagged_name_is_not_shipped():
    text, mentions = _doc()
    without_solheim = [m for m in mentions if m["text"] != "Ingrid Solheim"]
    ctx = _context(text, without_solheim)
    assert not any("Solheim" in window_record(ctx, w)["text"] for w in windows(ctx, 1))


def test_entity_lists_are_complete_and_say_what_they_list():
    text, mentions = _doc()
    ctx = _context(text, mentions)
    tasks = entity_tasks.generate(ctx)
    by_task = {t["metadata"]["task"]: t for t in tasks}
    assert {"extract_entities", "classify_entities", "list_entities_of_type"} <= set(by_task)
    assert "Ostrea" not in " ".join(t["output"] for t in tasks)
    assert re.search(r"dates|proper name", by_task["extract_entities"]["instruction"])
    people = [
        t for t in tasks if t["metadata"]["task"] == "list_entities_of_type" and t["metadata"]["entity"] == "PERSON"
    ]
    for t in people:
        assert "- Marsh" not in t["output"].split("\n")  # "Marsh" is Helena Marsh, listed once


def test_a_nationality_is_norp_even_when_spacy_says_gpe():
    text = "The Dutch company opened an office."
    typed = resolve_types(text, [mention("Dutch", 4, "GPE", None, 0)])
    assert typed[0]["label"] == "NORP"


def test_in_a_match_report_a_city_may_be_its_club():
    from dataforge.lib.mention_confidence import club_risk, sports_document

    report = "SOCCER - LEAGUE RESULTS . Newcastle beat Arsenal 3-1 in the league cup . The club's coach was pleased."
    assert sports_document(report)
    assert not sports_document("The board approved the final investment decision for the wind farm in 2022.")
    newcastle = mention("Newcastle", report.index("Newcastle"), "GPE", None, 0)
    assert club_risk(report, newcastle)
    placed = "He was a hero in Turin ."
    assert not club_risk(placed, mention("Turin", placed.index("Turin"), "GPE", None, 1))
    assert not club_risk(report, mention("Brazil", 0, "GPE", None, 2))  # a country is its national team


def test_spacy_alone_is_not_enough_for_a_place_inside_a_name_or_a_headline_span():
    united = evidence("Manchester United", "PERSON", {"PERSON": 3.0}, [("spacy", "PERSON", 3.0)])
    assert not confident(mention("Manchester United", 0, "PERSON", united, 0), LOWER)
    gilts = evidence("BRITAIN - Gilts", "GPE", {"GPE": 3.0}, [("spacy", "GPE", 3.0)])
    assert not confident(mention("BRITAIN - Gilts", 0, "GPE", gilts, 1), LOWER)
    classic = evidence("BellSouth Classic", "PRODUCT", {"PRODUCT": 3.0}, [("spacy", "PRODUCT", 3.0)])
    assert not confident(mention("BellSouth Classic", 0, "PRODUCT", classic, 2), LOWER)


def test_entity_list_instructions_read_as_a_person_would_write_them():
    """Every wording of the typed entity list, for every label, says each word once ("Extract
    every person name named in the text" was shipped)."""
    import re

    from dataforge.lib.generate.instruction import LABEL_PLURAL, PHRASINGS

    for what, one in LABEL_PLURAL.values():
        for wording in PHRASINGS["list_entities_of_type"]:
            text = wording.format(what=what, what_short=one).lower()
            words = re.findall(r"[a-z]+", text)
            stems = [w[:4] for w in words if len(w) > 3]
            assert len(stems) == len(set(stems)), text
