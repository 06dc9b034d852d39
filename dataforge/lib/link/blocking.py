"""Blocking: which name nodes are worth comparing at all, so cost grows near-linearly.

Identical names never need comparing: they share a node from the start. Different names are
compared only when they share a block key:
- ``acronym``: the letters of an acronym, and the initials of every multi-word name;
- ``first``/``last``: the first and the last word of a proper name's core, which catches
  short forms ("Marsh" ~ "Helena Marsh", "Halloran Blue" ~ "Halloran Blue Capital"), initial
  variants ("J. Smith" ~ "John Smith") and spelling variants sharing a word;
- ``sound``: the first three letters of the last word plus its length, for spelling variants
  of single names ("Lindqvist" ~ "Lindquist").
A block with more than ``MAX_BLOCK`` nodes is a common word, not evidence, and is skipped
(counted in the statistics); so the number of pairs is at most ``nodes x MAX_BLOCK``.
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
    """Each pair of nodes (their names and label) sharing a block key, once, from blocks of at
    most ``max_block`` nodes."""
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, (names, label) in enumerate(nodes):
        for key in {key for name in names for key in block_keys(name, label)}:
            blocks[key].append(index)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) > max_block:
            stats["blocks_skipped_too_large"] = stats.get("blocks_skipped_too_large", 0) + 1
            continue
        stats["blocks_compared"] = stats.get("blocks_compared", 0) + 1
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair not in seen:
                    seen.add(pair)
                    yield pair
    stats["pairs_compared"] = len(seen)
