"""The last check of a generated question: one a person would write, about something named.

The templates and the dependency rewrites (``templates``, ``depqa``) make questions from one
sentence; what they get wrong shows in the question itself. The strict audits found:

- no named subject: "When was the agreement signed?", "Who became chief executive?"
- template garbling: "Who did a division lead by?", "When did Zeeland The Ostrea ... ?",
  "How much did Halloran Blue contribute of the round?", "active in both offshore wind?"
- no agreement: "Since when has the Lofoten islands produced electricity?"
- a type the document contradicts: "Which organization chairs the board?" -> "Lindqvist",
  while the document calls Anders Lindqvist a person

Each check returns the reason it fails (or nothing); the generator drops a question with any.
The spaCy check parses the question itself (the pipeline's model, loaded once per process).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from dataforge.lib.generate.lexicon import VALUE_LABELS, VERBS
from dataforge.lib.generate.question_phrasing import phrasing_defect

_WH_PHRASE = re.compile(
    r"^((by|since|until|with|from|to|for|in|on|at|under|against|about|as|of) )?"
    r"(who|whom|whose|when|where|how (much|many)( \w+)?|which \w+|what \w+)\b",
    re.I,
)
_FUNCTION_CAPS = frozenset(
    "The A An In On At For Of By With From To As And Or But Its His Her Their This That These Those Some Many "
    "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Twenty Thirty Hundred Since Until After "
    "Before During Despite Within Last Next Early Late Earlier Later Also Meanwhile However Yesterday Today".split()
)  # fmt: skip
_AUX_WORDS = frozenset("did does do is was were are has have had will can could would".split())
_STOP = frozenset("the a an of and for in on at to de van von der la le".split())
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
# a time placed only by the sentence before: "Who surged in Iowa a few weeks later?"
_RELATIVE_TIME = re.compile(
    r"\b(?:(?:a few|a couple of|several|some|many|\w+) (?:days|weeks|months|years|decades)|a (?:day|week|month|year)) "
    r"(?:later|earlier|after|afterwards|before)\b(?! (?:the|a|an|his|her|its|their|[A-Z0-9]))"
    r"|\b(?:the (?:following|next|previous|same) (?:day|week|month|year)|shortly (?:after|afterwards)|soon after)\b"
    r"(?! (?:the|a|an|his|her|its|their|[A-Z0-9]))",
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART_OF_DAY = r"(?: (?:morning|afternoon|evening|night))?"
_PERIOD = (
    r"(?:night|week|weekend|month|year|season|term|summer|winter|spring|autumn|fall|campaign|morning|afternoon|"
    r"evening)"
)
# a time placed only by the article's own date: "Who was the hero on Sunday?", "... last season?"
_DEICTIC_DAY = re.compile(
    rf"\b(?:(?:on|last|this|next|since|until|by) )?(?:{_WEEKDAY}{_PART_OF_DAY}|yesterday{_PART_OF_DAY}|"
    r"today|tonight|tomorrow|last night)\b(?! [A-Z0-9])"  # not "the Sunday League"
)
_DEICTIC_PERIOD = re.compile(
    rf"\b(?:(?:earlier|later) )?(?:last|this|next|(?:the )?(?:past|coming)(?: \w+)?) {_PERIOD}s?\b"
    r"|\b(?:\w+|\d+) (?:days?|weeks?|months?|years?|decades?) ago\b|\b(?:currently|recently|nowadays)\b",
    re.I,
)


def deictic_time(question: str) -> re.Match[str] | None:
    """The first time expression of ``question`` that only the article's date places: a weekday,
    "yesterday", "last night" (a date can resolve those: ``deictic_day``), or "this season", "five
    years ago", "over the past 12 months" (nothing resolves those)."""
    found = [m for m in (_DEICTIC_DAY.search(question), _DEICTIC_PERIOD.search(question)) if m]
    return min(found, key=lambda m: m.start()) if found else None


def deictic_day(found: re.Match[str]) -> bool:
    return found.re is _DEICTIC_DAY


