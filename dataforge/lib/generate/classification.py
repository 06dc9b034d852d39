"""Document-genre classification by transparent rules (label scheme ``genre/2``: ``genre/1`` and
"opinion"), or no row.

Each genre has a few cues: regular expressions on the text (datelines, "today announced",
"minutes of the meeting", Q/A lines, "was born", "Executive summary", "Step 3", "hereinafter",
"Abstract" ...), each with a weight, counted once. A document's genre is the best-scoring
genre when it scores at least ``MIN_SCORE`` and beats the runner-up by ``MARGIN``; otherwise
the document gets no label (unsure is not a label). Rows are the document's chunks whose own
text shows the genre (a reader can check the label from the row alone); when no chunk does,
the document's opening, if it does. A document's own ``category`` metadata, when every
document has one, is used as given instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dataforge.lib._structure_patterns import _DATELINE
from dataforge.lib.chunk import split_sentences
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import as_int, make_example, span
from dataforge.lib.generate.genre_rows import listing, narration, row_bounds

GEN_CATEGORY = "classification.category/1"
GEN_GENRE = "classification.genre/2"
SCHEME = "genre/2"
MIN_SCORE = 3.0  # a genre needs at least this much evidence ...
MARGIN = 1.5  # ... and this much more than the runner-up
CHUNK_MIN_SCORE = 2.0  # a chunk row must show its document's genre on its own
OPENING_CHARS = 3000

# The label scheme, as documented in the dataset card.
GENRES: dict[str, str] = {
    "news": "a news article: dateline, byline or agency tag, reported speech",
    "press_release": "an organization announcing its own news: 'today announced', 'About <company>', media contact",
    "minutes": "the record of a meeting: 'minutes of the meeting', attendees, motions, 'meeting adjourned'",
    "faq": "questions and answers: 'Frequently asked questions', several question headings or Q:/A: lines",
    "biography": "the life of a person: 'was born', 'died in', 'early life'",
    "report": "an annual, progress or programme report: 'executive summary', findings, financial year, tables",
    "manual": "instructions for use: numbered steps, 'user guide', warnings, troubleshooting",
    "legal": "a contract or legal text: 'hereinafter', 'pursuant to', 'governing law', numbered sections",
    "academic": "a research paper: abstract, references, 'et al.', DOI",
    "opinion": "commentary in the writer's own voice: first person outside quotations and evaluative words "
    "('masterpiece', 'brilliantly'); an outlet's tags on it do not make it news",
    "other": "reserved: a document none of the rules recognise gets no row rather than this label",
}

IM, M = re.IGNORECASE | re.MULTILINE, re.MULTILINE


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern[str]
    weight: float
    min_count: int = 1
    unquoted: bool = False  # counted in the writer's own words only (``genre_rows.narration``)


def _cue(name: str, pattern: str, weight: float, flags: int = IM, min_count: int = 1, unquoted: bool = False) -> Cue:
    return Cue(name, re.compile(pattern, flags), weight, min_count, unquoted)


CUES: dict[str, tuple[Cue, ...]] = {
    "news": (
        _cue(
            "dateline",
            r"^[A-Z][A-Z.' -]{2,30}(?:, [A-Z][A-Za-z. ]{1,20})?(?: \([A-Za-z ]+\))? ?[-\u2013\u2014]{1,2} ",
            2.5,
            M,
        ),
        _cue("agency_tag", r"\((?:Reuters|AP|AFP|CNN|Bloomberg|PA)\)", 2.5, M),
        _cue("byline", r"^\s*By (?:[A-Z][a-z]+ ){1,3}(?:and [A-Z][a-z]+ [A-Z][a-z]+)?|\bPUBLISHED:|\bUPDATED:", 1.5, M),
        # the wire's dateline without a dash ("PARIS 1996-08-31 France beat ..."), the one definition
        Cue("wire_dateline", re.compile(rf"^(?:{_DATELINE.pattern})", M), 2.5),
        _cue("reported_speech", r"\b(?:said|told|according to)\b", 1.5, min_count=3),
        _cue(
            "quoted_speech",
            r"[,.!?][\"'\u201d\u2019]\s+(?:(?:he|she|they|it|[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,2})\s+)?"
            r"(?:said|says|added|told|explained|claimed|insisted|revealed)\b",
            1.5,
        ),
        # news reports when: "on Tuesday", "last night", "yesterday", "earlier this week"
        _cue(
            "news_time",
            r"\b(?:on|last|this|late|early|earlier|since) (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
            r"\b|\blast (?:night|week|month|weekend)\b|\byesterday\b|\bearlier this (?:week|month|year)\b",
            1.5,
        ),
        _cue("news_outlet", r"\b(?:correspondent|reporter|newsroom|weekly|daily)\b", 0.5),
    ),
    "press_release": (
        _cue("today_announced", r"\btoday announced\b|\bannounced today\b", 3.0),
        _cue("immediate_release", r"\bfor immediate release\b", 3.0),
        _cue("about_boilerplate", r"^\W*About [A-Z][\w&.,' -]{1,60}$", 2.0, M),
        _cue("media_contact", r"\b(?:media|press|investor) (?:contact|enquiries|inquiries|relations)\b", 2.0),
        _cue("press_release_title", r"\bpress release\b", 2.0),
    ),
    "minutes": (
        _cue("minutes_of", r"\bminutes of (?:the )?(?:\w+ ){0,3}meeting\b|^\W*(?:board )?minutes\b", 3.0),
        _cue("attendance", r"^\W*(?:present|attendees|in attendance|apologies|absent)\b\W*:", 2.0),
        _cue("meeting_procedure", r"\bcalled to order\b|\bmeeting (?:was )?(?:adjourned|closed)\b|\bquorum\b", 2.0),
        _cue("motion", r"\b(?:motion|seconded|resolved that|carried unanimously|approved the minutes)\b", 1.5),
        _cue("action_items", r"^\W*action (?:items?|points?)\b", 1.0),
    ),
    "faq": (
        _cue("faq_title", r"(?i:\bfrequently asked questions\b)|\bFAQs?\b", 3.0, M),
        _cue("question_lines", r"^\W*(?:Q\d*[:.]\s*)?[A-Z][^\n?]{5,150}\?\s*$", 2.5, M, min_count=3),
        _cue("qa_markers", r"^\s*(?:Q|Question)\s*\d*\s*[:.]\s", 1.5, M, min_count=2),
    ),
    "biography": (
        _cue("born", r"\bwas born\b|\bborn (?:in|on) (?:\d|[A-Z])|\(born\b|\bn\u00e9e\b", 2.5, M),
        _cue("died", r"\b(?:died|passed away) (?:in|on|at)\b", 1.5),
        _cue("life_sections", r"\bearly life\b|\bpersonal life\b|\bbiography\b|\bcareer\b", 1.0),
        _cue("studied", r"\b(?:she|he) (?:studied|graduated|grew up|earned (?:a|her|his))\b", 1.5),
    ),
    "report": (
        _cue(
            "report_title",
            r"\b(?:annual|quarterly|progress|status|programme|program|final[- ]year|sustainability)\b"
            r"[^\n]{0,30}?\b(?:report|update)\b",
            3.0,
        ),
        _cue("executive_summary", r"\bexecutive summary\b|\bkey (?:findings|figures|highlights)\b", 2.0),
        _cue("financial_year", r"\b(?:financial|fiscal|reporting) year\b|\bFY ?20\d\d\b", 1.5),
        _cue("tables_figures", r"\b(?:table|figure) \d+\b|^\s*\|.+\|\s*$", 1.0),
        _cue("financials", r"\b(?:revenue|EBITDA|operating (?:profit|income)|net (?:profit|income))\b", 1.0),
    ),
    "manual": (
        _cue("manual_title", r"\b(?:user (?:guide|manual)|installation guide|instructions for use|quick start)\b", 3.0),
        _cue(
            "steps",
            r"^\W*step \d+\b|^\s*\d+[.)]\s+"
            r"(?:open|click|select|press|install|remove|insert|connect|turn|enter|run|check)\b",
            2.0,
        ),
        _cue("warnings", r"^\W*(?:warning|caution|important)\s*:", 1.0),
        _cue("troubleshooting", r"\btroubleshooting\b", 2.0),
    ),
    "legal": (
        _cue("legal_terms", r"\b(?:hereinafter|whereas|notwithstanding|pursuant to|hereby)\b", 2.0),
        _cue(
            "contract_sections", r"\b(?:terms and conditions|governing law|indemnif\w+|limitation of liability)\b", 2.0
        ),
        _cue("shall", r"\bshall\b", 1.5, min_count=5),
        _cue("articles", r"^\W*(?:article|section|clause) \d+", 1.5),
    ),
    "academic": (
        _cue("abstract", r"^\W*abstract\b", 2.0),
        _cue("references", r"^\W*(?:references|bibliography)\W*$", 2.0),
        _cue("et_al", r"\bet al\.", 1.5),
        _cue("doi", r"\bdoi(?::|\.org)|\barXiv\b", 2.0),
        _cue("paper_voice", r"\bin this (?:paper|study|article)\b|\bwe propose\b", 2.0),
    ),
    "opinion": (
        _cue("first_person", r"\b(?:I|me|my|myself)\b", 2.0, M, min_count=2, unquoted=True),
        _cue(
            "evaluative",
            r"\b(?:masterpieces?|masterful(?:ly)?|phenomenal(?:ly)?|brilliant(?:ly)?|timeless|unforgettable|"
            r"magnificent(?:ly)?|sublime|overrated|underrated|breathtaking(?:ly)?|exquisite(?:ly)?|dazzling|"
            r"glorious(?:ly)?|superb(?:ly)?|shameful(?:ly)?|disgraceful|absurd|ludicrous)\b",
            2.0,
            min_count=2,
            unquoted=True,
        ),
        _cue(
            "opinion_voice",
            r"\bin my (?:view|opinion)\b|\bI (?:think|believe|feel)\b|\bthe views expressed\b",
            1.5,
            unquoted=True,
        ),
    ),
}
# the writer's own voice and judgement: commentary, whatever datelines or agency tags it carries
COMMENTARY = frozenset({"first_person", "evaluative"})


@dataclass(frozen=True)
class Decision:
    genre: str | None
    score: float
    runner_up: str | None
    runner_up_score: float
    cues: tuple[str, ...]


def scores(text: str) -> dict[str, tuple[float, list[str]]]:
    """genre -> (score, names of the cues found), for every genre with any evidence; a text in the
    writer's own evaluative voice is commentary, so news cues (an outlet's tags) do not count."""
    out = {}
    own = narration(text)
    for genre, cues in CUES.items():
        found = [c for c in cues if len(c.pattern.findall(own if c.unquoted else text)) >= c.min_count]
        if found:
            out[genre] = (sum(c.weight for c in found), [c.name for c in found])
    if COMMENTARY <= set(out.get("opinion", (0.0, []))[1]):
        out.pop("news", None)
    return out


def decide(text: str, title: str = "") -> Decision:
    """The genre of a text, or ``genre=None`` when the evidence is too weak or too close."""
    found = scores(f"{title}\n{text}" if title else text)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))
    if not ranked:
        return Decision(None, 0.0, None, 0.0, ())
    (best, (score, cues)), rest = ranked[0], ranked[1:]
    second, second_score = (rest[0][0], rest[0][1][0]) if rest else (None, 0.0)
    sure = score >= MIN_SCORE and score - second_score >= MARGIN
    return Decision(best if sure else None, score, second, second_score, tuple(cues))


def category(document: dict[str, Any]) -> str | None:
    value = document.get("category") or (document.get("metadata") or {}).get("category")
    return str(value) if value not in (None, "") else None


def _chunks(documents: dict[str, dict], chunk_vectors: list) -> dict[str, list[tuple[int, int, int, str]]]:
    """doc_id -> sorted (chunk_id, start, end, text) of chunks that are exact slices."""
    out: dict[str, set] = {}
    for chunk, _ in chunk_vectors or []:
        doc_id = str(chunk.get("doc_id"))
        text = str((documents.get(doc_id) or {}).get("text") or "")
        s, e = as_int(chunk.get("start")), as_int(chunk.get("end"))
        if 0 <= s < e <= len(text) and text[s:e] == chunk.get("text", text[s:e]) and text[s:e].strip():
            out.setdefault(doc_id, set()).add((as_int(chunk.get("chunk_id"), 0), s, e, text[s:e]))
    return {d: sorted(v) for d, v in out.items()}


def _record(text: str, label: str, source: str, doc_id: str, chunk_id: int | None, d: Decision | None) -> dict:
    meta: dict[str, Any] = {"label_source": source, "doc_id": doc_id, "chunk_id": chunk_id}
    if d is not None:
        meta |= {
            "label_scheme": SCHEME,
            "cues": list(d.cues),
            "score": d.score,
            "runner_up": d.runner_up,
            "runner_up_score": d.runner_up_score,
        }
    return {"text": text, "label": label, "metadata": meta}


def _opening(text: str) -> tuple[int, int]:
    """The document's first paragraphs, cut at a paragraph or line end under OPENING_CHARS, else
    at the last sentence end under it (a news text without line breaks): never inside a word."""
    if len(text) <= OPENING_CHARS:
        return 0, len(text.rstrip())
    cut = max(text.rfind("\n\n", 0, OPENING_CHARS), text.rfind("\n", 0, OPENING_CHARS))
    if cut > OPENING_CHARS // 2:
        return 0, cut
    ends = [e for _, e in split_sentences(text[: OPENING_CHARS + 1]) if e <= OPENING_CHARS]
    ends = [e for e in ends if e < OPENING_CHARS or not text[e : e + 1].isalnum()]
    return 0, (ends[-1] if ends else OPENING_CHARS)


def _shows(text: str, genre: str) -> bool:
    """The text alone points to ``genre``: enough of its evidence, more than for any other."""
    found = scores(text)
    own = found.get(genre, (0.0, []))[0]
    return own >= CHUNK_MIN_SCORE and all(v[0] < own for g, v in found.items() if g != genre)


def generate(documents: dict[str, dict], chunk_vectors: list, config: DataforgeConfig) -> list[dict[str, Any]]:
    chunks = _chunks(documents, chunk_vectors)
    out = []
    if chunks and all(category(documents[d]) for d in chunks):
        for doc_id, rows in sorted(chunks.items()):
            for cid, s, e, text in rows:
                record = _record(text, str(category(documents[doc_id])), "category", doc_id, cid, None)
                out.append(make_example("classification", GEN_CATEGORY, record, [span(doc_id, s, e)]))
        return out
    for doc_id in sorted(documents):
        doc = documents[doc_id]
        text = str(doc.get("text") or "")
        genre = decide(text, str(doc.get("title") or "")).genre
        if genre is None or listing(text):  # a data sheet or a standings table: no genre a reader could check
            continue
        made = 0
        for cid, s, e, _ in chunks.get(doc_id, []):
            bounds = row_bounds(text, s, e)  # whole sentences, no quote tails, no site furniture
            if bounds and _shows(text[bounds[0] : bounds[1]], genre):
                s, e = bounds
                record = _record(text[s:e], genre, "rules", doc_id, cid, decide(text[s:e]))
                out.append(make_example("classification", GEN_GENRE, record, [span(doc_id, s, e)]))
                made += 1
        bounds = None if made else row_bounds(text, *_opening(text))
        if bounds:
            s, e = bounds
            d = decide(text[s:e])
            if d.genre == genre:
                record = _record(text[s:e], genre, "rules", doc_id, None, d)
                out.append(make_example("classification", GEN_GENRE, record, [span(doc_id, s, e)]))
    return out
