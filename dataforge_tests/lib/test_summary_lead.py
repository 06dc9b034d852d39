"""Document summaries for every document with a prose lead, captions split off at the sentence
splitter, the lead always first. TF-IDF, inline fixtures written for these tests."""

from __future__ import annotations

import numpy as np

from dataforge.lib.chunk import chunk_document, split_sentences
from dataforge.lib.clean import is_boilerplate_line
from dataforge.lib.config import DataforgeConfig, GenerateConfig
from dataforge.lib.generate import summary
from dataforge.lib.generate.common import build_context
from dataforge.lib.generate.lead import lead_passage
from dataforge.lib.generate.standalone import clean_sentence

CONFIG = DataforgeConfig(generate=GenerateConfig(summary_method="tfidf"))


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def _document_summary(text: str) -> list[dict]:
    ctx = build_context({"doc_id": "d", "text": text}, chunk_document("d", text, CONFIG.chunk), [], [], 13)
    return [ex for ex in summary.generate(ctx, CONFIG, None) if ex["metadata"]["scope"] == "document"]


def test_a_caption_without_its_full_stop_is_its_own_sentence() -> None:
    assert _sentences(
        "Rovers will name Ada Quist as the club's new head coach on Friday ‘I am thrilled to be here,’ said Quist."
    ) == [
        "Rovers will name Ada Quist as the club's new head coach on Friday",
        "‘I am thrilled to be here,’ said Quist.",
    ]
    assert _sentences("Tomas Brenn (left) says the squad must treat every game as a 'final' The 29-year-old scored.")[
        1
    ] == ("The 29-year-old scored.")
    assert _sentences("Storm Cloud clears the last fence on the way to winning at Kelso The trainer was delighted.")[
        1
    ] == ("The trainer was delighted.")
    assert _sentences("The town was quiet. Scroll down for video Kites: A dragon kite flew over the river.")[1:] == [
        "Scroll down for video",
        "Kites: A dragon kite flew over the river.",
    ]
    assert is_boilerplate_line("Scroll down for video")


def test_titles_and_quoted_names_inside_a_sentence_are_not_caption_ends() -> None:
    for text in (
        "She was named by The Herald as the best young player of the season.",
        "He told 'Morning Report' that the injury had healed well over the winter.",
        "The new fund is called ‘Blue Harbour’ and it grew quickly in its first year.",
        "Fans described the defeat at home as 'A disgrace' in letters to the local paper.",
        'The clip includes the line "I am on the radio and you sit in a booth."',
    ):
        assert _sentences(text) == [text]


def test_asterisks_inside_a_word_are_kept_and_markup_is_removed() -> None:
    assert (
        clean_sentence("A **bold** claim: 'you f**king idiot', he said.")
        == "A bold claim: 'you f**king idiot', he said."
    )


OPINION = (
    "Talk show host Marta Lind found herself in the headlines this week after a video showed her insulting "
    "a parking attendant in Dunmore. "
    'The clip, filmed by the attendant, includes the line "I am on the radio and you sit in a booth." '
    "Lind apologised on Tuesday and her station suspended her for a week. "
    "I think we all have bad days. We should forgive her. You would want the same. "
    "Our culture loves a fall from grace. We share the clip and we laugh. I am no better. "
    "We are all quick to judge. You know it. I know it. We have all done it. "
    "Maybe we should ask what the video left out. I would like to know."
)


def test_a_first_person_column_gets_its_lead_passage_in_order() -> None:
    (doc,) = _document_summary(OPINION)
    assert doc["summary"].startswith("Talk show host Marta Lind found herself in the headlines")
    assert "Lind apologised on Tuesday" in doc["summary"]
    assert " I " not in doc["summary"].replace('"I am on the radio and you sit in a booth."', "")
    spans = [(x["start"], x["end"]) for x in doc["source_spans"]]
    sents = split_sentences(OPINION)
    first = sents.index(spans[0])
    assert spans == sents[first : first + len(spans)]  # contiguous: every sentence follows its predecessor


