"""Sentences that read right on their own, and the tasks built on them: summaries of sections
long enough to need one, timelines of real dated events, entity profiles, titles. Inline fixtures."""

from __future__ import annotations

from dataforge.lib.chunk import chunk_document
from dataforge.lib.config import DataforgeConfig, GenerateConfig
from dataforge.lib.generate import corpus_tasks, summary
from dataforge.lib.generate.common import build_context
from dataforge.lib.generate.instruction import without_title
from dataforge.lib.generate.standalone import dependent, is_event, on_date, standalone

CONFIG = DataforgeConfig(generate=GenerateConfig(summary_method="tfidf"))


def test_a_sentence_out_of_context_is_not_standalone() -> None:
    memo = "Key dates\n3 September 2019 - NREC partners with the North Sea Energy Institute in Aberdeen.\n"
    start = memo.index("NREC")
    bad = [
        "It manages about $6.8 billion for pension funds across northern Europe today.",
        "The answer, according to people close to the deal, is predictability.",
        "The remaining turbine is waiting for a replacement main bearing from the supplier.",
        "Since then it has built the 12 MW Maasvlakte demonstrator near the port.",
        "Revenue rose by 38.0 percent, driven by higher availability at our existing wind farms.",
        "This excerpt contains the letter from the chief executive and the financial highlights.",
        "Figures refer to the 2023 financial year unless stated otherwise in the text.",
        "- Okafor, A. (2022). Wake recovery in staggered tidal arrays.",
        "Fourth quarter of 2024 (expected) - Final investment decision on Raftsundet.",
        'With this round, the company is fully funded for its share of the wind farm."',
        "Growth Capital (2020-2021) Grietje Bos joined as chief financial officer in April 2020.",
        "The man was taken to hospital after the crash The driver of the lorry was not hurt.",
        "Leicestershire 296 83 Somerset 83 39 Essex 410 4 Derbyshire 12 1 Surrey 7.",
    ]
    for text in bad:
        assert not standalone(text), text
    assert not standalone(memo[start:].strip(), memo, start)  # a timeline row, judged at its line start
    assert standalone("Northwind Renewable Energy Corporation was founded in Rotterdam on 12 May 2015.")
    assert standalone('"We are pleased," said Helena Marsh, chief executive of the company.')
    assert dependent("The other directors are Helena Marsh and Pieter van Dijk.")
    assert not dependent("Italy won the match in Rome on Sunday.")


def _event(sentence: str, date: str) -> bool:
    start = sentence.index(date)
    return is_event(sentence, sentence, 0, start, start + len(date))


def test_only_real_dated_events_go_on_a_timeline() -> None:
    assert _event("Okafor was born in Port Harcourt, Nigeria, in 1982 and moved to the United Kingdom.", "1982")
    assert _event("On 14 March 2023 NREC acquired Halden Marine Power AS for $46.5 million.", "14 March 2023")
    not_events = [
        ("The remaining turbine waits for a main bearing, which is expected on site in March 2024.", "March 2024"),
        ("The board intends to propose a first dividend in 2025, if Ostrea performs well.", "2025"),
        ("Okafor has led the Marine Energy Systems Group at the institute since 2016.", "2016"),
        ("The open wake model was developed from 2020 to 2022 by the research team.", "2020"),
        ("Availability across the operational turbines averaged 94.2 percent in January 2024.", "January 2024"),
        ("The acquisition was financed from the round that Halloran Blue led in June 2021.", "June 2021"),
        ("Grietje Bos noted that the purchase was financed by the round closed in June 2021.", "June 2021"),
        ("The minutes of the meeting were approved on Tuesday by the whole board.", "Tuesday"),
        ("Ms. Bos presented the unaudited results for 2023 to the board of directors.", "2023"),
        (
            "The committee reviewed the appointment in December 2023 and found it compatible with her role.",
            "December 2023",
        ),
        (
            "A History of Northwind Beginnings (2015-2016) Northwind was founded in Rotterdam on 12 May 2015.",
            "12 May 2015",
        ),
    ]
    for sentence, date in not_events:
        assert not _event(sentence, date), sentence
    assert (on_date("14 March 2023"), on_date("June 2021"), on_date("2019")) == (
        "on 14 March 2023",
        "in June 2021",
        "in 2019",
    )


def _events(texts: dict[str, str], dates: list[tuple[str, str, str]]) -> list[dict]:
    out = []
    for doc, date_text, iso in dates:
        text = texts[doc]
        d = text.index(date_text)
        s = text.rfind(". ", 0, d) + 2 if text.rfind(". ", 0, d) >= 0 else 0
        e = text.index(".", d) + 1
        out.append(
            dict(doc_id=doc, date=iso, date_text=date_text, start=s, end=e, date_start=d, date_end=d + len(date_text))
        )
    return out


