"""Block roles of a cleaned text: which lines are markup or front matter, not running text.

Headings, table headers, list labels, bylines, datelines and boilerplate are not content: a
heading tagged ORG ("Metric"), or a headline glued to the first sentence ("... thefts Workers
at ... HOUSTON - Five employees"), must not become an entity, an answer or a summary sentence.
Every extractor renders structure as Markdown (HTML, DOCX) or keeps it as line layout (TXT,
PDF), so one pass over the final text finds the roles with exact offsets for every format:
Markdown syntax where present, line heuristics elsewhere. Blocks are ``{start, end, role}``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from dataforge.lib._structure_patterns import (
    _BOILERPLATE,
    _BOLD_LEAD,
    _BYLINE,
    _BYLINE_LEAD,
    _DATELINE,
    _DATELINE_LINE,
    _EMPHASIS,
    _FENCE,
    _FUNCTION,
    _GLUE,
    _LABEL,
    _LIST_MARK,
    _MD_HEADING,
    _OPENERS,
    _SETEXT_RULE,
    _SHARE_BAR,
    _SPEECH,
    _TABLE_RULE,
)

__all__ = [
    "NON_ENTITY_ROLES",
    "NON_SENTENCE_ROLES",
    "ROLES",
    "body_only",
    "detect_blocks",
    "front_matter",
    "outside_markup",
    "usable_title",
]

ROLES = "heading table_header table_cell list_label boilerplate title subtitle dateline byline caption".split()
# Table cells hold values (a name in a cell is a real mention) but never a sentence.
NON_ENTITY_ROLES = frozenset(ROLES) - {"table_cell"}
NON_SENTENCE_ROLES = frozenset(ROLES)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _words(line: str) -> list[str]:
    return line.split()


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?:;,][\"'\u201d\u2019)\]*_]*$", line.rstrip()))


def _heading_like(line: str, max_words: int = 14) -> bool:
    """A short line with a letter and no final punctuation, not a list item or table row."""
    s = _EMPHASIS.sub("", line.strip())
    words = _words(s)
    if not words or len(words) > max_words or len(s) > 120 or not re.search(r"[A-Za-z]", s):
        return False
    if _ends_sentence(s) or "|" in s or "\t" in s or _LIST_MARK.match(line) or not (s[0].isupper() or s[0].isdigit()):
        return False
    return True


def _title_case(line: str) -> bool:
    content = [w for w in _words(line) if w.lower() not in _FUNCTION]
    return bool(content) and sum(w[:1].isupper() or not w[:1].isalpha() for w in content) >= 0.8 * len(content)


def _numeric_row(line: str) -> bool:
    """A table row flattened to text: several numbers, no sentence punctuation at the end."""
    tokens = _words(line)
    numbers = [t for t in tokens if re.fullmatch(r"[-+(]?[$\u20ac\u00a3]?\d[\d.,]*%?\)?|n/a|-|\u2013", t)]
    return len(numbers) >= 2 and len(numbers) >= len(tokens) / 3 and not line.rstrip().endswith(".")


def _add(blocks: list[dict[str, Any]], start: int, end: int, role: str) -> None:
    if end > start:
        blocks.append({"start": start, "end": end, "role": role})


def _markdown(text: str, lines: list[tuple[int, int]], roles: dict[int, str], blocks: list[dict[str, Any]]) -> None:
    """Headings, tables and labels written in Markdown (also what HTML and DOCX become)."""
    fenced = False
    i = 0
    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or not line.strip():
            i += 1
            continue
        nxt = text[lines[i + 1][0] : lines[i + 1][1]] if i + 1 < len(lines) else ""
        if _MD_HEADING.match(line):
            roles[i] = "heading"
        elif nxt and _SETEXT_RULE.match(nxt) and "|" not in line and not _LIST_MARK.match(line):
            roles[i] = roles[i + 1] = "heading"
            i += 1
        elif line.lstrip().startswith("|"):
            j = i
            while j < len(lines) and text[lines[j][0] : lines[j][1]].lstrip().startswith("|"):
                j += 1
            rule = i + 1 < j and _TABLE_RULE.match(nxt)
            for k in range(i, j):
                roles[k] = "table_header" if rule and k <= i + 1 else "table_cell"
            i = j
            continue
        elif re.fullmatch(r"\s*(\*\*|__)[^*_]+\1\s*", line):
            roles[i] = "heading"  # a bold-only line is a heading or subtitle
        i += 1


def _labels(text: str, lines: list[tuple[int, int]], roles: dict[int, str], blocks: list[dict[str, Any]]) -> None:
    """The 'Label:' or '**Label**' opening a line of body text."""
    for i, (s, e) in enumerate(lines):
        if i in roles:
            continue
        line = text[s:e]
        m = _LABEL.match(line)
        if m and _is_label_line(line):
            _add(blocks, s + m.start("label"), s + m.end("label"), "list_label")
            if i < 12 and re.fullmatch(r"(?:\*\*)?(?:Subject|Re|Title|Headline)\s*:(?:\*\*)?", m.group("label")):
                if not any(r == "title" for r in roles.values()):  # a memo's subject line is its title
                    _add(blocks, s + m.end(), e, "title")
            continue
        m = _BOLD_LEAD.match(line)
        if m:
            _add(blocks, s + m.start("label"), s + m.end("label"), "list_label")


def _is_label_line(line: str) -> bool:
    m = _LABEL.match(line)
    words = m.group("label").strip("*_: ").lower().split() if m else []
    opener = len(words) > 1 and words[0] in _OPENERS  # "With the new Avengers: Age of Ultron"
    if words and words[-1] not in _SPEECH and not opener and "," not in m.group("label"):
        return True
    return bool(_BOLD_LEAD.match(line)) and ":" in line[:100]


def _line_role(line: str) -> str | None:
    """Front-matter and furniture lines recognised by their wording alone."""
    s = _EMPHASIS.sub("", line.strip()).strip()
    if not s:
        return None
    if len(s) <= 120 and _BOILERPLATE.fullmatch(s):
        return "boilerplate"
    if len(s) <= 140 and _BYLINE.fullmatch(s) and not _ends_sentence(s.rstrip(".")):
        return "byline"
    if len(s) <= 80 and _DATELINE_LINE.fullmatch(s):
        return "dateline"
    return None


def _plain(text: str, lines: list[tuple[int, int]], roles: dict[int, str]) -> None:
    """Headings and flattened tables of line-laid-out text (TXT, PDF)."""
    long_lines = sorted(e - s for s, e in lines if e - s >= 40)
    width = long_lines[len(long_lines) // 2] if long_lines else 80
    for i, (s, e) in enumerate(lines):
        if i in roles or not text[s:e].strip():
            continue
        line = text[s:e]
        role = _line_role(line)
        if role:
            roles[i] = role
            continue
        if _is_label_line(line):
            continue
        if _numeric_row(line):
            roles[i] = "table_cell"
            continue
        prev = text[lines[i - 1][0] : lines[i - 1][1]] if i > 0 else ""
        nxt = text[lines[i + 1][0] : lines[i + 1][1]].strip() if i + 1 < len(lines) else None
        if nxt is None or not _heading_like(line):
            continue
        standalone = not prev.strip() and not nxt
        if not standalone:
            # PDF layout: no blank lines, so a heading is a short line between paragraphs
            prev_closed = not prev.strip() or _ends_sentence(prev) or (i - 1) in roles
            prev_closed = prev_closed or (_heading_like(prev) and len(prev) < 0.7 * width)
            opens = not nxt or nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in "\"'\u201c#|"
            short = e - s < 0.7 * width or not prev.strip()
            if not (prev_closed and opens and short) or _words(line)[-1] in _FUNCTION:
                continue
        roles[i] = "heading"
    # a run of flattened table rows: its first row, or the short line above it, names the columns
    for i in sorted(k for k, r in roles.items() if r == "table_cell"):
        if roles.get(i - 1) in ("table_cell", "table_header"):
            continue
        prev = text[lines[i - 1][0] : lines[i - 1][1]] if i > 0 else ""
        before = text[lines[i - 2][0] : lines[i - 2][1]] if i > 1 else ""
        standalone = not before.strip() or _ends_sentence(before) or roles.get(i - 2) == "heading"
        if prev.strip() and roles.get(i - 1) in (None, "heading") and standalone and 2 <= len(_words(prev)) <= 10:
            roles[i - 1] = "table_header"
        elif not _ends_sentence(prev) and roles.get(i - 1) is None and prev.strip():
            continue  # a wrapped row label above: the row goes on, no header here
        elif all(re.fullmatch(r"(?:19|20)\d\d", t) for t in _words(text[lines[i][0] : lines[i][1]]) if t[:1].isdigit()):
            roles[i] = "table_header"  # "Indicator 2023 2022 Change": the years name the columns


def _front(text: str, lines: list[tuple[int, int]], roles: dict[int, str], title: str | None) -> None:
    """The lines above the body: title, subtitle, byline, dateline, masthead."""
    want = " ".join((title or "").split()).lower()
    seen_title = seen_subtitle = False
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if not line.strip():
            continue
        role = roles.get(i)
        plain = _EMPHASIS.sub("", line.strip().lstrip("# ").strip())
        if role in ("byline", "dateline", "boilerplate"):
            continue
        if role is None and _is_label_line(line):
            return  # memo fields ("To:", "Date:"): the subject line titles it (_labels)
        nxt = text[lines[i + 1][0] : lines[i + 1][1]].lstrip() if i + 1 < len(lines) else ""
        wrapped = nxt[:1].islower() or _words(plain)[-1] in _FUNCTION
        md_level = len(line.lstrip()) - len(line.lstrip().lstrip("#")) if _MD_HEADING.match(line) else 0
        if role not in ("heading",) and not (_heading_like(line, 25) and not _numeric_row(line)):
            return  # the body starts here
        if md_level > 1 and seen_title:
            return  # "## Summary": the first section, not front matter
        if not seen_title and re.fullmatch(r"(?i)(?:table\s+of\s+)?contents", plain):
            return  # a table of contents opens the document: no headline to find
        if not seen_title:
            if wrapped and not (want and want.startswith(plain.lower())):
                return  # the first line of a wrapped paragraph, not a headline
            if (
                plain.isupper()
                and len(_words(plain)) <= 5
                and i + 1 < len(lines)
                and not want.startswith(plain.lower())
            ):
                roles[i] = "boilerplate"  # a masthead ("OFFSHORE ENERGY WEEKLY") above the headline
                continue
            roles[i] = "title"
            seen_title = True
            joined = plain.lower()
            # a headline wrapped over two lines (PDF), or continued after a function word
            while i + 1 < len(lines) and (
                (want and want.startswith(joined) and want != joined) or _words(joined)[-1] in _FUNCTION
            ):
                i += 1
                s2, e2 = lines[i]
                if not text[s2:e2].strip():
                    break
                roles[i] = "title"
                joined += " " + text[s2:e2].strip().lower()
            continue
        words = _words(plain)
        sentence_like = len(words) >= 6 and not _title_case(plain)
        if (
            not seen_subtitle
            and not wrapped
            and (sentence_like or md_level == 0 and role == "heading" and line.strip()[:2] in ("**", "__"))
        ):
            roles[i] = "subtitle"
            seen_subtitle = True
            continue
        if role is None:
            return  # a short title-case line glued under the title: a section heading, body follows
        return


def _glued_lead(text: str) -> tuple[int, int, str] | None:
    """A dateline, byline, share bar or caption glued to the first sentence of a paragraph."""
    m = _SHARE_BAR.match(text)
    if m:
        return 0, m.end(), "boilerplate"
    m = _BYLINE_LEAD.match(text)
    if m and m.end() > 0:
        return 0, m.end(), "byline"
    m = _DATELINE.match(text)
    if m and m.end() > 0:
        return 0, m.end(), "dateline"
    first = re.search(r"[.!?][\"'\u201d\u2019]?\s+(?=[A-Z\"'\u201c\u2018])", text[:600])
    head = text[: first.start() if first else min(len(text), 400)]
    if "\n" in head:
        return None
    for g in _GLUE.finditer(head):
        before = head[: g.start()].split()
        if len(before) < 5 or before[-1].lower() in _FUNCTION or len(head[g.end() :].split()) < 4:
            continue
        return 0, g.start(), "caption"
    return None


def _furniture(line: str) -> bool:
    """Could be a running head or footer: letters, and no sentence break inside."""
    return bool(re.search(r"[A-Za-z]{2}", line)) and not re.search(r"[.!?]\s", line)


def _repeated(text: str, lines: list[tuple[int, int]], roles: dict[int, str]) -> None:
    """Short lines that recur within the document (running heads a PDF kept) are furniture."""
    counts = Counter(text[s:e].strip() for s, e in lines)
    for i, (s, e) in enumerate(lines):
        line = text[s:e].strip()
        if i not in roles and counts[line] >= 3 and 2 <= len(_words(line)) <= 12 and _furniture(line):
            roles[i] = "boilerplate"


def detect_blocks(text: str, title: str | None = None) -> list[dict[str, Any]]:
    """Non-body blocks of ``text`` (cleaned), sorted by start; ``title`` = a known metadata title."""
    if not text:
        return []
    lines = _lines(text)
    roles: dict[int, str] = {}
    blocks: list[dict[str, Any]] = []
    _markdown(text, lines, roles, blocks)
    _plain(text, lines, roles)
    _repeated(text, lines, roles)
    _front(text, lines, roles, title)
    _labels(text, lines, roles, blocks)
    for i, role in roles.items():
        s, e = lines[i]
        while s < e and text[s].isspace():
            s += 1
        _add(blocks, s, e, role)
    body = next(
        (lines[i] for i in range(len(lines)) if i not in roles and text[lines[i][0] : lines[i][1]].strip()), None
    )
    if body is not None:
        s, e = body
        lead = _glued_lead(text[s:])
        if lead:
            _add(blocks, s + lead[0], s + lead[1], lead[2])
            if lead[2] != "caption":  # "(CNN)" or a byline, then a caption glued after it
                rest = _glued_lead(text[s + lead[1] :])
                if rest and rest[2] == "caption":
                    _add(blocks, s + lead[1] + rest[0], s + lead[1] + rest[1], "caption")
    return sorted(blocks, key=lambda b: (b["start"], b["end"], b["role"]))


def front_matter(text: str, blocks: Iterable[dict[str, Any]]) -> dict[str, str | None]:
    """Title, subtitle, dateline and byline text found among the blocks (None where absent)."""
    out: dict[str, list[str]] = {"title": [], "subtitle": [], "dateline": [], "byline": []}
    for b in blocks:
        if b["role"] in out:
            piece = _EMPHASIS.sub("", text[b["start"] : b["end"]].strip().lstrip("#").strip()).strip()
            out[b["role"]].append(piece.rstrip(" -\u2013\u2014").strip())
    return {k: " ".join(v) or None for k, v in out.items()}


def _spans(blocks: Iterable[dict[str, Any]] | None, roles: frozenset[str]) -> list[tuple[int, int]]:
    return sorted((int(b["start"]), int(b["end"])) for b in blocks or () if b.get("role") in roles)


def _body_pieces(text: str, start: int, end: int, cut: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """text[start:end] minus the cut spans, each piece trimmed; pieces without a word dropped."""
    pieces, pos = [], start
    for s, e in cut:
        if e <= pos or s >= end:
            continue
        pieces.append((pos, max(pos, s)))
        pos = max(pos, e)
    pieces.append((pos, end))
    out = []
    for s, e in pieces:
        while s < e and (text[s].isspace() or text[s] in "-\u2013\u2014|"):
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and re.search(r"\w", text[s:e]):
            out.append((s, e))
    return out


def outside_markup(mentions: list[dict[str, Any]], blocks: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Mentions outside headings, labels and front matter (the mention stage's filter)."""
    cut = _spans(blocks, NON_ENTITY_ROLES)
    if not cut:
        return mentions
    return [m for m in mentions if not any(s < m["end"] and m["start"] < e for s, e in cut)]


