"""What a mention's words say about what it names: keys, heads, acronyms, name parts.

Everything here is a pure function of the mention text (and label), so the resolver computes
it once per distinct name, not once per mention, which keeps a million mentions cheap.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

STOP = frozenset({"of", "and", "the", "for", "&", "de", "in", "on", "at", "a", "an", "to", "du", "des", "la", "le"})
LEGAL_FORMS = frozenset(
    "inc corp corporation ltd llc co company plc gmbh ag sa nv bv as asa ab oy spa srl sas kg se lp llp".split()
)
# Words before a name that are not part of it: titles and roles ("Dr. Amara Okafor").
TITLES = frozenset(
    "mr mrs ms miss dr prof professor sir dame lord lady president senator minister judge gen general "
    "capt captain col lt sgt rev st saint chairman chairwoman ceo".split()
)
# Leading function words dropped from keys ("on Friday" == "Friday", "his brother" == "brother").
_LEADING = frozenset(
    "the a an this that these those his her its their our my your on in at by from to of about around "
    "early late during since until".split()
)
# Where a noun phrase's head ends: "a ridge in Aoraki" -> "ridge", "Banky , 40" -> "banky".
_CUT = frozenset(
    ", ( ) - – — ; : of in at on from with who whom whose which that near to for by , after before".split()
)
PRONOUNS = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
    "it": "n",
    "its": "n",
    "itself": "n",
    "they": "p",
    "them": "p",
    "their": "p",
    "theirs": "p",
    "themselves": "p",
    "we": "p1",
    "us": "p1",
    "our": "p1",
    "ours": "p1",
    "i": "s1",
    "me": "s1",
    "my": "s1",
    "mine": "s1",
    "you": "s2",
    "your": "s2",
    "who": "r",
    "whom": "r",
    "whose": "r",
    "which": "r",
    "that": "r",
}
TEMPORAL = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight morning "
    "evening night afternoon week weekend month year season day hour minute second time weeks months "
    "years days hours january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec annual".split()
)


_YEAR = re.compile(r"\b(1[5-9]|20)\d\d\b")


def normalize_name(text: str) -> str:
    """Casefolded, accent-free, punctuation-free name without "the" and possessives."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]s\b", "", text.casefold())
    text = re.sub(r"[^\w\s&]", " ", text)
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def org_key(key: str) -> str:
    """The key without trailing legal forms: "tidewater holdings ltd" -> "tidewater holdings"."""
    words = key.split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words = words[:-1]
    return " ".join(words)


def initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in STOP and w[0].isalpha())


def is_acronym(text: str) -> bool:
    text = text.strip()
    return bool(re.fullmatch(r"[A-Z][A-Z&. ]{1,9}", text)) and 2 <= sum(c.isalpha() for c in text) <= 8


def singular(word: str) -> str:
    """A cheap English singular for head matching ("officers" -> "officer")."""
    if len(word) <= 3 or not word.isalpha() or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("men"):
        return word[:-3] + "man"
    return word[:-1] if word.endswith("s") else word


@dataclass(frozen=True)
class Name:
    """The parts of one surface form that the rules look at."""

    key: str  # normalized name (leading function words dropped)
    kind: str  # "proper", "nominal", "pronoun" or "temporal"
    head: str  # lowercase head word (singular for common nouns)
    core: str  # proper names: the capitalized run without titles and legal forms ("sanjay gupta")
    acronym: str  # the letters when the mention is an acronym ("nrec"), else ""
    initials: tuple[str, ...]  # initials of a multi-word core, with and without legal forms
    gender: str  # pronouns: m, f, n, p, ...; otherwise ""


_JOINERS = frozenset({"of", "and", "&", "de", "du", "la", "van", "von", "der", "den", "for"})


def _phrase(words: list[str]) -> list[str]:
    """The words up to the first cut ("a ridge in Aoraki" -> "a ridge"), keeping "Bank of England"."""
    phrase: list[str] = []
    for i, word in enumerate(words):
        lowered = word.lower()
        if i > 0 and (lowered in _CUT or word in ",;:()"):
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if lowered in _JOINERS and phrase[-1][:1].isupper() and nxt[:1].isupper():
                phrase.append(word)
                continue
            break
        phrase.append(word)
    return phrase


def _capitalized_run(phrase: list[str]) -> list[str]:
    """The last run of capitalized words (joiners and dots inside): "tackle Jamal Williams" -> 2 words."""
    run: list[str] = []
    for word in reversed(phrase):
        numbered = word[:1].isdigit() and any(c.isalpha() for c in word)  # "76ers", "3M"
        if word[:1].isupper() or numbered or (run and (word.lower() in _JOINERS or not word[:1].isalnum())):
            run.insert(0, word)
        elif run:
            break
    while run and (run[0].lower() in ("of", "and", "&", "for") or not run[0][:1].isalnum()):
        run.pop(0)
    return run


def _common_head(phrase: list[str]) -> bool:
    """ "Obama administration", "a Detroit office building": a common noun led by a name."""
    last = phrase[-1] if phrase else ""
    return len(phrase) > 1 and last[:1].islower() and last.isalpha() and last.lower() not in _JOINERS


