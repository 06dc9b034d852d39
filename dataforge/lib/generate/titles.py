"""A document's title as a reader writes it: a wire service's all-caps headline in sentence case.

Reuters and AP headlines come in capitals with a section tag ("SOCCER - IRISH ERASE MEMORIES OF
LAST DEFEAT"). Copied as the answer of "Suggest a title" or into a system prompt, they teach a
model to shout. Each word takes the case the document itself gives it: a word of a name the
document tags keeps the name's capitals (Irish, All Blacks), a word the body writes in lower case
is lower case, an acronym the body writes in capitals stays (IPO); every other word is lower case.
"""

from __future__ import annotations

import re
from typing import Any

# "CRICKET - ", "RUGBY UNION - ", "NFL AMERICAN FOOTBALL - ": at most three capitalised words before " - "
_SECTION_TAG = re.compile(  # "NFL AMERICAN FOOTBALL-RANDALL ...": two or more words may lose the spaces
    r"^(?:[A-Z][A-Z&/.]*(?: [A-Z][A-Z&/.]*){0,2}\s+-\s+|[A-Z][A-Z&/.]*(?: [A-Z][A-Z&/.]*){1,2}-(?=[A-Z]))"
)
_FUNCTION_WORDS = set("a an the of and or for in on at to by with from de la le van von".split())
_CALENDAR = {
    w.lower(): w
    for w in "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July"
    " August September October November December".split()
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.]*[A-Za-z]|[A-Za-z]")
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}


def is_shouted(title: str) -> bool:
    """Four in five letters are capitals, over at least three words: a wire headline, not an acronym."""
    letters = [c for c in title if c.isalpha()]
    words = _WORD.findall(title)
    return len(words) >= 3 and len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def readable_title(title: str, text: str, mentions: list[dict[str, Any]], lower_words: frozenset[str]) -> str:
    """``title`` unchanged unless it is shouted; then without its section tag, in sentence case
    with each word cased as the document cases it (see the module docstring)."""
    title = " ".join(title.split())
    if not is_shouted(title):
        return title
    title = _SECTION_TAG.sub("", title)
    name_forms: dict[str, str] = {}
    name_mates: dict[str, set[str]] = {}  # a name word -> the other words of the names it is in
    for m in mentions:
        if m.get("label") in _NAME_LABELS:
            words = _WORD.findall(m.get("text", ""))
            for word in words:
                # "PAKISTAN" of a dateline is no form of the name; "The" of "The Hague" is no name word
                if (not word.isupper() or len(word) == 1) and word.lower() not in _FUNCTION_WORDS:
                    name_forms.setdefault(word.lower(), word)
                    name_mates.setdefault(word.lower(), set()).update(w.lower() for w in words if w != word)
    body_forms = mid_sentence_forms(text)
    title_words = [w.lower() for w in _WORD.findall(title)]

    def cased(match: re.Match[str]) -> str:
        word, owner = re.subn(r"['’][sS]$", "", match.group())  # "THURSDAY'S": the day, then "'s"
        at = len(_WORD.findall(title[: match.start()]))
        beside = set(title_words[max(0, at - 1) : at]) | set(title_words[at + 1 : at + 2])
        return case_word(word, beside) + (match.group()[len(word) :].lower() if owner else "")

    def case_word(word: str, beside: set[str]) -> str:
        low = word.lower()
        if low == "v":
            return "v"  # "ENGLAND V PAKISTAN": versus
        mates = name_mates.get(low, set())
        if low in name_forms and low in lower_words and mates and not mates & beside:
            return low  # "TEAMS OPEN ON ROAD": the verb, not the "Open" of "U.S. Open" (aidas audit)
        if low in name_forms:
            return name_forms[low]
        if low not in lower_words and low in body_forms:
            return body_forms[low]
        if len(word) == 1:
            return "a" if word == "A" else word  # "U-21", "I"
        return _CALENDAR.get(low, low)

    recased = _WORD.sub(cased, title)
    return recased[:1].upper() + recased[1:]


def mid_sentence_forms(text: str) -> dict[str, str]:
    """The capitalised forms the body writes after a lower-case word ("said the IPO", "beat the All
    Blacks"): not a sentence start, not a dateline, not a line in capitals."""
    forms: dict[str, str] = {}
    for line in text.splitlines():
        if is_shouted(line):
            continue
        previous, previous_end = "", 0
        for m in _WORD.finditer(line):
            word = m.group()
            if word[0].isupper() and any(c.islower() for c in previous) and not previous.endswith("."):
                # not after a dateline's date: "England 1996-08-31 Scoreboard of the ..." (aidas audit)
                if not line[: m.start()].rstrip().endswith((".", "!", "?", ":")) and not re.search(
                    r"\d", line[previous_end : m.start()]
                ):
                    forms.setdefault(word.lower(), word)
            previous, previous_end = word, m.end()
    return forms
