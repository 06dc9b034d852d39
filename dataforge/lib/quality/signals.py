"""Automatic defect signals of generated examples (the mechanical part of notes/QUALITY.md).

Each signal is a pure function over one question, turn or example, so that generators use
them to refuse a bad example and the quality report counts what still slips through:

- ``first_second_person``: "When did I found Northwind?", "our division"
- ``unresolved_pronoun``: "When did he become chairman of it?"
- ``wh_mismatch``: "Which place brought 85 employees?" (wh-word vs the answer's resolved type)
- ``bare_when``: "When ...?" -> "March", "Tuesday", "year end" (no date a reader can place)
- ``answer_in_question``: the question gives its answer away
- ``generic_turn``: "Tell me more about it." as a follow-up
- ``dangling_turn``: an assistant turn that opens on a pronoun or connective with no referent,
  or speaks as the source ("our", "we") outside a quotation
- ``cross_kind_duplicates``: an instruction that repeats a QA row or a summary

No import from the rest of dataforge: generators import this module, not the other way round.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

FIRST_SECOND = re.compile(r"\b(I|[Ww]e|[Oo]ur|[Oo]urs|us|[Mm]y|me|[Yy]ou|[Yy]our|[Yy]ours|[Oo]urselves)\b")
PRONOUNS_3 = "he|she|it|they|his|her|hers|its|their|theirs|him|them|himself|herself|itself|themselves"
THIRD = re.compile(rf"\b({PRONOUNS_3})\b", re.I)
_POSSESSIVE = frozenset({"its", "his", "her", "their"})
_NAME = re.compile(r"\b[A-Z][\w'.&-]*")
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]")

_YEAR = re.compile(r"\b(1[0-9]\d\d|20\d\d|21\d\d)s?\b|\b\d{4}-\d{2}(-\d{2})?\b|\b'\d\ds\b")

# wh-phrase -> the resolved entity types it may ask for
WH_TYPES: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (re.compile(r"^(\w+ )?(who|whom|whose)\b", re.I), frozenset({"PERSON"})),
    (re.compile(r"^(\w+ )?which (organization|company|firm)\b", re.I), frozenset({"ORG"})),
    (re.compile(r"^(\w+ )?which (place|country|city|region)\b", re.I), frozenset({"GPE", "LOC", "FAC"})),
    (re.compile(r"^(\w+ )?which facility\b", re.I), frozenset({"FAC"})),
    (re.compile(r"^(\w+ )?which group\b", re.I), frozenset({"NORP", "ORG"})),
    (re.compile(r"^(\w+ )?which product\b", re.I), frozenset({"PRODUCT"})),
    (re.compile(r"^(\w+ )?which event\b", re.I), frozenset({"EVENT"})),
    (re.compile(r"^(\w+ )?which work\b", re.I), frozenset({"WORK_OF_ART"})),
    (re.compile(r"^(\w+ )?which law\b", re.I), frozenset({"LAW"})),
    (re.compile(r"^(\w+ )?which language\b", re.I), frozenset({"LANGUAGE"})),
    (re.compile(r"^where\b", re.I), frozenset({"GPE", "LOC", "FAC"})),
    (re.compile(r"^((since|until|by) )?when\b", re.I), frozenset({"DATE", "TIME"})),
    (re.compile(r"^(by )?how much\b", re.I), frozenset({"MONEY", "PERCENT", "QUANTITY"})),
    (re.compile(r"^(\w+ )?how many\b", re.I), frozenset({"CARDINAL", "QUANTITY"})),
]
GENERIC = re.compile(
    r"^(ok(ay)?,? |and |so |thanks[.!,]? )?(can you |could you |please )?"
    r"(tell me (some(thing)? )?more|say more|elaborate|go on|continue|keep going|anything else|what else|"
    r"is there (anything|more)( else)?|more details?|what more|any(thing)? more)\b",
    re.I,
)
_CONNECTIVES = frozenset(
    "but and so however also meanwhile moreover furthermore additionally instead still yet then thus "
    "therefore besides nevertheless nonetheless likewise similarly otherwise hence indeed".split()
)


def first_second_person(text: str) -> bool:
    """A first- or second-person pronoun outside quotation marks: the source's voice."""
    return bool(FIRST_SECOND.search(_QUOTED.sub(" ", text)))