# financial and economic measures written as acronyms: a quantity of someone, no one's name
_MEASURES = frozenset("EBITDA EBIT EBITA EPS GDP GNP CPI ROI ROE ROA CAGR NAV AUM ARR MRR KPI".split())
_CALENDAR = frozenset(
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday".split()
)
_POSSESSION = frozenset("own owns owned hold holds held control controls controlled have has had".split())


def _after_wh(question: str) -> str:
    m = _WH_PHRASE.match(question)
    return question[m.end() :] if m else question


def surface_defect(question: str) -> str | None:
    """A template garbling visible in the words themselves."""
    words = question.rstrip("?").split()
    if any(
        w in _FUNCTION_CAPS and not (len(w) == 1 and prev[:1].isupper())
        for prev, w in zip(words, words[1:], strict=False)
    ):
        return "capitalised_function_word"  # a sentence start or a heading spliced in: "did The Lofoten"
    if _RELATIVE_TIME.search(question):
        return "relative_time"
    if re.search(r"\b[a-z]\. ?[a-z]\?$", question):
        return "cut_abbreviation"  # "... around 10:30 a. m?": the abbreviation's last stop eaten by the "?"
    if re.match(r"(in|on|at|into) which (?!place|country|city|region|facility)\w+\b", question, re.I):
        return "place_preposition"  # "On which organization did she serve?": a court or a platform is no place
    if re.search(r"\b(also|likewise|similarly)\b", question):
        return "linking_adverb"  # "When was the regiment also disbanded?": "also" points at a sentence left out
    if re.search(r",\s+(?!the [A-Z])(?!\w+ and )[a-z]", question):
        return "trailing_clause"  # "..., four of them funded entirely by the programme?"
    if re.search(r"\bboth\b", question) and not re.search(r"\bboth\b.*\band\b", question):
        return "both_without_and"
    if re.search(r"\b(did|does|do)\b.*\bby\?$", question):
        return "active_by"  # "Who did a division lead by?": a passive turned active
    if re.match(r"(since |until )?when (do|does)\b", question, re.I):
        return "present_when"  # "When does Northwind follow a Series A ...?": a past event asked in the present
    if re.search(r"\b(said|says|say|told|added|announced|reported)( on \w+| last \w+| in \w+)?\?$", question) or (
        re.search(r"\b(told|asked)( [A-Z][\w'-]*){1,3}\?$", question)
    ):
        return "nothing_said"  # "Which organization said on Friday?": what was said is the point
    if re.match(r"(since |until )?when\b", question, re.I) and _YEAR.search(question):
        return "second_date"  # "When did Okafor build the group from three in 2016 to nineteen?" -> 2023
    if re.match(r"which (place|country|city|region)\b", question, re.I):
        return "place_as_actor"  # "Which place got a solid start ...?": a team or a person the NER took for a place
    if re.match(r"(who|which \w+) \w+ly\b", question, re.I):
        return "adverb_first"  # "Which organization officially has spent ...?"
    if re.match(r"how much (did|does|do|is|was|has|have)\b", question, re.I) and re.search(r"\b\w+ of the\b", question):
        if re.search(r"\b(contribute|contributed|pay|paid|raise|raised|invest|invested)\w* of\b", question):
            return "split_quantity"  # "How much did Halloran Blue contribute of the round?"
    m = re.match(r"how much (does|do|did) .+ (\w+)\?$", question, re.I)
    if m and m.group(2).lower() in _POSSESSION:
        return "share_of_nothing"  # "How much does NREC own?": a share of what?
    return phrasing_defect(question)


