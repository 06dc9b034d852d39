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

from dataforge.lib.captions import present_caption
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
CAPTION = _CAPTION  # conversations refuse identities read off a caption
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


_CAPS_RUN = re.compile(r"\b[A-Z][A-Z'.&-]*(?:\s+[A-Z][A-Z'.&-]*)+\b")


def heading_words(sentence: str) -> set[str]:
    """The words of an all-caps headline run into the sentence ("5. ANDREW SYMONDS STOPS A STREAKER
    Thankfully, Benaud ..."): two or more capitalised words in a row, at least two of them longer
    than a letter, one longer than three; an acronym ("NATO said", "the US FBI") is none."""
    out: set[str] = set()
    for m in _CAPS_RUN.finditer(sentence):
        words = m.group().split()
        if sum(len(w.strip("'.&-")) > 1 for w in words) >= 2 and any(len(w) > 3 for w in words):
            out.update(w for w in words if len(w) > 1)
    return out


def headline_in(question: str, answer: str, sentence: str, before: str = "") -> bool:
    """The question or its answer carries a word of a headline run into its sentence
    ("Who STOPS A STREAKER Thankfully?", "When did HUGHES Benaud narrate ...?"); ``before``: the
    text just before the sentence, where the headline may begin."""
    heading = heading_words(sentence)
    if before:
        # a headline whose end the splitter took into the sentence: "TRIBUTE TO PHILLIP | HUGHES Benaud narrated",
        run = re.search(r"(?:\b[A-Z][A-Z'.&-]*\s+)+$", before)
        lead = re.match(r"[A-Z][A-Z'.&-]*(?:\s+[A-Z][A-Z'.&-]*)*\b", sentence)
        if run:  # or one the splitter cut off whole, that the parse still joins to the subject
            heading |= heading_words(run.group() + (lead.group() if lead else ""))
    return bool(heading) and bool(heading & set(re.findall(r"[\w'.&-]+", f"{question} {answer}")))


def sentence_defect(sentence: str, doc_text: str, at: int = 0) -> str | None:
    """Why ``sentence`` is no source for questions about its position ``at``: a caption, two
    sentences run together (``standalone.glued``), a quotation. (A numbered list item is one,
    as long as its number stays out of the question: ``numbered_question``.)"""
    if _CAPTION.search(sentence) or present_caption(sentence):
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


_GENERATION = re.compile(r"(?:Jr|Sr|I{2,3}|IV)\.?")


def _holds(longer: list[str], words: list[str]) -> bool:
    """``words`` open or close ``longer``: a surname ("Dubois" of "Claire Dubois"), a first name
    ("Manny" of "Manny Pacquiao") or a family name written first ("Li" of "Li Song-ho")."""
    if len(longer) > 2 and _GENERATION.fullmatch(longer[-1]):
        longer = longer[:-1]  # "Kenneth Morgan Stancil III" ends in the surname before its number
    n = len(words)
    return len(longer) > n and (longer[-n:] == words or longer[:n] == words)


def fuller_forms(mention: dict[str, Any], mentions: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The document's mentions of a fuller name of the person ``mention`` names (nationality cut),
    [] when it gives none, None when two people share the bare name ("Venus" and "Serena
    Williams", "Manny" and "Manny Ramirez" beside "Manny Pacquiao"): any fuller name is a guess."""
    if mention["label"] != "PERSON":
        return []
    words = mention["text"].split()
    fuller = [
        m for m in map(_without_nationality, mentions) if m["label"] == "PERSON" and _holds(m["text"].split(), words)
    ]
    forms = {" ".join(m["text"].split()) for m in fuller}
    if not forms:
        return []
    longest = max(forms, key=len)
    if any(f" {f} " not in f" {longest} " for f in forms):
        return None
    return fuller


def fuller_name(mention: dict[str, Any], mentions: list[dict[str, Any]], lo: int, hi: int) -> dict[str, Any] | None:
    """The mention to answer with in place of a bare surname or first name ("Dubois" where the
    document says "Claire Dubois"): the shortest fuller name, at its occurrence in ``[lo, hi)``
    nearest before the mention (else after); the mention itself when the document gives no fuller
    name; None when it gives one but not in range (a bare name would be a partial answer), or
    when two people share the bare name (``fuller_forms``)."""
    fuller = fuller_forms(mention, mentions)
    if fuller is None:
        return None
    if not fuller:
        return mention
    shortest = min({" ".join(m["text"].split()) for m in fuller}, key=len)
    inside = []
    for m in fuller:
        at = m["text"].find(shortest)
        if lo <= m["start"] and m["end"] <= hi and at >= 0:
            inside.append({**m, "text": shortest, "start": m["start"] + at, "end": m["start"] + at + len(shortest)})
    if not inside:
        return None
    before = [m for m in inside if m["start"] < mention["start"]]
    return max(before, key=lambda m: m["start"]) if before else min(inside, key=lambda m: m["start"])


def full_names(question: str, names: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> str | None:
    """``question`` with each bare first name or surname of a person among ``names`` (the source
    sentence's mentions) written in full ("Who said Kim was ill?" -> "... Kim Song-il ..."), a name
    cut from an organization's longer one completed ("Blue Capital" -> "Halloran Blue Capital");
    None when a person's bare name is shared by two people."""
    out = question
    for m in sorted(names, key=lambda m: -len(m["text"])):
        bare = " ".join(m["text"].split())
        # not inside a longer name of the question ("Li" of "Li In-mo")
        pattern = re.compile(rf"(?<![\w-])(?<![A-Z][\w.-] )(?<![A-Z][\w.-]{{2}} ){re.escape(bare)}(?![\w-])(?! [A-Z])")
        if not pattern.search(out):
            continue
        if m["label"] == "PERSON":
            fuller = fuller_forms(m, mentions)
            if fuller is None:
                return None
            forms = {" ".join(f["text"].split()) for f in fuller}
        else:
            words = bare.split()
            forms = {
                " ".join(o["text"].split())
                for o in mentions
                if o["label"] == m["label"] and len(words) > 1 and o["text"].split()[-len(words) :] == words
            } - {bare}
            forms = forms if len(forms) == 1 else set()
        if forms and not any(re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", out) for f in forms):
            out = pattern.sub(min(forms, key=len), out, count=1)
    return out


# an emphasis word before a value is the writer's tone, no part of the value: "just two million" -> "two million"
_HEDGE = re.compile(r"^(?:just|only|merely|a mere|a whopping|a staggering|a paltry)\s+(?=[\d$£€a-z])", re.I)


def unhedged(mention: dict[str, Any]) -> dict[str, Any]:
    """The value mention without a leading emphasis word (``_HEDGE``), its offsets moved with it."""
    found = _HEDGE.match(str(mention.get("text", "")))
    if mention.get("label") not in VALUE_LABELS or found is None or found.end() >= len(mention["text"]):
        return mention
    cut = found.end()
    return {**mention, "text": mention["text"][cut:], "start": mention["start"] + cut}
