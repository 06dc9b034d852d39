"""Multiple-choice questions from stated facts, with wrong options a reader could take for the answer.

A question is asked only of a schema fact whose evidence sentence holds a word for the relation
(``relation_windows.cued``): "Who told Times?" from a bare "tell" is no question worth asking.
Wrong options (``distractors``) are entities of the answer's type that are surely of that type
(``sure_name``: a person by a known first name, no title, nationality or possessive in the
name) and come from the answer's own document first, then from documents on the same topic
(sharing a person, or both match reports). Never the answer under another
name (a shared word), never an entity that shares a sentence with the question's other end (it
may be true as well), never a filler from an unrelated article ("Wolf Hall" for a "Who"
question): with fewer than two close options there is no question. No day is an option
("Easter Saturday" for a "Who" question: ``calendar_name``).

The evidence sentence is the input, before the options: a closed-book question about a detail of
an unseen article ("Who is the chairman of Barnsley?") teaches nothing but a guess. The question
still names the entity it asks about by its full name (``subject_name``), so it reads alone, and
a person the article names by one word only is asked nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.entity_groups import _first_names
from dataforge.lib.entity_types import _common_words, first_name_gender
from dataforge.lib.entity_words import FAC_WORDS, ROLES
from dataforge.lib.generate.common import rng, span
from dataforge.lib.generate.corpus import Fact, _text
from dataforge.lib.generate.corpus_tasks import LETTERS, MAX_CHOICE_FACTS, Positions, distractor_name
from dataforge.lib.generate.instruction import instruction_example, phrase
from dataforge.lib.generate.qa import MAX_SOURCE_WORDS
from dataforge.lib.generate.relation_windows import cued
from dataforge.lib.generate.relphrase import relation_kind, relation_question
from dataforge.lib.generate.standalone import unquoted
from dataforge.lib.mention_confidence import sport_words
from dataforge.lib.nlp import HONORIFICS
from dataforge.lib.places import demonyms, places
from dataforge.lib.type_clues import calendar_name

MIN_DISTRACTORS = 2
SPORT_TOPIC_WORDS = 8  # a match report, not an article with a "club" or a "cup" in it
# a person named in some of the articles makes them one topic (one in every article, a columnist,
# does not); an organisation ("BBC", "CNN": outlets) never does
TOPIC_MAX_DOCS = 3
# a title before a name is no part of it: "Superintendent Ledbetter", "Judge Stephen Kramer"
TITLES = frozenset(ROLES.replace("|", " ").split()) | frozenset(
    "superintendent inspector detective sergeant constable officer judge justice deputy chief general colonel "
    "major lieutenant commander admiral bishop father pope king queen prince princess duke duchess earl baron "
    "student teacher star".split()
)
# "a former managers of": a plural role after "a" garbles the question
_PLURAL_ROLE = re.compile(r"\b(?:a|an) (?:[a-z]+ )?[a-z]+[^s\s]s (?:of|at|for|with)\b")


def sure_name(name: str, label: str, first_name: bool = True) -> bool:
    """A name surely of ``label``: a full name (``distractor_name``); a person's holds no title,
    nationality or place ("Superintendent Ledbetter", "Ecuadorian Felipe Caicedo", "Swansea
    Meanwhile") and, with ``first_name``, opens with a known first name; no possessive ("Turin's
    Hotel Carlina"), no list ("Art Room and Place2Be"); a day is no person or organization
    ("Easter Saturday", typed PERSON for gender-guesser's "Easter"); no photo credit ("Alberto Riva/The Points Guy")."""
    words = name.split()
    if not distractor_name(name, label) or re.search(r"['’]s\b|/", name) or " and " in f" {name} ":
        return False
    if label in ("PERSON", "ORG") and calendar_name(name):
        return False
    if label == "PERSON":
        return (
            len(words) >= 2
            and re.fullmatch(r"[A-Z][a-z]+", words[0]) is not None
            and (not first_name or bool(first_name_gender(words[0])))
            and words[0].lower() not in TITLES
            and not any(w.rstrip(".") in HONORIFICS or w in demonyms() for w in words)
            and not (
                (words[0] in places() or re.search(r"(?:ian|ean|ese|ish)$", words[0]))
                and not first_name_gender(words[0])
            )
        )
    if label == "ORG" and words[-1].lower() in FAC_WORDS:
        return False  # "Crucible Theatre" typed ORG: a building
    return True


def _without_role(group: list[str], f: Fact, sents: dict[str, list] | None, text: str, orgs: set[str]) -> list[str]:
    """Options that the fact's own article never gives its role word with no other organization
    named: "Who is an officer with X?" cannot offer a friend of whom the story says "all of whom are
    police officers"; "co-founder of Northwind" still makes a wrong founder of Halden. ``orgs``: the
    organization clusters."""
    kind, words = relation_kind(f.relation, f.head_label)
    if kind != "role" or len(words) < 2:
        return group
    role = re.compile(rf"\b{re.escape(words[-2])}s?\b", re.I)
    within: dict[tuple, set[str]] = defaultdict(set)  # sentence -> the organizations it names
    for cluster in orgs - {f.tail_cluster}:
        for key in (sents or {}).get(cluster, ()):
            within[tuple(key)].add(cluster)
    return [
        c
        for c in group
        if not any(
            d == f.doc_id and role.search(text[s:e]) and not within.get((d, s, e))
            for d, s, e in (sents or {}).get(c, ())
        )
    ]


def askable(f: Fact, evidence: str) -> bool:
    """A fact worth a question: a schema relation whose word the evidence holds, or a person's role
    ("Alshammari's attorney Ron Yengich" -> "Who is an attorney of Alshammari?"); a bare verb
    ("told", "asked at", "left") gives "Who told Times?". Evidence longer than ``MAX_SOURCE_WORDS``
    is captions run together ("... Play breaches Maurice Watkins is a sports lawyer ... QPR are 19th")."""
    if len(evidence.split()) > MAX_SOURCE_WORDS:
        return False
    if f.schema and f.schema != "alias_of" and cued(f.schema, evidence):
        return True
    kind, words = relation_kind(f.relation, f.head_label)
    if kind == "participle" and words[0] in PLACED and f.tail_label == "GPE":
        return f.head_label in ("ORG", "FAC")  # "Which organization was founded in Bergen?"
    return f.head_label == "PERSON" and kind == "role" and len(words) >= 2 and person_noun(words[-2])


PLACED = frozenset("founded based headquartered established".split())


def person_noun(word: str) -> bool:
    """A noun for a person ("attorney", "photographer", "wife"), singular; not "strike" or "managers"."""
    return word in PERSON_NOUNS or bool(re.fullmatch(r"[a-z]{3,}(?:er|or|ist|ian|ant|ent|ee)", word))


PERSON_NOUNS = frozenset(
    "wife husband son daughter mother father brother sister girlfriend boyfriend partner friend widow fiancee "
    "attorney representative chairman chairwoman spokesman spokeswoman chief head boss coach captain deputy "
    "student aide agent envoy rival colleague heir fellow".split()
)


ROLE_GENDER = dict.fromkeys("wife daughter mother sister girlfriend widow fiancee".split(), "female") | dict.fromkeys(
    "husband son father brother boyfriend".split(), "male"
)


def _gender(name: str) -> str:
    """ "female" or "male" for a first name gender-guesser is sure of ("Jamie" is neither)."""
    words = name.split()
    return found if words and (found := _first_names().get_gender(words[0])) in ("female", "male") else ""


def _words(name: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", name)}


class TopicNeighbours:
    """doc_id -> the other documents on its topic: sharing a person (named in a few articles only),
    or both match reports (``sport_words``). Computed per document asked for: the full map holds
    every pair of documents that share a person, which grows with the square of a frequent
    person's articles, and only the documents of the questions are ever asked."""

    def __init__(self, documents: dict[str, dict], entities: list[dict]) -> None:
        self._groups: dict[str, list[list[str]]] = defaultdict(list)
        cap = max(TOPIC_MAX_DOCS, len(documents) // 2)
        for e in entities or []:
            docs = [d for d in e.get("doc_ids") or [] if d in documents]
            name = str(e.get("canonical_name") or "")
            if e.get("label") == "PERSON" and 1 < len(docs) <= cap and sure_name(name, "PERSON", False):
                for d in docs:
                    self._groups[d].append(docs)
        self._sports = [d for d in sorted(documents) if sport_words(_text(documents, d)) >= SPORT_TOPIC_WORDS]
        self._sport_set = set(self._sports)
        self._seen: dict[str, set[str]] = {}

    def get(self, doc_id: str, default: set[str] | None = None) -> set[str]:
        if doc_id not in self._seen:
            out: set[str] = set()
            for docs in self._groups.get(doc_id, ()):
                out.update(x for x in docs if x != doc_id)
            if doc_id in self._sport_set:
                out.update(x for x in self._sports if x != doc_id)
            self._seen[doc_id] = out
        return self._seen[doc_id] or (set() if default is None else default)


def topic_neighbours(documents: dict[str, dict], entities: list[dict]) -> TopicNeighbours:
    """Documents on each document's topic (``TopicNeighbours``)."""
    return TopicNeighbours(documents, entities)


def distractors(
    f: Fact,
    answer: str,
    candidates: list[tuple[str, str, frozenset[str], set[str]]],
    neighbours: TopicNeighbours,
    excluded: set[str],
    sure: Callable[[str, str, bool], bool] = sure_name,
    own_words: tuple[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """(same-document, same-topic) cluster ids that can stand as wrong options for ``f``'s head;
    ``candidates`` are (cluster id, name, documents, name words) of the head's type; ``own_words``:
    the article and the article outside its quotations (``_written``)."""
    taken = _words(answer) | _words(f.tail)
    near, topic = [], []
    for cid, name, docs, words in candidates:
        if cid in excluded or words & taken:
            continue
        if f.doc_id in docs and sure(name, f.head_label, False) and _written(name, f.head_label, own_words):
            near.append(cid)
        elif docs & neighbours.get(f.doc_id, set()) and sure(name, f.head_label, True):
            topic.append(cid)
    return near, topic


def _written(name: str, label: str, doc: tuple[str, str] | None) -> bool:
    """Not a person's "name" the article writes only inside quotations ("Sorry Ruud": a speaker's
    words run together), unless it opens with a known first name; ``doc``: (text, text unquoted)."""
    if doc is None or label != "PERSON" or first_name_gender(name.split()[0]):
        return True
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    return not (pattern.search(doc[0]) and not pattern.search(doc[1]))


# "Carver was also assistant manager", "the former coach": the role is past, so is the question
_PAST_ROLE = r"\b(?:was|were|had been|former|ex-|then|late)\s+(?:[\w-]+\s+){{0,3}}?{role}\b"


def in_tense(question: str, role: str, evidence: str) -> str:
    """The role question in the evidence's tense: "Who was ..." where the text says "was" or "former"."""
    if (
        role
        and question.startswith(("Who is ", "What is ", "Which "))
        and re.search(_PAST_ROLE.format(role=re.escape(role)), evidence, re.IGNORECASE)
    ):
        return re.sub(r"^(\w+(?: \w+)?) is ", r"\1 was ", question, count=1)
    return question


def choices(
    documents: dict[str, dict],
    entities: list[dict],
    fact_list: list[Fact],
    config: DataforgeConfig,
    sents: dict[str, list] | None = None,
) -> list[dict[str, Any]]:
    """Multiple-choice questions (see the module docstring); the correct option's position is
    balanced over the release (``Positions``)."""
    names = {str(e["cluster_id"]): str(e.get("canonical_name") or "") for e in entities or [] if e.get("cluster_id")}
    forms = {
        str(e["cluster_id"]): {str(e.get("canonical_name") or ""), *map(str, e.get("aliases") or ())}
        for e in entities or []
        if e.get("cluster_id")
    }
    by_label: dict[str, list[tuple[str, str, frozenset[str], set[str]]]] = defaultdict(list)
    for e in sorted(entities or [], key=lambda e: str(e.get("cluster_id"))):
        if e.get("cluster_id") and (sents is None or sents.get(str(e["cluster_id"]))):
            name = str(e.get("canonical_name") or "")
            candidate = (str(e["cluster_id"]), name, frozenset(e.get("doc_ids") or ()), _words(name))
            by_label[str(e.get("label"))].append(candidate)
    orgs = {str(e["cluster_id"]) for e in entities or [] if e.get("cluster_id") and e.get("label") == "ORG"}
    sure = lru_cache(maxsize=None)(sure_name)  # asked of the same names for every question
    neighbours = topic_neighbours(documents, entities)
    positions = Positions(config.seed)
    heads: dict[tuple, set[str]] = defaultdict(set)  # (relation, tail) -> the heads it is stated of
    for f in fact_list:
        heads[f.relation, f.tail_cluster].add(f.head_cluster)
    together = sentence_partners(sents)
    unique: dict[tuple, Fact] = {}
    for f in fact_list:
        if askable(f, _text(documents, f.doc_id)[slice(*f.evidence)]):
            unique.setdefault((f.head_cluster, f.relation, f.tail_cluster), f)
    keys = sorted(unique)
    if len(keys) > MAX_CHOICE_FACTS:
        keys = sorted(rng(config.seed, "choice-facts").sample(keys, MAX_CHOICE_FACTS))
    out, own = [], {}  # own: doc_id -> its text, and the text outside quotations
    for key in keys:
        f = unique[key]
        subject = subject_name(f, forms.get(f.tail_cluster, ()), _text(documents, f.doc_id))
        if not subject:
            continue
        f = replace(f, tail=subject)  # the options share no word with the full name either
        answer = names.get(f.head_cluster) or f.head
        made = relation_question(f.relation, "head", f.head, f.tail, f.head_label, f.head_label)
        if not made or answer.lower() in made[0].lower() or not sure_name(answer, f.head_label, first_name=False):
            continue
        if _words(answer) & _words(f.tail):  # "Who is a son of Michael Schumacher?" -> "Mick Schumacher"
            continue
        if _PLURAL_ROLE.search(made[0]) or made[0].count("'") % 2 or made[0].count('"') % 2:
            continue
        excluded = {f.head_cluster, f.tail_cluster} | (
            (heads.get((f.relation, f.tail_cluster), set()) | together(f.tail_cluster)) & names.keys()
        )
        if f.doc_id not in own:
            own[f.doc_id] = (_text(documents, f.doc_id), unquoted(_text(documents, f.doc_id)))
        near, topic = distractors(f, answer, by_label.get(f.head_label, []), neighbours, excluded, sure, own[f.doc_id])
        near, topic = (_without_role(group, f, sents, own[f.doc_id][0], orgs) for group in (near, topic))
        gender = ROLE_GENDER.get(relation_kind(f.relation, f.head_label)[1][-2:][:1][0] if made else "", "")
        if gender:  # "Who is a wife of Rojo?": no man among the options
            near, topic = ([c for c in group if _gender(names[c]) == gender] for group in (near, topic))
        seeded = rng(config.seed, "choice", *key)
        picked = seeded.sample(near, min(3, len(near)))
        if len(picked) < 3 and topic:
            picked += seeded.sample(topic, min(3 - len(picked), len(topic)))
        options = list(dict.fromkeys(names[c] for c in picked))
        if len(options) < MIN_DISTRACTORS:
            continue
        seeded.shuffle(options)
        options.insert(positions.next(len(options) + 1), answer)
        letter = LETTERS[options.index(answer)]
        kind, role_words = relation_kind(f.relation, f.head_label)
        role = role_words[-2] if kind == "role" and len(role_words) >= 2 else ""
        question = in_tense(made[0], role, _text(documents, f.doc_id)[slice(*f.evidence)])
        text, k = phrase("multiple_choice", config.seed, *key, q=question, q_lower=question[:1].lower() + question[1:])
        passage = " ".join(_text(documents, f.doc_id)[slice(*f.evidence)].split())
        inp = passage + "\n\n" + "\n".join(f"{L}) {o}" for L, o in zip(LETTERS, options, strict=False))
        out.append(
            instruction_example(
                "multiple_choice",
                text,
                k,
                inp,
                f"{letter}) {answer}\n\nThe text says: {passage}",
                [span(f.doc_id, *f.evidence)],
                "corpus",
                None,
                answer,
                len(options),
            )
        )
    return out


def subject_name(f: Fact, forms: Iterable[str], text: str) -> str:
    """The question's other end by its full name: the longest of its entity's names that the
    article writes ("Monsour Alshammari" for "Alshammari's attorney"); "" for a person the article
    names by one word only, or a one-word name the article writes after another name ("Sterling",
    typed ORG, where "Raheem Sterling" is written but no entity holds it)."""
    words = [w for w in f.tail.split() if w.rstrip(".") not in HONORIFICS]  # "Mr Alshammari"
    if f.tail_label == "PERSON":
        longer = [n for n in forms if set(words) <= set(n.split()) and n in text and sure_name(n, "PERSON", False)]
        name = max([" ".join(words), *longer], key=lambda n: (len(n.split()), len(n), n))
        return name if len(name.split()) > 1 else ""
    if len(words) == 1 and _after_a_name(words[0], text):
        return ""
    return " ".join(f.tail.split())


def _after_a_name(word: str, text: str) -> bool:
    """Does ``text`` write ``word`` right after a capitalised word that is no common word
    ("Raheem Sterling", "Mr Sterling"; not "When Sterling" or "The Sun")? Then it is a surname."""
    lower = set(re.findall(r"\b[a-z]+\b", text)) | _common_words()
    return any(
        m.group(1).lower() not in lower for m in re.finditer(rf"\b([A-Z][a-z]+)\.? {re.escape(word)}(?![\w-])", text)
    )


def sentence_partners(sents: dict[str, list] | None) -> Callable[[str], set[str]]:
    """cluster -> the clusters that share a sentence with it anywhere in the corpus: each may well
    be a true answer too ("Who founded Northwind?": not Helena Marsh as a wrong option). An index
    of clusters by sentence, built once, instead of intersecting every cluster's sentences with
    the tail's per question (clusters x questions)."""
    by_sentence: dict[Any, set[str]] = defaultdict(set)
    for cluster, keys in (sents or {}).items():
        for key in keys or ():
            by_sentence[key].add(cluster)

    def partners(cluster: str) -> set[str]:
        out: set[str] = set()
        for key in (sents or {}).get(cluster) or ():
            out |= by_sentence[key]
        return out

    return partners
