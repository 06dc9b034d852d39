"""Conversations a strict reader accepts (``conversation``, ``conversation_turns``).

Each fixture is a defect the strict audits found in shipped conversations, in text written
for the test: the check must refuse it and keep the well-formed turn beside it.
"""

from __future__ import annotations

from dataforge.lib.generate import conversation as cv
from dataforge.lib.generate import conversation_answers as ca
from dataforge.lib.generate import conversation_turns as ct
from dataforge.lib.generate.common import build_context
from dataforge_tests.lib.test_questions import _pipeline_inputs, examples


def _ctx(text: str):
    document, chunks, mentions, _ = _pipeline_inputs(text)
    return build_context(document, chunks, mentions, [], 1)


def _span(ctx, needle: str) -> tuple[int, int]:
    return next((s, e) for s, e in ctx.sentences if needle in ctx.text[s:e])


def test_an_answer_turn_is_never_rewritten_by_a_coreference_guess():
    """ "He joined the military in 2012." shipped as "Jamie Silvonek joined ...": the boyfriend's
    sentence given to the girl. A turn whose subject is a pronoun is no turn."""
    text = (
        "Jamie Silvonek was charged on Thursday in Allentown. Caleb Barnes was charged with her. "
        "He joined the military in February 2012. Caleb Barnes served at Fort Bragg in North Carolina."
    )
    ctx = _ctx(text)
    assert ct.verbatim_turn(ctx, *_span(ctx, "He joined")) is None
    assert ct.verbatim_turn(ctx, *_span(ctx, "Fort Bragg")) == "Caleb Barnes served at Fort Bragg in North Carolina."


def test_a_pronoun_inside_the_turn_must_mean_someone_it_names():
    """ "Helena Marsh ... has called her 'the reason ...'": who "her" is, the turn does not say."""
    text = (
        "Amara Okafor leads the Marine Energy Systems Group in Aberdeen. Helena Marsh has called her the "
        "best engineer in Scotland. Helena Marsh founded Northwind in Rotterdam in 2015."
    )
    ctx = _ctx(text)
    if any(ctx.text[s:e] == "her" for s, e in ctx.coref):
        assert ct.verbatim_turn(ctx, *_span(ctx, "has called her")) is None
    assert ct.verbatim_turn(ctx, *_span(ctx, "founded Northwind")) is not None


def test_a_question_names_only_what_its_sentence_names():
    """ "Where does McCoy currently manage Gabala?" of "... Tony Adams ... because he currently
    manages Gabala": the question's subject came from a coreference guess."""
    text = (
        "AP McCoy rode at Sandown on Saturday. A request to invite Tony Adams proved impossible because "
        "he currently manages Gabala in Azerbaijan."
    )
    ctx = _ctx(text)
    raw = ctx.text[slice(*_span(ctx, "Gabala"))]
    assert not ct._question_ok(ctx, "Where does McCoy currently manage Gabala?", "Azerbaijan", "GPE", raw, {})
    # a court or a castle the NER typed ORG: "Outside which organization did Pama shield his face?"
    assert not ct._question_ok(ctx, "In which organization does Tony Adams work?", "Gabala", "ORG", raw, {})


def test_turns_and_questions_that_point_outside_themselves_are_refused():
    assert ct.points_outside("When NREC partnered with NSEI, the aim was to bring that error below 3 percent.")
    assert ct.points_outside("The director noted that the pair had similar pasts.")
    assert ct.points_outside("Northwind has since used the model for the layout of Ostrea.")
    assert not ct.points_outside("Anders Lindqvist said that the board would review the strategy this year.")
    assert not ct.points_outside('Marsh said "that approach works" in 2021.')  # inside a quotation
    assert not ct.points_outside("Hanse Energie holds the remaining 65 percent of Ostrea.")
    assert not ct._BACK_ADVERB.search("When did Pama confront Mr Yeaman?")
    assert ct._BACK_ADVERB.search("Who did Pama then confront?")


def test_a_turn_is_about_what_opens_it():
    """ "The price values HMP at 1.9 times ..." is about the price, not an answer about HMP."""
    assert ct.opens_on("") and ct.opens_on("In December 2017 ") and ct.opens_on("Despite the pandemic, ")
    assert ct.opens_on("Dr. ")
    assert not ct.opens_on("The price values ")
    assert not ct.opens_on("When ")


