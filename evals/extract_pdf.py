"""PDF text quality on GeoTopo (py-pdf benchmarks): similarity to the reference text.

The score is python-Levenshtein's ``ratio`` (what the py-pdf benchmark reports, where
pypdf reaches about 0.907), computed here as rapidfuzz's equivalent
``Indel.normalized_similarity``; the plain normalised Levenshtein similarity is reported
too. Three texts are compared in the same run: bare pypdfium2 (``get_text_range`` per
page, joined by newlines), dataforge, and dataforge with running-header removal undone,
because the reference keeps the running heads ("8 1.2. METRISCHE RÄUME") and page
numbers that dataforge drops on purpose.

    .venv/bin/python -m evals.extract_pdf
"""

from __future__ import annotations

import sys
import time
from typing import Any
from unittest import mock

import pypdfium2
from rapidfuzz.distance import Indel, Levenshtein

from dataforge.lib.extract import extract_bytes
from dataforge.lib.extract import pdf as pdf_module
from evals.extract_common import EVAL, machine, write_result

DATA = EVAL / "pdf_geotopo"
PDF = DATA / "GeoTopo-komprimiert.pdf"
REFERENCE = DATA / "GeoTopo-book.txt"


def bare_pypdfium2(raw: bytes) -> str:
    pdf = pypdfium2.PdfDocument(raw)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def similarity(reference: str, text: str) -> dict[str, float]:
    return {
        "levenshtein_ratio": round(Indel.normalized_similarity(reference, text), 4),
        "levenshtein_normalized": round(Levenshtein.normalized_similarity(reference, text), 4),
        "chars": len(text),
    }


def run() -> dict[str, Any]:
    raw = PDF.read_bytes()
    reference = REFERENCE.read_text(encoding="utf-8")
    texts: dict[str, str] = {}
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    texts["pypdfium2 (bare)"] = bare_pypdfium2(raw)
    seconds["pypdfium2 (bare)"] = time.perf_counter() - start
    start = time.perf_counter()
    doc = extract_bytes(raw, PDF.name)
    seconds["dataforge"] = time.perf_counter() - start
    texts["dataforge"] = doc.text
    with mock.patch.object(pdf_module, "remove_running_lines", lambda pages: (pages, 0)):
        texts["dataforge, running heads kept"] = extract_bytes(raw, PDF.name, describe=False).text
    return {
        "command": ".venv/bin/python -m evals.extract_pdf",
        "dataset": f"{PDF.name}: {doc.metadata['page_count']} pages, reference {REFERENCE.name}",
        "machine": machine(),
        "scores": {name: similarity(reference, text) for name, text in texts.items()},
        "running_lines_removed": doc.metadata.get("running_lines_removed"),
        "seconds_single_pass": {k: round(v, 3) for k, v in seconds.items()},
        "goal": "levenshtein_ratio >= 0.93 (pypdf: about 0.907)",
    }


def main() -> int:
    if not PDF.exists() or not REFERENCE.exists():
        print(f"skipped: {DATA} is missing (shared evaluation data)", file=sys.stderr)
        return 0
    result = run()
    path = write_result("extract_pdf", result)
    for name, s in result["scores"].items():
        print(f"{name:32s} ratio={s['levenshtein_ratio']:.4f} lev={s['levenshtein_normalized']:.4f}")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
