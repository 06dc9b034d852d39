"""Chat/instruction fine-tuning formats: OpenAI JSONL, Alpaca and ShareGPT.

Each format gets train/validation/test files (empty ones too, so consumers can rely on
the paths). Rows are ordered by kind (KINDS order), then id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dataforge.lib.export.tables import by_split
from dataforge.lib.quality import KINDS, SPLITS

QA_SYSTEM = "Answer the question using only the given context."
SUMMARY_PROMPT = "Summarize the following text."
OPENAI_TOKEN_LIMIT = 65_536
_OPENAI_ROLES = {"system", "user", "assistant"}
_OPENAI_IGNORED_ROLES = {"tool", "function"}
_OPENAI_MESSAGE_KEYS = {"role", "content", "name", "weight", "tool_calls", "function_call", "refusal"}
_SHAREGPT_FROM = {"system": "system", "user": "human", "assistant": "gpt"}

Row = dict[str, Any]


def _s(ex: Row, key: str) -> str:
    value = ex.get(key)
    return value if isinstance(value, str) else ""


def _join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def qa_prompt(ex: Row) -> str:
    return _join(f"Context:\n{_s(ex, 'context')}", f"Question: {_s(ex, 'question')}")


def instruction_prompt(ex: Row) -> str:
    return _join(_s(ex, "instruction"), _s(ex, "input"))


def summary_prompt(ex: Row) -> str:
    return _join(SUMMARY_PROMPT, _s(ex, "document"))


def _turns(ex: Row) -> list[dict[str, str]]:
    return [
        {"role": str(t.get("role", "")), "content": str(t.get("content") or "")}
        for t in ex.get("conversations") or []
        if isinstance(t, dict)
    ]


def _openai(kind: str, ex: Row) -> dict[str, Any] | None:
    if kind == "conversation":
        return {"messages": _turns(ex)}
    if kind == "qa":
        msgs = [
            {"role": "system", "content": QA_SYSTEM},
            {"role": "user", "content": qa_prompt(ex)},
            {"role": "assistant", "content": _s(ex, "answer")},
        ]
        return {"messages": msgs}
    if kind == "instruction":
        return {
            "messages": [
                {"role": "user", "content": instruction_prompt(ex)},
                {"role": "assistant", "content": _s(ex, "output")},
            ]
        }
    if kind == "summary":
        return {
            "messages": [
                {"role": "user", "content": summary_prompt(ex)},
                {"role": "assistant", "content": _s(ex, "summary")},
            ]
        }
    return None


def _alpaca(kind: str, ex: Row) -> dict[str, Any] | None:
    if kind == "instruction":
        return {"instruction": _s(ex, "instruction"), "input": _s(ex, "input"), "output": _s(ex, "output")}
    if kind == "qa":
        return {"instruction": _s(ex, "question"), "input": _s(ex, "context"), "output": _s(ex, "answer")}
    if kind == "summary":
        return {"instruction": SUMMARY_PROMPT, "input": _s(ex, "document"), "output": _s(ex, "summary")}
    return None


def _sharegpt(kind: str, ex: Row) -> dict[str, Any] | None:
    if kind == "conversation":
        turns = [(t["role"], t["content"]) for t in _turns(ex)]
    elif kind == "qa":
        turns = [("user", qa_prompt(ex)), ("assistant", _s(ex, "answer"))]
    elif kind == "instruction":
        turns = [("user", instruction_prompt(ex)), ("assistant", _s(ex, "output"))]
    else:
        return None
    return {"conversations": [{"from": _SHAREGPT_FROM.get(r, r), "value": v} for r, v in turns]}


def _per_split(
    datasets: dict[str, list[Row]], convert: Callable[[str, Row], dict[str, Any] | None]
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in SPLITS}
    for kind in [k for k in KINDS if k in datasets] + sorted(set(datasets) - set(KINDS)):
        for split, rows in by_split(datasets[kind]).items():
            for ex in rows:
                converted = convert(kind, ex)
                if converted is not None:
                    out[split].append(converted)
    return out


def openai_files(datasets: dict[str, list[Row]]) -> dict[str, bytes]:
    """exports/openai/<split>.jsonl: {"messages": [...]} from conversation, qa, instruction,
    summary (qa gets a short system message telling the model to stay in the context)."""
    return {
        f"exports/openai/{split}.jsonl": "".join(
            json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows
        ).encode("utf-8")
        for split, rows in _per_split(datasets, _openai).items()
    }


def _json_array(rows: list[dict[str, Any]]) -> bytes:
    return (json.dumps(rows, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def alpaca_files(datasets: dict[str, list[Row]]) -> dict[str, bytes]:
    """exports/alpaca/<split>.json: [{instruction, input, output}] from instruction, qa, summary."""
    return {f"exports/alpaca/{s}.json": _json_array(rows) for s, rows in _per_split(datasets, _alpaca).items()}


def sharegpt_files(datasets: dict[str, list[Row]]) -> dict[str, bytes]:
    """exports/sharegpt/<split>.json: [{"conversations": [{from, value}]}] from conversation, qa,
    instruction; roles map system->system, user->human, assistant->gpt."""
    return {f"exports/sharegpt/{s}.json": _json_array(rows) for s, rows in _per_split(datasets, _sharegpt).items()}


def _message_errors(where: str, msg: Any) -> tuple[list[str], int, bool]:
    """Errors of one message, its estimated tokens, and whether it is an assistant turn."""
    if not isinstance(msg, dict):
        return [f"{where}: message is not an object"], 0, False
    errors = [f"{where}: unrecognized key {k!r}" for k in sorted(set(msg) - _OPENAI_MESSAGE_KEYS)]
    role = msg.get("role")
    if role in _OPENAI_IGNORED_ROLES:
        return errors, 0, False
    if role not in _OPENAI_ROLES:
        return [*errors, f"{where}: role {role!r} is not system, user or assistant"], 0, False
    content = msg.get("content")
    calls = role == "assistant" and ("tool_calls" in msg or "function_call" in msg)
    if not (isinstance(content, str) and content.strip()) and not (calls and content is None):
        errors.append(f"{where}: content must be a non-empty string")
    if "weight" in msg and (role != "assistant" or msg["weight"] not in (0, 1)):
        errors.append(f"{where}: weight must be 0 or 1, on assistant messages only")
    tokens = 3 + _count(role) + (_count(content) if isinstance(content, str) else 0)
    return errors, tokens, role == "assistant"


def _count(text: str) -> int:
    from dataforge.lib.chunk import token_counter

    return token_counter("cl100k_base")(text)


def validate_openai_jsonl(data: bytes) -> list[str]:
    """Check chat fine-tuning JSONL against OpenAI's published format rules.

    Every line: a JSON object with a non-empty 'messages' list; roles system/user/assistant
    (tool/function messages are skipped, not checked); content a non-empty string; known
    message keys only; at least one assistant message; at most 65,536 tokens per example,
    counted with cl100k_base the way OpenAI's cookbook does (3 per message + role + content,
    3 to prime the reply).
    Returns human-readable errors, empty when the file is fine.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"file is not UTF-8: {exc}"]
    errors: list[str] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it is not an empty line
    for n, line in enumerate(lines, 1):
        where = f"line {n}"
        if not line.strip():
            errors.append(f"{where}: empty line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not valid JSON ({exc.msg})")
            continue
        messages = obj.get("messages") if isinstance(obj, dict) else None
        if not isinstance(obj, dict):
            errors.append(f"{where}: not a JSON object")
            continue
        if not isinstance(messages, list) or not messages:
            errors.append(f"{where}: 'messages' must be a non-empty list")
            continue
        tokens = 3
        has_assistant = False
        for i, msg in enumerate(messages):
            errs, t, is_assistant = _message_errors(f"{where} message {i}", msg)
            errors += errs
            tokens += t
            has_assistant = has_assistant or is_assistant
        if not has_assistant:
            errors.append(f"{where}: no assistant message")
        if tokens > OPENAI_TOKEN_LIMIT:
            errors.append(f"{where}: {tokens} tokens (cl100k_base), over {OPENAI_TOKEN_LIMIT}")
    return errors
