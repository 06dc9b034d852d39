"""Corpus instruction tasks: timeline order, entity profiles (multiple choice: ``choice_tasks``, yes/no:
``fact_tasks``).

Entity comparison ("Compare Europe and Lofoten") is not generated: two entities that merely
co-occur share no attribute the documents state, and listing a sentence about each is no
comparison a reader would accept.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import lru_cache
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import as_int, rng, span
from dataforge.lib.generate.corpus import _round_robin, _text
from dataforge.lib.generate.instruction import date_key, instruction_example, phrase
from dataforge.lib.generate.lexicon import VALUE_LABELS
from dataforge.lib.generate.standalone import (
    PAST_VERB,
    clean_sentence,
    defines,
    is_event,
    lead_furniture,
    object_pronoun,
    on_date,
    standalone,
)
from dataforge.lib.nlp import CURRENCIES, UNITS

MAX_TIMELINE_PAIRS = 100
MAX_TIMELINE_ORDER = 50
TIMELINE_GROUP = 4
MAX_EVENT_CHARS = 400  # a longer "sentence" is a flattened list of results
MAX_CHOICE_FACTS = 200  # facts turned into multiple-choice questions
LETTERS = "ABCD"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _granular(key: tuple[int, int, int]) -> int:
    return 1 + (key[1] > 0) + (key[1] > 0 and key[2] > 0)


def comparable(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    g = min(_granular(a), _granular(b))
    return a[:g] != b[:g]


NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART"})


def entity_names(entities: list[dict] | None) -> frozenset[str]:
    """Names and aliases of the corpus's named entities (three characters or more)."""
    out = set()
    for e in entities or []:
        if e.get("label") in NAMED_LABELS:
            out.update(
                n for n in [e.get("canonical_name"), *(e.get("aliases") or [])] if isinstance(n, str) and len(n) >= 3
            )
    return frozenset(out)


def named_subject(sentence: str, names: frozenset[str]) -> bool:
    """Does a named entity stand before the sentence's first past-tense verb (its subject)?
    "Headcount reached 652", "The final investment decision was taken": whose, is left out."""
    verb = PAST_VERB.search(sentence)
    subject = sentence[: verb.start()] if verb else sentence
    # ``\bNAME\b`` matches at i exactly when i and i + len(NAME) are word boundaries of the
    # subject and the text between is NAME: look the spans between boundaries up in the set
    # instead of trying every name of the corpus (events x names grew with the square of it)
    longest = _longest(names)
    bounds = [m.start() for m in _BOUNDARY.finditer(subject)]
    if "" in names and bounds:
        return True
    for k, i in enumerate(bounds):
        for j in bounds[k + 1 :]:
            if j - i > longest:
                break
            if subject[i:j] in names:
                return True
    return False


_BOUNDARY = re.compile(r"\b")


@lru_cache(maxsize=8)
def _longest(names: frozenset[str]) -> int:
    return max(map(len, names), default=0)


def _events(documents: dict[str, dict], events: list[dict], names: frozenset[str] | None = None) -> list[dict]:
    """Events a reader can place (``is_event``), one date per sentence, with a named subject
    (``named_subject``, when ``names`` are given), in date order."""
    per_sentence = Counter((ev.get("doc_id"), as_int(ev.get("start"))) for ev in events or [])
    out, seen = [], set()
    for ev in events or []:
        text = _text(documents, ev.get("doc_id"))
        key = date_key(str(ev.get("date") or ""))
        s, e = as_int(ev.get("start")), as_int(ev.get("end"))
        ds, de = as_int(ev.get("date_start"), -1), as_int(ev.get("date_end"), -1)
        if ds < 0 and ev.get("date_text") and 0 <= s < e:  # an event row without the date's offsets
            found = text.find(str(ev["date_text"]), s, e)
            ds, de = (found, found + len(str(ev["date_text"]))) if found >= 0 else (-1, -1)
        if key is None or not (0 <= s < e <= len(text)) or not (s <= ds < de <= e):
            continue
        s += lead_furniture(text[s:e])  # a news dateline ("LONDON 1996-08-30") dates the report, not the event
        if ds < s or e - s > MAX_EVENT_CHARS:
            continue
        if per_sentence[(ev.get("doc_id"), s)] != 1 or not is_event(text[s:e], text, s, ds, de):
            continue  # two dates in one sentence: which one the event has is not clear
        if modifying_year(text, ds, de):
            continue  # "at the end of the 1991 Gulf War": the year names the war, "the end of" is the war's
        if names is not None and not named_subject(clean_sentence(text[s:e]), names):
            continue
        sentence = clean_sentence(text[s:e])
        if sentence.lower() in seen:
            continue
        seen.add(sentence.lower())
        out.append({**ev, "key": key, "sentence": sentence, "start": s, "end": e, "when": text[ds:de]})
    return sorted(out, key=lambda ev: (ev["key"], str(ev["doc_id"]), ev["start"]))


