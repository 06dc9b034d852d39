"""Summaries a reader accepts: no sentence that leans on one left out, no boilerplate, a
question heading answered, no near copy of a chosen sentence. TF-IDF, inline fixtures."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from dataforge.lib.chunk import chunk_document
from dataforge.lib.config import DataforgeConfig, GenerateConfig
from dataforge.lib.generate import referents, standalone, summary, summary_context
from dataforge.lib.generate.common import build_context, is_prose

CONFIG = DataforgeConfig(generate=GenerateConfig(summary_method="tfidf"))


def _summaries(text: str) -> list[dict]:
    ctx = build_context({"doc_id": "d", "text": text}, chunk_document("d", text, CONFIG.chunk), [], [], 13)
    return summary.generate(ctx, CONFIG, None)


def test_dependent_sentences_and_boilerplate_are_never_picked_alone() -> None:
    texts = [
        "Northwind Capital is an asset manager based in Oslo with offices in three countries.",
        "Figures refer to the 2023 financial year unless stated otherwise.",
        "The firm was founded in 2004 by two former bankers from Bergen and Oslo.",
        "Its funds invest in offshore wind farms, tidal arrays and grid projects in Europe.",
        "Clients include pension funds from Norway, Denmark and the Netherlands and Germany.",
        "It manages about $6.8 billion for pension funds across northern Europe today.",
    ]
    picked = summary.select_document(texts, 2)
    assert 1 not in picked  # boilerplate
    for i in picked:
        assert not standalone.dependent(texts[i]) or i - 1 in picked  # "It ..." only after its antecedent
    assert standalone.dependent("However, the plan failed.") and standalone.dependent("‘It was,’ he said.")
    assert not standalone.dependent("Italy won the match.")
    assert standalone.boilerplate("Figures refer to the 2023 financial year unless stated otherwise.")


def test_a_near_copy_of_the_lead_is_not_added() -> None:
    lead = "Gary Locke will be confirmed as the permanent manager of Kilmarnock on Friday morning."
    texts = [
        lead,
        "Gary Locke will be confirmed as the permanent manager of Kilmarnock on Friday.",
        "The former Hearts boss will be given a three-year deal by the Rugby Park club.",
        "The club went unbeaten during his first six games in charge of the first team.",
        "Chairman Jim Mann praised the response of the players since February this year.",
    ]
    picked = summary.select_document(texts, 3)
    assert 0 in picked and 1 not in picked


def test_a_question_heading_is_answered() -> None:
    text = (
        "# Investor FAQ\n\n"
        "NREC develops offshore wind and tidal energy projects in northern Europe and sells the power it makes.\n\n"
        "## Where is NREC headquartered?\n\n"
        "Northwind Tidal, our tidal division, is based in Oslo, and we also have an engineering office in Bergen. "
        "NREC is headquartered in Rotterdam, the Netherlands. "
        "The Bergen office designs the foundations of every turbine the company builds at sea.\n\n"
        "## Who leads the company?\n\n"
        "Helena Marsh has been chief executive since the founding of the company in the year 2015. "
        "She chairs the executive committee, which meets every week in the offices of the company. "
        "The committee reports to the board of directors, which meets four times a year in Rotterdam."
    )
    sections = {
        ex["metadata"]["heading"]: ex["summary"] for ex in _summaries(text) if ex["metadata"]["scope"] == "section"
    }
    (where,) = [v for k, v in sections.items() if k.endswith("Where is NREC headquartered?")]
    assert "NREC is headquartered in Rotterdam" in where
    assert (
        summary.answer_sentence(
            "Where is NREC headquartered?", ["It rained.", "NREC is headquartered in X."], None, None
        )
        == 1
    )
    assert summary.answer_sentence("Why?", ["It rained."], None, None) is None


def test_news_sentences_that_lean_on_left_out_context_or_point_at_the_paper_are_not_standalone() -> None:
    # defects quoted by the strict audit of 40 CNN/DM articles (issue 15): a connective whose
    # event is left out, the paper pointing at its own pages, and a typo the source made
    leaning = [
        "Most recently, novelist Margaret Atwood revealed that she had been banned from the festival.",
        "At the time, the victim was not on the work site, the inspector told the court.",
        "Carver, though, does have time for the young players who came through the academy.",
        "Here, Sportsmail recounts 10 of his finest moments behind the microphone and the stumps.",
        "For a primer on promposals, see previous years' winners of most outrageous prom proposals.",
        "Pupils will be taught according to the the national curriculum from next September.",
    ]
    assert [t for t in leaning if standalone.standalone(t)] == []
    fine = [
        "Everton had had a difficult season before the new manager arrived in May, officials said.",
        "The minister said the plan would cost £2 million over five years and create 300 jobs.",
    ]
    assert all(standalone.standalone(t) for t in fine)


def test_a_summary_sentence_does_not_point_at_photos_it_has_not_got() -> None:
    # CNN/DM audit: "Roger Wright (above) dismissed ...", "Twizzlers (below) are ..."
    cleaned = standalone.clean_sentence("Roger Wright (above) dismissed the claims, and Kate (pictured left) smiled.")
    assert cleaned == "Roger Wright dismissed the claims, and Kate smiled."
    assert standalone.clean_sentence("The party moved to the right (politically) in 2010.") == (
        "The party moved to the right (politically) in 2010."
    )


def _ctx(text: str, mentions: list[dict] | None = None):  # noqa: ANN202
    return build_context({"doc_id": "d", "text": text}, chunk_document("d", text, CONFIG.chunk), mentions or [], [], 13)


def test_a_pronoun_demonstrative_or_film_needs_what_it_points_at_in_the_summary() -> None:
    texts = [
        "Marta Lind wrote the ballad Harbour Lights in a single night in 1969.",
        "Critics called it the finest song of the decade when it first came out.",
        "On Monday an auction house sold the handwritten lyrics for $400,000 to a collector.",
        "Decades on, his quiet ballad still opens every festival on the coast of the island.",
        "Sung by crowds at every match, these verses have outlived the band that first recorded them.",
        "In the footage, the crowd sings along as the lights go out across the whole stadium.",
    ]
    text = " ".join(texts)
    his = text.find("his quiet")
    ctx = replace(_ctx(text), coref={(his, his + 3): {"text": "Marta Lind", "start": 0}})
    needs = summary_context.referent_needs(ctx, ctx.sentences)
    assert needs[0] == frozenset() and needs[2] == frozenset()
    assert needs[3] == {frozenset({"Marta", "Lind"})}  # "his" -> Marta Lind, named in sentence 0
    assert needs[4] == {frozenset({"verses"})} and needs[5] == {summary_context._MOVING}
    allowed = summary._allowed(texts, [2], np.ones(6, dtype=bool), needs)
    assert not allowed[3] and not allowed[4] and not allowed[5]  # nothing chosen names Lind, the verses, a film
    assert summary._allowed(texts, [0, 2], np.ones(6, dtype=bool), needs)[3]
    assert summary_context.referent_needs(
        _ctx("Teams met this week to agree on the plan for the port."), [(0, 52)]
    ) == [frozenset()]  # a time points at nothing


def test_a_bare_surname_gets_the_full_name_the_document_gave() -> None:
    text = (
        "Police in the port spoke to Ilse Varga, a diver, after the wreck was found. "
        "Varga said the hull lay in forty metres of water off the northern pier."
    )
    varga = text.rfind("Varga")
    mentions = [
        {"start": 28, "end": 41, "text": "Ilse Varga, a", "label": "PERSON"},  # a span the tagger ran on
        {"start": varga, "end": varga + 5, "text": "Varga", "label": "PERSON"},
    ]
    ctx = _ctx(text, mentions)
    names = summary_context.full_names(ctx, ctx.sentences)
    assert names == [{}, {"Varga": "Ilse Varga"}]
    second = text[ctx.sentences[1][0] : ctx.sentences[1][1]]
    assert summary_context.with_full_names([second], names[1:]) == [
        "Ilse Varga said the hull lay in forty metres of water off the northern pier."
    ]
    first = text[ctx.sentences[0][0] : ctx.sentences[0][1]]
    assert summary_context.with_full_names([first, second], names)[1] == second  # the name was given before


def test_today_gets_the_dateline_date() -> None:
    text = (
        "NEWS RELEASE\n\nBergen, 3 June 2024\n\n"
        "Fjordline Energy today announced that it has bought two ferries from a shipyard in Gdansk.\n\n"
        "The ferries will carry passengers between Bergen and Stavanger from the spring of 2025."
    )
    ctx = _ctx(text, [{"start": text.find("today"), "end": text.find("today") + 5, "text": "today", "label": "DATE"}])
    assert summary_context.document_date(ctx) == "3 June 2024"
    s, e = ctx.sentences[-2]
    assert "today (3 June 2024) announced" in summary_context.with_document_date(ctx, text[s:e], s, e)
    assert summary_context.document_date(_ctx("Fjordline Energy bought two ferries on 3 June 2024 in Gdansk.")) is None


def test_a_byline_dateline_and_a_caption_run_on_are_not_summary_text() -> None:
    line = "Anna Brook KIRKWALL, Orkney 2001-05-04 Ferry crews on the islands went on strike on Friday."
    assert line[standalone.lead_furniture(line) :].startswith("Ferry crews")
    assert standalone.glued(
        "Nina Holm, left, quit the club after the row and Karl Holm complained A 14-year-old fan wrote."
    )
    assert standalone.dependent("At $20 a ticket, that's a pricey evening out for a family of four in the town.")
    assert standalone.dependent("In fact, the ferry has even had to add a second crossing on Sundays this year.")
    assert not standalone.glued("Washington (CNN) President Obama said on Monday that the deal was a good one.")


def test_a_results_table_gets_no_summary_and_a_label_is_no_prose() -> None:
    text = (
        "Leading results at the Oslo rowing regatta on Sunday: Men's single sculls 1. "
        "Per Dahl (Norway) seven minutes 1.20 seconds 2. Jan Berg (Sweden) 7:03.11 3. "
        "Ole Lund (Denmark) 7:04.50 4. Kai Moe (Finland) 7:06.02 5. Tor Vik (Norway) 7:09.90"
    )
    assert [ex for ex in _summaries(text) if ex["metadata"]["scope"] == "document"] == []
    assert not is_prose("Kick-off: Saturday, 3pm at the ground in the north of the city.")


def test_the_summary_is_written_from_its_repaired_sentences() -> None:
    # the conversation overview finds each summary sentence as ``summary_sentences`` writes it
    text = (
        "NEWS RELEASE\n\nBergen, 3 June 2024\n\n"
        "Fjordline Energy today announced that it has bought two ferries from a shipyard in Gdansk, Poland. "
        "The ferries will carry passengers between Bergen and Stavanger from the spring of 2025 onwards. "
        "Each ship has room for 600 passengers and 200 cars and runs on batteries charged in port."
    )
    at = text.find("today")
    ctx = _ctx(text, [{"start": at, "end": at + 5, "text": "today", "label": "DATE"}])
    (doc,) = [ex for ex in summary.generate(ctx, CONFIG, None) if ex["metadata"]["scope"] == "document"]
    spans = [(s["start"], s["end"]) for s in doc["source_spans"]]
    assert doc["summary"] == " ".join(summary_context.summary_sentences(ctx, spans))
    assert "today (3 June 2024) announced" in doc["summary"]


def test_a_description_needs_the_name_it_stands_for_in_the_summary() -> None:
    # cnnx audit, round 11: "The quaint capital city put on one hell of a show ..." never named
    # Wellington; "... food in the terror group's self-declared capital Raqqa" never named the group
    texts = [
        "But in actual fact it is Wellington in New Zealand that dances.",
        "The quaint capital city put on one hell of a show last weekend for its first festival.",
        "Performers in costumes strolled through the nooks and crannies of the festival grounds.",
        "Gel is spread on the skin, followed by a pulsed light applied by the nurse.",
        "The city of Leeds and the group that runs it did the same last year.",
        "Wellington's mayor said the city's streets were full until dawn.",
    ]
    text = " ".join(texts)
    at = (text.index("Wellington"), text.rindex("Wellington"))
    ctx = _ctx(text, [dict(text="Wellington", label="GPE", start=a, end=a + 10) for a in at])
    needs = summary_context.referent_needs(ctx, ctx.sentences)
    assert needs[1] == {frozenset({"city", "Wellington"})}  # the city the sentence before named
    assert needs[3] == {frozenset({"nurse"})}  # a nurse met nowhere before
    assert needs[4] == frozenset() and needs[5] == frozenset()  # "of Leeds", "that runs it"; named first
    assert not summary._allowed(texts, [], np.ones(6, dtype=bool), needs)[1]
    assert summary._allowed(texts, [0], np.ones(6, dtype=bool), needs)[1]  # after the sentence naming it


def test_a_single_quote_opened_and_never_closed_is_half_a_quotation() -> None:
    # cnnx audit, round 11: the summary ended "said: 'Hillary Clinton is a proven leader ... community."
    assert standalone.unbalanced_quote("LPAC said: 'Hillary Clinton is a proven leader for women.")
    assert not standalone.unbalanced_quote("The players' union called Clinton's bid 'historic'.")
    assert not standalone.unbalanced_quote("It's the '90s again, and rock 'n' roll is back.")


def test_a_weekday_is_dated_the_way_its_clause_points() -> None:
    """Dated Monday 10 February 2020: the council met last Wednesday but votes next Wednesday, and
    "Super Tuesday" is the name of a day, not last Tuesday."""
    text = (
        "The council met on Wednesday to discuss the harbour plan for the town. "
        "The council will vote on Wednesday on the harbour plan for the town. "
        "Candidates campaigned in Halden before Super Tuesday and the harbour vote."
    )
    mentions = [
        {"start": m, "end": m + len(day), "text": day, "label": "DATE"}
        for day in ("Wednesday", "Tuesday")
        for m in [i for i in range(len(text)) if text.startswith(day, i)]
    ]
    ctx = replace(_ctx(text, sorted(mentions, key=lambda m: m["start"])), date="2020-02-10")
    written = [summary_context.with_document_date(ctx, text[s:e], s, e) for s, e in ctx.sentences]
    assert "met on Wednesday (5 February 2020)" in written[0]
    assert "vote on Wednesday (12 February 2020)" in written[1]
    assert written[2] == text[ctx.sentences[2][0] : ctx.sentences[2][1]]
    # on the day itself: a crash "on Tuesday" reported on Tuesday 26 April 2022 was that day
    assert referents.place_date("Tuesday", "2022-04-26") == "26 April 2022"


def test_the_lead_introduces_its_descriptions_and_a_possessive_means_the_subject() -> None:
    """A news lead names its subject by a description ("The woman accused of ...", "flee the
    country") before the name follows: it opens the summary, it does not wait for a referent."""
    text = (
        "The woman accused of stealing a lighthouse lens from the harbour museum has been cleared by a court "
        "after trying to flee the country by ferry. "
        "Ilse Varga, 41, was arrested in Bergen in March when the brass lens was found in her van near the port. "
        "Her lawyer told the court that the lens had been sold to her by a dealer who had a museum receipt. "
        "The museum said it would put the lens back on display in the spring after it has been cleaned. "
        "Visitors to the harbour have asked about the lens since it went missing from its case last winter."
    )
    document = [s for s in _summaries(text) if s["generator"].startswith("summary.document")]
    assert document and document[0]["summary"].startswith("The woman accused of stealing a lighthouse lens")
    assert not standalone.dependent("Libyans are dressing up their capital Tripoli for the anniversary.", True)
    assert standalone.dependent("Smith told her the plan was off.")  # "her" is someone else


def test_footage_needs_a_film_and_a_song_its_name() -> None:
    """cnnz0 audit: "In the footage, Adeli ..." after "sending an indecent image of himself" (an
    image he sent is no film of the arrest), and "the song's lyrics" before the song is named."""
    texts = [
        "Ola Berg was arrested after sending an indecent image of himself to an officer.",
        "In the footage, Berg is asked to show his identification to the police officer.",
        "A collector bought the handwritten manuscript of the song's lyrics for $1.2 million.",
    ]
    needs = summary_context.referent_needs(_ctx(" ".join(texts)), _ctx(" ".join(texts)).sentences)
    assert not summary._allowed(texts, [0], np.ones(3, dtype=bool), needs)[1]
    assert needs[2] and all("song" in need for need in needs[2])
    filmed = ["Ola Berg was filmed by a camera at the station in Leicester.", texts[1]]
    filmed_needs = summary_context.referent_needs(_ctx(" ".join(filmed)), _ctx(" ".join(filmed)).sentences)
    assert summary._allowed(filmed, [0], np.ones(2, dtype=bool), filmed_needs)[1]


def test_the_lead_may_describe_and_a_quote_it_opens_is_closed() -> None:
    """CNN/DM dev: a lead after a caption line ("The quaint capital city put on ...") introduces with
    its description, so it still opens the summary; "He said: 'We will pay on time." reads whole once
    its quote is closed; "X is the resident nurse" says who, it points at nobody."""
    text = (
        "But in the end it was the harbour that danced all weekend long, as it always does in spring. "
        "The quaint capital city put on a show last weekend for its first street festival in years. "
        "Wellington closed six streets for the festival and more than 100 bands played until dawn. "
        "Kari Lund, the mayor, said: 'The streets will close again next March because the whole city came out for it. "
        "Visitors from Auckland and Sydney filled the hotels along the waterfront for three nights."
    )
    ctx = _ctx(text)
    texts = [text[a:b] for a, b in ctx.sentences]
    needs = summary_context.referent_needs(ctx, ctx.sentences)
    lead = summary_context.referent_needs(ctx, ctx.sentences, described=False)
    ok = summary.usable(texts)
    assert summary.select_document(texts, 3, None, ok, needs, lead)[0] == 1  # the lead opens it
    assert summary.select_document(texts, 3, None, ok, needs)[0] != 1  # waiting for a city named before
    assert ok[3]  # the mayor's quotation, closed by the writer
    picked = [ctx.sentences[3]]
    assert summary_context.summary_sentences(ctx, picked)[0].endswith("came out for it.'")
    assert standalone.close_quote("He said: 'We will pay on time.") == "He said: 'We will pay on time.'"
    assert standalone.close_quote("'We came here for vacation.") == "'We came here for vacation."  # no speaker
    ctx = _ctx("Ola Berg runs the shelter in Halden. Rademenes is the resident nurse at the shelter.")
    assert summary_context.referent_needs(ctx, ctx.sentences)[1] == frozenset()


def test_an_opening_description_gets_the_name_a_sentence_before_gave() -> None:
    # cnnz3 audit: "The quaint capital city put on one hell of a show ..." opened a summary, never naming Wellington
    text = "But in the end it is Wellington that dances. The quaint capital city put on a show for its first festival."
    w = text.index("Wellington")
    ctx = _ctx(text, [dict(text="Wellington", label="GPE", start=w, end=w + 10)])
    assert summary_context.summary_sentences(ctx, [ctx.sentences[1]]) == [
        "The quaint capital city, Wellington, put on a show for its first festival."
    ]
    assert "New Zealand" in __import__("dataforge.lib.places", fromlist=["countries"]).countries()
    two = "But it is Wellington in New Zealand that dances. The quaint capital city put on a show for its festival."
    at = [(two.index(n), n) for n in ("Wellington", "New Zealand")]
    ctx = _ctx(two, [dict(text=n, label="GPE", start=a, end=a + len(n)) for a, n in at])
    assert summary_context.summary_sentences(ctx, [ctx.sentences[1]])[0].startswith(
        "The quaint capital city, Wellington,"
    )
    two = "But it is Wellington or Auckland that dances. The quaint capital city put on a show for its festival."
    at = [(two.index(n), n) for n in ("Wellington", "Auckland")]
    ctx = _ctx(two, [dict(text=n, label="GPE", start=a, end=a + len(n)) for a, n in at])
    assert summary_context.summary_sentences(ctx, [ctx.sentences[1]])[0].startswith("The quaint capital city put on")
