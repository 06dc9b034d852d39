"""Genre rows: commentary is no news, data sheets and headlines get no label, rows are whole sentences."""

from dataforge.lib.generate import classification
from dataforge.lib.generate.classification import decide
from dataforge.lib.generate.genre_rows import listing, narration, row_bounds
from dataforge_tests.lib.test_generate import CONFIG


def _rows(texts: dict[str, str]) -> list[dict]:
    documents = {k: {"text": v, "title": ""} for k, v in texts.items()}
    chunks = [({"doc_id": k, "chunk_id": 0, "start": 0, "end": len(v), "text": v}, [1.0]) for k, v in texts.items()]
    return classification.generate(documents, chunks, CONFIG)


ESSAY = (
    "(CNN) The old ballad turns fifty on Tuesday. Its chorus is a timeless masterpiece, and the bridge is "
    "brilliantly built. Decades on, the record still makes me feel young. Normally I distrust lists of the "
    'best songs ever made. "It was just a tune," the singer told reporters last week.'
)
REPORT = (
    "(CNN) The bridge reopened on Tuesday after repairs, officials said. 'I was stuck for an hour,' one driver "
    "said. 'My car was brilliant, the traffic was absurd.' Engineers said the work had been superb."
)


def test_commentary_in_the_writer_s_own_voice_is_opinion_not_news() -> None:
    assert decide(ESSAY).genre == "opinion"
    # first person and judgement inside quotations are the speakers', not the writer's: still news
    assert decide(REPORT).genre == "news"
    assert "I" not in narration("'Games like this are why I came. I was told to score,' he said. He scored.").split()


def test_a_data_sheet_and_a_headline_alone_get_no_genre() -> None:
    sheet = (
        "PRESALE - Elm Co Sch Dist, Ohio.. AMT: 2,400,000 DATE: 10/07/97 NYC Time: 1100 CUSIP: 123456 ISSUER: "
        "Elm County School District ST: OH TAX STAT: Exempt BOOK ENTRY: Y DUE: 12/1/98-17 1998 60,000 1999 65,000"
    )
    assert listing(sheet) and not listing(REPORT)
    standings = "CHICAGO 1997-06-02 Standings after Sunday's games: W L PCT GB BOSTON 30 20.600 - DENVER 28 22.560 2"
    assert _rows({"sheet": sheet, "standings": standings}) == []
    headline = "SOCCER - LEAGUE LEADERS WIN AGAIN AFTER SUNDAY'S GAMES"
    assert row_bounds(headline, 0, len(headline)) is None


def test_a_row_starts_and_ends_on_whole_sentences_without_site_furniture() -> None:
    text = (
        "It was a waste of money.’ Nine reporters were cleared on Tuesday, lawyers said. The court heard the case "
        "for a week, prosecutors said. Sorry we are not currently accepting comments on this article."
    )
    s, e = row_bounds(text, 0, len(text))
    assert text[s:e].startswith("Nine reporters") and text[s:e].endswith("prosecutors said.")
    # an opening cut near 3,000 characters ends before a sentence left open or cut off
    text = "The clinic opened on Monday, staff said. " * 3 + "'The laser cleans your face. It stings,' a nurse says."
    s, e = row_bounds(text, 0, text.index(" It stings"))
    assert text[s:e].endswith("staff said.")
    s, e = row_bounds(text, 0, 100)
    assert text[s:e].endswith("staff said.") and e < 100


def test_furniture_inside_a_row_and_a_photo_pointer_keep_the_row_whole() -> None:
    text = (
        "Two nurses escaped on Monday, police said. Scroll down for video The pair (pictured) now live abroad, "
        "officials said."
    )
    assert row_bounds(text, 0, len(text)) == (0, len(text))
