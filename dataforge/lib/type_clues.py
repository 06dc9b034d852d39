"""Context clues for an entity's type that ``entity_types`` adds to its vote.

spaCy's small model calls a programming language or a piece of software ORG ("Rust", "Docker
Engine") and a one-word name it does not know PERSON ("Redonda", "Louvre"). These clues say
what the text around a name shows instead:

- ``technology``: the name is used as software is ("written in Rust", "Rust code", "the Python
  library", "install Docker Engine", "Python 3.11"): PRODUCT, never ORG;
- ``person_verb``: a verb of speech right by the name ("says Li", "Bolger said"): a person, the
  weakest person clue (organizations say things too), enough only beside spaCy's PERSON;
- ``merged_list``: one span that joins names the document also writes apart ("Zotac, Asus",
  "Windows and Mac"): no single entity;
- ``calendar_name``: a holiday or a day ("Easter Saturday", "Christmas Day"): DATE, never a person
  or organization.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dataforge.lib.places import demonyms

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


WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
MONTH_NAMES = frozenset("January February March April May June July August September October November December".split())
# a holiday's name alone ("Easter"); more words open one only before "Day" or a weekday ("Boxing Day")
HOLIDAYS = frozenset(
    "Easter Christmas Xmas Thanksgiving Halloween Hanukkah Chanukah Passover Ramadan Diwali Pentecost Whitsun "
    "Hogmanay".split()
)
_HOLIDAY_OPENERS = HOLIDAYS | {"Anzac", "Boxing", "Shrove", "Maundy", "Labor", "Labour", "Memorial", "Remembrance"}
_CALENDAR_ENDS = WEEKDAYS | {"Day", "Eve", "Weekend", "Week", "Holiday", "Holidays"}


def calendar_name(form: str) -> bool:
    """Does ``form`` name a day, not a person or organization: "Easter Saturday", "Good Friday",
    "Christmas Day", "Mother's Day", "Easter"? gender-guesser knows "Easter" (and "April") as a
    first name, so "Easter Saturday" would pass for a woman. A month alone is no such name: "May"
    is a surname, and "Jason Day" a golfer."""
    words = [re.sub(r"['’]s$", "", w) for w in form.split()]
    if not words:
        return False
    if len(words) == 1:
        return words[0] in HOLIDAYS
    if words[-1] in WEEKDAYS:  # "Easter Monday", "Good Friday", "Super Tuesday"
        return True
    if words[-1] in _CALENDAR_ENDS and (words[0] in _HOLIDAY_OPENERS or re.search(r"['’]s$", form.split()[-2])):
        return True  # "Christmas Day", "Christmas Eve", "Anzac Day", "Mother's Day", "New Year's Eve"
    calendar = WEEKDAYS | MONTH_NAMES | HOLIDAYS
    return all(w in calendar for w in words) and any(w not in MONTH_NAMES for w in words)


# the head word of an event's name: "Malaysian Grand Prix", "FA Cup", "London Marathon", "US Open",
# "World Series", "European Tour"; "Games" after a nationality too ("Asian Games", not "Epic Games")
EVENT_HEADS = frozenset(
    "Cup Championship Championships Open Marathon Festival Tournament Final Finals Olympiad Series Tour".split()
)
EVENT_WORDS = frozenset("Olympics Paralympics".split())  # an event by itself, one word or more
_GAMES = frozenset("Olympic Paralympic Commonwealth".split())  # "Commonwealth Games"; "Epic Games" is a company
# "League" after the word for who takes part is a competition ("Champions League"); a league of
# clubs ("Premier League", "Football League") is also the body that runs it, and stays ORG
_ENTRANTS = frozenset("Champions Europa Nations".split())


def event_name(form: str) -> str:
    """The head that makes ``form`` an event's name ("Grand Prix", "Cup", "Olympics"), or "".
    A competition, race or festival is named by its head: "Malaysian Grand Prix" is no company."""
    words = form.split()
    if not words:
        return ""
    if words[-1] in EVENT_WORDS:
        return words[-1]
    if len(words) < 2:
        return ""
    if words[-2:] == ["Grand", "Prix"]:
        return "Grand Prix"
    if words[-1] in EVENT_HEADS or (words[-1] == "Games" and (words[-2] in _GAMES or words[-2] in demonyms())):
        return words[-1]
    if words[-1] in ("League", "Leagues") and words[-2] in _ENTRANTS:
        return words[-1]
    return ""


# a book's head word: "The Standard Book of Spells", "Guinness Book of Records", "Oxford English Dictionary"
WORK_HEADS = frozenset("Book Books Handbook Encyclopedia Encyclopaedia Dictionary Almanac Gospel".split())


def work_name(form: str) -> str:
    """The head that makes ``form`` a book's title (the word before "of", else the last word), or ""."""
    words = form.split()
    if len(words) < 2:
        return ""
    head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
    return head if head in WORK_HEADS else ""


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
_AUTHOR_AFTER = re.compile(r"^(?:,\s*(?:and\s*)?[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z]{1,3}\b|,?\s*et al\b)")

