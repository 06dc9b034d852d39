"""Names of one country: its name, alternative spellings and demonym ("U.S.", "German").

News names a country many ways: "the United States", "U.S.", "the Russian Federation",
"Holland", and above all by its adjective ("German", "Iraqis"). Entity linking counts all of
them as the country, and exact string cannot: so the resolver joins the names that
``country_of`` maps to the same country (resolver.py, rule ``country``). The table comes from
``countryinfo`` (names, alternative spellings, demonyms of 250 countries). Left out: codes
written without dots ("IT", "CAN" are words too; "U.S." and "U.K." stay), and forms shared by
two countries, unless one of them has ten times the other's people ("Chinese" is China,
not Taiwan; "French" is France, not French Polynesia; "Congolese" is left out).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from dataforge.lib.link.names import normalize_name


def _forms_of(name: str, alternatives: list[str], demonym: str | None) -> set[str]:
    forms = set()
    for form in [name, *alternatives]:
        letters = form.replace(".", "")
        if letters.isalpha() and letters.isupper() and len(letters) <= 3:
            forms.add(" ".join(letters.lower()))  # "US" -> "u s", the key of "U.S."
        elif form.isascii():
            forms.add(normalize_name(form))
            if form.startswith("Great "):  # "Britain" for "Great Britain"
                forms.add(normalize_name(form[6:]))
    if demonym and demonym.isascii():
        key = normalize_name(demonym)
        forms.update({key, key + "s"} if not key.endswith(("ese", "ss", "sh", "ch")) else {key})
    return {f for f in forms if len(f.replace(" ", "")) >= 2}


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Normalized form -> the country's name, for forms that name one country (or one by far)."""
    from countryinfo import all_countries

    owners: dict[str, dict[str, int]] = defaultdict(dict)
    for country in all_countries():
        info = country.info()
        name = info.get("name") or ""
        if not name:
            continue
        for form in _forms_of(name, list(info.get("altSpellings") or []), info.get("demonym")):
            owners[form][name] = int(info.get("population") or 0)
    table = {}
    for form, people in owners.items():
        ranked = sorted(people.items(), key=lambda item: (-item[1], item[0]))
        if len(ranked) == 1 or ranked[0][1] >= 10 * max(ranked[1][1], 1):
            table[form] = ranked[0][0]
    return table


def country_of(core: str) -> str:
    """The country a proper name's core names ("u s", "germans", "russian federation"), or ""."""
    return _table().get(core, "") if core else ""
