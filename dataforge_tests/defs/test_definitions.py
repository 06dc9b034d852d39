"""The asset graph is the contract: names, partitions and dependencies."""

import dagster as dg

from dataforge.runner import definitions

DOCUMENT_ASSETS = {
    "raw_document": set(),
    "document_text": {"raw_document"},
    "document_chunks": {"document_text"},
    "document_mentions": {"document_chunks"},
    "document_relations": {"document_mentions"},
    "chunk_embeddings": {"document_chunks", "document_mentions"},
    "document_examples": {"document_text", "document_chunks", "document_mentions", "document_relations"},
}
RELEASE_ASSETS = {
    "entity_clusters": {"document_mentions", "document_relations", "chunk_embeddings"},
    "knowledge_graph": {"entity_clusters", "document_relations"},
    "timeline": {"entity_clusters"},
    "corpus_examples": {"entity_clusters", "knowledge_graph", "timeline", "chunk_embeddings"},
    "training_dataset": {"corpus_examples", "document_examples"},
    "dataset_exports": {"training_dataset"},
}


def asset_graph() -> dict[str, dg.AssetsDefinition]:
    graph = definitions().resolve_asset_graph()
    return {key.to_user_string(): graph.get(key) for key in graph.get_all_asset_keys()}


def test_all_thirteen_assets_exist_with_their_dependencies() -> None:
    nodes = asset_graph()
    assert set(nodes) == set(DOCUMENT_ASSETS) | set(RELEASE_ASSETS)
    for name, parents in {**DOCUMENT_ASSETS, **RELEASE_ASSETS}.items():
        assert {p.to_user_string() for p in nodes[name].parent_keys} == parents, name


def test_partitioning_and_batching() -> None:
    nodes = asset_graph()
    for name in DOCUMENT_ASSETS:
        partitions = nodes[name].partitions_def
        assert isinstance(partitions, dg.DynamicPartitionsDefinition) and partitions.name == "documents"
        policy = nodes[name].backfill_policy
        assert policy is not None and policy.max_partitions_per_run and policy.max_partitions_per_run > 1
    for name in RELEASE_ASSETS:
        partitions = nodes[name].partitions_def
        assert isinstance(partitions, dg.DynamicPartitionsDefinition) and partitions.name == "releases"


def test_every_asset_has_a_group_description_and_owner() -> None:
    for name, node in asset_graph().items():
        assert node.group_name in {"ingest", "nlp", "graph", "datasets", "export"}, name
        assert node.description and len(node.description) > 30, name
        assert node.owners, name


def test_jobs_and_sensors_are_defined() -> None:
    defs = definitions()
    assert defs.resolve_job_def("document_pipeline") and defs.resolve_job_def("release_pipeline")
    sensors = {s.name for s in defs.sensors or []}
    assert {"inbox_sensor", "release_sensor"} <= sensors


def test_workspace_and_module_pass_dagster_validation() -> None:
    """`dagster dev` loads the code location through workspace.yaml; CI uses -m."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    dagster = Path(sys.executable).parent / "dagster"
    for args in (["-w", "workspace.yaml"], ["-m", "dataforge.definitions"]):
        result = subprocess.run(
            [str(dagster), "definitions", "validate", *args], cwd=root, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert "All code locations passed validation" in result.stdout + result.stderr


def test_llm_key_is_a_dagster_envvar_never_a_value(monkeypatch) -> None:
    from dataforge.defs.resources import resources

    monkeypatch.setenv("DATAFORGE_LLM_API_KEY", "sk-test-not-a-real-key")
    key = resources().resources["dataforge"].llm_api_key
    assert isinstance(key, dg.EnvVar) and key.env_var_name == "DATAFORGE_LLM_API_KEY"
    monkeypatch.delenv("DATAFORGE_LLM_API_KEY")
    assert resources().resources["dataforge"].llm_api_key == ""
