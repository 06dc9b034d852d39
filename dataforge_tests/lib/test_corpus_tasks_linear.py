"""The corpus generators' lookups that replaced scans over the whole corpus give the answers the
scans gave: a timeline event's named subject (names looked up between word boundaries, not every
name tried), and a multiple-choice question's excluded options (clusters indexed by sentence, not
every cluster intersected with the tail)."""

from __future__ import annotations

import random
import re

from dataforge.lib.generate import corpus_tasks
from dataforge.lib.generate.choice_tasks import choices, sentence_partners
from dataforge_tests.lib.test_choice_tasks import _fact, _mc, _options
from dataforge_tests.lib.test_generate import CONFIG

NAMES = [
    "NREC", "Northwind", "Helena Marsh", "Marsh", "Dr. Marsh", "AT&T", "(NREC)", "U.S.", "Zoë Quist",
    "van Dijk", "Tidewake_2", "O'Neill", "Halden-Blue", "St. Ives", "Ostrea One", "Ives", ".NET",
]  # fmt: skip
WORDS = ["In", "2017", "the", "board", "said", ",", ".", "(", ")", "'s", "-", " ", "  ", "Ltd", "of", "é"]


def _reference_named_subject(sentence: str, names: frozenset[str]) -> bool:
    """The scan the lookup replaced: every name of the corpus tried against the subject."""
    verb = corpus_tasks._PAST_VERB.search(sentence)
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
