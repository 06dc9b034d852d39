"""Which mentions an example may teach as entities, and which text leaves no name untagged.

A NER row or an entity list fails whole when one of its entities has the wrong type or a
name in its text is left out, and the small spaCy model gets one-word names wrong often
("Ostrea" PERSON, "Solheim" GPE, "Oslo" ORG, "MW" ORG). So generators teach only:

- ``confident`` mentions: the document vote (``entity_types.resolve_types``) chose the label
  by a clear margin, backed by a structural clue (a first name, an honorific, a role, an
  organization, facility or place word, a gazetteer place, a demonym), or by spaCy alone for a
  name of two or more words that are not all common words; a one-word name spaCy alone typed
  is never confident;
- inside text where ``untagged_names`` finds no capitalised word outside every mention, that is
  not a sentence's first word used as a common word (a name found elsewhere in the document
  but not tagged here, a name spaCy missed, a capitalised role).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from dataforge.lib.link.names import is_acronym
from dataforge.lib.nlp import CURRENCIES, ENTITY_LABELS, HONORIFICS, OFFICE_TITLES, POST_NOMINALS, UNITS
from dataforge.lib.places import countries, places
from dataforge.lib.type_clues import fused_span, reference_word

# kinds of type evidence that come from the name or its context, not from spaCy's label
STRUCTURAL = frozenset(
    "honorific role first_name org_word facility_word place_word gazetteer_place place_phrase place_preposition "
    "demonym pronoun acronym age product_word person_noun org_context event_word technology person_verb initials "
    "particle_name company_context product_context work_context modifier org_lexicon".split()
)
# how the text uses the name, against an ORG, PERSON or place label ("the Zelbo app", "wrote Zelbo")
USAGE_RIVALS = frozenset({"product_context", "work_context"})
# clues that the name is a person's: without one, spaCy's PERSON alone is not trusted ("Redonda",
# "Louvre", "Mein Kampf"); a first name alone does not outweigh a place clue ("Nam Nghi Phu Quoc")
PERSON_CLUES = frozenset("honorific role first_name age person_noun pronoun person_verb initials particle_name".split())
PLACE_CLUES = frozenset("gazetteer_place place_phrase place_preposition place_word facility_word".split())
MARGIN = 1.5  # the chosen label needs this many times the weight of the runner-up
MONTHS_DAYS = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
PARTICLES = frozenset("van von der den de da del della di du le la al el bin ibn".split())
_OPENERS = frozenset(":;\"“‘'([-—–•*")
# sentence openers that are no names, beside the stop words and the document's own lower-case words
OPENERS = frozenset("Despite According Although Following Earlier Later Inside Dear Overall Meanwhile Instead".split())
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=4096)
def _evidence(raw: str) -> dict[str, Any]:
    return json.loads(raw)


def clean_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """A mention's span without a leading "the" or a trailing possessive or punctuation."""
    match = re.match(r"(?:the|The)\s+", text[start:end])
    if match and end - start > match.end():
        start += match.end()
    # "county [Board of Education]": a lower-case word the model glued to the front ("van Dijk" stays)
    while (lead := re.match(r"([a-z][a-z-]*)\s+(?=[A-Z])", text[start:end])) and lead.group(1) not in PARTICLES:
        start += lead.end()
    while (
        end > start
        and text[end - 1] in ".,;:!?)\"'’"
        and not re.search(r"\b(?:Inc|Ltd|Co|Corp|Jr|Sr)\.$", text[start:end])
    ):
        end -= 1
    possessive = re.search(r"['’]s?$", text[start:end])
    if possessive and end - start > 2:
        end -= len(possessive.group())
    return start, end


def _common(word: str, lower_words: frozenset[str]) -> bool:
    """A common word: the document writes it in lower case, or a stop word ("Non-Executive": each part)."""
    parts = [p for p in re.split(r"[-’']", word.lower()) if p]
    return bool(parts) and all(p in lower_words or p in _stop_words() for p in parts)


def name_parts(mentions: Iterable[dict[str, Any]], lower_words: frozenset[str]) -> dict[str, set[str]]:
    """First and last words of the document's confident names of two or more words -> their labels
    ("Northwind" -> {ORG} from "Northwind Tidal" and "Northwind Renewable Energy Corporation")."""
    parts: dict[str, set[str]] = {}
    for m in mentions:
        words = re.sub(r"^(?:the|The)\s+", "", " ".join(str(m.get("text") or "").split())).split()
        if len(words) > 1 and confident(m, lower_words):
            for word in {words[0], words[-1]}:
                parts.setdefault(word, set()).add(str(m["label"]))
    return parts


