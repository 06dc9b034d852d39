"""What an assistant turn says, read off the source parse: who or what an entity is, and the
short answer to a fact the source states only in a side clause.

The strict audits of conversations found, and this module repairs or refuses:

- "Who is Jermain Defoe?" answered by "Defoe was the hero on Sunday as ...": an identity answer
  is composed from what the source says the entity is: a role before the name ("Sunderland
  striker Jermain Defoe"), with what it is of ("The commander-in-chief of Tajikistan's armed
  forces, Major-General Nikolai Sherbatov"), an appositive, a copula (early mentions only), a
  founding ("a co-founder of Northwind", before a background such as "a naval architect");
  a bare office is of the company its holder speaks for ("James Hoey, chief financial officer"
  of Douglas & Lomason) or no answer; "a victim", "the school's operator" say nothing alone;
- "When did Brunswijk lead a rebel group ...?" answered by the whole sentence: a fact told in
  a relative or adverbial clause is answered by its span ("In the late 1980s.");
- "Where did Northwind partner with the North Sea Energy Institute?" of "... the Institute in
  Aberdeen": a place that the parse attaches to a name locates that name, not the event.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

from dataforge.lib.entity_words import FAC_WORDS, ORG_WORDS
from dataforge.lib.generate.answer_check import ROLE_WORDS
from dataforge.lib.generate.lexicon import SPEECH_LEMMAS, UNIQUE_ROLES

Parses = list[tuple[int, Any]]
Named = Callable[[Any], bool]  # is this token part of a name the document's mentions hold?
OrgOf = Callable[[Any], "str | None"]  # the organisation mention a token is part of, as written

MAX_DESCRIPTION_WORDS = 20  # a longer description carries a story of its own
EARLY_MENTIONS = 3  # appositive and copular descriptions: from the sentences of the first mentions
# the part of a noun phrase before its head that belongs to it: "San Diego Chargers defensive tackle"
_PREMODIFIERS = frozenset("compound amod nmod npadvmod nummod punct poss case quantmod".split())
_TIMED = frozenset({"DATE", "TIME"})
_ARGUMENTS = frozenset("nsubj nsubjpass dobj pobj appos attr compound".split())
_SIDE_CLAUSES = frozenset({"relcl", "acl", "advcl"})
_PLACE_PREPOSITIONS = frozenset("in at near outside inside from of".split())
# a one-of-a-kind role takes "the": "the Sunderland manager", not "a Sunderland manager"
_UNIQUE = UNIQUE_ROLES | frozenset("manager coach captain boss skipper chancellor premier".split())
_BARE_PRONOUNS = frozenset("i me my we us our you your they them their this that these those".split())
# nouns that say the entity is a person: roles, kin, common person nouns ("Who is X?" rests on one)
PERSON_NOUNS = ROLE_WORDS | frozenset(
    """man woman boy girl son daughter wife husband mother father brother sister boyfriend girlfriend widow
    grandmother grandfather uncle aunt nephew niece pupil student teenager victim defendant suspect parent
    attorney architect chef nurse pilot poet model judge priest monk nun cop sheriff fan friend colleague
    neighbour neighbor tycoon billionaire millionaire mogul heiress legend icon celebrity host athlete
    jockey batsman cricketer footballer referee rapper comedian artist author writer soldier doctor
    businessman businesswoman entrepreneur executive graduate officer chief""".split()
)
_AGENT = re.compile(r"(?:[^e]er|or|ist|ian|man|woman|ee|eer|ess)$")  # "boxer", "investor", "analyst"
_NOT_AGENTS = frozenset("corner matter order error center centre floor door water paper letter power".split())
# capitalised role words that still name a role before a name ("Superior Court Judge Arnold Jones")
# what a described non-person is: "a paedophile vigilante group", "a CNN affiliate", "a destroyer"
THING_NOUNS = (
    ORG_WORDS
    | FAC_WORDS
    | frozenset(
        """firm developer maker manufacturer producer operator provider supplier retailer chain brand label side team
    squad affiliate charity organisation organization movement campaign programme program project vessel ship
    destroyer frigate carrier submarine aircraft vehicle product app platform software website newspaper
    tabloid broadcaster channel outlet restaurant bar pub cafe shop store venue ground festival competition
    tournament award prize contractor lender insurer investor fund owner""".split()
    )
)
# person nouns that say nothing of who someone is when they stand alone ("a man", "a colleague")
_RELATIONAL = frozenset(
    """man woman boy girl son daughter wife husband mother father brother sister boyfriend girlfriend widow
    grandmother grandfather uncle aunt nephew niece teenager friend colleague neighbour neighbor parent fan
    member partner predecessor successor victim suspect""".split()
)
# roles held in an organisation: alone ("chief financial officer") they leave "of what?" open
ORG_ROLES = _UNIQUE | frozenset(
    "officer executive director chairman chairwoman spokesman spokeswoman spokesperson secretary treasurer".split()
)
_BACK_ADVERBS = frozenset("also too likewise similarly again".split())
_PAST_ROLE = re.compile(r"\b(?:former|ex-|onetime|one-time|erstwhile|retired)", re.I)  # no post held now
_FOUND_VERBS = frozenset("found co-found cofound establish".split())
ROLE_TITLES = frozenset("judge president minister secretary governor senator mayor chancellor general".split())


def parsed_span(parses: Parses | None, start: int, end: int) -> Any | None:
    """The spaCy span of text[start:end] in the NER stage's parses, or None."""
    if not parses:
        return None
    offsets = [offset for offset, _ in parses]
    i = bisect.bisect_right(offsets, start) - 1
    if i < 0:
        return None
    offset, doc = parses[i]
    return doc.char_span(start - offset, end - offset, alignment_mode="expand")


