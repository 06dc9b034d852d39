"""Checks every export must pass before a release is complete.

- Alpaca: a JSON array of objects with exactly the string keys instruction, input, output;
  instruction and output non-empty.
- ShareGPT: a JSON array of ``{"conversations": [{"from", "value"}]}``; ``from`` in system /
  human / gpt, a system turn only first, human and gpt alternating from a human turn, the
  last turn from gpt, no empty value.
- OpenAI: ``validate_openai_jsonl`` (chat.py).
- PII: a scan of every text export with the stage's own test (``find_leaks``: the shared
  detector, minus the pseudonyms dataforge wrote under the release's seed); types whose
  pseudonyms look real (names, addresses, dates of birth) are not scanned under
  pseudonymize, since a fake name is a name.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from dataforge.lib.export.chat import validate_openai_jsonl

_ALPACA_KEYS = {"instruction", "input", "output"}
_SHAREGPT_FROM = {"system", "human", "gpt"}


def _array(data: bytes) -> tuple[list[Any] | None, list[str]]:
    try:
        rows = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [f"not valid UTF-8 JSON: {exc}"]
    if not isinstance(rows, list):
        return None, ["top level is not a JSON array"]
    return rows, []


def validate_alpaca(data: bytes) -> list[str]:
    rows, errors = _array(data)
    for i, row in enumerate(rows or []):
        if not isinstance(row, dict) or set(row) != _ALPACA_KEYS:
            errors.append(f"row {i}: keys must be exactly instruction, input, output")
            continue
        if not all(isinstance(row[k], str) for k in _ALPACA_KEYS):
            errors.append(f"row {i}: values must be strings")
        elif not row["instruction"].strip() or not row["output"].strip():
            errors.append(f"row {i}: empty instruction or output")
    return errors


def validate_sharegpt(data: bytes) -> list[str]:
    rows, errors = _array(data)
    for i, row in enumerate(rows or []):
        turns = row.get("conversations") if isinstance(row, dict) else None
        if not isinstance(turns, list) or not turns:
            errors.append(f"row {i}: 'conversations' must be a non-empty list")
            continue
        if any(not isinstance(t, dict) or set(t) != {"from", "value"} for t in turns):
            errors.append(f"row {i}: every turn must have exactly 'from' and 'value'")
            continue
        roles = [t["from"] for t in turns]
        if any(r not in _SHAREGPT_FROM for r in roles):
            errors.append(f"row {i}: 'from' must be system, human or gpt")
        if any(not isinstance(t["value"], str) or not t["value"].strip() for t in turns):
            errors.append(f"row {i}: empty value")
        body = roles[1:] if roles[0] == "system" else roles
        expected = ["human" if j % 2 == 0 else "gpt" for j in range(len(body))]
        if body != expected or not body or body[-1] != "gpt":
            errors.append(f"row {i}: turns must alternate human/gpt, start with human and end with gpt")
    return errors


def validate_exports(files: dict[str, bytes]) -> dict[str, list[str]]:
    """Path -> errors, for every OpenAI/Alpaca/ShareGPT file (empty lists when valid)."""
    out: dict[str, list[str]] = {}
    for path, data in sorted(files.items()):
        if path.startswith("exports/openai/") and path.endswith(".jsonl"):
            out[path] = validate_openai_jsonl(data)
        elif path.startswith("exports/alpaca/") and path.endswith(".json"):
            out[path] = validate_alpaca(data)
        elif path.startswith("exports/sharegpt/") and path.endswith(".json"):
            out[path] = validate_sharegpt(data)
    return out


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in ("id", "source_documents", "source_spans", "generator", "release", "split", "kind"):
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def scan_types(types: Iterable[str], strategy: str) -> list[str]:
    from dataforge.lib.quality import REALISTIC_PSEUDONYMS

    if strategy == "keep":
        return []
    return [t for t in types if not (strategy == "pseudonymize" and t in REALISTIC_PSEUDONYMS)]


def scan_pii(files: dict[str, bytes], types: Iterable[str], nlp: Any = None, seed: int | None = None) -> dict[str, int]:
    """Identifiers of ``types`` found in the text exports (JSON, JSONL), by type.

    ``seed``: the release's seed, whose pseudonyms are not leaks; None recognises none.
    PERSON (scanned under non-pseudonymizing strategies only) uses ``nlp`` or the default model.
    """
    from dataforge.lib.quality import find_pii, is_pseudonym

    types = list(types)
    found: Counter[str] = Counter()
    if not types:
        return {}
    for path, data in files.items():
        if not path.endswith((".json", ".jsonl")) or path.startswith("review/") or path.endswith("report.json"):
            continue
        text = data.decode("utf-8")
        values = (
            [json.loads(line) for line in text.splitlines() if line.strip()]
            if path.endswith(".jsonl")
            else [json.loads(text)]
        )
        for s in {s for v in values for s in _strings(v)}:
            spans = find_pii(s, types, nlp)  # what find_leaks tests, with names found by spaCy
            found.update(k for a, b, k in spans if seed is None or not is_pseudonym(s[a:b], seed))
    return {t: found.get(t, 0) for t in types}
