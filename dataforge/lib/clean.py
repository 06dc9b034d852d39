"""Text normalisation shared by every extractor.

Downstream stages store character offsets into the cleaned text (page maps, chunks,
mentions, QA answers), so cleaning must be deterministic and idempotent: cleaning an
already clean text must return it unchanged, or offsets computed on it would drift.
"""

from __future__ import annotations

import re
import unicodedata

from dataforge.lib._structure_patterns import _AGENCY

__all__ = [
    "JOINED_SENTENCE_RE",
    "clean_document",
    "clean_text",
    "drop_boilerplate_lines",
    "drop_repeated_passages",
    "is_boilerplate_line",
    "repair_mojibake",
    "split_joined_sentences",
]

# Line and paragraph separators that are not "\n": unified first so every later step
# only has to reason about "\n".
_NEWLINES = {
    "\r\n": "\n",
    "\r": "\n",
    "\x0b": "\n",
    "\x85": "\n",
    "\u2028": "\n",
    "\x0c": "\n\n",  # form feed: a page break in plain text, so a paragraph break
    "\u2029": "\n\n",
}
_NEWLINE_RE = re.compile("|".join(re.escape(k) for k in _NEWLINES))

# Invisible characters that carry no content and break tokenisation and dedup:
# zero-width space/no-break space (BOM), soft hyphen, word joiner, and the
# noncharacters U+FFFE/U+FFFF (pdfium marks hyphenation with U+FFFE).
_INVISIBLE = "\u00ad\u200b\u2060\ufeff\ufffe\uffff"

# Latin typographic ligatures (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ). Only these get NFKC: applying NFKC to
# the whole text would also rewrite superscripts, fractions, full-width forms, etc.
_LIGATURE_RE = re.compile("[\ufb00-\ufb06]")

# Unicode space separators other than U+0020 (applied after NFC, which maps U+2000 to
# U+2002). Tabs are kept: they separate columns in plain-text tables.
_SPACES_RE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_MULTI_SPACE_RE = re.compile(r"(?<=\S) {2,}")
_MANY_NEWLINES_RE = re.compile(r"\n{3,}")


# Everything removed as control or invisible, as one character class: control characters
# except "\n" and "\t" (category Cc), surrogates (Cs) and the invisible characters above.
_DROP_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + _INVISIBLE + "]")
# Trailing spaces and tabs of every line: once exotic spaces and line separators are
# normalised, these are the only whitespace characters left besides "\n".
_TRAILING_RE = re.compile(r"[ \t]+$", re.MULTILINE)


def clean_text(text: str) -> str:
    """Return ``text`` normalised for storage and offset-based processing.

    NFC, ligatures expanded, control characters removed (except newline and tab),
    exotic spaces turned into plain spaces, runs of spaces collapsed, trailing
    whitespace stripped, at most one blank line between paragraphs, no blank lines at
    either end. ``clean_text(clean_text(x)) == clean_text(x)`` for every ``x``.
    """
    if not text:
        return ""
    text = _NEWLINE_RE.sub(lambda m: _NEWLINES[m.group(0)], text)
    # Removal happens before NFC: dropping a character between a letter and a combining
    # mark would otherwise leave a composable pair for the next call to compose.
    text = _DROP_RE.sub("", text)
    # Ligatures before NFC: "ﬁ" + combining accent only composes once it is "fi".
    text = _LIGATURE_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    if not unicodedata.is_normalized("NFC", text):  # quick check; most text already is
        text = unicodedata.normalize("NFC", text)
    text = _SPACES_RE.sub(" ", text)
    # Per line: trailing blanks dropped and runs of spaces after a non-space collapsed;
    # leading indentation is kept because it is structure in Markdown (lists, code).
    text = _MULTI_SPACE_RE.sub(" ", _TRAILING_RE.sub("", text))
    text = _MANY_NEWLINES_RE.sub("\n\n", text)
    return text.strip("\n")


# --- document-level cleaning: mojibake repair and boilerplate lines ------------------------

