"""Relation examples over complete sentence windows, schema English, multi-hop and yes/no from facts."""

from __future__ import annotations

import re

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate import relation, relation_tasks
from dataforge.lib.generate.common import build_context
from dataforge.lib.generate.corpus import Fact
from dataforge.lib.generate.fact_tasks import multihop, schema_facts, yes_no_questions
from dataforge.lib.generate.relation_windows import complete_windows, functional_questions
from dataforge.lib.relation_schema import RELATIONS, map_predicate
from dataforge.lib.relation_text import question, statement, yes_no

LABELS = {
    "Helena Marsh": "PERSON", "Pieter van Dijk": "PERSON", "Marsh": "PERSON", "Amara Okafor": "PERSON",
    "Northwind": "ORG", "NREC": "ORG", "Halden Marine Power": "ORG", "Baltic Wind": "ORG",
    "North Sea Energy Institute": "ORG", "Bergen": "GPE", "Oslo": "GPE", "Ingrid\nSolberg": "PERSON",
}  # fmt: skip


def context(text: str, facts: list[tuple[str, str, str, str]]):
    """A DocContext over ``text``: every LABELS surface is a mention; facts are (head, relation, predicate, tail)."""
    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.\s][^.]*\.", text)]
    mentions = []
    for surface, label in LABELS.items():
        for m in re.finditer(rf"\b{re.escape(surface)}\b", text):
            if any(o["start"] <= m.start() < o["end"] for o in mentions):
                continue
            s, e = next((a, b) for a, b in sentences if a <= m.start() < b)
            mentions.append(
                dict(mention_id=f"m{m.start()}", start=m.start(), end=m.end(), text=surface, label=label,
                     sentence_start=s, sentence_end=e, chunk_id=0, cluster_id=surface, doc_id="d")
            )  # fmt: skip

    def pair(h: str, t: str) -> tuple[dict, dict]:  # the two mentions sharing a sentence
        for a in (m for m in mentions if m["text"] == h):
            for b in (m for m in mentions if m["text"] == t and m["sentence_start"] == a["sentence_start"]):
                return a, b
        raise AssertionError((h, t))

    relations = []
    for h, r, p, t in facts:
        a, b = pair(h, t)
        relations.append(
            dict(head_mention_id=a["mention_id"], tail_mention_id=b["mention_id"], relation=r, predicate=p,
                 kind="typed", pattern="svo", confidence=0.7, polarity="affirmative", modality="asserted")
        )  # fmt: skip
    chunk = dict(doc_id="d", chunk_id=0, start=0, end=len(text), text=text, heading="",
                 sentences=[{"start": a, "end": b} for a, b in sentences])  # fmt: skip
    return build_context({"doc_id": "d", "text": text}, [chunk], mentions, relations, 7)


def test_a_window_ships_only_with_every_coordinated_founder():
    text = "Northwind was founded in Bergen by Helena Marsh and Pieter van Dijk."
    one = context(text, [("Northwind", "founded_by", "found", "Helena Marsh")])
    assert complete_windows(one) == []  # the second founder is missing
    both = context(
        text,
        [("Northwind", "founded_by", "found", "Helena Marsh"), ("Northwind", "founded_by", "found", "Pieter van Dijk")],
    )
    [window] = complete_windows(both)
    assert [(t.head["text"], t.relation, t.tail["text"]) for t in window.triples] == [
        ("Northwind", "founded_by", "Helena Marsh"),
        ("Northwind", "founded_by", "Pieter van Dijk"),
    ]


def test_a_window_with_an_unextracted_relation_cue_is_left_out():
    # the acquisition is stated but only the headquarters was extracted: incomplete
    text = "NREC, which is headquartered in Bergen, acquired Halden Marine Power."
    ctx = context(text, [("NREC", "headquartered_in", "headquarter in", "Bergen")])
    assert complete_windows(ctx) == []
    ctx = context(
        text,
        [
            ("NREC", "headquartered_in", "headquarter in", "Bergen"),
            ("NREC", "acquired", "acquire", "Halden Marine Power"),
        ],
    )
    assert len(complete_windows(ctx)) == 1


def test_a_fact_without_its_cue_or_with_a_bare_surname_is_no_window():
    # a "found" fact in a sentence that says nothing of founding is a parser error
    assert (
        complete_windows(
            context("Helena Marsh visited Northwind.", [("Northwind", "founded_by", "find", "Helena Marsh")])
        )
        == []
    )
    assert (
        complete_windows(
            context("Marsh is the chief executive of NREC.", [("Marsh", "ceo_of", "chief executive of", "NREC")])
        )
        == []
    )
    ok = context(
        "Helena Marsh is the chief executive of NREC.", [("Helena Marsh", "ceo_of", "chief executive of", "NREC")]
    )
    assert len(complete_windows(ok)) == 1


