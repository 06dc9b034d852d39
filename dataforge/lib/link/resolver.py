"""The resolver: mentions in, clusters with a canonical name and merge evidence out.

1. Every mention gets a label (given, or voted per name) and a parsed name (names.py).
2. Mentions with the same label and name share a *node*: proper names by their core
   ("Dr. Sanjay Gupta" = "Sanjay Gupta"), common nouns by their head, dates by their words,
   each pronoun alone. With context vectors a node is split where its documents disagree
   (leader clustering of document vectors), so "Jackson" in a sports story and "Jackson" in
   a music story stay apart; without vectors common nouns never leave their document. All
   names of one country ("U.S.", "the United States"; countries.py) share one node per label,
   never split: a country is the same country in every story.
3. Edges: within-document coreference (coref.py), aliases stated in the text, and pairs of
   different names from blocking (blocking.py) scored by scoring.py.
4. Clustering: edges applied best first through the guards of cluster.py.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

from dataforge.lib import coref
from dataforge.lib.link.blocking import candidate_pairs
from dataforge.lib.link.cluster import Clusters, apply_edges
from dataforge.lib.link.countries import country_of
from dataforge.lib.link.names import (
    PLACE_LABELS,
    Name,
    is_acronym,
    labels_compatible,
    normalize_name,
    parse_name,
    short_form_of,
)
from dataforge.lib.link.scoring import THRESHOLD, describe, name_evidence, pair_score

LABEL_PRIORITY = ["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"]
WITHIN_DOCUMENT = {
    "same_name": 1.0,
    "acronym": 0.95,
    "short_form": 0.9,
    "same_head": 0.85,
    "apposition": 0.85,
    "nominal": 0.8,
}
PRONOUN_SCORE = 0.8
# Leader-clustering thresholds on document similarity: how alike two documents must be for
# one name to mean one thing in both. Proper names travel far, common nouns and dates do not.
SPLIT = {"proper": 0.2, "nominal": 0.4, "temporal": 0.4}
DOCUMENT_WEIGHT = 0.7  # a mention's context: this much document, the rest its own sentence
CONTEXT_GUARD = 0.2
CONTEXT_ROWS = 16_384  # mentions mixed per block in _context: bounds its temporaries
COUNTRY_LABELS = PLACE_LABELS | {"NORP"}  # a country's name or demonym names it only as a place or people
COUNTRY_SCORE = 0.9  # two names of one country (its name, a spelling, its demonym)
AMBIGUITY_MARGIN = 0.05  # an ambiguous short name joins its closest long name only by this margin


def resolve(
    mentions: list[dict[str, Any]],
    aliases: list[tuple[str, str]] = (),
    vote_labels: bool = False,
    vectors: np.ndarray | None = None,
) -> dict[str, Any]:
    """Cluster mentions (dicts with mention_id, doc_id, text, optional label, start, sentence).

    ``aliases``: mention-id pairs the text states are one thing. ``vote_labels``: each name
    takes the majority label of its mentions (spaCy's label for one name varies); otherwise
    labels are trusted and different labels never merge. ``vectors``: one L2-normalized
    context vector per mention (its sentence), aligned with ``mentions``.
    Returns ``{"assignments", "entities", "evidence", "stats"}``.
    """
    clock = _Clock()
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i]["doc_id"], mentions[i].get("start", -1), i))
    ms = [mentions[i] for i in order]
    names = [parse_name(m["text"]) for m in ms]
    labels = _labels(ms, names, vote_labels)
    context = _context(vectors, ms, order)  # rows gathered a block at a time, no reordered copy
    node_of, nodes = _nodes(ms, names, labels, context)
    stats: dict[str, Any] = {"mentions": len(ms), "nodes": len(nodes["label"]), "seconds": clock.lap("nodes")}
    edges = _within_document_edges(ms, node_of, not vote_labels)
    ids = {m["mention_id"]: k for k, m in enumerate(ms)}
    for left, right in aliases:
        if left in ids and right in ids:
            i, j = ids[left], ids[right]
            if alias_plausible(names[i], names[j], labels[i], labels[j]):
                edges.append((1.0, node_of[i], node_of[j], "alias", f"{left} = {right}"))
            else:
                stats["aliases_refused"] = stats.get("aliases_refused", 0) + 1
    clock.lap("within_document")
    proper = [[n for n in names if n.kind == "proper"] for names in nodes["names"]]
    clusters = Clusters(
        nodes["label"],
        nodes["long"],
        proper,
        nodes["weight"],
        nodes["context"],
        nodes["count"],
        not vote_labels,
        CONTEXT_GUARD,
    )
    edges += _cross_node_edges(nodes, clusters, vote_labels, stats)
    edges += _country_edges(nodes)
    clock.lap("blocking_and_scoring")
    evidence = apply_edges(clusters, edges)
    clock.lap("clustering")
    stats.update({f"refused_{k}": v for k, v in clusters.refused.items()})
    result = _summarize(ms, names, labels, node_of, nodes, clusters, evidence, stats, vote_labels)
    clock.lap("summary")
    return result


class _Clock:
    """Seconds per step, reported in ``stats["seconds"]`` (the benchmark shows where time goes)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, step: str) -> dict[str, float]:
        now = time.perf_counter()
        self.laps[step] = round(now - self.last, 3)
        self.last = now
        return self.laps


