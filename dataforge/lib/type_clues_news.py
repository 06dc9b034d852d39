"""More context clues for an entity's type, found in news text (``entity_types`` adds them to its vote).

- ``org_appositive``: the name stands next to a noun for an organization ("Roscosmos, the Russian
  Federal Space Agency, said", "space agency Roscosmos", "the firm Zelbo"): ORG, though spaCy's
  small model calls an unknown one-word name PERSON and the organization "said" things;
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