def unnamed(question: str, names: set[str], lower_words: frozenset[str] = frozenset()) -> bool:
    """No entity the document names in the question (beyond its wh-phrase): the reader cannot
    tell whose agreement, which programme or which board is meant. A date is no name: "Who joined
    as chief financial officer in April 2020?" does not say which company."""
    rest = _after_wh(question)
    for name in names:
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", rest):
            return False
    name_words = {w for n in names for w in n.split() if w[:1].isupper() and w.lower() not in _STOP}
    words = re.findall(r"[\w'-]+", rest)
    after, dated = [*words[1:], ""], False
    for k, (prev, w) in enumerate(zip(["did", *words], words, strict=False)):
        if w in name_words:
            return False  # "Ostrea" of "the Ostrea Offshore Wind Farm"
        bare = re.sub(r"['\u2019]s$", "", w)
        if bare in _MEASURES or (bare.isupper() and (prev[:1].isdigit() or after[k][:1].isdigit())):
            continue  # a measure or a unit is no name: whose EBITDA ("EUR 41.7 million"), it does not say
        if len(bare) >= 2 and bare.isupper() and bare.isalpha():
            return False  # an acronym the NER missed ("TIDEWAKE's committee")
        if bare in _CALENDAR:
            dated = True  # "April", "Tuesday": no name the NER missed
            continue
        if lower_words and w[:1].isupper() and w.lower() not in lower_words and prev.lower() not in _AUX_WORDS:
            return False  # a name the NER missed ("the World Series of Golf"); not "did Headcount"
    # a dated event asked whole stands alone ("Which facility delivered first power on 21 September 2023?");
    # a date does not say whose role or thing: "Who joined as chief financial officer in April 2020?"
    return not dated or bool(re.search(r"\b(?:the|its|their)\s+[a-z]|\bas\s+(?:an? |the )?[a-z]", rest))


def doc_names(mentions: list[dict[str, Any]]) -> set[str]:
    """The surface forms of the named (non-value) mentions of a document."""
    return {
        " ".join(m["text"].split()) for m in mentions if m["label"] not in VALUE_LABELS and len(m["text"].strip()) > 1
    }


def type_doubt(mentions: list[dict[str, Any]], answer: str, label: str) -> bool:
    """The document gives the answer's name another named type elsewhere ("Lindqvist" ORG while
    "Anders Lindqvist" is a PERSON; "Halden" GPE inside "Halden Marine Power" ORG): the wh-word
    would rest on a guess."""
    if label in VALUE_LABELS:
        return False
    a = " ".join(answer.split())
    pattern = re.compile(rf"(?<!\w){re.escape(a)}(?!\w)")
    for m in mentions:
        other = " ".join(m["text"].split())
        if m["label"] != label and m["label"] not in VALUE_LABELS and (other == a or pattern.search(other)):
            return True
    return False


@lru_cache(maxsize=1)
def _nlp() -> Any:
    from dataforge.lib.nlp import load_spacy

    return load_spacy()


_SINGULAR_AUX = frozenset("does has is was".split())
_PLURAL_AUX = frozenset("do have are were".split())


def _base_verb(token: Any, lower_words: frozenset[str]) -> bool:
    """A verb's base form, as do-support needs: a known verb, one the document inflects
    ("review" beside "reviewed"), or one the tagger calls VB that does not look like an agent
    noun (the small model tags "winger" VB)."""
    w = token.lower_
    if w in VERBS or {w + "ed", w + "d", w[:-1] + "ied"} & lower_words:
        return True
    return token.tag_ == "VB" and not w.endswith(("er", "or", "ist", "ian"))


def _plural_head_after(tokens: list[Any], i: int) -> bool:
    """The noun phrase right after the auxiliary ends in a plural common noun (its modifiers,
    gerunds the tagger calls VBG among them, skipped): the tags, not the small model's arcs."""
    for t in (t for t in tokens if t.i > i):
        if t.tag_ in ("DT", "JJ", "JJR", "JJS", "CD", "VBG", "NN", "POS", "PRP$"):
            continue
        if t.tag_ == "NNS":
            nxt = next((u for u in tokens if u.i > t.i), None)
            return nxt is None or nxt.tag_ in ("IN", "VBN", "VB", "VBD", "RB")
        return False
    return False


