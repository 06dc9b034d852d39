"""The per-example defect detectors the quality gate scores with (QUALITY.md's fail patterns).

A thin adapter: the gate and the release signals call only the functions of this module.
Each is a small, transparent rule on strings. When ``dataforge.lib.quality.signals`` (the
question generators' own detectors) provides a function of the same name, that one is used
instead, so there is one definition of each defect.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_FIRST_SECOND = re.compile(r"\b(?:I|me|my|mine|myself|we|us|our|ours|ourselves|you|your|yours)\b", re.IGNORECASE)
_COMPANY_VOICE = re.compile(r"\b(?:we|us|our|ours|ourselves)\b|\bI\b|\bmy\b", re.IGNORECASE)
_PRONOUNS = re.compile(r"\b(?:he|she|him|her|his|hers|it|its|they|them|their|theirs)\b", re.IGNORECASE)
_DANGLING_START = re.compile(
    r"^\W*(?:he|she|it|its|they|them|their|his|her|however|also|but|moreover|furthermore|meanwhile|"
    r"therefore|thus|instead)\b",
    re.IGNORECASE,
)
_WH = re.compile(r"^\W*(who|whom|whose|when|where|how many|how much|which \w+|what year|what date)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d|21\d\d)s?\b")
_GENERIC = re.compile(
    r"^\W*(?:(?:please |can you |could you )?(?:tell|say|explain) (?:me |us )?(?:a bit |a little |some(?:thing)? )?"
    r"more(?: about (?:it|that|this|them|him|her))?|"
    r"what else (?:does|do|can) (?:the|this) (?:document|text|article|passage|corpus) (?:say|tell)\b.*|"
    r"(?:is there )?anything else(?: about (?:it|that|this|them|him|her))?|go on|continue|"
    r"and then\??|"
    r"(?:any )?more details?(?: please)?|(?:can you )?elaborate(?: on (?:it|that|this))?|why\??|how so\??)\W*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")

# Answer types a wh-word can ask for (OntoNotes labels; "none": unanswerable rows pass).
WH_TYPES: dict[str, frozenset[str]] = {
    "who": frozenset({"PERSON", "ORG", "NORP"}),
    "whom": frozenset({"PERSON", "ORG", "NORP"}),
    "whose": frozenset({"PERSON", "ORG", "NORP"}),
    "when": frozenset({"DATE", "TIME", "EVENT"}),
    "what year": frozenset({"DATE"}),
    "what date": frozenset({"DATE"}),
    "where": frozenset({"GPE", "LOC", "FAC", "ORG"}),
    "how many": frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY"}),
    "how much": frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"}),
    "which person": frozenset({"PERSON"}),
    "which organization": frozenset({"ORG"}),
    "which company": frozenset({"ORG"}),
    "which place": frozenset({"GPE", "LOC", "FAC"}),
    "which city": frozenset({"GPE"}),
    "which country": frozenset({"GPE"}),
}


def copied_voice(question: str) -> bool:
    """First or second person in a question: the source's voice ("When did I found ...?")."""
    return bool(_FIRST_SECOND.search(question))


def company_voice(text: str) -> bool:
    """First person in an instruction or an assistant turn ("our division"): speaking as the source."""
    return bool(_COMPANY_VOICE.search(_QUOTED.sub(" ", text)))  # a quotation may speak as its speaker


_POSSESSIVE = frozenset({"its", "his", "her", "their"})
_QUOTED = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d")


def unresolved_pronoun(question: str) -> bool:
    """A third-person pronoun with nothing before it to refer to ("When did he ...?").

    An antecedent is a name (a capitalised word after the first): "the programme ... its final
    year" still leaves the reader asking which programme. A possessive may refer to the
    wh-subject ("Which organization delivered its first power?").
    """
    for m in _PRONOUNS.finditer(question):
        head = _WORD.findall(question[: m.start()])
        if any(w[:1].isupper() for w in head[1:]):
            continue
        if m.group(0).lower() in _POSSESSIVE and head and head[0].lower() in ("who", "which", "what"):
            continue
        return True
    return False


def dangling_start(text: str) -> bool:
    """A turn or summary that opens on a pronoun or connective: it leans on text left out."""
    return bool(_DANGLING_START.match(text))


def wh_word(question: str) -> str | None:
    m = _WH.match(question)
    return m.group(1).lower() if m else None


def wh_mismatch(question: str, answer_type: str | None) -> bool:
    """The wh-word asks for another type than the answer's ("Who remains funded? -> Ostrea" FAC)."""
    wh = wh_word(question)
    if not wh or not answer_type or answer_type.lower() == "none" or wh not in WH_TYPES:
        return False
    return answer_type.upper() not in WH_TYPES[wh]


def bare_when(question: str, answer: str) -> bool:
    """A "when" answered by a weekday, month or relative date a reader cannot place (no year)."""
    return wh_word(question) in ("when", "what date") and not _YEAR.search(answer)


def answer_in_question(question: str, answer: str) -> bool:
    """The question gives its answer away."""
    a = " ".join(_WORD.findall(answer.casefold()))
    q = " " + " ".join(_WORD.findall(question.casefold())) + " "
    return len(a) >= 3 and f" {a} " in q


def generic_followup(text: str) -> bool:
    """A follow-up that asks nothing specific ("Tell me more about it.")."""
    return bool(_GENERIC.match(text.strip()))


def _delegate(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    try:
        from dataforge.lib.quality import signals  # type: ignore[attr-defined]
    except ImportError:
        return fallback
    found = getattr(signals, name, None)
    return found if callable(found) else fallback


copied_voice = _delegate("copied_voice", copied_voice)
company_voice = _delegate("company_voice", company_voice)
unresolved_pronoun = _delegate("unresolved_pronoun", unresolved_pronoun)
dangling_start = _delegate("dangling_start", dangling_start)
wh_mismatch = _delegate("wh_mismatch", wh_mismatch)
bare_when = _delegate("bare_when", bare_when)
answer_in_question = _delegate("answer_in_question", answer_in_question)
generic_followup = _delegate("generic_followup", generic_followup)
