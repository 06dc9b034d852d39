"""Question phrasings a template makes of a sentence that does not carry them (round-9 news audit):
each is a grammatical question whose meaning the source does not support as asked."""

from __future__ import annotations

import re

# a definite joint event whose other party the question leaves out: "When did the partnership with X begin?"
_ONE_PARTY = re.compile(
    r"^\w+ (?:did|does|do|was|is|were|has|had|will) the (?:partnership|agreement|deal|contract|merger|alliance|"
    r"collaboration|relationship|talks|match|game|fight|clash|meeting|rivalry|tie) (?:with|against)\b",
    re.I,
)
# "Who knows only too well that ...?", "Who believes that ...?": a lede's opinion, no verifiable fact
_OPINION = re.compile(r"^who (?:knows|knew|believes|thinks|feels|hopes|fears|suspects|understands)\b.*\bthat\b", re.I)
# "With which organization did Orla Foods partner?": an associative verb with nothing after it has many answers
_BARE_ASSOCIATE = re.compile(
    r"^(?:[Ww]ith|[Aa]gainst|[Aa]longside) (?:which \w+|whom) (?:did|does|do|has|have|had) "
    r"(?:[A-Z][\w'.&-]*\s)+[a-z]+(?: up)?\?$"
)


def phrasing_defect(question: str) -> str | None:
    """Phrasings the source does not carry: an absolute phrase asked ("With how many listeners is X
    the least heard?"), an "of" stranded after a nested phrase ("... a major in the reserve force
    of?"), one party of a joint event, an opinion lede, an associative verb asked bare."""
    if re.match(r"with how (many|much)\b", question, re.I):
        return "absolute_phrase"
    if re.search(r"\b(?:in|on|at|for|with|from|into) (?:the|a|an) [\w' -]+ of\?$", question):
        return "stranded_of"
    if _ONE_PARTY.match(question):
        return "one_party"
    if _OPINION.match(question):
        return "opinion_lede"
    if _BARE_ASSOCIATE.match(question):
        return "bare_associate"
    return None
