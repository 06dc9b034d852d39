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
from dataforge.lib.generate.templates import sentence_question

GEN_DOCUMENT = "conversation.document/1"
GEN_ENTITY = "conversation.entity/1"
MAX_ENTITY_CONVERSATIONS = 2  # per document: the most mentioned named entities

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
    "What do we learn about {x} from the text?",
]
MORE = [
    "What else does the document say about {x}?",
    "Tell me more about {x}.",
    "Is there anything else about {x}?",
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


def pronominalize(question: str, name: str, label: str) -> str | None:
    """Replace ``name`` in ``question`` by a pronoun; None when it does not occur."""
    subj, obj, poss = ("they", "them", "their") if label == "PERSON" else ("it", "it", "its")
    pattern = rf"(?<!\w){re.escape(name)}(?!\w)"
    if not re.search(pattern, question):
        return None
    q = re.sub(pattern + r"['\u2019]s\b", poss, question)
    for m in re.finditer(pattern, q):
        before, after = q[: m.start()].split(), q[m.end() :].split()
        prev, nxt = (before[-1].lower() if before else ""), (after[0] if after else "?")
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


def _document_conversation(ctx: DocContext, exchanges: int, qa: list[dict], summaries) -> list:
    summary = next((s for s in summaries if s["metadata"]["scope"] == "document"), None)
    if summary is None:
        return []
    pick = rng(ctx.seed, ctx.doc_id, "conv-doc")
    turns = [(pick.choice(OPEN_DOCUMENT), summary["summary"])]
    spans = list(summary["source_spans"])
    pool = sorted((q for q in qa if q["answer"]), key=lambda q: q["id"])
    pick.shuffle(pool)
    used: set[tuple[int, int]] = set()
    for q in pool:
        if len(turns) >= exchanges:
            break
        absolute = q["source_spans"][0]["start"] + q["answer_start"]
        sent = ctx.sentence_of(absolute, absolute + len(q["answer"]))
        if sent is None or sent in used or not is_prose(ctx.text[sent[0] : sent[1]]):
            continue
        used.add(sent)
        turns.append((q["question"], _clean(ctx.text[sent[0] : sent[1]])))
        spans.append(span(ctx.doc_id, *sent))
    record = _record(ctx, turns, "document", None, None)
    return [make_example("conversation", GEN_DOCUMENT, record, spans)]


def _follow_up(ctx: DocContext, sent: tuple[int, int], name: str, label: str) -> str | None:
    s0, s1 = sent
    for m in ctx.mentions_within(s0, s1):
        if m["text"] == name or name in m["text"]:
            continue
        made = sentence_question(ctx.text[s0:s1], m["start"] - s0, m["end"] - s0, m["label"], ctx.lower_first(s0, s1))
        if made and m["text"].lower() not in made[0].lower():
            q = pronominalize(made[0], name, label)
            if q:
                return q
    return None


def _entity_conversations(ctx: DocContext, exchanges: int) -> list[dict]:
    counts = Counter((m["text"], m["label"]) for m in ctx.mentions if m["label"] not in VALUE_LABELS)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    for (name, label), count in ranked:
        if len(out) >= MAX_ENTITY_CONVERSATIONS or count < 2:
            break
        if len(name) < 3:
            continue  # "MW", "EU": units and acronyms the NER mistook for names
        found = {s for m in ctx.mentions if m["text"] == name for s in [mention_sentence(ctx, m)] if s}
        sents = sorted(s for s in found if is_prose(ctx.text[s[0] : s[1]]))
        if len(sents) < 2:
            continue
        pick = rng(ctx.seed, ctx.doc_id, "conv-entity", name)
        turns = [(pick.choice(OPEN_ENTITY).format(x=name), _clean(ctx.text[slice(*sents[0])]))]
        pron = "them" if label == "PERSON" else "it"
        for sent in sents[1:exchanges]:
            question = _follow_up(ctx, sent, name, label) or pick.choice(MORE).format(x=pron)
            turns.append((question, _clean(ctx.text[slice(*sent)])))
        spans = [span(ctx.doc_id, s, e) for s, e in sents[: len(turns)]]
        out.append(make_example("conversation", GEN_ENTITY, _record(ctx, turns, "entity", name, label), spans))
    return out


def generate(ctx: DocContext, config: DataforgeConfig, qa: list[dict], summaries: list[dict]) -> list[dict[str, Any]]:
    exchanges = int(config.generate.conversation_max_turns) // 2
    if exchanges < 1 or not ctx.sentences:
        return []
    return _document_conversation(ctx, exchanges, qa, summaries) + _entity_conversations(ctx, exchanges)
