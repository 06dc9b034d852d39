"""Questions a reader can answer from the document alone and that one entity answers: relative
times resolved or cut, one answer per question, "the company" read as the latest company named,
source typos and bare names kept out. Fixtures are invented sentences."""

from __future__ import annotations

from dataforge.lib.generate.common import build_context
from dataforge.lib.generate.qa import _window
from dataforge.lib.generate.qa_unique import shared_answers
from dataforge.lib.generate.question_check import deictic_time, misspelt_name
from dataforge.lib.generate.referents import dated, resolve_question


def _m(text: str, doc: str, label: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = doc.index(text, start + 1)
    return {"doc_id": "d", "mention_id": f"d:{start}", "start": start, "end": start + len(text), "text": text,
            "label": label}  # fmt: skip


def test_a_relative_time_is_dated_cut_or_not_asked():
    assert deictic_time("Who won the Sunday Cup?") is None  # a name, not a day
    assert dated("Who was the star on Sunday?", "2021-06-08") == "Who was the star on 6 June 2021?"
    # no document date: cut from a question about who did what, never from a count or a bound
    assert dated("Who was detained on Friday at the port of Hull?", None) == "Who was detained at the port of Hull?"
    assert dated("Who opened the bakery last month?", "2021-06-08") == "Who opened the bakery?"
    assert dated("How many stalls opened on Saturday?", None) is None
    assert dated("Who scored nine goals this season?", None) is None  # the count holds for the season only
    assert dated("Who has chaired the club since Monday?", None) is None
    assert dated("Who joined Kettering in March 2019?", None) == "Who joined Kettering in March 2019?"
    # ecbt audit: "early Tuesday morning" cut whole, not to "... charge early by the Patrol?"
    assert dated("Who was arrested early Tuesday morning by the Patrol?", None) == "Who was arrested by the Patrol?"


def test_a_typo_the_document_corrects_elsewhere_is_not_copied():
    text = "The former FC Marlowe winger scored for FC Marlowe. He came from FC Marloew last year."
    assert misspelt_name("Who came from FC Marloew?", text)
    assert not misspelt_name("Who scored for FC Marlowe?", text)
    assert not misspelt_name("Who met Jansson?", "Janson met Jansson. Ola Janson left.")  # two people


def _cand(question: str, mention: dict, qtype: str = "which") -> dict:
    return {"question": question, "qtype": qtype, "mention": mention}


def test_a_question_two_entities_answer_is_not_asked():
    text = "Brevik Tidal is based in Tromso. Skarn Labs is headquartered in Tromso. Brevik Tidal hired Ola Berg."
    brevik, skarn = _m("Brevik Tidal", text, "ORG"), _m("Skarn Labs", text, "ORG")
    place, place2 = _m("Tromso", text, "GPE"), _m("Tromso", text, "GPE", 1)
    relations = [
        {"head_mention_id": brevik["mention_id"], "tail_mention_id": place["mention_id"], "head": "Brevik Tidal",
         "tail": "Tromso", "relation": "located_in", "polarity": "affirmative", "modality": "asserted"},
        {"head_mention_id": skarn["mention_id"], "tail_mention_id": place2["mention_id"], "head": "Skarn Labs",
         "tail": "Tromso", "relation": "headquartered_in", "polarity": "affirmative", "modality": "asserted"},
    ]  # fmt: skip
    berg = _m("Ola Berg", text, "PERSON")
    ctx = build_context({"doc_id": "d", "text": text}, [], [brevik, skarn, place, place2, berg], relations, 1)
    based = _cand("Which organization is based in Tromso?", brevik)
    hired = _cand("Which organization hired Ola Berg?", brevik)
    assert shared_answers(ctx, [based, hired]) == {id(based)}
    # one question asked of two entities; the same entity under two names is one answer
    a, b = _cand("Which organization opened a lab?", brevik), _cand("Which organization opened a lab?", skarn)
    assert shared_answers(ctx, [a, b]) == {id(a), id(b)}
    short = {**brevik, "text": "Brevik"}
    assert shared_answers(ctx, [a, _cand("Which organization opened a lab?", short)]) == set()


def test_the_company_is_the_latest_company_named():
    text = "Kestrel Works builds pumps. Orla Foods bought it. The company employs 90 people."
    kestrel, orla = _m("Kestrel Works", text, "ORG"), _m("Orla Foods", text, "ORG")
    at = text.index("The company")
    document = {"doc_id": "d", "text": text, "coref": [
        {"mention_id": "c1", "antecedent_mention_id": kestrel["mention_id"], "start": at, "end": at + 11,
         "text": "The company"}]}  # fmt: skip
    ctx = build_context(document, [], [kestrel, orla], [], 1)
    sent = (text.index("The company"), len(text))
    # the chain says Kestrel Works, but Orla Foods was named last: no guess
    assert resolve_question(ctx, "How many people does the company employ?", *sent) is None
    document["coref"][0]["antecedent_mention_id"] = orla["mention_id"]
    ctx = build_context(document, [], [kestrel, orla], [], 1)
    assert resolve_question(ctx, "How many people does the company employ?", *sent) == (
        "How many people does Orla Foods employ?"
    )


def test_a_context_reaches_back_to_the_full_name():
    text = "Tove Lindahl trains in Bergen. " + "She runs daily. " * 20 + "Lindahl won the race."
    full, bare = _m("Tove Lindahl", text, "PERSON"), _m("Lindahl", text, "PERSON", 1)
    ctx = build_context({"doc_id": "d", "text": text}, [_chunk(text)], [full, bare], [], 1)
    chunk = {"start": text.index("She runs", 200), "end": len(text)}
    assert _window(ctx, bare, chunk) == (0, len(text))
    assert _window(ctx, full, chunk) is None  # a full name needs no wider context


def _chunk(text: str) -> dict:
    """One chunk over ``text`` with its sentences at each full stop."""
    starts = [0] + [i + 2 for i in range(len(text) - 1) if text[i] == "." and text[i + 1] == " "]
    ends = [s - 1 for s in starts[1:]] + [len(text)]
    sentences = [{"start": a, "end": b} for a, b in zip(starts, ends, strict=True)]
    return {"doc_id": "d", "chunk_id": 0, "start": 0, "end": len(text), "text": text, "sentences": sentences}


def test_a_context_never_starts_inside_a_sentence():
    # "The cousin of Tove Lindahl ..." cut at the name would say Lindahl sold the farm
    text = "Boats. The cousin of Tove Lindahl sold the farm. " + "She rows daily. " * 200 + "Lindahl won the race."
    full, bare = _m("Tove Lindahl", text, "PERSON"), _m("Lindahl", text, "PERSON", 1)
    ctx = build_context({"doc_id": "d", "text": text}, [_chunk(text)], [full, bare], [], 1)
    assert _window(ctx, bare, {"start": len(text) - 40, "end": len(text)}) is None  # the sentence is too far back
    near = {"start": text.index("She rows"), "end": text.index("She rows") + 2900}
    assert _window(ctx, bare, near) == (text.index("The cousin"), near["end"])