def alias_plausible(a: Name, b: Name, label_a: str | None, label_b: str | None) -> bool:
    """A bracketed or all-caps apposition is an alias only when the names could be one thing.

    News tables put a player's country or a team's opponent in brackets ("Mark Cairns
    (England)", "Chicago (Houston)"): kept are an acronym for a name of a compatible type
    of a multi-word name ("OSCE", also a foreign one: "Party of Democratic Action (SDA)";
    all-caps "HOUSTON" in a table is no acronym), two names that a name rule relates, and two
    names of one label that is no place ("Saddam (Hussein)", a company's former name).
    """
    if not labels_compatible(label_a, label_b, strict=False):
        return False
    if a.core == b.core:
        return True
    for short, long in ((a, b), (b, a)):  # "NATO" for a multi-word name; "HOUSTON" is a headline word
        if short.acronym and len(short.acronym) <= 6 and len(long.core.split()) > 1:
            return True
    if label_a == label_b and label_a not in PLACE_LABELS:
        return True
    return a.kind == b.kind == "proper" and name_evidence(a, b) is not None


def _labels(ms: list[dict[str, Any]], names: list[Name], vote: bool) -> list[str]:
    if not vote:
        return [m.get("label") or "ENTITY" for m in ms]
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    keys = [(n.core or n.key) if n.kind == "proper" else n.key for n in names]  # "GERMANY - Bunds" votes with "Germany"
    for key, m in zip(keys, ms, strict=True):
        if m.get("label"):
            votes[key][m["label"]] += 1
    rank = {label: i for i, label in enumerate(LABEL_PRIORITY)}
    winner = {k: min(c, key=lambda lab: (-c[lab], rank.get(lab, 99), lab)) for k, c in votes.items()}
    return [winner.get(key, m.get("label") or "ENTITY") for key, m in zip(keys, ms, strict=True)]


def _context(
    vectors: np.ndarray | None, ms: list[dict[str, Any]], order: Sequence[int] | None = None
) -> np.ndarray | None:
    """Per mention: DOCUMENT_WEIGHT x its document's mean vector + the rest its sentence's, normalized.

    ``ms[k]``'s vector is ``vectors[order[k]]`` (``vectors[k]`` without ``order``): the rows are
    gathered a block at a time, so the caller's matrix is never copied whole in mention order."""
    if vectors is None or len(ms) == 0:
        return None
    rows = np.arange(len(ms)) if order is None else np.asarray(order)
    doc_ids = np.array([m["doc_id"] for m in ms])
    _, first, inverse = np.unique(doc_ids, return_index=True, return_inverse=True)
    sums = np.zeros((len(first), vectors.shape[1]))
    for start in range(0, len(ms), CONTEXT_ROWS):  # add.at adds in index order: blocks in order, same sums
        np.add.at(sums, inverse[start : start + CONTEXT_ROWS], vectors[rows[start : start + CONTEXT_ROWS]])
    sums /= np.linalg.norm(sums, axis=1, keepdims=True) + 1e-12
    # In place, a block of rows at a time: the whole-array expression held five mentions x dim
    # float64 temporaries at once (3.2 GB at 10,000 documents, bench.scale). Row-wise the same
    # operations in the same order, so the values are identical.
    mixed = sums[inverse]
    for start in range(0, len(mixed), CONTEXT_ROWS):
        block = mixed[start : start + CONTEXT_ROWS]
        block *= DOCUMENT_WEIGHT
        block += (1 - DOCUMENT_WEIGHT) * vectors[rows[start : start + CONTEXT_ROWS]]
        block /= np.linalg.norm(block, axis=1, keepdims=True) + 1e-12
    return mixed


