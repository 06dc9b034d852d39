"""Words and phrases that say what kind of thing a name is, for ``entity_types``' vote.

Honorifics and roles before or after a person's name, organization, facility and place words
at the end of a name, and the contexts that show a person (an age, "the man") or a group.
"""

from __future__ import annotations

import re

# royal and papal titles too: "Queen Elizabeth I" is a person, though Elizabeth, NJ is a city
HONORIFIC = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Rev|Sen|Rep|Gov|"
    r"King|Queen|Prince|Princess|Pope|Emperor|Empress|Duke|Duchess)\.?\s+$"
)
ROLES = (
    "chief executive officer|chief executive|chief financial officer|chief operating officer|chief technology "
    "officer|ceo|cfo|coo|cto|chairman|chairwoman|chairperson|chair|president|vice president|founder|co-founder|"
    "managing director|managing partner|director|executive director|non-executive director|analyst|spokesman|"
    "spokeswoman|spokesperson|minister|prime minister|secretary|professor|researcher|research fellow|"
    "senior research fellow|scientist|engineer|economist|lawyer|coach|manager|head coach|striker|goalkeeper|"
    "midfielder|defender|winger|forward|jockey|golfer|boxer|captain|senator|governor|mayor|author|editor|reporter|actor|actress|singer"
)
_ROLE_AFTER = re.compile(
    rf"^\s*(?:,|\(|\bis\b|\bwas\b|\bhas been\b|\bremains\b|\bbecame\b)\s*(?:still |now |also )?"
    rf"(?:the |a |an |its |our |their )?(?:former |new |deputy |senior |acting |interim |lead |chief )?"
    rf"(?:{ROLES})\b",
    re.IGNORECASE,
)
_ROLE_BEFORE = re.compile(rf"\b(?:{ROLES.replace('managing partner|', '')})\s+$", re.IGNORECASE)
_PLACE_BEFORE = re.compile(r"\b(?:headquartered|based|located|born|situated|lives|grew up|capital) (?:in|at)\s+$")
# a name taken, reached or entered, or a place's own noun or bearing before it ("troops took X",
# "the town of X", "east of X"): a place, where nothing says it is a person (``entity_types``);
# "in/near/outside X" is ``_PREP_BEFORE``'s, and "from X" says too little ("a call from X")
_PLACE_CONTEXT_BEFORE = re.compile(
    r"\b(?:(?:took|take|takes|taking|retook|captured?|captures|capturing|recaptured|seized?|seizes|seizing|"
    r"entered|enters?|entering|reached|reach|reaches|reaching|stormed|overran|overrun|liberated|shelled)"
    r"(?: control of)?|(?:town|city|village|capital|province|district|region|port|suburb|outskirts) of|"
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)? of)\s+$",
    re.I,
)
_PREP_BEFORE = re.compile(r"(?:^|[^\w])(?:in|near|off|across|outside) $")
# "a stake in Ostrea", "invest in NREC": "in" after these words says nothing about a place
_NOT_PLACE_BEFORE = re.compile(
    r"\b(?:stakes?|investments?|invest\w*|interests?|shares?|role|part|funding|trust|confidence|belief)\s+in\s+$", re.I
)
_PRONOUN_PERSON = frozenset("he him his himself she her hers herself".split())
ORG_WORDS = frozenset(
    "inc inc. incorporated ltd ltd. limited llc llp plc corp corp. corporation company co co. group holdings "
    "institute council university college agency bank capital partners foundation association committee board "
    "ministry department authority commission laboratory laboratories society club party union trust fund "
    "power energy energie systems services technologies airlines airways motors media network studios records "
    "church school academy hospital police army navy court parliament congress senate assembly office "
    "chamber federation league fc afc institution consortium alliance exchange united rovers wanderers athletic albion "
    "rangers hotspur racing motorsport brigade regiment militia "
    # a firm's head word: "Gordon Advisors" (ecbt audit: PERSON), "Baker Associates"
    "advisors advisers associates consultants ventures solutions "
    # a news outlet's head word: "Sky News", "Washington Post", "Daily Telegraph", "Associated Press"
    "news times post herald telegraph journal gazette tribune mail guardian express radio tv television "
    "magazine press".split()
)
ORG_UPPER = frozenset("AS ASA AB AG SA NV BV SE GMBH GmbH KG OY SpA SRL SAS".split())
FAC_WORDS = frozenset(
    "farm array plant station airport bridge tower stadium arena terminal dam tunnel highway canal "
    "demonstrator refinery mine zoo wing museum gallery palace castle cathedral abbey park square street road "
    "avenue hotel prison jail library theatre theater cinema centre center mall hall".split()
)
# the head noun of a product's name: "Butterfinger Peanut Butter Cups", "Honey Nut Flakes", "Galaxy Phone"
PRODUCT_WORDS = frozenset(
    "cups bars cookies biscuits crisps chips flakes cereal sauce ketchup cola soda lager beer whisky whiskey "
    "vodka sneakers trainers phone smartphone tablet laptop console".split()
)
# the head noun of a shop's or a business's name: "Skin Laundry", "Corner Bakery" (ORG), never a
# person's when the first word is no first name ("Michael Kitchen" is a person)
BUSINESS_HEADS = frozenset(
    "laundry kitchen bakery studio salon cafe café bistro grill diner restaurant pizzeria brewery distillery "
    "boutique pharmacy clinic spa gym deli store shop market workshop garage foundry cleaners barbers "
    "tavern pub inn eatery creamery dairy winery vineyard nursery".split()
)
# facility words that are also surnames: "Stuart Hall", "Jerry Wing" are people
SURNAME_HEADS = frozenset("hall wing park street castle lane".split())
LOC_WORDS = frozenset(
    "sea ocean island islands river lake mountain mountains valley bay gulf strait peninsula coast desert "
    "basin fjord channel archipelago region stream current".split()
)
GPE_WORDS = frozenset("city county province state republic kingdom emirates".split())
# a GPE word names a place only after a place: "Washington State", "the Kingdom of Spain";
# "Islamic State" (a militant group), "Ohio State" after a team word are not
_PLACE_FIRST = frozenset("state republic kingdom".split())
# words right after a name that say it is a group or a team: "ISIS fighters", "McLaren driver"
_ORG_AFTER = re.compile(
    r"^\s*(?:militants?|fighters?|jihadists?|insurgents?|extremists?|terrorists?|drivers?|team-?mates?)\b", re.I
)
# a person by an age or a noun for a person right before the name: "Edward Byatt, 39,", "the man, Rishi Khanal"
_AGE_AFTER = re.compile(r"^\s*(?:,\s*\d{1,3}\s*[,.;)]|\(\d{1,3}\))")
_PERSON_NOUN_BEFORE = re.compile(
    r"\b(?:man|woman|boy|girl|son|daughter|wife|husband|mother|father|brother|sister|boyfriend|girlfriend|"
    r"widow|grandmother|grandfather|uncle|aunt|nephew|niece|pupil|student|teenager|victim|defendant)\s*,?\s+$",
    re.I,
)
COMPASS = frozenset("North South East West Northern Southern Eastern Western Central".split())
# a determiner or possessive right before a name, at most with an adjective between: "his Jack
# Russell", "a little Jack Russell" use the name as a common noun (a breed, a make); people are not
# named so ("his wife Mary": a noun stands between)
_DETERMINER_BEFORE = re.compile(
    r"(?:^|[^\w'’])(?:a|an|his|her|my|your|our|their|its)\s+"
    r"(?:(?:little|tiny|small|big|old|young|new|beloved|faithful|trusty|[a-z]+-(?:year|month|week)-old)\s+)?$"
)
