"""LLM-written examples (optional): questions and answers, paraphrases, summaries, dialogues.

A model's answer that is a span of the passage becomes an extractive QA record (exact
offsets); one that is not, but is grounded, becomes an abstractive ``llm_answer`` instruction.

Every task is planned deterministically from the document (so the estimate before a run
and the run itself agree, and the cache key of each request is stable), sent through
``dataforge.lib.llm.ChatClient``, parsed as JSON and kept only when ``grounding`` accepts
it. Rejections are counted in ``client.stats`` (``rejected_<task>_<reason>``), never silent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, make_example, rng, span
from dataforge.lib.generate.conversation import _record as conversation_record
from dataforge.lib.generate.grounding import best_sources, find_span, unsupported_reason
from dataforge.lib.generate.instruction import instruction_example, phrase
from dataforge.lib.generate.qa import difficulty, qa_record, well_formed
from dataforge.lib.generate.summary import summary_record
from dataforge.lib.llm import ChatClient, ChatRequest, LLMBudgetError, LLMError

GEN_QA = "qa.llm/1"
GEN_PARAPHRASE = "qa.paraphrase/1"
GEN_SUMMARY = "summary.llm/1"
GEN_CONVERSATION = "conversation.llm/1"
GEN_ANSWER_TASK = "llm_answer"  # instruction.llm_answer/1: an abstractive answer the passage supports
MAX_DOCUMENT_CHARS = 12000  # longer documents: summaries and dialogues see their opening only
SYSTEM = (
    "You write training data grounded in the text you are given. Use only facts stated in the "
    "text, copy names and numbers exactly, and reply with a single JSON object and nothing else."
)
QTYPES = {"who": "who", "whom": "who", "when": "when", "where": "where", "which": "which", "why": "why"}


@dataclass(frozen=True)
class Task:
    name: str  # qa | paraphrase | summary | conversation
    request: ChatRequest
    chunk: dict[str, Any] | None = None
    base: dict[str, Any] | None = None  # the extractive QA example a paraphrase rewrites


def _request(prompt: str, config: DataforgeConfig) -> ChatRequest:
    llm = config.generate.llm
    return ChatRequest((("system", SYSTEM), ("user", prompt)), int(llm.max_tokens), float(llm.temperature))


def _document(ctx: DocContext) -> str:
    return ctx.text[:MAX_DOCUMENT_CHARS]


def plan(ctx: DocContext, config: DataforgeConfig, qa_examples: list[dict[str, Any]]) -> list[Task]:
    """At most ``max_requests_per_document`` tasks: one summary, one dialogue, then QA and paraphrases."""
    llm = config.generate.llm
    budget = max(0, int(llm.max_requests_per_document))
    tasks: list[Task] = []
    if "summary" in llm.tasks and ctx.sentences:
        n = int(config.generate.summary_sentences)
        prompt = (
            f"Document:\n{_document(ctx)}\n\nSummarize the document in {n} sentences, using only facts it "
            'states. Reply as JSON: {"summary": "..."}'
        )
        tasks.append(Task("summary", _request(prompt, config)))
    if "conversation" in llm.tasks and ctx.sentences and config.generate.conversation_max_turns >= 2:
        k = max(1, int(config.generate.conversation_max_turns) // 2 - 1)
        prompt = (
            f"Document:\n{_document(ctx)}\n\nWrite a conversation of {k} exchanges: a user asks questions about "
            "the document, an assistant answers only from it. Follow-up questions may refer back with pronouns. "
            'Reply as JSON: {"turns": [{"user": "...", "assistant": "..."}]}'
        )
        tasks.append(Task("conversation", _request(prompt, config)))
    rest = max(0, budget - len(tasks))
    chunks = [c for c in ctx.chunks if len(c["text"].split()) >= 20]
    rng(ctx.seed, ctx.doc_id, "llm-qa").shuffle(chunks)
    n_qa = (rest + 1) // 2 if "paraphrase" in llm.tasks else rest
    if "qa" in llm.tasks:
        for chunk in sorted(chunks[:n_qa], key=lambda c: c["chunk_id"]):
            prompt = (
                f"Passage:\n{chunk['text']}\n\nWrite one question that the passage answers. The answer must be a "
                'short phrase copied exactly from the passage. Reply as JSON: {"question": "...", "answer": "..."}'
            )
            tasks.append(Task("qa", _request(prompt, config), chunk=chunk))
    if "paraphrase" in llm.tasks:
        pool = sorted((q for q in qa_examples if q.get("answer")), key=lambda q: q["id"])
        rng(ctx.seed, ctx.doc_id, "llm-paraphrase").shuffle(pool)
        for q in pool[: max(0, budget - len(tasks))]:
            prompt = (
                f"Passage:\n{q['context']}\n\nQuestion: {q['question']}\nAnswer: {q['answer']}\n\nRewrite the "
                "question in different words so that it keeps exactly the same answer. Do not include the answer. "
                'Reply as JSON: {"question": "..."}'
            )
            tasks.append(Task("paraphrase", _request(prompt, config), base=q))
    return tasks[:budget]


def parse_json(content: str) -> dict[str, Any] | None:
    """The JSON object in a reply, tolerating code fences and text around it."""
    text = re.sub(r"^```(?:json)?\s*|\s*```$", "", content.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        value = json.loads(text[start : end + 1])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _qa(ctx: DocContext, task: Task, reply: dict, min_support: float) -> tuple[dict | None, str | None]:
    chunk = task.chunk or {}
    question, answer = str(reply.get("question") or "").strip(), str(reply.get("answer") or "")
    found = find_span(chunk["text"], answer)
    if found is None:
        return _abstractive(ctx, chunk, question, answer, min_support)
    s, e = found
    answer = chunk["text"][s:e]
    if not well_formed(question, answer):
        return None, "malformed_question"
    reason = unsupported_reason(question, chunk["text"], min_support)
    if reason:
        return None, reason
    label = next(
        (m["label"] for m in ctx.mentions_within(chunk["start"] + s, chunk["start"] + e)
         if (m["start"], m["end"]) == (chunk["start"] + s, chunk["start"] + e)),
        "span",
    )  # fmt: skip
    qtype = QTYPES.get(question.split()[0].lower(), "what") if question.split() else "what"
    qtype = "how_many" if question.lower().startswith("how many") else qtype
    sent = ctx.sentence_of(chunk["start"] + s, chunk["start"] + e)
    evidence = ctx.text[slice(*sent)] if sent else chunk["text"]
    record = qa_record(chunk["text"], question, answer, s, e, qtype, difficulty(question, evidence), label)
    return make_example("qa", GEN_QA, record, [span(ctx.doc_id, chunk["start"], chunk["end"])]), None


def _abstractive(
    ctx: DocContext, chunk: dict, question: str, answer: str, min_support: float
) -> tuple[dict | None, str | None]:
    """A free-form answer (not a span): kept as an instruction when the passage supports it."""
    answer = " ".join(answer.split())
    if not question.endswith("?") or not answer or answer.lower() in question.lower():
        return None, "malformed_question"
    reason = unsupported_reason(question, chunk["text"], min_support) or unsupported_reason(
        answer, chunk["text"], min_support
    )
    if reason:
        return None, f"answer_{reason}"
    text, i = phrase("answer_from_context", ctx.seed, ctx.doc_id, "llm", chunk["chunk_id"])
    inp = f"Context:\n{chunk['text']}\n\nQuestion: {question}"
    spans = [span(ctx.doc_id, chunk["start"], chunk["end"])]
    return instruction_example(
        GEN_ANSWER_TASK, text, i, inp, answer, spans, "chunk", int(chunk["chunk_id"]), None, 1
    ), None


def _paraphrase(task: Task, reply: dict, min_support: float) -> tuple[dict | None, str | None]:
    base = task.base or {}
    question = str(reply.get("question") or "").strip()
    if question.lower().rstrip("?") == base["question"].lower().rstrip("?"):
        return None, "unchanged"
    if not well_formed(question, base["answer"]):
        return None, "malformed_question"
    reason = unsupported_reason(question, base["question"] + "\n" + base["context"], min_support)
    if reason:
        return None, reason
    fields = ("context", "answer", "answer_start", "answer_end", "metadata")
    record = {"question": question, **{k: base[k] for k in fields}}
    return make_example("qa", GEN_PARAPHRASE, record, base["source_spans"]), None


def _summary(ctx: DocContext, reply: dict, min_support: float) -> tuple[dict | None, str | None]:
    text = " ".join(str(reply.get("summary") or "").split())
    reason = unsupported_reason(text, _document(ctx), min_support)
    if reason:
        return None, reason
    sources = best_sources(text, ctx.sentences, ctx.text)
    record = summary_record(ctx.text, text, "document_abstractive", ctx.title, None, len(sources), "llm")
    record["summary_type"] = "abstractive"
    return make_example("summary", GEN_SUMMARY, record, [span(ctx.doc_id, s, e) for s, e in sources]), None


def _conversation(ctx: DocContext, reply: dict, config: DataforgeConfig) -> tuple[dict | None, str | None]:
    turns = reply.get("turns")
    if not isinstance(turns, list) or not turns:
        return None, "no_turns"
    exchanges: list[tuple[str, str]] = []
    for turn in turns[: max(1, int(config.generate.conversation_max_turns) // 2)]:
        if not isinstance(turn, dict):
            return None, "malformed_turn"
        user, assistant = (
            " ".join(str(turn.get("user") or "").split()),
            " ".join(str(turn.get("assistant") or "").split()),
        )
        if not user.endswith("?") or not assistant:
            return None, "malformed_turn"
        reason = unsupported_reason(assistant, _document(ctx), float(config.generate.llm.min_support))
        if reason:
            return None, reason
        exchanges.append((user, assistant))
    sources = best_sources(" ".join(a for _, a in exchanges), ctx.sentences, ctx.text)
    if not sources:
        return None, "no_source"
    record = conversation_record(ctx, exchanges, "document", None, None, sources)
    return make_example("conversation", GEN_CONVERSATION, record, [span(ctx.doc_id, s, e) for s, e in sources]), None


def generate(
    ctx: DocContext, config: DataforgeConfig, qa_examples: list[dict[str, Any]], client: ChatClient
) -> list[dict[str, Any]]:
    """Grounded LLM examples for one document; API failures and rejections are counted."""
    min_support = float(config.generate.llm.min_support)
    out = []
    for task in plan(ctx, config, qa_examples):
        try:
            content = client.complete(task.request)
        except LLMBudgetError:
            client.stats["skipped_budget"] += 1
            break
        except LLMError:
            client.stats["errors"] += 1
            continue
        reply = parse_json(content)
        if reply is None:
            example, reason = None, "unparsable"
        elif task.name == "qa":
            example, reason = _qa(ctx, task, reply, min_support)
        elif task.name == "paraphrase":
            example, reason = _paraphrase(task, reply, min_support)
        elif task.name == "summary":
            example, reason = _summary(ctx, reply, min_support)
        else:
            example, reason = _conversation(ctx, reply, config)
        if example is None:
            client.stats[f"rejected_{task.name}_{reason}"] += 1
        else:
            client.stats[f"accepted_{task.name}"] += 1
            out.append(example)
    return out
