"""The exchanges a conversation is built from: a checked question and the source sentence
that answers it, each held to more than a QA row, since one weak turn sinks the whole
conversation (three turns right 70% of the time make a conversation right 34% of the time).

The strict audits of conversations found, and this module refuses:

- an answer turn rewritten by a coreference guess: "He joined the military in 2012." shipped
  as "Jamie Silvonek joined ..." (it was her boyfriend), "The company employs more than 500
  people." as "HMP employs ..." (it was NREC): a turn is the source sentence as written, with
  no pronoun or description before its first name;
- a question whose subject came from such a guess ("Where does McCoy currently manage
  Gabala?" of "... Tony Adams ... because he currently manages Gabala"): every name the
  question uses is in the sentence;
- a turn that points outside itself ("bring that error below 3 percent", "the pair",
  "at that point"), or a question that does ("Who did Pama then confront?");
- a person called by a surname the conversation never introduced ("Dubois estimates ...",
  "When was Jörg awarded ...?"): the first mention is spelled out ("Claire Dubois").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from dataforge.lib.captions import mid_sentence_capitals
from dataforge.lib.entity_words import FAC_WORDS, ORG_WORDS
from dataforge.lib.generate import conversation_answers as ca
from dataforge.lib.generate.answer_check import CAPTION, type_backed
from dataforge.lib.generate.common import DocContext, mention_sentence
from dataforge.lib.generate.lexicon import PAST_TO_LEMMA, PRESENT_TO_LEMMA, VALUE_LABELS, VERBS
from dataforge.lib.generate.question_check import doc_names, question_defect
from dataforge.lib.generate.referents import standalone as resolved_turn
from dataforge.lib.generate.standalone import standalone
from dataforge.lib.mention_confidence import name_parts
from dataforge.lib.quality.signals import THIRD, dangling_turn, first_second_person

MAX_TURN_WORDS = 45  # longer "sentences" are captions and headlines run together
MAX_QUESTION_WORDS = 15  # a longer question copies the sentence it asks about

_QUOTE_MARK = re.compile(r"[\"\u201c\u201d]|(?<!\w)[\u2018'](?=\w)|(?<=[,.!?])[\u2019'](?!\w)")  # opening or closing
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]|\u2018[^\u2018\u2019]*\u2019")
_TIME_WORDS = "year|week|month|season|summer|winter|spring|autumn|weekend|morning|afternoon|evening|time"
_AUX = "is|was|are|were|has|have|had|will|would|can|could|may|might|should|must|does|did|do|'s"
# a demonstrative with a noun, or a description that only the sentence before explains
_POINTER = re.compile(
    rf"\b(?:that|those|these)\s+(?=(?!(?:{_AUX})\b)([a-z]+)\b)"  # a lookahead: "that the pair" is seen twice
    rf"|\bthis\s+(?=(?!(?:{_TIME_WORDS}|{_AUX})\b)([a-z]+)\b)"
    r"|\bthe\s+(?:same|former|latter|pair|duo|trio|two|three|move|deal|decision|incident|appointment)\b"
    r"|\b(?:has|have|had) since\b|\bsince then\b",
)
_NOT_NOUN = frozenset(
    "the a an he she it they his her its their him them we i you our my your there this that which who "
    "is was are were be been not no also only just then now so such all both each every some any".split()
)  # fmt: skip
_VERB_FORMS = frozenset(VERBS) | frozenset(PAST_TO_LEMMA) | frozenset(PRESENT_TO_LEMMA)
_BACK_ADVERB = re.compile(r"\b(then|also|again|there|thereafter|afterwards|later|too|still|instead)\b", re.I)
# a person called by surname has no article or possessive before it: "the Seinfeld star" is no person
_MODIFIER_BEFORE = re.compile(r"(?<![\w-])(?:the|a|an|former|ex-|his|her|their|its|this|that)\s+$", re.I)
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Lady|Lord|Spc|Sgt|Capt|Gen)\.?\s+$")


@dataclass(frozen=True)
class Exchange:
    """One question and the assistant turn answering it, with the entities each names."""

    question: str
    answer: str
    sent: tuple[int, int]
    turn: str
    asks: frozenset[str]  # entity keys the question names
    names: frozenset[str]  # entity keys the turn names
    lead: str | None  # the entity key the turn opens on (its subject), if any


@dataclass(frozen=True)
class Entity:
    key: str  # the document entity's name (type resolution's choice of its forms)
    label: str
    surfaces: frozenset[str]
    count: int

    @property
    def display(self) -> str:
        """The fullest form to introduce it by: "Amara Okafor", "the Ostrea Offshore Wind Farm"."""
        full = [s for s in self.surfaces if self.key in s] or [self.key]
        return max(sorted(full), key=len)


def _key(m: dict[str, Any]) -> str:
    raw = m.get("type_evidence") or ""
    try:
        name = json.loads(raw).get("name") if raw else None
    except (ValueError, AttributeError):
        name = None
    return " ".join(str(name or m["text"]).split())


def entities(ctx: DocContext) -> dict[str, Entity]:
    """The document's named entities by key, with every surface form the NER found for each."""
    forms: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        text = " ".join(m["text"].split())
        if m["label"] in VALUE_LABELS or len(text) < 2 or "\n" in m["text"]:
            continue
        key = _key(m)
        forms.setdefault(key, set()).add(text)
        labels.setdefault(key, m["label"])
        counts[key] = counts.get(key, 0) + 1
    return {k: Entity(k, labels[k], frozenset(v), counts[k]) for k, v in forms.items()}


