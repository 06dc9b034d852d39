"""Grounded multi-turn conversations: about the document, and about its main entities.

A conversation is a user asking specific, self-contained questions and an assistant answering
each from the source, with its subject named. Its exchanges come from ``conversation_turns``
(checked questions, answered by the source sentence as written); here they are put in an
order that holds together:

- about an entity: "Who is Amara Okafor?" answered by the sentence saying what she is (or a
  specific question about her), then follow-ups about her in document order; a follow-up
  says "she" only where the previous exchange was about her and named no other person;
- about the document: an overview from the document summary's sentences that read on their
  own, then follow-ups each asking about an entity the previous answer named.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate import conversation_turns as ct
from dataforge.lib.generate.answer_check import sentence_defect
from dataforge.lib.generate.common import DocContext, make_example, rng, span
from dataforge.lib.generate.standalone import standalone
from dataforge.lib.generate.summary_context import summary_sentences
from dataforge.lib.quality.signals import dangling_turn, first_second_person

GEN_DOCUMENT = "conversation.document/8"  # 8: a wire title cased, a weekday dated the way it points
GEN_ENTITY = "conversation.entity/5"
MAX_ENTITY_CONVERSATIONS = 2  # per document: the most mentioned named entities
ENTITY_TOPICS = frozenset({"PERSON", "ORG", "FAC", "PRODUCT"})  # "Tell me about Bergen." gathers stray facts
MAX_OVERVIEW_SENTENCES = 3

SYSTEM = [
    "You are a helpful assistant. Answer questions about the document{title} below using only what it says.",
    "You answer questions about the document{title} below. Stay faithful to the text.",
    "You are an assistant grounded in the document{title} below; quote it when you answer.",
]
# The system turn carries what the answers come from: a conversation "about the document" that the
# model never sees teaches answering from memory. Up to this many words, the whole document; past it,
# the chunks the turns come from, in order, gaps marked.
PASSAGE_MAX_WORDS = 1500
GAP = "\n\n[...]\n\n"
OPEN_DOCUMENT = [
    "What is this document about?",
    "Can you give me a short overview of this document?",
    "What are the main points of this document?",
]
OPEN_PERSON = ["Who is {x}?", "Can you tell me who {x} is?", "Who is {x}, according to the document?"]
OPEN_THING = ["What is {x}?", "Can you tell me what {x} is?", "What is {x}, according to the document?"]
OPEN_ENTITY = OPEN_PERSON + OPEN_THING  # answered only by a sentence saying what the entity is
_SUBJECT_SLOT = frozenset("did does do was is were are has have had will can could would".split())
_FORMS = {"he": ("he", "him", "his"), "she": ("she", "her", "her"), "it": ("it", "it", "its")}


def pronominalize(question: str, name: str, label: str, pronoun: str | None = None) -> str | None:
    """Replace ``name`` in ``question`` by ``pronoun`` (he, she or it) as the subject after the
    auxiliary ("When did she ...?") or as a possessive; None when the name does not occur once
    or stands anywhere else (inside a longer name, beside "and", as an object)."""
    subj, _, poss = _FORMS.get(pronoun or "", ("it", "it", "its"))
    pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
    slots = list(re.finditer(pattern, question))
    if len(slots) != 1:
        return None
    m = slots[0]
    before, after = question[: m.start()].split(), question[m.end() :].split()
    prev, nxt = (before[-1].lower() if before else ""), (after[0] if after else "?")
    if question[m.end() :].startswith(("'s", "\u2019s")):
        return question[: m.start()] + poss + question[m.end() + 2 :]
    if nxt[:1].isupper() or prev not in _SUBJECT_SLOT or nxt in ("and", "or"):
        return None  # "Northwind Tidal", "join it", "NSEI and it": the subject slot only
    out = question[: m.start()] + subj + question[m.end() :]
    return out[:1].upper() + out[1:]


def passage(ctx: DocContext, spans: list[tuple[int, int]]) -> str:
    """The source text a conversation's answers are read from (see ``PASSAGE_MAX_WORDS``)."""
    if len(ctx.text.split()) <= PASSAGE_MAX_WORDS or not ctx.chunks:
        return ctx.text.strip()
    used = sorted(
        {id(c): c for c in (ctx.chunk_of(s, e) for s, e in spans) if c is not None}.values(), key=lambda c: c["start"]
    )
    if not used:
        return ctx.text.strip()
    parts, last_end = [], None
    for c in used:
        text = ctx.text[c["start"] : c["end"]].strip()
        if last_end is not None and ctx.text[last_end : c["start"]].strip():
            parts.append(GAP)
        elif parts:
            parts.append("\n\n")
        parts.append(text)
        last_end = c["end"]
    return "".join(parts)