def test_a_person_is_introduced_by_full_name():
    """ "Dubois estimates ..." in a conversation that never said who Dubois is."""
    fulls = {"Dubois": "Claire Dubois"}
    assert ct.spell_out("Dubois estimates the deal adds 1 percent.", "", fulls) == (
        "Claire Dubois estimates the deal adds 1 percent."
    )
    assert ct.spell_out("Dubois estimates it.", "Claire Dubois is an analyst.", fulls) == "Dubois estimates it."
    assert ct.spell_out("Ms Dubois estimates it.", "", fulls) == "Ms Dubois estimates it."


def test_two_people_sharing_a_surname_make_it_no_name():
    ents = {
        "Jamie Silvonek": ct.Entity("Jamie Silvonek", "PERSON", frozenset({"Jamie Silvonek", "Silvonek"}), 3),
        "Cheryl Silvonek": ct.Entity("Cheryl Silvonek", "PERSON", frozenset({"Cheryl Silvonek"}), 2),
    }
    ambiguous = ct.ambiguous_forms(ents)
    assert "Silvonek" in ambiguous
    assert ct.named("Silvonek was charged.", ents, ambiguous) == []
    assert ct.named("Cheryl Silvonek died.", ents, ambiguous) == [(0, "Cheryl Silvonek")]


def _exchange(question, turn, asks, names, lead):
    return ct.Exchange(question, "x", (0, 1), turn, frozenset(asks), frozenset(names), lead)


def test_a_follow_up_pronoun_only_where_nobody_could_mistake_it():
    """Pronouns resolved to the wrong person: "she" after an answer that named two women."""
    ents = {
        "Amara Okafor": ct.Entity("Amara Okafor", "PERSON", frozenset({"Amara Okafor", "Okafor"}), 4),
        "Helena Marsh": ct.Entity("Helena Marsh", "PERSON", frozenset({"Helena Marsh"}), 2),
        "NREC": ct.Entity("NREC", "ORG", frozenset({"NREC"}), 5),
        "Rhinos": ct.Entity("Rhinos", "ORG", frozenset({"Rhinos"}), 3),
    }
    okafor = ents["Amara Okafor"]
    alone = _exchange("When did Okafor join NSEI?", "Okafor joined NSEI in 2014.", {"Amara Okafor"}, {"Amara Okafor"},
                      "Amara Okafor")  # fmt: skip
    assert cv.refer("When did Okafor complete a PhD?", okafor, "she", alone, ents) == "When did she complete a PhD?"
    both = _exchange("When did Okafor meet Marsh?", "Okafor met Helena Marsh in 2019.", {"Amara Okafor"},
                     {"Amara Okafor", "Helena Marsh"}, "Amara Okafor")  # fmt: skip
    assert cv.refer("When did Okafor complete a PhD?", okafor, "she", both, ents) == "When did Okafor complete a PhD?"
    other_lead = _exchange("Who is the chair of NREC?", "Anders Lindqvist chairs NREC.", {"NREC"}, {"NREC"}, None)
    asked = "When did NREC close a Series B?"
    assert cv.refer(asked, ents["NREC"], "it", other_lead, ents) == asked  # the answer was not about NREC
    nrec = _exchange("Where is NREC based?", "NREC is based in Rotterdam.", {"NREC"}, {"NREC"}, "NREC")
    assert cv.refer(asked, ents["NREC"], "it", nrec, ents) == "When did it close a Series B?"
    assert cv.refer("When did Lindqvist join NREC?", ents["NREC"], "it", nrec, ents) == "When did Lindqvist join NREC?"
    assert cv._pronoun(None, ents["Rhinos"]) is None  # "Rhinos" are they, never "it"


def test_the_overview_keeps_only_sentences_that_stand_alone():
    """The document conversation reused a summary sentence out of context ("From the beginning
    the founders divided the work clearly.")."""
    text = (
        "Northwind Robotics was founded in Boston in 2009 by Maria Alvarez. From the beginning the founders "
        "divided the work clearly. Northwind Robotics opened a lab in Denver in 2021."
    )
    ctx = _ctx(text)
    spans = [_span(ctx, "founded in Boston"), _span(ctx, "From the beginning"), _span(ctx, "lab in Denver")]
    summary = {"summary": " ".join(ctx.text[s:e] for s, e in spans), "source_spans": [
        {"start": s, "end": e} for s, e in spans]}  # fmt: skip
    made = cv.overview(ctx, summary, ct.entities(ctx))
    assert made is not None
    assert "From the beginning" not in made[0] and "Denver" in made[0]
    first_fails = {"summary": ctx.text[slice(*spans[1])], "source_spans": [{"start": spans[1][0], "end": spans[1][1]}]}
    assert cv.overview(ctx, first_fails, ct.entities(ctx)) is None