def _head(span: Any) -> Any:
    """The token of the name that the rest of the sentence attaches to."""
    outside = [t for t in span if not (span.start <= t.head.i < span.end) or t.head.i == t.i]
    argument = [t for t in outside if t.dep_ in _ARGUMENTS]  # "Halden Marine Power AS": "AS" parsed a conjunction
    return argument[-1] if argument else outside[-1] if outside else span[-1]


def _text(doc: Any, tokens: list[Any]) -> str:
    return " ".join(doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)].split()) if tokens else ""


def _article(phrase: str, head: Any) -> str:
    """ "a Sunderland striker", "an 11-year veteran", "the Sunderland manager"."""
    if head.lower_ in _UNIQUE or head.lower_ in ROLE_TITLES - {"judge", "general", "senator"}:
        return "the"
    if re.match(r"[AEFHILMNORSX][A-Z]+\b", phrase):
        return "an"  # "an MLS side", "an NSW Business Chamber chief"
    return "an" if re.match(r"[aeiou]|8|11\b|18\b", phrase, re.I) and not re.match(r"(?i)uni|eu|one", phrase) else "a"


def _role_before(
    span: Any, named: Named, capitals: dict[str, int], organisation: str | None = None
) -> tuple[str, Any] | None:
    """ "Sunderland striker Jermain Defoe", "the destroyer INS Mysore": the role noun before the
    name, with the words that modify it, as "a Sunderland striker"; "Michael Schumacher's son
    Mick" as "Michael Schumacher's son". A caption run into the text ("Scroll down for video
    Tennis star Billie Jean King") starts the role at its capital."""
    doc, head = span.doc, _head(span)
    if head.dep_ == "appos" and head.head.i < span.start and head.head.pos_ == "NOUN":
        noun = head.head  # "the destroyer INS Mysore": the name in apposition to its role
        if any(c.dep_ == "prep" and c.i < min(t.i for t in head.subtree) for c in noun.rights):
            return _role_with_complement(noun, head, named)
    else:
        noun = doc[span.start - 1] if span.start > 0 else None
        if noun is None or noun.pos_ != "NOUN" or noun.head.i != head.i or noun.dep_ not in ("compound", "nmod"):
            return None
    if noun.text[:1].isupper() and noun.lower_ not in ROLE_TITLES:
        return None  # a capitalised common word is a caption's first word ("Shares ...") or part of a name
    tokens = [noun]
    for t in reversed(list(doc[noun.sent.start : noun.i])):
        attached = t.head.i in {u.i for u in tokens} or t.head.i == head.i
        if t.dep_ == "case" and t.head.dep_ == "poss" and t.head.head.i in {u.i for u in tokens}:
            tokens = list(t.head.subtree)[:-1] + tokens  # "Michael Schumacher's 16-year-old son"
            break
        if t.dep_ not in _PREMODIFIERS or not attached or (t.dep_ == "punct" and t.text != "-"):
            break
        if _caption_start(tokens[0], t, named):
            break
        tokens.insert(0, t)
    tokens = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    if _cut_short(doc, tokens[0], {noun.i, head.i}):
        return None  # "Ex-Killie and Hearts player Locke" is no "a player": the rest of the role was cut
    if any(t.lower_ in _BARE_PRONOUNS or t.pos_ == "PRON" for t in tokens) or tokens[0].dep_ in ("case", "punct"):
        return None  # "his wife Jane": whose wife, the answer cannot say
    if tokens[-1].i - tokens[0].i + 1 != len(tokens):
        return None
    phrase = _text(doc, tokens)
    if any(t.dep_ == "case" for t in tokens):
        return phrase, noun  # "Barnsley's chairman"
    of = ""
    if noun.lower_ in ORG_ROLES and not any(named(t) for t in tokens):
        if organisation is None:
            return None  # "the owner", "the head coach": of what, the answer does not say
        of = f" of {organisation}"
    if len(tokens) == 1 and noun.lower_ in _RELATIONAL:
        return None  # "Rishi Khanal is a man.", "Neil Millard is a colleague.": true, and no identity
    first = tokens[0]
    if _inside_name(doc, first, named):
        return None  # "ex-News of the World crime editor": a name cut in half
    here = 1 if first.i > 0 and doc[first.i - 1].text[:1].islower() else 0  # "video Tennis" counts itself
    if not named(first) and first.pos_ != "PROPN" and capitals.get(first.text, 0) - here <= 0:
        phrase = phrase[:1].lower() + phrase[1:]  # "Tennis star" -> "a tennis star"; not "Premier League"
    return f"{_article(phrase, noun)} {phrase}{of}", noun


