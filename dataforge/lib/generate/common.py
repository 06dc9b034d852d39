"""Shared helpers for the example generators: ids, provenance, seeded choices, TF-IDF.

Everything here is pure and deterministic: no global random state, no ``hash()``.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from dataforge.lib.assertion import is_asserted
from dataforge.lib.chunk import split_sentences
from dataforge.lib.generate.titles import mid_sentence_forms, readable_title
from dataforge.lib.structure import body_only

MAX_VOCAB = 4096  # TF-IDF vocabulary cap (most frequent terms) to bound memory on long docs

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those he she they them his her their we our you your i me my not no
    so than then there here which who whom whose what when where why how all any both each few
    more most other some such only own same too very can will just also into over under after
    before about against between through during up down out off again further once has have had
    do does did having would could should may might must shall said says new one two per""".split()
)


def as_int(value: Any, default: int = -1) -> int:
    """Offsets and counts from upstream rows; a missing or malformed one becomes ``default``."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def sanitize(rows: Any, strings: tuple[str, ...] = (), required: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Upstream rows as dicts whose ``strings`` fields are str or None (ids may be ints);
    rows missing a ``required`` field are dropped. Generators never see a malformed row."""
    out = []
    for row in rows if isinstance(rows, list | tuple) else []:
        if not isinstance(row, dict):
            continue
        row = dict(row)
        for key in strings:
            value = row.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and key.endswith("_id"):
                value = str(value)
            row[key] = value if isinstance(value, str) else None
        if all(row.get(key) for key in required):
            out.append(row)
    return out


MENTION_STRINGS = ("doc_id", "mention_id", "text", "label", "cluster_id")
RELATION_STRINGS = (
    "doc_id", "head_mention_id", "tail_mention_id", "head", "tail", "relation", "kind", "head_label",
    "tail_label", "head_cluster", "tail_cluster", "pattern", "predicate", "polarity", "modality",
)  # fmt: skip


def rng(seed: Any, *parts: Any) -> random.Random:
    """A private generator seeded by a string such as ``"13:doc-1:qa:4"``."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def example_id(kind: str, generator: str, record: dict[str, Any]) -> str:
    blob = json.dumps([kind, generator, record], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]


def span(doc_id: str, start: int, end: int) -> dict[str, Any]:
    return {"doc_id": str(doc_id), "start": int(start), "end": int(end)}


def make_example(kind: str, generator: str, record: dict[str, Any], spans: list[dict[str, Any]]) -> dict[str, Any]:
    """Flat example: the record fields plus provenance (id, kind, generator, sources)."""
    uniq = sorted({(s["doc_id"], s["start"], s["end"]) for s in spans})
    example = dict(record)
    example["id"] = example_id(kind, generator, record)
    example["kind"] = kind
    example["generator"] = generator
    example["source_documents"] = sorted({d for d, _, _ in uniq})
    example["source_spans"] = [span(d, s, e) for d, s, e in uniq]
    return example


def sort_key(example: dict[str, Any]) -> tuple:
    spans = example.get("source_spans") or [{"doc_id": "", "start": 0, "end": 0}]
    first = spans[0]
    return (
        example["kind"],
        example["source_documents"],
        first["doc_id"],
        first["start"],
        example["generator"],
        example["id"],
    )


def finalize(examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop duplicate ids (first wins) and sort deterministically."""
    seen: set[str] = set()
    out = []
    for ex in examples:
        if ex["id"] not in seen:
            seen.add(ex["id"])
            out.append(ex)
    return sorted(out, key=sort_key)


def terms(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS and len(w) > 1]


def tfidf(texts: list[str], max_vocab: int = MAX_VOCAB) -> tuple[np.ndarray, list[str]]:
    """L2-normalised TF-IDF rows (sublinear tf, smoothed idf) and the sorted vocabulary."""
    docs = [terms(t) for t in texts]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    kept = sorted(df, key=lambda w: (-df[w], w))[:max_vocab]
    vocab = sorted(kept)
    index = {w: i for i, w in enumerate(vocab)}
    mat = np.zeros((len(texts), len(vocab)), dtype=np.float64)
    for i, d in enumerate(docs):
        for w, c in Counter(d).items():
            if w in index:
                mat[i, index[w]] = 1.0 + math.log(c)
    if vocab:
        n = len(texts)
        idf = np.array([math.log((1 + n) / (1 + df[w])) + 1.0 for w in vocab])
        mat *= idf
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        mat = np.divide(mat, norms, out=np.zeros_like(mat), where=norms > 0)
    return mat, vocab