def _system(ctx: DocContext, spans: list[tuple[int, int]]) -> str:
    i = rng(ctx.seed, ctx.doc_id, "system").randrange(len(SYSTEM))
    title = ctx.readable_title()
    prompt = SYSTEM[i].format(title=f' "{title}"' if title else "")
    return f"{prompt}\n\n{passage(ctx, spans)}"


def _record(
    ctx: DocContext, turns: list[tuple[str, str]], topic: str, entity, label, spans: list[tuple[int, int]]
) -> dict:
    conv = [{"role": "system", "content": _system(ctx, spans)}]
    for user, assistant in turns:
        conv += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    meta = {"topic": topic, "entity": entity, "entity_label": label, "n_turns": 2 * len(turns)}
    return {"conversations": conv, "metadata": meta}


def _pronoun(ctx: DocContext, entity: ct.Entity) -> str | None:
    """The subject pronoun the document itself uses for the entity (he/she for a person, it for
    a company), or None when the chains give no clear one or "it" would not agree."""
    if entity.label == "ORG":
        plural = entity.key.endswith("s") and not entity.key.endswith(("ics", "ss", "us", "ys"))
        return None if plural else "it"  # "Rhinos" are they
    if entity.label != "PERSON":
        return None
    said = Counter(ctx.text[s:e].lower() for (s, e), root in ctx.coref.items() if ct._key(root) == entity.key)
    he, she = said["he"] + said["him"] + said["his"], said["she"] + said["her"] + said["hers"]
    return "he" if he >= 2 and not she else "she" if she >= 2 and not he else None


def refer(question: str, entity: ct.Entity, pronoun: str | None, previous: ct.Exchange, ents: dict) -> str:
    """``question`` with the entity as a pronoun where nobody could mistake it: the previous
    exchange asked about it and its answer opened on it, naming nothing else the pronoun could
    mean (another person for he/she, another non-person for it); else the name as asked."""
    if pronoun is None or entity.key not in previous.asks or previous.lead != entity.key:
        return question
    person = entity.label == "PERSON"
    kind = {"PERSON"} if person else ENTITY_TOPICS - {"PERSON"}  # a place is no rival for "it" the acquirer
    rivals = {k for k in previous.names | previous.asks if k != entity.key and ents[k].label in kind}
    if rivals:
        return question
    form = next((s for s in sorted(entity.surfaces, key=len, reverse=True) if s in question), None)
    made = pronominalize(question, form, entity.label, pronoun) if form else None
    return made or question


def _opening(ctx: DocContext, entity: ct.Entity, sent: tuple[int, int], turn: str) -> ct.Exchange:
    """ "Who is Amara Okafor?" answered by the sentence that says what she is."""
    ask = OPEN_PERSON if entity.label == "PERSON" else OPEN_THING
    question = rng(ctx.seed, ctx.doc_id, "conv-entity", entity.key).choice(ask).format(x=entity.display)
    return ct.Exchange(question, turn, sent, turn, frozenset({entity.key}), frozenset({entity.key}), entity.key)


def _entity_conversations(ctx: DocContext, exchanges: int, pool: list[ct.Exchange], ents: dict, defs: dict) -> list:
    ranked = sorted(ents.values(), key=lambda e: (-e.count, e.key))
    fulls = ct.full_names(ctx, ents)
    shared = ct.ambiguous_forms(ents)
    out: list[dict] = []
    chosen: list[ct.Entity] = []
    for entity in ranked:
        if len(out) >= MAX_ENTITY_CONVERSATIONS or entity.count < 2:
            break
        if len(entity.key) < 3 or entity.label not in ENTITY_TOPICS or entity.key in shared:
            continue  # "MW", "EU": units and acronyms the NER mistook for names; a surname two people share
        if any(_one_name(entity, done) for done in chosen):
            continue  # "Northwind" beside "Northwind Renewable Energy Corporation": one company, asked about twice
        mine = [x for x in pool if entity.key in x.asks and entity.key in x.names and x.answer not in entity.surfaces]
        used = [_opening(ctx, entity, *defs[entity.key])] if entity.key in defs else []
        turns = [(x.question, x.turn) for x in used]
        told = " ".join(t for _, t in turns)
        for x in mine:
            if len(turns) >= exchanges:
                break
            if x.sent in {u.sent for u in used} or x.answer.lower() in told.lower():
                continue
            asked = x.question if not used else refer(x.question, entity, _pronoun(ctx, entity), used[-1], ents)
            asked = ct.spell_out(asked, told, fulls)
            turn = ct.spell_out(x.turn, told + " " + asked, fulls)
            turns.append((asked, turn))
            used.append(x)
            told += " " + asked + " " + turn
        if len(turns) < 2:
            continue
        spans = [span(ctx.doc_id, *x.sent) for x in used]
        record = _record(ctx, turns, "entity", entity.display, entity.label, [x.sent for x in used])
        out.append(make_example("conversation", GEN_ENTITY, record, spans))
        chosen.append(entity)
    return out


