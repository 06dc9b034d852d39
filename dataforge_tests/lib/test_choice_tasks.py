"""Multiple choice: stated schema facts only, wrong options of the answer's type from its own
article or topic, never junk, an alias or a filler from an unrelated article."""

from __future__ import annotations

from collections import Counter

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
    return [line[3:] for line in ex["input"].split("\n")]


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
        assert ex["instruction"].count("Who is the founder of") == 1
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
    documents = {"d": {"text": text}}
    people = {"E": "Eugenia Lusardo", "S": "Sarah Watson", "M": "Maria Holm", "P": "Peter Lund", "J": "John Moe"}
    entities = [dict(cluster_id=c, label="PERSON", canonical_name=n, doc_ids=["d"]) for c, n in people.items()]
    entities += [dict(cluster_id="R", label="PERSON", canonical_name="Marcos Rojo", doc_ids=["d"])]
    sents = {c: [("d", k, k + 1)] for k, c in enumerate("ESMPJR")}
    fact = Fact("d", "wife of", "E", "R", "Eugenia Lusardo", "Rojo", "PERSON", "PERSON", (13, 28), (0, 4), (0, 36))
    made = _mc(choices(documents, entities, [fact], CONFIG, sents))
    assert len(made) == 1 and sorted(_options(made[0])) == ["Eugenia Lusardo", "Maria Holm", "Sarah Watson"]


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
