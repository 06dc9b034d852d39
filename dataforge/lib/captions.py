"""Where a photo caption that lost its full stop ends inside a run of text.

News pages run captions, "Scroll down for video" and subtitles into the next sentence with no stop
between them. These are boundary candidates for the one sentence splitter (``chunk.split_sentences``);
they split nothing on their own.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Inside a sentence, where a word ends and a capitalised one begins: a caption may end there
_CAPITAL_AFTER_WORD = re.compile(r"(?<=[a-z0-9%])\s+(?=[A-Z][a-z])")
REPEAT_CAPTION_WORDS = 8  # the caption and the sentence it repeats have at least this many words each
REPEAT_CAPTION_SHARE = 0.7  # share of the shorter side's content words that the other side repeats


def split_repeated_caption(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A photo caption run into the sentence it paraphrases, with no stop between ("... charged with
    child pornography Police in Maryland have launched a manhunt for ..."): split where the part
    before a capitalised word and the part after share most content words. A name inside one
    sentence ("... said Lloyds Bank") has no such repeat around it."""
    if len(text[start:end].split()) < 2 * REPEAT_CAPTION_WORDS:
        return [(start, end)]
    from dataforge.lib.generate.common import terms

    best, cut = REPEAT_CAPTION_SHARE, 0
    for m in _CAPITAL_AFTER_WORD.finditer(text, start, end):
        left, right = text[start : m.start()], text[m.end() : end]
        words = re.findall(r"[\w'’]+", left)
        if len(words) < REPEAT_CAPTION_WORDS or len(right.split()) < REPEAT_CAPTION_WORDS:
            continue
        if not words[-1][0].islower() or words[-1].strip("'’") in _CAPTION_NOT_AFTER:
            continue  # "the Nazi Regime Germans ...": inside a name; "said Harbour Bank": no caption end
        a, b = set(terms(left)), set(terms(right))
        share = len(a & b) / max(min(len(a), len(b)), 1)
        if share >= best:
            best, cut = share, m.start()
    if not cut:
        return [(start, end)]
    return [(start, cut), (cut + len(text[cut:end]) - len(text[cut:end].lstrip()), end)]


# A photo caption or "Scroll down for video" that lost its full stop runs into the next sentence:
# "... manager on Friday 'I'd be over the moon ...", "... at Aintree The trainer said ...",
# "... camouflaged in woodland In many of the pictures ...".
_CAPTION_END = re.compile(
    r"(?<=[a-z0-9%'’”)])\s+(?=(?:The|He|She|It|They|His|Her|Its|Their|This|These"
    r"|And|But|In|After|When|While|During|Despite|Now)\s+[a-z0-9])"
    r"|(?<=[a-z0-9])\s+(?=[‘“'\"][A-Z])"
    r"|(?<=\bScroll down for video)\s+"
)
# before such a word a capital or a quotation is a title or a quoted name, not a new sentence
_CAPTION_NOT_AFTER = frozenset(
    """in of at on for from by with to into onto and or nor but the a an as than like via about said says say told
    tell asks asked read reads wrote writes watch watched called named dubbed titled labelled labeled known word
    words phrase term slogan sign signs headline is was are were be been being its his her their our your my
    what that which who whom whose where when while if because whether""".split()
)
# a quotation that opens a sentence ends in a comma and who said it: "'I am thrilled,' said Quist"
_SPEECH_AFTER = re.compile(
    r"[‘“'\"][^‘“”\"\n]*?[,!?][’'”\"]\s+(?:[a-z]+\s+)?(?:said|says|told|added|admitted|explained|insisted|he|she)\b"
)
CAPTION_MIN_WORDS = 5  # the run before the boundary: a shorter one is a name or a label, not a caption