# verbs that read cut without an object or a clause: "see", "said", "reveal" ("When did McLean see?")
NEEDS_OBJECT = frozenset(
    "see say tell add write make take give find reveal describe show want need use get bring hold include put "
    "announce confirm deny claim admit insist explain warn note suggest believe know think expect hope offer buy "
    "sell sign acquire raise build create produce release launch receive send ask thank call visit like "
    "love hate miss face".split()
)
_COMPLEMENT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "acomp", "oprd", "dative", "prt", "nsubjpass"})
_NOT_OBJECT_WH = re.compile(
    r"^(?:(?:since |until )?when|where|by how much|\w+ (?:which|whom) \w+|(?:who|which \w+) (?!did|does|do|is|was|"
    r"were|are|has|have|had|will|can|could|would)\w+)\b",
    re.I,
)


def _object_left_out(question: str, root: Any) -> bool:
    """The question does not ask for the object, and its verb needs one it lacks."""
    if root.lemma_.lower() not in NEEDS_OBJECT or not _NOT_OBJECT_WH.match(question):
        return False
    if any(t.dep_ == "auxpass" for t in root.children):
        return False  # a passive: "When was the deal signed?" has its object as subject
    return not any(t.dep_ in _COMPLEMENT_DEPS for t in root.subtree if t.i > root.i)  # "knows ... well that ..."


@lru_cache(maxsize=4096)
def parse_defect(question: str, lower_words: frozenset[str] = frozenset()) -> str | None:
    """Grammar the parse of the question itself shows: no finite verb, "do" with no verb after
    its subject, an auxiliary that does not agree with its subject, a dangling determiner."""
    doc = _nlp()(question)
    tokens = [t for t in doc if not t.is_punct]
    if not tokens or not any(t.tag_.startswith("VB") or t.tag_ == "MD" for t in tokens):
        return "no_verb"
    if tokens[-1].tag_ in ("DT", "PDT", "CC", "PRP$", "POS", "TO", "WDT"):
        return "dangling_word"
    root = next((t for t in doc if t.dep_ == "ROOT"), tokens[0])
    if root.lemma_ == "be" and re.match(r"(since |until )?(when|where)\b", question, re.I):
        if any(c.dep_ == "attr" for c in root.children):
            return "copular_when"  # "When is NREC the largest private funding round ...?"
    if _object_left_out(question, root):
        return "object_left_out"  # "When did McLean see?", "Which organization said in its latest update?"
    first_aux = next((t for t in tokens[:6] if t.lower_ in _SINGULAR_AUX | _PLURAL_AUX | {"did"}), None)
    if first_aux is None:
        return None
    if first_aux.lower_ in ("did", "does", "do") and not any(
        _base_verb(t, lower_words) for t in tokens if t.i > first_aux.i
    ):
        return "do_without_verb"  # "Who do Rhinos winger?"
    if first_aux.lower_ in _SINGULAR_AUX and _plural_head_after(tokens, first_aux.i):
        return "agreement"  # "How many participants has engineering students from West Africa trained?"
    head = first_aux if first_aux.dep_ == "ROOT" else first_aux.head
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > first_aux.i), None)
    if subject is None or subject.lower_ in ("who", "what", "which"):
        return None
    plural = subject.tag_ == "NNS" or any(c.dep_ == "conj" for c in subject.children)
    singular = subject.tag_ in ("NN",) and not any(c.dep_ == "conj" for c in subject.children)
    if first_aux.lower_ in _SINGULAR_AUX and plural and not subject.text.endswith("ss"):
        return "agreement"  # "has the Lofoten islands produced"
    if first_aux.lower_ in _PLURAL_AUX and singular:
        return "agreement"
    return None


GENERIC_CAPS = frozenset(  # a round or a part, no one's name: "the Series C"
    "Series Phase Round Stage Tranche Class Tier Part Chapter".split()
)
MONTHS = re.compile(r"(?i)(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(-[a-z]+)?")


def _name_word(t: Any, lower_words: frozenset[str]) -> bool:
    """A word of a name: capitalised (not a month, not "Series C"), an acronym, not a common word."""
    if len(t.text) > 1 and t.text.isupper() and t.text.isalpha():
        return True
    doc = t.doc
    generic = t.text in GENERIC_CAPS or (t.i > 0 and doc[t.i - 1].text in GENERIC_CAPS and len(t.text) <= 2)
    return t.text[:1].isupper() and not generic and not MONTHS.fullmatch(t.text) and t.lower_ not in lower_words