def test_conversations_hold_together():
    """Every assistant turn is a sentence of the source; an entity opening "Who is X?" is
    answered by what X is; each follow-up names or clearly refers to what it asks about."""
    text = (
        "Helix Sensors is a maker of lidar units based in Austin. Helix Sensors was founded in 2011 by Tom "
        "Becker. Helix Sensors opened a factory in Denver in 2019. Helix Sensors hired 40 engineers in 2022. "
        "Tom Becker is the chief technology officer of Helix Sensors."
    )
    convs = [e for e in examples(text) if e["kind"] == "conversation"]
    flat = " ".join(text.split())
    for conv in convs:
        turns = conv["conversations"]
        entity = conv["metadata"]["entity"]
        opened = bool(entity) and turns[1]["content"] in {o.format(x=entity) for o in cv.OPEN_ENTITY}
        for t in turns[4::2] if opened or conv["metadata"]["topic"] == "document" else turns[2::2]:
            assert t["content"] in flat or t["content"].rstrip(".").lower() in flat.lower(), t["content"]
        if opened:
            assert turns[2]["content"].startswith(entity + " is "), turns[2]["content"]


def test_a_leading_pronoun_is_named_only_after_a_sentence_about_that_one_person():
    """ "Barnes and Jamie Silvonek met ... He joined the military in 2012." became "Jamie Silvonek
    joined the military": two people before the pronoun, and the wrong gender. A leading he/she
    is named only when the sentence before names that one person and the document calls them so."""
    text = (
        "Authorities said Caleb Barnes and Jamie Silvonek met in October. He joined the military in February "
        "2012. Amara Okafor was born in Lagos in 1982. She studied in Manchester and she completed a PhD in "
        "Edinburgh in 2009."
    )
    ctx = _ctx(text)
    assert ct.verbatim_turn(ctx, *_span(ctx, "joined the military")) is None
    okafor = ct.verbatim_turn(ctx, *_span(ctx, "studied in Manchester"))
    assert okafor is None or okafor.startswith("Amara Okafor studied")


def test_the_system_turn_carries_the_text_the_answers_come_from():
    """A conversation "about the document" gives the model that document: every assistant turn
    can be read in the system turn, and a long document gives the chunks the turns come from."""
    text = (
        "Helix Sensors is a maker of lidar units based in Austin. Helix Sensors was founded in 2011 by Tom "
        "Becker. Helix Sensors opened a factory in Denver in 2019. Helix Sensors hired 40 engineers in 2022. "
        "Tom Becker is the chief technology officer of Helix Sensors."
    )
    convs = [e for e in examples(text) if e["kind"] == "conversation"]
    assert convs
    for conv in convs:
        system = conv["conversations"][0]
        assert system["role"] == "system" and "below" in system["content"]
        passage = " ".join(system["content"].split("\n\n", 1)[1].split())
        turns = conv["conversations"]
        for turn in turns[2::2] if conv["metadata"]["topic"] == "entity" else turns[4::2]:
            assert turn["content"] in passage, turn["content"]
    filler = " ".join(f"Paragraph {i} talks about weather stations and rainfall." for i in range(400))
    ctx = _ctx(text + "\n\n" + filler + "\n\nTom Becker also races sailing boats on Lake Travis.")
    sail = _span(ctx, "sailing boats")
    first = _span(ctx, "founded in 2011")
    got = cv.passage(ctx, [first, sail])
    assert "founded in 2011" in got and "sailing boats" in got and cv.GAP in got
    assert len(got.split()) < len(ctx.text.split())


def _defs(text: str) -> dict[str, str]:
    document, chunks, mentions, parses = _pipeline_inputs(text)
    ctx = build_context(document, chunks, mentions, [], 1)
    return {k: v[1] for k, v in ct.definitions(ctx, ct.entities(ctx), cv.ENTITY_TOPICS, parses).items()}