def caption_ends(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Boundaries where a caption without its full stop meets the next sentence (``_CAPTION_END``)."""
    out = []
    for m in _CAPTION_END.finditer(text, start, end):
        line_start = max(start, text.rfind("\n", 0, m.start()) + 1)
        before = re.findall(r"[\w'’]+", text[max(line_start, m.start() - 200) : m.start()])
        if not text.startswith("Scroll", m.start() - 21) and (
            len(before) < CAPTION_MIN_WORDS or before[-1].lower().strip("'’") in _CAPTION_NOT_AFTER
        ):
            continue
        if text[m.end()] in "‘“'\"" and not _SPEECH_AFTER.match(text, m.end(), min(end, m.end() + 400)):
            continue  # a quotation inside the sentence ("the line 'I am ...'"), not one opening the next
        out.append((m.start(), 0))
    return out


# A function word written with a capital between two lower-case words ("... popular music Not
# content with ...", "... with a towel on her face An 86-year-old nun ..."): a caption that lost its
# stop ends there, unless the document capitalises that word inside a sentence elsewhere too (the
# orthographic evidence of Punkt, Kiss & Strunk 2006). Function words only (spaCy's stop words): a
# content word there may be a name ("voted Labour because"); _NAME_LIKE ones may be names, months or
# symbols ("serum Ca levels", "voted No in", "off-spinner Such had").
_MID_CAPITAL = re.compile(r"(?<![\w'’])([a-z][\w'’-]*)\s+([A-Z][a-z]+)(?=\s+[a-z0-9])")
_NAME_LIKE = frozenset(
    """may will can us well mine bottom top front side name call part move show keep give get go see say take
    put made make used using serious full empty amount back first last next former latter third no me ca re
    such rather""".split()
)


def mid_sentence_capitals(text: str) -> dict[str, int]:
    """How often each capitalised word follows a lower-case word in ``text`` ("the Masters is")."""
    counts: dict[str, int] = {}
    for m in _MID_CAPITAL.finditer(text):
        counts[m.group(2)] = counts.get(m.group(2), 0) + 1
    return counts


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """English function words (spaCy's stop words) that open a sentence, never a name."""
    from spacy.lang.en.stop_words import STOP_WORDS

    # one letter: "what I think", "the matrix A is" are no sentence starts
    return frozenset(w for w in STOP_WORDS if w.isalpha() and len(w) > 1 and w not in _NAME_LIKE)


@lru_cache(maxsize=8)
def english(text: str) -> bool:
    """English function words are evidence only in English ("zur Not", "ohne Not": a German noun)."""
    from dataforge.lib.language import detect_language

    return detect_language(text) == "en"


def capital_openings(text: str, start: int, end: int, casing: dict[str, int]) -> list[tuple[int, int]]:
    """Caption ends before a capitalised function word that this document only capitalises here."""
    out = []
    for m in _MID_CAPITAL.finditer(text, start, end):
        word, before = m.group(2), m.group(1)
        if word.lower() not in function_words() or casing.get(word, 0) > 1 or before in _CAPTION_NOT_AFTER:
            continue
        line_start = max(start, text.rfind("\n", 0, m.start(2)) + 1)
        run = re.findall(r"[\w'’]+", text[max(line_start, m.start(2) - 200) : m.start(2)])
        if len(run) >= CAPTION_MIN_WORDS and english(text):
            out.append((m.end(1), 0))
    return out


GLUED_REPEAT_SHARE = 0.8  # share of the caption's content words that one other sentence repeats
GLUED_FRESH_SHARE = 0.3  # at most this share of the words after the cut stand in that sentence
GLUED_FRESH_WORDS = 12  # words after the cut compared


def _cuts(text: str) -> list[tuple[str, str]]:
    """(before, after) at each capitalised word where a caption may end (see ``split_repeated_caption``)."""
    out = []
    for m in _CAPITAL_AFTER_WORD.finditer(text):
        left, right = text[: m.start()], text[m.end() :]
        words = re.findall(r"[\w'’]+", left)
        if len(words) < REPEAT_CAPTION_WORDS or len(right.split()) < REPEAT_CAPTION_WORDS:
            continue
        if words[-1][0].islower() and words[-1].strip("'’") not in _CAPTION_NOT_AFTER:
            out.append((left, right))
    return out


def holds_caption(texts: list[str]) -> list[bool]:
    """Sentences that hold a photo caption run into the next sentence with no stop between, before
    a name ("... when she is sentenced next month Altice pleaded guilty to ..."): the part before a
    capitalised word repeats another sentence of the document (the caption restates the story),
    the words after it do not. The splitter cannot tell such a cut from a name inside a sentence
    without that evidence; a summary or example sentence must not be one."""
    from dataforge.lib.generate.common import terms

    bags = [set(terms(t)) for t in texts]
    postings: dict[str, list[int]] = {}
    for j, bag in enumerate(bags):
        for word in bag:
            postings.setdefault(word, []).append(j)
    out = []
    for i, text in enumerate(texts):
        found = False
        for left, right in _cuts(text):
            caption = set(terms(left))
            if len(caption) < 4:
                continue
            counts: dict[int, int] = {}
            for word in caption:
                for j in postings.get(word, ()):
                    if j != i:
                        counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            j = max(counts, key=lambda x: (counts[x], -x))
            fresh = set(terms(" ".join(right.split()[:GLUED_FRESH_WORDS])))
            if counts[j] >= GLUED_REPEAT_SHARE * len(caption) and len(fresh & bags[j]) <= GLUED_FRESH_SHARE * len(
                fresh
            ):
                found = True
                break
        out.append(found)
    return out


# Where a caption that lost its stop meets the next sentence at a word no name is written like: an
# adverb that opens a clause ("... than other macaques Officially named ..."), a gerund after a name
# ("... rivals Atletico Losing their first-choice striker ..."), or a name between two past tenses
# ("... he had been tricked Adeli agreed to pay ..."; "the disgraced Smith admitted": an adjective).
_RUN_ON_ADVERB = re.compile(
    r"(?<![\w'’])(?P<before>[a-z][\w'’-]*)\s+(?:[A-Z][\w'’-]*\s+)?"
    r"[A-Z][a-z]+(?:ally|ively|ously|edly|ingly|ently|antly)\s+[a-z]{3,}"
)
_RUN_ON_GERUND = re.compile(
    r"(?<![\w'’])(?P<before>[a-z][\w'’-]*)\s+[A-Z][\w'’-]+\s+[A-Z][a-z]{2,}ing\s+"
    r"(?:the|a|an|his|her|their|its|this|that|these|those)\s"
)
_RUN_ON_PAST = re.compile(r"(?<![\w'’])(?P<det>[a-z]+)\s+(?P<before>[a-z]+ed)\s+[A-Z][a-z]+\s+[a-z]{2,}ed\b")
_DETERMINERS = frozenset("the a an his her their its this that these those our my your".split())


def run_on(text: str) -> bool:
    """A caption run into the next sentence with no stop, at a word that cannot go on the one before
    (see the patterns above): two sentences, no summary or example sentence. After a word that may
    introduce a name or a title ("called", "named", "said", "in") there is no such seam."""
    for pattern in (_RUN_ON_ADVERB, _RUN_ON_GERUND, _RUN_ON_PAST):
        for m in pattern.finditer(text):
            if m.group("before").strip("'’") in _CAPTION_NOT_AFTER:
                continue
            if pattern is _RUN_ON_PAST and m.group("det") in _DETERMINERS:
                continue
            return True
    return False


# A photo caption tells a past moment in the present tense ("Lena Falk signs autographs in Oslo on
# Tuesday", "Derby boss Ola Berg watches on ..."): a name opens it, a present-tense verb follows, and
# a past time is named. A news sentence puts a past event in the past tense; a question from a
# caption asks what the picture shows ("Who signs autographs in Oslo?"), not a fact of the story.
_PRESENT_CAPTION = re.compile(
    r"^(?:[A-Z][\w'’.-]*\s+(?:[a-z]+\s+(?=[A-Z]))?){1,4}(?:\((?:left|right|centre|center|pictured|above|below)\)\s+)?"
    r"(?P<verb>[a-z]{3,}s)\s.*?\b(?:on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|yesterday|last (?:night|week|weekend|month|year)|earlier this (?:week|month|year))\b"
)
_NOT_PRESENT = frozenset("was has does says is this thus plus its his hers ours yours us as less across news".split())


def present_caption(sentence: str) -> bool:
    """A name, a present-tense verb and a past time: a photo caption (see ``_PRESENT_CAPTION``)."""
    m = _PRESENT_CAPTION.match(sentence.strip())
    if m is None:
        return False
    verb = m.group("verb")
    return verb not in _NOT_PRESENT and not verb.endswith(("ss", "us", "is", "ous"))
