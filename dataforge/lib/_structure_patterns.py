"""Regular expressions and word lists of lib.structure: the line shapes of markup and front matter."""

from __future__ import annotations

import re

_FUNCTION = frozenset("a an the and or of in on at by for to with from as is are was were be that".split())
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)"
)
_MD_HEADING = re.compile(r" {0,3}#{1,6}(?:\s|$)")
_SETEXT_RULE = re.compile(r" {0,3}(?:=+|-{2,}) *$")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_MARK = re.compile(r"\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+")
_FENCE = re.compile(r" {0,3}(```|~~~)")
# "To: ...", "**Date:** ...", "- Principal investigator: ...": a field name, not a sentence.
_LABEL = re.compile(
    r"(?P<pre>\s*(?:[-*+\u2022]|\d{1,3}[.)])?\s*)(?P<label>(?:\*\*|__)?[A-Z][\w'\u2019/&()-]*(?:\s+[\w'\u2019/&()-]+){0,3}?"
    r"\s*:(?:\*\*|__)?)\s+(?=[^\s\"'\u201c\u2018])"
)
_OPENERS = _FUNCTION | frozenset("with after before when while if as since although but so".split())
_SPEECH = frozenset("said says added told wrote noted explained asked replied stated warned".split())
_BOLD_LEAD = re.compile(
    r"(?P<pre>\s*(?:[-*+\u2022]|\d{1,3}[.)])?\s*)(?P<label>(?:\*\*|__)[^*_\n]{1,80}(?:\*\*|__):?)\s*\S"
)
_EMPHASIS = re.compile(r"^[*_]+|[*_]+$")
_BYLINE = re.compile(
    r"(?:(?i:by)\s+(?:\.\s+)?[A-Z][\w.'\u2019-]*(?:\s+(?:[A-Z][\w.'\u2019-]*|and|&|de|van|von|der))*\.?(?:\s*(?:,|\||and)\s*.{0,60})?"
    r"|(?i:last\s+)?(?i:published|updated|posted|modified)\b:?\s*(?=.{0,60}\d).{0,100})"
)
_BOILERPLATE = re.compile(
    r"(?:(?:for\s+)?immediate\s+release|press\s+release|news\s+release|internal\s+memo(?:randum)?|media\s+contacts?"
    r"|-+\s*ends\s*-+|ends|#{3}|scroll\s+down\s+for\s+(?:video|more)|share\s+this\s+(?:with|article|story).{0,80}"
    r"|click\s+here.{0,60}|page\s+\d+(?:\s+of\s+\d+)?|(?:image|photo|video)\s+(?:caption|source|copyright)\b.{0,80})",
    re.IGNORECASE,
)
# Datelines opening the body: "HOUSTON - ", "LONDON, March 3 (Reuters) - ", "(CNN) -- ",
# "New Delhi, India (CNN)", "Oslo, 14 March 2023 - ".
_PLACE = r"[A-Z][\w.'\u2019-]*(?:(?:\s+|,\s*|\s+and\s+)[A-Z][\w.'\u2019-]*){0,4}"
_AGENCY = r"\((?:CNN|Reuters|AP|AFP|UPI|Bloomberg|dpa|ANSA|EFE|PA|[A-Z][\w.'&-]*(?:\s+[A-Z][\w.'&-]*){0,4})\)"
_DATELINE = re.compile(
    rf"(?:(?:{_PLACE}\s*(?:,\s*{_DATE}\s*)?)?{_AGENCY}\s*(?:[-\u2013\u2014]{{1,2}}\s*)?(?=[A-Z\"'\u201c\u2018])"
    rf"|[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){{0,3}}(?:,\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?(?:,\s*{_DATE})?"
    rf"(?:\s*{_AGENCY})?\s+[-\u2013\u2014]{{1,2}}\s+"
    rf"|{_PLACE},\s*{_DATE}\s*[-\u2013\u2014]{{1,2}}\s+"
    # the wire's "GENEVA 1996-08-30 UEFA came down ...", "PARAMARIBO, Surinam 1996-08-30 Flamboyant ..."
    rf"|[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){{0,3}}(?:,\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?"
    rf"\s+\d{{4}}-\d{{2}}-\d{{2}}\s+(?=[A-Z\"'\u201c\u2018])"
    rf")"
)
_DATELINE_LINE = re.compile(rf"{_PLACE},\s*{_DATE}")
# A caption or headline glued to the first sentence without a line break (CNN/DailyMail):
# "... than a colleague The cost of divorce can wreck ..." - a sentence-initial word after
# a lower-case content word, inside the document's first sentence.
_GLUE = re.compile(
    r"(?<=[a-z0-9%\u2019'\")\]])\s+(?=(?:The|A|An|He|She|It|They|His|Her|Its|Their|This|These|Those|Police|Officials)\s)"
)


# Flattened page furniture of news sites: "Share this withEmailFacebook...Copy this link",
# "By . Daily Mail Reporter . PUBLISHED: . 12:01 EST, 3 May 2013 . | . UPDATED: . ... . "
_SHARE_BAR = re.compile(
    r"Share this with(?:\s*(?:Email|Facebook|Twitter|Pinterest|WhatsApp|Linkedin|LinkedIn|Reddit))*\s*Copy this link"
)
_BYLINE_LEAD = re.compile(
    r"(?:By\s+\.\s+(?:[^.]{1,60}?\s+\.\s+){1,3}?)?"
    r"(?:(?:PUBLISHED|Published):\s+\.\s+[^|]{1,60}?\s+\.\s+(?:\|\s+\.\s+)?)?"
    r"(?:(?:UPDATED|Updated):\s+\.\s+[^|]{1,60}?\s+\.\s+)?"
    r"(?:Last updated at .{1,60}?\d{4}\s+\.\s+)?"
)
