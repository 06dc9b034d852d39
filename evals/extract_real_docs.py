"""Every file of eval/real_docs through ``extract_file``: text or a specific quarantine reason.

A crash is anything but an ExtractedDocument or an ExtractionError; the goal is zero.
"Sensible" is checked mechanically: non-empty text that is mostly letters, digits,
punctuation and spaces (no mojibake or binary garbage). The table keeps the first
characters of each text so a reader can judge the rest.

    .venv/bin/python -m evals.extract_real_docs
"""

from __future__ import annotations

import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

from dataforge.lib.extract import ExtractionError, extract_file
from evals.extract_common import EVAL, machine, write_result

DATA = EVAL / "real_docs"


def plausible(text: str) -> bool:
    """Non-empty, no control or replacement characters, mostly letters, and no mojibake."""
    from ftfy.badness import is_bad

    sample = text[:20000]
    if not sample.strip() or "\ufffd" in sample or is_bad(sample):
        return False
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in sample):
        return False
    letters = sum(1 for ch in sample if unicodedata.category(ch)[0] in "LN")
    return letters / len(sample.replace(" ", "").replace("\n", "")) >= 0.5


def outcome(path: Path) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        doc = extract_file(path)
    except ExtractionError as error:
        result = {"outcome": "quarantined", "reason": error.reason, "detail": error.message[:120]}
    except Exception as error:  # noqa: BLE001 - counting crashes is the point
        result = {"outcome": "crash", "reason": type(error).__name__, "detail": str(error)[:120]}
    else:
        meta = doc.metadata
        result = {
            "outcome": "text" if plausible(doc.text) else "text (implausible)",
            "media_type": doc.media_type,
            "pages": meta["page_count"],
            "words": meta["word_count"],
            "language": meta.get("language"),
            "ocr_confidence": (meta.get("ocr") or {}).get("mean_confidence"),
            "preview": " ".join(doc.text[:70].split()),
        }
    result["seconds"] = round(time.perf_counter() - start, 3)
    return result


def run(root: Path = DATA) -> dict[str, Any]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    rows = {str(p.relative_to(root)): outcome(p) for p in files}
    summary: dict[str, int] = {}
    for row in rows.values():
        key = row["outcome"] if row["outcome"] != "quarantined" else f"quarantined: {row['reason']}"
        summary[key] = summary.get(key, 0) + 1
    return {
        "command": ".venv/bin/python -m evals.extract_real_docs",
        "dataset": f"real_docs: {len(files)} files",
        "machine": machine(),
        "summary": dict(sorted(summary.items())),
        "crashes": sum(1 for r in rows.values() if r["outcome"] == "crash"),
        "files": rows,
    }


def main() -> int:
    if not DATA.exists():
        print(f"skipped: {DATA} is missing (shared evaluation data)", file=sys.stderr)
        return 0
    result = run()
    path = write_result("extract_real_docs", result)
    print(result["summary"], "crashes:", result["crashes"])
    print(f"wrote {path}")
    return 1 if result["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
