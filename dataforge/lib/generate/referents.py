"""Referents for questions and turns: pronouns replaced by their antecedent, or nothing.

A question or an assistant turn has to make sense on its own, without the sentence before
it. The coreference chains of the document (silver ``document_coref``, in ``DocContext.coref``)
say who "he", "its" or "the company" is; where they do not, the generators skip the example
rather than ship a question about an unknown "he".
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from dataforge.lib.generate.answer_check import type_backed
from dataforge.lib.generate.common import DocContext
from dataforge.lib.generate.lexicon import PREPS, VALUE_LABELS
from dataforge.lib.generate.question_check import deictic_day, deictic_time
from dataforge.lib.quality.signals import THIRD, first_second_person, placeable_date

_POSSESSIVE = frozenset({"his", "its", "their", "hers", "theirs"})
_MASC_FEM = frozenset("he him his himself she her hers herself".split())
_NEUTER = frozenset("it its itself".split())
_MASC = frozenset("he him his himself".split())
_FEM = frozenset("she her hers herself".split())
_OBJECTS = frozenset("him them it".split())  # "her" is either: told apart by what follows (``_form``)
# "it" that refers to nothing: "when it comes to ...", "it is hard to ..."
_EXPLETIVE = re.compile(r"\bit (?=comes to\b|(?:is|was|seems|seemed|appears|appeared) (?:\w+ )?(?:to|that)\b)", re.I)
_PLURAL_VERBS = frozenset("are were have do don't aren't weren't haven't 're 've".split())
_CONNECTIVE = re.compile(
    r"^(but|and|so|also|however|meanwhile|moreover|furthermore|additionally|instead|still|yet|then|thus|"
    r"therefore|besides|nevertheless|nonetheless|likewise|similarly|otherwise|indeed|in addition|"
    r"as a result|by contrast|in contrast|at the same time)\b,?\s+",
    re.I,
)
_DEMONSTRATIVE = re.compile(r"^(this|these|that|those|such|the (move|deal|decision|plan|change|news))\b", re.I)


def _agrees(pronoun: str, root: dict[str, Any]) -> bool:
    """he/she for people, it for things, they for either."""
    p = pronoun.lower()
    if p in _MASC_FEM:
        return root["label"] == "PERSON"
    if p in _NEUTER:
        return root["label"] != "PERSON"
    return True


def _form(pronoun: str, name: str, following: str) -> str:
    """The name in the pronoun's grammatical slot: "its" -> "NREC's"."""
    p = pronoun.lower()
    nxt = re.match(r"\s*([A-Za-z]+)", following)
    possessive = p in _POSSESSIVE or (
        p == "her" and nxt is not None and nxt.group(1).lower() not in PREPS and nxt.group(1)[:1].islower()
    )
    if possessive:
        return name + ("'" if name.endswith("s") else "'s")
    return name


def _chain(ctx: DocContext, s0: int, s1: int) -> list[tuple[int, int, dict[str, Any]]]:
    return sorted((s, e, root) for (s, e), root in ctx.coref.items() if s0 <= s and e <= s1)


def _name(root: dict[str, Any]) -> str:
    return " ".join(str(root["text"]).split())


def _gender(word: str) -> str | None:
    w = word.lower()
    return "m" if w in _MASC else "f" if w in _FEM else None


def _unreliable(ctx: DocContext, s0: int) -> set[tuple[int, int]]:
    """Pronoun spans of a sentence (starting at ``s0``) whose chain cannot be trusted: the
    pronoun is not of its chain's main gender (a "he" among "she"s is someone else), or another person is
    named earlier in the sentence (the pronoun may be theirs: "X is another celebrity who
    faced criticism about her weight")."""
    genders: dict[tuple[int, int], Counter[str]] = {}
    for (s, e), root in ctx.coref.items():
        g = _gender(ctx.text[s:e])
        if g:
            genders.setdefault((root["start"], root["end"]), Counter())[g] += 1
    out = set()
    people = [m for m in getattr(ctx, "mentions", []) if m["label"] == "PERSON" and m["start"] >= s0]
    for (s, e), root in ctx.coref.items():
        g = _gender(ctx.text[s:e])
        if s < s0 or not g:
            continue
        counts = genders.get((root["start"], root["end"]), Counter())
        if counts[g] * 2 <= sum(counts.values()):
            out.add((s, e))  # not the chain's main gender: "he" in a chain of "she"s is someone else
            continue
        name = _name(root)
        for m in people:
            other = " ".join(m["text"].split())
            if m["end"] <= s and not (other in name or name in other) and ctx.text.rfind(".", m["end"], s) < 0:
                out.add((s, e))
    return out


