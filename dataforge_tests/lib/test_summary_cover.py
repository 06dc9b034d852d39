# ruff: noqa: E501 - fixture paragraphs stay one line each, as extracted text has them
"""Sectioned, non-news documents: the document summary covers the sections, not the opening."""

from __future__ import annotations

from dataforge.lib.chunk import chunk_document
from dataforge.lib.config import DataforgeConfig, GenerateConfig
from dataforge.lib.generate import summary, summary_cover
from dataforge.lib.generate.common import build_context
from dataforge.lib.structure import detect_blocks

CONFIG = DataforgeConfig(generate=GenerateConfig(summary_method="tfidf"))

REPORT = """# Corvane Shipping Annual Report 2024

Corvane Shipping is a short-sea container carrier based in Antwerp, Belgium. The company employed 410 people at the end of the year and operates a fleet of eighteen vessels. Corvane was founded in 1998 by the brothers Luc and Marc Verhaegen.

## Operations

The fleet sailed 212 voyages between Antwerp, Hamburg and the Baltic ports during the year. Two older feeder vessels were retired in the spring and replaced by chartered tonnage. Port calls in Gdansk were moved to a new terminal operated by a local partner.

## Financial results

Revenue rose 24 percent to EUR 318 million, driven by higher volumes on the Baltic routes. Corvane reported a net profit of EUR 21.4 million, against a net loss of EUR 6.2 million in 2023. Operating costs per container fell 9 percent as fuel consumption per voyage declined.

## Fleet renewal

The board approved an order for four methanol-ready feeder vessels worth EUR 140 million. The first vessel is scheduled for delivery from the yard in Ulsan in 2026. The order is financed with a green loan from a group of three banks.
"""

NEWS = (
    "Police in Leeds arrested two men after a van crashed into a shop front on Friday night. "
    "The van struck the window of a bakery on Briggate shortly before midnight, witnesses said. "
    "No one was injured in the crash, according to West Yorkshire Police. "
    "The two men, aged 24 and 31, were held on suspicion of drink driving and remain in custody. "
    "The bakery's owner said the repairs would take at least a week and cost thousands of pounds. "
    "Officers have appealed for anyone with dashcam footage of the crash to come forward."
)


def _context(text: str, blocks: bool):
    title = text[2 : text.index("\n")] if text.startswith("# ") else ""
    document = {"doc_id": "d", "text": text, "title": title}
    if blocks:
        document["blocks"] = detect_blocks(text)
    return build_context(document, chunk_document("d", text, CONFIG.chunk), [], [], 13)


def _document_summary(text: str, blocks: bool = True) -> str:
    rows = [e for e in summary.generate(_context(text, blocks), CONFIG, None) if e["metadata"]["scope"] == "document"]
    assert len(rows) == 1
    return rows[0]["summary"]


def test_a_sectioned_report_summary_covers_its_results_not_its_background() -> None:
    text = _document_summary(REPORT)
    assert "net profit" in text or "Revenue rose 24 percent" in text  # the financial results
    assert "approved an order" in text  # the board's decision
    assert "employed 410 people" not in text  # background, not the point
    assert summary.GEN_DOCUMENT == "summary.document/5"


def test_sections_split_at_headings_and_skip_the_title() -> None:
    ctx = _context(REPORT, True)
    section_of, names = summary_cover.sections(ctx)
    assert names[1:] == ["Operations", "Financial results", "Fleet renewal"]
    assert section_of == sorted(section_of) and section_of[0] == 0 and section_of[-1] == 3


def test_a_news_text_without_headings_keeps_the_lead_selection() -> None:
    ctx = _context(NEWS, True)
    section_of, names = summary_cover.sections(ctx)
    assert names == [""]  # no heading: never the sectioned path
    texts = [ctx.text[s:e] for s, e in ctx.sentences]
    expected = " ".join(texts[i] for i in summary.select_document(texts, 3, None, None, None))
    assert _document_summary(NEWS) == expected
    assert _document_summary(NEWS).startswith("Police in Leeds arrested two men")


def test_today_gets_the_date_the_document_states_or_the_sentence_is_not_placed() -> None:
    assert summary_cover.place_deixis("NREC today announced a deal.", "2023-03-14") == (
        "NREC today (14 March 2023) announced a deal."
    )
    assert summary_cover.place_deixis("NREC today announced a deal.", None) is None
    assert summary_cover.place_deixis("NREC announced a deal.", None) == "NREC announced a deal."
