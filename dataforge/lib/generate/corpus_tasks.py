"""Corpus instruction tasks: timeline order, multiple choice, entity comparison (yes/no: ``fact_tasks``)."""

from __future__ import annotations

import re
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import as_int, rng, span
from dataforge.lib.generate.corpus import Fact, _round_robin, _text
from dataforge.lib.generate.instruction import date_key, instruction_example, phrase
from dataforge.lib.generate.lexicon import VALUE_LABELS
from dataforge.lib.generate.relphrase import relation_question
from dataforge.lib.nlp import CURRENCIES, UNITS

MAX_TIMELINE_PAIRS = 100
MAX_TIMELINE_ORDER = 50
TIMELINE_GROUP = 4
MAX_CHOICE_FACTS = 200  # facts turned into multiple-choice questions
MAX_COMPARE = 60
COMPARE_TOP = 3  # per label, the most widespread entities are compared pairwise
LETTERS = "ABCD"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _granular(key: tuple[int, int, int]) -> int:
    return 1 + (key[1] > 0) + (key[1] > 0 and key[2] > 0)


def comparable(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    g = min(_granular(a), _granular(b))
    return a[:g] != b[:g]


def _events(documents: dict[str, dict], events: list[dict]) -> list[dict]:
    out, seen = [], set()
    for ev in events or []:
        text = _text(documents, ev.get("doc_id"))
        key = date_key(str(ev.get("date") or ""))
        s, e = as_int(ev.get("start")), as_int(ev.get("end"))
        if key is None or not (0 <= s < e <= len(text)):
            continue
        sentence = _clean(text[s:e])
        if sentence.lower() in seen:
            continue
        seen.add(sentence.lower())
        out.append({**ev, "key": key, "sentence": sentence, "start": s, "end": e})
    return sorted(out, key=lambda ev: (ev["key"], str(ev["doc_id"]), ev["start"]))


def _describe(ev: dict) -> str:
    return f"{ev['sentence']} [{ev['doc_id']}]"


def timeline(documents: dict[str, dict], events: list[dict], config: DataforgeConfig) -> list:
    evs = _events(documents, events)
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
        text, k = phrase("timeline_first", config.seed, i, j)
        inp = "\n".join(f"{L}: {_describe(ev)}" for L, ev in zip("AB", shown, strict=True))
        letter = "B" if flip else "A"
        output = (
            f"{letter} happened first ({first['date_text'] or first['date']}); the other "
            f"event is dated {second['date_text'] or second['date']}."
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
        output = "\n".join(
            f"{i + 1}. {letter[id(ev)]} ({ev['date_text'] or ev['date']}): {ev['sentence']}"
            for i, ev in enumerate(group)
        )
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


def choices(
    documents: dict[str, dict],
    entities: list[dict],
    fact_list: list[Fact],
    config,
    sents: dict[str, list] | None = None,
):
    """Multiple-choice questions from facts. Distractors share the answer's resolved
    type (the entity clusters' label) and are real entities (``distractor_pool``); the correct
    option's position is balanced over the release (``Positions``)."""
    names = {str(e["cluster_id"]): str(e.get("canonical_name") or "") for e in entities or [] if e.get("cluster_id")}
    by_label = distractor_pool(entities, sents)
    positions = Positions(config.seed)
    truths = {(f.head_cluster, f.relation, f.tail_cluster) for f in fact_list}
    unique: dict[tuple, Fact] = {}
    for f in fact_list:
        unique.setdefault((f.head_cluster, f.relation, f.tail_cluster), f)
    keys = sorted(unique)
    if len(keys) > MAX_CHOICE_FACTS:
        keys = sorted(rng(config.seed, "choice-facts").sample(keys, MAX_CHOICE_FACTS))
    out = []
    for key in keys:
        f = unique[key]
        answer = names.get(f.head_cluster) or f.head
        pool = [
            c
            for c in by_label.get(f.head_label, [])
            if c not in (f.head_cluster, f.tail_cluster)
            and (c, f.relation, f.tail_cluster) not in truths
            and names[c].lower() not in answer.lower()
            and answer.lower() not in names[c].lower()
            and not _together(c, f.tail_cluster, sents)
        ]
        pool = sorted({names[c].lower(): c for c in sorted(pool, reverse=True)}.values(), key=lambda c: (names[c], c))
        seeded = rng(config.seed, "choice", *key)
        spans = [span(f.doc_id, *f.evidence)]
        evidence = f"({f.doc_id}): {_clean(_text(documents, f.doc_id)[slice(*f.evidence)])}"
        made = relation_question(f.relation, "head", f.head, f.tail, f.head_label, f.head_label)
        # the answer's type decides the options' type: a one-word answer may be mistyped ("Which place
        # was founded in Bergen?" -> "Halden", a company), and its distractors with it
        if made and len(pool) >= 2 and answer.lower() not in made[0].lower() and distractor_name(answer, f.head_label):
            options = [names[c] for c in seeded.sample(pool, min(3, len(pool)))]
            seeded.shuffle(options)
            options.insert(positions.next(len(options) + 1), answer)
            letter = LETTERS[options.index(answer)]
            text, k = phrase("multiple_choice", config.seed, *key, q=made[0])
            inp = "\n".join(f"{L}) {o}" for L, o in zip(LETTERS, options, strict=False))
            out.append(
                instruction_example(
                    "multiple_choice",
                    text,
                    k,
                    inp,
                    f"{letter}) {answer}\n\nEvidence {evidence}",
                    spans,
                    "corpus",
                    None,
                    answer,
                    len(options),
                )
            )
    return out


def _together(a: str, b: str, sents: dict[str, list] | None) -> bool:
    """Do clusters ``a`` and ``b`` share a sentence anywhere in the corpus? Then ``a`` may well be
    a true answer too ("Who founded Northwind?": not Helena Marsh as a wrong option)."""
    return bool(sents) and not set(sents.get(a) or ()).isdisjoint(sents.get(b) or ())


def compare(documents: dict[str, dict], entities: list[dict], sents: dict[str, list], config):
    by_label: dict[str, list[dict]] = {}
    for e in entities or []:
        if e.get("label") not in VALUE_LABELS and sents.get(str(e.get("cluster_id"))) and e.get("canonical_name"):
            by_label.setdefault(str(e["label"]), []).append(e)
    pairs = []
    for label in sorted(by_label):
        top = sorted(
            by_label[label],
            key=lambda e: (-as_int(e.get("doc_count"), 0), -as_int(e.get("mention_count"), 0), str(e["cluster_id"])),
        )[:COMPARE_TOP]
        pairs += [(a, b) for i, a in enumerate(top) for b in top[i + 1 :]]
    out = []
    for a, b in pairs[:MAX_COMPARE]:
        na, nb = str(a["canonical_name"]), str(b["canonical_name"])
        sa = _round_robin(sents[str(a["cluster_id"])], 2)
        sb = _round_robin(sents[str(b["cluster_id"])], 2)
        da = len({d for d, _, _ in sents[str(a["cluster_id"])]})
        db = len({d for d, _, _ in sents[str(b["cluster_id"])]})

        def lines(picked: list[tuple]) -> str:
            return "\n".join(f"- {_clean(_text(documents, d)[s:e])} [{d}]" for d, s, e in picked)

        output = f"{na} appears in {da} document(s) and {nb} in {db}.\n\n{na}:\n{lines(sa)}\n\n{nb}:\n{lines(sb)}"
        text, k = phrase("compare_corpus", config.seed, a["cluster_id"], b["cluster_id"], a=na, b=nb)
        spans = [span(d, s, e) for d, s, e in sa + sb]
        out.append(instruction_example("compare_corpus", text, k, "", output, spans, "corpus", None, f"{na} | {nb}", 2))
    return out


def generate(documents, entities, fact_list, sents, events, config) -> list[dict[str, Any]]:
    return (
        timeline(documents, events, config)
        + choices(documents, entities, fact_list, config, sents)
        + compare(documents, entities, sents, config)
    )
