"""Conversation follow-ups and identity answers a strict reader accepts (round-10 audit defects).

Each fixture is written for the test in the style of a shipped defect: an identity cut from a
coordinated role ("X is a player."), an "also" that points at someone else, a place given as an
organisation's identity, a caption's description, a show's name spelled out as a person, a
copula asked for a time, an identity follow-up that repeats the overview, a lead that opens on
"Now", one company asked about twice under two keys.
"""

from __future__ import annotations

from dataforge.lib.generate import conversation as cv
from dataforge.lib.generate import conversation_answers as ca
from dataforge.lib.generate import conversation_turns as ct
from dataforge_tests.lib.test_conversation import _ctx, _defs, _span


def test_also_in_an_appositive_is_left_out():
    """ "Julia Church is also a retired hairdresser.": "also" is of a woman the answer never names."""
    defs = _defs(
        "Maureen Lomax is a retired teacher from Leeds. Jean Hardy, also a retired teacher, moved to Malaga "
        "with her husband. Jean Hardy now runs a bar."
    )
    assert " also " not in defs.get("Jean Hardy", "")


def test_a_name_used_as_a_modifier_is_not_spelled_out_as_a_person():
    """ "former Seinfeld star" became "a former Jerry Seinfeld star": the show, not the man."""
    fulls = {"Seinfeld": "Jerry Seinfeld"}
    text = "Fans of former Seinfeld star Julia are buzzing."
    assert ct.spell_out(text, "", fulls) == text
    assert ct.spell_out("The Seinfeld cast met.", "", fulls) == "The Seinfeld cast met."
    assert ct.spell_out("Seinfeld said it was true.", "", fulls) == "Jerry Seinfeld said it was true."


def test_a_copula_asked_for_a_time_is_refused():
    """ "When was Riddick Bowe's last fight a win over Gene Pukall in Germany?" is no English."""
    assert ct._copular_wh("When was Tom Marsh's last fight a win over Eli Stone in Ohio?")
    assert ct._copular_wh("Where was his first match a draw?")
    assert not ct._copular_wh("When was Tom Marsh named a director of Harbor Tidal?")
    assert not ct._copular_wh("When was Tom Marsh hired by a school in Ohio?")
    assert not ct._copular_wh("When was Harbor Tidal founded?")
    ctx = _ctx("Tom Marsh's last fight was a win over Eli Stone in Ohio in 2008.")
    raw = ctx.text[slice(*_span(ctx, "last fight"))]
    assert not ct._question_ok(ctx, "When was Tom Marsh's last fight a win over Eli Stone in Ohio?", "2008", "DATE",
                               raw, {})  # fmt: skip


def test_an_identity_the_overview_already_gave_is_no_follow_up():
    """ "Who is Britt McHenry?" -> "Britt McHenry is an ESPN sports reporter." after an overview
    opening "Britt McHenry, a Washington D.C.-based sports reporter for ESPN, ..."."""
    told = "Nora Vance, a Denver-based sports reporter for KBTV, has been suspended after a rant."
    assert cv.told_already("Nora Vance is a KBTV sports reporter.", "Nora Vance", told)
    assert cv.told_already("Nora Vance is a sports reporter.", "Nora Vance", told)
    assert not cv.told_already("Nora Vance is a KBTV news anchor.", "Nora Vance", told)
    assert not cv.told_already("Ilse Brandt is a Harwick striker.", "Ilse Brandt", told)


def test_an_overview_does_not_open_on_now():
    """ "Now Riddick Bowe, of Maryland, has found himself tweeting ...": the turn of a past
    the overview never told; the lead misses who he was."""
    text = (
        "Now Corran Marsh, of Ohio, has found himself selling signed gloves online. Corran Marsh was a world "
        "champion in 1992. Corran Marsh retired in 1997."
    )
    ctx = _ctx(text)
    spans = [_span(ctx, "selling signed"), _span(ctx, "world champion")]
    summary = {"summary": " ".join(ctx.text[s:e] for s, e in spans), "source_spans": [
        {"start": s, "end": e} for s, e in spans]}  # fmt: skip
    assert cv.overview(ctx, summary, ct.entities(ctx)) is None
    spans = spans[1:]
    summary = {"summary": ctx.text[slice(*spans[0])], "source_spans": [{"start": spans[0][0], "end": spans[0][1]}]}
    assert cv.overview(ctx, summary, ct.entities(ctx)) is not None


