"""Summary sentences that read right: run-on captions, garbled prepositions and glued table rows left
out; an opening description, a noun subject and a connective before a name are no dependency; a summary
never copies most of its document. TF-IDF, inline fixtures written for these tests."""

from __future__ import annotations

from dataforge.lib.captions import run_on
from dataforge.lib.chunk import chunk_document
from dataforge.lib.config import DataforgeConfig, GenerateConfig
from dataforge.lib.generate import summary
from dataforge.lib.generate.common import build_context, results_list
from dataforge.lib.generate.standalone import connective_before_name, dependent, glued, standalone

CONFIG = DataforgeConfig(generate=GenerateConfig(summary_method="tfidf"))


def _document_summary(text: str) -> list[dict]:
    ctx = build_context({"doc_id": "d", "text": text}, chunk_document("d", text, CONFIG.chunk), [], [], 13)
    return [ex for ex in summary.generate(ctx, CONFIG, None) if ex["metadata"]["scope"] == "document"]


def test_a_caption_run_into_the_next_sentence_at_a_word_no_name_is_written_like() -> None:
    for text in (
        "The new beetle has a bright green shell unlike other beetles Formally described in 2019, it lives in moss.",
        "Fans cheered as the keeper was carried off against rivals Dunmore Missing their captain, the side lost.",
        "The officers watched as he realised he had been fooled Brannock agreed to come to the station quietly.",
    ):
        assert run_on(text) and glued(text) and not standalone(text)
    for text in (
        "Harbour City coach Lena Ortiz insisted the team had played well in the second half.",
        "The disgraced Brannock admitted the charges at the court in the morning.",
        "The boat was called Sea Breeze and it sailed every summer from the harbour.",
        "He moved to Reading the following summer and stayed there for two seasons.",
    ):
        assert not run_on(text), text


def test_a_preposition_left_before_another_is_no_summary_sentence() -> None:
    assert not standalone("Tom Vale, 52, admitted the theft when he appeared at in the county court on Monday.")
    assert standalone("Tom Vale, 52, admitted the theft when he appeared in the county court on Monday.")


def test_a_results_row_glued_to_a_sentence_is_no_prose() -> None:
    assert results_list("Ilse Brandt (Norway) Kestrel - Falcon 1:41.305 Marek was unhappy with the car afterwards.")
    assert not results_list("Ilse Brandt (Norway) finished the race in second place after a long battle.")


def test_what_a_pronoun_after_the_opening_words_can_mean() -> None:
    assert dependent("It's hard to say whether the plan will work this year.")  # "It's" is "It"
    assert not dependent("Norland has denied it will miss the payment due on Friday.")  # the clause's subject
    assert dependent("Brannock denied it.")  # an object: what was denied is in another sentence
    assert dependent("Yesterday he said the plan would work.")  # a time word is no referent
    # the document's first sentence introduces by description; a pronoun there may point at a name after it
    opening = "The woman wrongly accused of stealing a prize-winning pony has been cleared by a court."
    assert dependent(opening) and not dependent(opening, opening=True)
    cataphora = "She has lived in Lisbon for a year, and it seems that Lady Ottilie Marsh feels at home there."
    assert dependent(cataphora) and not dependent(cataphora, opening=True)
    assert dependent("It was hard to say whether the plan would work this year.", opening=True)


def test_a_connective_before_a_name_is_cut_from_the_sentence() -> None:
    text = "But Mira Holt, a reporter for a city paper, has been suspended after a rant at a car park."
    assert text[connective_before_name(text) :].startswith("Mira Holt, a reporter")
    for text in ("But the team lost again on Sunday.", "But It was late.", "And The Times said so."):
        assert connective_before_name(text) == 0


def test_a_summary_never_copies_most_of_its_document() -> None:
    story = (
        "Two hikers were rescued from a mountain ridge above the village of Sorvik on Sunday after a cold night. "
        "Rescuers reached the pair at dawn and flew them to the regional hospital, where both were treated for mild "
        "frostbite. The local mountain club said the path would stay closed until the snow had melted in the spring."
    )
    docs = _document_summary(story)
    assert len(docs) == 1 and docs[0]["metadata"]["n_sentences"] < 3  # shorter: not all three sentences
    assert len(docs[0]["summary"]) <= summary.MAX_COMPRESSION * len(story)
    assert not _document_summary(
        "A lorry carrying frozen fish overturned on the coast road near Haldby on Tuesday, closing it for six hours."
    )
