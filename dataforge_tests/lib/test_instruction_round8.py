"""Instruction defects of the round-8 audit, each on a fixture of its own sentences."""

from __future__ import annotations

from dataforge.lib.generate import corpus_tasks, relation_tasks
from dataforge.lib.generate.choice_tasks import _written, in_tense
from dataforge.lib.generate.common import clean_start
from dataforge.lib.generate.corpus_tasks import _gap
from dataforge.lib.generate.entity_tasks import distinct
from dataforge.lib.generate.instruction import without_attribution
from dataforge.lib.generate.relation_windows import Triple, Window
from dataforge.lib.generate.standalone import dependent, is_event, object_pronoun, standalone, unquoted
from dataforge_tests.lib.test_entity_windows import _context
from dataforge_tests.lib.test_generate import CONFIG


def test_a_wrapped_date_is_no_heading_line() -> None:
    text = "Kestrel closed a seed round in May 2019. In June\n2021 Orla Finch, a Cork investor, led a round."
    start = text.index("In June")
    assert text[clean_start(text, start, len(text)) :].startswith("In June")
    heading = "Kestrel closed a seed round. Growth Years\nOrla Finch led a round in 2021."
    assert heading[clean_start(heading, heading.index("Growth"), len(heading)) :].startswith("Orla Finch")


def test_timeline_events_name_what_they_are_about() -> None:
    minutes = "Meeting held on 9 March 2022 at 10:00 at the office in Cork."
    d = minutes.index("9 March")
    assert not is_event(minutes, minutes, 0, d, d + len("9 March 2022"))  # how a meeting ran
    board = "In 2016 Pia Lund, a Danish engineer who had run a ferry line, joined the board."
    assert dependent(board) and not standalone(board)  # the board of what
    assert standalone('"We are pleased," said Pia Lund, chief executive of the company.')


def _timeline_rows(texts: dict[str, str], dated: list[tuple[str, str, str]]) -> list[dict]:
    events = []
    for doc, date_text, iso in dated:
        text = texts[doc]
        d = text.index(date_text)
        s = text.rfind(". ", 0, d) + 2 if ". " in text[:d] else 0
        e = text.index(".", d) + 1
        events.append(
            dict(doc_id=doc, date=iso, date_text=date_text, start=s, end=e, date_start=d, date_end=d + len(date_text))
        )
    entities = [dict(label="ORG", canonical_name=n, aliases=[]) for n in ("Kestrel Tidal", "Orla Finch")]
    documents = {k: {"text": v} for k, v in texts.items()}
    return [
        r
        for r in corpus_tasks.timeline(documents, events, CONFIG, entities)
        if r["metadata"]["task"] == "timeline_first"
    ]


def test_a_timeline_pair_asks_the_gap_and_carries_no_document_id() -> None:
    texts = {
        "memo-1a2b3c4d5e": "Kestrel Tidal was founded in Cork on 3 March 2019 by Orla Finch.",
        "news-9f8e7d6c5b": "Kestrel Tidal opened a yard in Cobh on 20 March 2019.",
    }
    rows = _timeline_rows(
        texts, [("memo-1a2b3c4d5e", "3 March 2019", "2019-03-03"), ("news-9f8e7d6c5b", "20 March 2019", "2019-03-20")]
    )
    assert rows
    for r in rows:
        assert "memo-1a2b3c4d5e" not in r["input"] and "[" not in r["input"]
        assert "17 days later, on 20 March 2019." in r["output"]
        assert "how" in r["instruction"].lower()
    assert _gap((1993, 0, 0), (1994, 0, 0)) == "the following year"
    assert _gap((2020, 4, 0), (2020, 10, 0)) == "about 6 months later"
    assert _gap((2010, 4, 2), (2020, 10, 3)) == "about 10 years later"


def test_a_timeline_pair_whose_gap_cannot_be_stated_does_not_ask_for_it() -> None:
    """ "2019" to "19 January 2024" is four to five years: "how long before?" answered "later" was a
    wrong example, so the instruction asks only which came first."""
    texts = {
        "memo-1a2b3c4d5e": "Kestrel Tidal was founded in Cork in 2019 by Orla Finch.",
        "news-9f8e7d6c5b": "Kestrel Tidal opened a yard in Cobh on 19 January 2024.",
    }
    rows = _timeline_rows(
        texts, [("memo-1a2b3c4d5e", "2019", "2019"), ("news-9f8e7d6c5b", "19 January 2024", "2024-01-19")]
    )
    assert rows
    for r in rows:
        asked = r["instruction"].lower()
        assert "how long" not in asked and "how much" not in asked, r["instruction"]
        assert "first" in asked or "earlier" in asked
        assert "happened first, in 2019" in r["output"] and "on 19 January 2024." in r["output"]


