"""What a genre-classification row may hold: whole sentences of running text, and never a data sheet.

A chunk is token-bounded, and a document's opening is cut near 3,000 characters: either can start on
the tail of a quotation, end inside one or mid-sentence, or carry the site's furniture ("Sorry we are
not currently accepting comments on this article."). A row is the span trimmed to start and end on a whole
sentence outside any open quotation, without furniture at its end. A text
that is mostly numbers, codes and field labels (a bond sale sheet, a standings table) or only a
headline shows no genre a reader could check.
"""

from __future__ import annotations

import re

from dataforge.lib.chunk import split_sentences
from dataforge.lib.generate.common import is_prose
from dataforge.lib.generate.standalone import boilerplate, unquoted

MIN_PROSE_SENTENCES = 1  # one line needs a sentence of running text: a headline alone is no row
MAX_DATA_SHARE = 0.45  # a data listing: this share of its tokens numbers, codes in capitals or "LABEL:"
_POINTER = re.compile(r"\s*\((?:left|right|centre|center|pictured|top|bottom|inset|above|below)[^)]{0,40}\)", re.I)
_TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)\]*_]*$")  # "... otherwise.*": Markdown emphasis closes
# quotation marks that open or close, told from apostrophes ("It's", "players'"): a straight or curly
# single quote opens before a capital and closes after a stop, a straight double quote opens after a
# space and closes before one
_OPENS = re.compile(r"\u201c|\u2018|(?<![\w.,!?])'(?=[A-Z])|(?<![^\s(\[])\"(?=\S)")
_CLOSES = re.compile(r"\u201d|(?<=[.,!?])[\u2019'](?!\w)|(?<=\S)\"(?![^\s.,;:!?)\]])")


def listing(text: str) -> bool:
    """Mostly numbers, codes and labels in capitals: a data sheet or a standings table, no prose."""
    words = text.split()
    data = [w for w in words if re.search(r"\d", w) or re.fullmatch(r"\W*[A-Z][A-Z&./-]+\W*|\w[\w /.-]*:", w)]
    return len(words) >= 12 and len(data) >= MAX_DATA_SHARE * len(words)


def narration(text: str) -> str:
    """The writer's own words: the sentences outside any quotation, with their own quotations blanked
    ("'Games like this are why I came back. ... I was told ...' he said" is no narrator's "I")."""
    inside, kept = False, []
    for s, e in split_sentences(text):
        sentence, balance = text[s:e], _balance(text[s:e])
        if not inside and balance == 0:
            kept.append(unquoted(sentence))
        inside = (inside or balance > 0) and not (inside and balance < 0)
    return " ".join(kept)


def _balance(sentence: str) -> int:
    """Quotations opened minus closed in ``sentence``."""
    return len(_OPENS.findall(sentence)) - len(_CLOSES.findall(sentence))


def _dangling(sentence: str) -> bool:
    """The tail of a quotation opened in an earlier sentence, or a piece starting mid-sentence."""
    return sentence[:1].islower() or len(_OPENS.findall(sentence)) < len(_CLOSES.findall(sentence))


def _furniture(sentence: str) -> bool:
    """Site furniture ("Sorry we are not currently accepting comments ..."); a photo's "(pictured)" is none."""
    return boilerplate(_POINTER.sub("", sentence))


def _bad_end(sentence: str) -> bool:
    """No sentence to end a row on: furniture, cut off before its stop, or inside an open quotation."""
    return _furniture(sentence) or not _TERMINAL.search(sentence) or _balance(sentence) > 0


def row_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` of the classifiable part of ``text[start:end]``, or None when it has fewer than
    ``MIN_PROSE_SENTENCES`` sentences of running text in a single line, or is a data listing."""
    run = split_sentences(text[start:end], start)
    while run and _dangling(text[run[0][0] : run[0][1]]):  # front matter stays: "# X FAQ" shows the genre
        run = run[1:]
    while run and _bad_end(text[run[-1][0] : run[-1][1]]):
        run = run[:-1]
    if len(run) < 2 and sum(is_prose(text[s:e]) for s, e in run) < MIN_PROSE_SENTENCES:
        return None  # a headline alone
    s, e = run[0][0], run[-1][1]
    return None if listing(text[s:e]) else (s, e)