def confident(mention: dict[str, Any], lower_words: frozenset[str], parts: dict[str, set[str]] | None = None) -> bool:
    """Is ``mention`` a name whose type the evidence agrees on (see the module docstring)?

    ``lower_words``: the document's lower-case words (a one-word "name" also written in lower
    case, like "Scroll" / "scroll", is a common word). ``parts`` (``name_parts``): a one-word name
    that begins or ends longer names of the document is confident with their label only
    ("Northwind" ORG, "Marsh" PERSON; "Halden" GPE beside "Halden Marine Power" ORG is not,
    unless a place phrase says so). A mention without ``type_evidence`` was typed outside the
    vote (given by the caller, a gazetteer) and is taken as given.
    """
    label, name = mention.get("label"), re.sub(r"\s+", " ", str(mention.get("text") or "")).strip()
    if label not in ENTITY_LABELS:
        return False
    name = re.sub(r"^(?:the|The)\s+", "", name)
    words = name.split()
    letters = re.sub(r"[^A-Za-z]", "", name)
    if len(letters) < 2 or not any(w[:1].isupper() for w in words) or name.lower() in UNITS | CURRENCIES:
        return False
    if any(w.lower().strip(".") in UNITS | CURRENCIES for w in words) or re.search(r"\d", name) and label != "PRODUCT":
        return False
    if len(words) == 1 and (_common(name, lower_words) or (name.endswith(".") and len(letters) < 3)):
        return False
    if label != "WORK_OF_ART" and re.search(r"\s(?:a|an)\s", name):
        return False  # "Windows on a Mac": a phrase the model took for one name
    if re.search(r"\s[-–—:]\s|^\W|[^\w.)]$", name):
        return False  # "BRITAIN - Gilts": a headline run into a name
    if name.count("(") != name.count(")") or name.count("[") != name.count("]"):
        return False  # "O(n log n": a formula cut at its bracket
    if label not in ("WORK_OF_ART", "EVENT", "LAW") and fused_span(name, name in places()):
        return False  # "King of", "Mercurial on Python": part of a name, or two names in one span
    raw = mention.get("type_evidence")
    if not raw:
        return True
    record = _evidence(raw)
    votes = {k: float(v) for k, v in record.get("votes", {}).items()}
    if record.get("label") != label:
        return False  # typed otherwise than the document's vote decided
    runner_up = max((v for k, v in votes.items() if k != label), default=0.0)
    if votes.get(label, 0.0) < MARGIN * runner_up:
        return False
    structural = {row[0] for row in record.get("evidence", []) if row[0] in STRUCTURAL and row[1] == label}
    rivals = {row[0] for row in record.get("evidence", []) if row[0] in STRUCTURAL and row[1] != label}
    person = structural & PERSON_CLUES
    # a first name against a place clue holds only when spaCy never said otherwise ("Bryan Hamilton")
    split_vote = any(row[0] == "spacy" and row[1] != label for row in record.get("evidence", []))
    weak = person <= {"first_name", "person_verb"} and rivals & PLACE_CLUES and split_vote
    if label == "PERSON" and (not person or weak):
        return False
    if label == "PERSON" and any(row[0] == "determiner" for row in record.get("evidence", [])):
        return False  # "his Jack Russell": a name used as a common noun (a breed), no person
    if label == "ORG" and "technology" in rivals:
        return False
    if "modifier" in structural | rivals and not structural & {"gazetteer_place", "demonym", "company_context"}:
        return False  # "Turing machine", "Democratic candidate": a word of a term, no entity
    if label in {"ORG", "PERSON", "NORP"} | PLACES and rivals & USAGE_RIVALS and "company_context" not in structural:
        return False  # "the Zelbo app", "play Zelbo", "wrote Zelbo": a product or a work, not a company
    if label == "PERSON" and "company_context" in rivals:
        return False  # "Zelbo Marsh's shares": a company named after a person
    # an acronym is judged by its own evidence, not by a longer name it starts ("CF" beside "CF Industries")
    longer = (parts or {}).get(name) if len(words) == 1 and not is_acronym(name) else None
    if longer:
        return longer == {label} or bool(structural & {"place_phrase", "place_preposition"})
    if structural - {"acronym"}:
        return True
    if structural == {"acronym"}:
        # an all-caps short name spaCy calls ORG every time ("NREC"; "TIDEWAKE" may be a programme),
        # and only when the document spells it out: "QA", "ICT", "CF" in a technical paper are terms
        expansion = str(record.get("name") or name).split()
        # "Deep Learning", "quality assurance": an expansion of common words is a term, not a name
        term = all(_common(w, lower_words) for w in expansion)
        return name.isupper() and len(letters) <= 5 and runner_up == 0.0 and len(expansion) > 1 and not term
    # spaCy alone: two or more words, not all of them common words ("Independent Non-Executive"),
    # no place inside a non-place ("Manchester United" PERSON), not a type the small model rarely
    # gets right by itself (PRODUCT "BellSouth Classic", WORK_OF_ART "PhD", LAW)
    entity_words = str(record.get("name") or name).split()
    if label in SPACY_WEAK or (label not in PLACES and any(w in places() for w in entity_words)):
        return False
    if label in ("GPE", "LOC") and not any(w in places() for w in entity_words):
        return False  # "Islamic State's police": a place name the gazetteer does not know needs a clue
    if label == "NORP" and not re.search(r"(?:an|ish|ese|ch|i)s?$", entity_words[-1]):
        return False  # "British Swimming": a demonym before a noun names a body, not a nationality
    if label == "PERSON" and _common(entity_words[0], lower_words):
        return False  # "Skin Therapy", "Wolf Hall": a person's name does not open with a common word
    return len(entity_words) > 1 and not all(_common(w, lower_words) for w in entity_words)


