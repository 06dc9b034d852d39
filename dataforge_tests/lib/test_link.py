"""Entity resolution: names, blocking, scoring, guards, evidence (no models needed)."""

import numpy as np

from dataforge.lib.link import initials, normalize_name, parse_name, resolve
from dataforge.lib.link.blocking import block_keys, candidate_pairs
from dataforge.lib.link.names import labels_compatible, long_forms_conflict, short_form_of
from dataforge.lib.link.scoring import THRESHOLD, name_evidence, pair_score


def mention(doc: str, i: int, text: str, label: str, start: int = 0, **extra) -> dict:
    return {"mention_id": f"{doc}:m{i}", "doc_id": doc, "text": text, "label": label, "start": start, **extra}


def clusters_of(result: dict) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for mention_id, cluster in result["assignments"].items():
        groups.setdefault(cluster, set()).add(mention_id)
    return groups


def same(result: dict, a: str, b: str) -> bool:
    return result["assignments"][a] == result["assignments"][b]


def test_normalization_and_name_parts() -> None:
    assert normalize_name("The NREC's") == "nrec"
    assert normalize_name("Société Générale") == "societe generale"
    assert initials("northwind renewable energy corporation") == "nrec"
    assert initials("bank of new england") == "bne"
    gupta = parse_name("Dr. Sanjay Gupta")
    assert (gupta.kind, gupta.core, gupta.head) == ("proper", "sanjay gupta", "gupta")
    assert parse_name("defensive tackle Jamal Williams").core == "jamal williams"
    assert parse_name("Northwind Renewable Energy Corporation").initials == ("nrec", "nre")
    assert parse_name("Halden Marine Power AS").core == "halden marine power"
    assert parse_name("a ridge in Aoraki").head == "ridge" and parse_name("officers").head == "officer"
    assert parse_name("on Friday").kind == "temporal" and parse_name("she").kind == "pronoun"
    assert parse_name("Obama administration").kind == "nominal"
    assert parse_name("Bank of England").core == "bank of england"


def test_blocking_keys_and_the_block_size_cap() -> None:
    keys = block_keys(parse_name("Helena Marsh"), "PERSON")
    assert ("last", "PERSON", "marsh") in keys and ("acronym", "PERSON", "hm") in keys
    assert block_keys(parse_name("the company"), "ORG") == [], "common nouns are never blocked"
    nodes = [([parse_name(t)], "PERSON") for t in ("Helena Marsh", "Marsh", "Pieter van Dijk", "van Dijk")]
    stats: dict[str, int] = {}
    assert set(candidate_pairs(nodes, stats)) == {(0, 1), (2, 3)}


def test_a_large_block_is_windowed_never_dropped() -> None:
    """Issue 16: 60 Smiths used to skip the block, so "J. Smith" never met "John Smith"."""
    texts = [f"Person{i} Smith" for i in range(58)] + ["John Smith", "J. Smith"]
    crowd = [([parse_name(t)], "PERSON") for t in texts]
    stats: dict[str, int] = {}
    pairs = set(candidate_pairs(crowd, stats, max_block=40))
    assert (58, 59) in pairs, "neighbours in name order are compared inside a large block"
    assert stats["blocks_windowed"] >= 1 and "blocks_skipped_too_large" not in stats
    assert len(pairs) <= len(crowd) * 39, "the cost stays linear in the block size"
    result = resolve([mention(f"d{i}", 0, t, "PERSON") for i, t in enumerate(texts)])
    assert same(result, "d58:m0", "d59:m0"), "an initial variant in a crowd of namesakes still merges"


def test_name_evidence_rules() -> None:
    def rule(a: str, b: str) -> str | None:
        found = name_evidence(parse_name(a), parse_name(b))
        return found[0] if found else None

    assert rule("NREC", "Northwind Renewable Energy Corporation") == "acronym"
    assert rule("Marsh", "Helena Marsh") == "short_form"
    assert rule("Halloran Blue", "Halloran Blue Capital") == "short_form"
    assert rule("J. Smith", "John Smith") == "initial_variant"
    assert rule("Anders Lindqvist", "Anders Lindquist") == "fuzzy"
    assert rule("John Smith", "Jane Smith") is None
    assert rule("Board", "Scientific Advisory Board") is None, "an organization's last word is its kind"
    assert short_form_of(parse_name("van Dijk"), parse_name("Pieter van Dijk")) == "end"


def test_scores_combine_name_context_and_label() -> None:
    assert pair_score(0.8, None, True) >= THRESHOLD
    assert pair_score(0.8, 0.05, True) < THRESHOLD, "unrelated contexts veto a short form"
    assert pair_score(0.9, 0.9, False) > pair_score(0.9, 0.9, True) - 0.1
    assert not labels_compatible("PERSON", "ORG", strict=True)
    assert labels_compatible("PERSON", "ORG", strict=False)
    assert not labels_compatible("GPE", "ORG", strict=False), "a place never becomes a company"