def unresolved_pronoun(question: str) -> bool:
    """A third-person pronoun with no name before it; a possessive after a wh-phrase
    ("Which organization raised its stake?") refers to the wh-phrase and is fine."""
    for m in THIRD.finditer(question):
        word = m.group(1).lower()
        if word in _POSSESSIVE and re.match(r"(who|which|what)\b", question, re.I):
            continue
        if not any(0 < n.start() < m.start() for n in _NAME.finditer(question)):
            return True
    return False


def wh_mismatch(question: str, answer_label: str | None) -> bool:
    """The question's wh-phrase cannot ask for an answer of ``answer_label``."""
    if not answer_label:
        return False
    for pattern, labels in WH_TYPES:
        if pattern.match(question.strip()):
            return answer_label not in labels
    return False


def placeable_date(text: str) -> bool:
    """A date a reader can place on a calendar: it names a year (a full date, month and year,
    a year, a decade); "March", "Tuesday", "year end" and "last week" do not."""
    return bool(_YEAR.search(text))


def is_when(question: str) -> bool:
    return bool(re.match(r"((since|until|by) )?when\b", question.strip(), re.I))


def bare_when(question: str, answer: str) -> bool:
    """A "when" question whose answer is not a date a reader can place."""
    return is_when(question) and bool(answer.strip()) and not placeable_date(answer)


def answer_in_question(question: str, answer: str) -> bool:
    """The answer, or a distinctive word of a name answer (a surname, "Halden" of
    "Halden Wind AS"), appears in the question."""
    a, q = " ".join(answer.lower().split()), " ".join(question.lower().split())
    if not a:
        return False
    if re.search(rf"(?<!\w){re.escape(a)}(?!\w)", q):
        return True
    qwords = set(re.findall(r"[\w'&.-]+", question))  # case kept: "Wind" of a name, not "wind farm"
    distinctive = [w.strip(".,") for w in answer.split() if w[:1].isupper() and len(w.strip(".,")) >= 4]
    return any(w in qwords for w in distinctive)


def generic_turn(text: str) -> bool:
    """A follow-up that asks for nothing in particular ("Tell me more about it.")."""
    t = text.strip()
    if not GENERIC.match(t):
        return False
    rest = GENERIC.sub("", t)
    return not any(n.group() not in ("I",) for n in _NAME.finditer(rest))


def dangling_turn(text: str) -> bool:
    """An assistant turn whose first sentence opens on a connective or on a third-person
    pronoun before any name, or that speaks as the source ("we", "our") outside quotes."""
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    words = first.split()
    if not words:
        return True
    if words[0].lower().strip(",") in _CONNECTIVES:
        return True
    if first_second_person(first):
        return True
    m = THIRD.search(first)
    return bool(m) and not any(n.start() < m.start() for n in _NAME.finditer(first) if n.group() not in _CAPS)


_CAPS = frozenset({"He", "She", "It", "They", "His", "Her", "Its", "Their", "The", "A", "An", "In", "On", "At"})


_SINGLE_QUOTED = re.compile(r"(?<![\w])['\u2018][^'\u2018\u2019]*['\u2019](?![\w])")  # 'I want her gone,'
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Oo]ur|[Uu]s|[Mm]y)\b")  # "as close as you can get" is idiom, not voice


