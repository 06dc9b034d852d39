"""The corpus generators' lookups that replaced scans over the whole corpus give the answers the
scans gave: a timeline event's named subject (names looked up between word boundaries, not every
name tried), a multiple-choice question's excluded options (clusters indexed by sentence, not
every cluster intersected with the tail), multi-hop questions (only the kept sample built) and
the documents on a question's topic (looked up per document, not a map of all pairs)."""

from __future__ import annotations

import random
import re

from dataforge.lib.generate import corpus_tasks, fact_tasks
from dataforge.lib.generate.choice_tasks import (
    SPORT_TOPIC_WORDS,
    TOPIC_MAX_DOCS,
    choices,
    sentence_partners,
    sure_name,
    topic_neighbours,
)
from dataforge.lib.generate.corpus import Fact
from dataforge.lib.generate.fact_tasks import schema_facts
from dataforge.lib.generate.standalone import PAST_VERB
from dataforge.lib.mention_confidence import sport_words
from dataforge_tests.lib.test_choice_tasks import _fact, _mc, _options
from dataforge_tests.lib.test_generate import CONFIG

NAMES = [
    "NREC", "Northwind", "Helena Marsh", "Marsh", "Dr. Marsh", "AT&T", "(NREC)", "U.S.", "Zoë Quist",
    "van Dijk", "Tidewake_2", "O'Neill", "Halden-Blue", "St. Ives", "Ostrea One", "Ives", ".NET",
]  # fmt: skip
WORDS = ["In", "2017", "the", "board", "said", ",", ".", "(", ")", "'s", "-", " ", "  ", "Ltd", "of", "é"]


def _reference_named_subject(sentence: str, names: frozenset[str]) -> bool:
    """The scan the lookup replaced: every name of the corpus tried against the subject."""
    verb = PAST_VERB.search(sentence)
    subject = sentence[: verb.start()] if verb else sentence
    return any(re.search(rf"\b{re.escape(n)}\b", subject) for n in names if n in subject)


def test_named_subject_matches_the_scan_over_every_name() -> None:
    draw = random.Random(7)
    agree = {True: 0, False: 0}
    for k in range(3000):
        names = frozenset(draw.sample(NAMES, draw.randint(1, len(NAMES))))
        parts = [draw.choice(WORDS + NAMES) for _ in range(draw.randint(1, 12))]
        joiner = draw.choice([" ", "", " "])
        sentence = joiner.join(parts) + draw.choice(["", " raised $5 million.", " was founded.", " grew."])
        if k % 5 == 0:  # a name glued to a word or a digit is no match: "NRECs", "2NREC"
            sentence = draw.choice(["x", "2", "_", "-", "."]) + sentence + draw.choice(["s", "1", "", "_"])
        expected = _reference_named_subject(sentence, names)
        assert corpus_tasks.named_subject(sentence, names) is expected, (sentence, sorted(names))
        agree[expected] += 1
    assert min(agree.values()) > 300, agree  # both answers were exercised
    assert not corpus_tasks.named_subject("NRECs raised $5 million.", frozenset({"NREC"}))
    assert corpus_tasks.named_subject("Shares of AT&T rose.", frozenset({"AT&T"}))
    assert not corpus_tasks.named_subject("Anything at all.", frozenset())


def _reference_together(a: str, b: str, sents: dict[str, list] | None) -> bool:
    return bool(sents) and not set(sents.get(a) or ()).isdisjoint(sents.get(b) or ())


def test_sentence_partners_are_the_clusters_that_share_a_sentence() -> None:
    draw = random.Random(3)
    clusters = [f"C{i}" for i in range(40)]
    for _ in range(50):
        sents = {c: [("d", draw.randint(0, 30), 0) for _ in range(draw.randint(0, 4))] for c in clusters}
        sents |= {"N": None}
        partners = sentence_partners(sents)
        for b in [*clusters, "N", "missing"]:
            expected = {a for a in [*clusters, "N", "missing"] if _reference_together(a, b, sents)}
            assert partners(b) == expected
    assert sentence_partners(None)("C1") == set() and sentence_partners({})("C1") == set()