def _nearest(ctx: DocContext, at: int, root: dict[str, Any]) -> bool:
    """The chain's name is the last one of its type named before ``at``: a definite description
    ("the company") reads as the latest such name, whatever the chain says."""
    starts = getattr(ctx, "_mention_starts", None) or [m["start"] for m in ctx.mentions]
    i = bisect.bisect_left(starts, at)
    for m in reversed(ctx.mentions[:i]):
        if m["label"] == root["label"] and m["end"] <= at:
            name, other = _name(root), " ".join(m["text"].split())
            return other in name or name in other or _alias(ctx, name, other)
    return True


def _alias(ctx: DocContext, a: str, b: str) -> bool:
    """An alias_of relation of the document links the two names ("NREC" of "Northwind ...")."""
    pair = {a, b}
    return any(
        r.get("relation") == "alias_of" and {" ".join(str(r["head"]).split()), " ".join(str(r["tail"]).split())} == pair
        for r in getattr(ctx, "relations", [])
    )


def resolve_question(ctx: DocContext, question: str, s0: int, s1: int) -> str | None:
    """``question`` (made from text[s0:s1]) with each pronoun and "the company" replaced by
    the name its chain in that sentence ends in; None when one has no single, agreeing
    antecedent or when the question speaks in the first or second person."""
    if first_second_person(question):
        return None
    out = question
    chain = _chain(ctx, s0, s1)
    doubtful = _unreliable(ctx, s0) if chain else set()
    by_text: dict[str, set[tuple[int, int, str, str]]] = {}
    for s, e, root in chain:
        key = " ".join(ctx.text[s:e].lower().split())
        if (s, e) in doubtful and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", out, re.I):
            return None
        if not type_backed(root, getattr(ctx, "lower_words", frozenset()), {}) and re.search(
            rf"(?<!\w){re.escape(key)}(?!\w)", out, re.I
        ):
            return None  # "his best form" -> "Manchester United's" (a club the NER called a person)
        if " " in key and not _nearest(ctx, s, root) and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", out, re.I):
            return None  # "The company employs 500 people" after NREC was named: not the HMP of the chain
        by_text.setdefault(key, set()).add((root["start"], root["end"], _name(root), root["label"]))
    for key in sorted((k for k in by_text if " " in k), key=len, reverse=True):  # "the company"
        pattern = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)(?! of (?-i:[A-Z]))", re.I)  # not "the city of Berlin"
        if pattern.search(out):
            if len(by_text[key]) != 1:
                return None
            out = pattern.sub(next(iter(by_text[key]))[2], out)
    pieces, last, placed = [], 0, set()
    expletive = {m.start() for m in _EXPLETIVE.finditer(out)}
    for m in THIRD.finditer(out):
        word = m.group(1)
        if m.start() in expletive:
            continue
        roots = by_text.get(word.lower(), set())
        if len(roots) != 1:
            return None
        _, _, name, label = next(iter(roots))
        if not _agrees(word, {"label": label}):
            return None
        bound = name in placed or re.search(rf"(?<!\w){re.escape(name)}(?!\w)", out[: m.start()])
        if word.lower().endswith(("self", "selves")) and not bound:
            return None  # "the city of Berlin itself" is no "the Berlin City Museum": a reflexive is its clause's
        if bound:
            if word.lower() in _OBJECTS or (word.lower() == "her" and _form(word, name, out[m.end() :]) == name):
                return None  # "Does Bloomberg compare him ...": an object pronoun is never its own clause's subject
            continue  # bound by the name earlier: "Where does Okafor live with her family?", not "Okafor's family"
        before, after = out[: m.start()].split(), out[m.end() :].split()
        neighbours = {w.lower().strip(",?") for w in before[-1:] + after[:1]}
        if word.lower() in ("they", "them", "their") and neighbours & _PLURAL_VERBS:
            return None  # "are they": the name would need another verb form
        pieces += [out[last : m.start()], _form(word, name, out[m.end() :])]
        placed.add(name)
        last = m.end()
    out = "".join(pieces) + out[last:]
    return out[:1].upper() + out[1:]


