"""The answer side of a generated question: a whole, rightly typed name in a prose sentence.

The question checks (``question_check``) read the question; what the strict audit of CNN/DM
news found wrong lay as often in the answer and its sentence:

- a wh-word resting on a type the document vote did not back: "Past which facility did
  Manchester United ease?" -> "Aston Villa" (FAC), "Which organization ... ?" -> "Woods";
  in a match report a city is often its club ("For which place did Bueno play?" -> "Derby");
  "Which group was sold to Manchester City?" -> "the Ivorian" (one person, not a group);
- a part of the answer: one item of a list ("Spades, Dominos and word scrambles"), the start
  of a longer name ("ISS Progress" of "ISS Progress 59"), a role word taken into the name
  ("Defender Upson");
- a sentence that is no prose: a photo caption run into the text ("Mata celebrates with Ander
  Herrera after his second goal ... Old Trafford Wayne Rooney (right) scored ..."), an item of a
  numbered list ("... works out at a park in Los Angeles 4."), a quotation ('Only in Oldham').

Each check returns a reason (or None); the generator drops the candidate with any.
"""

from __future__ import annotations

import json
import re
from typing import Any

from dataforge.lib.generate.lexicon import PERSON_ROLES, VALUE_LABELS
from dataforge.lib.generate.standalone import glued
from dataforge.lib.mention_confidence import STRUCTURAL, club_risk, confident, sports_document
from dataforge.lib.places import countries, demonyms

# a photo caption left in the text: "(left)", "(pictured)", "(file photo)", "Scroll down for video"
_CAPTION = re.compile(
    r"\((?:left|right|centre|center|above|below|top|bottom|inset|pictured|file photo|file picture|"
    r"second left|second right|far left|far right|front|back|middle)\)|\bscroll down\b|\bpictured\b",
    re.I,
)
# a quotation mark that opens or closes speech (double or single; an apostrophe inside a word is none)
_QUOTATION = re.compile(r"[\"\u201c\u201d\u2018]|(?:^|[\s(:\[])'(?=[A-Za-z0-9])|[.,!?]['\u2019](?=\s|$)")
_LIST_END = re.compile(r"\s(\d{1,2})\.?\s*$")
_MONTH_BEFORE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$|\b(?:no|number|page|chapter)\.?\s*$", re.I
)
_ONE_PERSON = re.compile(r"\b(?:the|a|an)\s+$", re.I)  # "the Ivorian" is a player; "the French" a people
_COUNTRY_SHORT = frozenset({"UK", "U.K.", "US", "U.S.", "USA", "UAE"})  # beside the gazetteer's full names
ROLE_WORDS = PERSON_ROLES | frozenset(
    "defender midfielder striker forward winger goalkeeper keeper captain skipper boss coach manager full-back "
    "centre-back star player champion rookie veteran officer sergeant detective constable inspector judge "
    "senator congressman congresswoman governor prince princess king queen pope actor actress singer".split()
)


# a short quoted name or phrase, no speech: "the group 'Women for Hillary'", "every game as a 'final'"
_SCARE_QUOTES = re.compile(
    r"(?:(?<=\s)|^)['\u2018\"\u201c][A-Za-z][\w&-]*(?: [\w&-]+){0,4}['\u2019\"\u201d](?=[\s,;:)]|\.(?:\s|$)|$)"
)
_QUOTE_CLOSED = re.compile(r"[.!?]['\u2019\"\u201d]\s+(?=[A-Z])")


def quotation(text: str, at: int = 0) -> bool:
    """Speech in the sentence around position ``at``: its words are someone's voice, not a stated
    fact to ask about. A quotation closed before ``at`` (a sentence the splitter ran into the next
    one: "... in 2016.' King, who was outed in 1981, ...") is left out."""
    start = max((m.end() for m in _QUOTE_CLOSED.finditer(text, 0, max(at, 0))), default=0)
    return bool(_QUOTATION.search(_SCARE_QUOTES.sub(lambda m: " " * len(m.group()), text), start))


def numbered_item(sentence: str, doc_text: str) -> bool:
    """The sentence ends in the number of a list item run into the text ("... in Los Angeles 4."),
    and the document holds the item before or after it the same way."""
    m = _LIST_END.search(sentence.rstrip(".!? ") + " ")
    m = m or _LIST_END.search(sentence.rstrip())
    if m is None or _MONTH_BEFORE.search(sentence[: m.start() + 1]):
        return False
    n = int(m.group(1))
    neighbours = "|".join(str(k) for k in (n - 1, n + 1) if k > 0)
    return bool(re.search(rf"[A-Za-z]\s(?:{neighbours})\.?\s+[A-Z]", doc_text))


def numbered_question(question: str, sentence: str, doc_text: str) -> bool:
    """A question that carries the number of a list item run into its sentence ("... in Los Angeles 4?")."""
    m = re.search(r"\s(\d{1,2})\?$", question)
    return bool(m) and numbered_item(sentence, doc_text) and sentence.rstrip(". ").endswith(m.group(1))


