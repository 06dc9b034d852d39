"""The release stages rewritten for scale give what the slower code gave, on small fixtures."""

from __future__ import annotations

import networkx as nx
import pytest

from dataforge.lib.graph import build_graph, centrality
from dataforge.lib.quality import minhash
from dataforge.lib.quality.minhash import duplicate_of, near_duplicate_pairs, near_duplicates

PLACES = ["Bergen", "Leith", "Cork", "Gdansk", "Bremen", "Esbjerg"]


def _templated() -> list[str]:
    """Reports written from one template (every pair a candidate in some band), a report
    copied out of a longer one, unrelated texts, an empty text and a one-word text."""
    texts = []
    for i, place in enumerate(PLACES):
        texts.append(
            f"The harbour office in {place} reported {100 + i * 7} arrivals in March. Pilots said the "
            f"new quay at {place} would open after the survey, and the board of {place} port agreed."
        )
    long = (
        "Tidewater Marine opened a cable yard on the north bank. The yard will employ ninety people "
        "and build export cables for two wind farms. Local suppliers welcomed the order book."
    )
    texts += [long, long.split(". ", 1)[1], "Larkspur bakery sells rye bread on Sundays only.", "", "Storm"]
    texts += ["The harbour office in Bergen reported 100 arrivals in March."]
    return texts


@pytest.mark.parametrize("measure", ["containment", "jaccard"])
@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_streamed_near_duplicates_equal_the_listed_pairs(monkeypatch, measure: str, threshold: float) -> None:
    monkeypatch.setattr(minhash, "PAIRS_PER_CHUNK", 3)  # many chunks, buckets split across them
    texts = _templated()
    options = {"threshold": threshold, "measure": measure, "num_perm": 64, "bands": 32, "seed": 5}
    expected = duplicate_of(len(texts), near_duplicate_pairs(texts, **options))
    assert near_duplicates(texts, **options) == expected
    if threshold == 0.5 and measure == "containment":
        assert expected, "the fixture must hold near duplicates for this test to mean anything"


def test_streamed_near_duplicates_keep_the_first_of_a_chain() -> None:
    base = "one two three four five six seven eight nine ten eleven twelve"
    texts = [base, base + " thirteen", "zero " + base, "nothing alike here at all today"]
    found = near_duplicates(texts, threshold=0.5)
    assert found == duplicate_of(4, near_duplicate_pairs(texts, threshold=0.5))
    assert {i: keep for i, (keep, _) in found.items()} == {1: 0, 2: 0}


def _two_hubs() -> nx.MultiDiGraph:
    entities = [
        {"cluster_id": c, "label": "ORG", "canonical_name": c, "aliases": [c], "mention_count": 1, "doc_count": 1}
        for c in ["a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4", "lone"]
    ]
    edges = []
    for group in (["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]):
        for i, head in enumerate(group):
            for tail in group[i + 1 :]:
                edges.append(
                    {
                        "head_cluster": head,
                        "tail_cluster": tail,
                        "kind": "cooccurrence",
                        "relation": "co",
                        "count": 5,
                        "max_confidence": 1.0,
                        "doc_count": 2,
                    }
                )
    edges.append({**edges[0], "head_cluster": "a4", "tail_cluster": "b1", "count": 1})
    return build_graph(entities, edges)


def test_communities_are_seeded_cover_every_node_and_find_the_two_groups() -> None:
    graph = _two_hubs()
    rank, community = centrality(graph)
    assert centrality(graph) == (rank, community)  # the same graph, the same communities
    assert set(community) == set(graph.nodes)
    assert len({community[n] for n in ["a1", "a2", "a3", "a4"]}) == 1
    assert len({community[n] for n in ["b1", "b2", "b3", "b4"]}) == 1
    assert community["a1"] != community["b1"]
    assert community["lone"] not in {community["a1"], community["b1"]}  # no edge: a community of its own
    assert abs(sum(rank.values()) - 1.0) < 1e-6