def modifying_year(text: str, date_start: int, date_end: int) -> bool:
    """The date phrase takes in the determiner of a year that modifies the noun after it ("the end of
    the 1991" of "at the end of the 1991 Gulf War"): "the end of" is the war's, not the year's. A
    bare year ("in the 1993 Ashes series" -> "1993") still dates its event."""
    from dataforge.lib.captions import function_words

    if not re.search(r"\b(?:the|a|an|its|his|her|their|this|that) \d{4}$", text[date_start:date_end], re.I):
        return False  # "In 2019 NSEI partnered ...": a year after a preposition dates the clause
    after = re.match(r" ([A-Za-z][\w'-]*)", text[date_end : date_end + 40])
    return after is not None and after.group(1).lower() not in function_words()


def _describe(ev: dict) -> str:
    """The event as the item reads it: its sentence (the document id is provenance, in the spans)."""
    return str(ev["sentence"])


def _gap(a: tuple[int, int, int], b: tuple[int, int, int]) -> str:
    """How long after ``a`` ``b`` came, as exact as the coarser date allows: "17 days later",
    "about 5 months later"; where a date has no month only "the following year" is sure ("2019" to
    "19 January 2024" is four to five years): else just "later", the dates themselves follow."""
    if not (a[1] and b[1]):
        return "the following year" if b[0] - a[0] == 1 else "later"
    if a[2] and b[2] and (days := (date(*b) - date(*a)).days) <= 62:
        return f"{days} day{'s' * (days != 1)} later"
    months = round(days / 30.44) if a[2] and b[2] else (b[0] - a[0]) * 12 + b[1] - a[1]
    if months < 24:
        return "about a month later" if months == 1 else f"about {months} months later"
    return f"about {round(months / 12)} years later"


def timeline(
    documents: dict[str, dict], events: list[dict], config: DataforgeConfig, entities: list[dict] | None = None
) -> list:
    evs = _events(documents, events, None if entities is None else entity_names(entities))
    out = []
    pairs = set()
    for i, a in enumerate(evs):
        nxt = next((j for j in range(i + 1, len(evs)) if comparable(a["key"], evs[j]["key"])), None)
        if nxt is None:
            continue
        pairs.add((i, nxt))  # the next dated event, plus one seeded later partner
        seeded = rng(config.seed, "timeline", i)
        for _ in range(5):
            j = seeded.randrange(nxt, len(evs))
            if comparable(a["key"], evs[j]["key"]):
                pairs.add((i, j))
                break
    chosen = sorted(pairs)
    if len(chosen) > MAX_TIMELINE_PAIRS:
        chosen = sorted(rng(config.seed, "timeline-pairs").sample(chosen, MAX_TIMELINE_PAIRS))
    for i, j in chosen:
        first, second = evs[i], evs[j]
        flip = rng(config.seed, "timeline-flip", i, j).random() < 0.5
        shown = (second, first) if flip else (first, second)
        # both items state their dates: which came first is read off them, how long apart is worked out
        gap = _gap(first["key"], second["key"])
        # a bare "later" answers no "how long before?": without a statable gap the gap is not asked
        task = "timeline_first" if gap != "later" else "timeline_first_undated_gap"
        text, k = phrase(task, config.seed, i, j)
        inp = "\n".join(f"{L}: {_describe(ev)}" for L, ev in zip("AB", shown, strict=True))
        letter = "B" if flip else "A"
        other = "A" if flip else "B"
        output = (
            f"{letter} happened first, {on_date(first['when'])}; {other} happened {gap}, {on_date(second['when'])}."
        )
        spans = [span(ev["doc_id"], ev["start"], ev["end"]) for ev in shown]
        out.append(instruction_example("timeline_first", text, k, inp, output, spans, "corpus", None, None, 2))
    out.extend(_timeline_order(evs, config))
    return out