def test_timeline_pairs_state_both_dates_and_skip_expectations() -> None:
    texts = {
        "a": "Halden Marine Power was founded in Bergen in 2011 by Ingrid Solheim. "
        "A replacement main bearing is expected on site in March 2024.",
        "b": "Northwind Renewable Energy Corporation was founded in Rotterdam on 12 May 2015 by Helena Marsh.",
    }
    documents = {k: {"text": v} for k, v in texts.items()}
    events = _events(texts, [("a", "2011", "2011"), ("a", "March 2024", "2024-03"), ("b", "12 May 2015", "2015-05-12")])
    entities = [dict(label="ORG", canonical_name=n, aliases=[]) for n in ("Halden Marine Power", "Northwind")]
    rows = corpus_tasks.timeline(documents, events, CONFIG, entities)
    firsts = [r for r in rows if r["metadata"]["task"] == "timeline_first"]
    assert firsts and all("expected" not in r["input"] for r in rows)
    for r in firsts:
        letter = "A" if r["input"].startswith("A: Halden") else "B"
        other = "B" if letter == "A" else "A"
        assert r["output"] == f"{letter} happened first, in 2011; {other} happened later, on 12 May 2015."
        assert "[" not in r["input"]  # no document id in the items: provenance is in the spans


def test_a_profile_is_a_paragraph_of_sentences_about_the_entity() -> None:
    texts = {
        "a": "Helena Marsh, a British naval architect, founded Northwind in Rotterdam in 2015. "
        'Helena Marsh has called her "the reason our arrays perform the way the spreadsheets say." '
        "Ms. Marsh joined the meeting.",
        "b": "Helena Marsh presented joint results at the North Sea Energy Conference in Aberdeen in 2023.",
    }
    documents = {k: {"text": v} for k, v in texts.items()}
    spans = [("a", 0, texts["a"].index("Helena Marsh has") - 1)]
    spans.append(("a", texts["a"].index("Helena Marsh has"), texts["a"].index("Ms.") - 1))
    spans.append(("a", texts["a"].index("Ms."), len(texts["a"])))
    spans.append(("b", 0, len(texts["b"])))
    entity = dict(cluster_id="c1", label="PERSON", canonical_name="Helena Marsh", aliases=["Marsh"], doc_count=2)
    (row,) = corpus_tasks.profiles(documents, [entity], {"c1": spans}, CONFIG)
    assert row["output"] == (
        "Helena Marsh, a British naval architect, founded Northwind in Rotterdam in 2015. "
        "Helena Marsh presented joint results at the North Sea Energy Conference in Aberdeen in 2023."
    )
    assert row["source_documents"] == ["a", "b"] and "mentioned in" not in row["output"]
    lonely = dict(entity, cluster_id="c2")
    assert corpus_tasks.profiles(documents, [lonely], {"c2": spans[2:3]}, CONFIG) == []


def test_a_title_task_does_not_show_the_title() -> None:
    body = "Northwind Renewable Energy Corporation builds offshore wind farms in the North Sea. " * 6
    text = "# Northwind Investor FAQ\n\n" + body
    assert without_title(text, "Northwind Investor FAQ") == body.strip()
    assert without_title("PRESS RELEASE\n\nNorthwind buys Halden\n\n" + body, "Northwind buys Halden").startswith(
        "PRESS RELEASE\n\nNorthwind"
    )
    assert without_title(text, "A sentence, not a title.") is None
    memo = "INTERNAL MEMO\n\nSubject: Key dates in the history of Northwind\n\n" + body
    assert "Key dates" not in (without_title(memo, "Key dates in the history of Northwind") or "")


def _summaries(text: str) -> list[dict]:
    ctx = build_context({"doc_id": "d", "text": text}, chunk_document("d", text, CONFIG.chunk), [], [], 13)
    return summary.generate(ctx, CONFIG, None)


def test_short_sections_get_no_summary_and_lists_are_never_summaries() -> None:
    text = (
        "# Northwind\n\nNorthwind builds offshore wind farms in the North Sea and sells the power to utilities. "
        "The company was founded in Rotterdam by two engineers who had worked on grid connections.\n\n"
        "## Attendance\n\nAnders Lindqvist chaired the meeting of the board in the head office. "
        "Ms. Solheim joined the meeting. Ms. Solheim left the meeting after this item.\n\n"
        "## Key dates\n\n- 2015: Northwind is founded in Rotterdam by two engineers.\n"
        "- 2017: The Maasvlakte demonstrator is commissioned near the port.\n"
        "- 2021: Halloran Blue Capital leads a Series C round in Northwind.\n"
    )
    rows = _summaries(text)
    assert all(r["metadata"]["scope"] == "document" for r in rows)  # every section is short
    for r in rows:
        assert "joined the meeting" not in r["summary"] and ": " not in r["summary"] and "- " not in r["summary"]


