"""Context clues for an entity's type that ``entity_types`` adds to its vote.

spaCy's small model calls a programming language or a piece of software ORG ("Rust", "Docker
Engine") and a one-word name it does not know PERSON ("Redonda", "Louvre"). These clues say
what the text around a name shows instead:

- ``technology``: the name is used as software is ("written in Rust", "Rust code", "the Python
  library", "install Docker Engine", "Python 3.11"): PRODUCT, never ORG;
- ``person_verb``: a verb of speech right by the name ("says Li", "Bolger said"): a person, the
  weakest person clue (organizations say things too), enough only beside spaCy's PERSON;
- ``merged_list``: one span that joins names the document also writes apart ("Zotac, Asus",
  "Windows and Mac"): no single entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TECH_NOUNS = (
    r"code|codebase|source code|librar(?:y|ies)|crates?|packages?|modules?|compiler|interpreter|runtime|toolchain|"
    r"syntax|scripts?|binar(?:y|ies)|installer|installation|plugins?|extensions?|SDK|APIs?|framework|"
    r"programmers?|developers|bindings|wrappers?|implementation|versions?|"
    r"(?:programming |scripting |systems )?language|command|commands|CLI|daemon"
)
_TECH_AFTER = re.compile(rf"^(?:['’]s)?\s+(?:{_TECH_NOUNS})\b|^\s+v?\d+(?:\.\d+)+\b")
_TECH_BEFORE = re.compile(
    r"\b(?:written|programming|programmed|coded|implemented|rewritten|scripting|code|developed|built) in\s+$|"
    r"\b(?:install|installs|installing|installed|uninstall|download|downloading|upgrade|upgrading|"
    r"compile|compiling|run|running|launch|launching|open|opening|configure|configuring)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_TECH_IS = re.compile(
    rf"^\s+(?:is|was|remains)\s+(?:still\s+)?(?:a|an|the)\s+(?:\w+[- ]){{0,3}}?(?:{_TECH_NOUNS}|software|app|"
    r"application|tool|editor|platform|operating system|browser)\b",
    re.IGNORECASE,
)
TECH_MIN = 2  # one "install X" is not enough: "run Google", "open Amazon" read the same

_SPEECH_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:says|said|told|tells|added|adds|explained|explains|recalls|recalled|wrote|writes|"
    r"argued|argues|noted|notes|admitted|admits|insisted|insists)\b"
)
_SPEECH_QUOTE_BEFORE = re.compile(r"\b(?:says|said|added|explained|noted|argued|recalled|wrote)\s+$")


def technology_contexts(text: str, spans: Iterable[tuple[int, int]]) -> int:
    """How many of the name's occurrences at ``spans`` read as software ("Rust code", "written in Rust")."""
    found = 0
    for start, end in spans:
        before, after = text[max(0, start - 30) : start], text[end : end + 60]
        if _TECH_AFTER.match(after) or _TECH_BEFORE.search(before) or _TECH_IS.match(after):
            found += 1
    return found


def speech_verb(text: str, start: int, end: int) -> str:
    """The verb of speech right after or before a name ("said", "says"), or ""."""
    after = _SPEECH_AFTER.match(text[end : end + 30])
    if after:
        return after.group(0).strip(" ,")
    before = text[max(0, start - 30) : start]
    if _SPEECH_QUOTE_BEFORE.search(before):
        return before.split()[-1]
    return ""


_LIST_SEP = re.compile(r"\s*,\s*(?!(?:Inc|Ltd|LLC|Jr|Sr|plc|LLP)\b)|\s+(?:and|&)\s+")


def merged_list(name: str, names: Iterable[str]) -> bool:
    """Is ``name`` a list the model merged into one span: parts joined by a comma, or by "and"
    where one part is a name the document also writes alone ("Windows and Mac" beside "Mac")?"""
    parts = [p for p in _LIST_SEP.split(name) if p]
    if len(parts) < 2:
        return False
    if re.search(r",\s*(?!(?:Inc|Ltd|LLC|Jr|Sr|plc|LLP)\b)", name) and all(p[:1].isupper() for p in parts):
        return True
    known = {" ".join(n.split()) for n in names} - {name}
    return any(p in known for p in parts)


_REFERENCE = re.compile(
    r"(?:Figs?|Figures?|Tables?|Eqs?|Equations?|Sections?|Secs?|Appendix|Chapters?|Ch|Vol|No|Art|Para|Step|Part)"
)


def reference_word(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a pointer into the document ("Fig. 5", "Table 2", "Eq. (3)"), no name?"""
    return bool(_REFERENCE.fullmatch(text[start:end].rstrip("."))) and bool(
        re.match(r"\.?\s*\(?\d", text[end : end + 6])
    )


# "Chung W-H, Hung S-I", "Ramasamy SN et al.": a surname and initials in a list of authors
_AUTHOR = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z]{1,3}(?:-[A-Z])?")
_AUTHOR_AFTER = re.compile(r"^(?:,\s*(?:and\s*)?[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z]{1,3}\b|\s+et al\b)")


def author_initials(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` an author written surname-first with initials, in a list of authors?"""
    return bool(_AUTHOR.fullmatch(text[start:end])) and bool(_AUTHOR_AFTER.match(text[end : end + 40]))


# "Pieter van Dijk", "Ana de la Cruz", "Omar bin Said": a surname particle between capitalised names
_PARTICLE_NAME = re.compile(
    r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:van der|van den|van|von|de la|de|der|den|da|di|du|del|bin|ibn)\s[A-Z][a-z]+"
)


def particle_name(form: str) -> bool:
    """Is ``form`` a person's name by its shape: given name, surname particle, surname?"""
    return bool(_PARTICLE_NAME.fullmatch(form))
