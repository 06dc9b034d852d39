"""What a summary sentence leans on, and the repairs that let it stand in a summary.

A sentence copied into a summary may point at something only a left-out sentence says: a
pronoun whose antecedent is elsewhere ("When his cultural anthem was released ...": McLean
named two sentences before), a demonstrative ("..., these images will ..."), a description
that names again what a left-out sentence named ("The quaint capital city": Wellington, one
sentence before; "the terror group's"), a film or photo the example has not got ("In the
footage, ..."), a person called by surname alone. Each such *need* is a set of words, one of
which must stand in a summary sentence chosen before it (or earlier in the same sentence);
``summary._allowed`` adds a sentence only when its needs are met. A bare surname is repaired
instead: the full name the document gives replaces it (``with_full_names``), and "today" gets
the document's date (``with_document_date``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import Any

from dataforge.lib.captions import function_words
from dataforge.lib.entity_groups import first_name_gender
from dataforge.lib.generate.common import DocContext
from dataforge.lib.generate.referents import with_dates
from dataforge.lib.generate.standalone import _QUOTED, clean_sentence, close_quote, unquoted
from dataforge.lib.places import countries, places

Need = frozenset[str]  # alternatives: any one of these words given before meets it

_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Lady|Lord)\.?\s+$")
# "these images", "this timeless song" inside a sentence; a time ("this year") or the paper's own
# country ("to this country") points at nothing left out
# ("those who ...", "one of those matches" point within the sentence: not tested)
_DEMONSTRATIVE = re.compile(r"(?<=[\w,;:]\s)(?:this|these)\s+((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\b")
_TIMES = frozenset(
    """year years week weeks month months day days season time times morning afternoon evening night weekend
    summer winter spring autumn fall term decade century moment point stage era country nation""".split()
)
_ADJECTIVE_END = re.compile(r"(?:ful|less|al|ive|ic|ous|able|ible|ing|ed|est|er|ish|ary|like|style)$")
# a film or photo of the page: "In the footage", "the video shows"
_MEDIA = re.compile(
    r"\b(?:the|this|these|that)\s+(?:[a-z][\w-]*\s+){0,2}?(footage|video|videos|clip|images|pictures|photos|photographs)\b",
    re.I,
)
# footage is met by a film ("was filmed", "a video"), not by "an indecent image" he sent; a picture by either
_MOVING: Need = frozenset("footage video clip film camera filmed recorded cctv".split())
_MEDIA_WORDS: Need = _MOVING | frozenset("image picture photo photographed pictured".split())


# "the quaint capital city", "the terror group's", "the nurse": a noun that names again what a left-out
# sentence named ("Wellington", "the Islamic State", a nurse met before). Not "the group that ..."
# or "the city of Leeds" (it says which itself), nor "the first man", "the same club" (no referent)
_DESCRIBED = {
    "GPE": "city capital town village country nation state".split(),
    "ORG": "group organisation organization company firm club team side party band clinic charity store retailer "
    "supermarket airline broadcaster carmaker".split(),
    "PERSON": "nurse doctor man woman boy girl star singer actor actress player striker footballer couple".split(),
    "EVENT": "festival tournament ceremony".split(),
    "WORK_OF_ART": "song album film movie novel".split(),  # not "book": "every record in the book"
}
_DESCRIBED_LABEL = {noun: label for label, nouns in _DESCRIBED.items() for noun in nouns}
_DEFINITE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?!(?:first|last|only|same|next|other|new|former|whole)\b)"
    r"((?:[a-z][\w-]*\s+){0,2})(" + "|".join(_DESCRIBED_LABEL) + r")(?:['’]s?)?\b"
    r"(?!\s+(?:who|which|that|of|named|called|known|where|[A-Z]))(?!,\s+[A-Z])(?!-)"
)
# a description right after a copula or "as" says what the subject is: it introduces, it points at nobody
_PREDICATIVE = re.compile(r"\b(?:is|was|are|were|became|becomes|remains|remained|as)\s+(?:\w+\s+){0,1}$")
DESCRIBED_LOOKBACK = 2  # sentences before it where a described noun's name can stand


def _stem(word: str) -> str:
    return word.lower()[:-1] if word.lower().endswith("s") and len(word) > 3 else word.lower()


def given(need: Need, text: str) -> bool:
    """Does ``text`` give one of the need's words (a name as written, a noun in either number)?"""
    low = text.lower()
    return any((w in text) if w[:1].isupper() else bool(re.search(rf"\b{re.escape(_stem(w))}", low)) for w in need)


def _clean_name(name: str) -> str:
    """ "Faik Nerweyi of" (a span the tagger ran on) -> "Faik Nerweyi"."""
    words = name.split()
    while words and not words[-1][:1].isupper():
        words.pop()
    return " ".join(words).rstrip(",;:")


