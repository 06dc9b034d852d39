"""Corpus-level examples: multi-hop QA over graph paths and entity profiles.

Timeline, multiple-choice, yes/no and comparison tasks live in ``corpus_tasks``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from dataforge.lib.assertion import is_asserted
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import as_int, clean_start, is_prose, make_example, rng, span, trim_span
from dataforge.lib.generate.qa import qa_record, well_formed
from dataforge.lib.generate.relphrase import describe, normalize_relation, relation_question, usable
from dataforge.lib.relation_schema import in_predicate_order, predicate_of

GEN_MULTIHOP = "qa.multihop/1"
MAX_MULTIHOP = 500  # multi-hop questions per release (seeded sample beyond)
MAX_BRIDGE_FANOUT = 50  # second hops tried per first hop (hub entities have many facts)


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
            )
        )
    return sorted(out, key=lambda f: (f.doc_id, f.evidence, f.head_span, f.tail_span, f.relation))


def _ends(f: Fact, ask: str) -> tuple:
    """(answer cluster, text, label, span) and (bridge cluster, label) for the asked end."""
    if ask == "head":
        return (f.head_cluster, f.head, f.head_label, f.head_span), (f.tail_cluster, f.tail_label)
    return (f.tail_cluster, f.tail, f.tail_label, f.tail_span), (f.head_cluster, f.head_label)


def multihop(documents: dict[str, dict], fact_list: list[Fact], config: DataforgeConfig) -> list[dict[str, Any]]:
    by_cluster: dict[str, list[Fact]] = defaultdict(list)
    for f in fact_list:
        by_cluster[f.head_cluster].append(f)
        by_cluster[f.tail_cluster].append(f)
    found: dict[tuple, dict[str, Any]] = {}
    for f1 in fact_list:
        for ask in ("head", "tail"):
            (a_id, a_text, a_label, a_span), (b_id, b_label) = _ends(f1, ask)
            b_text = f1.tail if ask == "head" else f1.head
            others = [f2 for f2 in by_cluster[b_id] if f2.doc_id != f1.doc_id][:MAX_BRIDGE_FANOUT]
            for f2 in others:
                role = "head" if f2.head_cluster == b_id else "tail"
                c_id, c_text = (f2.tail_cluster, f2.tail) if role == "head" else (f2.head_cluster, f2.head)
                key = (a_id, f1.relation, ask, b_id, f2.relation, role, c_id)
                if c_id in (a_id, b_id) or key in found or _overlap(a_text, c_text) or _overlap(a_text, b_text):
                    continue
                desc = describe(f2.relation, role, b_label, c_text, f2.head_label)
                if desc is None:
                    continue
                made = relation_question(
                    f1.relation,
                    ask,
                    desc if ask == "tail" else a_text,
                    desc if ask == "head" else a_text,
                    a_label,
                    f1.head_label,
                )
                if made is None or not well_formed(made[0], a_text):
                    continue
                found[key] = _multihop_example(documents, f1, f2, made, a_text, a_label, a_span)
    keys = sorted(found)
    if len(keys) > MAX_MULTIHOP:
        keys = sorted(rng(config.seed, "multihop").sample(keys, MAX_MULTIHOP))
    return [found[k] for k in keys]


def _overlap(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a in b or b in a


def _multihop_example(documents, f1: Fact, f2: Fact, made, a_text, a_label, a_span) -> dict:
    t1, t2 = _text(documents, f1.doc_id), _text(documents, f2.doc_id)
    ev1, ev2 = t1[slice(*f1.evidence)], t2[slice(*f2.evidence)]
    context = ev1 + " " + ev2
    start = a_span[0] - f1.evidence[0]
    record = qa_record(context, made[0], a_text, start, start + len(a_text), made[1], "hard", a_label)
    spans = [span(f1.doc_id, *f1.evidence), span(f2.doc_id, *f2.evidence)]
    return make_example("qa", GEN_MULTIHOP, record, spans)


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