_NUMBERS = frozenset({"CARDINAL", "ORDINAL", "DATE", "TIME", "PERCENT", "QUANTITY"})
_FUNCTION_WORDS = frozenset("a an the and of in on for to at by with or from".split())


def _heading_line(line: str) -> bool:
    """A short title-case line without final punctuation: a heading fused into a sentence."""
    words = line.split()
    if not words or len(words) > 10 or line.rstrip()[-1] in ".!?;,":
        return False
    if re.match(r"[#>*\-\u2022]", words[0]):
        return True
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    return bool(content) and sum(w[:1].isupper() or w[:1] in "0123456789($" for w in content) >= 0.8 * len(content)


_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _wrapped(line: str, rest: str) -> bool:
    """The line is a sentence wrapped at a line break, not a heading: it ends on a function word
    ("Founded in"), or on a month whose year opens the next line ("In June" / "2021 Halloran ...")."""
    last = line.split()[-1].lower()
    return last in _FUNCTION_WORDS or (last in _MONTHS and bool(re.match(r"\d{1,4}\b", rest)))


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


_RANKED = re.compile(r"(?:^|[\s:;])\d{1,3}\.\s+[A-Z]")
_TIMING = re.compile(r"\b\d{1,2}:\d{2}[.:]\d+\b")  # race times "3:31.526", "2:05:13"
# a results-table row: a name, its country in brackets, then (team and) a time: "Merhi (Spain) Marussia 1:42.842"
_RESULT_ROW = re.compile(r"\([A-Z][A-Za-z .]+\)[^.;,()]{0,40}?\b\d{1,2}:\d{2}[.:]\d+\b")


def results_list(text: str) -> bool:
    """A flattened results table, not a sentence: "... finals): 1. Antonella Bellutti (Italy) 3:31.526
    2. Marion Clignet ...", or a piece of one cut at a rank ("... (world record) 2.")."""
    cut_at_rank = re.search(r"[)\d]\s\d{1,3}\.$", text)
    row = _RESULT_ROW.search(text)  # one row glued to a sentence: "Merhi (Spain) Marussia - Ferrari 1:42.842 Rosberg"
    return len(_RANKED.findall(text)) >= 2 or len(_TIMING.findall(text)) >= 3 or bool(cut_at_rank or row)


def is_prose(text: str) -> bool:
    """A running-text sentence: not a heading, a question heading, a table row or a label line."""
    text = " ".join(text.split())
    words = text.split()
    if len(words) < 5 or "|" in text or not re.search(r"[.!][\"')\u201d]*$", text):
        return False
    if re.match(r"[\w' -]{1,25}:\s", text) or results_list(text):  # a label: "Kick-off: Saturday, 3pm"
        return False
    alpha = [w for w in words if w[:1].isalpha()]
    lower = [w for w in alpha if w[:1].islower() and w.lower() not in _FUNCTION_WORDS]
    return bool(lower) and len([w for w in alpha if w[:1].islower()]) >= 0.25 * len(alpha)


def clean_start(text: str, start: int, end: int, keep: int | None = None) -> int:
    """Skip heading lines and bullet marks that open a sentence (never past ``keep``)."""
    while True:
        nl = text.find("\n", start, end)
        if nl < 0:
            break
        nxt = nl + 1
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end or not (text[nxt].isupper() or text[nxt].isdigit()) or not _heading_line(text[start:nl]):
            break
        if _wrapped(text[start:nl], text[nxt:end]):
            break
        if keep is not None and nxt > keep:
            break
        start = nxt
    m = re.match(r"[#>*\-\u2022]+\s+", text[start:end])
    if m and (keep is None or start + m.end() <= keep):
        start += m.end()
    return start


_MARKUP_TAIL = re.compile(r"\n[ \t]*[#*|>]+[ \t]*$")  # the next heading's "###" caught by a sentence span


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace, nor a markup line it ran on to ("Bergen.\\n\\n###")."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    tail = _MARKUP_TAIL.search(text, max(start, end - 12), end)
    if tail is not None:
        return trim_span(text, start, tail.start())
    return start, end


