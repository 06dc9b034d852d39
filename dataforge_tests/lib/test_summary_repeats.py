"""News furniture around the lead: captions run into the sentence they repeat, reworded repeats,
single-quoted speech, pointers to the page. Inline fixtures written for these tests."""

from __future__ import annotations

import numpy as np

from dataforge.lib.captions import holds_caption
from dataforge.lib.chunk import split_sentences
from dataforge.lib.generate import summary
from dataforge.lib.generate.standalone import boilerplate, first_person, standalone


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_a_caption_run_into_the_sentence_it_repeats_is_split_off() -> None:
    text = (
        "Sought: Police in Dorset want to trace a 31-year-old swimming coach who has been charged with "
        "fraud Police in Dorset have launched a search for a 31-year-old swimming coach charged with fraud. "
        "He left the country in May."
    )
    assert _sentences(text)[1] == (
        "Police in Dorset have launched a search for a 31-year-old swimming coach charged with fraud."
    )


def test_a_sentence_naming_something_twice_is_not_split() -> None:
    for text in (
        # after a capitalised word ("Council Harwick") the run is a name, not a caption end
        "Harwick voters now blame the Old Town Council Harwick voters now blame the council for the closures.",
        "The coach of Port Vale said the team of Port Vale played better in the second half than in the first.",
    ):
        assert len(_sentences(text)) == 1, text


def test_a_caption_end_before_in_and_but_is_a_boundary() -> None:
    assert _sentences("Painted dancers hide among the ferns of the old forest In most of the shots they vanish.")[
        1
    ] == ("In most of the shots they vanish.")
    assert _sentences("The harbour flooded again on Monday night But the ferry kept running all week.")[1] == (
        "But the ferry kept running all week."
    )
    text = "The band played in Paris in June and in Rome in July."
    assert _sentences(text) == [text]


def test_a_rank_before_a_name_ends_no_sentence() -> None:
    text = "She drove her brother, Army Spc. Dana Reyes, to the airport on Sunday."
    assert _sentences(text) == [text]


def test_single_quoted_speech_is_not_the_sources_first_person() -> None:
    assert not first_person("The boy texted his cousin, 'I want it back,' the court heard on Monday.")
    assert not first_person("‘I don’t know where we go now,’ the coach said after the match.")
    assert not first_person("He said 'I don't care' and walked out of the studio.")
    assert first_person("Britain's farmers say we should buy local apples.")
    assert first_person("I think the council's plan is wrong.")


def test_a_pointer_to_the_page_is_furniture() -> None:
    assert boilerplate("The video can be seen at the top of this story.")
    assert not standalone("Watch the clip at the bottom of the article.")
    assert not boilerplate("The team finished at the top of the table for the first time.")


def test_a_reworded_repeat_of_a_chosen_sentence_is_not_added() -> None:
    texts = [
        "Flats near the new tram stop sell for 9 per cent more than those further away, a survey found.",
        "Flats with a tram stop nearby sell for 9 per cent more than those further away.",
        "The survey by Kestrel Homes looked at 4,000 sales across the city over two years.",
        "Prices near bus stations rose more slowly, the survey found.",
        "Estate agents in the city said buyers now ask about the tram before anything else.",
        "The tram line opened in 2019 and carries about 30,000 people a day.",
    ]
    assert summary.word_copies(texts)[0, 1]
    assert not summary.word_copies(texts)[0, 2]
    # vectors that make the repeat look new to the cosine rule: only the word overlap catches it
    vectors = np.eye(len(texts))
    chosen = summary.select_document(texts, 3, vectors, np.ones(len(texts), dtype=bool))
    assert 0 in chosen and 1 not in chosen


def test_hybrid_rows_mix_embedding_and_tfidf_cosines() -> None:
    """The document selector's similarity is the stated mix of the two cosines, not either alone."""
    texts = ["Waitrose homes cost more.", "Homes near Lidl cost less.", "The kite festival was foggy."]
    vectors = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    rows = summary.hybrid_rows(texts, vectors)
    assert rows is not None
    words, _ = summary.tfidf(texts)
    dense = summary.unit_rows(texts, vectors)
    share = summary.TFIDF_SHARE
    expected = (1 - share) * dense @ dense.T + share * words @ words.T
    assert np.allclose(rows @ rows.T, expected)
    assert 0 < (rows @ rows.T)[0, 1] < (dense @ dense.T)[0, 1]  # shared "homes cost" words only in part
    assert summary.hybrid_rows(texts, None) is None  # no embedder: TF-IDF alone, as before


def test_a_sentence_holding_a_caption_run_into_a_name_is_no_summary_material() -> None:
    texts = [
        "Former teacher Brianne Colt could face up to 45 years in prison when she is sentenced next month.",
        "She wept in court on Wednesday as the judge read out the plea agreement to the packed room.",
        # the caption repeats the first sentence; the words after the cut are new: two sentences run together
        "Colt could face up to 45 years in prison when she is sentenced next month "
        "Colt pleaded guilty to three counts of abuse involving three students at the school.",
        # a name inside one sentence: the part before it repeats nothing
        "The school board met on Friday evening with parents from the district Ada Lind chaired the meeting.",
    ]
    assert holds_caption(texts) == [False, False, True, False]