def full_names(ctx: DocContext, spans: list[tuple[int, int]]) -> list[dict[str, str]]:
    """Per sentence, the people it calls by a shorter name alone ("Marsh" for Helena Marsh, given
    before it in the document) that it does not spell out itself: short name -> full name. "Ms. Bos"
    is a name a reader can place."""
    full = sorted(
        {
            _clean_name(m["text"])
            for m in ctx.mentions
            if m["label"] == "PERSON" and len(_clean_name(m["text"]).split()) > 1
        }
    )
    out = []
    for s, e in spans:
        sentence = ctx.text[s:e]
        needed: dict[str, str] = {}
        for m in ctx.mentions_within(s, e):
            short = _clean_name(m["text"])
            if m["label"] != "PERSON" or not short or _HONORIFIC.search(ctx.text[max(0, m["start"] - 6) : m["start"]]):
                continue
            # a short name leans on a full one given before it; one only given later is another name
            longer = [f for f in full if f != short and short in f.split() and 0 <= ctx.text.find(f) < s]
            if len(short.split()) == 1 and longer and not any(f in sentence for f in longer):
                needed.setdefault(short, longer[0])
        out.append(needed)
    return out


def name_needs(ctx: DocContext, spans: list[tuple[int, int]]) -> list[frozenset[str]]:
    """Per sentence, the full names of people it calls by a shorter name alone (``full_names``)."""
    return [frozenset(n.values()) for n in full_names(ctx, spans)]


def _referent_words(root: dict[str, Any]) -> Need:
    """The words of a coreference root a reader would recognise: "Don McLean" -> Don, McLean."""
    words = [w for w in re.findall(r"[A-Z][\w'-]+", str(root.get("text") or "")) if len(w) > 2]
    return frozenset(words)


def referent_needs(
    ctx: DocContext, spans: list[tuple[int, int]], parses: Any = None, described: bool = True
) -> list[frozenset[Need]]:
    """Per sentence, what it points at (module docstring): a pronoun's antecedent from the
    coreference chains, a demonstrative's noun, a film or photo; each not given earlier in the sentence.
    ``described=False``: without the definite descriptions, for the lead (which introduces with them)."""
    out = []
    names = ctx.named_words if described else frozenset()
    for s, e in spans:
        sentence = ctx.text[s:e]
        needs: set[Need] = set()
        for (p0, p1), root in ctx.coref.items():
            if s <= p0 and p1 <= e and s <= int(root.get("start", -1)) < e:
                continue  # the antecedent is in the sentence itself
            if s <= p0 and p1 <= e:
                words = _referent_words(root)
                if words and not given(words, ctx.text[s:p0]):
                    needs.add(words)
        for m in _DEMONSTRATIVE.finditer(unquoted(sentence)):
            words = m.group(1).split()
            noun = next((w for w in words if not _ADJECTIVE_END.search(w)), words[-1])
            if (
                noun not in _TIMES
                and noun not in function_words()
                and not given(frozenset([noun]), sentence[: m.start()])
            ):
                needs.add(frozenset([noun]))
        if described:
            needs |= _described_needs(ctx, spans, s, e, names)
        media = _MEDIA.search(unquoted(sentence))
        kind = _MOVING if media and media.group(1).lower() in _MOVING | {"videos"} else _MEDIA_WORDS
        if media and not given(kind, sentence[: media.start()]):
            needs.add(kind)
        out.append(frozenset(needs))
    return out


def _a_name(word: str, names: frozenset[str]) -> bool:
    """A name, not a sentence's first common noun: capitalised mid-sentence in the text, a known
    place or a first name ("Greece has denied ...", "Performers in costumes ..." is none)."""
    return word.lower() in names or word in places() or bool(first_name_gender(word))


def _typed_before(ctx: DocContext, s: int, label: str) -> tuple[list[str], int | None]:
    """The names of ``label`` in the ``DESCRIBED_LOOKBACK`` sentences before the one starting at ``s``,
    in order, and the start of the sentence just before (None for the first sentence)."""
    i = bisect.bisect_left(ctx.sentence_starts, s)
    starts = ctx.sentence_starts[max(0, i - DESCRIBED_LOOKBACK) : i]
    if not starts:
        return [], None
    return [x["text"] for x in ctx.mentions_within(starts[0], s) if x["label"] == label], starts[-1]