def test_a_person_of_an_organization_needs_a_fact():
    text = "Amara Okafor of the North Sea Energy Institute is the chair of Baltic Wind."
    assert complete_windows(context(text, [("Amara Okafor", "chair_of", "chair of", "Baltic Wind")])) == []
    both = [("Amara Okafor", "chair_of", "chair of", "Baltic Wind"),
            ("Amara Okafor", "affiliated_with", "of", "North Sea Energy Institute")]  # fmt: skip
    assert len(complete_windows(context(text, both))) == 1


def test_relation_record_names_the_schema_and_its_arguments():
    ctx = context("NREC acquired Baltic Wind in a cash deal.", [("NREC", "acquired", "acquire", "Baltic Wind")])
    [row] = relation.generate(ctx, DataforgeConfig())
    assert row["relation_types"] == list(RELATIONS)
    assert [e["text"] for e in row["entities"]] == ["NREC", "Baltic Wind"]
    assert row["relations"][0]["relation"] == "acquired" and row["relations"][0]["predicate"] == "acquire"
    tasks = relation_tasks.generate(ctx)
    extract = next(e for e in tasks if e["metadata"]["task"] == "extract_relations")
    assert (
        "founded_by" in extract["input"].split("Relation types:")[1]
        and extract["output"] == "(NREC, acquired, Baltic Wind)"
    )
    explain = next(e for e in tasks if e["metadata"]["task"] == "explain_relation")
    assert explain["output"].startswith("NREC acquired Baltic Wind.")


def test_a_name_wrapped_over_two_lines_reads_as_one_in_the_record():
    """A PDF line break inside a name ("Helena\\nMarsh") made the entity text disagree with the tail."""
    ctx = context(
        "Northwind was founded in Bergen by Ingrid\nSolberg.", [("Northwind", "founded_by", "found", "Ingrid\nSolberg")]
    )
    [row] = relation.generate(ctx, DataforgeConfig())
    assert "\n" not in row["text"]
    marsh = next(e for e in row["entities"] if e["label"] == "PERSON")
    assert marsh["text"] == "Ingrid Solberg" == row["text"][marsh["start"] : marsh["end"]]
    assert row["relations"][0]["tail"] == "Ingrid Solberg"


def test_relation_questions_ask_only_a_single_valued_end():
    assert question("born_in", "head", "Oslo", "PERSON") is None  # many people are born in Oslo
    two = [
        ("Northwind", "founded_by", "found", "Helena Marsh"),
        ("Northwind", "founded_by", "found", "Pieter van Dijk"),
    ]
    ctx = context("Northwind was founded in Bergen by Helena Marsh and Pieter van Dijk.", two)
    assert functional_questions(ctx) == []  # "Who founded Northwind?" has two answers
    ctx = context("Northwind was founded in Bergen by Helena Marsh.", two[:1])
    assert [q for q, *_ in functional_questions(ctx)] == ["Who founded Northwind?"]
    assert question("ceo_of", "head", "NREC", "PERSON") == "Who is the chief executive of NREC?"
    assert statement("founded_by", "Northwind", "Helena Marsh") == "Northwind was founded by Helena Marsh."
    assert yes_no("acquired", "NREC", "Baltic Wind") == "Did NREC acquire Baltic Wind?"
    ctx = context(
        "Helena Marsh is the chief executive of NREC. NREC acquired Baltic Wind for cash last year.",
        [("Helena Marsh", "ceo_of", "chief executive of", "NREC"), ("NREC", "acquired", "acquire", "Baltic Wind")],
    )
    asked = {q: m["text"] for q, _, m, _ in functional_questions(ctx)}
    assert asked == {
        "Who is the chief executive of NREC?": "Helena Marsh",
        "Which organization acquired Baltic Wind?": "NREC",
    }


def test_former_and_deputy_roles_are_not_the_role():
    assert map_predicate("former chief executive of", "appos", "PERSON", "ORG") == ("", False)
    assert map_predicate("deputy chairman of", "appos", "PERSON", "ORG")[0] == "employee_of"
    assert map_predicate("chief executive of", "appos", "PERSON", "ORG")[0] == "ceo_of"


DOCS = {
    "a": {"text": "NREC acquired Baltic Wind. Northwind Tidal is based in Oslo."},
    "b": {
        "text": "Baltic Wind is headquartered in Bergen. Helena Marsh is the chief executive of NREC. "
        "Amara Okafor spoke."
    },
}


def _fact(doc: str, rel: str, h: str, hl: str, t: str, tl: str) -> Fact:
    text = DOCS[doc]["text"]
    hs, ts = text.index(h), text.index(t)
    sent = next((m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text) if m.start() <= hs < m.end())
    return Fact(doc, rel, h, t, h, t, hl, tl, (hs, hs + len(h)), (ts, ts + len(t)), sent, rel, False)


