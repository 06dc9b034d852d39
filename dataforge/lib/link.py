"""Cross-document entity resolution: which mentions name the same thing.

Rules, applied in order, each recorded as evidence for the merge it causes:
1. ``same_name``: same label and the same normalized name ("the NREC's" == "NREC"; for
   organizations also without a legal-form suffix: "Tidewater Holdings Ltd" == "Tidewater Holdings").
2. ``alias``: an explicit alias in the text ("Northwind Renewable Energy Corporation (NREC)").
3. ``acronym``: an all-caps token equal to the initials of exactly one long name of the
   same label ("NREC" -> "Northwind Renewable Energy Corporation").
4. ``short_form``: a single word that is the last name of exactly one person, or the first
   word of exactly one organization ("Marsh" -> "Helena Marsh", "Northwind" -> ...). Inside a
   document the nearest preceding long form wins, whatever spaCy's label for the short form.
Guard against chaining: two clusters never merge when each holds a long name and neither
long name contains the other's words ("John Smith" and "Jane Smith" stay apart even when
"Smith" could join either). Blocking by label and key keeps the cost near-linear.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any

LABEL_PRIORITY = ["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"]
_STOP = {"of", "and", "the", "for", "&", "de", "in", "on", "at"}
_SUFFIXES = {
    "inc",
    "corp",
    "corporation",
    "ltd",
    "llc",
    "co",
    "company",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "nv",
    "bv",
    "as",
    "asa",
    "ab",
    "oy",
    "spa",
    "srl",
    "sas",
    "kg",
    "se",
}


def normalize_name(text: str) -> str:
    """Casefolded, accent-free, punctuation-free name without "the" and possessives."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]s\b", "", text.casefold())
    text = re.sub(r"[^\w\s&]", " ", text)
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def org_key(key: str) -> str:
    words = key.split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return " ".join(words)


def initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in _STOP and w[0].isalpha())


def is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z&.]{1,7}", text.strip())) and sum(c.isalpha() for c in text) >= 2


def _display(text: str) -> str:
    """A surface form for people to read: whitespace collapsed, no leading article."""
    words = text.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words)


class _Clusters:
    """Union-find over mention groups with the chaining guard."""

    def __init__(self, keys: list[tuple[str, str]]):
        self.parent = list(range(len(keys)))
        self.long_forms = [{k} if len(k.split()) > 1 else set() for _, k in keys]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def compatible(self, a: int, b: int) -> bool:
        la, lb = self.long_forms[self.find(a)], self.long_forms[self.find(b)]
        if not la or not lb:
            return True
        return any(set(x.split()) <= set(y.split()) or set(y.split()) <= set(x.split()) for x in la for y in lb)

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or not self.compatible(ra, rb):
            return False
        ra, rb = min(ra, rb), max(ra, rb)
        self.parent[rb] = ra
        self.long_forms[ra] |= self.long_forms[rb]
        return True


def resolve(
    mentions: list[dict[str, Any]], aliases: list[tuple[str, str]] = (), vote_labels: bool = False
) -> dict[str, Any]:
    """Cluster mentions (dicts with mention_id, doc_id, text, label and optionally start).

    ``aliases`` are pairs of mention ids stated to be the same thing in the text. With
    ``vote_labels`` each name takes the majority label of all its mentions first (for spaCy
    output, whose label for one name varies with context); without it labels are trusted and
    mentions with different labels never merge.
    Returns ``{"assignments": {mention_id: cluster_id}, "entities": [...], "evidence": [...]}``.
    """
    mentions = sorted(mentions, key=lambda m: (m["doc_id"], m.get("start", 0), m["mention_id"]))
    labels = _vote_labels(mentions) if vote_labels else {}
    group_of: dict[tuple[str, str], int] = {}
    keys: list[tuple[str, str]] = []
    member_group: dict[str, int] = {}
    for m in mentions:
        key = normalize_name(m["text"])
        label = labels.get(key, m.get("label") or "ENTITY")
        block = (label, key)
        if block not in group_of:
            group_of[block] = len(keys)
            keys.append(block)
        member_group[m["mention_id"]] = group_of[block]
    clusters = _Clusters(keys)
    evidence: list[dict[str, Any]] = []

    def merge(a: int, b: int, rule: str, detail: str) -> None:
        if clusters.union(a, b):
            evidence.append({"rule": rule, "a": " / ".join(keys[a]), "b": " / ".join(keys[b]), "detail": detail})

    for left, right in aliases:
        if left in member_group and right in member_group:
            a, b = member_group[left], member_group[right]
            if keys[a][0] == keys[b][0] or is_acronym(keys[b][1].upper()):
                merge(a, b, "alias", f"{left} = {right}")
    by_org_key: dict[str, list[int]] = defaultdict(list)
    for index, (label, key) in enumerate(keys):
        if label == "ORG":
            by_org_key[org_key(key)].append(index)
    for group in by_org_key.values():
        for other in group[1:]:
            merge(group[0], other, "same_name", "equal without a legal-form suffix")
    long_by_label: dict[str, list[int]] = defaultdict(list)
    for index, (label, key) in enumerate(keys):
        if len(key.split()) > 1:
            long_by_label[label].append(index)
    _acronyms(keys, long_by_label, merge, strict_labels=not vote_labels)
    _short_forms(mentions, keys, member_group, long_by_label, merge)
    return _summarize(mentions, keys, member_group, clusters, evidence)