def ambiguous_forms(ents: dict[str, Entity]) -> frozenset[str]:
    """Short forms that two people share ("Silvonek" of Jamie and of Cheryl Silvonek)."""
    owners: dict[str, set[str]] = {}
    for e in ents.values():
        if e.label != "PERSON":
            continue
        for s in e.surfaces:
            for word in (s.split()[0], s.split()[-1]):
                owners.setdefault(word, set()).add(e.key)
    return frozenset(w for w, keys in owners.items() if len(keys) > 1)


def named(text: str, ents: dict[str, Entity], ambiguous: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """(position, key) of each entity ``text`` names, in order; a form that is part of a longer
    name ("Northwind" of "Northwind Tidal") or that two people share counts for neither."""
    found: list[tuple[int, int, str]] = []
    forms = sorted(((s, e.key) for e in ents.values() for s in e.surfaces), key=lambda f: (-len(f[0]), f[0]))
    for form, key in forms:
        if form in ambiguous:
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])(?! [A-Z][a-z])", text):
            if not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), key))
    return [(s, k) for s, _, k in sorted(found)]


_INTRO = re.compile(
    r"((In|On|At|By|Since|During|After|Before|Despite|Until) [^,]{1,30}?,? )?"
    r"((Dr|Mr|Mrs|Ms|Prof|Professor|Sir|Major|Captain|President|Chancellor)\.? )?"
)


def opens_on(prefix: str) -> bool:
    """What comes before a name leaves the sentence about it: nothing, a short time or place
    phrase ("In December 2017 NREC raised ..."), a title; not "The price values HMP ..."."""
    return len(prefix.split()) <= 5 and _INTRO.fullmatch(prefix) is not None


def points_outside(text: str) -> bool:
    """A demonstrative or back-pointing description outside quotes: "that error", "the pair"."""
    for m in _POINTER.finditer(_QUOTED.sub(" ", text)):
        noun = m.group(1) or m.group(2)
        if noun is None or (noun not in _NOT_NOUN and noun not in _VERB_FORMS and not noun.endswith("ed")):
            return True
    return False