def _group_key(name: Name, label: str, m: dict[str, Any]) -> tuple[str, ...]:
    if name.kind == "proper":
        country = country_of(name.core) if label in COUNTRY_LABELS else ""  # "Jordan" the person stays
        return ("c", label, country) if country else ("p", label, name.core or name.key)
    if name.kind == "nominal":
        return ("n", label, name.head)
    if name.kind == "temporal":
        return ("t", label, name.key)
    return ("x", m["mention_id"])


def _nodes(ms, names, labels, context) -> tuple[list[int], dict[str, list]]:
    """Node of every mention and the nodes' attributes (see the module docstring, step 2)."""
    groups: dict[tuple[str, ...], dict[str, list[int]]] = defaultdict(dict)
    for k, (m, name, label) in enumerate(zip(ms, names, labels, strict=True)):
        groups[_group_key(name, label, m)].setdefault(m["doc_id"], []).append(k)
    node_of = [0] * len(ms)
    nodes: dict[str, list] = {"label": [], "names": [], "long": [], "weight": [], "ctx": [], "cnt": []}
    for key, by_doc in groups.items():
        kind = {"p": "proper", "c": "country", "n": "nominal", "t": "temporal", "x": "pronoun"}[key[0]]
        for members in _split(kind, list(by_doc.values()), context):
            index = len(nodes["label"])
            for k in members:
                node_of[k] = index
            distinct = {names[k].key: names[k] for k in members}
            first = names[members[0]]
            long = first.core if kind == "proper" and len(first.core.split()) > 1 and not first.acronym else ""
            nodes["label"].append(labels[members[0]])
            nodes["names"].append(list(distinct.values())[:8])
            nodes["long"].append(long)
            nodes["weight"].append(len(members))
            if context is not None:
                nodes["ctx"].append(context[members].sum(axis=0))
                nodes["cnt"].append(len(members))
    nodes["context"] = np.array(nodes.pop("ctx")) if context is not None else None
    nodes["count"] = np.array(nodes.pop("cnt"), dtype=np.float64) if context is not None else None
    return node_of, nodes


def _split(kind: str, per_doc: list[list[int]], context: np.ndarray | None) -> list[list[int]]:
    """Groups of documents in which one name plausibly means one thing."""
    if kind == "pronoun":
        return per_doc
    if kind == "country":
        return [list(chain.from_iterable(per_doc))]
    if context is None:
        return [list(chain.from_iterable(per_doc))] if kind == "proper" else per_doc
    threshold = SPLIT[kind]
    sums: list[np.ndarray] = []
    counts: list[int] = []
    parts: list[list[int]] = []
    for members in per_doc:
        vector = context[members].mean(axis=0)
        vector /= np.linalg.norm(vector) + 1e-12
        scores = [float(s @ vector) / c for s, c in zip(sums, counts, strict=True)]
        best = int(np.argmax(scores)) if scores else -1
        if best >= 0 and scores[best] >= threshold:
            sums[best] = sums[best] + vector
            counts[best] += 1
            parts[best].extend(members)
        else:
            sums.append(vector.copy())
            counts.append(1)
            parts.append(list(members))
    return parts