def _described_needs(
    ctx: DocContext, spans: list[tuple[int, int]], s: int, e: int, names: frozenset[str] = frozenset()
) -> set[Need]:
    """The needs of a sentence's definite descriptions (``_DEFINITE``): the noun itself, or the
    name of the last entity of its type the document gave in the sentences just before it (with no
    typed name there, a capitalised word of the sentence just before). Met
    earlier in the same sentence ("Wellington's ... the city's festival") there is no need."""
    sentence = _QUOTED.sub(lambda q: " " * len(q.group()), ctx.text[s:e])  # offsets kept
    out: set[Need] = set()
    for m in _DEFINITE.finditer(sentence):
        noun = m.group(2)
        label = _DESCRIBED_LABEL[noun]
        if _PREDICATIVE.search(sentence, 0, m.start()):
            continue  # "Rademenes is the resident feline nurse": the sentence says who, it points at nobody
        before = [m_["text"] for m_ in ctx.mentions_within(s, s + m.start()) if m_["label"] == label]
        if before or given(frozenset([noun]), sentence[: m.start()]):
            continue
        window, previous_start = _typed_before(ctx, s, label)
        if previous_start is None:
            continue  # the lead introduces: "The woman accused of ... has been", "flee the country"
        if window:
            out.add(frozenset([noun]) | _referent_words({"text": window[-1]}))
        else:  # no typed name before it: the names of the sentence just before ("Greece has denied ...")
            previous = re.findall(r"\b[A-Z][\w'-]{2,}", ctx.text[previous_start:s])
            common = function_words() | ctx.lower_words
            out.add(frozenset([noun]) | {w for w in previous if w.lower() not in common and _a_name(w, names)})
    return out


def with_full_names(texts: list[str], names: list[dict[str, str]]) -> list[str]:
    """Each summary sentence (in order) with a bare surname replaced by the full name, unless a
    sentence before it gave that name: "Nerweyi said ..." -> "Faik Nerweyi said ..."."""
    out: list[str] = []
    for text, needed in zip(texts, names, strict=True):
        for short, full in needed.items():
            if not any(full in t for t in out):
                text = re.sub(rf"(?<![\w-]){re.escape(short)}(?![\w-])", full, text, count=1)
        out.append(text)
    return out


DATELINE_CHARS = 600  # a dateline stands above the first paragraph
DATELINE_WORDS = 10  # a line this short holding a date is a dateline, not a sentence
_DATELINE_DATE = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b"
)


def with_document_date(ctx: DocContext, text: str, s0: int, s1: int) -> str:
    """``text`` (text[s0:s1]) with "today" or a bare weekday followed by the date it stands for
    (``document_date``): "today (14 March 2023) announced"."""
    return with_dates(replace(ctx, date=date), text, s0, s1) if (date := document_date(ctx)) else text


def document_date(ctx: DocContext) -> str | None:
    """The document's date, else the date of a dateline line at its top ("Rotterdam and Oslo, 14 March 2023")."""
    if ctx.date:
        return ctx.date
    for line in ctx.text[:DATELINE_CHARS].splitlines():
        found = _DATELINE_DATE.search(line)
        if found and len(line.split()) <= DATELINE_WORDS:
            return found.group()
    return None


def named_opening(ctx: DocContext, s: int, e: int, text: str) -> str:
    """``text`` (the summary's first sentence, text[s:e] cleaned) with the name its opening
    description stands for set beside it when a sentence just before it named one of that type and the
    summary does not: "The quaint capital city put on ..." -> "The quaint capital city, Wellington, put on ...";
    with two names of the type there, nothing (which one it means is not clear)."""
    m = _DEFINITE.match(text)
    if m is None or m.group().endswith(("'s", "’s", "'", "’")):
        return text
    typed, _ = _typed_before(ctx, s, _DESCRIBED_LABEL[m.group(2)])
    window = {_clean_name(name) for name in typed}
    if m.group(2) in ("city", "capital", "town", "village"):  # "Wellington in New Zealand": the city is no country
        window -= countries()
    name = next(iter(window)) if len(window) == 1 else ""  # two of them: which one it means is not clear
    if not name or name in text or text[m.end() : m.end() + 1] in (",", "'", "’"):
        return text
    return f"{text[: m.end()]}, {name},{text[m.end() :]}"


def summary_sentences(ctx: DocContext, picked: list[tuple[int, int]]) -> list[str]:
    """The summary's sentences as written from the chosen spans: cleaned, a bare surname given its
    full name, "today" its date and an opening description its name (the conversation overview reuses
    them as they stand)."""
    texts = [close_quote(clean_sentence(ctx.text[s:e])) for s, e in picked]
    if picked:
        texts[0] = named_opening(ctx, *picked[0], texts[0])
    texts = with_full_names(texts, full_names(ctx, picked))
    return [with_document_date(ctx, t, s, e) for t, (s, e) in zip(texts, picked, strict=True)]