def sentence_defect(sentence: str, doc_text: str, at: int = 0) -> str | None:
    """Why ``sentence`` is no source for questions about its position ``at``: a caption, two
    sentences run together (``standalone.glued``), a quotation. (A numbered list item is one,
    as long as its number stays out of the question: ``numbered_question``.)"""
    if _CAPTION.search(sentence):
        return "caption"
    if glued(sentence):
        return "glued"
    if quotation(sentence, at):
        return "quotation"
    return None


def type_backed(mention: dict[str, Any], lower_words: frozenset[str], parts: dict[str, set[str]]) -> bool:
    """The document's type vote chose the mention's label, backed by a structural clue (a first
    name, a place word, a gazetteer place, ...) that outweighs the rest, or the mention is
    ``confident``: a wh-word ("Who", "Which facility") may rest on it."""
    label = mention.get("label")
    if label in VALUE_LABELS:
        return True
    raw = mention.get("type_evidence")
    if not raw:
        return True  # typed outside the vote (a gazetteer, the caller): taken as given
    record = json.loads(raw)
    if record.get("label") != label:
        return False
    if label == "GPE" and " ".join(str(mention.get("text")).split()) in countries() | _COUNTRY_SHORT:
        return True  # "UK": a country is a place whatever else an acronym suggests
    votes = {k: float(v) for k, v in record.get("votes", {}).items()}
    runner_up = max((v for k, v in votes.items() if k != label), default=0.0)
    structural = {row[0] for row in record.get("evidence", []) if row[0] in STRUCTURAL and row[1] == label}
    if structural and votes.get(label, 0.0) > runner_up:
        return True
    return confident(mention, lower_words, parts)


def answer_defect(
    mention: dict[str, Any],
    text: str,
    sentence: tuple[int, int],
    lower_words: frozenset[str],
    parts: dict[str, set[str]],
    sports: bool | None = None,
) -> str | None:
    """Why ``mention`` (in ``text``, inside ``sentence``) is no answer to a typed wh-question."""
    label, start, end = mention["label"], mention["start"], mention["end"]
    after = text[end : sentence[1]]
    before = text[sentence[0] : start]
    if label not in VALUE_LABELS:
        if not type_backed(mention, lower_words, parts):
            return "type_unbacked"
        if (sports if sports is not None else sports_document(text)) and club_risk(text, mention):
            return "club_as_place"
        if label == "NORP" and _ONE_PERSON.search(before) and not re.search(r"(?:s|ch|sh|ese)$", mention["text"]):
            return "one_person_as_group"  # "the Ivorian", "the Serb": a player, not a group
        first = mention["text"].split()[0].lower().strip(".,")
        if label == "PERSON" and len(mention["text"].split()) > 1 and first in ROLE_WORDS:
            return "role_in_name"  # "Defender Upson"
        if re.match(r"\s+(?:\d|[A-Z][a-z]*\d|[IVX]{1,4}\b)", after):
            return "name_continues"  # "ISS Progress" of "ISS Progress 59", "Charles" of "Charles VI"
    item = r"[$\u20ac\u00a30-9][\w'.,%-]*" if label in VALUE_LABELS else r"[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*"
    if re.match(rf"\s*,\s*(?:the\s+)?{item}\s*(?:,|\band\b|\bor\b)", after):
        return "list_member"  # "Spades, Dominos and word scrambles"
    if re.search(rf"{item},?\s+(?:and|or)\s+(?:the\s+)?$", before):
        return "list_member"  # "... Luis Figo and Raul": the last of several
    return None


def _without_nationality(mention: dict[str, Any]) -> dict[str, Any]:
    """ "Colombian Camilo Villegas" -> "Camilo Villegas": a nationality the NER took into a name."""
    first, _, rest = mention["text"].partition(" ")
    if mention["label"] != "PERSON" or first not in demonyms() or len(rest.split()) < 2:
        return mention
    return {**mention, "text": rest, "start": mention["end"] - len(rest)}


def fuller_name(mention: dict[str, Any], mentions: list[dict[str, Any]], lo: int, hi: int) -> dict[str, Any] | None:
    """The mention to answer with in place of a bare surname ("Dubois" where the document says
    "Claire Dubois"): the shortest fuller name (never one that opens on a nationality the NER took
    in: "Colombian Camilo Villegas"), at its occurrence in ``[lo, hi)`` nearest before the mention (else after); the
    mention itself when the document gives no fuller name or none in range; None when two people
    share the surname ("Venus" and "Serena Williams"): the answer would be a guess."""
    if mention["label"] != "PERSON":
        return mention
    words = mention["text"].split()
    fuller = [
        m
        for m in map(_without_nationality, mentions)
        if m["label"] == "PERSON" and len(m["text"].split()) > len(words) and m["text"].split()[-len(words) :] == words
    ]
    forms = {" ".join(m["text"].split()) for m in fuller}
    if not forms:
        return mention
    longest, shortest = max(forms, key=len), min(forms, key=len)
    if any(not longest.endswith(f) for f in forms):
        return None
    inside = [
        {**m, "text": shortest, "start": m["end"] - len(shortest)}
        for m in fuller
        if lo <= m["start"] and m["end"] <= hi and m["text"].endswith(shortest)
    ]
    if not inside:
        return mention
    before = [m for m in inside if m["start"] < mention["start"]]
    return max(before, key=lambda m: m["start"]) if before else min(inside, key=lambda m: m["start"])
