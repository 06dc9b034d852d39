"""Human review: a stratified sample of each release out, reviewers' decisions back in.

Out (``review_files``): ``review/argilla.jsonl`` (one flat record a line: ``id`` plus the
fields ``prompt``, ``response``, ``kind``, ``split`` and metadata, what ``rg.Dataset``'s
``records.log`` takes with a settings of two TextFields and a LabelQuestion ``decision``),
``review/label_studio.json`` (tasks ``[{"data": {...}}]``) and
``review/label_studio.xml`` (the labeling config: accept/reject plus a comment).

In (``parse_decisions``): a Label Studio JSON export, an Argilla export (records with
``responses``), or plain JSONL/CSV rows ``{id, decision}``. ``import_decisions`` merges
them into ``review/decisions.jsonl`` in the lake (the latest decision per id wins); the next
``training_dataset`` leaves every rejected example out and counts it in its report.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dataforge.lib.export.chat import instruction_prompt, qa_prompt, summary_prompt

DECISIONS_KEY = "review/decisions.jsonl"
ACCEPT, REJECT = "accept", "reject"
_SYNONYMS = {
    "accept": ACCEPT,
    "accepted": ACCEPT,
    "ok": ACCEPT,
    "reject": REJECT,
    "rejected": REJECT,
    "discard": REJECT,
}

LABEL_STUDIO_CONFIG = """<View>
  <Header value="$kind example $id ($split)"/>
  <Text name="prompt" value="$prompt"/>
  <Text name="response" value="$response"/>
  <Choices name="decision" toName="response" choice="single" required="true">
    <Choice value="accept"/>
    <Choice value="reject"/>
  </Choices>
  <TextArea name="comment" toName="response" placeholder="Why reject?"/>
