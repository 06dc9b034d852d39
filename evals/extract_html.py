"""HTML main-text extraction on the trafilatura evaluation subset (400 pages).

Each page has "with" snippets that must appear in the extracted text and "without"
snippets (navigation, ads, comments, related links) that must not. A snippet counts as
found when it is an exact substring of the output, as in trafilatura's own evaluation;
precision, recall and F1 are micro-averaged over all snippets. dataforge
(``extract_bytes`` on the raw bytes) and plain ``trafilatura.extract(raw_bytes)`` with
default settings run in the same process on the same files. The archive is unpacked into
a temporary directory, never into the repository. Title, author and date are scored by
exact match against the annotated metadata where the annotation has one.

    .venv/bin/python -m evals.extract_html
"""

from __future__ import annotations

import json
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

import trafilatura

from dataforge.lib.extract import ExtractionError, extract_bytes
from evals.extract_common import EVAL, machine, write_result

ARCHIVE = EVAL / "html_trafilatura" / "trafilatura_eval_subset400.tar.xz"


def load(archive: Path, workdir: Path) -> list[dict[str, Any]]:
    """Unpack the archive into ``workdir``; return items with the page bytes attached."""
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    annotations = json.loads((workdir / "evaldata_subset400.json").read_text(encoding="utf-8"))
    items = []
    for url, item in annotations.items():
        page = workdir / "html" / item["file"]
        if page.exists():
            items.append({**item, "url": url, "raw": page.read_bytes()})
    return items


def score(text: str | None, item: dict[str, Any], counts: dict[str, int]) -> None:
    """Add this page's snippet outcomes to ``counts`` (tp, fn, fp, tn)."""
    for snippet in item["with"]:
        counts["tp" if text is not None and snippet in text else "fn"] += 1
    for snippet in item["without"]:
        counts["fp" if text is not None and snippet in text else "tn"] += 1


def prf(counts: dict[str, int]) -> dict[str, float]:
    precision = counts["tp"] / max(counts["tp"] + counts["fp"], 1)
    recall = counts["tp"] / max(counts["tp"] + counts["fn"], 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), **counts}


def ours(item: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    try:
        doc = extract_bytes(item["raw"], item["file"])
    except ExtractionError as error:
        return None, {"error": error.reason}
    return doc.text, doc.metadata


def plain(item: dict[str, Any]) -> str | None:
    return trafilatura.extract(item["raw"])


def run(archive: Path = ARCHIVE) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dataforge-html-eval-") as tmp:
        items = load(archive, Path(tmp))
    counts = {name: {"tp": 0, "fn": 0, "fp": 0, "tn": 0} for name in ("dataforge", "trafilatura")}
    meta_hits = {k: 0 for k in ("title", "author", "date")}
    meta_total = {k: 0 for k in ("title", "author", "date")}
    errors: dict[str, str] = {}
    seconds = {"dataforge": 0.0, "trafilatura": 0.0}
    for item in items:
        start = time.perf_counter()
        text, meta = ours(item)
        seconds["dataforge"] += time.perf_counter() - start
        start = time.perf_counter()
        baseline = plain(item)
        seconds["trafilatura"] += time.perf_counter() - start
        score(text, item, counts["dataforge"])
        score(baseline, item, counts["trafilatura"])
        if "error" in meta:
            errors[item["file"]] = meta["error"]
        for key in meta_hits:
            if item.get(key):
                meta_total[key] += 1
                meta_hits[key] += int((meta.get(key) or "") == item[key])
    return {
        "command": ".venv/bin/python -m evals.extract_html",
        "dataset": f"{archive.name}: {len(items)} pages",
        "machine": machine(),
        "scores": {name: prf(c) for name, c in counts.items()},
        "metadata_exact_match": {
            k: {
                "hits": meta_hits[k],
                "annotated": meta_total[k],
                "share": round(meta_hits[k] / max(meta_total[k], 1), 4),
            }
            for k in meta_hits
        },
        "quarantined": errors,
        "seconds_single_pass": {k: round(v, 2) for k, v in seconds.items()},
        "goal": "dataforge F1 >= plain trafilatura F1 and >= 0.92",
    }


def main() -> int:
    if not ARCHIVE.exists():
        print(f"skipped: {ARCHIVE} is missing (shared evaluation data)", file=sys.stderr)
        return 0
    result = run()
    path = write_result("extract_html", result)
    for name, s in result["scores"].items():
        print(f"{name:12s} P={s['precision']:.4f} R={s['recall']:.4f} F1={s['f1']:.4f}")
    print(f"metadata: {result['metadata_exact_match']}")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
