"""Cross-document coreference on the ECB+ dev split, entity gold mentions, no topic grouping.

All 1,476 gold entity mentions of all 196 documents go to ``dataforge link`` in one file (the
command itself, run in process), with ``label`` = the ECB+ mention type (HUM, LOC, TIM, NON),
``sentence`` = the full sentence and ``start`` = sentence and token position. Two baselines
run on the same mentions in the same run, both within the same mention type: exact lowercase
string match, and same head lemma (the lemma of the root of the mention's own spaCy parse).
Scores count singletons.

    .venv/bin/python -m evals.cdcr_ecbplus
"""

from __future__ import annotations

import gzip
import json
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from evals.cdcr_metrics import score


def _shared_eval(name: str) -> Path:
    """``shared/eval/<name>`` beside the checkout, or beside any folder above it (worktrees)."""
    for folder in Path(__file__).resolve().parents[1].parents:
        if (folder / "shared" / "eval" / name).exists():
            return folder / "shared" / "eval" / name
    return Path(__file__).resolve().parents[1].parent / "shared" / "eval" / name


DATA = _shared_eval("cdcr_ecbplus_dev")
RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results" / "cdcr_ecbplus.json"


def load(data: Path = DATA) -> list[dict]:
    mentions = json.loads(gzip.open(data / "dev_entity_gold_mentions.json.gz").read())
    return [
        {
            "mention_id": f"{m['doc_id']}:{m['m_id']}",
            "doc_id": m["doc_id"],
            "text": m["tokens_str"],
            "sentence": m["full_sentence"],
            "label": m["mention_type"],
            "start": int(m["sent_id"]) * 10_000 + min(m["tokens_ids"]),
            "gold": m["coref_chain"],
            "topic": m["topic"],
        }
        for m in mentions
    ]


def run_link(rows: list[dict], *options: str) -> tuple[dict[str, str], float]:
    """Run ``dataforge link`` on the rows (gold fields left out); returns assignments and seconds."""
    from typer.testing import CliRunner

    from dataforge.cli import app

    keep = ("mention_id", "doc_id", "text", "sentence", "label", "start")
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "mentions.jsonl", Path(folder) / "clusters.jsonl"
        source.write_text("".join(json.dumps({k: r[k] for k in keep}) + "\n" for r in rows), encoding="utf-8")
        started = time.perf_counter()
        result = CliRunner().invoke(app, ["link", str(source), "--out", str(target), *options])
        seconds = time.perf_counter() - started
        if result.exit_code != 0:
            raise RuntimeError(f"dataforge link failed: {result.output}\n{result.exception!r}")
        lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    return {line["mention_id"]: line["cluster_id"] for line in lines}, seconds


def head_lemmas(rows: list[dict]) -> list[str]:
    from dataforge.lib.config import NlpConfig
    from dataforge.lib.nlp import pipeline_for

    nlp = pipeline_for(NlpConfig())
    heads = []
    for doc in nlp.pipe([r["text"] for r in rows], batch_size=256):
        roots = [t for t in doc if t.head.i == t.i]
        heads.append(roots[0].lemma_.lower() if roots else doc.text.lower())
    return heads


def within_document_precision(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Per rule of ``link_within_document``: links made and the share joining gold-coreferent mentions."""
    from collections import Counter, defaultdict

    from dataforge.lib.coref import link_within_document

    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_doc[r["doc_id"]].append(r)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for mentions in by_doc.values():
        mentions.sort(key=lambda r: r["start"])
        for ante, ana, rule, _ in link_within_document(mentions):
            counts[rule]["correct" if mentions[ante]["gold"] == mentions[ana]["gold"] else "wrong"] += 1
    return {
        rule: {"links": sum(c.values()), "precision": round(100 * c["correct"] / sum(c.values()), 1)}
        for rule, c in sorted(counts.items())
    }


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (ECB+ dev split, see shared/README.md)")
        return 0
    rows = load()
    gold = {r["mention_id"]: r["gold"] for r in rows}
    heads = head_lemmas(rows)
    systems = {
        "baseline_exact_lowercase": {r["mention_id"]: f"{r['label']}|{r['text'].lower()}" for r in rows},
        "baseline_head_lemma": {r["mention_id"]: f"{r['label']}|{h}" for r, h in zip(rows, heads, strict=True)},
    }
    seconds = {}
    systems["dataforge_link_no_context"], seconds["dataforge_link_no_context"] = run_link(rows, "--no-context")
    systems["dataforge_link"], seconds["dataforge_link"] = run_link(rows)
    results = {name: score(gold, predicted) for name, predicted in systems.items()}
    for name, value in seconds.items():
        results[name]["seconds"] = round(value, 2)
    oracle = {r["mention_id"]: f"{r['topic']}|{r['label']}|{h}" for r, h in zip(rows, heads, strict=True)}
    results["reference_head_lemma_with_gold_topics"] = score(gold, oracle)
    margin = round(results["dataforge_link"]["conll_f1"] - results["baseline_head_lemma"]["conll_f1"], 2)
    report = {
        "eval": "cdcr_ecbplus_dev entity gold mentions, all documents together (no topic grouping)",
        "command": ".venv/bin/python -m evals.cdcr_ecbplus",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, 2 cores, Python {sys.version.split()[0]}",
        "mentions": len(rows),
        "documents": len({r["doc_id"] for r in rows}),
        "gold_clusters": len(set(gold.values())),
        "results": results,
        "conll_f1_minus_head_lemma": margin,
        "within_document_rules": within_document_precision(rows),
        "goal_met": margin >= 5.0,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for name, r in results.items():
        print(
            f"{name:42s} MUC {r['muc']['f1']:6.2f}  B3 {r['b_cubed']['f1']:6.2f}  "
            f"CEAF-e {r['ceaf_e']['f1']:6.2f}  CoNLL {r['conll_f1']:6.2f}  clusters {r['clusters']}"
        )
    print("within-document rules:", json.dumps(report["within_document_rules"]))
    print(f"CoNLL F1 minus head-lemma baseline: {margin:+.2f} (goal +5.00) -> {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
