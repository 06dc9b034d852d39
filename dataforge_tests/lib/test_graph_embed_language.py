import networkx as nx
import numpy as np

from dataforge.lib.embed import DIMENSIONS, embed_texts
from dataforge.lib.graph import aggregate_relations, build_graph, centrality, draw_central, graphml_bytes
from dataforge.lib.language import detect_language


def relation(doc: str, head: str, tail: str, rel: str = "acquire", kind: str = "typed") -> dict:
    return {
        "doc_id": doc,
        "head_mention_id": head,
        "tail_mention_id": tail,
        "relation": rel,
        "kind": kind,
        "confidence": 0.7,
        "evidence_start": 0,
        "evidence_end": 10,
    }


def test_relations_aggregate_across_documents_onto_clusters() -> None:
    assignments = {"a:1": "e1", "a:2": "e2", "b:1": "e1", "b:2": "e2", "b:3": "e3"}
    edges = aggregate_relations(
        [
            relation("a", "a:1", "a:2"),
            relation("b", "b:1", "b:2"),
            relation("b", "b:3", "b:1", "co-occurs with", "cooccurrence"),
        ],
        assignments,
    )
    typed = [e for e in edges if e["kind"] == "typed"]
    assert len(typed) == 1 and typed[0]["count"] == 2 and typed[0]["doc_ids"] == ["a", "b"]
    co = [e for e in edges if e["kind"] == "cooccurrence"]
    assert co[0]["head_cluster"] == "e1" and co[0]["tail_cluster"] == "e3", "co-occurrence edges are undirected"


def test_graph_has_centrality_and_round_trips_through_graphml() -> None:
    entities = [
        {
            "cluster_id": f"e{i}",
            "label": "ORG",
            "canonical_name": f"Org {i}",
            "aliases": [f"Org {i}"],
            "mention_count": 1,
            "doc_count": 1,
        }
        for i in range(1, 4)
    ]
    edges = aggregate_relations(
        [relation("a", "a:1", "a:2"), relation("a", "a:1", "a:3")], {"a:1": "e1", "a:2": "e2", "a:3": "e3"}
    )
    graph = build_graph(entities, edges)
    rank, communities = centrality(graph)
    assert max(rank, key=rank.get) == "e1"
    assert set(communities) == {"e1", "e2", "e3"}
    import io

    loaded = nx.read_graphml(io.BytesIO(graphml_bytes(graph)))
    assert loaded.number_of_nodes() == 3 and loaded.nodes["e1"]["name"] == "Org 1"


def test_central_picture_is_a_deterministic_png_of_the_connected_core() -> None:
    entities = [
        {
            "cluster_id": f"e{i}",
            "label": "ORG",
            "canonical_name": f"Org {i}",
            "aliases": [],
            "mention_count": 1,
            "doc_count": 1,
        }
        for i in range(1, 6)
    ]
    edges = aggregate_relations(
        [relation("a", "a:1", "a:2"), relation("a", "a:1", "a:3"), relation("a", "a:4", "a:4")],
        {"a:1": "e1", "a:2": "e2", "a:3": "e3", "a:4": "e4"},
    )
    graph = build_graph(entities, edges)
    rank, _ = centrality(graph)
    picture = draw_central(graph, rank, top=10)
    assert picture.startswith(b"\x89PNG") and len(picture) > 5000
    assert picture == draw_central(graph, rank, top=10), "same graph, same bytes"
    assert draw_central(build_graph([], []), {}).startswith(b"\x89PNG"), "an empty graph still draws"


def test_embeddings_are_normalized_and_meaningful() -> None:
    vectors = embed_texts(["The wind farm produced power.", "Turbines generated electricity.", "I like pasta."])
    assert vectors.shape == (3, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert embed_texts([]).shape == (0, DIMENSIONS)


def test_language_identification() -> None:
    assert detect_language("The board approved the acquisition of the tidal energy company in March.") == "en"
    assert detect_language("Der Vorstand hat die Übernahme des Unternehmens im März genehmigt.") == "de"
    assert detect_language("42") == "und"


def test_repeated_texts_are_encoded_once_and_give_identical_vectors() -> None:
    from dataforge.lib.embed import CACHE

    texts = ["A sentence seen twice in one run.", "Another one.", "A sentence seen twice in one run."]
    misses = CACHE.misses
    first = embed_texts(texts)
    assert CACHE.misses - misses == 2, "duplicates inside one call are encoded once"
    hits = CACHE.hits
    again = embed_texts(texts[:2])
    assert CACHE.hits - hits == 2
    assert np.array_equal(first[0], first[2]) and np.array_equal(first[:2], again)


def test_bf16_embeddings_match_fp32_and_are_cached_apart() -> None:
    import pytest

    from dataforge.lib.config import ConfigError, NlpConfig
    from dataforge.lib.embed import CACHE

    texts = ["Northwind Renewable Energy acquired Halden Offshore in 2024.", "The board met in Oslo."]
    full = embed_texts(texts)
    hits = CACHE.hits
    half = embed_texts(texts, precision="bf16")
    assert CACHE.hits == hits  # not served the fp32 vectors from the cache
    assert half.dtype == np.float32 and np.allclose(np.linalg.norm(half, axis=1), 1.0, atol=1e-5)
    assert (full * half).sum(axis=1).min() > 0.999 and not np.array_equal(full, half)
    with pytest.raises(ConfigError, match="embedding_precision"):
        NlpConfig(embedding_precision="fp16")
