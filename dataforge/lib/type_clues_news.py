"""More context clues for an entity's type, found in news text (``entity_types`` adds them to its vote).

- ``org_appositive``: the name stands next to a noun for an organization ("Roscosmos, the Russian
  Federal Space Agency, said", "space agency Roscosmos", "the firm Zelbo"): ORG, though spaCy's
  small model calls an unknown one-word name PERSON and the organization "said" things;
- ``place_appositive``: a settlement noun after the name ("Ixopo, a small town south-west of
  Durban"): GPE, where spaCy says LOC;
- ``anonymised_person``: a person the article does not name ("Patient B", "Witness C", "Baby P",
  "Mr X"): PERSON, though spaCy calls "Patient B" ORG;
- ``epithet_name`` and ``reflexive_after``: a first name with its epithet ("Kermit the Frog",
  "Fred the Shred") or a name before "himself"/"herself" is a person or a character: PERSON.
"""

from __future__ import annotations

import re

# head nouns of an organization; the appositive ends at its head ("the company's founder" does not)
_ORG_NOUNS = (
    r"agency|company|firm|corporation|organi[sz]ation|charity|broadcaster|airline|carmaker|automaker|retailer|"
    r"manufacturer|bank|lender|insurer|startup|start-up|conglomerate|watchdog|regulator|network"
)
_ORG_APPOSITIVE_AFTER = re.compile(
    rf"^\s*(?:,|\()\s*(?:the|a|an|its)\s+(?:(?!(?:of|for|at|in|on|to|with|and|or|who|that|which)\b)[\w'’-]+\s+){{0,4}}?"
    rf"(?:{_ORG_NOUNS})\s*[,;:.)]",
    re.IGNORECASE,
)
_ORG_APPOSITIVE_BEFORE = re.compile(rf"\b(?:{_ORG_NOUNS})\s*,?\s+$", re.IGNORECASE)


def org_appositive(text: str, start: int, end: int) -> str:
    """The organization noun in apposition to the name at ``text[start:end]`` ("agency" for
    "Roscosmos, the Russian Federal Space Agency," or "space agency Roscosmos"), or ""."""
    after = _ORG_APPOSITIVE_AFTER.match(text[end : end + 80])
    if after:
        return after.group(0).strip(" ,;:.()").split()[-1].lower()
    before = _ORG_APPOSITIVE_BEFORE.search(text[max(0, start - 30) : start])
    return before.group(0).strip(" ,").split()[-1].lower() if before else ""


# "Ixopo, a small town 85 miles south-west of Durban": a settlement's noun in apposition (cnnx audit: "Ixopo (LOC)")
_PLACE_APPOSITIVE_AFTER = re.compile(
    r"^\s*,\s*(?:a|an|the)\s+(?:(?!(?:of|for|at|in|on|to|with|and|or|who|that|which)\b)[\w'’-]+\s+){0,3}?"
    r"(town|city|village|suburb|municipality|township|hamlet|capital)\b(?!\s+(?:council|hall|centre|center|club))",
    re.IGNORECASE,
)


def place_appositive(text: str, start: int, end: int) -> str:
    """The settlement noun in apposition after the name at ``text[start:end]`` ("town" for "Ixopo,
    a small town 85 miles south-west of Durban"), or ""."""
    after = _PLACE_APPOSITIVE_AFTER.match(text[end : end + 80])
    return after.group(1).lower() if after else ""


# a noun for a person with one capital letter: how a court report or an inquiry hides a name
_ANONYMISED = re.compile(
    r"(?:Patient|Witness|Victim|Suspect|Defendant|Child|Baby|Boy|Girl|Mother|Father|Person|Soldier|Officer|"
    r"Juror|Subject|Student|Mr|Mrs|Ms|Miss|Dr)\.? [A-Z]"
)


def anonymised_person(form: str) -> bool:
    """Is ``form`` a person named by a letter ("Patient B", "Witness C", "Baby P", "Mr X")?"""
    return bool(_ANONYMISED.fullmatch(re.sub(r"^(?:the|The)\s+", "", form.strip())))


_REFLEXIVE_AFTER = re.compile(r"^\s+(?:himself|herself)\b")


def reflexive_after(text: str, end: int) -> str:
    """ "himself" or "herself" right after a name ("Kermit himself noted"): said of a person or a
    character, never of an organization ("itself"); or ""."""
    match = _REFLEXIVE_AFTER.match(text[end : end + 12])
    return match.group(0).strip() if match else ""


# "Alexander the Great", "Kermit the Frog", "Jack the Ripper": a first name and its epithet; a song
# ("Over the Rainbow") opens with no first name, and a show named so ("Grease the Musical") is a work
_EPITHET = re.compile(r"[A-Z][a-z]+ the [A-Z][a-z]+")
_WORK_EPITHETS = frozenset("Musical Movie Film Game Show Series Album Opera Play Band Book Novel".split())


