"""Which sentences and sections are content a summary may draw on, and which are markup.

Reviewers reject summaries built from reference lists ("2008;142:615-35. doi:..."), flattened
code (">>> def foo(): ..."), link lists and disclosures, author/e-mail blocks and legal form
text ("Indicate by check mark if the registrant ..."). Such sentences are never summary
material; a section under a heading that names such a block ("References", "Disclosure") gets
no summary; a section summary needs enough standalone content sentences to stand on its own.
"""

from __future__ import annotations

import re

import numpy as np

from dataforge.lib.generate.common import DocContext
from dataforge.lib.generate.standalone import boilerplate

# headings of blocks that are apparatus, not content
_MARKUP_HEADING = re.compile(
    r"(?i)^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:references?|bibliography|works cited|literature cited|citations?|"
    r"sources?|notes|footnotes|endnotes|see also|further reading|external links|related (?:posts?|articles?|"
    r"links|reading|content|stories)|(?:useful |more )?links|resources|you may also like|read more|"
    r"(?:affiliate )?(?:disclosures?|disclaimers?)|legal(?: notice)?|privacy(?: policy)?|terms(?: of (?:use|service))?|"
    r"copyright|acknowledge?ments?|author(?:s|'s)?(?: information| contributions?| details)?|affiliations?|"
    r"contact(?: us| information)?|share(?: this)?|comments?|leave a (?:reply|comment)|navigation|menu|"
    r"table of contents|contents|funding|conflicts? of interest|competing interests|supplementary material|"
    r"appendix(?: [a-z0-9]+)?|subscribe|newsletter|tags|categories)\W*$"
)