def _timeline_order(evs: list[dict], config: DataforgeConfig) -> list:
    groups, current = [], []
    for ev in evs:
        if all(comparable(ev["key"], other["key"]) for other in current):
            current.append(ev)
        if len(current) == TIMELINE_GROUP:
            groups.append(current)
            current = []
    out = []
    for n, group in enumerate(groups[:MAX_TIMELINE_ORDER]):
        shown = group[:]
        rng(config.seed, "timeline-order", n).shuffle(shown)
        text, k = phrase("timeline_order", config.seed, n)
        inp = "\n".join(f"{L}: {_describe(ev)}" for L, ev in zip(LETTERS, shown, strict=False))
        letter = {id(ev): L for L, ev in zip(LETTERS, shown, strict=False)}
        output = "\n".join(f"{i + 1}. {letter[id(ev)]} ({ev['when']}): {ev['sentence']}" for i, ev in enumerate(group))
        spans = [span(ev["doc_id"], ev["start"], ev["end"]) for ev in group]
        out.append(instruction_example("timeline_order", text, k, inp, output, spans, "corpus", None, None, len(group)))
    return out


class Positions:
    """Where the correct option goes: seeded blocks, each a shuffle of every position, so over
    a release each position is used equally often (to within one block per option count)."""

    def __init__(self, seed: Any) -> None:
        self.seed = seed
        self.queues: dict[int, list[int]] = {}
        self.blocks: dict[int, int] = {}

    def next(self, n: int) -> int:
        queue = self.queues.setdefault(n, [])
        if not queue:
            block = list(range(n))
            rng(self.seed, "choice-positions", n, self.blocks.get(n, 0)).shuffle(block)
            self.blocks[n] = self.blocks.get(n, 0) + 1
            queue.extend(block)
        return queue.pop(0)


NAME_PARTICLES = frozenset("van von der den de da del della di du le la al bin ibn of and for the &".split())


def distractor_name(name: str, label: str) -> bool:
    """A name that is surely an entity of ``label``: a full name (two words or more) or a short
    acronym; one-word names are where the small model's types go wrong ("Maas" PERSON, "MW" ORG)."""
    words = name.split()
    if not words or any(w.lower() in UNITS | CURRENCIES for w in words) or re.search(r"[()\[\]\"]", name):
        return False
    if not words[-1][:1].isupper() or any(not w[:1].isupper() and w not in NAME_PARTICLES for w in words):
        return False  # "J. Gillespie st", "August National Association ... ( NAPM": a span gone wrong
    if label == "PERSON" and len(words) > 4:
        return False
    if len(words) == 1:
        return label != "PERSON" and name.isupper() and 2 <= len(name) <= 5
    return True


def distractor_pool(entities: list[dict], sents: dict[str, list] | None) -> dict[str, list[str]]:
    """Resolved label -> cluster ids that can serve as distractors: real named entities,
    i.e. a capitalised name found in running text (not only in a heading or table cell)."""
    by_label: dict[str, list[str]] = {}
    for e in sorted(entities or [], key=lambda e: str(e.get("cluster_id"))):
        cid, name = str(e.get("cluster_id") or ""), str(e.get("canonical_name") or "")
        if not cid or not name[:1].isupper() or e.get("label") in VALUE_LABELS:
            continue
        if not distractor_name(name, str(e.get("label"))):
            continue
        if sents is not None and not sents.get(cid):
            continue
        by_label.setdefault(str(e["label"]), []).append(cid)
    return by_label


PROFILE_LABELS = frozenset({"PERSON", "ORG", "FAC"})
MAX_PROFILES = 200  # entity profiles per release, most widespread entities first
PROFILE_SENTENCES = 4
PROFILE_OVERLAP = 0.5  # word overlap (Jaccard) above which a sentence repeats a chosen one
_TITLE = r"(?:(?:Dr|Mr|Mrs|Ms|Prof|Sir)\.?\s+)?"
# true only on the day it was written ("today announced", "is now", "this year")
_DEICTIC = re.compile(r"\b(?:today|yesterday|tomorrow|now|currently|recently|this year|last year|next year)\b", re.I)
PROFILE_MIN_WORDS = 8
_PERSONAL = re.compile(r"\b(?:he|she|his|her|him|hers)\b", re.IGNORECASE)


def _about(sentence: str, names: list[str], label: str) -> bool:
    """The entity is the sentence's subject (it opens the sentence) and no pronoun points elsewhere."""
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    if not re.match(rf"{_TITLE}(?:{alts})\b(?!['’]s)", sentence):
        return False
    if len(sentence.split()) < PROFILE_MIN_WORDS or _DEICTIC.search(sentence):
        return False
    if object_pronoun(sentence):
        return False
    quoted = re.sub(r"[\"“][^\"”]*[\"”]", " ", sentence)
    return label == "PERSON" or not _PERSONAL.search(quoted)


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)}


