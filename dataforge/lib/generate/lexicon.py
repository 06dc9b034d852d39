"""A small English lexicon for the question templates: labels, verbs and their forms.

Only verbs listed here are conjugated; an unknown verb makes a template give up rather
than guess a wrong form.
"""

from __future__ import annotations

import re

VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
SUBJECT_WH = {
    "PERSON": "Who",
    "ORG": "Which organization",
    "GPE": "Which place",
    "LOC": "Which place",
    "FAC": "Which facility",
    "NORP": "Which group",
    "PRODUCT": "Which product",
    "EVENT": "Which event",
    "WORK_OF_ART": "Which work",
    "LAW": "Which law",
    "LANGUAGE": "Which language",
}
LABEL_NOUN = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "facility",
    "NORP": "group",
    "PRODUCT": "product",
    "EVENT": "event",
    "WORK_OF_ART": "work",
    "LAW": "law",
    "LANGUAGE": "language",
}
PREPS = frozenset("of in on at by for with from to into onto near since until during under over about".split())
# roles held by people: 'chief executive of' asks "Who", whatever label the NER gave
PERSON_ROLES = frozenset(
    """chief executive officer director chairman chairwoman chair president founder cofounder co-founder
    ceo cfo cto coo head leader partner analyst fellow professor researcher engineer member manager
    secretary minister mayor governor spokesperson spokesman spokeswoman employee adviser advisor
    economist scientist student owner investor lawyer editor reporter""".split()
)
SPEECH_LEMMAS = frozenset("say tell add ask reply explain note write".split())  # verbs that report speech
UNIQUE_ROLES = frozenset(
    "chief chairman chairwoman chair president founder ceo cfo cto coo head leader owner mayor governor".split()
)

VERBS = frozenset(
    """accept achieve acquire add agree aim allow announce appear apply appoint approve argue arrive ask
    attend award back ban base become begin believe borrow build buy call cancel capture cause chair
    change charge choose claim close collaborate combine commission commit compete complete confirm
    connect consider construct continue contribute control convert cost create cut decide declare
    decline deliver deny deploy describe design develop die direct discover donate double draw drop
    earn elect employ enable end enter establish estimate expand expect explain export face fall file
    fill finance find finish fire focus form found fund gain generate give go grant grow halt head help
    hire hold host identify import improve include increase install introduce invent invest invite
    issue join keep launch lead leave lend license list locate lose maintain make manage mark marry
    meet merge move name need negotiate note obtain offer open operate order organize own partner pass
    pay plan post predict present produce promise propose provide publish purchase raise rank reach
    receive record recruit reduce refuse register reject release relocate remain rename repay replace
    report represent require resign retire return reveal rise run save say secure sell send serve set
    settle ship show sign spend split sponsor start state stop study submit succeed sue supply support
    take target teach tell test train transfer triple unveil use visit vote warn win work write""".split()
)
_IRREGULAR = {  # lemma: (past, past participle)
    "become": ("became", "become"),
    "begin": ("began", "begun"),
    "build": ("built", "built"),
    "buy": ("bought", "bought"),
    "choose": ("chose", "chosen"),
    "cost": ("cost", "cost"),
    "cut": ("cut", "cut"),
    "draw": ("drew", "drawn"),
    "fall": ("fell", "fallen"),
    "find": ("found", "found"),
    "give": ("gave", "given"),
    "go": ("went", "gone"),
    "grow": ("grew", "grown"),
    "hold": ("held", "held"),
    "keep": ("kept", "kept"),
    "lead": ("led", "led"),
    "leave": ("left", "left"),
    "lend": ("lent", "lent"),
    "lose": ("lost", "lost"),
    "make": ("made", "made"),
    "meet": ("met", "met"),
    "pay": ("paid", "paid"),
    "rise": ("rose", "risen"),
    "run": ("ran", "run"),
    "say": ("said", "said"),
    "sell": ("sold", "sold"),
    "send": ("sent", "sent"),
    "set": ("set", "set"),
    "show": ("showed", "shown"),
    "spend": ("spent", "spent"),
    "split": ("split", "split"),
    "take": ("took", "taken"),
    "teach": ("taught", "taught"),
    "tell": ("told", "told"),
    "win": ("won", "won"),
    "write": ("wrote", "written"),
    "bear": ("bore", "born"),
}
_DOUBLE = frozenset("plan ban stop drop admit commit submit control ship".split())
# verbs that need an object: "<verb> in/at/on X" relations lost it
TRANSITIVE = frozenset(
    """acquire announce build buy complete create deliver deploy design develop file fund hire hold install
    issue launch make obtain open order plan produce propose publish purchase raise receive record release
    report sell sign submit take test unveil win""".split()
)
# "founded in", "based in": with a non-person subject these prepositional relations are passive
PASSIVE_PREP = frozenset("found base headquarter locate situate station establish incorporate bear register".split())
LOCATIVE = frozenset("base headquarter locate situate station".split())
WAS_PARTICIPLES = frozenset(
    "born founded established acquired created formed launched incorporated elected appointed named hired "
    "educated raised bought registered".split()
)


def _regular_past(w: str) -> str:
    if w in _DOUBLE:
        return w + w[-1] + "ed"
    if w.endswith("e"):
        return w + "d"
    if re.search(r"[^aeiou]y$", w):
        return w[:-1] + "ied"
    return w + "ed"


def past(lemma: str) -> str:
    """Simple past of a verb phrase ('work for' -> 'worked for')."""
    w, *rest = lemma.split()
    return " ".join([_IRREGULAR[w][0] if w in _IRREGULAR else _regular_past(w), *rest])


def participle(lemma: str) -> str:
    w, *rest = lemma.split()
    return " ".join([_IRREGULAR[w][1] if w in _IRREGULAR else _regular_past(w), *rest])


def third_person(lemma: str) -> str:
    if re.search(r"(s|sh|ch|x|z|o)$", lemma):
        return lemma + "es"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ies"
    return lemma + "s"


PAST_TO_LEMMA = {past(v): v for v in sorted(VERBS) if v != "find"}  # 'found' reads as the verb 'found'
PRESENT_TO_LEMMA = {third_person(v): v for v in sorted(VERBS)}
PARTICIPLES = frozenset(participle(v) for v in VERBS)

# an institution one is taken to or treated at is a place to a reader: "Where was Chohan taken?", not
# "To which organization was Chohan taken?" (ecbt audit: "... taken? -> Jamaica Hospital")
PLACE_INSTITUTIONS = frozenset("hospital clinic school college university academy church prison jail".split())
PLACE_INSTITUTION_PREPS = frozenset({"to", "at", "in", "into"})


def place_institution(label: str, prep: str | None, answer: str) -> bool:
    """Is ``answer`` (after ``prep``) an institution asked about with "Where"?"""
    words = answer.split()
    return (
        label in ("ORG", "FAC")
        and prep in PLACE_INSTITUTION_PREPS
        and bool(words)
        and (words[-1].lower() in PLACE_INSTITUTIONS)
    )
