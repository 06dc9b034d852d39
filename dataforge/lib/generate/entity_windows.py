"""Windows of a document that can be taught whole as entity examples.

A chunk holds dozens of entities; one wrong type or one untagged name fails its NER row. A
window is one to a few adjacent prose sentences in which every named mention is confident
(``mention_confidence.confident``), no likely name is left untagged
(``mention_confidence.untagged_names``) and no mention crosses the window's edge. Value types
(dates, numbers, money) are not taught: their boundaries are the model's weakest ("annual",
"summer" as DATE) and a list of names need not list them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from dataforge.lib.generate.common import DocContext
from dataforge.lib.generate.lexicon import VALUE_LABELS
from dataforge.lib.mention_confidence import (
    HONORIFICS,
    clean_bounds,
    club_risk,
    confident,
    name_parts,
    sports_document,
    untagged_names,
)
from dataforge.lib.nlp import ENTITY_LABELS
from dataforge.lib.type_clues import merged_list, reference_word, term_modifier

PLACES = frozenset({"GPE", "LOC", "FAC"})
STOP = frozenset(STOP_WORDS)

NER_SENTENCES, NER_CHARS = 3, 700  # a NER row: a few sentences
LIST_SENTENCES, LIST_CHARS = 6, 1400  # an entity-list instruction: a paragraph
_END = re.compile(r"[.!?][\"'”’)]*$")


@dataclass(frozen=True)
class Window:
    start: int
    end: int
    entities: tuple[tuple[int, int, str], ...]  # absolute (start, end, label), in text order

    def names(self, text: str) -> list[tuple[str, str]]:
        """(name, label) of each distinct entity, in order of first mention."""
        return list(dict.fromkeys((" ".join(text[s:e].split()), label) for s, e, label in self.entities))


def _prose_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The sentence without a heading line glued to its front, or None when it is no prose."""
    first, _, rest = text[start:end].partition("\n")
    if rest.strip() and not _END.search(first.strip()) and len(first.split()) <= 6 and rest.lstrip()[:1].isupper():
        start += len(first) + 1
        while start < end and text[start].isspace():
            start += 1
    body = text[start:end].strip()
    if not body or not _END.search(body) or not re.search(r"\b[a-z]{3,}\b", body) or re.search(r"[|#]|\*\*|__", body):
        return None  # no sentence, or markup
    if re.search(r"https?://|www\.", body):
        return None  # a reference-list entry: a title and its address, no sentence
    if len(body.split()) < 4 or not re.match(r"[A-Z0-9\"“‘']", body):
        return None  # a fragment the splitter cut off ("EUR 41.7 million.", "(2022 to 2024): ...")
    last = re.findall(r"[A-Za-z]+", body[-6:])
    if last and last[-1] in HONORIFICS:  # "the appointment of Dr." cut by the sentence splitter
        return None
    return start, start + len(text[start:end].rstrip())


def sentence_entities(
    ctx: DocContext,
    start: int,
    end: int,
    parts: dict[str, set[str]],
    sports: bool = False,
    known: frozenset[str] | None = None,
) -> tuple[tuple[int, int, str], ...] | None:
    """The confident named entities of ``text[start:end]``, or None when it cannot be taught whole;
    ``parts``: ``name_parts`` of the document; ``sports``: it is a sports document (clubs);
    ``known``: the document's names (``known_names``), to find lists merged into one span."""
    near = ctx.mentions_within(max(0, start - 300), end + 300)
    # "Fig. 5" tagged LOC: a pointer into the document is neither taught nor missed
    inside = [
        m for m in near if m["start"] < end and m["end"] > start and not reference_word(ctx.text, m["start"], m["end"])
    ]
    if any(m["start"] < start or m["end"] > end for m in inside):
        return None  # a mention crosses the edge
    labels: dict[tuple[int, int], set[str]] = {}
    for m in inside:
        labels.setdefault((m["start"], m["end"]), set()).add(m["label"])
    if any(len(v) > 1 for v in labels.values()):
        return None  # one span, two types
    if any(m["label"] not in ENTITY_LABELS and m["label"] not in VALUE_LABELS for m in inside):
        return None  # a LANGUAGE mention, say: a name the row would neither list nor leave out cleanly
    named = [m for m in inside if m["label"] in ENTITY_LABELS]
    if not all(confident(m, ctx.lower_words, parts) for m in named):
        return None
    if sports and any(club_risk(ctx.text, m) for m in named):
        return None
    if any(m["label"] not in PLACES | {"NORP"} and term_modifier(ctx.text, m["start"], m["end"], STOP) for m in named):
        return None  # "a Turing machine" (a term the document repeats): no entity of its own
    names = known_names(ctx) if known is None else known
    if any(merged_list(" ".join(m["text"].split()), names) for m in named):
        return None  # "Zotac, Asus" as one ORG: neither one entity nor two
    if untagged_names(ctx.text, start, end, list(labels), ctx.lower_words):
        return None
    out = []
    for m in named:
        s, e = clean_bounds(ctx.text, m["start"], m["end"])
        if (s, e, m["label"]) not in out:
            out.append((s, e, m["label"]))
    return tuple(sorted(out))


def known_names(ctx: DocContext) -> frozenset[str]:
    """The document's named mentions, each as written (spaces normalised), without "the"."""
    return frozenset(
        re.sub(r"^(?:the|The)\s+", "", " ".join(m["text"].split())) for m in ctx.mentions if m["label"] in ENTITY_LABELS
    )


def windows(
    ctx: DocContext, max_sentences: int = NER_SENTENCES, max_chars: int = NER_CHARS, min_entities: int = 1
) -> list[Window]:
    """Adjacent teachable sentences of one paragraph, grouped greedily up to the given size."""
    out: list[Window] = []
    run: list[tuple[int, int, tuple[tuple[int, int, str], ...]]] = []
    parts = name_parts(ctx.mentions, ctx.lower_words)
    sports = sports_document(ctx.text)
    known = known_names(ctx)

    def flush() -> None:
        entities = tuple(e for _, _, ents in run for e in ents)
        if run and len({(ctx.text[s:e], lab) for s, e, lab in entities}) >= min_entities:
            out.append(Window(run[0][0], run[-1][1], entities))
        run.clear()

    for s0, e0 in ctx.sentences:
        bounds = _prose_bounds(ctx.text, s0, e0)
        entities = sentence_entities(ctx, *bounds, parts, sports, known) if bounds else None
        if bounds is None or entities is None:
            flush()
            continue
        s, e = bounds
        if run and (
            "\n\n" in ctx.text[run[-1][1] : s]
            or ctx.text[run[-1][1] : s].strip()
            or len(run) >= max_sentences
            or e - run[0][0] > max_chars
        ):
            flush()
        run.append((s, e, entities))
    flush()
    return out


def window_record(ctx: DocContext, window: Window) -> dict[str, Any]:
    """A NER record for ``window``: line breaks become spaces (offsets unchanged)."""
    text = re.sub(r"\s", " ", ctx.text[window.start : window.end])
    entities = [
        {
            "text": text[s - window.start : e - window.start],
            "label": label,
            "start": s - window.start,
            "end": e - window.start,
        }
        for s, e, label in window.entities
    ]
    return {"text": text, "entities": entities, "relations": []}