def _window_ctx(text: str, a: str, b: str) -> tuple:
    ctx = _context(text, [])
    head = {"text": a, "start": text.index(a), "end": text.index(a) + len(a), "label": "PERSON", "article": False}
    tail = {"text": b, "start": text.index(b), "end": text.index(b) + len(b), "label": "ORG", "article": False}
    return ctx, Window(0, len(text), (Triple(head, "ceo_of", tail, "chief executive"),))


def test_explain_relation_explains_from_a_standalone_sentence() -> None:
    text = "Pia Lund, chief executive of Kestrel Tidal, opened the new yard in Cobh."
    ctx, w = _window_ctx(text, "Pia Lund", "Kestrel Tidal")
    row = relation_tasks._explain(ctx, w, text, [])
    assert row is not None
    assert row["output"] == (
        "Pia Lund is the chief executive of Kestrel Tidal. The text says so in the words "
        '"Pia Lund, chief executive of Kestrel Tidal".'
    )
    assert text not in row["output"]  # no paste of the input
    for bad in (
        'Pia Lund, chief executive of Kestrel Tidal, has called her "the best engineer we have."',  # whom
        'Pia Lund, chief executive of Kestrel Tidal, said: "The yard gives us room to grow.',  # half a quote
        "He is easy to work with, said Pia Lund, chief executive of Kestrel Tidal.",  # who is he
    ):
        ctx, w = _window_ctx(bad, "Pia Lund", "Kestrel Tidal")
        assert relation_tasks._explain(ctx, w, bad, []) is None, bad
    assert object_pronoun('Pia Lund has called her "the best".') and not object_pronoun('"Call her," Lund said.')


def test_entity_lists_hold_one_item_per_entity() -> None:
    assert distinct(["Euro Cup", "Pia Lund", "Euro Cups", "Lund"]) == ["Euro Cup", "Pia Lund"]
    assert distinct(["Cobh", "Cork"]) == ["Cobh", "Cork"]


def test_a_role_question_keeps_the_tense_of_its_evidence() -> None:
    q = "Who is an assistant coach to Mark Hale?"
    assert in_tense(q, "coach", "Tom Reid was also assistant coach to Mark Hale at Derby.") == (
        "Who was an assistant coach to Mark Hale?"
    )
    assert in_tense(q, "coach", "Tom Reid, the assistant coach to Mark Hale, spoke.") == q


def test_a_quoted_phrase_is_no_distractor() -> None:
    text = 'Hale said: "Thanks Ruud, you did it." Tom Reid watched.'
    doc = (text, unquoted(text))
    assert not _written("Thanks Ruud", "PERSON", doc)  # only inside the quotation
    assert _written("Tom Reid", "PERSON", doc)
    assert _written("Ruud Smit", "PERSON", doc)  # a known first name


def test_a_wire_headline_loses_its_source_tag() -> None:
    assert without_attribution("Three hurt in harbour fire-radio") == "Three hurt in harbour fire"
    assert without_attribution("Port strike ends - paper") == "Port strike ends"
    assert without_attribution("Peace in Our Time - Remembered") == "Peace in Our Time - Remembered"


def test_a_posting_line_run_into_a_sentence_is_no_event() -> None:
    fused = "Kestrel chief named to lead agency Posted March 3, 2011 The board chose Pia Lund in 2011."
    assert not standalone(fused)
    assert standalone("The report was published on 3 March 2011 by the Cork harbour agency.")


def test_an_explained_founder_comes_with_the_other_founders() -> None:
    text = "Kestrel Tidal was founded in 2016 by Pia Lund and Tom Reid."
    ctx, _ = _window_ctx(text, "Pia Lund", "Kestrel Tidal")

    def arg(name: str, label: str) -> dict:
        return {"text": name, "start": text.index(name), "end": text.index(name) + len(name), "label": label}

    org = arg("Kestrel Tidal", "ORG")
    triples = tuple(Triple(org, "founded_by", arg(n, "PERSON"), "found") for n in ("Pia Lund", "Tom Reid"))
    row = relation_tasks._explain(ctx, Window(0, len(text), triples), text, [])
    assert row is not None and ", together with " in row["output"]
    assert "Pia Lund" in row["output"] and "Tom Reid" in row["output"]