def test_every_name_of_a_node_is_blocked() -> None:
    """ "Northwind Renewable Energy" and "... Corporation" share a node; NREC must meet it."""
    result = resolve(
        [
            mention("a", 1, "Northwind Renewable Energy", "ORG"),
            mention("b", 1, "Northwind Renewable Energy Corporation", "ORG"),
            mention("c", 1, "NREC", "ORG"),
        ]
    )
    assert len(clusters_of(result)) == 1


def test_same_name_across_documents_is_one_cluster_with_evidence() -> None:
    result = resolve([mention("a", 1, "Helena Marsh", "PERSON"), mention("b", 1, "Helena Marsh", "PERSON")])
    assert same(result, "a:m1", "b:m1")
    entity = result["entities"][0]
    assert entity["doc_count"] == 2 and entity["canonical_name"] == "Helena Marsh"


def test_acronym_and_short_forms_join_their_long_form() -> None:
    result = resolve(
        [
            mention("a", 1, "Northwind Renewable Energy Corporation", "ORG", 0),
            mention("b", 1, "NREC", "ORG", 0),
            mention("c", 1, "Helena Marsh", "PERSON", 0),
            mention("c", 2, "Marsh", "ORG", 50),  # spaCy's label for a bare surname varies
            mention("d", 1, "Marsh", "PERSON", 0),
        ],
        vote_labels=True,
    )
    assert same(result, "a:m1", "b:m1")
    assert same(result, "c:m1", "c:m2")
    assert same(result, "c:m1", "d:m1")
    rules = {e["rule"] for e in result["evidence"]}
    assert {"acronym", "short_form"} <= rules
    assert all(e["detail"] and e["a"] and e["b"] for e in result["evidence"]), "every merge is explained"
    canonical = {e["canonical_name"]: e["label"] for e in result["entities"]}
    assert canonical["Northwind Renewable Energy Corporation"] == "ORG"
    assert canonical["Helena Marsh"] == "PERSON"


def test_explicit_alias_merges() -> None:
    result = resolve(
        [mention("a", 1, "Halden Marine Power AS", "ORG"), mention("a", 2, "Tidal Co", "ORG", 30)],
        aliases=[("a:m1", "a:m2")],
    )
    assert same(result, "a:m1", "a:m2")
    assert result["evidence"][0]["rule"] == "alias"


def test_chaining_guard_keeps_two_people_with_one_surname_apart() -> None:
    result = resolve(
        [
            mention("a", 1, "John Smith", "PERSON"),
            mention("b", 1, "Jane Smith", "PERSON"),
            mention("c", 1, "Smith", "PERSON"),
        ]
    )
    assert not same(result, "a:m1", "b:m1")
    assert len(clusters_of(result)) == 3, "the ambiguous surname joins neither across documents"


def test_chaining_guard_inside_a_document() -> None:
    result = resolve(
        [
            mention("a", 1, "John Smith", "PERSON", 0),
            mention("a", 2, "Smith", "PERSON", 10),
            mention("a", 3, "Jane Smith", "PERSON", 20),
            mention("a", 4, "Smith", "PERSON", 30),
        ]
    )
    assert not same(result, "a:m1", "a:m3"), "one node 'Smith' must not bridge John and Jane"


def test_bridge_guard_stops_a_common_noun_from_joining_two_names() -> None:
    """ "the company" in two similar documents is one node; it may join one company, not both."""
    v = np.array([[1.0, 0.0]], dtype=np.float32)
    mentions = [
        mention("a", 1, "Acme Corp", "ORG", 0, sentence_id=0),
        mention("a", 2, "the company", "ORG", 10, sentence_id=0),
        mention("b", 1, "Zenith Ltd", "ORG", 0, sentence_id=0),
        mention("b", 2, "the company", "ORG", 10, sentence_id=0),
    ]
    result = resolve(mentions, vectors=np.repeat(v, 4, axis=0))
    assert same(result, "a:m2", "b:m2") and not same(result, "a:m1", "b:m1")
    assert result["stats"]["refused_bridge"] == 1
    assert result["entities"][0]["aliases"] in (["Acme Corp"], ["Zenith Ltd"]), "common nouns are no aliases"


def test_context_guard_keeps_one_name_in_unrelated_documents_apart() -> None:
    sport = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    music = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    mentions = [mention(d, 1, "Jackson", "PERSON") for d in ("a", "b", "c")]
    result = resolve(mentions, vectors=np.stack([sport, sport, music]))
    assert same(result, "a:m1", "b:m1") and not same(result, "a:m1", "c:m1")
    assert same(resolve(mentions), "a:m1", "c:m1"), "without context, one name is one entity"