def _role_with_complement(noun: Any, name: Any, named: Named) -> tuple[str, Any] | None:
    """ "The commander-in-chief of Tajikistan's armed forces, Major-General Nikolai Sherbatov":
    the role with what it is of, as the source words it, up to the name in apposition."""
    doc = noun.doc
    tokens = [t for t in noun.subtree if t.i < min(u.i for u in name.subtree)]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
        tokens.pop()
    if not tokens or tokens[-1].i - tokens[0].i + 1 != len(tokens) or _words(tokens) > MAX_DESCRIPTION_WORDS:
        return None
    if any(t.lower_ in _BARE_PRONOUNS or t.pos_ == "PRON" or t.text in "\"“”‘’'" for t in tokens):
        return None
    if not any(named(t) for t in tokens) or noun.text[:1].isupper():
        return None  # "the owner of the club": which club, the answer cannot say
    if tokens[0].dep_ == "det" and tokens[0].lower_ in ("the", "a", "an"):
        return _text(doc, tokens)[:1].lower() + _text(doc, tokens)[1:], noun
    phrase = _text(doc, tokens)
    return f"{_article(phrase, noun)} {phrase}", noun


def _cut_short(doc: Any, first: Any, kept: set[int]) -> bool:
    """The word before the role's first word still modifies the role or the name (a coordinated
    modifier, "Ex-Killie and Hearts player"): the phrase as collected says less than the source."""
    if first.i == 0:
        return False
    before = doc[first.i - 1]
    if before.dep_ not in ("cc", "conj"):
        return False
    t = before
    while t.head.i != t.i:
        t = t.head
        if t.i in kept:
            return True
    return False


