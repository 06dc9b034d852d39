"""Precision of the within-document coreference rules on hand-labelled passages of samples/.

The passages (dataforge_tests/lib/fixtures/coref_samples.txt) mark every name, personal
pronoun and "the" + type noun with the entity it refers to. Each passage goes through the
pipeline's own path: spaCy NER, ``find_coref_mentions``, then ``link_within_document`` as the
resolver runs it on spaCy output (labels not trusted). A link is correct when both ends
overlap gold mentions of the same entity; a link from or to a span nobody marked is wrong.

    .venv/bin/python -m evals.cdcr_coref_samples
"""

from __future__ import annotations

import json
import platform
import re
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "dataforge_tests" / "lib" / "fixtures" / "coref_samples.txt"
RESULTS = ROOT / "bench" / "results" / "cdcr_coref_samples.json"
_MARK = re.compile(r"\[([^\[\]|]+)\|([^\[\]]+)\]")


def load_passages(path: Path = FIXTURE) -> list[dict[str, Any]]:
    """``[{source, text, gold: [(start, end, entity)]}]`` from the marked-up fixture."""
    passages, source, lines = [], "", []

    def flush() -> None:
        marked = "\n".join(lines).strip()
        if not marked:
            return
        text, gold, last = [], [], 0
        for match in _MARK.finditer(marked):
            text.append(marked[last : match.start()])
            start = sum(len(t) for t in text)
            text.append(match.group(1))
            gold.append((start, start + len(match.group(1)), match.group(2)))
            last = match.end()
        text.append(marked[last:])
        passages.append({"source": source, "text": "".join(text), "gold": gold})

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# source:"):
            flush()
            source, lines = line.split(":", 1)[1].strip(), []
        elif not line.startswith("#"):
            lines.append(line)
    flush()
    return passages


def predicted_links(text: str) -> tuple[list[dict[str, Any]], list[tuple[int, int, str, str]]]:
    """Mentions and within-document links exactly as the pipeline makes them."""
    from dataforge.lib.chunk import chunk_document
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.coref import find_coref_mentions, link_within_document
    from dataforge.lib.nlp import ENTITY_LABELS, chunk_sentences, mentions_from_parses, parse_documents

    config = DataforgeConfig()
    chunks = chunk_document("p", text, config.chunk)
    [(_, parses)] = list(parse_documents([("p", text, chunks)], config.nlp))
    named = [m for m in mentions_from_parses("p", parses, chunks) if m["label"] in ENTITY_LABELS]
    extra = find_coref_mentions("p", parses, named, chunk_sentences(chunks))
    ordered = sorted(named + extra, key=lambda m: (m["start"], m["end"]))
    return ordered, link_within_document(ordered, strict_labels=False)


def _match(mention: dict[str, Any], gold: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    best, overlap = None, 0
    for g in gold:
        shared = min(g[1], mention["end"]) - max(g[0], mention["start"])
        if shared > overlap:
            best, overlap = g, shared
    return best


def evaluate(passages: list[dict[str, Any]]) -> dict[str, Any]:
    from dataforge.lib.link.names import parse_name

    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    needed: Counter[str] = Counter()
    resolved: Counter[str] = Counter()
    errors = []
    for passage in passages:
        gold, text = passage["gold"], passage["text"]
        mentions, links = predicted_links(text)
        good_anaphors = set()
        for ante, ana, rule, _ in links:
            a, b = _match(mentions[ante], gold), _match(mentions[ana], gold)
            ok = a is not None and b is not None and a[2] == b[2] != "-"
            by_rule[rule]["correct" if ok else "wrong"] += 1
            if ok:
                good_anaphors.add(b)
            else:
                errors.append(
                    f"{mentions[ana]['text']!r} -> {mentions[ante]['text']!r} ({rule}) in {passage['source']}"
                )
        seen: set[str] = set()
        for g in sorted(gold):
            kind = parse_name(text[g[0] : g[1]]).kind
            if g[2] != "-" and g[2] in seen:
                needed[kind] += 1
                resolved[kind] += g in good_anaphors
            seen.add(g[2])
    correct = sum(c["correct"] for c in by_rule.values())
    total = sum(sum(c.values()) for c in by_rule.values())
    return {
        "passages": len(passages),
        "gold_mentions": sum(len(p["gold"]) for p in passages),
        "links": total,
        "precision": round(correct / total, 4) if total else 0.0,
        "by_rule": {
            rule: {**dict(c), "precision": round(c["correct"] / sum(c.values()), 4)}
            for rule, c in sorted(by_rule.items())
        },
        "recall_of_anaphors_by_kind": {
            kind: {"resolved": resolved[kind], "needing_a_link": n, "recall": round(resolved[kind] / n, 4)}
            for kind, n in sorted(needed.items())
        },
        "errors": errors,
    }


def main() -> int:
    result = evaluate(load_passages())
    report = {
        "eval": "within-document coreference rules on hand-labelled sample passages",
        "command": ".venv/bin/python -m evals.cdcr_coref_samples",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, 2 cores, Python {sys.version.split()[0]}",
        **result,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "errors"}, indent=2))
    print("errors:", *result["errors"], sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