@dataclass
class DocContext:
    """A document bundle validated against its text: only consistent spans survive."""

    doc_id: str
    text: str
    title: str
    seed: int
    chunks: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    sentences: list[tuple[int, int]]
    mention_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    lower_words: frozenset[str] = frozenset()
    # pronoun or "the company" span -> the named mention at the root of its coreference chain
    coref: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    date: str | None = None  # the document's own date (metadata), to place "Tuesday"

    @property
    def sentence_starts(self) -> list[int]:
        """Sentence start offsets in order, for bisecting."""
        return self._sentence_starts

    def readable_title(self) -> str:
        """The title as a reader writes it: a wire's "SOCCER - IRISH ERASE ..." in sentence case."""
        return readable_title(self.title, self.text, self.mentions, self.lower_words)

    @cached_property
    def named_words(self) -> frozenset[str]:
        """Words the text capitalises after a lower-case word somewhere ("that Greece will"): names,
        not a sentence's first common noun ("Performers in costumes ..."); computed once per document."""
        return frozenset(mid_sentence_forms(self.text))

    def lower_first(self, start: int, end: int) -> bool:
        """Is the first word of text[start:end] a common word (seen lower-case elsewhere)?"""
        i = bisect.bisect_left(self._mention_starts, start)
        if i < len(self._mention_starts) and self._mention_starts[i] == start:
            return self.mentions[i]["label"] in _NUMBERS  # a name keeps its capital, "Eleven" does not
        w = re.match(r"[A-Za-z]+", self.text[start:end])
        return bool(w) and w.group().lower() in self.lower_words

    def __post_init__(self) -> None:
        self._sentence_starts = [s for s, _ in self.sentences]
        self._mention_starts = [m["start"] for m in self.mentions]
        # Lookups by position instead of scans, so that a 10 MB document (10k chunks, 20k
        # relations) costs what ten 1 MB documents cost, not a hundred.
        self._chunk_starts = [c["start"] for c in self.chunks]
        pairs = zip(self.chunks, self.chunks[1:], strict=False)
        self._chunks_sorted = all(a["start"] <= b["start"] and a["end"] <= b["end"] for a, b in pairs)
        spans = []
        for index, r in enumerate(self.relations):
            head = self.mention_by_id.get(str(r["head_mention_id"]))
            tail = self.mention_by_id.get(str(r["tail_mention_id"]))
            if head is not None and tail is not None:
                spans.append((min(head["start"], tail["start"]), max(head["end"], tail["end"]), index))
        self._relation_spans = sorted(spans)
        self._relation_starts = [lo for lo, _, _ in self._relation_spans]

    def sentence_of(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._sentence_starts, start) - 1
        for s, e in reversed(self.sentences[max(0, i - 3) : i + 1]):
            if s <= start and end <= e:
                return s, e
        return None

    def mentions_within(self, start: int, end: int) -> list[dict[str, Any]]:
        i = bisect.bisect_left(self._mention_starts, start)
        j = bisect.bisect_left(self._mention_starts, end)
        return [m for m in self.mentions[i:j] if m["end"] <= end]

    def relations_within(self, start: int, end: int) -> list[dict[str, Any]]:
        """Relations (in ``relations`` order) whose head and tail both lie in text[start:end]."""
        i = bisect.bisect_left(self._relation_starts, start)
        j = bisect.bisect_right(self._relation_starts, end)
        return [self.relations[k] for k in sorted(k for _, hi, k in self._relation_spans[i:j] if hi <= end)]

    def chunk_of(self, start: int, end: int) -> dict[str, Any] | None:
        """The first chunk holding text[start:end]."""
        if not self._chunks_sorted:
            return next((c for c in self.chunks if c["start"] <= start and end <= c["end"]), None)
        # chunks ordered by start and by end: those holding the span are a contiguous run
        # ending at the last chunk that starts at or before ``start``
        k = bisect.bisect_right(self._chunk_starts, start) - 1
        found = None
        while k >= 0 and self.chunks[k]["end"] >= end:
            found, k = self.chunks[k], k - 1
        return found