@lru_cache(maxsize=1 << 20)
def parse_name(text: str) -> Name:
    """Classify and key one surface form; cached because names repeat a lot."""
    raw = [t for t in text.split() if t]
    lowered = [t.lower() for t in raw]
    if len(raw) == 1 and lowered[0] in PRONOUNS:
        return Name(lowered[0], "pronoun", lowered[0], "", "", (), PRONOUNS[lowered[0]])
    start = 0
    while start < len(raw) - 1 and lowered[start] in _LEADING:
        start += 1
    words = raw[start:]
    phrase = _phrase(words)
    key = normalize_name(" ".join(words))
    tokens = key.split()
    capitalized = [w for w in phrase if w[:1].isupper() and w.lower() not in STOP]
    named = any(normalize_name(w) not in TEMPORAL for w in capitalized)
    head_words = normalize_name(" ".join(phrase)).split() or tokens or [""]
    if (head_words[-1] in TEMPORAL or TEMPORAL.intersection(tokens) or _YEAR.search(key)) and not named:
        kind = "temporal"
    elif named and any(c.isalpha() for c in key) and not _common_head(phrase):
        kind = "proper"
    else:
        kind = "nominal"
    core, found = "", ()
    if kind == "proper":
        parts = normalize_name(" ".join(_capitalized_run(phrase) or phrase)).split()
        while len(parts) > 1 and parts[0] in TITLES:
            parts = parts[1:]
        full = " ".join(parts)
        core = org_key(full)
        found = tuple(dict.fromkeys(i for i in (initials(full), initials(core)) if len(i) > 1))
    head = core.split()[-1] if core else singular(head_words[-1])
    acronym = ""
    if (len(words) == 1 and is_acronym(words[0])) or (len(words) > 1 and is_acronym(" ".join(words))):
        acronym = re.sub(r"[^a-z&]", "", " ".join(words).lower())
    return Name(key, kind, head, core, acronym, found if len(core.split()) > 1 else (), "")


PERSON_LABELS = frozenset({"PERSON", "PER", "HUM"})
ORG_WORDS = frozenset(
    "company firm group corporation bank institute university college agency ministry club network navy army "
    "organization organisation "
    "inc corp ltd llc plc ag gmbh as asa co capital holdings energy power partners systems services board "
    "committee council department bank institute association foundation academy navy police patrol".split()
)
PERSON_NOUNS = frozenset(
    "man woman boy girl person people driver coach player actor actress host comedian singer climber "
    "brother sister mother father son daughter wife husband friend officer suspect victim employee "
    "accountant worker chief executive ceo chairman chairwoman president minister director founder "
    "manager spokesman spokeswoman spokesperson receiver tackle surgeon doctor nurse lawyer judge "
    "pirate pirates gunman teacher student mayor governor senator reporter author researcher scientist "
    "engineer partner investor analyst official leader member".split()
)


def is_person_like(name: Name, label: str | None) -> bool:
    """Could this mention be a person? Labels decide when they are specific."""
    if name.kind == "pronoun":
        return name.gender in ("m", "f")
    if label and label not in PERSON_LABELS and label != "ENTITY":
        return False
    if name.kind == "nominal":
        return name.head in PERSON_NOUNS
    if name.kind != "proper" or name.acronym:
        return False
    words = name.core.split()
    return 0 < len(words) <= 4 and not ORG_WORDS.intersection(words)


def short_form_of(short: Name, long: Name, long_label: str | None = None) -> str:
    """ "start" or "end" when ``short``'s core is the first or last words of ``long``'s, else "".

    A single last word counts only for people ("Marsh" -> "Helena Marsh"): the last word of an
    organization is its kind ("Board" is not "Scientific Advisory Board").
    """
    words, other = short.core.split(), long.core.split()
    n = len(words)
    if not words or short.acronym or not 0 < n < len(other):
        return ""
    if other[:n] == words:
        return "start"
    if other[-n:] == words and (n > 1 or is_person_like(long, long_label)):
        return "end"
    return ""


PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def labels_compatible(a: str | None, b: str | None, strict: bool) -> bool:
    """Trusted labels must be equal; voted (noisy) ones may differ, but never a place and a
    non-place, nor a nationality and anything else ("Bergen" is no "Bergen Ocean Laboratory")."""
    if a is None or b is None or a == b:
        return True
    if strict:
        return False
    if "NORP" in (a, b):
        return False
    return (a in PLACE_LABELS) == (b in PLACE_LABELS)


def first_and_last(core: str) -> tuple[str, str]:
    """A person core's first and last word ("", "") when it has fewer than two words."""
    words = core.split()
    return (words[0], words[-1]) if len(words) > 1 else ("", "")


def long_forms_conflict(a: str, b: str) -> bool:
    """Two multi-word names where neither's words contain the other's: different things."""
    wa, wb = set(a.split()), set(b.split())
    if len(wa) < 2 or len(wb) < 2 or wa <= wb or wb <= wa or _initial_variant(a, b):
        return False
    only_a, only_b = wa - wb, wb - wa
    if len(only_a) == 1 and len(only_b) == 1:  # one word spelled two ways: "Lindqvist" / "Lindquist"
        x, y = next(iter(only_a)), next(iter(only_b))
        return not (min(len(x), len(y)) >= 5 and x[0] == y[0] and fuzz.ratio(x, y) >= 80)
    return True


def _initial_variant(a: str, b: str) -> bool:
    """ "j smith" and "john smith" name the same person as far as the words tell."""
    fa, la = first_and_last(a)
    fb, lb = first_and_last(b)
    return bool(fa and fb and la == lb and (len(fa) == 1 or len(fb) == 1) and fa[0] == fb[0])