def _within_document_edges(ms, node_of, strict: bool) -> list[tuple[float, int, int, str, str]]:
    edges = []
    start = 0
    while start < len(ms):
        end = start
        while end < len(ms) and ms[end]["doc_id"] == ms[start]["doc_id"]:
            end += 1
        for ante, ana, rule, detail in coref.link_within_document(ms[start:end], strict_labels=strict):
            a, b = node_of[start + ante], node_of[start + ana]
            if a != b:
                score = PRONOUN_SCORE if rule == "pronoun" else WITHIN_DOCUMENT[rule]
                edges.append((score, a, b, rule, f"{detail} (in {ms[start]['doc_id']})"))
        start = end
    return edges


def _cross_node_edges(nodes, clusters: Clusters, vote: bool, stats: dict[str, int]) -> list:
    """Scored pairs of different proper names that share a block (see scoring.py)."""
    keyed = [(n, "*" if vote else label) for n, label in zip(nodes["names"], nodes["label"], strict=True)]
    found = []
    for a, b in candidate_pairs(keyed, stats):
        best = None
        for x in nodes["names"][a]:
            for y in nodes["names"][b]:
                if x.kind == "proper" and y.kind == "proper" and x.core != y.core:
                    result = name_evidence(x, y)
                    if result and (best is None or result[1] > best[1]):
                        best = result
        if best:
            found.append((a, b, *best))
    by_short: dict[int, list[int]] = defaultdict(list)  # short names fitting several long names
    for index, (a, b, rule, _, _) in enumerate(found):
        if rule == "short_form":
            short = a if len(nodes["names"][a][0].core) < len(nodes["names"][b][0].core) else b
            by_short[short].append(index)
    ambiguous: dict[int, bool] = {}
    for short, indices in by_short.items():
        longs = {nodes["names"][found[k][0] if found[k][1] == short else found[k][1]][0].core for k in indices}
        if len(longs) > 1:
            ambiguous.update(_disambiguate(short, indices, found, clusters))
    edges = []
    for index, (a, b, rule, strength, detail) in enumerate(found):
        if index in ambiguous:
            if not ambiguous[index]:
                continue
            detail += f" (the best of several by context, margin >= {AMBIGUITY_MARGIN})"
        same_label = nodes["label"][a] == nodes["label"][b]
        if not labels_compatible(nodes["label"][a], nodes["label"][b], not vote):
            continue
        similarity = clusters.context_similarity(a, b)
        score = pair_score(strength, similarity, same_label)
        if score >= THRESHOLD:
            edges.append((score, a, b, rule, describe(rule, strength, similarity, same_label, detail)))
    return edges


def _country_edges(nodes) -> list[tuple[float, int, int, str, str]]:
    """Nodes naming one country ("Germany", "German", "Germans"; "U.S.", "the United States")
    join the most mentioned of them (countries.py); the guards of cluster.py still apply."""
    by_country: dict[str, list[int]] = defaultdict(list)
    for index, names in enumerate(nodes["names"]):
        if nodes["label"][index] not in COUNTRY_LABELS:
            continue
        found = sorted({country_of(n.core) for n in names if n.kind == "proper"} - {""})
        if len(found) == 1:
            by_country[found[0]].append(index)
    edges = []
    for country, members in sorted(by_country.items()):
        hub = max(members, key=lambda k: (nodes["weight"][k], -k))
        for k in members:
            if k != hub:
                detail = f"'{nodes['names'][k][0].core}' and '{nodes['names'][hub][0].core}' name {country}"
                edges.append((COUNTRY_SCORE, hub, k, "country", detail))
    return edges


def _disambiguate(short: int, indices: list[int], found: list, clusters: Clusters) -> dict[int, bool]:
    """Of the long names an ambiguous short name fits, keep only one clearly closest in context."""
    scored = []
    for k in indices:
        a, b = found[k][0], found[k][1]
        similarity = clusters.context_similarity(a, b)
        scored.append((similarity if similarity is not None else -1.0, k))
    scored.sort(reverse=True)
    keep = len(scored) == 1 or (scored[0][0] >= 0 and scored[0][0] - scored[1][0] >= AMBIGUITY_MARGIN)
    return {k: keep and k == scored[0][1] for _, k in scored}


