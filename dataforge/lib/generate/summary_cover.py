"""Document summaries that cover a sectioned document's sections instead of taking its opening.

A news article says its point first, so ``summary.select_document`` anchors on the lead. A
report, minutes, a biography, a company history or an FAQ does not: its opening is background
("headquartered in Rotterdam ... employed 640 people", "born in Port Harcourt in 1982") and
its point sits in later sections (the results, the board's decisions, the main work). When a
document has three or more content sections (headings from ``lib.structure`` blocks or Markdown
chunk headings; apparatus such as References never counts) and is not a news article or a paper
(``classification.decide``), the summary takes the most central sentence of each of its
largest sections, in document order, until the word budget is spent: a sentence stating an
outcome, decision or figure is preferred over background, and one saying "today" or "on
Tuesday" only when the document states the date the summary then gives ("today (14 March
2024)"). Documents without headings (CNN/DM) never reach this path.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

import numpy as np

from dataforge.lib.generate.common import DocContext
from dataforge.lib.generate.section_gate import markup_heading, names_nothing
from dataforge.lib.timeline import _PATTERNS, normalize_date

COVER_WEIGHT = 1.0  # weight of a section's share of the content words: the largest sections first
SECTION_CENTRAL = 0.5  # weight of a sentence's cosine to its own section's centroid
OUTCOME_BONUS = 0.15  # a sentence stating a result, decision or figure
BACKGROUND_PENALTY = 0.3  # birth place, headquarters, head count: background, rarely the point
DEIXIS_PENALTY = 0.5  # "today", "on Tuesday" that the summary cannot place
HEADING_CUE = 0.3  # a heading naming results/decisions (+) or background (-)
LEAD_BONUS = 0.1  # the document's first sentence names the subject (unless it is background)

_FIGURE = re.compile(
    r"(?i)(?:[$€£¥]\s?\d|\d(?:[\d,.]*\d)?\s?(?:%|per ?cent\b|percent\b|percentage points?\b)"
    r"|\b\d(?:[\d,.]*\d)?\s+(?:million|billion|trillion|bn|m)\b|\b(?:EUR|USD|GBP|NOK|DKK)\s?\d)"
)
_OUTCOME = re.compile(
    r"(?i)\b(?:approved|approves|adopted|resolved|decided|agreed|authori[sz]ed|ratified|voted|elected|appointed"
    r"|completed|achieved|reached|delivered|awarded|won|acquired|signed|launched|commissioned|rose|grew"
    r"|increased|decreased|declined|fell|reduced|improved|recorded|posted|generated|raised|secured|exceeded"
    r"|doubled|tripled|concluded|showed|demonstrated|confirmed|closed|produced|developed|led|built|published"
    r"|received|found that|resulted in|net (?:profit|loss|income))\b"
)
_BACKGROUND = re.compile(
    r"(?i)\b(?:was born|born in|grew up|(?:is|are|was|were) headquartered|headquartered in|(?:is|are) based in"
    r"|employ(?:s|ed|ing)?\s+(?:about |around |some |over |nearly |approximately )?[\d,]+\s+"
    r"(?:people|staff|employees))\b"
)
_DEIXIS = re.compile(
    r"(?i)\b(?:today|yesterday|tomorrow|tonight|this (?:morning|afternoon|evening|week)|last (?:night|week)"
    r"|(?:on |last |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
)
_POINT_HEADING = re.compile(
    r"(?i)\b(?:results?|findings?|outcomes?|decisions?|resolutions?|resolved|conclusions?|highlights|achievements?"
    r"|performance|financial|milestones?|career|work)\b"
)
_BACKGROUND_HEADING = re.compile(
    r"(?i)^about\b|\b(?:background|introduction|context|early (?:life|years)|education|personal life)\b"
)
MIN_SECTIONS = 3  # the opening and two headed sections: a news story with one crosshead stays a story
LEAD_GENRES = ("news", "academic")  # a news lead and a paper's abstract say the point first
OPENING_CHARS = 600  # a document states its own date (dateline, date line) near its top


def sections(ctx: DocContext) -> tuple[list[int], list[str]]:
    """Section number of each ``ctx.sentences`` entry (0: before the first heading) and each
    section's heading ("" for the opening), split at heading blocks and Markdown heading changes."""
    cuts: dict[int, str] = {s: _heading_text(ctx.text[s:e]) for s, e in ctx.headings}
    previous = None
    for c in ctx.chunks:
        heading = str(c.get("heading") or "")
        if heading and heading != previous:
            cuts.setdefault(int(c["start"]), heading.rsplit(" > ", 1)[-1])
        previous = heading
    title = _key(ctx.title)
    starts, seen = [], set()
    for s in sorted(cuts):
        key = _key(cuts[s])
        if key and key not in seen and not (title and (key in title or title in key)):
            starts.append(s)  # a headline repeated as a heading, or the same heading again: no new section
        seen.add(key)
    names = [""] + [cuts[s] for s in starts]
    return [bisect.bisect_right(starts, s) for s, _ in ctx.sentences], names


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _heading_text(text: str) -> str:
    return re.sub(r"\[edit\]\s*$", "", " ".join(text.split()).lstrip("#").strip())