def test_who_is_x_is_answered_by_what_the_source_says_x_is():
    """ "Who is Jermain Defoe?" -> "Defoe was the hero on Sunday as ..." (an event, not who he is):
    the answer is composed from a role before the name, an appositive or a copular predicate."""
    defs = _defs(
        "Jermain Tolland says his winner against Leeds justified his return to England. But Tolland was the "
        "hero on Sunday as his volley sealed a third straight win. Harwick striker Jermain Tolland believes the "
        "goal proved his worth."
    )
    assert defs.get("Jermain Tolland") == "Jermain Tolland is a Harwick striker."
    defs = _defs("Mark Ostrander is a sports lawyer and his firm Kemble Partners represents the Rovers.")
    assert list(defs.values()) == [] or all(v.endswith("is a sports lawyer.") for v in defs.values())
    defs = _defs(
        "Shares of Dutch printed packaging company Vellamo N.V. fell sharply on the Brussels exchange on Friday. "
        "Vellamo, the first foreign company to list on the Brussels exchange, released its results this morning. "
        "Vellamo employs 900 people."
    )
    assert defs.get("Vellamo N.V.") == "Vellamo N.V. is a Dutch printed packaging company."


def test_no_identity_from_an_event_a_trivia_line_or_a_vague_noun():
    """Not "the hero on Sunday", not "a maximum sentence"; a bare "a man" says nothing."""
    assert not _defs("But Tolland was the hero on Sunday as his volley sealed a third straight win.")
    assert (
        not _defs("Police said a man Rishi Bandari was hurt in Leeds on Friday.")
        .get("Rishi Bandari", "")
        .endswith("a man.")
    )


def test_a_fact_told_in_a_side_clause_is_answered_by_its_span():
    """ "When did Brunswijk lead a rebel group ...?" answered by the whole "Brunswijk, who led a
    rebel group ... in the late 1980s, is now a successful businessman": the span answers."""
    text = "Marco Ruiz, who founded a rebel movement in the late 1980s, is now a successful businessman."
    document, chunks, mentions, parses = _pipeline_inputs(text)
    date = next(m for m in mentions if m["text"] == "the late 1980s")
    assert ca.side_clause_answer(parses, date, date["text"]) == "In the late 1980s."
    text = "In 1994 Marco Ruiz served two months in prison for assault."
    document, chunks, mentions, parses = _pipeline_inputs(text)
    year = next(m for m in mentions if m["text"] == "1994")
    assert ca.side_clause_answer(parses, year, "1994") is None  # the sentence's own clause: the sentence answers


def test_a_place_that_locates_a_name_is_no_where_answer():
    """ "Where did Northwind partner with the North Sea Energy Institute?" of "... the North Sea
    Energy Institute in Aberdeen": Aberdeen says where the institute is."""
    text = "In 2019, Harbor Tidal partnered with the Baltic Marine Research Institute in Gdansk."
    document, chunks, mentions, parses = _pipeline_inputs(text)
    place = next(m for m in mentions if m["text"] == "Gdansk")
    assert ca.place_of_a_name(parses, place)
    text = "Harbor Tidal opened a new office in Gdansk in 2019."
    document, chunks, mentions, parses = _pipeline_inputs(text)
    place = next(m for m in mentions if m["text"] == "Gdansk")
    assert not ca.place_of_a_name(parses, place)


def test_a_one_sentence_overview_answers_what_the_document_is_about_not_its_main_points():
    # cnnx audit, round 11: "What are the main points of this document?" answered by one lead sentence
    from dataclasses import replace

    from dataforge.lib.generate import generate_document_examples
    from dataforge_tests.lib.test_questions import CONFIG

    text = (
        "Helix Sensors is a maker of lidar units based in Austin. Helix Sensors was founded in 2011 by Tom "
        "Becker. Helix Sensors opened a factory in Denver in 2019. Helix Sensors hired 40 engineers in 2022. "
        "Tom Becker is the chief technology officer of Helix Sensors."
    )
    document, chunks, mentions, parses = _pipeline_inputs(text)
    for k, seed in ((1, 1), (3, 1)):  # seed 1 picks "main points" for a longer overview
        config = replace(CONFIG, seed=seed, generate=replace(CONFIG.generate, summary_sentences=k))
        made = generate_document_examples(document, chunks, mentions, [], config, parses=parses)
        (conv,) = [c for c in made if c["kind"] == "conversation" and c["metadata"]["topic"] == "document"]
        question, overview = conv["conversations"][1]["content"], conv["conversations"][2]["content"]
        sentences = overview.count(". ") + 1
        assert (question == cv.OPEN_DOCUMENT[0]) if sentences == 1 else (question in cv.OPEN_DOCUMENT), question
    assert sentences > 1 and question != cv.OPEN_DOCUMENT[0]  # the longer overview may be asked otherwise
