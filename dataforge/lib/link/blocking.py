"""Blocking: which name nodes are worth comparing at all, so cost grows near-linearly.

Identical names never need comparing: they share a node from the start. Different names are
compared only when they share a block key:
- ``acronym``: the letters of an acronym, and the initials of every multi-word name;
- ``first``/``last``: the first and the last word of a proper name's core, which catches
  short forms ("Marsh" ~ "Helena Marsh", "Halloran Blue" ~ "Halloran Blue Capital"), initial
  variants ("J. Smith" ~ "John Smith") and spelling variants sharing a word;
- ``sound``: the first three letters of the last word plus its length, for spelling variants
  of single names ("Lindqvist" ~ "Lindquist").
A block with more than ``MAX_BLOCK`` nodes (a common word: "united", "smith") is never
dropped: its nodes are sorted by name and each is compared with the ``MAX_BLOCK - 1`` that
follow it (the sorted-neighbourhood method), so "john smith" still meets "j smith" and
"johnny smith" and the number of pairs stays at most ``nodes x MAX_BLOCK`` per key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from dataforge.lib.link.names import Name

MAX_BLOCK = 40


def block_keys(name: Name, label: str) -> list[tuple[str, str, str]]:
    if name.kind != "proper" or not name.core:
        return []
    words = name.core.split()
    keys = [("first", label, words[0]), ("last", label, words[-1])]
    if name.acronym:
        keys.append(("acronym", label, name.acronym))
    keys.extend(("acronym", label, letters) for letters in name.initials)
    if len(words[-1]) >= 5:
        keys.append(("sound", label, f"{words[-1][:3]}{len(words[-1]) // 2}"))
    return keys


def candidate_pairs(
    nodes: list[tuple[list[Name], str]], stats: dict[str, int], max_block: int = MAX_BLOCK
) -> Iterator[tuple[int, int]]:
    """Each pair of nodes (their names and label) sharing a block key, once; in a block of more
    than ``max_block`` nodes only the pairs within ``max_block`` places in name order."""
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, (names, label) in enumerate(nodes):
        for key in {key for name in names for key in block_keys(name, label)}:
            blocks[key].append(index)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        window = len(members)
        if len(members) > max_block:
            stats["blocks_windowed"] = stats.get("blocks_windowed", 0) + 1
            members = sorted(members, key=lambda k: (min(n.core for n in nodes[k][0] if n.core), k))
            window = max_block - 1
        stats["blocks_compared"] = stats.get("blocks_compared", 0) + 1
        for i, a in enumerate(members):
            for b in members[i + 1 : i + 1 + window]:
                pair = (a, b) if a < b else (b, a)
                if pair not in seen:
                    seen.add(pair)
                    yield pair
    stats["pairs_compared"] = len(seen)