def _inside_name(doc: Any, first: Any, named: Named) -> bool:
    """``first`` continues a name before it: "News of the World", "Bank of England"."""
    k = first.i - 1
    while k >= 0 and first.i - k <= 2 and doc[k].lower_ in ("of", "the", "and", "for", "&", "-"):
        k -= 1
    capital = doc[k].text[:1].isupper() and not doc[k].is_sent_start  # "Shares of Dutch ...": no name
    return k >= 0 and k < first.i - 1 and first.text[:1].isupper() and (capital or named(doc[k]))


def _caption_start(first: Any, before: Any, named: Named) -> bool:
    """``first`` opens a caption run into the text before it: a capitalised word that is no
    name after a lower-case word ("video Tennis star")."""
    return first.text[:1].isupper() and not named(first) and before.text[:1].islower()


def person_noun(word: str) -> bool:
    """A noun for a person: a role, a kinship or an agent noun ("striker", "lawyer", "parent")."""
    return word in PERSON_NOUNS or bool(_AGENT.search(word)) and word not in _NOT_AGENTS


def _words(tokens: list[Any]) -> int:
    return sum(not t.is_punct for t in tokens)


def _clean_phrase(doc: Any, top: Any) -> list[Any] | None:
    """The subtree of a description's head noun without its coordinated rest ("a sports lawyer
    and his firm ..."), or None when it is tied to a time or cut by a quotation."""
    cut = {u.i for c in top.children if c.dep_ in ("cc", "conj") for u in c.subtree}
    tokens = [t for t in top.subtree if t.i not in cut]
    if _words(tokens) > MAX_DESCRIPTION_WORDS or any(t.pos_ == "PRON" and t.dep_ != "nsubj" for t in tokens):
        # "a senior research fellow at NSEI in Aberdeen, where she has led ...": the clause is a story
        cut |= {
            u.i
            for c in top.subtree
            if c.dep_ in ("relcl", "advcl") and c.head.i != top.i or c.dep_ == "relcl"
            for u in c.subtree
        }
        tokens = [t for t in top.subtree if t.i not in cut]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
        tokens.pop()
    while tokens and tokens[0].is_punct:
        tokens.pop(0)
    if not tokens or _words(tokens) > MAX_DESCRIPTION_WORDS or tokens[-1].i - tokens[0].i + 1 != len(tokens):
        return None
    if any(t.text in "\"“”‘’'" or t.lower_ in _BARE_PRONOUNS for t in tokens):
        return None
    if any(_back_reference(t) for t in tokens):
        return None  # "the school's print shop operator", "a fellow at the institute": which, the text before said
    direct = [t for c in top.children if c.dep_ in ("prep", "npadvmod") for t in c.subtree if t.i not in cut]
    if any(t.ent_type_ in _TIMED for t in direct):
        return None  # "the winner on Sunday": an event, not who someone is
    return tokens


def _back_reference(token: Any) -> bool:
    """A bare "the school" as a possessor or a preposition's object: a description of what the
    text before named, which an answer on its own cannot place."""
    children = list(token.children)
    return (
        token.dep_ in ("poss", "pobj")
        and token.pos_ == "NOUN"
        and not token.ent_type_
        and len(children) == (2 if token.dep_ == "poss" else 1)
        and any(c.lower_ == "the" and c.dep_ == "det" for c in children)
    )


