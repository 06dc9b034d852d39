"""Markup is never content: headings, table headers, labels and front matter in every format.

Each format gets the same news story (headline, subhead, "HOUSTON - " dateline glued to the
body, a section heading and a table with names in its header): the headline and dateline
become metadata, the first body sentence starts at the body, and no heading or header cell
becomes a mention, an answer or a summary sentence.
"""

from __future__ import annotations

import io

import docx
import fpdf
import numpy as np
import pytest

from dataforge.lib.chunk import chunk_document
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.extract import extract_bytes
from dataforge.lib.generate import generate_document_examples
from dataforge.lib.generate.common import build_context, tfidf
from dataforge.lib.nlp import mentions_from_parses, parse_documents
from dataforge.lib.stages import document_title
from dataforge.lib.structure import NON_ENTITY_ROLES, body_only, detect_blocks, front_matter, outside_markup

CONFIG = DataforgeConfig()
HEADLINE = "Baggage handlers charged over thefts"
SUBHEAD = "Workers at baggage-handling firm accused after bags found in pet store bin"
BODY = [
    "HOUSTON - Five employees of Baggage Partners Inc were charged on Tuesday after police found stolen bags "
    "in a bin behind a pet store. Officer Maria Lopez said the workers took jewellery from luggage at George "
    "Bush Intercontinental Airport.",
    "The company fired the five workers on Wednesday, its spokesman Daniel Reyes said. Baggage Partners Inc "
    "handles bags for United Airlines in Houston and Dallas.",
]
HEADING = "Helena Marsh of Ardent Research"
AFTER_HEADING = (
    "Helena Marsh, an analyst at Ardent Research in Paris, said thefts by airport staff are rare. She expects "
    "the airline to review its contracts with Baggage Partners Inc before the summer."
)
TABLE = [["Region", "Oslo", "Bergen"], ["Claims", "3", "4"], ["Losses", "12", "15"]]


def as_text() -> bytes:
    rows = "\n".join(" ".join(r) for r in TABLE)
    return f"{HEADLINE}\n{SUBHEAD}\n{BODY[0]}\n\n{BODY[1]}\n\n{HEADING}\n\n{AFTER_HEADING}\n\n{rows}\n".encode()


def as_markdown() -> bytes:
    table = [f"| {' | '.join(TABLE[0])} |", "| --- | --- | --- |"] + [f"| {' | '.join(r)} |" for r in TABLE[1:]]
    parts = [f"# {HEADLINE}", SUBHEAD, *BODY, f"## {HEADING}", AFTER_HEADING, "\n".join(table)]
    return "\n\n".join(parts).encode()


def as_html() -> bytes:
    head = "".join(f"<th>{c}</th>" for c in TABLE[0])
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in TABLE[1:])
    body = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        f"<html><head><title>{HEADLINE}</title></head><body><article><h1>{HEADLINE}</h1><p>{SUBHEAD}</p>{body}"
        f"<h2>{HEADING}</h2><p>{AFTER_HEADING}</p><table><tr>{head}</tr>{rows}</table></article></body></html>"
    ).encode()


def as_docx() -> bytes:
    document = docx.Document()
    document.add_heading(HEADLINE, level=0)
    document.add_paragraph(SUBHEAD)
    for paragraph in BODY:
        document.add_paragraph(paragraph)
    document.add_heading(HEADING, level=1)
    document.add_paragraph(AFTER_HEADING)
    table = document.add_table(rows=len(TABLE), cols=3)
    for i, row in enumerate(TABLE):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_pdf() -> bytes:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    lines = [HEADLINE, SUBHEAD, *BODY, HEADING, AFTER_HEADING] + [" ".join(r) for r in TABLE]
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


FORMATS = {"txt": as_text, "md": as_markdown, "html": as_html, "docx": as_docx, "pdf": as_pdf}


def _embed(texts: list[str]) -> np.ndarray:
    return tfidf(texts)[0]


@pytest.fixture(scope="module", params=sorted(FORMATS))
def processed(request: pytest.FixtureRequest) -> dict:
    """One format through extraction, chunking, NER with the markup filter, and generation."""
    name = request.param
    extracted = extract_bytes(FORMATS[name](), f"story.{name}", describe=False)
    text = extracted.text
    chunks = chunk_document("d", text, CONFIG.chunk)
    [(_, parses)] = list(parse_documents([("d", text, chunks)], CONFIG.nlp))
    raw = mentions_from_parses("d", parses, chunks)
    mentions = outside_markup(raw, extracted.blocks)
    document = {
        "doc_id": "d",
        "text": text,
        "title": document_title(extracted.metadata, f"story.{name}"),
        "language": "en",
        "date": None,
        "blocks": extracted.blocks,
    }
    examples = generate_document_examples(document, chunks, mentions, [], CONFIG, embed=_embed, parses=parses)
    return {"name": name, "doc": extracted, "raw": raw, "mentions": mentions, "document": document,
            "chunks": chunks, "examples": examples}  # fmt: skip


def _markup_spans(doc, roles=NON_ENTITY_ROLES) -> list[tuple[int, int, str]]:
    return [(b["start"], b["end"], b["role"]) for b in doc.blocks if b["role"] in roles]


def test_headline_subhead_and_dateline_become_metadata(processed: dict) -> None:
    meta = processed["doc"].metadata
    assert processed["document"]["title"] == HEADLINE
    assert meta["dateline"] == "HOUSTON"
    assert meta["subtitle"] == SUBHEAD
    ctx = build_context(processed["document"], processed["chunks"], [], [], 1)
    first = ctx.text[ctx.sentences[0][0] : ctx.sentences[0][1]]
    assert first.startswith("Five employees of Baggage Partners Inc"), first
    assert not any(HEADLINE in ctx.text[s:e] or "HOUSTON" in ctx.text[s:e] for s, e in ctx.sentences)