</View>
"""


def _pair(ex: dict[str, Any]) -> tuple[str, str]:
    """What a reviewer reads: the prompt-like and the response-like side of an example."""
    kind = ex.get("kind")
    if kind == "qa":
        return qa_prompt(ex), str(ex.get("answer", ""))
    if kind == "instruction":
        return instruction_prompt(ex), str(ex.get("output", ""))
    if kind == "summary":
        return summary_prompt(ex), str(ex.get("summary", ""))
    if kind == "conversation":
        turns = [t for t in ex.get("conversations") or [] if isinstance(t, dict)]
        text = "\n\n".join(f"{t.get('role')}: {t.get('content')}" for t in turns)
        return text, ""
    if kind in ("ner", "relation"):
        ents = "; ".join(f"{e.get('text')} [{e.get('label')}]" for e in ex.get("entities") or [])
        rels = "; ".join(f"({r.get('head')}, {r.get('relation')}, {r.get('tail')})" for r in ex.get("relations") or [])
        return str(ex.get("text", "")), "\n".join(p for p in (ents, rels) if p)
    return str(ex.get("text", "")), str(ex.get("label", ""))


def sample(datasets: dict[str, list[dict[str, Any]]], fraction: float, seed: int) -> list[dict[str, Any]]:
    """Stratified by kind and split: ceil(fraction * n) of each non-empty stratum (so every
    stratum is seen), the ones with the smallest sha256(seed:id). Deterministic."""
    if fraction <= 0:
        return []
    picked: list[dict[str, Any]] = []
    for kind in sorted(datasets):
        strata: dict[str, list[dict[str, Any]]] = {}
        for ex in datasets[kind]:
            strata.setdefault(str(ex.get("split", "train")), []).append(ex)
        for split in sorted(strata):
            rows = strata[split]
            n = min(len(rows), math.ceil(fraction * len(rows)))
            rank = sorted(rows, key=lambda e: hashlib.sha256(f"{seed}:{e.get('id')}".encode()).hexdigest())
            picked += [{**e, "kind": kind} for e in rank[:n]]
    return picked


def review_files(datasets: dict[str, list[dict[str, Any]]], fraction: float, seed: int) -> dict[str, bytes]:
    rows = []
    for ex in sample(datasets, fraction, seed):
        prompt, response = _pair(ex)
        rows.append(
            {
                "id": str(ex.get("id")),
                "prompt": prompt,
                "response": response,
                "kind": ex["kind"],
                "split": ex.get("split", "train"),
                "source_documents": ", ".join(ex.get("source_documents") or []),
                "generator": ex.get("generator")
                if isinstance(ex.get("generator"), str)
                else json.dumps(ex.get("generator")),
            }
        )
    argilla = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    studio = json.dumps([{"data": r} for r in rows], ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    return {
        "review/argilla.jsonl": argilla.encode("utf-8"),
        "review/label_studio.json": studio.encode("utf-8"),
        "review/label_studio.xml": LABEL_STUDIO_CONFIG.encode("utf-8"),
    }


def _norm(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("value")
        return _norm(value)
    return _SYNONYMS.get(str(value).strip().casefold()) if value is not None else None


def _from_record(rec: dict[str, Any]) -> tuple[str, str, str] | None:
    """(id, decision, comment) from one row of any supported export."""
    data = rec.get("data") if isinstance(rec.get("data"), dict) else {}
    rid = (
        data.get("id") or rec.get("id") or (rec.get("fields") or {}).get("id") or (rec.get("metadata") or {}).get("id")
    )
    decision = _norm(rec.get("decision"))
    comment = str(rec.get("comment") or "")
    for ann in rec.get("annotations") or []:  # Label Studio
        if ann.get("was_cancelled"):
            continue
        for res in ann.get("result") or []:
            value = res.get("value") or {}
            if res.get("from_name") == "comment" or "text" in value:
                comment = " ".join(value.get("text") or []) or comment
            elif "choices" in value:
                decision = _norm(value["choices"]) or decision
    responses = rec.get("responses")
    if isinstance(responses, dict):  # Argilla 2.x: {"decision": [{"value": "reject", "user_id": ...}]}
        decision = _norm(responses.get("decision")) or decision
        comment = str(_norm_text(responses.get("comment")) or comment)
    elif isinstance(responses, list):  # Argilla 1.x: [{"values": {"decision": {"value": ...}}}]
        for resp in responses:
            values = resp.get("values") or {}
            decision = _norm(values.get("decision")) or decision
    if rid is None or decision is None:
        return None
    return str(rid), decision, comment


def _norm_text(value: Any) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("value")
    return "" if value is None else str(value)


def parse_decisions(data: bytes, name: str = "") -> list[dict[str, str]]:
    """Decisions in a review export; rows without an id or a decision are skipped."""
    text = data.decode("utf-8-sig")
    if name.endswith(".csv"):
        records: list[Any] = list(csv.DictReader(io.StringIO(text)))
    elif text.lstrip().startswith("["):
        records = json.loads(text)
    elif text.lstrip().startswith("{") and not name.endswith(".jsonl") and "\n{" not in text.strip():
        obj = json.loads(text)
        records = obj.get("records") or obj.get("tasks") or [obj]
    else:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    out = []
    for rec in records:
        got = _from_record(rec) if isinstance(rec, dict) else None
        if got:
            out.append({"id": got[0], "decision": got[1], "comment": got[2]})
    return out


def load_decisions(lake: Any) -> dict[str, str]:
    """Example id -> latest decision, from the lake."""
    if not lake.exists(DECISIONS_KEY):
        return {}
    out: dict[str, str] = {}
    for line in lake.read_bytes(DECISIONS_KEY).decode("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["id"]] = row["decision"]
    return out


def import_decisions(lake: Any, path: str | Path) -> dict[str, int]:
    """Append the decisions of a review export to the lake; counts by decision."""
    p = Path(path)
    rows = parse_decisions(p.read_bytes(), p.name)
    if not rows:
        raise ValueError(f"{p}: no decisions found (expected Label Studio, Argilla or {{id, decision}} rows)")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    old = lake.read_bytes(DECISIONS_KEY) if lake.exists(DECISIONS_KEY) else b""
    new = "".join(json.dumps({**r, "file": p.name, "at": now}, ensure_ascii=False) + "\n" for r in rows)
    lake.write_bytes(DECISIONS_KEY, old + new.encode("utf-8"))
    counts = {ACCEPT: 0, REJECT: 0}
    for r in rows:
        counts[r["decision"]] += 1
    return counts