def _display(text: str) -> str:
    words = text.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words)


def _summarize(ms, names, labels, node_of, nodes, clusters, evidence, stats, vote: bool) -> dict[str, Any]:
    members: dict[int, list[int]] = defaultdict(list)
    for k in range(len(ms)):
        members[clusters.find(node_of[k])].append(k)
    assignments: dict[str, str] = {}
    entities: list[dict[str, Any]] = []
    used: set[str] = set()
    rank = {label: i for i, label in enumerate(LABEL_PRIORITY)}
    for root in sorted(members):
        group = members[root]
        named = [k for k in group if names[k].kind == "proper"] or [k for k in group if names[k].kind != "pronoun"]
        shown = named or group
        counts = _label_votes(ms, names, shown) if vote else Counter(labels[k] for k in shown)
        label = min(counts, key=lambda lab: (-counts[lab], rank.get(lab, 99), lab))
        forms = Counter(_display(ms[k]["text"]) for k in shown)
        canonical = max(forms, key=lambda f: (len(f.split()) > 1 and not is_acronym(f), forms[f], len(f), f))
        cluster_id = "e-" + hashlib.sha1(f"{label}|{normalize_name(canonical)}".encode()).hexdigest()[:12]
        if cluster_id in used:  # clusters kept apart may share a name: their first mention tells them apart
            first = min(ms[k]["mention_id"] for k in group)
            cluster_id = "e-" + hashlib.sha1(f"{cluster_id}|{first}".encode()).hexdigest()[:12]
        used.add(cluster_id)
        for k in group:
            assignments[ms[k]["mention_id"]] = cluster_id
        doc_ids = sorted({ms[k]["doc_id"] for k in group})
        entities.append(
            {
                "cluster_id": cluster_id,
                "label": label,
                "canonical_name": canonical,
                "aliases": sorted(forms),
                "mention_count": len(group),
                "doc_count": len(doc_ids),
                "doc_ids": doc_ids,
            }
        )
    entities.sort(key=lambda e: (-e["mention_count"], e["cluster_id"]))
    stats["clusters"] = len(entities)
    rows = [
        {"rule": e["rule"], "a": _node_text(nodes, e["a"]), "b": _node_text(nodes, e["b"]), "detail": e["detail"]}
        for e in evidence
    ]
    stats.update({f"merges_{k}": v for k, v in sorted(Counter(e["rule"] for e in evidence).items())})
    return {"assignments": assignments, "entities": entities, "evidence": rows, "stats": stats}


def _label_votes(ms, names, shown: list[int]) -> Counter[str]:
    """A cluster's label from noisy labels: one vote per distinct name (its majority label),
    one for a person per surname used alone ("Marsh" for "Helena Marsh"), one for the long
    name's label per first words or acronym used alone ("Ostrea" for "Ostrea Offshore Wind Farm",
    "NSEI" for "North Sea Energy Institute")."""
    per_form: dict[str, Counter[str]] = defaultdict(Counter)
    for k in shown:
        if ms[k].get("label"):
            per_form[names[k].core or names[k].key][ms[k]["label"]] += 1
    form_label = {form: c.most_common(1)[0][0] for form, c in per_form.items()}
    votes = Counter(form_label.values())
    forms = {names[k].core: names[k] for k in shown if names[k].kind == "proper" and names[k].core in form_label}
    top = sorted(forms, key=lambda f: -sum(per_form[f].values()))[:20]
    for short in top:
        for long in top:
            where = short_form_of(forms[short], forms[long], form_label[long]) if short != long else ""
            if where == "end" and len(short.split()) == 1:
                votes["PERSON"] += 1
            elif where == "start" or (forms[short].acronym and forms[short].acronym in forms[long].initials):
                votes[form_label[long]] += 1
    return votes or Counter(ms[k].get("label") or "ENTITY" for k in shown)


def _node_text(nodes, index: int) -> str:
    return f"{nodes['label'][index]} / {nodes['names'][index][0].key}"