def _vote_labels(mentions: list[dict[str, Any]]) -> dict[str, str]:
    """Majority label per normalized name: spaCy's label for the same name varies by context."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.get("label"):
            votes[normalize_name(m["text"])][m["label"]] += 1
    rank = {label: i for i, label in enumerate(LABEL_PRIORITY)}
    return {
        key: min(counter, key=lambda lab: (-counter[lab], rank.get(lab, 99), lab)) for key, counter in votes.items()
    }


def _acronyms(keys, long_by_label, merge, strict_labels: bool) -> None:
    """Acronym to long form; spaCy often mislabels acronyms, so labels may differ unless strict."""
    by_initials: dict[tuple[str, str], list[int]] = defaultdict(list)
    for label, indices in long_by_label.items():
        for index in indices:
            by_initials[(label if strict_labels else "*", initials(keys[index][1]))].append(index)
    for index, (label, key) in enumerate(keys):
        if " " in key or not is_acronym(key.upper()) or len(key) < 2:
            continue
        targets = by_initials.get((label if strict_labels else "*", key.replace(".", "")), [])
        if len(targets) == 1:
            merge(targets[0], index, "acronym", f"{key.upper()} = initials of {keys[targets[0]][1]}")


def _short_forms(mentions, keys, member_group, long_by_label, merge) -> None:
    # Inside a document: the nearest preceding long person name ending with this word.
    last_long: dict[str, dict[str, int]] = defaultdict(dict)
    for m in mentions:
        group = member_group[m["mention_id"]]
        label, key = keys[group]
        words = key.split()
        if 1 < len(words) <= 3 and label in ("PERSON", "ORG") and words[-1] not in _SUFFIXES:
            last_long[m["doc_id"]][words[-1]] = group  # spaCy may call a person's full name ORG
        elif len(words) == 1 and label in ("PERSON", "ORG") and words[0] in last_long[m["doc_id"]]:
            merge(
                last_long[m["doc_id"]][words[0]], group, "short_form", f"'{key}' after its long form in {m['doc_id']}"
            )
    # Across documents: a single word that fits exactly one long name of its label.
    by_word: dict[tuple[str, str], set[int]] = defaultdict(set)
    for index in long_by_label.get("PERSON", []):
        by_word[("PERSON", keys[index][1].split()[-1])].add(index)
    for index in long_by_label.get("ORG", []):
        by_word[("ORG", keys[index][1].split()[0])].add(index)
    for index, (label, key) in enumerate(keys):
        if " " not in key and len(by_word.get((label, key), ())) == 1:
            target = next(iter(by_word[(label, key)]))
            merge(target, index, "short_form", f"'{key}' fits only '{keys[target][1]}'")


def _summarize(mentions, keys, member_group, clusters, evidence) -> dict[str, Any]:
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for m in mentions:
        members[clusters.find(member_group[m["mention_id"]])].append(m)
    assignments: dict[str, str] = {}
    entities: list[dict[str, Any]] = []
    used: set[str] = set()
    for root in sorted(members):
        group = members[root]
        labels = Counter(keys[member_group[m["mention_id"]]][0] for m in group)
        label = min(
            labels, key=lambda lab: (-labels[lab], LABEL_PRIORITY.index(lab) if lab in LABEL_PRIORITY else 99, lab)
        )
        forms = Counter(_display(m["text"]) for m in group)
        canonical = max(forms, key=lambda f: (len(f.split()) > 1 and not is_acronym(f), forms[f], len(f), f))
        cluster_id = "e-" + hashlib.sha1(f"{label}|{normalize_name(canonical)}".encode()).hexdigest()[:12]
        while cluster_id in used:  # two clusters kept apart by the guard may share a name
            cluster_id = "e-" + hashlib.sha1(cluster_id.encode()).hexdigest()[:12]
        used.add(cluster_id)
        for m in group:
            assignments[m["mention_id"]] = cluster_id
        doc_ids = sorted({m["doc_id"] for m in group})
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
    return {"assignments": assignments, "entities": entities, "evidence": evidence}
