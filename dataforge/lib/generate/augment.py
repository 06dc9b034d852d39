"""Augmentation by consistent entity substitution (optional, ``generate.augment.enabled``).

One named entity of an extractive QA or NER example is replaced *everywhere* in the example
(context, question, answer, entity list) by another entity of the same type from the
knowledge graph, so the example teaches reading rather than memorising names. Offsets are
recomputed, and the invariants of the originals still hold: ``context[answer_start:
answer_end] == answer`` and ``text[start:end] == entity text``. An example is left alone
when the entity appears under several surface forms, when a replacement would cut through
an answer or another entity, or when the substitute already occurs in it.

Augmented examples keep the original's provenance (its documents and evidence spans, whose
text they rewrite) and are told apart by their generator: ``qa.augment/1``, ``ner.augment/1``.
"""

from __future__ import annotations

import re
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import make_example, rng
from dataforge.lib.generate.lexicon import VALUE_LABELS

GEN_QA = "qa.augment/1"
GEN_NER = "ner.augment/1"


def _pattern(surface: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)")


def substitute(text: str, surface: str, new: str) -> tuple[str, list[tuple[int, int, int]]]:
    """``text`` with every whole-word ``surface`` replaced, and the (start, end, shift) of each match."""
    out, edits, last, shift = [], [], 0, 0
    for m in _pattern(surface).finditer(text):
        out.append(text[last : m.start()] + new)
        edits.append((m.start(), m.end(), shift))
        shift += len(new) - (m.end() - m.start())
        last = m.end()
    out.append(text[last:])
    return "".join(out), edits


def remap(pos: int, edits: list[tuple[int, int, int]], new_len: int, old_len: int) -> int | None:
    """A position of the old text in the new one; None when it falls inside a replaced match."""
    shift = 0
    for s, e, before in edits:
        if s < pos < e:
            return None
        if e <= pos:
            shift = before + new_len - old_len
    return pos + shift


def _entity_index(entities: list[dict[str, Any]]) -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
    """surface -> (cluster, label) for names seen under one cluster only; label -> canonical names."""
    owners: dict[str, set[tuple[str, str]]] = {}
    by_label: dict[str, set[str]] = {}
    for e in entities or []:
        label, cid, name = str(e.get("label") or ""), str(e.get("cluster_id") or ""), str(e.get("canonical_name") or "")
        if not cid or not name or label in VALUE_LABELS or not label:
            continue
        by_label.setdefault(label, set()).add(name)
        for surface in {name, *[a for a in e.get("aliases") or [] if isinstance(a, str) and a.strip()]}:
            owners.setdefault(surface, set()).add((cid, label))
    index = {s: next(iter(o)) for s, o in owners.items() if len(o) == 1 and len(s) >= 3}
    return index, {label: sorted(names) for label, names in by_label.items()}


def _clusters_in(text: str, index: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for surface, (cid, _) in index.items():
        if surface in text and _pattern(surface).search(text):
            found.setdefault(cid, []).append(surface)
    return found


def _qa_variant(ex: dict, surface: str, new: str) -> dict | None:
    context, edits = substitute(ex["context"], surface, new)
    start = remap(ex["answer_start"], edits, len(new), len(surface))
    end = remap(ex["answer_end"], edits, len(new), len(surface))
    answer = substitute(ex["answer"], surface, new)[0]
    if start is None or end is None or context[start:end] != answer or not answer:
        return None
    record = {
        "context": context,
        "question": substitute(ex["question"], surface, new)[0],
        "answer": answer,
        "answer_start": start,
        "answer_end": end,
        "metadata": dict(ex["metadata"]),
    }
    return make_example("qa", GEN_QA, record, ex["source_spans"])


def _ner_variant(ex: dict, surface: str, new: str) -> dict | None:
    text, edits = substitute(ex["text"], surface, new)
    entities = []
    for ent in ex["entities"]:
        s = remap(ent["start"], edits, len(new), len(surface))
        e = remap(ent["end"], edits, len(new), len(surface))
        moved = {**ent, "text": substitute(ent["text"], surface, new)[0], "start": s, "end": e}
        if s is None or e is None or text[s:e] != moved["text"]:
            return None
        entities.append(moved)
    relations = [
        {**r, "head": substitute(r["head"], surface, new)[0], "tail": substitute(r["tail"], surface, new)[0]}
        for r in ex.get("relations") or []
    ]
    record = {"text": text, "entities": entities, "relations": relations}
    return make_example("ner", GEN_NER, record, ex["source_spans"])


def _eligible(ex: dict) -> bool:
    if ex.get("kind") == "qa":
        return bool(ex.get("answer")) and ex.get("generator", "").startswith(("qa.sentence", "qa.relation", "qa.dep"))
    return ex.get("kind") == "ner" and ex.get("generator", "").startswith(("ner.window", "ner.chunk"))


def augment(examples: list[dict[str, Any]], entities: list[dict[str, Any]], config: DataforgeConfig) -> list[dict]:
    """Variants of the extractive QA and NER examples, at most ``max_per_document`` per document."""
    settings = config.generate.augment
    index, by_label = _entity_index(entities)
    per_doc: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    for ex in sorted((e for e in examples if _eligible(e)), key=lambda e: e["id"]):
        doc = ",".join(ex.get("source_documents") or [])
        text = ex["context"] + "\n" + ex["question"] if ex["kind"] == "qa" else ex["text"]
        present = {cid: s for cid, s in _clusters_in(text, index).items() if len(s) == 1}
        if not present or per_doc.get(doc, 0) >= settings.max_per_document:
            continue
        seeded = rng(config.seed, "augment", ex["id"])
        cid = seeded.choice(sorted(present))
        surface = present[cid][0]
        lowered = text.lower()
        pool = [n for n in by_label.get(index[surface][1], []) if n.lower() not in lowered and surface not in n]
        for new in seeded.sample(pool, min(len(pool), max(0, settings.variants_per_example))):
            made = _qa_variant(ex, surface, new) if ex["kind"] == "qa" else _ner_variant(ex, surface, new)
            if made is not None and per_doc.get(doc, 0) < settings.max_per_document:
                out.append(made)
                per_doc[doc] = per_doc.get(doc, 0) + 1
    return out
