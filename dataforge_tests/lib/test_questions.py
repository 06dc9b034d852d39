"""Questions a person would ask, conversations that hold together, no example shipped twice.

Each defect pattern of the strict audit (issue 15) has an inline fixture here, run through the
pipeline's own steps (chunking, spaCy parses, mentions, coreference, generators): the
generators must emit a fluent question, or none.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate import generate_document_examples
from dataforge.lib.generate.common import build_context
from dataforge.lib.generate.qa import finish_question
from dataforge.lib.generate.referents import place_date, standalone
from dataforge.lib.quality import signals

BASE = DataforgeConfig()
CONFIG = replace(BASE, generate=replace(BASE.generate, summary_method="tfidf", max_qa_per_chunk=50))
PRONOUN = re.compile(r"\b(he|she|it|they|him|them|his|her|its|their)\b", re.I)


def _pipeline_inputs(text: str, doc_id: str = "doc-q", date: str | None = None):
    """Document, chunks, mentions, parses and coreference rows as the pipeline makes them."""
    from dataforge.lib.chunk import chunk_document
    from dataforge.lib.coref import coref_mentions
    from dataforge.lib.nlp import chunk_sentences, mentions_from_parses, parse_documents
    from dataforge.lib.stages import ENTITY_LABELS

    chunks = chunk_document(doc_id, text, BASE.chunk)
    ((_, parses),) = parse_documents([(doc_id, text, chunks)], BASE.nlp)
    mentions = mentions_from_parses(doc_id, parses, chunks)
    named = [m for m in mentions if m["label"] in ENTITY_LABELS]
    coref = coref_mentions(doc_id, parses, named, chunk_sentences(chunks))
    document = {"doc_id": doc_id, "text": text, "title": "", "language": "en", "date": date, "coref": coref}
    return document, chunks, mentions, parses


def examples(text: str, date: str | None = None, coref: bool = True) -> list[dict]:
    document, chunks, mentions, parses = _pipeline_inputs(text, date=date)
    if not coref:
        document = {**document, "coref": []}
    return generate_document_examples(document, chunks, mentions, [], CONFIG, parses=parses)


def questions(text: str, **kw) -> dict[str, dict]:
    return {e["question"]: e for e in examples(text, **kw) if e["kind"] == "qa" and e["answer"]}


def assert_fluent(qa: dict[str, dict]) -> None:
    for q, e in qa.items():
        assert signals.question_reasons(q, e["answer"], e["metadata"]["answer_type"]) == [], q
        assert not signals.first_second_person(q), q


def test_first_person_of_the_source_never_reaches_a_question():
    text = (
        "I founded Northwind Labs in Leeds in 2012. We sold our stake in Northwind Labs to Harbor Capital in 2020. "
        "Our largest shareholder is Harbor Capital."
    )
    qa = questions(text)
    assert_fluent(qa)
    assert not any(re.search(r"\b(I|we|our|us|my)\b", q, re.I) for q in qa)


def test_pronouns_are_replaced_by_their_antecedent_or_the_question_is_dropped():
    text = (
        "Jonas Berg joined Arctic Grid as an engineer in 2014. "
        "He became chairman of Arctic Grid in 2019 after a vote of the board."
    )
    qa = questions(text)
    assert_fluent(qa)
    assert not any(PRONOUN.search(q) for q in qa)
    resolved = [q for q, e in qa.items() if e["answer"] == "2019"]
    assert resolved and all("Jonas Berg" in q for q in resolved), qa.keys()
    unresolved = questions(text, coref=False)  # no chain: no question about "he"
    assert not any(e["answer"] == "2019" for e in unresolved.values())
    assert not any(PRONOUN.search(q) for q in unresolved)


def test_when_answers_are_dates_a_reader_can_place():
    text = (
        "Halden Power announced the sale of its Oslo office on Tuesday. "
        "The board of Halden Power approved the plan in March. "
        "Halden Power opened the Oslo office on 4 May 2011."
    )
    qa = questions(text)
    assert_fluent(qa)
    when = {q: e["answer"] for q, e in qa.items() if signals.is_when(q)}
    assert "Tuesday" not in when.values() and "March" not in when.values()
    assert "4 May 2011" in when.values()


def test_place_date_resolves_against_the_document_date_or_gives_none():
    assert place_date("March 2015", None) == "March 2015"
    assert place_date("Tuesday", None) is None
    assert place_date("Tuesday", "2015-03-12") == "10 March 2015"
    assert place_date("year end", None) is None


def _ctx(text: str, labels: dict[str, str]):
    mentions = []
    for surface, label in labels.items():
        for m in re.finditer(re.escape(surface), text):
            mentions.append({"doc_id": "d", "mention_id": f"d:{m.start()}", "start": m.start(), "end": m.end(),
                             "text": surface, "label": label})  # fmt: skip
    return build_context({"doc_id": "d", "text": text}, [], mentions, [], 1)


def test_wh_word_agrees_with_the_resolved_type():
    text = "Ostrea remains fully funded by Northwind Energy."
    ctx = _ctx(text, {"Ostrea": "ORG", "Northwind Energy": "ORG"})
    sent = (0, len(text))
    assert finish_question(ctx, "Who remains fully funded by Northwind Energy?", "Ostrea", "ORG", sent) is None
    good = finish_question(ctx, "Which organization remains fully funded by Northwind Energy?", "Ostrea", "ORG", sent)
    assert good == "Which organization remains fully funded by Northwind Energy?"
    assert signals.wh_mismatch("Which place brought 85 employees?", "ORG")
    assert not signals.wh_mismatch("Where is NREC based?", "GPE")


def test_incomplete_questions_and_given_away_answers_are_dropped():
    text = "Halden Wind AS could build the turbines, and Halden Wind AS was sold to NREC."
    ctx = _ctx(text, {"Halden Wind AS": "ORG", "NREC": "ORG"})
    sent = (0, len(text))
    assert finish_question(ctx, "Which organization could build?", "Halden Wind AS", "ORG", sent) is None
    assert finish_question(ctx, "Which organization is headquartered?", "Halden Wind AS", "ORG", sent) is None
    assert finish_question(ctx, "Who bought Halden Wind?", "Halden Wind AS", "ORG", sent) is None  # gives it away
    assert signals.answer_in_question("Who bought Halden Wind?", "Halden Wind AS")
    assert not signals.answer_in_question("Which organization bought the wind farm?", "Halden Wind AS")


def test_questions_of_faq_headings_and_markup_are_dropped():
    text = "Does NREC pay a dividend? Not yet. NREC is privately held."
    ctx = _ctx(text, {"NREC": "ORG"})
    faq = (0, text.index("?") + 1)
    assert finish_question(ctx, "Which organization Does pay a dividend Not yet?", "NREC", "ORG", faq) is None
    prose = (text.index("NREC is"), len(text))
    assert finish_question(ctx, "By how much did MW | Revenue grow?", "NREC", "ORG", prose) is None


DOC = (
    "Maria Alvarez founded Northwind Robotics in Boston in 2009. "
    "Northwind Robotics acquired Helix Sensors for $40 million in March 2015. "
    "Helix Sensors makes lidar units for mobile machines and employs 120 people in Austin. "
    "She said the deal doubled the engineering team of Northwind Robotics. "
    "In 2021, Northwind Robotics opened a research lab in Denver. "
    "Maria Alvarez said the lab in Denver would focus on warehouse safety."
)


@pytest.fixture(scope="module")
def doc_examples() -> list[dict]:
    return examples(DOC)


def test_conversations_hold_together(doc_examples):
    convs = [e for e in doc_examples if e["kind"] == "conversation"]
    assert convs
    for conv in convs:
        assert signals.conversation_reasons(conv) == [], conv["conversations"]
        turns = conv["conversations"][1:]
        users = [t["content"] for t in turns if t["role"] == "user"]
        assert len(set(users)) == len(users)  # every follow-up asks something new
        for prev, user in zip(turns[1::2], turns[2::2], strict=False):
            if user["role"] != "user":
                continue
            named = {m.group() for m in re.finditer(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", prev["content"])}
            specific = any(n in user["content"] for n in named)
            pronoun = PRONOUN.search(user["content"])
            assert specific or pronoun, (prev["content"], user["content"])
            if pronoun and conv["metadata"]["topic"] == "entity":
                word = pronoun.group().lower()
                person = conv["metadata"]["entity_label"] == "PERSON"
                assert (word in ("he", "she", "him", "his", "her")) == person, user["content"]


def test_assistant_turns_stand_on_their_own():
    text = "Maria Alvarez founded Northwind Robotics in 2009. She said the company would grow. However, sales fell."
    document, chunks, mentions, _ = _pipeline_inputs(text)
    ctx = build_context(document, chunks, mentions, [], 1)
    second = text.index("She")
    turn = standalone(ctx, second, text.index(" However"))
    assert turn is not None and turn.startswith("Maria Alvarez said")
    third = text.index("However")
    assert standalone(ctx, third, len(text)) is None or not signals.dangling_turn(standalone(ctx, third, len(text)))
    assert signals.dangling_turn("It manages about $6.8 billion in assets.")
    assert signals.dangling_turn("Our division grew by 12 percent.")
    assert not signals.dangling_turn('Maria Alvarez said: "our team grew".')


def test_no_example_is_shipped_twice_under_two_kinds(doc_examples):
    assert signals.cross_kind_duplicates(doc_examples) == []
    tasks = {e["metadata"]["task"] for e in doc_examples if e["kind"] == "instruction"}
    assert "answer_from_context" not in tasks and "summarize" not in tasks
    assert "list_entities_of_type" in tasks
    qa_pairs = {(e["question"], e["answer"]) for e in doc_examples if e["kind"] == "qa"}
    summaries = {e["summary"] for e in doc_examples if e["kind"] == "summary"}
    for e in doc_examples:
        if e["kind"] == "instruction":
            assert e["output"] not in summaries
            assert not any(q in e["input"] and a == e["output"] for q, a in qa_pairs)


def test_signals_catch_each_defect_pattern():
    assert signals.first_second_person("When did I found Northwind?")
    assert not signals.first_second_person("When did Jonas Berg found Northwind?")
    assert signals.unresolved_pronoun("When did he become chairman of it?")
    assert not signals.unresolved_pronoun("Which organization delivered its first power in 2023?")
    assert signals.bare_when("When did NREC announce the deal?", "Tuesday")
    assert signals.bare_when("When did NREC report net debt?", "year end")
    assert not signals.bare_when("When did NREC announce the deal?", "14 March 2023")
    assert signals.generic_turn("Tell me more about it.")
    assert signals.generic_turn("Is there anything else?")
    assert not signals.generic_turn("What else did Helix Sensors make?")
    dup = [
        {"kind": "qa", "id": "q", "question": "Who founded X?", "answer": "Y"},
        {"kind": "summary", "id": "s", "summary": "X was founded by Y."},
        {
            "kind": "instruction",
            "id": "i1",
            "instruction": "Answer.",
            "input": "Question: Who founded X?",
            "output": "Y",
        },
        {"kind": "instruction", "id": "i2", "instruction": "Sum.", "input": "...", "output": "X was founded by Y."},
        {"kind": "instruction", "id": "i3", "instruction": "List.", "input": "...", "output": "- X\n- Y"},
    ]
    assert signals.cross_kind_duplicates(dup) == ["i1", "i2"]
    counts = signals.count_signals(dup)
    assert counts["cross_kind_duplicates"] == 2 and counts["bare_when"] == 0


def test_assistant_turns_place_bare_dates_with_the_document_date():
    text = "Halden Power announced the sale of its Oslo office on Tuesday. Halden Power opened the office in 2011."
    document, chunks, mentions, _ = _pipeline_inputs(text, date="2015-03-12")
    ctx = build_context(document, chunks, mentions, [], 1)
    end = text.index(".") + 1
    turn = standalone(ctx, 0, end)
    assert turn is not None and "Tuesday (10 March 2015)" in turn
    undated = build_context({**document, "date": None}, chunks, mentions, [], 1)
    assert standalone(undated, 0, end) == text[:end]


def test_a_vague_entity_opening_is_answered_by_what_the_entity_is() -> None:
    """'Tell me about NREC.' -> 'NREC is paying $31.0 million in cash.' teaches a partial answer;
    the opening is either a defining sentence or a specific question."""
    from dataforge.lib.generate.conversation import OPEN_ENTITY
    from dataforge.lib.generate.standalone import defines

    text = (
        "Northwind Robotics is a maker of warehouse robots based in Denver. Northwind Robotics opened a lab "
        "in Boston in 2021. Northwind Robotics hired 40 engineers in 2022. Acme Freight paid $3 million for "
        "new trucks in 2020. Acme Freight opened a depot in Austin in 2021. Acme Freight hired 20 drivers in 2022."
    )
    convs = [e for e in examples(text) if e["kind"] == "conversation" and e["metadata"]["topic"] == "entity"]
    assert convs
    vague = tuple(t.split("{x}")[0] for t in OPEN_ENTITY)
    for conv in convs:
        user, answer = conv["conversations"][1]["content"], conv["conversations"][2]["content"]
        if user.startswith(vague):
            assert defines(answer, conv["metadata"]["entity"]), (user, answer)
    assert not defines("NREC is headquartered in Rotterdam, the Netherlands.", "NREC")
    assert defines("NREC, the offshore developer headquartered in Rotterdam, raised $22 million.", "NREC")


def test_a_question_never_cuts_a_list_short() -> None:
    """'employed 640 people in Rotterdam, Oslo and Bergen' -> 'How many people did Northwind
    employ in Rotterdam?' states something false: 640 is the three cities together."""
    text = (
        "Northwind was founded in Rotterdam in 2015. At the end of 2023 Northwind employed 640 people in "
        "Rotterdam, Oslo and Bergen, and its attributable generating capacity stood at 612 MW. The company "
        "remains headquartered in Rotterdam. Helena Marsh is still chief executive of Northwind."
    )
    questions = [e["question"] for e in examples(text) if e["kind"] == "qa"]
    assert questions
    assert not [q for q in questions if re.search(r"\bemploy in Rotterdam\?$", q)], questions