def test_an_option_that_shares_a_sentence_with_the_tail_or_is_stated_of_it_is_excluded() -> None:
    people = ["Anna Berg", "Peter Lund", "Maria Holm", "John Moe", "Erik Vik"]
    text = "Anna Berg is the founder of Brightwater AS. " + " ".join(f"{p} spoke." for p in people[1:])
    documents = {"d": {"text": text}}
    entities = [dict(cluster_id=f"P{i}", label="PERSON", canonical_name=n, doc_ids=["d"]) for i, n in enumerate(people)]
    entities += [dict(cluster_id="O", label="ORG", canonical_name="Brightwater AS", doc_ids=["d"])]
    sents = {f"P{i}": [("d", 10 * i, 10 * i + 5)] for i in range(5)} | {"O": [("d", 0, 5)]}
    fact = _fact("d", text, "Anna Berg", "Brightwater AS", "P0", "O")
    (made,) = _mc(choices(documents, entities, [fact], CONFIG, sents))
    assert len(_options(made)) == 4 and set(_options(made)) <= set(people)
    sents["P1"] = [("d", 0, 5)]  # Peter Lund named in the sentence with Brightwater: maybe a founder too
    (made,) = _mc(choices(documents, entities, [fact], CONFIG, sents))
    assert sorted(_options(made)) == ["Anna Berg", "Erik Vik", "John Moe", "Maria Holm"]
    stated = _fact("d", text.replace("Maria Holm spoke", "Maria Holm is the founder of Brightwater AS"),
                   "Maria Holm", "Brightwater AS", "P2", "O", at=40)  # fmt: skip
    made = _mc(choices(documents, entities, [fact, stated], CONFIG, sents))
    made = [ex for ex in made if "Anna Berg" in ex["output"]]
    assert made and all("Maria Holm" not in _options(ex) for ex in made)


HUB = {f"a{i}": {"text": f"Northwind acquired Target{'BCDEFG'[i]}ee Marine."} for i in range(6)}
HUB["b"] = {"text": "Helena Marsh is the chief executive of Northwind. Northwind is headquartered in Bergen."}


def _hub_fact(doc: str, rel: str, h: str, hl: str, t: str, tl: str, at: int = 0) -> Fact:
    text = HUB[doc]["text"]
    hs = text.index(h, at)
    ts = text.index(t, hs + len(h))
    sent = next((m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text) if m.start() <= hs < m.end())
    return Fact(doc, rel, h, t, h, t, hl, tl, (hs, hs + len(h)), (ts, ts + len(t)), sent, rel, False)


def test_multihop_builds_only_the_questions_it_keeps(monkeypatch) -> None:
    """Two-hop paths through a hub grow with the square of its degree; the kept sample is the
    same, and only it is built."""
    raw = [_hub_fact(f"a{i}", "acquired", "Northwind", "ORG", f"Target{'BCDEFG'[i]}ee Marine", "ORG") for i in range(6)]
    raw += [_hub_fact("b", "ceo_of", "Helena Marsh", "PERSON", "Northwind", "ORG")]
    raw += [_hub_fact("b", "headquartered_in", "Northwind", "ORG", "Bergen", "GPE", at=40)]
    facts = schema_facts(raw)
    every = fact_tasks.multihop(HUB, facts, CONFIG)
    assert len(every) == 12  # 6 acquisitions x (its chief executive, its headquarters)
    built = []
    original = fact_tasks._multihop_example
    monkeypatch.setattr(fact_tasks, "_multihop_example", lambda *a: built.append(a) or original(*a))
    monkeypatch.setattr(fact_tasks, "MAX_MULTIHOP", 5)
    kept = fact_tasks.multihop(HUB, facts, CONFIG)
    assert len(kept) == len(built) == 5
    assert all(row in every for row in kept) and len({r["question"] for r in kept}) == 5


def _reference_neighbours(documents: dict[str, dict], entities: list[dict]) -> dict[str, set[str]]:
    """The full map the per-document lookup replaced (every pair of documents sharing a person)."""
    out: dict[str, set[str]] = {}
    cap = max(TOPIC_MAX_DOCS, len(documents) // 2)
    for e in entities:
        docs = [d for d in e.get("doc_ids") or [] if d in documents]
        if e.get("label") == "PERSON" and 1 < len(docs) <= cap and sure_name(str(e["canonical_name"]), "PERSON", False):
            for d in docs:
                out.setdefault(d, set()).update(x for x in docs if x != d)
    sports = [d for d in sorted(documents) if sport_words(documents[d]["text"]) >= SPORT_TOPIC_WORDS]
    for d in sports:
        out.setdefault(d, set()).update(x for x in sports if x != d)
    return out


def test_topic_neighbours_per_document_equal_the_full_map() -> None:
    draw = random.Random(11)
    match = "The coach said the goals won the league cup; the striker, the club and the skipper beat the champions."
    documents = {f"d{i}": {"text": match if i % 7 == 0 else "Quarterly revenue rose."} for i in range(30)}
    people = ["Anna Berg", "Peter Lund", "Superintendent Ledbetter", "Maria Holm", "John Moe"]
    entities = [
        dict(label=draw.choice(["PERSON", "PERSON", "ORG"]), canonical_name=draw.choice(people),
             doc_ids=draw.sample(sorted(documents) + ["gone"], draw.randint(1, 18)))
        for _ in range(25)
    ]  # fmt: skip
    neighbours, expected = topic_neighbours(documents, entities), _reference_neighbours(documents, entities)
    assert (
        any(len(v) > 5 for v in expected.values())
        and sum(sport_words(d["text"]) >= SPORT_TOPIC_WORDS for d in documents.values()) > 1
    )
    for d in [*documents, "gone", "nowhere"]:
        assert neighbours.get(d, set()) == expected.get(d, set())