def body_only(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: list[dict[str, Any]],
    blocks: list[dict[str, Any]] | None,
) -> tuple[list[tuple[int, int]], list[dict[str, Any]]]:
    """Sentences cut to their body part and mentions outside markup, for example generation.

    A sentence inside a heading, table or front matter is dropped; one that a headline or
    dateline runs into keeps only its body part, and each kept mention's sentence span is
    narrowed to the same piece, so no answer, summary or turn quotes the glued headline.
    """
    cut = _spans(blocks, NON_SENTENCE_ROLES)
    if not cut:
        return sentences, mentions
    pieces = sorted({p for s, e in sentences for p in _body_pieces(text, s, e, cut)})
    kept = []
    for m in outside_markup(mentions, blocks):
        s, e = m.get("sentence_start"), m.get("sentence_end")
        if isinstance(s, int) and isinstance(e, int) and s <= m["start"] and m["end"] <= e:
            inside = [p for p in _body_pieces(text, s, e, cut) if p[0] <= m["start"] and m["end"] <= p[1]]
            if not inside:
                continue  # only in a table cell: a value, never an answer sentence
            m = {**m, "sentence_start": inside[0][0], "sentence_end": inside[0][1]}
        kept.append(m)
    return pieces, kept


_JUNK_TITLE = re.compile(r"(?i)^(?:untitled|document\d*|microsoft \w+ - .*|.*\.(?:docx?|pdf|txt|md|html?|indd|tex))$")


def usable_title(title: Any) -> bool:
    """A real title: not empty, not a file name or an authoring tool's placeholder."""
    return isinstance(title, str) and bool(title.strip()) and not _JUNK_TITLE.match(title.strip())