def _one_name(a: ct.Entity, b: ct.Entity) -> bool:
    """Two keys of one entity: the same type, and one name the first words of the other."""
    short, full = sorted((a.key, b.key), key=len)
    return a.label == b.label and full.startswith(short + " ")


# "In the footage, ...": a scene the overview never introduced; "was born in 1982": a profile's trivia
_SCENE = re.compile(r"(?:In|At|During|From|On) the ([a-z]+)\b")
_WORD = re.compile(r"[\w'\u2019-]+")
_LINKING = frozenset("is was a an the of for at and".split())
# a lead that opens on a turn from an earlier state: "Now ...", "But ...", "Instead ..."
_BACK_OPENING = re.compile(r"(?:Now|Then|Still|Instead|Meanwhile|However|Also|But|And|So|Yet|Again)\b")
_BIRTH = re.compile(r"\b(?:was|were) born\b")
# what a news story comes to: a verdict, a sentence, a decision
OUTCOME = re.compile(
    r"\b(?:jailed|imprisoned|sentenced|convicted|acquitted|found (?:not )?guilty|cleared of|fined|banned from"
    r"|ordered to pay|ruled that|voted to|approved|rejected)\b",
    re.I,
)

_COURT = re.compile(
    r"^[^,]{0,60}?\b(?:was|were|has been|have been) (?:later |then )?"
    r"(?:jailed|imprisoned|sentenced|convicted|acquitted|found (?:not )?guilty)\b"
)


def _outcome_exchanges(pool: list[ct.Exchange], told: str, ents: dict) -> list[ct.Exchange]:
    """The court outcome the overview left out, asked of the person it happened to: "What
    happened to Jafar Adeli in court?" when "Who was jailed ...?" would give its answer away."""
    if OUTCOME.search(told):
        return []
    out = []
    for x in pool:
        if OUTCOME.search(x.turn) and x.lead in ents and ents[x.lead].label == "PERSON" and _COURT.match(x.turn):
            person = ents[x.lead].display
            question = f"What happened to {person} in court?"
            out.append(ct.Exchange(question, person, x.sent, x.turn, frozenset({x.lead}), x.names, x.lead))
    return out


def told_already(answer: str, name: str, told: str) -> bool:
    """Every word an identity answer adds to the name is in what the conversation said: "Britt
    McHenry is an ESPN sports reporter." after "Britt McHenry, a ... sports reporter for ESPN"."""
    words = set(_WORD.findall(told.lower()))
    said = set(_WORD.findall(answer.lower())) - set(_WORD.findall(name.lower())) - _LINKING
    return said <= words


def _aside(sentence: str, before: str) -> bool:
    """A later overview sentence that adds no main point: a scene the sentences before it never
    introduced, or where someone was born."""
    scene = _SCENE.match(sentence)
    return bool(scene and scene.group(1) not in before.lower()) or bool(_BIRTH.search(sentence))


def overview(ctx: DocContext, summary: dict[str, Any], ents: dict) -> tuple[str, list[tuple[int, int]]] | None:
    """The summary's sentences that read on their own, in its order (at most three); None when
    its first sentence does not (an overview missing its lead misses the point)."""
    text = summary["summary"]
    spans = sorted(((s["start"], s["end"]) for s in summary["source_spans"]), key=lambda p: p[0])
    written = dict(zip(spans, summary_sentences(ctx, spans), strict=True))  # as the summary wrote them
    placed = sorted((text.find(written[s, e]), (s, e)) for s, e in spans)
    kept: list[tuple[int, int]] = []
    for at, (s, e) in placed:
        sentence = written[s, e]
        ok = (
            at >= 0
            and standalone(sentence, ctx.text, s)
            and not dangling_turn(sentence)
            and not first_second_person(sentence)
            and not ct.points_outside(sentence)
            and sentence_defect(sentence, ctx.text) is None  # a quotation or a headline run in leads no overview
            and len(sentence.split()) <= ct.MAX_TURN_WORDS
            and bool(ct.named(sentence, ents))  # "From the beginning the founders divided the work clearly."
        )
        if not kept and _BACK_OPENING.match(sentence):
            return None  # "Now Riddick Bowe ... has found himself tweeting ...": a past the overview never told
        if not ok and not kept:
            return None
        if ok and (not kept or not _aside(sentence, " ".join(written[a, b] for a, b in kept))):
            kept.append((s, e))
    kept = kept[:MAX_OVERVIEW_SENTENCES]
    return " ".join(written[p] for p in kept), kept