def verbatim_turn(ctx: DocContext, s0: int, s1: int) -> str | None:
    """Text[s0:s1] as an answer turn, as the source wrote it: a leading connective dropped and
    a bare weekday dated (``referents.standalone``), nothing rewritten by a coreference guess;
    None when it does not read right on its own."""
    raw = ctx.text[s0:s1]
    if len(raw.split()) > MAX_TURN_WORDS or "?" in raw:
        return None
    names = [m for m in ctx.mentions_within(s0, s1) if m["label"] not in VALUE_LABELS]
    first_name = min((m["start"] for m in names), default=s1)
    before = [(s, e, root) for (s, e), root in ctx.coref.items() if s0 <= s < first_name]
    pronouns = [m for m in THIRD.finditer(ctx.text, s0, first_name)]
    if (before or pronouns) and not _only_person_before(ctx, s0, before, pronouns):
        return None  # the subject would be a guess of the coreference rules
    for (s, e), root in ctx.coref.items():
        if s0 <= s and e <= s1 and s >= first_name and not any(m["start"] < s and _key(m) == _key(root) for m in names):
            return None  # "Helena Marsh ... has called her ...": she is someone the sentence does not name
    turn = resolved_turn(ctx, s0, s1)
    if turn is None or dangling_turn(turn) or turn.startswith("Dear ") or turn[:1] in "\"\u201c'\u2018":
        return None
    # a sentence that opens on a name has nothing before it for a pronoun to need ("Pama shielded
    # his face ..."); ``standalone`` cannot tell "Pama" from "Police" by its capital
    opens_on_name = any(turn.startswith(" ".join(m["text"].split())) for m in names)
    if not standalone(turn, ctx.text, s0, after_predecessor=opens_on_name) or points_outside(turn):
        return None
    return turn


_GENDERED = frozenset("he she his her him".split())
_NOT_AGENTS = VALUE_LABELS | {"GPE", "LOC", "NORP"}  # a place or a nationality cannot be "he"


def _only_person_before(ctx: DocContext, s0: int, before: list, pronouns: list) -> bool:
    """Every pronoun before the first name is a he/she whose chain ends in the one person the
    sentence before names, and nobody else: "Caleb Barnes was charged. He joined ..." (never the
    document's "most salient" person, when the sentence before is about someone else)."""
    spans = {(s, e) for s, e, _ in before}
    if any((m.start(), m.end()) not in spans or m.group(1).lower() not in _GENDERED for m in pronouns):
        return False
    i = next((k for k, (s, _) in enumerate(ctx.sentences) if s == s0), 0)
    if i == 0:
        return False
    named_before = {_key(m) for m in ctx.mentions_within(*ctx.sentences[i - 1]) if m["label"] not in _NOT_AGENTS}
    if len(named_before) != 1 or any(
        root["label"] != "PERSON" or _key(root) not in named_before for *_, root in before
    ):
        return False  # "Barnes and Jamie Silvonek met ... He joined the military": two people, whoever the NER typed
    (person,) = named_before
    said = [ctx.text[s:e].lower() for (s, e), root in ctx.coref.items() if _key(root) == person]
    he, she = sum(w in ("he", "him", "his") for w in said), sum(w in ("she", "her", "hers") for w in said)
    gender = {"he", "him", "his"} if he >= 2 and not she else {"she", "her"} if she >= 2 and not he else set()
    return all(ctx.text[s:e].lower() in gender for s, e, _ in before)  # the document's own he or she for them


def full_names(ctx: DocContext, ents: dict[str, Entity]) -> dict[str, str]:
    """Short form -> full name for people the document names in full ("Dubois" -> "Claire Dubois")."""
    out = {}
    for e in ents.values():
        if e.label != "PERSON" or len(e.key.split()) < 2:
            continue
        for s in e.surfaces:
            if s != e.key and len(s.split()) == 1 and e.key.endswith(" " + s):
                out[s] = e.key
    return out


def spell_out(text: str, told: str, fulls: dict[str, str]) -> str:
    """``text`` with the first bare short name of each person the conversation has not yet
    named in full replaced by the full name; "Mr Yeaman" is a name a reader can place."""
    for short, full in sorted(fulls.items()):
        if full in told or full in text:
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
            if _HONORIFIC.search(text[: m.start()]) or text[m.end() : m.end() + 2] == " " + full.split()[-1][:1]:
                break
            if _MODIFIER_BEFORE.search(text[: m.start()]):
                continue  # "former Seinfeld star": the name of a show, a firm, a family; never "Jerry Seinfeld star"
            text = text[: m.start()] + full + text[m.end() :]
            break
    return text


_COPULA_WH = re.compile(r"^(?:When|Where|How long) (?:was|were|is|are) (?P<subject>[^?]+?) (?:a|an) ", re.I)
_PREPOSITIONS = frozenset("of in on at by for with from to into over under after before as about than".split())