def test_headings_and_table_headers_are_not_mentions(processed: dict) -> None:
    text, spans = processed["doc"].text, _markup_spans(processed["doc"])
    roles = {r for _, _, r in spans}
    assert {"title", "heading", "table_header", "dateline"} <= roles, roles
    inside = [m for m in processed["raw"] if any(s < m["end"] and m["start"] < e for s, e, _ in spans)]
    assert inside, "spaCy tags names in the headline and heading: the filter has something to remove"
    assert not [m for m in processed["mentions"] if any(s < m["end"] and m["start"] < e for s, e, _ in spans)]
    # the same names in the body are still mentions
    body_names = {m["text"] for m in processed["mentions"]}
    assert {"Ardent Research", "Baggage Partners Inc"} <= body_names
    assert "Region" not in body_names and text.count("Oslo") == 1


def test_markup_never_answers_or_summarizes(processed: dict) -> None:
    text = processed["doc"].text
    spans = _markup_spans(processed["doc"], NON_ENTITY_ROLES | {"table_cell"})
    examples = processed["examples"]
    # QA needs a sentence the strict question rules accept, which this short story may not give
    assert any(e["kind"] == "summary" for e in examples)
    for e in examples:
        for src in e["source_spans"]:
            assert not any(s <= src["start"] and src["end"] <= end for s, end, _ in spans), (e["kind"], src)
        if e["kind"] == "qa":
            assert e["answer"] not in (HEADLINE, HEADING, "Region", "Oslo", "Bergen", "HOUSTON")
        if e["kind"] == "summary":
            assert HEADLINE not in e["summary"] and "HOUSTON" not in e["summary"] and HEADING not in e["summary"]
    assert "Oslo" in text  # the table header stays in the text, only its role changes


def roles_of(text: str) -> list[tuple[str, str]]:
    return [(b["role"], text[b["start"] : b["end"]]) for b in detect_blocks(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(CNN)They may not be aliens, a NASA scientist says. He is sure.", [("dateline", "(CNN)")]),
        ("New Delhi, India (CNN)As the earth shook in Nepal, tremors were felt. Help came.",
         [("dateline", "New Delhi, India (CNN)")]),
        ("LONDON, March 3 (Reuters) - Shares fell on Monday. Traders were calm.",
         [("dateline", "LONDON, March 3 (Reuters) - ")]),
        ("By . Sam Webb . PUBLISHED: . 12:01 EST, 3 May 2013 . | . UPDATED: . 12:40 EST, 3 May 2013 . "
         "A man was found. Police came.", [("byline", "By . Sam Webb . PUBLISHED: . 12:01 EST, 3 May 2013 . | . "
                                              "UPDATED: . 12:40 EST, 3 May 2013 . ")]),
        ("Rhodri Giggs outside Manchester Magistrates Court yesterday, where he was banned from driving The "
         "brother of Ryan Giggs has lost his job. He was banned.",
         [("caption", "Rhodri Giggs outside Manchester Magistrates Court yesterday, where he was banned from "
                      "driving")]),
        ("The report was seen by The Mail on Sunday and shared widely. It said little.", []),
        ("Ingrid Solheim said: \"Joining NREC helps us.\" The deal closed.", []),
    ],
)  # fmt: skip
def test_glued_leads(text: str, expected: list[tuple[str, str]]) -> None:
    assert roles_of(text) == expected


def test_memo_fields_are_labels_and_subject_is_the_title() -> None:
    text = (
        "INTERNAL MEMO\n\nTo: Members of the advisory board\nFrom: Jonas Verbeek, Company Secretary\n"
        "Date: 26 February 2024\nSubject: Key dates in the history of Northwind\n\nPurpose\n\n"
        'This memo gives new members a chronology. Ingrid Solheim said: "It helps."'
    )
    found = roles_of(text)
    assert ("boilerplate", "INTERNAL MEMO") in found and ("heading", "Purpose") in found
    assert [t for r, t in found if r == "list_label"] == ["To:", "From:", "Date:", "Subject:"]
    assert front_matter(text, detect_blocks(text))["title"] == "Key dates in the history of Northwind"


def test_body_only_cuts_glued_sentence_and_narrows_mention_sentences() -> None:
    text = f"{HEADLINE}\n{BODY[0]}"
    blocks = detect_blocks(text)
    glued = (0, text.index("police") + 6)
    start = text.index("Baggage Partners Inc")
    mention = {"start": start, "end": start + 20, "text": "Baggage Partners Inc", "label": "ORG",
               "sentence_start": 0, "sentence_end": glued[1]}  # fmt: skip
    in_title = {"start": 0, "end": 7, "text": "Baggage", "label": "ORG", "sentence_start": 0, "sentence_end": 7}
    sentences, mentions = body_only(text, [glued], [mention, in_title], blocks)
    body = text.index("Five employees")
    assert sentences == [(body, glued[1])]
    assert mentions == [{**mention, "sentence_start": body, "sentence_end": glued[1]}]


def test_a_wire_dateline_without_a_dash_is_kept_apart_from_the_body() -> None:
    from dataforge.lib.structure import detect_blocks, front_matter

    text = (
        "Former guerrilla leader charged\n\n"
        "PARAMARIBO, Surinam 1996-08-30 Flamboyant former guerrilla leader Ronnie Brunswijk was charged "
        "on Friday with attempted murder, police said."
    )
    blocks = detect_blocks(text)
    assert front_matter(text, blocks)["dateline"] == "PARAMARIBO, Surinam 1996-08-30"
    body = "Flamboyant former guerrilla leader"
    assert not any(b["start"] <= text.index(body) < b["end"] for b in blocks), blocks