def sectioned(ctx: DocContext, section_of: list[int], names: list[str], candidate: np.ndarray) -> bool:
    """``MIN_SECTIONS`` content sections with a usable sentence each; no news article or paper."""
    if len(names) < 2:
        return False
    content = {j for j, c in zip(section_of, candidate, strict=True) if c and _content_heading(names[j])}
    if len(content) < MIN_SECTIONS:
        return False
    from dataforge.lib.generate.classification import decide

    return decide(ctx.text, ctx.title).genre not in LEAD_GENRES


def _content_heading(name: str) -> bool:
    return not name or not (markup_heading(name) or names_nothing(name))


def stated_date(ctx: DocContext) -> str | None:
    """The full date (ISO day) a document writes near its top ("Rotterdam, 14 March 2024 -"):
    the day its "today" means. None when the opening states no such date."""
    head = ctx.text[:OPENING_CHARS]
    for pattern in _PATTERNS[:3]:
        found = pattern.search(head)
        if found:
            iso = normalize_date(found.group())
            if iso and len(iso) == 10:
                return iso
    return None


def place_deixis(text: str, day: str | None) -> str | None:
    """``text`` with its first "today"/"on Tuesday" followed by the date it means ("today (14
    March 2024)"); ``text`` unchanged without deixis; None when it has deixis ``day`` cannot place."""
    found = _DEIXIS.search(text)
    if found is None:
        return text
    iso = normalize_date(found.group(), day) if day else None
    if not iso or len(iso) != 10:
        return None
    year, month, dd = iso.split("-")
    months = "January February March April May June July August September October November December".split()
    when = f"{int(dd)} {months[int(month) - 1]} {year}"
    return f"{text[: found.end()]} ({when}){text[found.end() :]}"


def select_covering(
    texts: list[str],
    k: int,
    mat: np.ndarray,
    section_of: list[int],
    names: list[str],
    weak: np.ndarray,
    allowed: Callable[[list[int]], np.ndarray],
    budget: int,
    day: str | None,
) -> list[int]:
    """Indices (document order) of ``k - 1`` to ``k + 1`` sentences, one per section while
    uncovered content sections remain, largest sections first, closest to ``budget`` words.
    ``mat``: unit sentence rows; ``allowed(chosen)``: the sentences that may be added now."""
    n = len(texts)
    sec = np.array(section_of)
    words = np.array([len(t.split()) for t in texts])
    content = np.array([_content_heading(names[j]) for j in section_of]) & ~weak
    centroid = mat.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    score = mat @ (centroid / norm) if norm > 0 else np.zeros(n)
    share = np.zeros(n)
    total = max(int(words[content].sum()), 1)
    for j in set(section_of):
        members = (sec == j) & content
        if not members.any():
            continue
        mean = mat[members].mean(axis=0)
        mnorm = float(np.linalg.norm(mean))
        if mnorm > 0:
            score[members] += SECTION_CENTRAL * (mat[members] @ (mean / mnorm))
        cue = HEADING_CUE * (bool(_POINT_HEADING.search(names[j])) - bool(_BACKGROUND_HEADING.search(names[j])))
        share[sec == j] = COVER_WEIGHT * words[members].sum() / total + cue
    outcome = np.array([bool(_FIGURE.search(t) or _OUTCOME.search(t)) for t in texts])
    background = np.array([bool(_BACKGROUND.search(t)) for t in texts])
    unplaced = np.array([place_deixis(t, day) is None for t in texts])
    background &= ~outcome  # "NREC, headquartered in Rotterdam, today announced it has acquired ...": the point
    score += OUTCOME_BONUS * outcome - BACKGROUND_PENALTY * background - DEIXIS_PENALTY * unplaced
    first = int(np.argmax(content)) if content.any() else -1
    if first >= 0 and not background[first]:
        score[first] += LEAD_BONUS
    score = np.where(content, score, score - 5.0)  # apparatus sections and fragments: only when nothing else
    chosen: list[int] = []
    covered: set[int] = set()
    max_sim = np.zeros(n)
    spent = 0
    while len(chosen) < k + 1:
        ok = allowed(chosen)
        ok[chosen] = False
        fresh = ok & content & ~np.isin(sec, list(covered))
        if fresh.any():
            ok = fresh  # one sentence per section until every content section has one
        if not ok.any():
            break
        gain = np.round(score + np.where(np.isin(sec, list(covered)), 0.0, share) - 0.3 * max_sim, 6)
        gain[~ok] = -np.inf
        i = int(np.argmax(gain))
        if len(chosen) >= max(1, k - 1) and (not content[i] or abs(spent + words[i] - budget) >= abs(spent - budget)):
            break
        chosen.append(i)
        covered.add(int(sec[i]))
        spent += int(words[i])
        max_sim = np.maximum(max_sim, mat @ mat[i])
    return sorted(chosen)