SPACY_WEAK = frozenset({"PRODUCT", "WORK_OF_ART", "LAW"})
PLACES = frozenset({"GPE", "LOC", "FAC"})
_SPORT = re.compile(
    r"\b(?:beat|goals?|innings|wickets?|matches|tournament|league|cup|coach|striker|skipper|club|"
    r"championship|quarter-?finals?|semi-?finals?|cricket|soccer|football|tennis|golf|rugby|baseball|basketball|"
    r"hockey|athletics|boxing|squash|cycling)\b",
    re.IGNORECASE,
)


def sport_words(text: str) -> int:
    """How many words of sport the text holds ("goals", "coach", "tennis")."""
    return len(_SPORT.findall(text))


def sports_document(text: str) -> bool:
    """Results and match reports: there a city's name is often its club ("Newcastle", "Somerset")."""
    scores = len(re.findall(r"(?<![\d/.-])\d{1,3}-\d{1,3}(?![\d/.-])", text))
    words = sport_words(text)
    return words >= 3 or (scores >= 2 and words >= 1) or (words >= 2 and len(text) < 3000)


def club_risk(text: str, mention: dict[str, Any]) -> bool:
    """In a sports document, a city or region not placed by "in"/"at"/"near" right before it may be
    a club; a country stays a country (national teams are written as their country)."""
    if mention.get("label") not in PLACES or str(mention.get("text")) in countries():
        return False
    return not re.search(r"\b(?:in|at|near)\s+(?:the\s+)?$", text[max(0, mention["start"] - 12) : mention["start"]])


def _beside_name(text: str, p: int, q: int, end: int, word: str, spans: list[tuple[int, int]]) -> bool:
    """``word`` at ``text[p:q]`` is an office before a mention (through more offices: "Detective
    Superintendent Colby") or post-nominal letters right after one ("Ann Roe QC")."""
    if word in POST_NOMINALS:
        return any(e == p - 1 and text[e] == " " for _, e in spans)
    if word not in OFFICE_TITLES:  # a religious title is also a given name ("Pastor Maldonado")
        return False
    for nxt in _TOKEN.finditer(text, q, end):
        if any(s <= nxt.start() < e for s, e in spans):
            return text[q : nxt.start()].strip() == "" or all(w in OFFICE_TITLES for w in text[q : nxt.start()].split())
        if nxt.group() not in OFFICE_TITLES:
            return False
    return False


def untagged_names(
    text: str, start: int, end: int, covered: Iterable[tuple[int, int]], lower_words: frozenset[str]
) -> list[str]:
    """Capitalised words of ``text[start:end]`` (one sentence or more) outside ``covered`` that
    may be names: not a sentence's (or a quotation's) first word that is also a common word,
    not a month, weekday, honorific or "I"."""
    spans = sorted(covered)
    found = []
    for match in _TOKEN.finditer(text, start, end):
        word, p = match.group(), match.start()
        if not word[:1].isupper() or any(s <= p < e for s, e in spans):
            continue
        bare = word.rstrip("'’").removesuffix("'s").removesuffix("’s")
        if bare in MONTHS_DAYS or bare in HONORIFICS or bare == "I" or bare.lower() in UNITS | CURRENCIES:
            continue
        if _beside_name(text, p, match.end(), end, bare, spans):
            continue  # "Judge [Ann Roe] QC", "Detective Superintendent [Colby]": a title or post-nominal
        if reference_word(text, p, match.end()):
            continue  # "Fig. 5", "Table 2"
        if re.match(r"(?:Series|Class|Phase|Tier) [A-Z]\b", text[p:end]) or re.search(
            r"\b(?:Series|Class|Phase|Tier) $", text[start:p]
        ):
            continue  # "a Series C round": no name
        before = text[start:p].rstrip()
        initial = not before or before[-1] in ".!?" or before[-1] in _OPENERS
        if initial and (
            bare in OPENERS
            or re.fullmatch(r"[A-Z][a-z]{3,}(?:ing|ly|ed)", bare)
            or all(_common(part, lower_words) for part in bare.split("-") if part)
        ):
            continue
        found.append(word)
    return found