_CODE = re.compile(
    r"```|>>>|^\s*\$ |\bdef \w+\(|\bfunction\s*\w*\(|\breturn\b[^.]*;|[{};]\s*$|==|!=|=>|->|\w+\(\)|"
    r"\b(?:import|from) [\w.]+ import\b|#include|</?\w+>|\w+\.\w+\(|\bvar \w+ =|\b[a-z]+_[a-z]+(?:_[a-z]+)*\b"
)
_CITATION = re.compile(
    r"(?i)\bdoi\s*:|\bdoi\.org|crossref|google scholar|pubmed|\bPMID\b|\bISBN\b|"
    r"\bet al\.?[,\s]*(?:\(?\d{4}|[A-Z]\w*\.)|"
    r"\b(?:19|20)\d{2}\s*;\s*\d+\s*(?:\(\d+\))?\s*:\s*\d+|\bvol\.\s*\d+|\bpp\.\s*\d+|"
    r"\bretrieved (?:from|on)\b|\barXiv:\d|\bIn Proceedings\b"
)
_LEGAL_FORM = re.compile(
    r"(?i)\bindicate by check mark\b|\bthe registrant\b|\bpursuant to (?:section|rule)\b|\bform 10-[kq]\b|"
    r"\bsecurities exchange act\b|\bcommission file number\b|\b(?:affiliate|sponsored) links?\b|"
    r"\bwe (?:may )?(?:earn|receive) (?:a )?(?:small )?commission\b|\bas an amazon associate\b|"
    r"\ball rights reserved\b|\bthis (?:post|article|page) (?:may )?contains? (?:affiliate )?links\b|"
    r"\b(?:terms of (?:use|service)|privacy policy|cookie policy)\b"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_AFFILIATION = re.compile(
    r"(?i)\b(?:department|dept\.|faculty|school|institute|laboratory|university|college|hospital|centre|center)"
    r" (?:of|for)\b.*\b(?:university|institute|usa|uk|china|germany|france|japan|canada)\b"
)
_LINK_WORDS = re.compile(
    r"(?i)\b(?:click here|read more|see more|learn more|sign up|log in|subscribe|share on|follow us)\b"
)
_FORMULA_CHARS = re.compile(r"[=+*/^\\|<>∑∫√≤≥±×÷∂∆αβγδεθλμπσφω{}]")

LABEL_WORDS = 5  # a line this short below a heading is a label or a byline, not the section's opening
MIN_CONTENT = 3  # a section summary needs this many standalone content sentences in its section
MIN_CONTENT_SHARE = 0.5  # ... and at least this share of its sentences content, not apparatus


# a heading that names apparatus among other words: "Author, Article and Disclosure Information", "UK news in pictures"
_APPARATUS_WORDS = re.compile(
    r"(?i)\b(?:disclosures?|acknowledge?ments?|bibliography|in pictures|in photos|(?:photo|video|image) gallery|gallery"
    r"|sponsored|advertisement|newsletter|comments)\b"
)


def markup_heading(heading: str) -> bool:
    """True for a heading naming a reference list, link list, disclosure, gallery or author block,
    at any level of its path ("References > Author information" is apparatus too)."""
    parts = [p.strip() for p in heading.split(" > ") if p.strip()]
    if not parts:
        return False
    return any(_MARKUP_HEADING.match(p) for p in parts) or bool(_APPARATUS_WORDS.search(parts[-1]))


def names_nothing(heading: str) -> bool:
    """A heading without a word ("2.", "IV", "* * *"): a reader cannot tell what its section is about."""
    last = heading.rsplit(" > ", 1)[-1]
    return not re.search(r"[A-Za-z]{3,}", last)


def markup_sentence(text: str) -> bool:
    """True for a sentence that is code, a citation, legal/disclosure form text, an author or
    e-mail block, navigation ("Read more"), or an OCR formula: never summary material."""
    t = " ".join(text.split())
    if not t:
        return True
    if _CODE.search(t) or _CITATION.search(t) or _LEGAL_FORM.search(t) or _EMAIL.search(t):
        return True
    if _AFFILIATION.search(t) or _LINK_WORDS.search(t):
        return True
    letters = sum(c.isalpha() for c in t)
    symbols = len(_FORMULA_CHARS.findall(t))
    if letters < 0.5 * len(t.replace(" ", "")) or symbols >= max(4, 0.08 * len(t)):
        return True  # formula or OCR residue: mostly digits and operators
    return False


def content_mask(texts: list[str]) -> np.ndarray:
    """``markup_sentence`` negated, one entry per text."""
    return np.array([not markup_sentence(t) for t in texts], dtype=bool)


def section_stands(heading: str, texts: list[str], ok: np.ndarray, k: int) -> bool:
    """A section earns a summary only when its heading is no apparatus and it has enough
    standalone content sentences (``ok`` already excludes markup) to say something on its own."""
    if markup_heading(heading) or names_nothing(heading) or not texts:
        return False
    content = int(ok.sum())
    return content >= max(k, MIN_CONTENT) and content >= MIN_CONTENT_SHARE * len(texts)


def section_opening(ctx: DocContext, s0: int, index: list[int]) -> int | None:
    """Position in ``index`` of the section's first sentence below its heading, past a byline,
    label or caption; None when there is none."""
    body = ctx.text.find("\n", s0) if ctx.text[s0 : s0 + 8].lstrip().startswith("#") else s0
    for j, i in enumerate(index):
        start, end = ctx.sentences[i]
        if body >= 0 and start < body:
            continue  # the heading line itself
        text = ctx.text[start:end]
        if len(text.split()) <= LABEL_WORDS or boilerplate(text):
            continue
        return j
    return None


# a results row the sentence splitter cut at the next rank: "Dionne Rose (Jamaica) 12.92 6."
_RANK_ROW = re.compile(r"\([A-Z][A-Za-z .'-]+\).{0,60}?(?:\)|\d|[a-z]{3,})\s\d{1,3}\.$")
RESULTS_SHARE = 0.5  # this share of ranked rows is a results table (a race report with its table after it is not)
RESULTS_MIN_ROWS = 3


def results_table(texts: list[str]) -> bool:
    """A results table flattened into "sentences" cut at each rank: its rows are no summary, and
    its one line of prose ("Leading results at ... on Friday:") says nothing without them."""
    rows = sum(bool(_RANK_ROW.search(t)) for t in texts)
    return rows >= RESULTS_MIN_ROWS and rows >= RESULTS_SHARE * len(texts)