def _copular_wh(question: str) -> bool:
    """ "When was X's last fight a win ...?": a noun phrase after the subject with no participle or
    preposition between them, the copula's complement asked for a time or a place ("When was he
    named a director?" has its participle)."""
    m = _COPULA_WH.match(question)
    if m is None:
        return False
    last = m.group("subject").split()[-1]
    participle = last.endswith(("ed", "en", "wn")) or last.lower() in PAST_TO_LEMMA
    return last[:1].islower() and not participle and last.lower() not in _PREPOSITIONS


def _question_ok(ctx: DocContext, question: str, answer: str, label: str, raw: str, fulls: dict[str, str]) -> bool:
    """A follow-up a person would ask: checked like any question (``question_check``), short,
    pointing at nothing outside itself, and naming only what the sentence names."""
    if len(question.split()) > MAX_QUESTION_WORDS or _BACK_ADVERB.search(question) or points_outside(question):
        return False
    if _copular_wh(question):
        return False  # "When was Riddick Bowe's last fight a win over Gene Pukall?": a copula asked for a time
    if re.match(r"(?!for )\w+ which organization\b", question, re.I):
        return False  # "Outside which organization ...?": a court, a castle the NER called an organization
    if question_defect(question, answer, label, ctx.mentions, ctx.lower_words):
        return False
    name_words = {w for n in doc_names(ctx.mentions) for w in re.findall(r"[\w'-]+", n) if w[:1].isupper()}
    said = set(re.findall(r"[\w'-]+", raw + " " + " ".join(f for s, f in fulls.items() if s in raw)))
    for word in re.findall(r"[\w'-]+", question)[1:]:
        if word in name_words and word not in said:
            return False  # a name the question got from a coreference guess ("McCoy" for "he")
    return True


def pool(
    ctx: DocContext, rows: list[dict[str, Any]], ents: dict[str, Entity], parses: ca.Parses | None = None
) -> list[Exchange]:
    """The usable exchanges of a document, in document order, one per sentence and answer.

    ``rows``: question candidates, each with ``question``, ``answer``, ``label`` and the
    ``mention`` it asks for (QA examples and the QA generator's other checked candidates).
    ``parses``: a fact the sentence tells in a side clause is answered by its span, and a place
    that locates a name is no answer to "Where ...?" (``conversation_answers``)."""
    ambiguous = ambiguous_forms(ents)
    fulls = {s: f for s, f in full_names(ctx, ents).items() if s not in ambiguous}
    seen: set[tuple[str, tuple[int, int]]] = set()
    out = []
    for row in sorted(rows, key=lambda r: (r["mention"]["start"], r["question"])):
        sent = mention_sentence(ctx, row["mention"])
        if sent is None or (row["answer"], sent) in seen:
            continue
        turn = verbatim_turn(ctx, *sent)
        if turn is None or row["answer"] not in turn:
            continue
        if not _question_ok(ctx, row["question"], row["answer"], row["label"], turn, fulls):
            continue
        if row["question"].startswith("Where ") and ca.place_of_a_name(parses, row["mention"]):
            continue  # "Where did Northwind partner with the Institute?" of "the Institute in Aberdeen"
        seen.add((row["answer"], sent))
        in_turn = named(turn, ents, ambiguous)
        lead = in_turn[0][1] if in_turn and opens_on(turn[: in_turn[0][0]]) else None
        asks = frozenset(k for _, k in named(row["question"], ents, ambiguous))
        if lead is None or lead not in asks | {k for _, k in named(row["answer"], ents)}:
            continue  # "The price values HMP at ...": the sentence is about something else
        short = ca.side_clause_answer(parses, row["mention"], row["answer"])
        said = named(short, ents, ambiguous) if short else in_turn
        names = frozenset(k for _, k in said) | (asks if short else frozenset())
        out.append(Exchange(row["question"], row["answer"], sent, short or turn, asks, names, lead))
    return sorted(out, key=lambda x: (x.sent, x.question))