def epithet_name(form: str) -> bool:
    """Is ``form`` a person's or character's first name with its epithet ("Kermit the Frog")?"""
    from dataforge.lib.entity_types import first_name_gender

    words = form.split()
    return bool(_EPITHET.fullmatch(form)) and words[-1] not in _WORK_EPITHETS and bool(first_name_gender(words[0]))


# what follows a dateline's place: ", Country" and/or a date, or the wire's dash ("MINSK 1996-08-30 ...")
_DATELINE_AFTER = re.compile(
    r"^(?:,\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?,?\s*"
    r"(?:\d{4}-\d\d-\d\d\b|\d{1,2} [A-Z][a-z]+ \d{4}\b|[-\u2013\u2014]{1,2}\s)"
)
_CAPS = re.compile(r"[A-Z][A-Z.'\u2019-]{2,}(?:\s+[A-Z][A-Z.'\u2019-]{1,})*")


def dateline_place(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` the place of a dateline: in capitals, near a line's start (at most a
    byline before it), followed by its country or a date ("TAVILDARA, Tajikistan 1996-08-30")?"""
    line_start = text.rfind("\n", 0, start) + 1
    return (
        bool(_CAPS.fullmatch(text[start:end]))
        and len(text[line_start:start].split()) <= 4
        and bool(_DATELINE_AFTER.match(text[end : end + 40]))
    )


def byline_cut(name: str, text: str, end: int) -> int:
    """Where a dateline's place begins in a span that runs a byline into it ("Yuri Kushko TAVILDARA"
    before ", Tajikistan 1996-08-30"), or 0: capitalised words, then words in capitals."""
    words = name.split()
    offsets = [m.start() for m in re.finditer(r"\S+", name)]
    for k in range(1, len(words)):
        if all(w[:1].isupper() and not w.isupper() for w in words[:k]) and _CAPS.fullmatch(" ".join(words[k:])):
            return offsets[k] if _DATELINE_AFTER.match(text[end : end + 40]) else 0
    return 0


_LISTED_BEFORE = re.compile(r"([A-Z][\w.'-]+(?: [A-Z][\w.'-]+)?)(?:,| and| or)\s+(?:and |or )?$")


def place_word_tail(name: str, text: str, start: int, end: int, known_place: frozenset[str]) -> int:
    """The length of a place name without a place word that opens the next noun phrase, or 0:
    "Perth, Brisbane and Adelaide City stores" (the chain's "City stores"): the rest is a known place,
    the whole is not, a lower-case noun follows, and the place ends a list of places or the text
    writes that word and noun without it ("Myer City stores")."""
    from dataforge.lib.entity_words import GPE_WORDS

    words = name.split()
    following = re.match(r"\s+([a-z]+)\b", text[end : end + 30])
    rest = " ".join(words[:-1])
    if len(words) < 2 or words[-1].lower() not in GPE_WORDS or rest not in known_place or name in known_place:
        return 0
    if not following:
        return 0
    listed = _LISTED_BEFORE.search(text[max(0, start - 60) : start])
    pair = rf"(?<![\w-])(\S+\s+)?{re.escape(words[-1])}\s+{re.escape(following.group(1))}\b"
    elsewhere = any(
        (m.group(1) or "").strip() != words[-2] for m in re.finditer(pair, text) if not start <= m.start() < end
    )
    keep = len(name[: name.rstrip().rfind(words[-1])].rstrip())
    return keep if (listed and listed.group(1) in known_place) or elsewhere else 0


# political parties named without "Party" (with it, ``_org_word`` already says ORG): a party is an
# organization, though "Labour said" reads like a person speaking and spaCy calls it PERSON or NORP;
# its members in the plural ("the Tories", "Democrats") are NORP and stay out of the list
PARTY_NAMES = frozenset(
    {"Labour", "Labor", "Lib Dems", "Liberal Democrats", "SNP", "UKIP", "Plaid Cymru", "Sinn Fein", "Sinn Féin"}
    | {"DUP", "UUP", "SDLP", "GOP", "ANC", "BJP", "Likud", "Fidesz", "CDU", "CSU", "SPD", "AfD", "FDP", "Podemos"}
    | {"Syriza", "PASOK", "Fine Gael", "Fianna Fail", "Fianna Fáil", "Kuomintang", "KMT", "ZANU-PF", "Ennahda"}
    | {"Jobbik", "Labour Party", "Conservative Party", "Tory Party", "Green Party", "Reform UK", "Brexit Party"}
    | {"New Labour", "Scottish Labour", "Welsh Labour"}
)
# international bodies a gazetteer also lists as places ("Commonwealth" is a town's name too): the
# organization; "the Commonwealth of Virginia" is another form and not in the list
INTERNATIONAL_BODIES = frozenset(
    {"Commonwealth", "Commonwealth of Nations", "European Union", "United Nations", "NATO", "OPEC"}
    | {"Arab League", "African Union", "ASEAN", "Council of Europe", "European Commission"}
)