def build_context(
    document: dict[str, Any],
    chunks: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    seed: int,
) -> DocContext | None:
    document = document if isinstance(document, dict) else {}
    text = document.get("text") if isinstance(document.get("text"), str) else ""
    chunks = sanitize(chunks, ("doc_id", "heading"))
    doc_id = document.get("doc_id") or next((c["doc_id"] for c in chunks if c["doc_id"]), None)
    if not text.strip() or not isinstance(doc_id, str | int):
        return None
    mentions = sanitize(mentions, MENTION_STRINGS, ("text", "label"))
    relations = sanitize(relations, RELATION_STRINGS, ("head_mention_id", "tail_mention_id"))
    good_chunks, chunk_ids = [], set()
    for n, c in enumerate(chunks):
        if not isinstance(c.get("text", ""), str) or not isinstance(c.get("sentences") or [], list):
            continue
        cid, s, e = as_int(c.get("chunk_id"), n), as_int(c.get("start")), as_int(c.get("end"))
        if 0 <= s < e <= len(text) and text[s:e] == c.get("text", text[s:e]) and cid not in chunk_ids:
            chunk_ids.add(cid)
            good_chunks.append({**c, "chunk_id": cid, "start": s, "end": e, "text": text[s:e]})
    good_chunks.sort(key=lambda c: (c["chunk_id"], c["start"]))
    sentences: set[tuple[int, int]] = set()
    for c in good_chunks:
        for sent in c.get("sentences") or []:
            if not isinstance(sent, dict):
                continue
            s, e = as_int(sent.get("start")), as_int(sent.get("end"))
            if 0 <= s < e <= len(text):
                s, e = trim_span(text, s, e)
            if 0 <= s < e <= len(text):
                sentences.add((clean_start(text, s, e), e))
    sent_list = sorted(sentences) or [(clean_start(text, s, e), e) for s, e in split_sentences(text)]
    good_mentions = []
    for m in mentions:
        s, e = as_int(m.get("start")), as_int(m.get("end"))
        if 0 <= s < e <= len(text) and text[s:e] == m.get("text") and m.get("label") and _has_word(text[s:e]):
            good_mentions.append({**m, "start": s, "end": e})
    good_mentions.sort(key=lambda m: (m["start"], m["end"], m["label"], str(m.get("mention_id"))))
    # headings, table headers, labels and the headline/dateline never answer or summarize (lib.structure)
    sent_list, good_mentions = body_only(text, sent_list, good_mentions, document.get("blocks"))
    by_id = {str(m["mention_id"]): m for m in good_mentions if m.get("mention_id") is not None}
    good_relations = [
        r
        for r in relations
        if r["head_mention_id"] in by_id
        and r["tail_mention_id"] in by_id
        and is_asserted(r.get("polarity"), r.get("modality"))  # no example states a denied or asked fact
    ]
    good_relations.sort(
        key=lambda r: (
            by_id[str(r["head_mention_id"])]["start"],
            by_id[str(r["tail_mention_id"])]["start"],
            str(r.get("predicate") or r.get("relation")),
        )
    )
    return DocContext(
        coref=_coref_roots(document.get("coref"), by_id, text),
        date=document["date"] if isinstance(document.get("date"), str) else None,
        doc_id=str(doc_id),
        text=text,
        title=document["title"] if isinstance(document.get("title"), str) else "",
        seed=seed,
        chunks=good_chunks,
        mentions=good_mentions,
        relations=good_relations,
        sentences=sent_list,
        mention_by_id=by_id,
        lower_words=frozenset(re.findall(r"\b[a-z]+\b", text)),
    )


def _coref_roots(rows: Any, named: dict[str, dict[str, Any]], text: str) -> dict[tuple[int, int], dict[str, Any]]:
    """Each coreferent span (silver document_coref) mapped to the named mention its chain ends in."""
    rows = sanitize(rows, ("mention_id", "antecedent_mention_id", "text"), ("mention_id", "antecedent_mention_id"))
    by_id = {r["mention_id"]: r for r in rows}
    out = {}
    for r in rows:
        s, e = as_int(r.get("start")), as_int(r.get("end"))
        if not (0 <= s < e <= len(text)) or text[s:e] != r.get("text"):
            continue
        node, steps = r, 0
        while node is not None and node["antecedent_mention_id"] not in named and steps < 50:
            node, steps = by_id.get(node["antecedent_mention_id"]), steps + 1
        root = named.get(node["antecedent_mention_id"]) if node is not None else None
        if root is not None and root["label"] not in _NUMBERS:
            out[(s, e)] = root
    return out


def mention_sentence(ctx: DocContext, m: dict[str, Any]) -> tuple[int, int] | None:
    """The mention's sentence span: its own fields when consistent, else the enclosing one."""
    s, e = as_int(m.get("sentence_start")), as_int(m.get("sentence_end"))
    if 0 <= s <= m["start"] and m["end"] <= e <= len(ctx.text):
        s, e = trim_span(ctx.text, s, e)
        if s <= m["start"] and m["end"] <= e:
            return clean_start(ctx.text, s, e, m["start"]), e
    return ctx.sentence_of(m["start"], m["end"])
