"""Extraction speed per format against the underlying library alone, in one run.

For every format the same files go through the bare library call and through dataforge's
``extract_bytes`` back to back (extract_common.interleaved_times: interleaved rounds,
fastest time per file and side). dataforge is timed twice: extraction only (``describe=False``:
cleaning, layout, headers, hyphenation, metadata) and the default with ``describe``
(language per block, readability, sentiment). Bare calls:

- PDF: pypdfium2 open, ``get_text_range`` of every page (files needing OCR excluded);
- HTML: ``trafilatura.extract(raw)`` with defaults, and with ``with_metadata=True``,
  which does the same metadata work dataforge does (title, author, date);
- DOCX: python-docx ``Document`` plus the text of every paragraph and table cell;
- TXT/Markdown: charset-normalizer's best guess, as text.

OCR is timed on its own (seconds per page) on a scan generated here.

    .venv/bin/python -m evals.extract_speed
"""

from __future__ import annotations

import io
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import charset_normalizer
import docx
import pypdfium2
import trafilatura

from dataforge.lib.extract import ExtractionError, extract_bytes
from evals.extract_common import EVAL, interleaved_times, machine, warm_up, write_result

REAL = EVAL / "real_docs"
HTML_ARCHIVE = EVAL / "html_trafilatura" / "trafilatura_eval_subset400.tar.xz"
GEOTOPO = EVAL / "pdf_geotopo" / "GeoTopo-komprimiert.pdf"


def _pdf_pages(raw: bytes) -> int:
    pdf = pypdfium2.PdfDocument(raw)
    try:
        return len(pdf)
    finally:
        pdf.close()


def bare_pdf(item: tuple[bytes, str]) -> str:
    pdf = pypdfium2.PdfDocument(item[0])
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def bare_docx(item: tuple[bytes, str]) -> str:
    document = docx.Document(io.BytesIO(item[0]))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def bare_text(item: tuple[bytes, str]) -> str:
    best = charset_normalizer.from_bytes(item[0]).best()
    return str(best) if best is not None else ""


def bare_html(item: tuple[bytes, str]) -> str | None:
    return trafilatura.extract(item[0])


def bare_html_meta(item: tuple[bytes, str]) -> str | None:
    return trafilatura.extract(item[0], with_metadata=True)


def ours_only(item: tuple[bytes, str]) -> Any:
    return extract_bytes(item[0], item[1], describe=False)


def ours_full(item: tuple[bytes, str]) -> Any:
    return extract_bytes(item[0], item[1])


def _text_layer_pdfs() -> list[tuple[bytes, str]]:
    items = []
    paths = sorted(REAL.rglob("*.pdf")) + ([GEOTOPO] if GEOTOPO.exists() else [])
    for path in paths:
        raw = path.read_bytes()
        try:
            doc = extract_bytes(raw, path.name, describe=False)
        except ExtractionError:
            continue  # encrypted, image-only: not a text extraction speed case
        if "ocr" not in doc.metadata:
            items.append((raw, path.name))
    return items


def _files(suffixes: tuple[str, ...]) -> list[tuple[bytes, str]]:
    return [(p.read_bytes(), p.name) for p in sorted(REAL.rglob("*")) if p.is_file() and p.suffix.lower() in suffixes]


def _html_pages() -> list[tuple[bytes, str]]:
    with tempfile.TemporaryDirectory(prefix="dataforge-speed-") as tmp:
        with tarfile.open(HTML_ARCHIVE) as tar:
            tar.extractall(tmp, filter="data")
        return [(p.read_bytes(), p.name) for p in sorted((Path(tmp) / "html").glob("*.html"))]


def measure(
    name: str, items: list[tuple[bytes, str]], baselines: dict[str, Any], pages: int, rounds: int
) -> dict[str, Any]:
    """Seconds, throughput and ratios for one format."""
    warm_up([*baselines.values(), ours_only, ours_full], items[:3])
    megabytes = sum(len(raw) for raw, _ in items) / 1e6
    row: dict[str, Any] = {"files": len(items), "pages": pages, "megabytes": round(megabytes, 3), "baselines": {}}
    times = interleaved_times(items, {**baselines, "ours_only": ours_only, "ours_full": ours_full}, rounds)
    only, full = sum(times["ours_only"]), sum(times["ours_full"])
    for label in baselines:
        base_s = sum(times[label])
        row["baselines"][label] = {
            "library_s": round(base_s, 3),
            "dataforge_extract_s": round(only, 3),
            "dataforge_with_describe_s": round(full, 3),
            "ratio_extract": round(only / base_s, 2),
            "ratio_with_describe": round(full / base_s, 2),
        }
    first = next(iter(row["baselines"].values()))
    for key, seconds in (
        ("extract", first["dataforge_extract_s"]),
        ("with_describe", first["dataforge_with_describe_s"]),
    ):
        row[f"pages_per_s_{key}"] = round(pages / seconds, 1) if seconds else None
        row[f"mb_per_s_{key}"] = round(megabytes / seconds, 2) if seconds else None
    row["library_pages_per_s"] = round(pages / first["library_s"], 1)
    row["library_mb_per_s"] = round(megabytes / first["library_s"], 2)
    print(name, row, flush=True)
    return row


def ocr_speed() -> dict[str, Any]:
    """Seconds per page for a generated two-page scan (render + Tesseract)."""
    from dataforge.lib.extract import ocr

    if not ocr.available_languages():
        return {"skipped": ocr.INSTALL_HINT}
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from dataforge_tests.lib._builders import make_scanned_pdf

    raw = make_scanned_pdf(["Scanned page one. The quick brown fox jumps over the lazy dog."] * 2, dpi=200)
    warm_up([ours_only], [(raw, "scan.pdf")])
    seconds = interleaved_times([(raw, "scan.pdf")], {"ocr": ours_only}, rounds=2)["ocr"][0]
    doc = ours_only((raw, "scan.pdf"))
    return {
        "pages": 2,
        "seconds": round(seconds, 2),
        "seconds_per_page": round(seconds / 2, 2),
        "mean_confidence": doc.metadata["ocr"]["mean_confidence"],
        "languages": doc.metadata["ocr"]["languages"],
    }


def run() -> dict[str, Any]:
    formats: dict[str, Any] = {}
    pdfs = _text_layer_pdfs()
    formats["pdf"] = measure("pdf", pdfs, {"pypdfium2": bare_pdf}, sum(_pdf_pages(r) for r, _ in pdfs), rounds=3)
    docs = _files((".docx",))
    formats["docx"] = measure("docx", docs, {"python-docx": bare_docx}, len(docs), rounds=5)
    texts = _files((".txt", ".md"))
    formats["txt/md"] = measure("txt/md", texts, {"charset-normalizer": bare_text}, len(texts), rounds=5)
    if HTML_ARCHIVE.exists():
        pages = _html_pages()
        baselines = {"trafilatura.extract": bare_html, "trafilatura.extract(with_metadata)": bare_html_meta}
        formats["html"] = measure("html", pages, baselines, len(pages), rounds=3)
    return {
        "command": ".venv/bin/python -m evals.extract_speed",
        "machine": machine(),
        "formats": formats,
        "ocr": ocr_speed(),
        "goal": "dataforge within 1.2x the time of the underlying library on the same files",
    }


def main() -> int:
    if not REAL.exists():
        print(f"skipped: {REAL} is missing (shared evaluation data)", file=sys.stderr)
        return 0
    path = write_result("extract_speed", run())
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
