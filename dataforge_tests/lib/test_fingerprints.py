"""A configuration change makes exactly the stages that read it (and those below) stale."""

import dataclasses

from dataforge.lib.config import DataforgeConfig, config_from_dict
from dataforge.lib.fingerprints import (
    STAGE_INPUTS,
    plan_documents,
    record_fingerprints,
    stage_code_version,
    stage_fingerprint,
    stale_stages,
)
from dataforge.lib.ingest import ingest_bytes, quarantine
from dataforge.lib.lake import LocalLake
from dataforge.lib.stages import DOCUMENT_STAGES

STAGES = [name for name, _ in DOCUMENT_STAGES]
BELOW_CHUNKS = ("document_chunks", "document_mentions", "document_relations", "chunk_embeddings", "document_examples")


def processed_lake(tmp_path, config: DataforgeConfig, n: int = 2) -> tuple[LocalLake, list[str]]:
    lake = LocalLake(str(tmp_path))
    ids = [
        ingest_bytes(lake, f"Note {i}: Helena Marsh met the board.".encode(), f"n{i}.txt", "t").doc_id for i in range(n)
    ]
    for stage in STAGES:
        record_fingerprints(lake, stage, ids, config)
    return lake, ids


def test_nothing_is_stale_under_the_configuration_that_made_it(tmp_path):
    lake, ids = processed_lake(tmp_path, DataforgeConfig())
    assert plan_documents(lake, ids, DataforgeConfig()) == {}
    assert plan_documents(lake, ids, config_from_dict({})) == {}


def test_chunk_size_makes_chunks_and_everything_below_stale_but_not_text(tmp_path):
    lake, ids = processed_lake(tmp_path, DataforgeConfig())
    bigger = config_from_dict({"chunk": {"max_tokens": 512}})
    assert stale_stages(lake, ids[0], bigger) == BELOW_CHUNKS
    assert plan_documents(lake, ids, bigger) == {BELOW_CHUNKS: ids}


def test_each_section_reaches_only_its_readers(tmp_path):
    lake, ids = processed_lake(tmp_path, DataforgeConfig())
    cases = {
        "generate": ({"generate": {"max_qa_per_chunk": 2}}, ("document_examples",)),
        "llm": ({"generate": {"llm": {"temperature": 0.3}}}, ("document_examples",)),
        "spacy": ({"nlp": {"spacy_model": "en_core_web_md"}}, BELOW_CHUNKS[1:]),
        "embedder": ({"nlp": {"embedding_precision": "bf16"}}, ("chunk_embeddings", "document_examples")),
        "ocr": ({"extract": {"ocr_dpi": 200}}, tuple(STAGES[1:])),
        "size limit": ({"extract": {"max_bytes": 10}}, tuple(STAGES)),
        "batching": ({"nlp": {"batch_size": 64}, "run": {"batch_size": 5}}, ()),
        "release only": ({"quality": {"split_ratios": [0.7, 0.15, 0.15]}}, ()),
    }
    for name, (values, expected) in cases.items():
        assert stale_stages(lake, ids[0], config_from_dict(values)) == expected, name


def test_a_code_version_bump_is_a_change_too(tmp_path, monkeypatch):
    from dataforge.lib import fingerprints

    lake, ids = processed_lake(tmp_path, DataforgeConfig())
    bumped = str(int(fingerprints.STAGE_CODE_VERSIONS["document_relations"]) + 1)
    monkeypatch.setitem(fingerprints.STAGE_CODE_VERSIONS, "document_relations", bumped)
    assert stale_stages(lake, ids[0], DataforgeConfig()) == ("document_relations", "document_examples")


def test_quarantined_and_partly_processed_documents(tmp_path):
    config = DataforgeConfig()
    lake, ids = processed_lake(tmp_path, config, n=3)
    quarantine(lake, ids[0], "document_text", "corrupt", "broken")
    lake.delete(f"silver/_fingerprints/{ids[1]}.json")  # made before fingerprints existed
    record_fingerprints(lake, "raw_document", [ids[1]], config)
    assert plan_documents(lake, ids, config) == {tuple(STAGES[1:]): [ids[1]]}


def test_fingerprints_follow_the_asset_graph_and_are_stable():
    config = DataforgeConfig()
    assert set(STAGE_INPUTS) == set(STAGES)
    assert stage_fingerprint("document_examples", config) == stage_fingerprint("document_examples", DataforgeConfig())
    other = dataclasses.replace(config, chunk=dataclasses.replace(config.chunk, overlap_sentences=0))
    assert stage_code_version("document_chunks", other) != stage_code_version("document_chunks", config)
    assert stage_code_version("document_mentions", other) == stage_code_version("document_mentions", config)
    assert stage_fingerprint("document_mentions", other) != stage_fingerprint("document_mentions", config)