def test_a_surname_alone_waits_for_the_full_name() -> None:
    texts = [
        "Northwind is an offshore wind developer based in Rotterdam in the Netherlands.",
        "Marsh has been chief executive since the founding of the company in 2015.",
        "The company operates three wind farms in the Dutch and German North Sea.",
        "Helena Marsh studied naval architecture in Southampton before joining the industry.",
    ]
    needs = [frozenset(), frozenset({frozenset({"Helena Marsh"})}), frozenset(), frozenset()]  # one need: this name
    picked = summary.select_document(texts, 2, None, None, needs)
    assert 1 not in picked  # the full name comes only later


def test_news_headline_byline_and_dateline_stay_out_of_the_summary() -> None:
    text = (
        "SOCCER - MILAN 'S LENTINI MOVES TO ATALANTA . Adrian Warner MILAN 1996-08-30 Former Italian international "
        "winger Gianluigi Lentini , transferred to Milan in 1992 , has been loaned to serie A club Atalanta for a "
        "year , newspapers reported on Friday . The Gazzetta dello Sport said the deal would cost Atalanta around "
        "$ 600,000 in fees . The player suffered severe head injuries in a car crash the following year in Turin . "
        "Lentini , 27 , joined Milan from Torino in a $ 12 million deal that many have speculated about since ."
    )
    (row,) = _summaries(text)
    assert row["summary"].startswith("Former Italian international winger Gianluigi Lentini")
    assert "1996-08-30" not in row["summary"] and "Warner" not in row["summary"]
    assert "The player" not in row["summary"]  # an anaphoric phrase whose antecedent is left out


def test_a_profile_opens_with_the_full_name() -> None:
    texts = {
        "a": "Marsh, a British naval architect, met van Dijk while working on grid connections in 2014. "
        "Helena Marsh and Pieter van Dijk founded Northwind in Rotterdam on 12 May 2015."
    }
    cut = texts["a"].index("Helena")
    spans = [("a", 0, cut - 1), ("a", cut, len(texts["a"]))]
    entity = dict(cluster_id="c1", label="PERSON", canonical_name="Helena Marsh", aliases=["Marsh"], doc_count=1)
    (row,) = corpus_tasks.profiles({"a": {"text": texts["a"]}}, [entity], {"c1": spans}, CONFIG)
    assert row["output"].startswith("Helena Marsh and Pieter van Dijk founded Northwind")
    assert not standalone("The agreement was signed on 3 September 2019 in Aberdeen by both partners.")


def test_a_timeline_event_names_its_subject() -> None:
    names = corpus_tasks.entity_names([dict(label="ORG", canonical_name="NREC", aliases=["Northwind"])])
    assert corpus_tasks.named_subject("In December 2017 NREC raised $22 million in a Series A round.", names)
    assert not corpus_tasks.named_subject("Headcount reached 652 on 31 January 2024.", names)
    assert not corpus_tasks.named_subject("The final investment decision was taken on 8 November 2022.", names)


def test_a_there_for_a_place_named_in_another_sentence_needs_that_sentence() -> None:
    # webx audit, round 11: timeline item "... once again a British battalion was stationed there."
    assert dependent("With the war over in 1945, the Canadians left and a British battalion was stationed there.")
    assert dependent("The engineers had worked there for ten years before the plant closed.")
    assert not dependent("The engineers moved to Bergen in 1990 and worked there until the plant closed.")
    assert not dependent("Police said nobody was there when the fire started at the depot.")
    assert not dependent("Fans of the club came from here and there.")


def test_a_year_naming_a_thing_or_a_judgement_is_no_event_date() -> None:
    # aidaw0 / webz0 audits: "the 1988 bombing" in a sentence about banners, "its 1995 profits" in a
    # company profile and "the year 1838 was considered a good year" went on timelines as events
    assert not _event("Banners in Halden praised the old rebels and the 1988 strike at the harbour.", "1988")
    assert not _event("Kestrel Tidal reported that a third of its 1995 profits came from the ferries.", "1995")
    assert not _event("According to Lund, the year 1838 was considered a good year at the fort.", "1838")
    assert _event("In 1958 the harbour board was founded by ten towns along the fjord.", "1958")
