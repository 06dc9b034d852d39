"""Multiple choice: stated schema facts only, wrong options of the answer's type from its own
article or topic, never junk, an alias or a filler from an unrelated article."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from dataforge.lib.generate.choice_tasks import choices, sure_name
from dataforge.lib.generate.corpus import Fact
from dataforge_tests.lib.test_generate import CONFIG


def _fact(
    doc: str, text: str, person: str, org: str, pc: str, oc: str, relation: str = "founder_of", at: int = 0
) -> Fact:
    s = text.index(person, at)
    o = text.index(org, s)
    end = text.index(".", o) + 1
    schema = "founded_by" if relation == "founder_of" else ""
    return Fact(doc, relation, pc, oc, person, org, "PERSON", "ORG", (s, s + len(person)), (o, o + len(org)),
                (s, end), schema, True)  # fmt: skip


def _mc(rows: list[dict]) -> list[dict]:
    return [ex for ex in rows if ex["metadata"]["task"] == "multiple_choice"]


def _options(ex: dict) -> list[str]:
    return [line[3:] for line in ex["input"].split("\n") if line[:1] in "ABCD" and line[1:3] == ") "]


def test_positions_are_balanced_and_options_come_from_the_answers_article() -> None:
    people = ["Anna Berg", "Peter Lund", "Maria Holm", "John Moe", "Erik Vik", "Laura Dahl"]
    orgs = [f"Org{j} AS" for j in range(40)]
    text = " ".join(f"{people[j % 6]} is the founder of {orgs[j]}." for j in range(40))
    documents = {"d": {"text": text}}
    entities = [dict(cluster_id=f"P{i}", label="PERSON", canonical_name=n, doc_ids=["d"]) for i, n in enumerate(people)]
    entities += [dict(cluster_id=f"O{j}", label="ORG", canonical_name=n, doc_ids=["d"]) for j, n in enumerate(orgs)]
    sents = {f"P{i}": [("d", i, i + 1)] for i in range(6)} | {f"O{j}": [("d", 100 + j, 101 + j)] for j in range(40)}
    starts = [text.index(f"is the founder of {orgs[j]}.") - len(people[j % 6]) - 1 for j in range(40)]
    facts = [_fact("d", text, people[j % 6], orgs[j], f"P{j % 6}", f"O{j}", at=starts[j]) for j in range(40)]
    made = _mc(choices(documents, entities, facts, CONFIG, sents))
    assert len(made) == 40
    positions = Counter()
    for ex in made:
        assert ex["instruction"].lower().count("who is the founder of") == 1
        assert set(_options(ex)) <= set(people) and len(_options(ex)) == 4
        positions[ex["output"][0]] += 1
    assert max(positions.values()) - min(positions.values()) <= 1, positions


def test_junk_aliases_and_unrelated_fillers_are_never_options() -> None:
    text = "Graham Buckingham is the founder of Bite-Back. Superintendent Ledbetter spoke. Mick Buckingham came."
    other = "Hilary Mantel wrote a novel about Thomas Cromwell and Anne Boleyn."
    documents = {"d": {"text": text}, "u": {"text": other}}
    names = {"A": ("Graham Buckingham", "d"), "S": ("Superintendent Ledbetter", "d"), "M": ("Mick Buckingham", "d")}
    names |= {"E": ("Ecuadorian Felipe Caicedo", "d"), "H": ("Hilary Mantel", "u"), "T": ("Thomas Cromwell", "u")}
    entities = [dict(cluster_id=c, label="PERSON", canonical_name=n, doc_ids=[d]) for c, (n, d) in names.items()]
    entities += [dict(cluster_id="B", label="ORG", canonical_name="Bite-Back", doc_ids=["d"])]
    sents = {c: [(d, k * 10, k * 10 + 5)] for k, (c, (_, d)) in enumerate(names.items())} | {"B": [("d", 0, 40)]}
    fact = _fact("d", text, "Graham Buckingham", "Bite-Back", "A", "B")
    assert not _mc(choices(documents, entities, [fact], CONFIG, sents))  # no close, clean option: no question
    entities += [
        dict(cluster_id="C", label="PERSON", canonical_name="Choa Zhao", doc_ids=["d"]),  # same article
        dict(cluster_id="R", label="PERSON", canonical_name="Ron Yengich", doc_ids=["d"]),
    ]
    sents |= {"C": [("d", 90, 95)], "R": [("d", 95, 99)]}
    made = _mc(choices(documents, entities, [fact], CONFIG, sents))
    assert len(made) == 1 and sorted(_options(made[0])) == ["Choa Zhao", "Graham Buckingham", "Ron Yengich"]


def test_same_topic_articles_lend_options_and_unstated_predicates_ask_nothing() -> None:
    text = "Maurice Watkins is the founder of Brabners. Tony Fernandes owns QPR."
    near = "Harry Redknapp left QPR. Steve McClaren was there."
    documents = {"d": {"text": text}, "n": {"text": near}, "u": {"text": "Anna Berg sang."}}
    entities = [
        dict(cluster_id="W", label="PERSON", canonical_name="Maurice Watkins", doc_ids=["d"]),
        dict(cluster_id="F", label="PERSON", canonical_name="Tony Fernandes", doc_ids=["d"]),
        dict(cluster_id="Q", label="ORG", canonical_name="QPR", doc_ids=["d", "n"]),
        dict(cluster_id="K", label="PERSON", canonical_name="Joey Barton", doc_ids=["d", "n"]),  # one topic
        dict(cluster_id="C", label="ORG", canonical_name="CNN", doc_ids=["d", "u"]),  # an outlet: no topic
        dict(cluster_id="H", label="PERSON", canonical_name="Harry Redknapp", doc_ids=["n"]),
        dict(cluster_id="S", label="PERSON", canonical_name="Steve McClaren", doc_ids=["n"]),
        dict(cluster_id="A", label="PERSON", canonical_name="Anna Berg", doc_ids=["u"]),
        dict(cluster_id="B", label="ORG", canonical_name="Brabners", doc_ids=["d"]),
    ]
    sents = {c: [("x", k, k + 1)] for k, c in enumerate("WFQHSABKC")}
    made = _mc(choices(documents, entities, [_fact("d", text, "Maurice Watkins", "Brabners", "W", "B")], CONFIG, sents))
    assert len(made) == 1 and "Anna Berg" not in _options(made[0])
    options = set(_options(made[0])) - {"Maurice Watkins"}
    assert (
        {"Tony Fernandes", "Joey Barton"}
        <= options
        <= {"Tony Fernandes", "Joey Barton", "Harry Redknapp", "Steve McClaren"}
    )
    assert len(options) == 3  # the article's own two, and one from the article sharing Joey Barton
    told = _fact("d", "Maurice Watkins told Brabners.", "Maurice Watkins", "Brabners", "W", "B", "tell")
    assert not _mc(choices({"d": {"text": "Maurice Watkins told Brabners."}}, entities, [told], CONFIG, sents))


def test_sure_names() -> None:
    assert sure_name("Maurice Watkins", "PERSON") and sure_name("Choa Zhao", "PERSON", first_name=False)
    assert not sure_name("Choa Zhao", "PERSON") and not sure_name("E. Adults", "PERSON", first_name=False)
    assert not sure_name("Alberto Riva/The Points Guy", "PERSON")  # webz0 audit: a photo credit, no distractor
    assert not sure_name("Swansea Meanwhile", "PERSON", first_name=False)
    assert not sure_name("Turin’s Hotel Carlina", "ORG") and not sure_name("Crucible Theatre", "ORG")
    assert not sure_name("Art Room and Place2Be", "ORG") and sure_name("Crown Prosecution Service", "ORG")


def test_a_persons_role_is_askable_a_bare_verb_is_not() -> None:
    from dataforge.lib.generate.choice_tasks import askable

    def fact(relation: str, label: str = "PERSON") -> Fact:
        return Fact("d", relation, "A", "B", "Ron Yengich", "Alshammari", label, "PERSON", (0, 1), (2, 3), (0, 9))

    assert askable(fact("attorney of"), "Alshammari's attorney Ron Yengich declined.")
    assert askable(fact("photographer with"), "Cheng Li, a photographer with the Expedition")
    assert not askable(fact("tell"), "Ron Yengich told Alshammari.")
    assert not askable(fact("strike of"), "Hinestroza's strike") and not askable(fact("former managers of"), "")
    assert not askable(fact("original name for", "FAC"), "the original name for Radio 3")
    assert askable(fact("senior research fellow at"), "Amara Okafor, a senior research fellow at NSEI")
    founded = Fact("d", "found in", "H", "B", "Halden Marine Power", "Bergen", "ORG", "GPE", (0, 1), (2, 3), (0, 9))
    assert askable(founded, "Halden Marine Power was founded in Bergen.")


def test_a_gendered_role_gets_options_of_that_gender() -> None:
    text = "Rojo's wife, Eugenia Lusardo, spoke. Sarah Watson, Maria Holm and Peter Lund and John Moe were there."
    text += " Marcos Rojo played."  # a closed-book question names him in full
    documents = {"d": {"text": text}}
    people = {"E": "Eugenia Lusardo", "S": "Sarah Watson", "M": "Maria Holm", "P": "Peter Lund", "J": "John Moe"}
    entities = [dict(cluster_id=c, label="PERSON", canonical_name=n, doc_ids=["d"]) for c, n in people.items()]
    entities += [dict(cluster_id="R", label="PERSON", canonical_name="Marcos Rojo", doc_ids=["d"])]
    sents = {c: [("d", k, k + 1)] for k, c in enumerate("ESMPJR")}
    fact = Fact("d", "wife of", "E", "R", "Eugenia Lusardo", "Rojo", "PERSON", "PERSON", (13, 28), (0, 4), (0, 36))
    made = _mc(choices(documents, entities, [fact], CONFIG, sents))
    assert len(made) == 1 and sorted(_options(made[0])) == ["Eugenia Lusardo", "Maria Holm", "Sarah Watson"]
    assert "who is a wife of marcos rojo?" in made[0]["instruction"].lower()


def test_an_answer_that_shares_a_name_with_the_question_is_not_asked() -> None:
    text = "Michael Schumacher's son Mick Schumacher raced. Harrison Newey and Peter Reid and John Carver came."
    documents = {"d": {"text": text}}
    people = {"M": "Michael Schumacher", "S": "Mick Schumacher", "H": "Harrison Newey", "P": "Peter Reid"}
    people |= {"J": "John Carver"}
    entities = [dict(cluster_id=c, label="PERSON", canonical_name=n, doc_ids=["d"]) for c, n in people.items()]
    sents = {c: [("d", k, k + 1)] for k, c in enumerate("MSHPJ")}
    fact = Fact("d", "son of", "S", "M", "Mick Schumacher", "Michael Schumacher", "PERSON", "PERSON", (25, 40),
                (0, 18), (0, 47))  # fmt: skip
    assert not _mc(choices(documents, entities, [fact], CONFIG, sents))


def _attorney(text: str, tail: str, tail_label: str = "PERSON") -> Fact:
    s, t = text.index("Ron Yengich"), text.index(tail)
    start, end = text.rindex(".", 0, t) + 2 if "." in text[:t] else 0, text.index(".", s) + 1
    return Fact("d", "attorney of", "R", "A", "Ron Yengich", tail, "PERSON", tail_label, (s, s + 11),
                (t, t + len(tail)), (start, end))  # fmt: skip


def test_a_day_is_never_a_person_option() -> None:
    # spaCy's ORG/LAW "Easter Saturday" became PERSON for gender-guesser's "Easter" (cnn0 audit)
    text = (
        "Good Friday, Easter Saturday and Easter Monday would continue. Stephen Cartwright spoke. "
        "Said Mr Dundon, the boss of Direct Health Solutions. Mike Baird and Christmas Day came."
    )
    documents = {"d": {"text": text}}
    people = {"P": "Paul Dundon", "S": "Easter Saturday", "M": "Easter Monday", "C": "Stephen Cartwright"}
    people |= {"X": "Christmas Day"}
    entities = [dict(cluster_id=c, label="PERSON", canonical_name=n, doc_ids=["d"]) for c, n in people.items()]
    entities += [dict(cluster_id="D", label="ORG", canonical_name="Direct Health Solutions", doc_ids=["d"])]
    sents = {c: [("d", k, k + 1)] for k, c in enumerate("PSMCXD")}
    s, o = text.index("Mr Dundon"), text.index("Direct Health Solutions")
    fact = Fact("d", "boss of", "P", "D", "Mr Dundon", "Direct Health Solutions", "PERSON", "ORG", (s, s + 9),
                (o, o + 23), (text.index("Said"), text.index(".", o) + 1))  # fmt: skip
    assert not _mc(choices(documents, entities, [fact], CONFIG, sents))  # one real person beside the answer
    entities += [dict(cluster_id="B", label="PERSON", canonical_name="Mike Baird", doc_ids=["d"])]
    made = _mc(choices(documents, entities, [fact], CONFIG, sents | {"B": [("d", 9, 10)]}))
    assert len(made) == 1 and sorted(_options(made[0])) == ["Mike Baird", "Paul Dundon", "Stephen Cartwright"]
    assert not sure_name("Easter Monday", "PERSON", first_name=False) and not sure_name("Good Friday", "ORG")


def test_a_closed_book_question_names_its_subject_in_full_or_not_at_all() -> None:
    others = " Craig Martinez and Craig Johnson were there, with Rob Segal."
    people = {"R": "Ron Yengich", "C": "Craig Martinez", "J": "Craig Johnson", "S": "Rob Segal"}
    entities = [dict(cluster_id=c, label="PERSON", canonical_name=n, doc_ids=["d"]) for c, n in people.items()]
    sents = {c: [("d", k, k + 1)] for k, c in enumerate("RCJSA")}
    text = "Monsour Alshammari, 23, was arrested. Alshammari's attorney Ron Yengich declined." + others
    full = dict(cluster_id="A", label="PERSON", canonical_name="Monsour Alshammari", doc_ids=["d"])
    made = _mc(choices({"d": {"text": text}}, [*entities, full | {"aliases": ["Alshammari", "Monsour Alshammari"]}],
                       [_attorney(text, "Alshammari")], CONFIG, sents))  # fmt: skip
    assert len(made) == 1 and "who is an attorney of monsour alshammari?" in made[0]["instruction"].lower()
    # only a surname is known: no question
    text = "Alshammari was arrested. Alshammari's attorney Ron Yengich declined." + others
    lone = dict(cluster_id="A", label="PERSON", canonical_name="Alshammari", doc_ids=["d"], aliases=["Alshammari"])
    assert not _mc(choices({"d": {"text": text}}, [*entities, lone], [_attorney(text, "Alshammari")], CONFIG, sents))
    # a surname typed ORG where the article writes the full name no entity holds ("Raheem Sterling")
    text = "Raheem Sterling stayed. It will suit Sterling's representative Ron Yengich." + others
    org = dict(cluster_id="A", label="ORG", canonical_name="Sterling", doc_ids=["d"], aliases=["Sterling"])
    fact = _attorney(text, "Sterling", "ORG")
    assert not _mc(choices({"d": {"text": text}}, [*entities, org], [replace(fact, relation="representative of")],
                           CONFIG, sents))  # fmt: skip
    # an organization's one-word name stays askable
    text = "It will suit Barnsley's representative Ron Yengich." + others
    club = dict(cluster_id="A", label="ORG", canonical_name="Barnsley", doc_ids=["d"])
    fact = replace(_attorney(text, "Barnsley", "ORG"), relation="representative of")
    made = _mc(choices({"d": {"text": text}}, [*entities, club], [fact], CONFIG, sents))
    assert len(made) == 1 and "who is a representative of barnsley?" in made[0]["instruction"].lower()


def test_an_option_the_story_gives_the_same_role_is_no_wrong_answer() -> None:
    text = "Ola Berg, an officer with Brevik Police, spoke. Tove Lind and Per Moe, all of whom are officers, came."
    text += " Kari Dahl and Nils Haug watched."
    documents = {"d": {"text": text}}
    people = {"O": "Ola Berg", "T": "Tove Lind", "P": "Per Moe", "K": "Kari Dahl", "N": "Nils Haug"}
    entities = [dict(cluster_id=c, label="PERSON", canonical_name=n, doc_ids=["d"]) for c, n in people.items()]
    entities += [dict(cluster_id="B", label="ORG", canonical_name="Brevik Police", doc_ids=["d"])]
    second, third = text.index("Tove"), text.index("Kari")
    sents = {"O": [("d", 0, second - 1)], "B": [("d", 0, second - 1)], "T": [("d", second, third - 1)]}
    sents |= {"P": [("d", second, third - 1)], **{c: [("d", third, len(text))] for c in "KN"}}
    o = text.index("Brevik")
    fact = Fact("d", "officer with", "O", "B", "Ola Berg", "Brevik Police", "PERSON", "ORG", (0, 8), (o, o + 13),
                (0, second - 1))  # fmt: skip
    made = _mc(choices(documents, entities, [fact], CONFIG, sents))
    assert len(made) == 1 and sorted(_options(made[0])) == ["Kari Dahl", "Nils Haug", "Ola Berg"]
    # an officer of another organization is still a wrong answer: "Per Moe, an officer with Skarn Guards"
    text = text.replace(
        "Tove Lind and Per Moe, all of whom are officers, came.", "Per Moe, an officer with Skarn Guards."
    )
    documents = {"d": {"text": text}}
    entities += [dict(cluster_id="G", label="ORG", canonical_name="Skarn Guards", doc_ids=["d"])]
    second, third = text.index("Per Moe"), text.index("Kari")
    sents = {"O": [("d", 0, second - 1)], "B": [("d", 0, second - 1)], "P": [("d", second, third - 1)]}
    sents |= {"G": [("d", second, third - 1)], **{c: [("d", third, len(text))] for c in "KN"}}
    made = _mc(choices(documents, [e for e in entities if e["cluster_id"] != "T"], [fact], CONFIG, sents))
    assert len(made) == 1 and "Per Moe" in _options(made[0])


def test_the_question_comes_with_its_passage() -> None:
    # "Who is the chairman of Barnsley? Pick the correct option." with only four names below it
    # (cnnx audit, round 11) asked a reader to guess a detail of an article never shown
    people = ["Anna Berg", "Peter Lund", "Maria Holm", "John Moe"]
    text = "Anna Berg is the founder of Northwind. " + " ".join(f"{p} spoke." for p in people[1:])
    documents = {"d": {"text": text}}
    entities = [dict(cluster_id=f"P{i}", label="PERSON", canonical_name=n, doc_ids=["d"]) for i, n in enumerate(people)]
    entities += [dict(cluster_id="O", label="ORG", canonical_name="Northwind", doc_ids=["d"])]
    sents = {f"P{i}": [("d", 40 + i, 41 + i)] for i in range(4)} | {"O": [("d", 0, 38)]}
    sents["P0"] = [("d", 0, 38)]
    made = _mc(choices(documents, entities, [_fact("d", text, "Anna Berg", "Northwind", "P0", "O")], CONFIG, sents))
    assert len(made) == 1
    passage, options = made[0]["input"].split("\n\n")
    assert passage == "Anna Berg is the founder of Northwind."
    assert sorted(line[3:] for line in options.split("\n")) == sorted(people)
    assert "text" in made[0]["instruction"]
    assert made[0]["output"].endswith("The text says: Anna Berg is the founder of Northwind.")


def test_a_surname_two_people_of_the_story_share_gives_no_fact() -> None:
    """ecbs audit: "Banky was CEO of TallGrass" (Benjamin David Banky) asked of his brother John Banky."""
    from dataforge.lib.generate.corpus import facts

    text = (
        "Benjamin David Banky was shot at the party. His brother John Banky spoke to reporters. "
        "Banky was CEO of TallGrass Distribution Ltd., a wholesaler."
    )
    start = text.index("Banky was CEO")
    head = {"doc_id": "d", "mention_id": "d:m2", "start": start, "end": start + 5, "text": "Banky", "label": "PERSON"}
    t0 = text.index("TallGrass")
    tail = {"doc_id": "d", "mention_id": "d:m3", "start": t0, "end": t0 + 30, "text": text[t0 : t0 + 30], "label": "ORG"}
    relation = {
        "doc_id": "d", "head_mention_id": "d:m2", "tail_mention_id": "d:m3", "head_cluster": "c1",
        "tail_cluster": "c2", "relation": "ceo_of", "predicate": "CEO of", "pattern": "copula", "kind": "typed",
        "evidence_start": start, "evidence_end": len(text), "polarity": "affirmative", "modality": "asserted",
    }  # fmt: skip
    documents = {"d": {"doc_id": "d", "text": text}}
    assert facts(documents, [head, tail], [relation]) == []
    one = text.replace("His brother John Banky spoke", "A neighbour spoke")
    shift = len(text) - len(one)
    head2 = {**head, "start": head["start"] - shift, "end": head["end"] - shift}
    tail2 = {**tail, "start": tail["start"] - shift, "end": tail["end"] - shift}
    rel2 = {**relation, "evidence_start": start - shift, "evidence_end": len(one)}
    assert [f.head for f in facts({"d": {"doc_id": "d", "text": one}}, [head2, tail2], [rel2])] == ["Banky"]