_DATE_IN_TEXT = re.compile(
    r"(?:\b[0-3]?\d\s+)?(?:\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+)?\b(?:1[5-9]|20)\d\d\b"
)


def _dated_event(text: str, s: int, e: int) -> tuple[int, int, int] | None:
    """The date key of the sentence text[s:e] when it states one dated event (``is_event``)."""
    found = list(_DATE_IN_TEXT.finditer(text, s, e))
    if len(found) != 1 or not is_event(text[s:e], text, s, found[0].start(), found[0].end()):
        return None
    return date_key(found[0].group())


def _profile_order(documents: dict[str, dict], item: tuple, name: str) -> tuple:
    """A sentence giving the full name first ("Helena Marsh ...", not "Marsh, a ..."), then what
    the entity is, then what it did, earliest first."""
    d, s, e = item
    sentence = clean_sentence(_text(documents, d)[s:e])
    full = not re.match(rf"{_TITLE}{re.escape(name)}\b", sentence)
    if defines(sentence):
        return (full, 0, (0, 0, 0), d, s)
    return (full, 1, _dated_event(_text(documents, d), s, e) or (9999, 0, 0), d, s)


def profile_sentences(documents: dict[str, dict], entity: dict, spans: list[tuple]) -> list[tuple]:
    """Up to PROFILE_SENTENCES standalone sentences with the entity as subject that say what it
    is ("X, a British naval architect", "X is a ...") or what it did when (``is_event``), no two
    repeating each other; the defining ones first, then the events in date order."""
    names = [str(entity["canonical_name"])] + [a for a in entity.get("aliases") or [] if len(a) >= 3]
    good = []
    for d, s, e in spans:
        if not (defines(clean_sentence(_text(documents, d)[s:e])) or _dated_event(_text(documents, d), s, e)):
            continue  # only what the entity is, and what it did when: no remark that needs its meeting
        text = _text(documents, d)
        if lead_furniture(text[e : e + 200].lstrip()):
            continue  # a news headline, right before its dateline
        if standalone(text[s:e], text, s) and _about(clean_sentence(text[s:e]), names, str(entity.get("label"))):
            good.append((d, s, e))
    picked: list[tuple] = []
    for d, s, e in sorted(good, key=lambda x: _profile_order(documents, x, names[0])):
        if len(picked) >= PROFILE_SENTENCES:
            break
        words = _words(_text(documents, d)[s:e])
        if all(
            len(words & w) / len(words | w) <= PROFILE_OVERLAP
            for w in (_words(_text(documents, p[0])[p[1] : p[2]]) for p in picked)
        ):
            picked.append((d, s, e))
    return picked


def profiles(documents: dict[str, dict], entities: list[dict], sents: dict[str, list], config) -> list[dict[str, Any]]:
    """A short profile of a person, organization or facility: a paragraph of the sentences the
    corpus states about it (``profile_sentences``), only where there are at least two."""
    named = [
        e
        for e in entities or []
        if e.get("label") in PROFILE_LABELS
        and e.get("cluster_id")
        and e.get("canonical_name")
        and sents.get(str(e["cluster_id"]))
    ]
    named.sort(key=lambda e: (-as_int(e.get("doc_count"), 0), -as_int(e.get("mention_count"), 0), str(e["cluster_id"])))
    out = []
    for e in named:
        if len(out) >= MAX_PROFILES:
            break
        cid, name = str(e["cluster_id"]), str(e["canonical_name"])
        picked = profile_sentences(documents, e, _round_robin(sents[cid], len(sents[cid])))
        first = clean_sentence(_text(documents, picked[0][0])[picked[0][1] : picked[0][2]]) if picked else ""
        if len(picked) < 2 or not re.match(rf"{_TITLE}{re.escape(name)}\b", first):
            continue  # a profile introduces its subject by the full name
        paragraph = " ".join(clean_sentence(_text(documents, d)[s:x]) for d, s, x in picked)
        text, i = phrase("entity_profile", config.seed, cid, a=name)
        spans = [span(d, s, x) for d, s, x in picked]
        out.append(
            instruction_example("entity_profile", text, i, "", paragraph, spans, "corpus", None, name, len(picked))
        )
    return out


def generate(documents, entities, fact_list, sents, events, config) -> list[dict[str, Any]]:
    return timeline(documents, events, config, entities) + profiles(documents, entities, sents, config)
