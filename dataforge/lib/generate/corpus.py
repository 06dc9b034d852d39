"""Corpus-level facts (typed relations between clusters) and entity profiles.

Multi-hop and yes/no questions live in ``fact_tasks``; timeline, multiple-choice and comparison
tasks in ``corpus_tasks``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from dataforge.lib.assertion import is_asserted
from dataforge.lib.entity_groups import first_name_gender
from dataforge.lib.generate.common import as_int, clean_start, is_prose, trim_span
from dataforge.lib.generate.relphrase import normalize_relation, usable
from dataforge.lib.relation_schema import RELATIONS, in_predicate_order, predicate_of


@dataclass(frozen=True)
class Fact:
    """A typed relation between two clusters, with its evidence sentence in one document."""

    doc_id: str
    relation: str
    head_cluster: str
    tail_cluster: str
    head: str
    tail: str
    head_label: str
    tail_label: str
    head_span: tuple[int, int]
    tail_span: tuple[int, int]
    evidence: tuple[int, int]
    schema: str = ""  # the relation's schema name (relation_schema.RELATIONS), "" for none
    inverse: bool = False  # head and tail above are in predicate order; schema order is reversed


def _text(documents: dict[str, dict], doc_id: str) -> str:
    return str((documents.get(doc_id) or {}).get("text") or "")


def mention_index(documents: dict[str, dict], mentions: list[dict]) -> dict[tuple, dict]:
    out = {}
    for m in mentions or []:
        text = _text(documents, m.get("doc_id"))
        s, e = as_int(m.get("start")), as_int(m.get("end"))
        if 0 <= s < e <= len(text) and text[s:e] == m.get("text"):
            out[(m["doc_id"], str(m.get("mention_id")))] = m
    return out


def cluster_sentences(documents: dict[str, dict], mentions: list[dict]) -> dict[str, list]:
    """cluster_id -> sorted unique (doc_id, start, end) running-text sentences of its mentions."""
    found: dict[str, set] = defaultdict(set)
    for m in mentions or []:
        cid, text = m.get("cluster_id"), _text(documents, m.get("doc_id"))
        s, e = as_int(m.get("sentence_start")), as_int(m.get("sentence_end"))
        if not cid or not (0 <= s < e <= len(text)):
            continue
        s, e = trim_span(text, s, e)
        if s < e:
            s = clean_start(text, s, e, as_int(m.get("start"), s))
            if is_prose(text[s:e]):
                found[str(cid)].add((m["doc_id"], s, e))
    return {cid: sorted(spans) for cid, spans in found.items()}


def facts(
    documents: dict[str, dict], mentions: list[dict], relations: list[dict], labels: dict[str, str] | None = None
) -> list[Fact]:
    """Typed relations between clusters; labels are the clusters' (corpus-wide) labels when known."""
    index = mention_index(documents, mentions)
    labels = labels or {}
    out = set()
    for r in map(in_predicate_order, relations or []):
        hc, tc, doc = r.get("head_cluster"), r.get("tail_cluster"), r.get("doc_id")
        if (r.get("kind") or "typed") != "typed" or not hc or not tc or hc == tc:
            continue
        if not usable(predicate_of(r), r.get("pattern")) or not is_asserted(r.get("polarity"), r.get("modality")):
            continue
        head = index.get((doc, str(r.get("head_mention_id"))))
        tail = index.get((doc, str(r.get("tail_mention_id"))))
        if head is None or tail is None:
            continue
        text = _text(documents, doc)
        if any(_shared_surname(m["text"], m["label"], text) for m in (head, tail)):
            continue  # "Banky was CEO ..." where the story names Benjamin and John Banky: which one is a guess
        lo, hi = min(head["start"], tail["start"]), max(head["end"], tail["end"])
        es, ee = as_int(r.get("evidence_start")), as_int(r.get("evidence_end"))
        if not (0 <= es <= lo and hi <= ee <= len(text)):
            es, ee = as_int(head.get("sentence_start")), as_int(head.get("sentence_end"))
            if not (0 <= es <= lo and hi <= ee <= len(text)):
                continue
        evidence = trim_span(text, es, ee)
        out.add(
            Fact(
                str(doc),
                normalize_relation(predicate_of(r), labels.get(str(tc)) or tail["label"]),
                str(hc),
                str(tc),
                head["text"],
                tail["text"],
                labels.get(str(hc)) or head["label"],
                labels.get(str(tc)) or tail["label"],
                (head["start"], head["end"]),
                (tail["start"], tail["end"]),
                evidence,
                str(r.get("relation") or "") if str(r.get("relation") or "") in RELATIONS else "",
                bool(r.get("inverse")),
            )
        )
    return sorted(out, key=lambda f: (f.doc_id, f.evidence, f.head_span, f.tail_span, f.relation))


@lru_cache(maxsize=4096)
def _shared_surname(name: str, label: str, text: str) -> bool:
    """A one-word person's name that ends the names of two people the text writes in full (ecbs
    audit: "Banky" of Benjamin David Banky and of his brother John Banky, given to John)."""
    if label != "PERSON" or len(name.split()) != 1:
        return False
    firsts = {
        m.group(1)
        for m in re.finditer(rf"\b([A-Z][a-z]+)(?: [A-Z][a-z]+| [A-Z]\.)? {re.escape(name)}\b", text)
        if first_name_gender(m.group(1))
    }
    return len(firsts) >= 2


def _round_robin(spans: list[tuple], limit: int) -> list[tuple]:
    """Up to ``limit`` sentence spans, alternating between documents."""
    per_doc: dict[str, list[tuple]] = defaultdict(list)
    for s in spans:
        per_doc[s[0]].append(s)
    out: list[tuple] = []
    queues = [per_doc[d] for d in sorted(per_doc)]
    while len(out) < limit and any(queues):
        for q in queues:
            if q and len(out) < limit:
                out.append(q.pop(0))
    return sorted(out)
