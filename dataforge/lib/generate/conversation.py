"""Grounded multi-turn conversations: about the document, and about its main entities.

Assistant turns are sentences of the document (or its extractive summary); follow-up
questions about an entity refer to it by pronoun ("When was it founded?").
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, is_prose, make_example, mention_sentence, rng, span
from dataforge.lib.generate.lexicon import PREPS, VALUE_LABELS
from dataforge.lib.generate.question_check import question_defect
from dataforge.lib.generate.referents import standalone
from dataforge.lib.generate.standalone import defines
from dataforge.lib.quality.signals import dangling_turn, first_second_person

GEN_DOCUMENT = "conversation.document/1"
GEN_ENTITY = "conversation.entity/1"
MAX_ENTITY_CONVERSATIONS = 2  # per document: the most mentioned named entities
ENTITY_TOPICS = frozenset({"PERSON", "ORG", "FAC", "PRODUCT"})  # "Tell me about Bergen." gathers stray facts
MAX_WORDS_BEFORE_NAME = 4  # the opening is about the entity: its name leads the sentence

SYSTEM = [
    "You are a helpful assistant. Answer questions about the document{title} using only what it says.",
    "You answer questions about the document{title}. Stay faithful to the text.",
    "You are an assistant grounded in the document{title}; quote it when you answer.",
]
OPEN_DOCUMENT = [
    "What is this document about?",
    "Can you give me a short overview of this document?",
    "What are the main points of this document?",
]
OPEN_ENTITY = [
    "What does the document say about {x}?",
    "Tell me about {x}.",
    "What does the text report about {x}?",
]
_SUBJECT_SLOT = frozenset("did does do was is were are has have had will can could would".split())
_AGREE = {
    "was they": "were they",
    "is they": "are they",
    "does they": "do they",
    "has they": "have they",
    "Was they": "Were they",
    "Is they": "Are they",
}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_FORMS = {"he": ("he", "him", "his"), "she": ("she", "her", "her"), "it": ("it", "it", "its")}


def pronominalize(question: str, name: str, label: str, pronoun: str | None = None) -> str | None:
    """Replace ``name`` in ``question`` by ``pronoun`` (he, she or it; default: it for a thing,
    they for a person); None when the name does not occur or no pronoun fits there."""
    default = ("they", "them", "their") if label == "PERSON" else ("it", "it", "its")
    subj, obj, poss = _FORMS.get(pronoun or "", default)
    pattern = rf"(?<!\w){re.escape(name)}(?!\w)"
    if not re.search(pattern, question):
        return None
    q = re.sub(pattern + r"['\u2019]s\b", poss, question)
    for m in re.finditer(pattern, q):
        before, after = q[: m.start()].split(), q[m.end() :].split()
        prev, nxt = (before[-1].lower() if before else ""), (after[0] if after else "?")
        if nxt[:1].isupper():
            return None  # part of a longer name: "Northwind Tidal"
        if prev in ("and", "or") or nxt in ("and", "or") or re.search(r"\d\s*$", q[: m.start()]):
            return None  # "NSEI and it", "480 it": no natural pronoun here
        if prev not in _SUBJECT_SLOT and nxt[:1].isalpha() and nxt.lower() not in PREPS:
            return None  # the name modifies a noun ("NREC shares")

    def repl(m: re.Match) -> str:
        before = q[: m.start()].split()
        return subj if before and before[-1].lower() in _SUBJECT_SLOT else obj

    q = re.sub(pattern, repl, q)
    for wrong, right in _AGREE.items():
        q = q.replace(wrong, right)
    return q[:1].upper() + q[1:]


def _system(ctx: DocContext) -> str:
    i = rng(ctx.seed, ctx.doc_id, "system").randrange(len(SYSTEM))
    return SYSTEM[i].format(title=f' "{ctx.title}"' if ctx.title else "")


def _record(ctx: DocContext, turns: list[tuple[str, str]], topic: str, entity, label) -> dict:
    conv = [{"role": "system", "content": _system(ctx)}]
    for user, assistant in turns:
        conv += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    meta = {"topic": topic, "entity": entity, "entity_label": label, "n_turns": 2 * len(turns)}
    return {"conversations": conv, "metadata": meta}


def _names_in(ctx: DocContext, s0: int, s1: int) -> set[str]:
    return {m["text"] for m in ctx.mentions_within(s0, s1) if m["label"] not in VALUE_LABELS and len(m["text"]) > 2}


def _pool(ctx: DocContext, qa: list[dict]) -> list[dict[str, Any]]:
    """Answerable QA rows with the sentence that answers them, seeded order."""
    out = []
    for q in sorted((q for q in qa if q["answer"]), key=lambda q: q["id"]):
        absolute = q["source_spans"][0]["start"] + q["answer_start"]
        sent = ctx.sentence_of(absolute, absolute + len(q["answer"]))
        if sent is None or not is_prose(ctx.text[sent[0] : sent[1]]):
            continue
        turn = standalone(ctx, *sent)
        if turn is None or q["answer"] not in turn or dangling_turn(turn) or turn.startswith("Dear "):
            continue
        if question_defect(q["question"], q["answer"], q["metadata"]["answer_type"], ctx.mentions, ctx.lower_words):
            continue  # every follow-up meets the QA bar, whichever QA generator made it
        out.append({"question": q["question"], "answer": q["answer"], "sent": sent, "turn": turn})
    return out


def _about(question: str, names: set[str]) -> list[str]:
    """The names of ``names`` that ``question`` asks about, longest first."""
    ordered = sorted(names, key=lambda n: (-len(n), n))
    return [n for n in ordered if re.search(rf"(?<!\w){re.escape(n)}(?!\w)(?! [A-Z])", question)]


def _chain(pool: list[dict], names: set[str], used: set, told: str, exchanges: int, turns: list) -> list:
    """Follow-ups that each ask about an entity the previous answer named, for something it did
    not say; each answer is the sentence that holds it."""
    spans = []
    while len(turns) < exchanges:
        nxt = next(
            (
                c
                for c in pool
                if c["sent"] not in used
                and _about(c["question"], names)
                and c["answer"].lower() not in told.lower()
                and c["turn"] not in told
            ),
            None,
        )
        if nxt is None:
            break
        used.add(nxt["sent"])
        turns.append((nxt["question"], nxt["turn"]))
        told += " " + nxt["turn"]
        names = nxt["names"]
        spans.append(nxt["sent"])
    return spans


def _document_conversation(ctx: DocContext, exchanges: int, qa: list[dict], summaries) -> list:
    summary = next((s for s in summaries if s["metadata"]["scope"] == "document"), None)
    if summary is None or dangling_turn(summary["summary"]) or first_second_person(summary["summary"]):
        return []  # an opening that speaks as the company ("our") in any sentence
    pick = rng(ctx.seed, ctx.doc_id, "conv-doc")
    pool = _pool(ctx, qa)
    pick.shuffle(pool)
    for c in pool:
        c["names"] = _names_in(ctx, *c["sent"])
    opening = summary["summary"]
    names = set().union(*(_names_in(ctx, s["start"], s["end"]) for s in summary["source_spans"]))
    used = {(s["start"], s["end"]) for s in summary["source_spans"]}
    turns = [(pick.choice(OPEN_DOCUMENT), opening)]
    sents = _chain(pool, names, used, opening, exchanges, turns)
    if len(turns) < 2:
        return []  # the opening alone would repeat the summary row
    spans = list(summary["source_spans"]) + [span(ctx.doc_id, *s) for s in sents]
    record = _record(ctx, turns, "document", None, None)
    return [make_example("conversation", GEN_DOCUMENT, record, spans)]


def _pronoun(ctx: DocContext, name: str, label: str) -> str | None:
    """The subject pronoun the document itself uses for ``name`` (he/she for a person,
    it for anything else), or None when the chains give no clear one."""
    if label != "PERSON":
        return "it"
    said = Counter(
        ctx.text[s:e].lower()
        for (s, e), root in ctx.coref.items()
        if root["text"] == name or name in root["text"] or root["text"] in name
    )
    he = said["he"] + said["him"] + said["his"]
    she = said["she"] + said["her"] + said["hers"]
    return "he" if he >= 2 and not she else "she" if she >= 2 and not he else None  # one clear gender, or the name


def _refer(question: str, name: str, label: str, pronoun: str | None, previous: str, ctx: DocContext) -> str:
    """``question`` with ``name`` as a pronoun when the previous turn makes it unambiguous."""
    if pronoun is None or (pronoun == "it" and (label != "ORG" or _plural_name(name))):
        return question  # "it" only for a company ("Rhinos" are they, a mistyped person is not it)
    slots = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", question)]
    before = question[: slots[0]].split() if len(slots) == 1 else []
    if not before or before[-1].lower() not in _SUBJECT_SLOT:
        return question  # a pronoun only as the subject ("When did she join NSEI?"), else the name
    person = label == "PERSON"
    named = sorted(
        (m for m in ctx.mentions if m["label"] not in VALUE_LABELS and m["text"] in previous), key=lambda m: m["start"]
    )
    first = min(named, key=lambda m: previous.find(m["text"]), default=None)
    if first is not None and first["text"] == name:
        return pronominalize(question, name, label, pronoun) or question  # the previous turn's subject
    if any(
        (m["label"] == "PERSON") == person
        for m in ctx.mentions
        if m["label"] not in VALUE_LABELS and m["text"] in previous and m["text"] not in name
    ):
        return question  # another entity of the same kind in the previous turn: keep the name
    return question  # the previous turn is not about it first: the name says who is meant


def _plural_name(name: str) -> bool:
    """A name that reads as plural ("Rhinos", "Wigan Warriors"): "it" would not agree."""
    return name.endswith("s") and not name.endswith(("ics", "ss", "us", "ys"))


def _full_name(ctx: DocContext, name: str, label: str) -> str:
    """The longest same-type name of the document that ends in ``name``: "Okafor" -> "Amara
    Okafor", "Blue Capital" -> "Halloran Blue Capital" (the NER cut a name short)."""
    longer = [
        m["text"]
        for m in ctx.mentions
        if m["label"] == label and m["text"].endswith(" " + name) and "\n" not in m["text"]
    ]
    return max(sorted(longer), key=len, default=name)


