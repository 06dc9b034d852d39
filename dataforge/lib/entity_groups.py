"""Mentions of one document grouped into entities before their type is voted.

Same core name, an acronym of a longer name, first or last words of exactly one longer name; a
place name (or a nationality or region word, "Caribbean") never joins a non-place, save as a
person's surname ("Wright" = "Ian Wright") or the surname written first in an East Asian name
("Kim" = "Kim In-so").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from dataforge.lib.entity_words import GPE_WORDS, LOC_WORDS
from dataforge.lib.link.names import parse_name, short_form_of
from dataforge.lib.places import demonyms, places


@lru_cache(maxsize=1)
def _first_names() -> Any:
    import gender_guesser.detector as gender

    return gender.Detector(case_sensitive=False)


def first_name_gender(word: str) -> str:
    """ "female", "male" (also mostly_*) for a known first name, else "" (ambiguous names too)."""
    if not word[:1].isupper() or not word.isalpha() or len(word) < 2:
        return ""
    found = _first_names().get_gender(word)
    return found.replace("mostly_", "") if found in ("male", "female", "mostly_male", "mostly_female") else ""


def _bare(text: str) -> str:
    """The name without a leading article: "the North Sea Energy Institute" -> "North Sea Energy Institute"."""
    return re.sub(r"^(?:the|The|THE)\s+", "", text.strip())


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _find(parent: list[int], a: int) -> int:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def group_mentions(mentions: Sequence[dict[str, Any]]) -> list[list[int]]:
    """Positions of ``mentions`` grouped into entities: same core name, acronym of a longer name,
    first or last words of exactly one longer name (a place name never joins a non-place)."""
    names = [parse_name(_bare(m["text"])) for m in mentions]
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        by_key[name.core or name.key].append(i)
    keys = sorted(by_key)
    parent = list(range(len(keys)))
    first = {k: by_key[k][0] for k in keys}
    # a nationality or region word is a place here too: "Caribbean" alone is no short form of
    # "Caribbean Military Academy" (webx audit, round 11: "Caribbean: ORG")
    place = {
        k: (bare := _bare(mentions[first[k]]["text"])) in places() or bare in demonyms() or _place_word(k.split())
        for k in keys
    }
    long_forms = [k for k in keys if len(k.split()) > 1 and names[first[k]].kind == "proper"]
    for a, key in enumerate(keys):
        name = names[first[key]]
        if name.kind != "proper" or _adjective(key, [mentions[i] for i in by_key[key]]):
            continue
        if name.acronym:
            targets = [k for k in long_forms if name.acronym in names[first[k]].initials]
        else:
            # a place never starts a longer non-place ("Bergen" != "Bergen Ocean Laboratory"); a
            # surname that is also a town still ends its person's name ("Wright" = "Ian Wright") or,
            # written first, opens it ("Kim" = "Kim In-so")
            targets = [
                k
                for k in long_forms
                if k != key
                and (where := short_form_of(name, names[first[k]]))
                and (not place[key] or place[k] or _surname_of(where, mentions[first[k]]))
            ]
        if len(targets) == 1:
            _union(parent, a, keys.index(targets[0]))
    groups: dict[int, list[int]] = defaultdict(list)
    for a, key in enumerate(keys):
        groups[_find(parent, a)].extend(by_key[key])
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def _adjective(key: str, mentions: Sequence[dict[str, Any]]) -> bool:
    """A one-word religion or nationality adjective spaCy tags NORP ("proper Islamic dress"): it is
    no short form of the longer name it also opens ("Islamic State"), and keeps its own type."""
    return (
        " " not in key
        and bool(re.search(r"(?:ic|ian|ish|ese|an|i)$", key))
        and all(m["label"] == "NORP" for m in mentions)
    )


def _starts_with_first_name(mention: dict[str, Any]) -> bool:
    words = _bare(mention["text"]).split()
    return len(words) > 1 and bool(first_name_gender(words[0]))


_GIVEN_HYPHENATED = re.compile(r"^[A-Z][a-z]+-[a-z]+$")  # a Korean given name: "In-so", "Jae-in"


def _surname_of(where: str, long_form: dict[str, Any]) -> bool:
    """A one-word place name is the surname of the person ``long_form`` names: the last word after
    a first name ("Ian Wright"), or the first word before a hyphenated given name ("Kim In-so")."""
    words = _bare(long_form["text"]).split()
    if where == "end":
        return _starts_with_first_name(long_form)
    return (
        where == "start"
        and long_form["label"] == "PERSON"
        and 2 <= len(words) <= 3
        and bool(_GIVEN_HYPHENATED.match(words[-1]))
    )


def _place_word(words: list[str]) -> bool:
    return len(words) > 1 and (words[-1] in LOC_WORDS or words[-1] in GPE_WORDS)