def test_multihop_needs_both_documents_and_single_valued_steps():
    facts = schema_facts(
        [
            _fact("a", "acquired", "NREC", "ORG", "Baltic Wind", "ORG"),
            _fact("b", "ceo_of", "Helena Marsh", "PERSON", "NREC", "ORG"),
            _fact("b", "headquartered_in", "Baltic Wind", "ORG", "Bergen", "GPE"),
        ]  # fmt: skip
    )
    rows = multihop(DOCS, facts, DataforgeConfig())
    questions = {r["question"]: r["answer"] for r in rows}
    assert questions == {"Who is the chief executive of the organization that acquired Baltic Wind?": "Helena Marsh"}
    for r in rows:
        assert r["context"][r["answer_start"] : r["answer_end"]] == r["answer"]
        assert len(r["source_documents"]) == 2


def test_a_no_answer_is_only_given_where_the_corpus_proves_it_false():
    facts = schema_facts(
        [
            _fact("b", "ceo_of", "Helena Marsh", "PERSON", "NREC", "ORG"),
            _fact("a", "acquired", "NREC", "ORG", "Baltic Wind", "ORG"),
        ]
    )
    pool = {"PERSON": ["Helena Marsh", "Amara Okafor"], "ORG": ["NREC", "Baltic Wind", "Northwind Tidal"]}
    names = {c: c for cs in pool.values() for c in cs}
    rows = yes_no_questions(DOCS, facts, pool, names, DataforgeConfig())
    by_answer = {r["instruction"]: r["output"].split(".")[0] for r in rows}
    assert any("Is Amara Okafor the chief executive of NREC?" in q and a == "No" for q, a in by_answer.items())
    assert any("Did Northwind Tidal acquire Baltic Wind?" in q and a == "No" for q, a in by_answer.items())
    assert sum(a == "Yes" for a in by_answer.values()) == 2
    assert all(r["input"] and r["input"] in r["output"] for r in rows)  # the evidence is the input: self-contained
    # a person no story of that fact names is no plausible probe ("Is Tove Lind the chief executive of NREC?")
    far = {"PERSON": ["Helena Marsh", "Tove Lind"], "ORG": ["NREC", "Baltic Wind"]}
    rows = yes_no_questions(DOCS, facts, far, {c: c for cs in far.values() for c in cs}, DataforgeConfig())
    assert not any("Tove Lind" in r["instruction"] for r in rows)


def test_a_preposition_never_turns_a_verb_into_the_wrong_relation():
    # "Lentini joined Milan from Torino": no job at Torino; "bought it from Siemens": Siemens not acquired
    assert map_predicate("join from", "prep", "PERSON", "ORG") == ("", False)
    assert map_predicate("buy from", "prep", "ORG", "ORG") == ("", False)
    assert map_predicate("acquire in", "prep", "ORG", "ORG") == ("", False)


def test_an_alias_is_an_abbreviation_of_its_long_form():
    from dataforge.lib.relations import abbreviates

    assert abbreviates("NSEI", "North Sea Energy Institute")
    assert abbreviates("WBC", "World Boxing Council")
    assert not abbreviates("Pakistan", "Jansher Khan")  # "Jansher Khan ( Pakistan )": a country, no alias
    assert not abbreviates("U.S.", "Doug Flach")


def test_a_news_dateline_is_not_part_of_the_window():
    text = "GENEVA 1996-08-30 Officials said Amara Okafor of the North Sea Energy Institute resigned."
    [window] = complete_windows(
        context(text, [("Amara Okafor", "affiliated_with", "of", "North Sea Energy Institute")])
    )
    assert text[window.start : window.end].startswith("Officials said")


def test_ner_rows_carry_no_partial_relation_target():
    from dataforge.lib.generate import ner

    ctx = context("NREC acquired Baltic Wind in a cash deal.", [("NREC", "acquired", "acquire", "Baltic Wind")])
    assert all(row["relations"] == [] for row in ner.generate(ctx, DataforgeConfig()))


def test_a_co_founder_is_never_the_answer_to_who_founded():
    ctx = context(
        "Pieter van Dijk, co-founder of Northwind, spoke at the meeting.",
        [("Northwind", "founded_by", "founder of", "Pieter van Dijk")],  # the parser drops "co-" from the role
    )
    assert not any(q.startswith("Who founded") for q, *_ in functional_questions(ctx))


def test_an_explanation_keeps_the_article_of_a_name():
    text = "Amara Okafor of the North Sea Energy Institute chaired the meeting."
    LABELS["the North Sea Energy Institute"] = "ORG"  # the NER's span, article included
    try:
        ctx = context(text, [("Amara Okafor", "affiliated_with", "of", "the North Sea Energy Institute")])
    finally:
        del LABELS["the North Sea Energy Institute"]
    explain = next(e for e in relation_tasks.generate(ctx) if e["metadata"]["task"] == "explain_relation")
    assert explain["output"].startswith("Amara Okafor is affiliated with the North Sea Energy Institute.")