# Cheap pre-filter: UTF-8 read as Latin-1/cp1252 always shows a lead byte (U+00C2-U+00F4:
# "Ã", "â", "Ð") followed by what a continuation byte (0x80-0xBF) decodes to in Latin-1
# or cp1252. ftfy's own, much larger check runs only when this matches.
_MOJIBAKE_HINT_RE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252/latin-1 ("CafÃ©" -> "Café") and similar double decodings.

    ftfy's cheap badness check runs first, so clean text costs one regex scan.
    """
    if not text:
        return text
    from ftfy import fix_encoding
    from ftfy.badness import is_bad

    if not _MOJIBAKE_HINT_RE.search(text):
        return text
    # ftfy fixes line by line anyway; only lines with the hint are worth its time.
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _MOJIBAKE_HINT_RE.search(line) and is_bad(line):
            lines[i] = fix_encoding(line)  # only the decoding repair: quotes etc. stay as written
    return "\n".join(lines)


# Whole lines that are site or page furniture, never content. Conservative on purpose: a
# line must be short and consist of the boilerplate phrase, not merely mention it.
_BOILERPLATE_RE = re.compile(
    r"""^[\W_]*(?:
        (?:this\s+(?:web)?site|we)\s+uses?\s+cookies\b.{0,160}
      | (?:accept|allow|reject|manage)\s+(?:all\s+)?cookies
      | cookie\s+(?:settings|policy|preferences|consent)
      | (?:copyright\s+)?(?:©|\(c\)|copyright)\s*(?:\d{4}\b)?.{0,80}all\s+rights\s+reserved\.?
      | all\s+rights\s+reserved\.?
      | skip\s+to\s+(?:main\s+)?(?:content|navigation)
      | (?:back|scroll)\s+to\s+top
      | scroll\s+down\s+for\s+(?:the\s+)?(?:video|videos?|more)
      | (?:share|tweet)\s+(?:this|on)\s+(?:facebook|twitter|x|linkedin|whatsapp|pinterest|e-?mail)(?:\W+\w+){0,6}
      | follow\s+us\s+on\s+\w+(?:\W+\w+){0,6}
      | (?:sign\s+up|subscribe)\s+(?:for|to)\s+our\s+newsletter.{0,60}
      | (?:please\s+)?enable\s+javascript.{0,80}
      | javascript\s+is\s+(?:disabled|required).{0,80}
      | advertisement|sponsored\s+content|print\s+this\s+page|loading\.{0,3}
      # "read also" links to other articles, in the languages of the corpora we see most
      | (?:read\s+(?:more|also)|see\s+also|related(?:\s+articles?)?|more\s+on\s+this(?:\s+story)?
          |lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|weitere\s+artikel|weiterlesen
          |lea\s+(?:también|más|además)|le\s+puede\s+interesar|te\s+puede\s+interesar
          |(?:à\s+)?lire\s+aussi|voir\s+aussi|czytaj\s+(?:też|także|więcej)|zobacz\s+(?:też|także)
          |leggi\s+anche)\s*(?:[:»>|\-–].{0,150})?
      # photo credits under pictures
      | (?:©|\(c\)|copyright|photo|foto|bild|image|credits?|titelbild|beitragsbild)\s*[:©].{0,80}
      | ©.{0,60}
      # comment widgets
      | (?:\d+\s+)?(?:comments?|kommentare?|keine\s+kommentare|no\s+comments|view\s+comments
          |leave\s+a\s+(?:comment|reply)|schreibe\s+einen\s+kommentar|bild\s+anzeigen)
          (?:\s*[:(|].{0,60})?
    )[\W_]*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_boilerplate_line(line: str) -> bool:
    """True for a short line that is only cookie/copyright/share/navigation furniture."""
    stripped = line.strip()
    return 0 < len(stripped) <= 200 and _BOILERPLATE_RE.match(stripped) is not None


# Line starts that can begin a boilerplate line: one C-level scan finds the few lines worth
# the full pattern, so a long clean document costs almost nothing.
_BOILERPLATE_HINT_RE = re.compile(
    r"^[^\w\n]*?(?:©|\(c\)|\d+\s+comm|this|we|accept|allow|reject|manage|cookie|copyright|all|skip|back|scroll"
    r"|share|tweet|follow|sign|subscribe|please|enable|javascript|advertisement|sponsored|print|loading|read"
    r"|see|related|more|lesen|mehr|weitere|weiterlesen|lea|le|te|à|lire|voir|czytaj|zobacz|leggi|photo|foto"
    r"|bild|image|credit|titelbild|beitragsbild|comment|kommentar|keine|no|view|leave|schreibe)",
    re.IGNORECASE | re.MULTILINE,
)


def drop_boilerplate_lines(text: str) -> str:
    """Remove boilerplate lines (see ``is_boilerplate_line``); other lines are untouched."""
    if not text:
        return text
    for m in _BOILERPLATE_HINT_RE.finditer(text):
        end = text.find("\n", m.start())
        if is_boilerplate_line(text[m.start() : end if end >= 0 else len(text)]):
            break
    else:
        return text
    lines = text.split("\n")
    kept = [line for line in lines if not is_boilerplate_line(line)]
    return text if len(kept) == len(lines) else "\n".join(kept)


# --- sentences glued together: "at home.Half of parents" ------------------------------------

# A sentence end with no space before the next sentence, as XSum and some scrapes write it.
# Conservative: the word before the stop is lower-case letters (2+), a capitalised word of
# 4+ letters that is no abbreviation ("Tuesday.Members"), or a number of 2+ digits (a year,
# "50%"), standing after a space or an opening quote or bracket, so "U.S.Army", "Mr.Smith",
# "e.g.The", "www.bbc.News", "jane@example.Com" and "3.5" never match; the next word is
# capitalised and ends like a word (space or punctuation), so "os.Path(" and "report.Docx."
# do not match either. Group 1 is the stop with any closing quote or bracket.
_NOT_AN_END = (
    "vs|approx|ca|cf|al|fig|figs|no|nos|op|vol|pp|ed|eds|esp|incl|Capt|Sept|Dept|Univ|Corp|Bros|Blvd|Prof|Gens|Sens"
)
JOINED_SENTENCE_RE = re.compile(
    rf"(?<=[ (\[\"'‘“])(?!(?:{_NOT_AN_END})[.])"
    r"(?:[a-z]{2,}|[A-Z][a-z]{3,}|\d{2,}%?)([.!?][\"'”’)\]]?)(?=“?(?:[A-Z][a-z]+|[AI])[\s,;:!?'’])"
)


# "(CNN)Deputies rushed ...": an agency tag glued to the first word makes one token of "CNN)Deputies"
# for the parser, which then turns up in questions ("Who did CNN)Deputies rush ...?")
_GLUED_AGENCY = re.compile(rf"({_AGENCY})(?=[A-Z\"\u201c\u2018])")


def split_glued_agency(text: str) -> str:
    """A space after an agency tag glued to the next word. Idempotent."""
    return _GLUED_AGENCY.sub(r"\1 ", text)


def split_joined_sentences(text: str) -> str:
    """Insert the missing space of "at home.Half of parents" (see ``JOINED_SENTENCE_RE``).

    A straight double quote right after the stop closes the sentence when the line has an
    odd number of quotes before it, else it opens the next one. Idempotent.
    """
    if not text or not JOINED_SENTENCE_RE.search(text):
        return text
    out: list[str] = []
    pos = 0
    for m in JOINED_SENTENCE_RE.finditer(text):
        cut = m.end(1)
        if m.group(1).endswith('"'):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if text.count('"', line_start, cut - 1) % 2 == 0:
                cut -= 1  # an opening quote: it belongs to the next sentence
        out.append(text[pos:cut])
        out.append(" ")
        pos = cut
    out.append(text[pos:])
    return "".join(out)


# --- passages repeated within a document ---------------------------------------------------

REPEAT_MIN_WORDS = 8  # shorter repeated lines (headings, labels, table cells) are structure


def _norm(passage: str) -> str:
    return " ".join(passage.casefold().split())


def drop_repeated_passages(text: str, min_words: int = REPEAT_MIN_WORDS) -> str:
    """Remove lines and prose sentences of ``min_words``+ words that repeat an earlier one.

    News pages repeat their lead paragraph (a teaser, a photo caption), DOCX files repeat
    paragraphs; the first occurrence stays and the document stays. Table rows, list items
    and headings are compared as whole lines only. Idempotent.
    """
    if not text or len(text) < 2 * min_words:
        return text
    from dataforge.lib.chunk import split_sentences

    seen: set[str] = set()
    lines = text.split("\n")
    kept_lines: list[str] = []
    changed = False
    for line in lines:
        key = _norm(line)
        long = len(key.split()) >= min_words
        if long and key in seen:
            changed = True
            continue
        if long:
            seen.add(key)
        stripped = line.lstrip()
        if not long or stripped.startswith(("|", "#", "- ", "* ", ">")):
            kept_lines.append(line)
            continue
        spans = split_sentences(line)
        parts, cursor, dropped = [], 0, False
        for start, end in spans:
            sentence = _norm(line[start:end])
            if len(sentence.split()) < min_words:
                continue
            if sentence in seen and len(spans) > 1:
                parts.append(line[cursor:start])
                cursor, dropped = end, True
                while cursor < len(line) and line[cursor] == " ":
                    cursor += 1
            else:
                seen.add(sentence)
        if dropped:
            changed = True
            parts.append(line[cursor:])
            line = "".join(parts).rstrip()
        kept_lines.append(line)
    return "\n".join(kept_lines) if changed else text


def clean_document(text: str) -> str:
    """Full cleaning for a freshly extracted text: mojibake, boilerplate, glued sentences,
    repeated passages, then clean_text.

    The result is a fixed point of clean_text, so offsets computed on it stay valid.
    """
    cleaned = split_glued_agency(split_joined_sentences(drop_boilerplate_lines(repair_mojibake(text))))
    return clean_text(drop_repeated_passages(cleaned))
