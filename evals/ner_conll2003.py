"""NER span F1 per type on the CoNLL-2003 English dev set, through the pipeline's own NER path,
beside bare spaCy in the same run.

Each CoNLL document (-DOCSTART- to -DOCSTART-) becomes one text: tokens joined by spaces,
sentences by newlines. It is chunked and parsed by ``parse_documents`` and turned into
mentions by ``mentions_from_parses`` (label repair) and ``type_document`` (one type per entity,
names propagated), exactly as ``document_mentions`` does; bare spaCy (``doc.ents``) and the
repaired mentions are scored from the same parses. A predicted span counts when it covers
exactly the tokens of a gold span of the same type. spaCy's OntoNotes labels are mapped to CoNLL's four:

| spaCy | CoNLL |
| --- | --- |
| PERSON | PER |
| ORG | ORG |
| GPE, LOC, FAC | LOC |
| NORP, EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE | MISC |
| DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL, CARDINAL | (not a name: dropped) |

    .venv/bin/python -m evals.ner_conll2003
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (a git worktree one level deeper finds it two levels up)
DATA = next(
    (p for p in (r / "shared" / "eval" / "ner_conll2003_dev" / "dev.txt" for r in ROOT.parents[:2]) if p.is_file()),
    ROOT.parent / "shared" / "eval" / "ner_conll2003_dev" / "dev.txt",
)
RESULTS = ROOT / "bench" / "results" / "ner_conll2003.json"
MAPPING = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    **dict.fromkeys(["NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"], "MISC"),
}


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents of sentences of (token, IOB2 tag)."""
    documents: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("-DOCSTART-"):
            documents.append([])
            continue
        if not line.strip():
            if sentence:
                documents[-1].append(sentence)
            sentence = []
            continue
        parts = line.split()
        sentence.append((parts[0], parts[-1]))
    return [d for d in documents if d]


def gold_spans(sentence: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    spans, start, kind = [], None, None
    for i, (_, tag) in enumerate(sentence + [("", "O")]):
        if start is not None and not tag.startswith("I-"):
            spans.append((start, i, kind))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return spans


def layout(document: list[list[tuple[str, str]]]) -> tuple[str, list[tuple[int, int, int]]]:
    """The text and, per token, (sentence index, token index, character start)."""
    lines, where, position = [], [], 0
    for s, sentence in enumerate(document):
        for t, (token, _) in enumerate(sentence):
            where.append((s, t, position))
            position += len(token) + 1
        lines.append(" ".join(token for token, _ in sentence))
    return "\n".join(lines), where


def main() -> int:
    if not DATA.is_file():
        print(f"skipped: {DATA} is absent")
        return 0
    from dataforge.lib.chunk import chunk_document
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.entity_types import type_document
    from dataforge.lib.nlp import mentions_from_parses, parse_documents

    config = DataforgeConfig()
    documents = read_conll(DATA)
    prepared = []
    for index, document in enumerate(documents):
        text, where = layout(document)
        prepared.append((f"d{index}", text, chunk_document(f"d{index}", text, config.chunk), where))
    started = time.perf_counter()
    parsed = dict(parse_documents(((d, t, c) for d, t, c, _ in prepared), config.nlp))
    seconds = time.perf_counter() - started
    systems: dict[str, dict[str, list[dict]]] = {"bare_spacy": {}, "spacy_repaired": {}, "pipeline": {}}
    started = time.perf_counter()
    for doc_id, text, chunks, _ in prepared:
        parses = parsed[doc_id]
        systems["bare_spacy"][doc_id] = [
            {"start": o + e.start_char, "end": o + e.end_char, "label": e.label_} for o, doc in parses for e in doc.ents
        ]
        repaired = mentions_from_parses(doc_id, parses, chunks)
        systems["spacy_repaired"][doc_id] = repaired
        systems["pipeline"][doc_id] = type_document(doc_id, text, parses, chunks, repaired)
    typing_seconds = time.perf_counter() - started
    scores = {name: _score(documents, prepared, predicted) for name, predicted in systems.items()}
    report = {
        "eval": "CoNLL-2003 English dev, exact span match per type, spaCy labels mapped",
        "command": ".venv/bin/python -m evals.ner_conll2003",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, 2 cores, Python {sys.version.split()[0]}",
        "model": config.nlp.spacy_model,
        "documents": len(documents),
        "sentences": sum(len(d) for d in documents),
        "mapping": MAPPING,
        "systems": "bare_spacy: doc.ents as spaCy gives them; spacy_repaired: mentions_from_parses (label "
        "repair); pipeline: what document_mentions writes (entity types decided per entity, names propagated)",
        **{name: score for name, score in scores.items()},
        "per_type": scores["pipeline"]["per_type"],
        "micro": scores["pipeline"]["micro"],
        "seconds": round(seconds, 1),
        "typing_seconds": round(typing_seconds, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    summary = {
        name: {"micro": s["micro"], **{k: v["f1"] for k, v in s["per_type"].items()}} for name, s in scores.items()
    }
    print(
        json.dumps({"f1": summary, "seconds": report["seconds"], "typing_seconds": report["typing_seconds"]}, indent=2)
    )
    return 0


def _score(documents: list, prepared: list, predicted_by_doc: dict[str, list[dict]]) -> dict:
    """Per-type and micro P/R/F1 of one system, and what each gold span was predicted as."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("PER", "ORG", "LOC", "MISC")}
    confusion: dict[str, Counter[str]] = {k: Counter() for k in counts}  # gold type -> type given to the same span
    for (doc_id, _, _, where), document in zip(prepared, documents, strict=True):
        gold = {(s, a, b, kind) for s, sentence in enumerate(document) for a, b, kind in gold_spans(sentence)}
        starts = {position: (s, t) for s, t, position in where}
        ends = {position + len(document[s][t][0]): (s, t) for s, t, position in where}
        predicted = set()
        for m in predicted_by_doc[doc_id]:
            kind = MAPPING.get(m["label"])
            first, last = starts.get(m["start"]), ends.get(m["end"])
            if kind and first and last and first[0] == last[0]:
                predicted.add((first[0], first[1], last[1] + 1, kind))
            elif kind:
                predicted.add(("unaligned", m["start"], m["end"], kind))  # never matches: a boundary error
        spans = {x[:3]: x[3] for x in predicted}
        for s, a, b, kind in gold:
            confusion[kind][spans.get((s, a, b), "none")] += 1
        for kind, counter in counts.items():
            g = {x for x in gold if x[3] == kind}
            p = {x for x in predicted if x[3] == kind}
            counter.update(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    total = sum(counts.values(), Counter())
    return {
        "per_type": {kind: _prf(c) for kind, c in counts.items()},
        "micro": _prf(total),
        "gold_span_predicted_as": {k: dict(c.most_common()) for k, c in confusion.items()},
    }


def _prf(c: Counter[str]) -> dict[str, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(100 * p, 2),
        "recall": round(100 * r, 2),
        "f1": round(100 * f, 2),
        "gold": c["tp"] + c["fn"],
    }


if __name__ == "__main__":
    raise SystemExit(main())