_AUTHOR_BEFORE = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z]{1,3}(?:-[A-Z])?,\s*(?:and\s+)?$")


def author_initials(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` an author written surname-first with initials, in a list of authors?"""
    if not _AUTHOR.fullmatch(text[start:end].rstrip(".")):
        return False
    # the next author follows ("Chung W-H, Hung S-I"), or this is the last one ("..., Hung S-I.")
    return bool(_AUTHOR_AFTER.match(text[end : end + 40]) or _AUTHOR_BEFORE.search(text[max(0, start - 40) : start]))


# "Pieter van Dijk", "Ana de la Cruz", "Omar bin Said": a surname particle between capitalised names
_PARTICLE_NAME = re.compile(
    r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:van der|van den|van|von|de la|de|der|den|da|di|du|del|bin|ibn)\s[A-Z][a-z]+"
)


def particle_name(form: str) -> bool:
    """Is ``form`` a person's name by its shape: given name, surname particle, surname?"""
    return bool(_PARTICLE_NAME.fullmatch(form))


# --- how a name is used: as a product, a company, a work, or only as a modifier ---------------
# "the Zelbo app", "play Zelbo", "download Zelbo": the name is a product (or a work) here, so an
# ORG or PERSON label for it is doubtful; a company marker ("Zelbo's shares", "staff at Zelbo")
# settles it for the company (a maker is often named before its products: "the Zelbo console")
_PRODUCT_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:apps?|application|software|games?|gameplay|consoles?|devices?|edition|updates?|patch|"
    r"smartphones?|phones?|laptops?|browser|plugins?|extension|icon|installation|DLC|mods?|trailer|sequel|"
    r"subscription|servers?)\b(?!\s+(?:of|at|for)\b)"
)
_PRODUCT_BEFORE = re.compile(
    r"\b(?:play|plays|played|playing|download|downloads|downloaded|downloading|install|installs|installed|"
    r"installing|uninstall|reinstall|update|updating|stream|streaming|launch the|copy of|version of|"
    r"sequel to|edition of|upgrade to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "Desktop", "Edition", "for Linux": the end of a product's name
_PRODUCT_NAME = re.compile(
    r"\s(?:Desktop|Edition|Server|Studio Code|Pro|Plus|Lite|Mini|Ultra|Max|Beta|App|Browser|Player|Console|SDK|"
    r"Toolkit|Engine)$|\sfor (?:Linux|Windows|Mac|macOS|iOS|Android|iPhone|iPad|Web)$"
)
_COMPANY_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:shares|shareholders|stock|stockholders|share price|employees|staff|workforce|board|"
    r"boardroom|executives|chief executive|CEO|CFO|spokes(?:man|woman|person)|subsidiar(?:y|ies)|headquarters|"
    r"annual report|earnings|revenue|profits?|stores?|franchisees?)\b"
)
_COMPANY_BEFORE = re.compile(
    r"\b(?:(?:employees?|staff|workers?|engineers?|executives?|jobs?|worked|works|working|employed|"
    r"interned?|hired) at|(?:chief executive|CEO|founder|co-founder|subsidiary) of|"
    r"acquired by|bought by)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "dictated Mein Kampf", "the novel Wolf Hall", "X became a bestseller": a written or filmed work
_WORK_BEFORE = re.compile(
    r"\b(?:wrote|writes|dictated|dictate|published|publishes|translated|adapted|reviewed|directed|"
    r"starred in|production of|the (?:book|novel|film|movie|album|song|memoir|play|poem|series|show|game|"
    r"musical|opera|ballet))\s+$",
    re.IGNORECASE,
)
# "see Les Misérables on Broadway": a show, where it is staged
_WORK_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:became|becomes|was|is)\s+(?:a|an)\s+(?:\w+\s+)?(?:best-?seller|novel|memoir)\b|"
    r"^\s+(?:on Broadway|off-Broadway|in the West End)\b"
)


def usage_clue(text: str, start: int, end: int, name: str) -> tuple[str, str]:
    """(kind, label) that the words right around ``text[start:end]`` give: ("company", "ORG") for
    "Zelbo's shares", ("product", "PRODUCT") for "the Zelbo app", ("work", "WORK_OF_ART") for
    "wrote Zelbo", or ("", "")."""
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    if _COMPANY_AFTER.match(after) or _COMPANY_BEFORE.search(before):
        return "company", "ORG"
    if _WORK_BEFORE.search(before) or _WORK_AFTER.match(after):
        return "work", "WORK_OF_ART"
    if _PRODUCT_AFTER.match(after) or _PRODUCT_BEFORE.search(before) or _PRODUCT_NAME.search(name):
        return "product", "PRODUCT"
    return "", ""


_FUNCTION = frozenset("a an the of and or for to in on at by with from as".split())
# a preposition between two names in one span: "Mercurial on Python", "Zelbo at Harlow"
_CROSSING = re.compile(r"\s(?:on|in|at|with|from|via|by|over|into|onto|against|vs\.?|versus|under|to)\s(?=[A-Z])")


def fused_span(name: str, place: bool = False) -> bool:
    """Is ``name`` no single name: it ends or starts with a function word ("King of", "of Zelbo"), or
    joins two names across a preposition ("Mercurial on Python")? A name that ends in an
    organization word before the preposition ("Institute on Aging") and a known place
    (``place``: "Newcastle upon Tyne") are single names."""
    words = name.split()
    if len(words) > 1 and (words[-1] in _FUNCTION | {"et", "al"} or words[0] in _FUNCTION):
        return True  # "King of", "Pichler WJ et": the span stops inside a phrase
    from dataforge.lib.entity_words import FAC_WORDS, LOC_WORDS, ORG_WORDS

    glued = re.fullmatch(r"[a-z]{2,}", words[-1]) and words[-1] not in LOC_WORDS | FAC_WORDS | ORG_WORDS
    if len(words) > 1 and glued and words[0][:1].isupper():
        return True  # "Associated Press press release": common words glued after the name
    match = _CROSSING.search(name)
    if not match or place:
        return False
    head = name[: match.start()].split()[-1].lower()
    return head not in ORG_WORDS and head not in FAC_WORDS and head not in {"office", "centre", "center"}


_VERBS = frozenset(
    "says tells runs gets offers makes uses wants provides claims adds notes explains argues announces plans "
    "believes thinks knows needs requires supports helps gives takes comes goes lets allows looks seems remains "
    "continues works writes reports shows keeps brings sells launches owns leads joins told wrote won lost "
    "began left became went took gave sent met saw ran said".split()
)
_MODIFIED = re.compile(r"^\s([a-z][a-z-]{2,})\b")


def modifier_only(text: str, spans: Iterable[tuple[int, int]], common: frozenset[str]) -> bool:
    """Is a one-word name written only right before a common noun ("Turing machine", "Democratic
    candidate", "Zelbo divergence"), never alone? Then it is part of a term, no entity of its own.
    ``common``: words that cannot be the modified noun (stop words: "Zelbo is", "Zelbo and")."""
    spans = list(spans)
    if not spans:
        return False
    for _, end in spans:
        match = _MODIFIED.match(text[end : end + 30])
        word = match.group(1) if match else ""
        if not word or word in common or word in _VERBS or re.fullmatch(r"\w+(?:ed|ly|ing)", word):
            return False  # "Zelbo is", "Zelbo says", "Zelbo announced": the name stands alone
    return True


def term_modifier(text: str, start: int, end: int, common: frozenset[str]) -> bool:
    """Is the one-word name at ``text[start:end]`` the first word of a term the document repeats
    ("Zelbo machine" twice, "Zelbo machines")? Then this occurrence is a word of the term, whatever
    the name is elsewhere ("Alan Zelbo"); a term needs no entity tag, and a wrong one fails the row."""
    name = text[start:end]
    match = _MODIFIED.match(text[end : end + 30])
    if " " in name or not match:
        return False
    word = match.group(1)
    if word in common or word in _VERBS or re.fullmatch(r"\w+(?:ed|ly|ing)", word):
        return False
    if re.search(r"[A-Z][\w.]*[–-]$", text[max(0, start - 30) : start]) or re.match(r"[–-][A-Z]", text[end:]):
        return True  # "the Church–Zelbo thesis": two names joined by a dash before a noun make a term
    stem = re.escape(word[:-1] if word.endswith("s") else word)
    return len(re.findall(rf"(?<!\w){re.escape(name)}\s{stem}s?\b", text)) >= 2