def _appositive(span: Any) -> tuple[str, Any] | None:
    """ "Cofinec, the first foreign company to list on the Budapest bourse, ...": the phrase."""
    head, doc = _head(span), span.doc
    if span.end >= len(doc) or doc[span.end].text != ",":
        return None
    for c in head.children:
        if c.dep_ == "appos" and c.i > span.end and c.pos_ == "NOUN":
            tokens = _clean_phrase(doc, c)
            while tokens and tokens[0].lower_ in _BACK_ADVERBS:
                tokens.pop(0)  # "Julia, also a retired hairdresser": "also" is of someone the answer never names
            if tokens and tokens[0].pos_ in ("DET", "NOUN", "ADJ", "NUM", "ADV"):
                return _text(doc, tokens), c
    return None


def _copular(span: Any) -> tuple[str, Any] | None:
    """ "Watkins is a sports lawyer and ...": ("is", "a sports lawyer")."""
    head = _head(span)
    verb = head.head
    if head.dep_ != "nsubj" or verb.tag_ not in ("VBZ", "VBD") or verb.lemma_ != "be" or verb.i < head.i:
        return None  # "will be the third ...": no statement of what someone is
    if any(c.dep_ in ("advcl", "neg", "aux") or c.ent_type_ in _TIMED for c in verb.children):
        return None  # "was the hero on Sunday as ...", "is not a member": no identity
    if any(t.ent_type_ in _TIMED for c in verb.children if c.dep_ in ("prep", "npadvmod") for t in c.subtree):
        return None
    attr = next((c for c in verb.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
    tokens = _clean_phrase(span.doc, attr) if attr is not None else None
    if not tokens or tokens[0].pos_ not in ("DET", "NUM", "ADJ", "NOUN"):
        return None
    now = [c for c in verb.children if c.dep_ == "advmod" and c.lower_ in ("now", "still") and c.i < attr.i]
    return f"{verb.lower_}{' ' + now[0].text if now else ''} {_text(span.doc, tokens)}", attr


def _bare_role(noun: Any, named: Named) -> bool:
    """ "chief financial officer": a role in an organisation that the phrase does not name."""
    return noun.lower_ in ORG_ROLES and not any(
        named(t) or t.pos_ == "ADP" or t.dep_ in ("case", "poss") for t in noun.subtree
    )


def speaker_organisation(span: Any, org_of: OrgOf) -> str | None:
    """ "Douglas & Lomason was finding it hard to compete, said James Hoey, chief financial
    officer": the organisation a speaker's reported clause is about is the one he speaks for;
    not "Interfax quoted spokesman ...": a medium that quotes him is no employer."""
    head = _head(span)
    verb = head.head
    if head.dep_ != "nsubj" or verb.lemma_.lower() not in SPEECH_LEMMAS:
        return None
    subjects = [s for c in verb.children if c.dep_ == "ccomp" for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]
    found = {org_of(s) for s in subjects} - {None}
    return found.pop() if len(found) == 1 else None


def _founder(span: Any, named: Named) -> tuple[str, Any] | None:
    """ "Lena Berg and Ole Dahl founded Fjord Wave", "Fjord Wave was founded ... by Lena Berg":
    ("is a co-founder of Fjord Wave", the verb); the founding is who a founder is."""
    first = _head(span)
    while first.dep_ in ("conj", "nmod", "compound", "appos") and first.head.i != first.i:
        first = first.head  # "Helena Marsh and Pieter van Dijk": the parse may hang either on the other
    co = any(t.dep_ in ("cc", "conj") for t in first.subtree)  # one of two founders is a co-founder
    verb, role = first.head, "dobj"
    if first.dep_ == "pobj" and verb.dep_ == "agent":
        verb, role = verb.head, "nsubjpass"
    elif first.dep_ != "nsubj":
        return None
    if verb.lemma_.lower() not in _FOUND_VERBS or any(c.dep_ in ("neg", "aux") for c in verb.children):
        return None  # "did not found", "will found": no founding
    org = next((c for c in verb.children if c.dep_ == role and named(c)), None)
    if org is None:
        return None
    tokens = [org]
    while tokens[0].i > 0 and tokens[0].doc[tokens[0].i - 1] in org.subtree and named(org.doc[tokens[0].i - 1]):
        tokens.insert(0, org.doc[tokens[0].i - 1])
    name = _text(org.doc, tokens)
    return (f"is a co-founder of {name}" if co else f"is the founder of {name}"), verb


def describe(
    span: Any,
    early: bool,
    named: Named = lambda t: bool(t.ent_type_),
    capitals: dict[str, int] | None = None,
    org_of: OrgOf = lambda t: None,
) -> tuple[str, str, int] | None:
    """What the sentence says the named entity is, as the predicate of "X is ...", the lemma of
    its head noun and a rank (0: a role with its organisation, 1: a founding, 2: the rest), or
    None. ``early``: the sentence is among the entity's first mentions (appositive and copular
    descriptions only count there); ``org_of``: the organisation mention of a token, for the
    company a bare role is of (``speaker_organisation``)."""
    organisation = speaker_organisation(span, org_of)
    role = _role_before(span, named, capitals or {}, organisation)
    if role:
        ranked = any(named(t) for t in role[1].subtree) or role[1].lower_ in ORG_ROLES
        return f"is {role[0]}", role[1].lower_, 0 if ranked and not _PAST_ROLE.search(role[0]) else 2
    founded = _founder(span, named)
    if founded:
        return founded[0], "founder", 1
    if not early:
        return None
    made = _appositive(span)
    if made:
        made = (f"is {made[0]}", made[1])
    else:
        made = _copular(span)
    if made is None:
        return None
    predicate, noun = made
    if _bare_role(noun, named):
        if organisation is None:
            return None  # "James Hoey is chief financial officer.": of what?
        predicate += f" of {organisation}"
    return predicate, noun.lower_, 0 if noun.lower_ in ORG_ROLES else 2  # "an architect" is no post held


def identity_answer(name: str, predicate: str) -> str:
    """ "Jermain Defoe is a Sunderland striker." (the name as the conversation introduces it)."""
    sentence = f"{name} {predicate}".strip()
    return sentence[:1].upper() + sentence[1:] + ("" if sentence.endswith(".") else ".")


def clause_verb(token: Any) -> Any | None:
    """The verb of the clause a token belongs to."""
    t = token
    while t.head.i != t.i:
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass", "amod"):
            return t
        t = t.head
    return t if t.pos_ in ("VERB", "AUX") else None


def side_clause_answer(parses: Parses | None, mention: dict[str, Any], answer: str) -> str | None:
    """The short answer for a mention stated in a relative or adverbial clause, whose sentence
    is mainly about something else ("In the late 1980s."); None when the sentence answers."""
    span = parsed_span(parses, mention["start"], mention["end"])
    if span is None:
        return None
    head = _head(span)
    verb = clause_verb(head)
    if verb is None or verb.dep_ not in _SIDE_CLAUSES or verb.sent.root.pos_ not in ("VERB", "AUX"):
        return None  # the sentence's own clause, or a parse without one ("Northwind partnered ..." as a noun)
    prep = head.head if head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.i == verb.i else None
    text = f"{prep.text} {answer}" if prep is not None else answer
    return text[:1].upper() + text[1:] + "."


def place_of_a_name(parses: Parses | None, mention: dict[str, Any]) -> bool:
    """The place is attached to a name before it ("the North Sea Energy Institute in
    Aberdeen"): it says where that is, not where the event took place."""
    span = parsed_span(parses, mention["start"], mention["end"])
    if span is None:
        return False
    head = _head(span)
    prep = head.head
    return (
        head.dep_ == "pobj"
        and prep.dep_ == "prep"
        and prep.lower_ in _PLACE_PREPOSITIONS
        and prep.head.pos_ == "PROPN"
        and prep.head.i < prep.i
    )