def test_context_decides_between_two_long_forms_of_a_short_name() -> None:
    wind = np.array([1.0, 0.1, 0.0], dtype=np.float32)
    tide = np.array([0.0, 1.0, 0.1], dtype=np.float32)
    mentions = [
        mention("a", 1, "Northwind Renewable Energy", "ORG"),
        mention("b", 1, "Northwind Tidal", "ORG"),
        mention("c", 1, "Northwind", "ORG"),
    ]
    vectors = np.stack([wind, tide, wind]) / np.linalg.norm(np.stack([wind, tide, wind]), axis=1, keepdims=True)
    result = resolve(mentions, vectors=vectors)
    assert same(result, "a:m1", "c:m1") and not same(result, "b:m1", "c:m1")
    assert len(clusters_of(resolve(mentions))) == 3, "without context the short name stays alone"


def test_different_labels_never_merge_when_trusted() -> None:
    result = resolve(
        [mention("a", 1, "Jordan", "PERSON"), mention("b", 1, "Jordan", "GPE"), mention("b", 2, "Jordan", "GPE")]
    )
    assert not same(result, "a:m1", "b:m1")


def test_label_voting_fixes_spacy_label_noise_when_asked() -> None:
    mentions = [
        mention("a", 1, "Halloran Blue", "ORG"),
        mention("b", 1, "Halloran Blue", "ORG"),
        mention("c", 1, "Halloran Blue", "PERSON"),
    ]
    assert same(resolve(mentions, vote_labels=True), "a:m1", "c:m1")
    assert not same(resolve(mentions), "a:m1", "c:m1")


def test_legal_form_suffixes_and_long_forms() -> None:
    result = resolve([mention("a", 1, "Tidewater Holdings Ltd", "ORG"), mention("b", 1, "Tidewater Holdings", "ORG")])
    assert same(result, "a:m1", "b:m1")
    assert long_forms_conflict("john smith", "jane smith") and not long_forms_conflict("j smith", "john smith")


def test_resolution_is_deterministic_and_order_free() -> None:
    mentions = [mention(d, i, t, "ORG", i) for d in "abc" for i, t in enumerate(["Acme Corp", "Acme", "ACME"])]
    first, second = resolve(mentions), resolve(list(reversed(mentions)))
    assert first["assignments"] == second["assignments"]


def test_names_and_demonyms_of_one_country_join_across_documents() -> None:
    mentions = [
        mention("a", 0, "Germany", "GPE"),
        mention("b", 0, "German", "NORP"),
        mention("c", 0, "Germans", "NORP"),
        mention("a", 1, "U.S.", "GPE", 20),
        mention("b", 1, "the United States", "GPE", 20),
        mention("c", 1, "Americans", "NORP", 20),
        mention("d", 0, "Italy", "GPE"),
    ]
    result = resolve(mentions, vote_labels=True)
    assert same(result, "a:m0", "b:m0") and same(result, "a:m0", "c:m0")
    assert same(result, "a:m1", "b:m1") and same(result, "a:m1", "c:m1")
    assert not same(result, "a:m0", "a:m1") and not same(result, "a:m0", "d:m0")
    germany = next(e for e in result["entities"] if "German" in e["aliases"])
    assert germany["canonical_name"] in ("Germany", "German") and "Germans" in germany["aliases"]


def test_a_country_is_one_node_whatever_its_documents_say() -> None:
    """A dateline "LONDON" in a sports and a finance story is one city; a country likewise."""
    mentions = [mention("a", 0, "U.S.", "GPE"), mention("b", 0, "U.S.", "GPE"), mention("c", 0, "Jordan", "PERSON")]
    mentions.append(mention("d", 0, "Jordan", "PERSON"))  # a person, not the country
    vectors = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]], dtype=np.float32)
    result = resolve(mentions, vote_labels=True, vectors=vectors)
    assert same(result, "a:m0", "b:m0"), "a country's name means the country in every story"
    assert not same(result, "c:m0", "d:m0"), "an ordinary name is still split where its documents disagree"


def test_news_table_brackets_are_no_alias() -> None:
    """ "Mark Cairns (England)", "Chicago (Houston)": a player's country, a team's opponent."""
    mentions = [
        mention("a", 0, "Mark Cairns", "PERSON"),
        mention("a", 1, "England", "GPE", 13),
        mention("b", 0, "Chicago", "GPE"),
        mention("b", 1, "HOUSTON", "GPE", 9),
        mention("c", 0, "Organisation for Security and Cooperation in Europe", "ORG"),
        mention("c", 1, "OSCE", "ORG", 60),
    ]
    aliases = [("a:m0", "a:m1"), ("b:m0", "b:m1"), ("c:m0", "c:m1")]
    result = resolve(mentions, aliases=aliases, vote_labels=True)
    assert not same(result, "a:m0", "a:m1") and not same(result, "b:m0", "b:m1")
    assert same(result, "c:m0", "c:m1"), "an acronym in brackets is an alias"
    assert result["stats"]["aliases_refused"] == 2