_INTRO = re.compile(r"((In|On|At|By|Since|During|After|Before|Despite|Until) [^,]+?,? )?", re.I)


def _leads(turn: str, name: str) -> bool:
    """``turn`` opens on the name, after at most a short time or place phrase ("In December
    2017 NREC raised ..."): the sentence is about it, not a clause that mentions it in passing
    ("When NREC partnered ..., the aim was ...", "The Ostrea case is ...")."""
    at = turn.find(name)
    if at < 0 or len(turn[:at].split()) > MAX_WORDS_BEFORE_NAME or turn[:1] in "\"\u201c'":
        return False  # a quotation as the opening has lost its speaker
    return _INTRO.fullmatch(turn[:at]) is not None


def _entity_conversations(ctx: DocContext, exchanges: int, qa: list[dict]) -> list[dict]:
    counts = Counter((m["text"], m["label"]) for m in ctx.mentions if m["label"] not in VALUE_LABELS)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    pool = _pool(ctx, qa)
    out = []
    for (name, label), count in ranked:
        if len(out) >= MAX_ENTITY_CONVERSATIONS or count < 2:
            break
        if len(name) < 3 or label not in ENTITY_TOPICS:
            continue  # "MW", "EU": units and acronyms the NER mistook for names
        found = {s for m in ctx.mentions if m["text"] == name for s in [mention_sentence(ctx, m)] if s}
        opening = next(
            (
                (s, t)
                for s in sorted(found)
                if is_prose(ctx.text[s[0] : s[1]])
                for t in [standalone(ctx, *s)]
                if t and _leads(t, name) and not dangling_turn(t) and not t.startswith("Dear ")
            ),
            None,
        )
        pick = rng(ctx.seed, ctx.doc_id, "conv-entity", name)
        mine = [
            c for c in pool if name in _about(c["question"], {name}) and c["answer"] != name and name in c["turn"]
        ]  # each answer names the entity again, so the next follow-up asks about what it said
        pick.shuffle(mine)
        if opening is not None and defines(opening[1], name):  # "Tell me about X." answered by what X is
            turns = [(pick.choice(OPEN_ENTITY).format(x=_full_name(ctx, name, label)), opening[1])]
            used, told, sents = {opening[0]}, opening[1], [opening[0]]
        else:  # one arbitrary fact is no answer to "Tell me about X": open on a specific question
            first = next((c for c in mine if name in c["question"]), None)
            if first is None:
                continue
            mine.remove(first)
            turns = [(first["question"], first["turn"])]
            used, told, sents = {first["sent"]}, first["turn"], [first["sent"]]
        pronoun = _pronoun(ctx, name, label)
        for c in mine:
            if len(turns) >= exchanges:
                break
            if c["sent"] in used or c["answer"].lower() in told.lower():
                continue
            used.add(c["sent"])
            turns.append((_refer(c["question"], name, label, pronoun, turns[-1][1], ctx), c["turn"]))
            told += " " + c["turn"]
            sents.append(c["sent"])
        if len(turns) < 2:
            continue
        spans = [span(ctx.doc_id, s, e) for s, e in sents]
        out.append(make_example("conversation", GEN_ENTITY, _record(ctx, turns, "entity", name, label), spans))
    return out


def generate(ctx: DocContext, config: DataforgeConfig, qa: list[dict], summaries: list[dict]) -> list[dict[str, Any]]:
    exchanges = int(config.generate.conversation_max_turns) // 2
    if exchanges < 1 or not ctx.sentences:
        return []
    return _document_conversation(ctx, exchanges, qa, summaries) + _entity_conversations(ctx, exchanges, qa)
