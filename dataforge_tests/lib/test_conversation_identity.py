"""Identity answers and overviews a strict reader accepts (round-9 audit defects).

Each fixture is written for the test: a partial identity answer ("X is a commander.", "X is
chief financial officer."), a surname two people share, a name repeated for "his", an overview
padded with a scene or a birthplace and missing the story's outcome.
"""

from __future__ import annotations

from dataforge.lib.generate import conversation as cv
from dataforge.lib.generate import conversation_turns as ct
from dataforge_tests.lib.test_conversation import _ctx, _defs, _exchange, _span
from dataforge_tests.lib.test_questions import examples


def test_a_role_keeps_what_it_is_of():
    """ "Nikolai Sherbatov is a commander." of "The commander-in-chief of Tajikistan's armed
    forces, Major-General Nikolai Sherbatov": the role with its complement, as written."""
    defs = _defs(
        "The chief of staff of Norway's coastal guard, Rear-Admiral Piet Kessler, flew to Tromso on Friday. "
        "Piet Kessler said the patrol had ended."
    )
    assert defs.get("Piet Kessler", "").startswith("Piet Kessler is the chief of staff of Norway's coastal guard")


def test_a_bare_office_is_of_the_organisation_its_holder_speaks_for():
    """ "James Hoey is chief financial officer." (of what?): the company of the clause he is
    quoted on; never the news agency that quotes someone."""
    defs = _defs(
        "Harbor Tidal was finding it harder to win new contracts, said Mona Greve, chief operating officer. "
        "Mona Greve joined the firm in 2009."
    )
    assert defs.get("Mona Greve") == "Mona Greve is chief operating officer of Harbor Tidal."
    defs = _defs(
        "The Dunmore Gazette quoted spokesman Tomas Berglund as saying the talks had failed. Tomas Berglund "
        "spoke in Oslo."
    )
    assert "of The Dunmore Gazette" not in defs.get("Tomas Berglund", "")


def test_a_victim_or_a_background_is_no_identity_where_a_founding_is_told():
    """ "Ron Lane is a victim." says nothing; "Helena Marsh is a British naval architect ..."
    leaves out that she co-founded the company the document is about."""
    defs = _defs("Police said victim Dale Fenner was shot in Leeds on Friday. Dale Fenner was 54.")
    assert not defs.get("Dale Fenner", "").endswith("a victim.")
    defs = _defs("Police said Dale Fenner, a groundsman at the school, was shot at Harlow College. Dale Fenner was 54.")
    assert "the school" not in defs.get("Dale Fenner", "")  # which school, only the text before says
    defs = _defs(
        "Fjord Wave was founded in Bergen in 2012 by Lena Berg and Ole Dahl. Berg, a Norwegian chemist who had "
        "worked on battery cells for six years, met Dahl at a conference in Oslo. Lena Berg runs the company."
    )
    assert defs.get("Lena Berg") == "Lena Berg is a co-founder of Fjord Wave."


def test_a_pronoun_after_the_name_it_stands_for_stays():
    """ "He said his troops took Tavildara" became "Nikolai Sherbatov said Nikolai Sherbatov's
    troops ...": once "He" is named, "his" stays his."""
    text = (
        "The army chief Colonel Ivan Petrenko flew reporters to the valley on Friday. He said his soldiers "
        "took Dorvik without losses on Monday."
    )
    ctx = _ctx(text)
    turn = ct.verbatim_turn(ctx, *_span(ctx, "He said"))
    if any(ctx.text[s:e] == "his" for s, e in ctx.coref):  # the chains link "his": the fixture applies
        assert turn == "Ivan Petrenko said his soldiers took Dorvik without losses on Monday."


def test_no_question_about_a_surname_two_people_share():
    """ "Who is Giggs?" of a story about Rhodri Giggs that names his brother Ryan Giggs."""
    text = (
        "Alan Varga, the brother of sprinter Tom Varga, was banned from driving in Leeds on Monday. Alan Varga, "
        "37, lost his job as a bus driver. Varga said the offence was not intentional. Varga is the Leeds "
        "Rhinos fitness coach. Tom Varga won three national titles."
    )
    ents = {
        "Varga": ct.Entity("Varga", "PERSON", frozenset({"Varga"}), 5),
        "Alan Varga": ct.Entity("Alan Varga", "PERSON", frozenset({"Alan Varga"}), 2),
        "Tom Varga": ct.Entity("Tom Varga", "PERSON", frozenset({"Tom Varga"}), 2),
    }
    assert cv.main_entities(ents) == ["Alan Varga", "Tom Varga"]
    for conv in (e for e in examples(text) if e["kind"] == "conversation"):
        for turn in conv["conversations"][1::2]:
            assert "Varga?" not in turn["content"] and "Varga," not in turn["content"][:12], turn["content"]


def test_an_overview_drops_a_scene_it_never_introduced_and_a_birthplace():
    assert cv._aside("In the footage, Bell is seen leaving the car.", "Dan Bell was arrested in Derby.")
    assert not cv._aside("In the footage, Bell is seen leaving.", "Police released footage of Dan Bell.")
    assert cv._aside("Nadia Roy was born in Leeds in 1979 and moved to Paris.", "Nadia Roy leads a lab.")
    assert not cv._aside("Nadia Roy joined Helix Labs in 2015.", "Nadia Roy leads a lab.")


def test_a_story_outcome_the_overview_left_out_is_asked_of_its_person():
    """The overview stops before "was jailed for 27 months": the follow-up asks what happened to
    him in court, not "Who was jailed ...?" (its answer already told)."""
    jailed = _exchange(
        "Who was jailed for two years at Derby Crown Court?",
        "On Monday Bell was jailed for two years at Derby Crown Court after he admitted fraud.",
        {"Derby Crown Court"},
        {"Dan Bell", "Derby Crown Court"},
        "Dan Bell",
    )
    ents = {
        "Dan Bell": ct.Entity("Dan Bell", "PERSON", frozenset({"Dan Bell", "Bell"}), 3),
        "Derby Crown Court": ct.Entity("Derby Crown Court", "ORG", frozenset({"Derby Crown Court"}), 1),
    }
    (asked,) = cv._outcome_exchanges([jailed], "Dan Bell stole 40 cars from a dealer in Derby.", ents)
    assert asked.question == "What happened to Dan Bell in court?" and asked.turn == jailed.turn
    assert not cv._outcome_exchanges([jailed], "Dan Bell was jailed for stealing 40 cars.", ents)
