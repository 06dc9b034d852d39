"""English for the schema relations of ``dataforge.lib.relation_schema``: one template per relation.

Examples state, ask and describe a fact by its schema name, never by the predicate the parser
found ("find", "submit in"), so every relation reads the same way wherever it came from.
``FUNCTIONAL`` says which end of a relation has a single value (an organization has one chief
executive, one headquarters, one acquirer): only that end is asked as a question, described as
"the company that acquired X", or replaced to make a false yes/no statement; the other end can
have many values ("Who founded X?" may have two answers).
"""

from __future__ import annotations

import re

# relation -> (statement, yes/no question); {h} and {t} are the head and tail in schema order
_TEMPLATES: dict[str, tuple[str, str]] = {
    "founded_by": ("{h} was founded by {t}.", "Was {h} founded by {t}?"),
    "ceo_of": ("{h} is the chief executive of {t}.", "Is {h} the chief executive of {t}?"),
    "chair_of": ("{h} is the chair of {t}.", "Is {h} the chair of {t}?"),
    "president_of": ("{h} is the president of {t}.", "Is {h} the president of {t}?"),
    "leader_of": ("{h} leads {t}.", "Does {h} lead {t}?"),
    "spokesperson_of": ("{h} is a spokesperson for {t}.", "Is {h} a spokesperson for {t}?"),
    "employee_of": ("{h} works for {t}.", "Does {h} work for {t}?"),
    "member_of": ("{h} is a member of {t}.", "Is {h} a member of {t}?"),
    "affiliated_with": ("{h} is affiliated with {t}.", "Is {h} affiliated with {t}?"),
    "headquartered_in": ("{h} is headquartered in {t}.", "Is {h} headquartered in {t}?"),
    "located_in": ("{h} is located in {t}.", "Is {h} located in {t}?"),
    "born_in": ("{h} was born in {t}.", "Was {h} born in {t}?"),
    "acquired": ("{h} acquired {t}.", "Did {h} acquire {t}?"),
    "owns": ("{h} owns {t}.", "Does {h} own {t}?"),
    "subsidiary_of": ("{h} is a subsidiary of {t}.", "Is {h} a subsidiary of {t}?"),
    "invested_in": ("{h} invested in {t}.", "Did {h} invest in {t}?"),
    "partner_of": ("{h} is a partner of {t}.", "Is {h} a partner of {t}?"),
    "supplier_of": ("{h} supplies {t}.", "Does {h} supply {t}?"),
    "defeated": ("{h} defeated {t}.", "Did {h} defeat {t}?"),
    "alias_of": ("{h} is also known as {t}.", "Is {h} also known as {t}?"),
}

# relation -> the end with one value given the other: "head" (one CEO per company) or "tail"
FUNCTIONAL: dict[str, str] = {
    "ceo_of": "head",
    "chair_of": "head",
    "president_of": "head",
    "acquired": "head",
    "headquartered_in": "tail",
    "born_in": "tail",
    "subsidiary_of": "tail",
}

# ends that have one value in one document, though not in general (a person changes employer, a
# company may have several founders): asked about one document only, never falsified
ASKABLE_IN_DOCUMENT: dict[str, str] = {
    **FUNCTIONAL,
    "employee_of": "tail",
    "affiliated_with": "tail",
    "founded_by": "tail",
}

# (relation, asked end) -> question; {x} is the known end, {wh} the answer's wh-phrase
_QUESTIONS: dict[tuple[str, str], str] = {
    ("ceo_of", "head"): "Who is the chief executive of {x}?",
    ("chair_of", "head"): "Who is the chair of {x}?",
    ("president_of", "head"): "Who is the president of {x}?",
    ("acquired", "head"): "{wh} acquired {x}?",
    ("headquartered_in", "tail"): "Where is {x} headquartered?",
    ("born_in", "tail"): "Where was {x} born?",
    ("subsidiary_of", "tail"): "{wh} is {x} a subsidiary of?",
    ("employee_of", "tail"): "Which organization does {x} work for?",
    ("affiliated_with", "tail"): "Which organization is {x} affiliated with?",
    ("founded_by", "tail"): "Who founded {x}?",
}

# (relation, described end) -> noun phrase body; the described entity is the one with one value
_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("ceo_of", "head"): "the chief executive of {x}",
    ("chair_of", "head"): "the chair of {x}",
    ("president_of", "head"): "the president of {x}",
    ("acquired", "head"): "the {noun} that acquired {x}",
    ("headquartered_in", "tail"): "the place where {x} is headquartered",
    ("born_in", "tail"): "the place where {x} was born",
    ("subsidiary_of", "tail"): "the parent company of {x}",
}

_WH = {"PERSON": "Who", "ORG": "Which organization", "NORP": "Which group", "GPE": "Which place", "LOC": "Which place"}
_NOUN = {"PERSON": "person", "ORG": "organization", "NORP": "group"}


def statement(relation: str, head: str, tail: str) -> str | None:
    """ "NREC acquired Halden Marine Power." for (NREC, acquired, Halden Marine Power)."""
    template = _TEMPLATES.get(relation)
    if not template:
        return None
    said = template[0].format(h=head, t=tail)
    return said[:1].upper() + said[1:]  # "the North Sea Energy Institute ..." opens a sentence


def yes_no(relation: str, head: str, tail: str) -> str | None:
    template = _TEMPLATES.get(relation)
    return template[1].format(h=head, t=tail) if template else None


def question(relation: str, ask: str, known: str, answer_label: str) -> str | None:
    """A question whose single answer is the ``ask`` end ("head"/"tail"); None for a many-valued end."""
    template = _QUESTIONS.get((relation, ask))
    wh = _WH.get(answer_label)
    if template is None or wh is None or re.search(r"\s[a-z]+$", known.strip()):
        return None  # a name span run on to a function word ("Faik Nerweyi of") garbles the template
    return template.format(x=known, wh=wh)


def describe(relation: str, end: str, known: str, label: str) -> str | None:
    """The ``end`` entity named through its relation to ``known``: "the company that acquired X"."""
    template = _DESCRIPTIONS.get((relation, end))
    if template is None or (relation == "headquartered_in" and label not in ("GPE", "LOC")):
        return None
    return template.format(x=known, noun=_NOUN.get(label, "organization"))


def schema_line(relations: tuple[str, ...]) -> str:
    """The relation types a reader is asked to find, as one line for an instruction or a record."""
    return ", ".join(relations)
