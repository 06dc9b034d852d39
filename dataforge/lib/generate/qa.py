"""Extractive QA per chunk, from mentions (wh-questions over their sentence) and relations.

The context is the chunk text and ``context[answer_start:answer_end] == answer`` always.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dataforge.lib.assertion import text_is_asserted
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate import depqa
from dataforge.lib.generate.answer_check import (
    answer_defect,
    full_names,
    fuller_forms,
    fuller_name,
    headline_in,
    numbered_question,
    sentence_defect,
    unhedged,
)
from dataforge.lib.generate.common import (
    DocContext,
    as_int,
    make_example,
    mention_sentence,
    rng,
    span,
    terms,
)
from dataforge.lib.generate.lexicon import (
    PARTICIPLES,
    PAST_TO_LEMMA,
    PERSON_ROLES,
    PREPS,
    PRESENT_TO_LEMMA,
    VERBS,
)
from dataforge.lib.generate.qa_unique import shared_answers
from dataforge.lib.generate.question_check import misspelt_name, question_defect
from dataforge.lib.generate.referents import dated, resolve_question
from dataforge.lib.generate.relation_windows import functional_questions
from dataforge.lib.generate.templates import sentence_question
from dataforge.lib.mention_confidence import name_parts, sports_document
from dataforge.lib.quality.signals import question_reasons

GEN_SENTENCE = "qa.sentence/4"  # 4: "Where" for a hospital one is taken to
GEN_RELATION = "qa.relation/3"
GEN_UNANSWERABLE = "qa.unanswerable/1"
CHECKED = frozenset({GEN_SENTENCE, depqa.GEN_DEPENDENCY})  # qa.relation is the relations scope's


def qa_record(
    context: str,
    question: str,
    answer: str,
    start: int,
    end: int,
    question_type: str,
    difficulty: str,
    answer_type: str,
) -> dict[str, Any]:
    assert context[start:end] == answer, "extractive answer must be an exact context span"
    return {
        "context": context,
        "question": question,
        "answer": answer,
        "answer_start": int(start),
        "answer_end": int(end),
        "metadata": {
            "question_type": question_type,
            "difficulty": difficulty,
            "answer_type": answer_type,
        },
    }


def difficulty(question: str, evidence: str) -> str:
    """Lexical overlap between question and evidence: high overlap reads as easy."""
    q = set(terms(question))
    if not q:
        return "medium"
    ratio = len(q & set(terms(evidence))) / len(q)
    return "easy" if ratio >= 0.75 else "medium" if ratio >= 0.4 else "hard"


def well_formed(question: str, answer: str) -> bool:
    return (
        bool(answer.strip())
        and bool(re.match(r"[^\W_]|[$\u20ac\u00a3]", answer))  # not "## 5": markup the NER took for a value
        and question.endswith("?")
        and 3 <= len(question.split()) <= 60
        and answer.strip().lower() not in question.lower()
        and "\n" not in answer  # a heading fused to the name by the NER
    )


_VERB_WORDS = (
    frozenset(VERBS) | frozenset(PAST_TO_LEMMA) | frozenset(PRESENT_TO_LEMMA) | PARTICIPLES
    | frozenset("is are was were be been being has have had do does did will would can could may might must shall "
                "should not also".split())
)  # fmt: skip
MAX_QUESTION_WORDS = 18
MAX_SOURCE_WORDS = 55  # longer "sentences" are captions and headlines glued together
_KNOWN_WORDS = frozenset(VERBS) | PREPS | PERSON_ROLES | {"be", "found"}
_PARTICLES = frozenset("out up off down in on away back there here too again still so well now then".split())
_VAGUE_END = re.compile(r"\b(tell|told|say|said|ask|asked|call|called|write to|wrote to|thank|join)\?$")
_QUOTE_MARK = re.compile(r"(^|\s)['\u2018\"\u201c]|['\u2019\"\u201d](\s|\?|$)")
_MARKUP = re.compile(r"[#|*_\n\[\]{}<>/]|\b[Nn]o\. [A-Z]")
_FUNCTION_CAPS = frozenset("Does Do Did Is Are Was Were Not No Yes Has Have Had".split())
_SUBJECT_WH = re.compile(r"^(who|which (organization|place|facility|group|product|event|work|law|language))\s", re.I)


_AUX_Q = re.compile(r"^(?:[A-Z]\w*(?: \w+)*? )?(did|does|do|is|was|were|are|has|have|had) (\S+)(.*)$")
_DETERMINERS = frozenset(
    "the a an this that these those its their his her each every all some many most both no any such another other "
    "one two three four five six seven eight nine ten several".split()
)  # fmt: skip
_ARTICLES = frozenset({"the", "a", "an"})
_LINKS = frozenset({"of", "and", "or", "in", "on", "at", "for", "with", "from", "to", "by", "'s"})


def garbled(question: str) -> bool:
    """Template garbling after the auxiliary: a bare singular noun as subject ("When did meeting
    hold ...?"), a date or number as subject ("did 14 March 2023 NREC acquire"), or two noun
    phrases side by side ("When did an appointment the board approve?")."""
    m = _AUX_Q.match(question.rstrip("?"))
    if not m:
        return False
    first, rest = m.group(2), m.group(3).split()
    if first[:1].isdigit():
        return True
    if first[:1].islower() and first not in _DETERMINERS and not first.endswith("s") and rest:
        return rest[0] in VERBS  # "did meeting hold": a bare singular noun straight before the verb
    words = [first, *rest]
    stop = next((i for i, w in enumerate(words) if w in VERBS or w in PARTICIPLES), len(words))
    subject = [w.lower() for w in words[:stop]]
    return sum(w in _ARTICLES for w in subject) >= 2 and not any(w in _LINKS for w in subject)


def incomplete(question: str) -> bool:
    """A subject question with nothing after its verb group ("Which organization could build?")."""
    m = _SUBJECT_WH.match(question)
    if not m:
        return False
    rest = re.findall(r"[A-Za-z0-9'-]+", question[m.end() :])
    content = [
        w
        for w in rest
        if w.lower() not in _VERB_WORDS and w.lower() not in _PARTICLES and not w.lower().endswith(("ed", "ly", "en"))
    ]
    return not content


def _recapitalize(question: str, source: str) -> str:
    """A name that opened the source sentence keeps its capital ("northwind Renewable" -> "Northwind")."""
    first = re.match(r"[A-Z][a-z]+", source.strip())
    if first is None:
        return question
    word = first.group()
    return re.sub(rf"(?<= ){word.lower()}(?= [A-Z])", word, question)


def _outside_reference(question: str) -> bool:
    """A demonstrative that points outside the question: "Which organization expects that milestone?"."""
    if re.search(r"\b(this|these|those)\b|\bthat\?$", question, re.I):
        return True
    return any(
        w[:1].islower() and w not in _DETERMINERS and w not in _VERB_WORDS
        for w in re.findall(r"\bthat ([A-Za-z]+)", question)
    )


def finish_question(ctx: DocContext, question: str, answer: str, label: str, sent: tuple[int, int]) -> str | None:
    """The question a person would ask, or None: pronouns replaced by their antecedent in
    ``sent``, and none of the quality signals (first/second person, wh-word vs the answer's
    resolved type, bare "when" answer, answer in the question) raised."""
    source = ctx.text[sent[0] : sent[1]]
    if "?" in source or len(source.split()) > MAX_SOURCE_WORDS or len(question.split()) > MAX_QUESTION_WORDS:
        return None  # asked of a question (an FAQ heading), of captions run together, or too long to be natural
    if _MARKUP.search(question) or re.search(r"\b(did|does|do|is|was|were|are|has|have|had) one\b", question):
        return None  # asked of a question (an FAQ heading), too long to be natural, or markup
    if _VAGUE_END.search(question) or _QUOTE_MARK.search(question) or _outside_reference(question):
        return None  # "Which organization did Hussen tell?" asks for little; quotes in a question are copied voice
    if any(w in _FUNCTION_CAPS for w in question.split()[1:]):
        return None  # "Which organization Does pay a dividend Not yet?": a heading spliced in
    question = _recapitalize(question, source)
    resolved = resolve_question(ctx, question, *sent)
    resolved = dated(resolved, ctx.date) if resolved is not None else None
    if resolved is None or incomplete(resolved) or garbled(resolved) or not well_formed(resolved, answer):
        return None
    return None if question_reasons(resolved, answer, label) else resolved


def _home(ctx: DocContext, chunks: dict[int, dict], lo: int, hi: int, hint: Any) -> dict | None:
    """The chunk a span is generated in: its own chunk_id when consistent, else the first holding it."""
    chunk = chunks.get(as_int(hint))
    if chunk is not None and chunk["start"] <= lo and hi <= chunk["end"]:
        return chunk
    return ctx.chunk_of(lo, hi)


def _candidates(ctx: DocContext, parses: list[tuple[int, Any]] | None = None) -> dict[int, list[dict[str, Any]]]:
    """Question candidates per chunk id, each mention and relation in exactly one chunk."""
    chunks = {int(c["chunk_id"]): c for c in ctx.chunks}
    out: dict[int, list[dict[str, Any]]] = {cid: [] for cid in chunks}
    doc = _DocFacts(name_parts(ctx.mentions, ctx.lower_words), sports_document(ctx.text))
    for m, question, qtype in depqa.candidates(ctx, parses or []):
        sent = mention_sentence(ctx, m)
        chunk = _home(ctx, chunks, *(sent or (m["start"], m["end"])), m.get("chunk_id"))
        if sent is not None and chunk is not None:
            evidence = ctx.text[sent[0] : sent[1]]
            _add(ctx, chunk, out, (question, qtype), m, sent, evidence, depqa.GEN_DEPENDENCY, doc)
    for m in ctx.mentions:
        sent = mention_sentence(ctx, m)
        chunk = _home(ctx, chunks, *(sent or (m["start"], m["end"])), m.get("chunk_id"))
        if sent is None or chunk is None:
            continue
        s0, s1 = sent
        if not text_is_asserted(ctx.text[s0:s1]):
            continue  # a denied, asked or hedged statement is no answer (dataforge.lib.assertion)
        made = sentence_question(ctx.text[s0:s1], m["start"] - s0, m["end"] - s0, m["label"], ctx.lower_first(s0, s1))
        if made:
            _add(ctx, chunk, out, made, m, sent, ctx.text[s0:s1], GEN_SENTENCE, doc)
    # relation questions: schema facts of complete windows, single-valued ends only (relation_windows)
    for question, qtype, m, sent in functional_questions(ctx):
        chunk = _home(ctx, chunks, *sent, m.get("chunk_id"))
        if chunk is not None:
            evidence = ctx.text[sent[0] : sent[1]]
            _add(ctx, chunk, out, (question, qtype), m, sent, evidence, GEN_RELATION, doc)
    shared = shared_answers(ctx, [c for cands in out.values() for c in cands])
    return {cid: [c for c in cands if id(c) not in shared] for cid, cands in out.items()}


def checked_candidates(ctx: DocContext, parses: list[tuple[int, Any]] | None = None) -> dict[int, list[dict[str, Any]]]:
    """Every question the generators made and the checks kept, per chunk, before the per-chunk
    selection: computed once per document, QA rows pick from them and conversations choose
    their exchanges from all of them."""
    return _candidates(ctx, parses)


@dataclass(frozen=True)
class _DocFacts:
    """What the answer checks need of the whole document, computed once."""

    parts: dict[str, set[str]]
    sports: bool


def _add(
    ctx: DocContext,
    chunk: dict[str, Any],
    out: dict[int, list[dict[str, Any]]],
    made: tuple[str, str],
    m: dict,
    sent: tuple[int, int],
    evidence: str,
    gen: str,
    doc: _DocFacts,
) -> None:
    """Append the candidate when its sentence is prose and its question survives
    ``finish_question`` (and, for the sentence and dependency questions, ``answer_check``
    and ``question_check``). A bare surname is answered with the person's fuller name in the chunk
    (``answer_check.fuller_name``)."""
    reason = sentence_defect(evidence, ctx.text, m["start"] - sent[0])
    if reason and (gen in CHECKED or reason != "quotation"):
        return  # a relation stated beside a quotation ("..., said Claire Dubois, an analyst at X") still holds
    if gen in CHECKED and answer_defect(m, ctx.text, sent, ctx.lower_words, doc.parts, doc.sports):
        return
    if headline_in(made[0], m["text"], evidence, ctx.text[max(0, sent[0] - 80) : sent[0]]):
        return  # an all-caps headline run into the sentence: its words are no part of the statement
    question = finish_question(ctx, made[0], m["text"], m["label"], sent)
    if question is not None and numbered_question(question, evidence, ctx.text):
        return
    if question is not None:
        roots = [root for (s0, s1), root in ctx.coref.items() if sent[0] <= s0 and s1 <= sent[1]]  # "she" -> "Okafor"
        others = [o for o in ctx.mentions_within(*sent) + roots if (o["start"], o["end"]) != (m["start"], m["end"])]
        question = full_names(question, others, ctx.mentions)
    if question is not None and gen in CHECKED:
        question = None if question_defect(question, m["text"], m["label"], ctx.mentions, ctx.lower_words) else question
    if question is not None and misspelt_name(question, ctx.text):
        return
    answer, window = None, None
    if question is not None:
        # the fuller name may lie in the chunk before, which repeats the sentence (chunks overlap by one)
        homes = [chunk, *(c for c in ctx.chunks if c is not chunk and c["start"] <= sent[0] and sent[1] <= c["end"])]
        for home in homes:
            answer = fuller_name(m, ctx.mentions, home["start"], home["end"])
            if answer is not None:
                chunk = home
                break
        if answer is None:
            window = _window(ctx, m, chunk)
            answer = fuller_name(m, ctx.mentions, *window) if window else None
    answer = unhedged(answer) if answer is not None else None
    if question is not None and answer is not None and answer["text"].lower() not in question.lower():
        out[int(chunk["chunk_id"])].append(
            {
                "question": question,
                "qtype": made[1],
                "mention": m,
                "answer_mention": answer,
                "evidence": evidence,
                "gen": gen,
                "window": window,
            }
        )


MAX_WINDOW = 3000  # characters: how far back a QA context may reach for the person's full name


def _window(ctx: DocContext, m: dict[str, Any], chunk: dict[str, Any]) -> tuple[int, int] | None:
    """A context that runs from the sentence naming the person in full ("Amara Okafor was born
    ...") to the end of ``chunk``, whose bare surname ("Okafor built the group") the question is
    about: the answer is then the full name, not a part of it. None when that sentence lies
    more than ``MAX_WINDOW`` characters back or the document gives no fuller name before. The
    context starts where that sentence starts, never inside it: "Ryan Giggs has lost his job" cut
    from "The brother of ex-footballer Ryan Giggs has lost his job" is a false claim."""
    fuller = fuller_forms(m, ctx.mentions) or []
    before = [f for f in fuller if f["end"] <= chunk["start"] and chunk["end"] - f["start"] <= MAX_WINDOW]
    if not before:
        return None
    first = max(before, key=lambda f: f["start"])
    sent = ctx.sentence_of(first["start"], first["end"])
    if sent is None or chunk["end"] - sent[0] > MAX_WINDOW:
        return None
    return sent[0], chunk["end"]


def _select(cands: list[dict[str, Any]], limit: int, seed_rng) -> list[dict[str, Any]]:
    """Round-robin over question types, seeded, at most ``limit``, distinct questions."""
    seen: set[str] = set()
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in cands:
        key = c["question"].lower()
        if key in seen or not well_formed(c["question"], c["mention"]["text"]):
            continue
        seen.add(key)
        groups.setdefault(c["qtype"], []).append(c)
    order = sorted(groups)
    seed_rng.shuffle(order)
    for name in order:
        seed_rng.shuffle(groups[name])
    picked: list[dict[str, Any]] = []
    answered: set[tuple[int, int]] = set()  # one question per answer: rewordings teach nothing new
    while len(picked) < limit and any(groups.values()):
        for name in order:
            while groups[name] and len(picked) < limit:
                c = groups[name].pop(0)
                key = (c["mention"]["start"], c["mention"]["end"])
                if key not in answered:
                    answered.add(key)
                    picked.append(c)
                    break
    return picked


def generate(
    ctx: DocContext,
    config: DataforgeConfig,
    parses: list[tuple[int, Any]] | None = None,
    candidates: dict[int, list[dict[str, Any]]] | None = None,
) -> list[dict]:
    """Up to ``max_qa_per_chunk`` questions per chunk; ``parses`` (spaCy, from the NER stage) add
    dependency-based questions to the string templates; ``candidates``: ``checked_candidates``
    when the caller has them already."""
    limit = max(0, int(config.generate.max_qa_per_chunk))
    out: list[dict[str, Any]] = []
    per_chunk: dict[int, list[dict[str, Any]]] = {}
    candidates = candidates if candidates is not None else _candidates(ctx, parses)
    for chunk in ctx.chunks:
        cid = int(chunk["chunk_id"])
        picked = _select(candidates[cid], limit, rng(ctx.seed, ctx.doc_id, "qa", cid))
        per_chunk[cid] = picked
        for c in sorted(picked, key=lambda c: (c["mention"]["start"], c["question"])):
            m = c.get("answer_mention") or c["mention"]  # a bare surname's fuller name in the chunk
            lo, hi = c.get("window") or (chunk["start"], chunk["end"])  # or in a context reaching back to it
            start = m["start"] - lo
            record = qa_record(
                ctx.text[lo:hi],
                c["question"],
                m["text"],
                start,
                start + len(m["text"]),
                c["qtype"],
                difficulty(c["question"], c["evidence"]),
                m["label"],
            )
            spans = [span(ctx.doc_id, lo, hi)]
            out.append(make_example("qa", c["gen"], record, spans))
    if config.generate.unanswerable_qa:
        out.extend(_unanswerable(ctx, per_chunk))
    return out


def _unanswerable(ctx: DocContext, per_chunk: dict[int, list[dict[str, Any]]]) -> list[dict]:
    """One question per chunk borrowed from another chunk whose answer is not in this one."""
    out = []
    for chunk in ctx.chunks:
        cid = int(chunk["chunk_id"])
        lowered = chunk["text"].lower()
        pool = [
            c
            for other, cands in sorted(per_chunk.items())
            if other != cid
            for c in cands
            if c["mention"]["text"].lower() not in lowered
        ]
        if not pool:
            continue
        c = rng(ctx.seed, ctx.doc_id, "qa-none", cid).choice(pool)
        record = qa_record(chunk["text"], c["question"], "", 0, 0, c["qtype"], "hard", "none")
        spans = [span(ctx.doc_id, chunk["start"], chunk["end"])]
        out.append(make_example("qa", GEN_UNANSWERABLE, record, spans))
    return out