def main_entities(ents: dict[str, ct.Entity]) -> list[str]:
    """The two most mentioned topics a follow-up may ask about; never a surname two people
    share ("Who is Giggs?" of a story about Rhodri Giggs that names his brother Ryan)."""
    shared = ct.ambiguous_forms(ents)
    ranked = sorted(ents.values(), key=lambda e: (-e.count, e.key))
    return [e.key for e in ranked if e.label in ENTITY_TOPICS and e.key not in shared][:2]


def _document_conversation(ctx: DocContext, exchanges: int, pool: list[ct.Exchange], ents, defs, summaries) -> list:
    summary = next((s for s in summaries if s["metadata"]["scope"] == "document"), None)
    made = overview(ctx, summary, ents) if summary is not None else None
    if made is None:
        return []
    opening, sents = made
    fulls = ct.full_names(ctx, ents)
    pick = rng(ctx.seed, ctx.doc_id, "conv-doc")
    # one sentence answers "What is this document about?", not "What are the main points?" (cnnx audit)
    turns = [(pick.choice(OPEN_DOCUMENT if len(sents) > 1 else OPEN_DOCUMENT[:1]), opening)]
    # the first follow-up asks about what the overview named, or about the document's protagonist
    names = {k for _, k in ct.named(opening, ents, ct.ambiguous_forms(ents))} | set(main_entities(ents)[:1])
    told, used = opening, set(sents)
    while len(turns) < exchanges:
        about = [
            _opening(ctx, ents[k], *defs[k])
            for k in sorted(names)
            if k in defs and not told_already(defs[k][1], ents[k].display, told)
        ]
        fits = [
            x
            for x in pool + about
            if x.sent not in used and x.asks & names and x.answer.lower() not in told.lower() and x.turn not in told
        ]
        # a story's outcome ("was jailed for 27 months") the overview left out is the follow-up to ask first
        outcome = [x for x in _outcome_exchanges(pool, told, ents) if x.sent not in used and x.asks & names]
        told_outcome = bool(OUTCOME.search(told))
        nxt = next(iter(outcome + [x for x in fits if OUTCOME.search(x.turn) and not told_outcome] + fits), None)
        if nxt is None:
            break
        asked = ct.spell_out(nxt.question, told, fulls)
        turn = ct.spell_out(nxt.turn, told + " " + asked, fulls)
        turns.append((asked, turn))
        used.add(nxt.sent)
        sents.append(nxt.sent)
        told += " " + asked + " " + turn
        names = set(nxt.names)
    if len(turns) < 2:
        return []  # the opening alone would repeat the summary row
    record = _record(ctx, turns, "document", None, None, sents)
    return [make_example("conversation", GEN_DOCUMENT, record, [span(ctx.doc_id, s, e) for s, e in sents])]


def generate(
    ctx: DocContext,
    config: DataforgeConfig,
    qa: list[dict],
    summaries: list[dict],
    candidates: list[dict[str, Any]] | None = None,
    parses: list[tuple[int, Any]] | None = None,
) -> list[dict[str, Any]]:
    """``qa``: the QA examples; ``candidates``: the QA generator's other checked questions
    (all chunks of ``qa.checked_candidates``), more exchanges to choose from; ``parses``: the NER
    stage's spaCy parses, which identity answers and short answers are read from."""
    exchanges = int(config.generate.conversation_max_turns) // 2
    if exchanges < 1 or not ctx.sentences:
        return []
    ents = ct.entities(ctx)
    asked = [
        {"question": c["question"], "answer": c["mention"]["text"], "label": c["mention"]["label"], **c}
        for c in candidates or []
    ]
    # a QA row may answer with a fuller name found in another sentence (qa.fuller_name): the candidate
    # it came from keeps the mention of the question's own sentence
    known = {c["question"] for c in asked}
    rows = [r for r in ct.qa_rows(ctx, qa) if r["question"] not in known] + asked
    pool = ct.pool(ctx, rows, ents, parses)
    defs = ct.definitions(ctx, ents, ENTITY_TOPICS, parses)
    document = _document_conversation(ctx, exchanges, pool, ents, defs, summaries)
    followed = {t["content"] for d in document for t in d["conversations"][4::2]}
    entity = _entity_conversations(ctx, exchanges, pool, ents, defs)
    # an entity conversation that only repeats the document conversation's follow-ups teaches nothing new
    return document + [e for e in entity if not {t["content"] for t in e["conversations"][2::2]} <= followed]