def standalone(ctx: DocContext, s0: int, s1: int) -> str | None:
    """Text[s0:s1] as a turn that stands on its own: a leading connective dropped, pronouns
    before the first name replaced by their antecedent; None when that is not possible or the
    sentence speaks as the source ("we", "our") outside a quotation."""
    raw = ctx.text[s0:s1]
    if (
        len(raw.split()) > 55
        or first_second_person(raw)
        or raw.count('"') % 2
        or raw.count("\u201c") != raw.count("\u201d")
    ):
        return None  # the source's voice, or a quotation cut by the sentence splitter
    names = [m for m in ctx.mentions_within(s0, s1) if m["label"] not in VALUE_LABELS]
    first_name = min((m["start"] for m in names), default=s1)
    edits: list[tuple[int, int, str]] = []
    spelled: set[str] = set()
    lead = _CONNECTIVE.match(raw)
    begin = s0 + (lead.end() if lead else 0)
    for s, e, root in _chain(ctx, begin, s1):
        if s >= first_name:
            break
        word = ctx.text[s:e]
        if " " not in word and not _agrees(word, root):
            return None
        # "He said his troops ...": once the name stands in for "He", "his" after it means the name
        edits.append((s, e, word if _name(root) in spelled else _form(word, _name(root), ctx.text[e:s1])))
        spelled.add(_name(root))
    covered = {(s, e) for s, e, _ in edits}
    for m in THIRD.finditer(ctx.text, begin, first_name):
        if (m.start(), m.end()) not in covered:
            return None
    pieces, last = [], begin
    for s, e, rep in edits:
        pieces += [ctx.text[last:s], rep]
        last = e
    text = " ".join(("".join(pieces) + ctx.text[last:s1]).split())
    if not edits and _DEMONSTRATIVE.match(text):
        return None  # "This follows ...": refers to a sentence left out
    if re.match(r"the (company|firm|group|club|bank|agency|institute|programme|project)\b", text, re.I):
        return None  # a definite description the chains did not resolve
    text = with_dates(ctx, text, s0, s1)
    return text[:1].upper() + text[1:] if text else None


def place_date(text: str, document_date: str | None, ahead: bool = False) -> str | None:
    """A date a reader can place: ``text`` itself when it names a year, else ``text``
    resolved against the document's date by dateparser ("Tuesday" -> "10 March 2015", the
    latest one up to the date; with ``ahead``, of a clause about what will happen, the next one);
    None without a document date or when dateparser cannot resolve it."""
    if placeable_date(text):
        return text
    if not document_date:
        return None
    import dateparser

    base = dateparser.parse(document_date, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    if base is None:
        return None
    weekday = _WEEKDAY_NAMES.get(text.strip().lower())
    if weekday is not None:  # the latest such day up to the date, the day itself included (the timeline's rule)
        gap = (weekday - base.weekday()) % 7 if ahead else -((base.weekday() - weekday) % 7)
        found = base + timedelta(days=gap)
        return None if ahead and gap == 0 else f"{found.day} {found:%B %Y}"
    prefer = "future" if ahead else "past"
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False}
    found = dateparser.parse(text, languages=["en"], settings=settings)
    if not isinstance(found, datetime):
        return None
    if re.fullmatch(rf"(in |early |late |mid-)?{_MONTHS}", text.strip(), re.I):
        return f"{found:%B %Y}"  # a month: its year, not an invented day
    return f"{found.day} {found:%B %Y}"


_WEEKDAY_NAMES = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_MONTHS = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_DAYS = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday)"
_PLACEABLE = re.compile(rf"({_DAYS}|{_MONTHS})", re.I)


