"""Spans the model ran together, cut before the entity vote (``entity_types.type_document``).

An organization or event head run into the next name ("Sky News Doaa"), a name the text writes
alone run into a full name ("team-mate Isco Gareth Bale"), an organization and its place ("X
Hospital in Cumbria"), a byline run into a dateline's place ("Yuri Kushko TAVILDARA, Tajikistan
1996-08-30") and a place name that took the first word of the next noun phrase ("Adelaide City
stores" beside "Myer City stores"), a nationality run into the person it describes ("Colombian
Camilo Villegas") and a person's possessive run into what is theirs ("Barrientos' Facebook").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from dataforge.lib.type_clues import _FUNCTION, event_name
from dataforge.lib.type_clues_news import byline_cut, place_word_tail


def merged_names(name: str, text: str, start: int, lower: frozenset[str], known_place: frozenset[str]) -> int:
    """Where a second name begins inside the span ``name`` (at ``text[start:]``), or 0: the model
    ran an organization or an event into the next name ("Sky News Doaa", "the Chinese Grand Prix
    Vettel"). A name ends at its head word (an organization or event word) when the words after it
    are a name the text also writes on its own, not only common words (``lower``: the text's
    lower-case words) and no place (``known_place``: "Police Scotland" is one name)."""
    from dataforge.lib.entity_words import ORG_WORDS

    words = name.split()
    offsets = [m.start() for m in re.finditer(r"\S+", name)]
    for k in range(1, len(words)):
        head, rest = words[k - 1], " ".join(words[k:])
        if (
            head.lower() not in ORG_WORDS
            and not event_name(" ".join(words[:k]))
            and not _team_and_person(words, k, text)
        ):
            continue
        if not rest[:1].isupper() or rest in known_place or all(w.lower() in lower | _FUNCTION for w in words[k:]):
            continue  # "Capital One": "one" is a common word
        for m in re.finditer(rf"(?<![\w-]){re.escape(rest)}(?![\w-])", text):
            before, after = text[max(0, m.start() - 30) : m.start()].split(), text[m.end() : m.end() + 30].split()
            inside = start <= m.start() < start + len(name)
            # on its own: no capitalised word right before or after ("Office" in "Home Office" is not)
            glued = before and before[-1][:1].isupper() and not before[-1].endswith((".", ",", ";", ":", "!", "?"))
            if not inside and not glued and not (after and after[0][:1].isupper()):
                return offsets[k]
    return 0


def person_run_in(name: str, text: str, start: int) -> int:
    """Where a full name begins inside the span ``name`` (at ``text[start:]``), or 0: a name the text
    writes alone, no first name itself, run into a first name and a surname the text also writes
    alone ("team-mate Isco Gareth Bale" beside "Isco is" and "Bale scored")."""
    words = name.split()
    offsets = [m.start() for m in re.finditer(r"\S+", name)]
    if not words[-1][:1].isupper() or not words[-1].isalpha():
        return 0
    for k in range(1, len(words) - 1):
        if any(not w[:1].isupper() or w.lower() in _FUNCTION for w in words[:k]):
            return 0  # "the Clarence J. Brown Dam": no name before the first name
        if _team_and_person(words, k, text) and _alone(words[-1], text, start, start + len(name)):
            return offsets[k]
    return 0


def _alone(word: str, text: str, start: int, end: int) -> bool:
    """Is ``word`` written outside ``text[start:end]`` with no capitalised word right before it?"""
    for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
        before = text[max(0, m.start() - 30) : m.start()].split()
        if not start <= m.start() < end and not (before and before[-1][:1].isupper() and before[-1][-1:].isalpha()):
            return True
    return False


def _team_and_person(words: list[str], k: int, text: str) -> bool:
    """ "for McLaren Fernando Alonso": a name the text writes alone ("McLaren"), no first name itself,
    run into a full name that opens with a first name ("Fernando Alonso")."""
    from dataforge.lib.entity_types import first_name_gender

    head = " ".join(words[:k])
    if len(words) - k < 2 or not first_name_gender(words[k]) or any(first_name_gender(w) for w in words[:k]):
        return False
    return (
        any(
            not (after := text[m.end() : m.end() + 30].split()) or not after[0][:1].isupper()
            for m in re.finditer(rf"(?<![\w-]){re.escape(head)}(?![\w-])", text)
        )
        and len(re.findall(rf"(?<![\w-]){re.escape(head)}(?![\w-])", text)) > 1
    )


_LOCATED = re.compile(r"^(?P<head>.*?\b(?P<word>\w+))\s+(?:in|at)\s+(?P<rest>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)$")


def located_in(name: str) -> tuple[int, int] | None:
    """Where the organization or facility ends and its place begins in a span that runs one into
    the other ("Furness General Hospital in Cumbria" -> (24, 28)), or None. The place must follow
    "in"/"at" after an organization or facility head word ("Sisters in Islam" stays whole)."""
    from dataforge.lib.entity_words import FAC_WORDS, ORG_WORDS

    match = _LOCATED.match(name)
    if not match or match.group("word").lower() not in ORG_WORDS | FAC_WORDS or " " not in match.group("head"):
        return None
    return match.end("head"), match.start("rest")


def nationality_cut(name: str, text: str, start: int) -> int:
    """Where the person begins in a span that opens with a nationality ("Colombian Camilo Villegas"
    -> 10), or 0: the word after the nationality is a first name, or the rest is a name the text
    also writes on its own ("American Express Bank" stays whole)."""
    from dataforge.lib.entity_types import first_name_gender
    from dataforge.lib.places import demonyms

    words = name.split()
    if len(words) < 2 or words[0] not in demonyms() or not words[1][:1].isupper():
        return 0
    offset = name.index(words[1], len(words[0]))
    rest = name[offset:]
    if first_name_gender(words[1]) and len(words) > 2:
        return offset
    return offset if len(words) > 2 and _alone(rest, text, start, start + len(name)) else 0


_POSSESSIVE = re.compile(r"^(?P<owner>.+?)(?:'s|’s|'|’)\s+(?P<rest>[A-Z].*)$")


def possessive_cut(name: str, people: frozenset[str]) -> tuple[int, int] | None:
    """Where the owner ends and the thing owned begins in a span such as "Barrientos' Facebook",
    or None: the owner must be a person of the document (``people``: their names and surnames),
    so "St Mary's Hospital" and "Becher's Brook" stay whole."""
    match = _POSSESSIVE.match(name)
    if not match or match.group("owner") not in people:
        return None
    return match.end("owner"), match.start("rest")


def split_merged(text: str, mentions: Sequence[dict[str, Any]], place: Any) -> list[dict[str, Any]]:
    """``mentions`` with a span that runs an organization or event into the next name cut in two:
    "Sky News Doaa" -> "Sky News" (ORG) + "Doaa" (PERSON, or the label spaCy gives it elsewhere)."""
    from dataforge.lib.nlp import ENTITY_LABELS
    from dataforge.lib.places import places

    lower = frozenset(re.findall(r"\b[a-z]+\b", text))
    alone = {m["text"]: m["label"] for m in mentions if m["label"] in ENTITY_LABELS}
    people = frozenset(
        form
        for m in mentions
        if m["label"] == "PERSON" and " " in m["text"]
        for form in (m["text"], m["text"].split()[-1])
    )
    out: list[dict[str, Any]] = []
    for m in mentions:
        nationality = nationality_cut(m["text"], text, m["start"]) if m["label"] in ENTITY_LABELS else 0
        if nationality:  # "Colombian Camilo Villegas": the nationality, then the person
            out.append(place(len(out), m["start"], m["text"].split()[0], "NORP"))
            out.append(place(len(out), m["start"] + nationality, m["text"][nationality:], "PERSON"))
            continue
        owned = possessive_cut(m["text"], people) if m["label"] in ENTITY_LABELS else None
        if owned:  # "Barrientos' Facebook": the person, then what is theirs
            (owner_end, rest_start), rest = owned, m["text"][owned[1] :]
            out.append(place(len(out), m["start"], m["text"][:owner_end], "PERSON"))
            out.append(place(len(out), m["start"] + rest_start, rest, alone.get(rest, m["label"])))
            continue
        cut = merged_names(m["text"], text, m["start"], lower, places()) if " " in m["text"] else 0
        located = located_in(m["text"]) if m["label"] in ENTITY_LABELS else None
        if located:  # "Furness General Hospital in Cumbria": the hospital, then its place
            (head_end, rest_start), rest = located, m["text"][located[1] :]
            out.append(place(len(out), m["start"], m["text"][:head_end], m["label"]))
            label = "GPE" if rest in places() else alone.get(rest, "GPE")
            out.append(place(len(out), m["start"] + rest_start, rest, label))
            continue
        keep = place_word_tail(m["text"], text, m["start"], m["end"], places()) if m["label"] == "GPE" else 0
        if keep:  # "Adelaide City stores" beside "Myer City stores": "City" opens the next noun phrase
            out.append(place(len(out), m["start"], m["text"][:keep], m["label"]))
            continue
        byline = byline_cut(m["text"], text, m["end"]) if m["label"] in ENTITY_LABELS else 0
        if byline:  # "Yuri Kushko TAVILDARA, Tajikistan 1996-08-30": the reporter, then the dateline's place
            out.append(place(len(out), m["start"], m["text"][:byline].rstrip(), m["label"]))
            out.append(place(len(out), m["start"] + byline, m["text"][byline:], "GPE"))
            continue
        person = person_run_in(m["text"], text, m["start"]) if m["label"] == "PERSON" and not cut else 0
        if person:  # two people: the one-word name keeps the label it has alone
            head, rest = m["text"][:person].rstrip(), m["text"][person:]
            out.append(place(len(out), m["start"], head, alone.get(head, "PERSON")))
            out.append(place(len(out), m["start"] + person, rest, "PERSON"))
            continue
        if not cut or m["label"] not in ENTITY_LABELS:
            out.append(m)
            continue
        head, rest = m["text"][:cut].rstrip(), m["text"][cut:]
        head_label = "EVENT" if event_name(re.sub(r"^(?:the|The)\s+", "", head)) else "ORG"
        out.append(place(len(out), m["start"], head, head_label))
        out.append(place(len(out), m["start"] + cut, rest, alone.get(rest, "PERSON")))
    return out