def qa_rows(ctx: DocContext, qa: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answerable QA examples as question candidates (their mention found again by offset)."""
    by_start = {(m["start"], m["end"]): m for m in ctx.mentions}
    out = []
    for q in qa:
        if not q.get("answer"):
            continue
        start = q["source_spans"][0]["start"] + q["answer_start"]
        m = by_start.get((start, start + len(q["answer"])))
        if m is not None:
            out.append({"question": q["question"], "answer": q["answer"], "label": m["label"], "mention": m})
    return out


def definitions(
    ctx: DocContext, ents: dict[str, Entity], topics: frozenset[str], parses: ca.Parses | None = None
) -> dict[str, tuple[tuple[int, int], str]]:
    """Per entity of a ``topics`` type, the answer to "Who is X?" / "What is X?" composed from
    what the source says it is ("Jermain Defoe is a Sunderland striker.", ``conversation_answers``)
    and the sentence it comes from. "Who" needs a person the evidence agrees on or a person's
    role; a person's role never answers "What is X?"."""
    parts = name_parts(ctx.mentions, ctx.lower_words)
    sure = {_key(m) for m in ctx.mentions if m["label"] == "PERSON" and type_backed(m, ctx.lower_words, parts)}
    seen: dict[str, list[tuple[int, int]]] = {}
    best: dict[str, tuple[int, tuple[int, int], str]] = {}  # rank, sentence, answer (``ca.describe``)
    capitals = mid_sentence_capitals(ctx.text)  # a role's first word keeps its capital only if a name's
    for m in ctx.mentions:
        key = _key(m)
        entity = ents.get(key)
        sent = ctx.sentence_of(m["start"], m["end"])
        if entity is None or entity.label not in topics or best.get(key, (1,))[0] == 0 or sent is None:
            continue
        sents = seen.setdefault(key, [])
        sents += [sent] if sent not in sents else []
        span = ca.parsed_span(parses, m["start"], m["end"])
        if span is None or len(_QUOTE_MARK.findall(ctx.text[sent[0] : m["start"]])) % 2:
            continue  # "'Hillary Clinton is a proven leader,' said ...": a speaker's praise, no identity
        offset = m["start"] - span.start_char
        within = [n for n in ctx.mentions_within(*sent) if n["label"] not in VALUE_LABELS]
        names = [(n["start"], n["end"]) for n in within]
        orgs = [n for n in within if n["label"] == "ORG" and _key(n) != key]
        made = ca.describe(
            span,
            len(sents) <= ca.EARLY_MENTIONS,
            lambda t, names=names, offset=offset: any(s <= offset + t.idx < e for s, e in names),
            capitals,
            lambda t, orgs=orgs, offset=offset: next(
                (" ".join(n["text"].split()) for n in orgs if n["start"] <= offset + t.idx < n["end"]), None
            ),
        )
        if made is None:
            continue
        predicate, noun, rank = made
        if entity.label == "PERSON" and not (noun in ca.PERSON_NOUNS or (key in sure and ca.person_noun(noun))):
            continue  # "Who is Mysore?" of a destroyer spaCy alone called a person; "Stancil is a maximum sentence."
        if entity.label != "PERSON" and (noun in ca.PERSON_NOUNS - ca.THING_NOUNS or noun not in ca.THING_NOUNS):
            continue  # "The Center for Immigration Studies is a future U.S. population."
        if refused_identity(entity.label, noun, ctx.text[sent[0] : sent[1]]):
            continue
        if entity.label != "PERSON" and len(predicate.split()) <= 3:
            continue  # "LPAC is a group.": true of anything the document names
        answer = ca.identity_answer(entity.display, predicate)
        if not first_second_person(answer) and not points_outside(answer) and rank < best.get(key, (3,))[0]:
            best[key] = (rank, sent, answer)  # a post held beats a founding beats a background
    return {k: (sent, answer) for k, (_, sent, answer) in best.items()}


def refused_identity(label: str, noun: str, sentence: str) -> bool:
    """An identity no reader could trust: read off a photo caption run into the text ("... to beat
    the undefeated boxer Bowe (left) is pictured in 2004": Holyfield's description), or a place
    noun for an organisation or a product ("ISIS is an abandoned Syrian road.")."""
    return bool(CAPTION.search(sentence)) or (label in ("ORG", "PRODUCT") and noun in FAC_WORDS - ORG_WORDS)
