"""Checks on the bundled ``samples/`` corpus used by ``make demo`` and the tests."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SOURCES = Path(__file__).resolve().parents[1] / "tools" / "samples" / "src"
DOC_SUFFIXES = {".pdf", ".docx", ".html", ".txt", ".md"}
NOT_DOCUMENTS = {"README.md"}

# Entity -> surface forms that must each appear in at least two different texts.
RECURRING: dict[str, list[str]] = {
    "Northwind Renewable Energy Corporation": [
        "Northwind Renewable Energy Corporation",
        "NREC",
        "Northwind",
    ],
    "Halden Marine Power": ["Halden Marine Power", "HMP", "Halden"],
    "North Sea Energy Institute": ["North Sea Energy Institute", "NSEI"],
    "Halloran Blue Capital": ["Halloran Blue Capital", "Halloran Blue"],
    "Ostrea Offshore Wind Farm": ["Ostrea Offshore Wind Farm", "Ostrea"],
    "Helena Marsh": ["Helena Marsh", "Marsh"],
    "Pieter van Dijk": ["Pieter van Dijk", "van Dijk"],
    "Anders Lindqvist": ["Anders Lindqvist", "Lindqvist"],
    "Amara Okafor": ["Amara Okafor", "Okafor"],
    "Ingrid Solheim": ["Ingrid Solheim", "Solheim"],
    "Rotterdam": ["Rotterdam"],
    "Oslo": ["Oslo"],
}


class _VisibleText(HTMLParser):
    """Collect HTML text outside ``<script>`` and ``<style>``."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _documents() -> list[Path]:
    return sorted(
        p for p in SAMPLES.iterdir() if p.is_file() and p.suffix in DOC_SUFFIXES and p.name not in NOT_DOCUMENTS
    )


def _source_texts() -> dict[str, str]:
    """Plain text of every document: PDF/DOCX via their sources in ``tools/samples/src``."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt")}
    for path in _documents():
        if path.suffix == ".html":
            parser = _VisibleText()
            parser.feed(path.read_text(encoding="utf-8"))
            texts[path.name] = " ".join(parser.parts)
        elif path.suffix in {".txt", ".md"}:
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def test_sample_documents_cover_all_formats() -> None:
    docs = _documents()
    assert 8 <= len(docs) <= 15
    assert {p.suffix for p in docs} == DOC_SUFFIXES
    for path in docs:
        assert path.stat().st_size > 0, path.name


def test_generated_documents_have_sources() -> None:
    generated = {p.stem for p in _documents() if p.suffix in {".pdf", ".docx"}}
    sources = {p.stem for p in SOURCES.glob("*.txt")}
    assert generated == sources


def test_recurring_surface_forms_span_documents() -> None:
    texts = _source_texts()
    for entity, forms in RECURRING.items():
        for form in forms:
            pattern = re.compile(rf"\b{re.escape(form)}\b")
            found = [name for name, text in texts.items() if pattern.search(text)]
            assert len(found) >= 2, f"{entity}: {form!r} only in {found}"


def test_html_script_and_style_are_not_visible_text() -> None:
    for name, text in _source_texts().items():
        assert "SHOULD-NOT-APPEAR" not in text, name