def test_one_company_is_not_asked_about_twice_under_two_keys():
    """Two entity conversations, "Northwind" and "Northwind Renewable Energy Corporation"."""
    short = ct.Entity("Harbor", "ORG", frozenset({"Harbor"}), 5)
    full = ct.Entity("Harbor Tidal Power Ltd", "ORG", frozenset({"Harbor Tidal Power Ltd", "HTP"}), 4)
    person = ct.Entity("Harbor Smith", "PERSON", frozenset({"Harbor Smith"}), 2)
    other = ct.Entity("Harborview", "ORG", frozenset({"Harborview"}), 2)
    assert cv._one_name(short, full) and cv._one_name(full, short)
    assert not cv._one_name(short, person) and not cv._one_name(short, other)


def _parsed(words: list[str], pos: list[str], deps: list[str], heads: list[int]):
    """A sentence parsed by hand, as the NER stage's parse of the audited text had it."""
    import spacy
    from spacy.tokens import Doc

    return Doc(spacy.blank("en").vocab, words=words, pos=pos, deps=deps, heads=heads)


def test_the_parse_of_a_coordinated_role_gives_no_bare_noun():
    """The parse of "Ex-Dunmore and Harwick player Brackley, ..." hangs "Harwick" on "Dunmore" (a
    conjunct): the role collected back from "player" stops there and would read "a player"."""
    doc = _parsed(
        ["Ex", "-", "Dunmore", "and", "Harwick", "player", "Brackley", ",", "said", "it", "."],
        ["PROPN", "PUNCT", "PROPN", "CCONJ", "PROPN", "NOUN", "PROPN", "PUNCT", "VERB", "PRON", "PUNCT"],
        ["compound", "punct", "nmod", "cc", "conj", "compound", "nsubj", "punct", "ROOT", "dobj", "punct"],
        [6, 6, 6, 2, 2, 6, 8, 6, 8, 8, 8],
    )
    name = doc[6:7]
    assert ca._cut_short(doc, doc[5], {5, 6})
    assert ca._role_before(name, lambda t: t.i in (2, 4, 6), {}) is None
    doc = _parsed(
        ["Harwick", "striker", "Brackley", "said", "it", "."],
        ["PROPN", "NOUN", "PROPN", "VERB", "PRON", "PUNCT"],
        ["compound", "compound", "nsubj", "ROOT", "dobj", "punct"],
        [2, 2, 3, 3, 3, 3],
    )
    made = ca._role_before(doc[2:3], lambda t: t.i in (0, 2), {"Harwick": 2})
    assert made is not None and made[0] == "a Harwick striker"


def test_no_identity_from_a_caption_or_a_place_noun_for_a_group():
    """ "Bowe is an undefeated boxer." read off "... beat the undefeated boxer Bowe (left) is
    pictured in 2004"; "ISIS is an abandoned Syrian road."."""
    assert ct.refused_identity("PERSON", "boxer", "Stone beat the undefeated boxer Marsh (left) is pictured in 2004.")
    assert ct.refused_identity("ORG", "road", "The men were led down the abandoned road Harran Front has taken.")
    assert not ct.refused_identity("FAC", "road", "Harran Road is a road in Leeds.")
    assert not ct.refused_identity("ORG", "group", "Harran Front, a militant group, claimed the attack.")
    assert not ct.refused_identity("PERSON", "boxer", "Heavyweight boxer Corran Marsh retired in 1997.")