def dangling_summary_start(text: str) -> bool:
    """A summary that opens on a connective, or on a pronoun whose referent its first sentence
    never names ("It manages about $6.8 billion ..."); a pronoun that points inside the sentence
    ("... by the appearance of its penis", "She's been living ..., and ... Princess Eugenie") is
    fine, as is the source's first person inside quotation marks."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=2)
    first = sentences[0]
    words = first.split()
    if not words:
        return True
    opener = words[0].lower().strip(",'\u2019s")
    if opener in _CONNECTIVES or _FIRST_PERSON.search(_SINGLE_QUOTED.sub(" ", _QUOTED.sub(" ", first))):
        return True
    if THIRD.fullmatch(opener) or opener in ("this", "these", "that", "those"):
        # named in that sentence or the next ("He was once champion. Now Riddick Bowe ..."), a
        # sentence's own first word aside
        spots = [(first, len(words[0]))] + [(t, len(t.split()[0])) for t in sentences[1:2] if t.split()]
        return not any(n.group() not in _CAPS for t, skip in spots for n in _NAME.finditer(t, skip))
    return False


def question_reasons(question: str, answer: str, answer_label: str | None) -> list[str]:
    """Every signal a QA question and its answer raise (empty: none)."""
    out = []
    if first_second_person(question):
        out.append("first_second_person")
    if unresolved_pronoun(question):
        out.append("unresolved_pronoun")
    if answer and wh_mismatch(question, answer_label):
        out.append("wh_mismatch")
    if bare_when(question, answer):
        out.append("bare_when")
    if answer and answer_in_question(question, answer):
        out.append("answer_in_question")
    return out


_ASKING = re.compile(r"\b(can|could) you\b|\b(tell|give|show) me\b", re.I)  # the user's own voice


def _turns(example: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in example.get("conversations") or example.get("messages") or [] if isinstance(t, dict)]


def conversation_reasons(example: dict[str, Any]) -> list[str]:
    """Signals of one conversation: generic, first/second-person or pronoun-led user turns
    after the first, and assistant turns that do not stand on their own."""
    out: list[str] = []
    users = [t for t in _turns(example) if t.get("role") == "user"]
    for t in users:
        content = str(t.get("content", ""))
        if generic_turn(content):
            out.append("generic_turn")
        if first_second_person(_ASKING.sub(" ", content)):
            out.append("first_second_person")
    for t in _turns(example):
        if t.get("role") == "assistant" and dangling_turn(str(t.get("content", ""))):
            out.append("dangling_turn")
    return out


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def cross_kind_duplicates(examples: Iterable[dict[str, Any]]) -> list[str]:
    """Ids of instruction examples whose (input+instruction, output) repeats a QA row's
    (context+question, answer), or whose output equals a summary."""
    examples = list(examples)
    qa = {(_norm(e.get("question", "")), _norm(e.get("answer", ""))) for e in examples if e.get("kind") == "qa"}
    by_answer: dict[str, set[str]] = {}
    for q, a in qa:
        if q and a:
            by_answer.setdefault(a, set()).add(q)
    summaries = {_norm(e.get("summary", "")) for e in examples if e.get("kind") == "summary"} - {""}
    out = []
    for e in examples:
        if e.get("kind") != "instruction":
            continue
        output = _norm(e.get("output", ""))
        text = _norm(str(e.get("instruction", "")) + " " + str(e.get("input", "")))
        if output in summaries or any(q in text for q in by_answer.get(output, ())):
            out.append(str(e.get("id")))
    return out


def count_signals(examples: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Per-signal counts over a list of examples (every signal present, zeros included)."""
    examples = list(examples)
    counts: Counter[str] = Counter(
        {
            k: 0
            for k in (
                "first_second_person",
                "unresolved_pronoun",
                "wh_mismatch",
                "bare_when",
                "answer_in_question",
                "generic_turn",
                "dangling_turn",
                "cross_kind_duplicates",
            )
        }
    )
    for e in examples:
        if e.get("kind") == "qa" and e.get("question"):
            label = (e.get("metadata") or {}).get("answer_type")
            counts.update(question_reasons(str(e["question"]), str(e.get("answer") or ""), label))
        elif e.get("kind") == "conversation":
            counts.update(set(conversation_reasons(e)))
    counts["cross_kind_duplicates"] = len(cross_kind_duplicates(examples))
    return dict(sorted(counts.items()))
