"""Dagster sees what the lake records: code versions per stage, and a sensor for stale stages."""

import dagster as dg

from dataforge.defs.automation.stale_sensor import stale_documents_sensor
from dataforge.defs.resources import DataforgeResource
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.fingerprints import STAGE_INPUTS, record_fingerprints, stage_code_version
from dataforge.lib.ingest import ingest_bytes
from dataforge.lib.lake import LocalLake
from dataforge.lib.runs import RANGE_END_TAG, RANGE_START_TAG
from dataforge.lib.stages import DOCUMENT_STAGES
from dataforge.runner import definitions


def test_document_assets_carry_the_stage_code_version_and_the_fingerprint_deps():
    graph = definitions().resolve_asset_graph()
    for stage, _ in DOCUMENT_STAGES:
        node = graph.get(dg.AssetKey(stage))
        assert node.code_version == stage_code_version(stage, DataforgeConfig()), stage
        assert {k.to_user_string() for k in node.parent_keys} == set(STAGE_INPUTS[stage]), stage


def tick(instance, lake_uri, cursor=None):  # noqa: ANN001, ANN201
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"dataforge": DataforgeResource(lake_uri=lake_uri)}
    )
    return stale_documents_sensor(context)


def test_changed_configuration_requests_only_the_stale_stages(isolated_env, monkeypatch):
    lake_uri = str(isolated_env / "lake")
    lake = LocalLake(lake_uri)
    ids = [ingest_bytes(lake, f"Note {i} on Oslo.".encode(), f"n{i}.txt", "t").doc_id for i in range(3)]
    for stage, _ in DOCUMENT_STAGES:
        record_fingerprints(lake, stage, ids, DataforgeConfig())
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("documents", ids)

    first = tick(instance, lake_uri)
    assert isinstance(first, dg.SensorResult) and not first.run_requests  # all current
    assert isinstance(tick(instance, lake_uri, first.cursor), dg.SkipReason)

    config = isolated_env / "dataforge.yaml"
    config.write_text("generate:\n  summary_sentences: 2\n")
    monkeypatch.setenv("DATAFORGE_CONFIG", str(config))
    changed = tick(instance, lake_uri, first.cursor)
    [request] = changed.run_requests
    assert request.asset_selection == [dg.AssetKey("document_examples")]
    assert {request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]} <= set(ids)

    config.write_text("chunk:\n  max_tokens: 128\n")
    [request] = tick(instance, lake_uri, changed.cursor).run_requests
    assert [k.to_user_string() for k in request.asset_selection] == [
        "document_chunks",
        "document_mentions",
        "document_relations",
        "chunk_embeddings",
        "document_examples",
    ]