def unnamed_subject(question: str, lower_words: frozenset[str] = frozenset()) -> bool:
    """The question's subject names no one and nothing else in it does ("How much was net profit
    for the January-June 1996 period?", "When is completion of the Series C expected?"), or it is a
    definite description of something never named ("When was the company founded in Oslo?"): whose,
    the reader cannot tell. A pronoun is left to the referents step; a date or "Series C" is no name."""
    doc = _nlp()(question)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return False
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lower_ in ("who", "what", "which", "whom") or subject.i == 0:
        return False
    clauses = {u.i for c in subject.subtree if c.dep_ in ("acl", "relcl") for u in c.subtree}
    tokens = [t for t in subject.subtree if t.i not in clauses]  # not "founded in Oslo" of "the company founded ..."
    if any(t.tag_ in ("WP", "WDT", "WRB", "PRP", "PRP$") for t in tokens):
        return False
    # the first word may be a sentence start carried in ("Net profit for ..."): a name only when tagged one
    if any(_name_word(t, lower_words) and (t is not tokens[0] or t.tag_ in ("NNP", "NNPS")) for t in tokens):
        return False
    if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in subject.children):
        return True
    ids = {t.i for t in tokens}
    return not any(_name_word(t, lower_words) for t in doc if t.i not in ids and t.i > 0)


def common_capital(question: str, names: set[str], lower_words: frozenset[str]) -> bool:
    """A capitalised word that is no name and that the document writes in lower case elsewhere:
    a sentence start or a heading carried into the question ("When did Headcount reach 652?")."""
    inside = " ".join(n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", question))
    named = set(re.findall(r"[\w'-]+", inside))
    words = re.findall(r"[\w'-]+", question)
    return any(
        len(w) > 1
        and w[:1].isupper()
        and w not in named
        and w.lower() in lower_words
        and not re.fullmatch(r"[A-Z]|\d+", nxt)
        for w, nxt in zip(words[1:], [*words[2:], ""], strict=True)
    )  # "Series A", "Phase 2" are names


@lru_cache(maxsize=8)
def _capitalised(text: str) -> dict[str, int]:
    """How often the document writes each capitalised word of five letters or more."""
    counts: dict[str, int] = {}
    for w in re.findall(r"\b[A-Z][a-z]{4,}\b", text):
        counts[w] = counts.get(w, 0) + 1
    return counts


def misspelt_name(question: str, text: str) -> bool:
    """A capitalised word of the question that the document writes once, where it also writes a
    name one edit (or swap) away after the same word ("MLS side FC Toronoto" beside "FC Toronto"): a source
    typo the question would copy. (Two names one edit apart alone, "Johnson" and "Johnston", are
    two people.)"""
    from rapidfuzz.distance import OSA

    counts = _capitalised(text)
    for w in set(re.findall(r"\b[A-Z][a-z]{4,}\b", question)):
        if counts.get(w, 0) != 1:
            continue
        before = re.search(rf"(\S+) {w}\b", text)
        if before is None:
            continue
        for v in counts:
            if v != w and v[0] == w[0] and OSA.distance(v, w) == 1:
                if re.search(rf"(?<!\S){re.escape(before.group(1))} {v}\b", text):
                    return True
    return False


def question_defect(
    question: str, answer: str, label: str, mentions: list[dict[str, Any]], lower_words: frozenset[str] = frozenset()
) -> str | None:
    """The first reason ``question`` (with ``answer`` of type ``label``) should not ship, or None."""
    reason = surface_defect(question)
    if reason:
        return reason
    names = doc_names(mentions)
    if common_capital(question, names, lower_words):
        return "common_word_capitalised"
    if unnamed(question, names - {" ".join(answer.split())}, lower_words):
        return "unnamed_subject"
    if unnamed_subject(question, lower_words):
        return "unnamed_subject"
    if type_doubt(mentions, answer, label):
        return "type_doubt"
    return parse_defect(question, lower_words)
