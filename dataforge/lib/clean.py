"""Text normalisation shared by every extractor.

Downstream stages store character offsets into the cleaned text (page maps, chunks,
mentions, QA answers), so cleaning must be deterministic and idempotent: cleaning an
already clean text must return it unchanged, or offsets computed on it would drift.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text"]

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


def _drop_char(ch: str) -> bool:
    """True for control, surrogate and invisible characters (but never \\n or \\t)."""
    if ch in "\n\t":
        return False
    if ch in _INVISIBLE:
        return True
    return unicodedata.category(ch) in ("Cc", "Cs")


def _clean_line(line: str) -> str:
    """Collapse runs of spaces in a line, keep its indentation, drop trailing blanks.

    Leading indentation is kept because it is meaningful in Markdown (nested lists,
    code blocks).
    """
    line = line.rstrip()
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)]
    return indent + _MULTI_SPACE_RE.sub(" ", body)


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
    if any(_drop_char(ch) for ch in text):
        text = "".join(ch for ch in text if not _drop_char(ch))
    # Ligatures before NFC: "ﬁ" + combining accent only composes once it is "fi".
    text = _LIGATURE_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES_RE.sub(" ", text)
    text = "\n".join(_clean_line(line) for line in text.split("\n"))
    text = _MANY_NEWLINES_RE.sub("\n\n", text)
    return text.strip("\n")
