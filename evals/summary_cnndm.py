"""Document-level summaries on CNN/DailyMail dev articles: ROUGE-1/2/L beside Lead-3.

Every article is cleaned as an extracted text is (``clean.clean_document``, one text for
Lead-3 and ours) and goes through the pipeline's chunker and ``generate.summary`` exactly as
a document does (the document-scope record, default configuration: 3 sentences under 1,000
words). In the same run: Lead-3 (the first three sentences of the same sentence splitter)
and the TF-IDF variant of our selector. Scores: ``rouge-score`` F1 with Porter stemming,
mean over articles; ROUGE-L is sentence-level LCS (``rougeL``), ROUGE-Lsum is also given.
Articles whose reference summary is missing are skipped and counted.

The document selector's weights (position prior, centroid, quote penalty, MMR, near-copy
threshold, word budget) were tuned on the first 62 usable articles; the tuned and the
held-out halves are reported separately, and the margin over Lead-3 is given for each.

Run: ``.venv/bin/python -m evals.summary_cnndm`` (writes bench/results/summary_cnndm.json).
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

DATA = Path(
    os.environ.get("CNNDM_DEV")
    or Path(__file__).resolve().parents[2] / "shared" / "eval" / "summarization_cnndm_dev" / "cnndm_dev125.jsonl"
)  # CNNDM_DEV: the file elsewhere (a git worktree sits one level deeper than the checkout)
OUT = Path(__file__).resolve().parents[1] / "bench" / "results" / "summary_cnndm.json"
TUNED = 62  # the first half of the usable articles, on which the weights were chosen
METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def _mean(scores: list[dict[str, Any]]) -> dict[str, float]:
    return {m: round(100 * sum(s[m].fmeasure for s in scores) / max(len(scores), 1), 2) for m in METRICS}


def main() -> int:
    if not DATA.is_file():
        print(f"skipped: {DATA} is missing (the shared evaluation data is not on this machine)")
        return 0
    from rouge_score import rouge_scorer

    from dataforge.lib.chunk import chunk_document, split_sentences
    from dataforge.lib.clean import clean_document
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.generate import default_embedder, summary
    from dataforge.lib.generate.common import build_context
    from dataforge.lib.structure import detect_blocks

    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    usable = [r for r in rows if isinstance(r.get("reference"), str) and r["reference"].strip()]
    config = DataforgeConfig()
    systems = {
        "embedding (default)": config,
        "tfidf": replace(config, generate=replace(config.generate, summary_method="tfidf")),
    }
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    scores: dict[str, list] = {"lead-3": [], **{name: [] for name in systems}}
    seconds = dict.fromkeys(systems, 0.0)
    missing: dict[str, list[int]] = {name: [] for name in systems}
    sentences = []
    for n, row in enumerate(usable):
        # the text a release holds: the extractors' cleaning (clean_document), for Lead-3 and ours alike
        text, ref = clean_document(row["article"]), row["reference"].replace(" . ", " .\n")
        lead = "\n".join(" ".join(text[s:e].split()) for s, e in split_sentences(text)[:3])
        scores["lead-3"].append(scorer.score(ref, lead))
        chunks = chunk_document(f"cnndm-{n}", text, config.chunk)
        blocks = detect_blocks(text, None)  # as document_text records them: the dateline is no summary text
        for name, cfg in systems.items():
            started = time.perf_counter()
            ctx = build_context({"doc_id": f"cnndm-{n}", "text": text, "blocks": blocks}, chunks, [], [], cfg.seed)
            docs = [
                ex for ex in summary.generate(ctx, cfg, default_embedder(cfg)) if ex["metadata"]["scope"] == "document"
            ]
            seconds[name] += time.perf_counter() - started
            assert len(docs) <= 1, "at most one document-level summary per document"
            if not docs:  # no sentence reads on its own: no summary, scored as an empty one (0)
                missing[name].append(n)
            spans = docs[0]["source_spans"] if docs else []
            picked = "\n".join(" ".join(text[x["start"] : x["end"]].split()) for x in spans)
            scores[name].append(scorer.score(ref, picked))
            if name == "embedding (default)" and docs:
                sentences.append(docs[0]["metadata"]["n_sentences"])
    results: dict[str, Any] = {
        "articles": len(rows),
        "skipped_without_reference": len(rows) - len(usable),
        "mean_summary_sentences": round(sum(sentences) / max(len(sentences), 1), 2),
        "all": {name: _mean(s) for name, s in scores.items()},
        f"tuned_first_{TUNED}": {name: _mean(s[:TUNED]) for name, s in scores.items()},
        "held_out_rest": {name: _mean(s[TUNED:]) for name, s in scores.items()},
        "margin_over_lead3_all": {
            name: {m: round(_mean(s)[m] - _mean(scores["lead-3"])[m], 2) for m in METRICS} for name, s in scores.items()
        },
        "without_summary": {name: len(v) for name, v in missing.items()},
        "with_summary_only": {  # the same articles for every system, Lead-3 included
            name: _mean([x for i, x in enumerate(s) if not any(i in v for v in missing.values())])
            for name, s in scores.items()
        },
        "seconds": {name: round(v, 2) for name, v in seconds.items()},
        "date": time.strftime("%Y-%m-%d"),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