def with_dates(ctx: DocContext, text: str, s0: int, s1: int) -> str:
    """``text`` (text[s0:s1], possibly rewritten) with each bare weekday or month that the
    document's date resolves followed by that date: "on Tuesday (10 March 2015)"."""
    if not ctx.date:
        return text
    for m in ctx.mentions_within(s0, s1):
        surface = m["text"]
        if m["label"] != "DATE" or not _PLACEABLE.fullmatch(surface) or surface not in text:
            continue
        before = ctx.text[max(0, m["start"] - 80) : m["start"]]
        if _NAMED_DAY.search(before):
            continue  # "Super Tuesday", "Black Friday": a day's name, not last Tuesday
        placed = place_date(surface, ctx.date, _future_clause(before))  # None: "will meet on Monday" on a Monday
        if placed and placed != surface:
            text = re.sub(rf"(?<!\w){re.escape(surface)}(?!\w)", f"{surface} ({placed})", text, count=1)
    return text


_NAMED_DAY = re.compile(r"\b(?:Super|Black|Cyber|Good|Ash|Easter|Shrove|Holy|Maundy|Palm|Bloody|Giving|Boxing)\s+$")
# the last verb before a weekday says which way it points: "will meet on", "is due to open on" look
# ahead; "said on", "met on", "will be held on" (a participle after "be") do not change that
_AHEAD = (
    r"\b(?:will|won't|'ll|shall|is to|are to|due to|set to|scheduled to|plans? to|going to|next|ahead of|upcoming)\b"
)
_BACK = r"\b(?:said|says|told|announced|was|were|had|did|\w{3,}ed)\b"


def _future_clause(before: str) -> bool:
    """The clause before a weekday is about what will happen: its last tense word looks ahead."""
    clause = re.split(r"[.;!?]|\bthat\b|,\s(?:and|but)\b", before)[-1]
    clause = re.sub(r"\b(?:be|been|being)\s+\w+ed\b", "be", clause, flags=re.I)  # "will be held": still ahead
    marks = [(m.start(), True) for m in re.finditer(_AHEAD, clause, re.I)]
    marks += [(m.start(), False) for m in re.finditer(_BACK, clause, re.I)]
    return bool(marks) and max(marks)[1]


_NUMBERED = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|million|"
    r"billion|dozen|first|second|third|most|least|record)\b",
    re.I,
)


def dated(question: str, document_date: str | None) -> str | None:
    """``question`` with a weekday, "yesterday" or "last night" replaced by the date the document's
    date gives it ("on Sunday" -> "on 12 April 2015"). A time only the article places ("on Sunday"
    without a date, "this season") is cut from a question about who or what did something
    ("Who was arrested at the border on Friday?" -> "... at the border?"); a count, an amount, a
    rank or a time asked within it depends on it: None ("How many vendors came on Saturday?")."""
    for _ in range(3):
        found = deictic_time(question)
        if found is None:
            return question
        phrase = found.group()
        placed = None
        if deictic_day(found) and document_date:
            prep = re.match(r"(since|until|by) ", phrase)
            day = re.sub(r"^(on|last|this|next|since|until|by) ", "", phrase)
            day = "yesterday" if phrase.endswith("last night") else day
            placed = place_date(re.sub(r" (morning|afternoon|evening|night)$", "", day), document_date)
            placed = f"{prep.group(1) if prep else 'on'} {placed}" if placed and placeable_date(placed) else None
        if placed is None:
            if re.match(r"(since |until |by )?(when|how)\b", question, re.I) or _NUMBERED.search(question):
                return None
            head = question[: found.start()].rstrip()
            if re.match(r"(since|until|by) ", phrase) or re.search(r"\b(since|until|by)$", head):
                return None  # a bound of the time asked about: "Who has led since Monday?"
            # "early Tuesday morning" cut leaves no "early" behind (ecbt audit: "... charge early by the Patrol?")
            head = re.sub(r"(?:,|\b(?:on|in|over|during|for|from|earlier|later|early|late))$", "", head)
            question = f"{head.rstrip()} {question[found.end() :].lstrip()}".replace(" ?", "?").replace("  ", " ")
        else:
            question = question[: found.start()] + placed + question[found.end() :]
    return None