def test_no_lead_passage_for_a_list_or_a_memo_about_itself() -> None:
    texts = [
        "This memo lists the key dates in the history of the company for new board members.",
        "2011 - Halvard Marine is founded in Bergen by two engineers.",
        "2015 - Halvard Marine opens its first tidal test site near Stavanger.",
        "2019 - Halvard Marine is acquired by a Dutch developer of offshore wind farms.",
    ]
    starts = [sum(len(t) + 1 for t in texts[:i]) for i in range(len(texts))]
    assert lead_passage(texts, starts, "\n".join(texts), 80) == []


def test_the_lead_opens_the_document_summary() -> None:
    texts = [
        "Harbour City council approved a new ferry line between the old port and the airport on Monday.",
        "The ferry line will run every twenty minutes and the ferry tickets will cost two euros a ferry ride.",
        "Ferry operators said the ferry line and the new ferry boats were a good plan for the ferry service.",
        "A ferry boat builder from Turku will deliver four electric ferry boats for the ferry line.",
        "The council will review the ferry line after one year of ferry service.",
    ]
    assert summary.select_document(texts, 3)[0] == 0


MINUTES = (
    "# Minutes of the Board Meeting\n\n"
    "The chairman, Mr. Holm, opened the meeting at 10:00 and confirmed that a quorum was present. "
    "The minutes of the meeting of 3 March were approved without amendment.\n\n"
    "## Report\n\n"
    "Ms. Vik reported that the new plant in Larvik produced 4,200 tonnes of steel in April. "
    "Mr. Aas asked whether the plant would need more staff before the summer holidays. "
    "The board approved a budget of EUR 2 million for a second furnace at the Larvik plant. "
    "Ms. Vik expects the second furnace to start work in the autumn of next year at the latest. "
    "There being no further business, the chairman closed the meeting at 12:00."
)


def test_minutes_are_summarized_by_what_was_reported_and_decided_not_by_procedure() -> None:
    (doc,) = _document_summary(MINUTES)
    assert "quorum" not in doc["summary"] and "closed the meeting" not in doc["summary"]
    assert "asked whether" not in doc["summary"]
    assert "4,200 tonnes" in doc["summary"] and "EUR 2 million" in doc["summary"]


def test_a_letter_salutation_is_not_a_summary_sentence() -> None:
    from dataforge.lib.generate.standalone import standalone

    assert not standalone("Dear shareholders, 2023 was the year in which the company became an operator.")
    assert standalone("Northwind wrote to the shareholders in March about the results of the year.")


def _distinct_sentence(subject: str, words: int, tag: str) -> str:
    """A sentence of exactly ``words`` words whose filler words no other sentence shares."""
    filler = "harbour ferry council budget report station river bridge school market garden tower".split()
    out = f"{subject} said on Monday that the".split()
    while len(out) < words - 1:
        out.append(f"{filler[len(out) % len(filler)]}{tag}{len(out)}")
    return " ".join([*out, "today."])


def test_the_kth_sentence_is_added_unless_it_overshoots_the_budget_by_far() -> None:
    # k = 3, budget 81 words: 30 + 34 words fall 17 short, a third of 34 overshoots by 17: three sentences
    texts = [
        _distinct_sentence("The mayor of Harwick", 30, "a"),
        _distinct_sentence("A council spokesman", 34, "b"),
        _distinct_sentence("The ferry operator", 34, "c"),
    ] + [_distinct_sentence(f"Resident {name}", 25, name.lower()) for name in ("Dana", "Emil", "Fay", "Gus", "Hal")]
    ok = np.ones(len(texts), dtype=bool)
    assert summary.select_document(texts, 3, None, ok) == [0, 1, 2]
    texts[2] = _distinct_sentence("The ferry operator", 70, "c")  # 53 words past the budget: two sentences
    assert summary.select_document(texts, 3, None, ok) == [0, 1]


def test_a_summary_of_k_sentences_never_takes_a_fourth_even_when_the_three_are_short() -> None:
    # k = 3, budget 81 words: three 15-word sentences leave 36 words short, yet the summary stops at three
    texts = [
        _distinct_sentence(f"Witness {name}", 15, name.lower()) for name in ("Ana", "Ben", "Cy", "Dee", "Eve", "Flo")
    ]
    ok = np.ones(len(texts), dtype=bool)
    assert len(summary.select_document(texts, 3, None, ok)) == 3
    assert len(summary.select_document(texts, 2, None, ok)) == 2
