"""Every way a run starts gets its pod: the Jobs dagster-k8s builds, launched through GraphQL.

The UI's Materialize button and the launchpad go through the GraphQL mutation the web UI sends
(``launchPipelineExecution``) against the real code location and an instance whose run launcher
is ``dataforge.k8s_launcher.RoutingK8sRunLauncher``; only the Kubernetes API is replaced, by a
recorder of the Job objects dagster-k8s would create.
"""

from __future__ import annotations

import json

import dagster as dg
import pytest
from dagster._config import validate_config
from dagster._core.test_utils import instance_for_test
from dagster_graphql.client.query import LAUNCH_PIPELINE_EXECUTION_MUTATION
from dagster_graphql.test.utils import define_out_of_process_context, execute_dagster_graphql, infer_job_selector

from dataforge.lib.routing import GPU_RESOURCE, K8S_CONFIG_TAG, ROUTE_TAG, RoutingPolicy, route_tags
from dataforge.lib.run_routing import ReleaseSizing, launch_tags
from dataforge_tests.conftest import ROOT

RELEASE_ASSETS = {"entity_clusters", "dataset_exports"}
KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
"""


def test_launch_tags_for_each_kind_of_run() -> None:
    policy, sizing = RoutingPolicy(), ReleaseSizing(base_mb=1000, per_document_mb=2, max_mb=5000)

    def config(tags: dict[str, str]) -> dict:
        return json.loads(tags[K8S_CONFIG_TAG])

    cpu = launch_tags("__ASSET_JOB", {"document_text"}, {}, RELEASE_ASSETS, 10, policy, sizing)
    assert cpu[ROUTE_TAG] == "cpu" and "node_selector" not in json.dumps(config(cpu))
    gpu = launch_tags("document_pipeline_gpu", None, {}, RELEASE_ASSETS, 10, policy, sizing)
    assert config(gpu)["container_config"]["resources"]["limits"][GPU_RESOURCE] == "1"
    release = launch_tags("release_pipeline", None, {}, RELEASE_ASSETS, 1500, policy, sizing)
    assert config(release)["container_config"]["resources"]["limits"]["memory"] == "4000Mi"
    huge = launch_tags("__ASSET_JOB", {"dataset_exports"}, {}, RELEASE_ASSETS, 10**6, policy, sizing)
    assert config(huge)["container_config"]["resources"]["limits"]["memory"] == "5000Mi"  # capped
    routed = route_tags(True, policy)  # a sensor already decided: kept as it is
    assert launch_tags("document_pipeline", None, routed, RELEASE_ASSETS, 10, policy, sizing) == {}


class RecordingBatchApi:
    """Stands in for the Kubernetes API server: keeps the Job bodies dagster-k8s sends."""

    def __init__(self) -> None:
        self.jobs: list = []

    def create_namespaced_job_with_retries(self, body, namespace) -> None:  # noqa: ANN001
        self.jobs.append(body)


@pytest.fixture(scope="module")
def graphql(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    home = tmp_path_factory.mktemp("k8s-routing")
    kubeconfig = home / "kubeconfig"
    kubeconfig.write_text(KUBECONFIG)
    launcher = {
        "module": "dataforge.k8s_launcher",
        "class": "RoutingK8sRunLauncher",
        "config": {
            "load_incluster_config": False,
            "kubeconfig_file": str(kubeconfig),
            "job_namespace": "dataforge",
            "job_image": "registry.example/dataforge:1",
            "service_account_name": "dataforge-run",
            "instance_config_map": "dataforge-dagster-instance",
        },
    }
    coordinator = {"module": "dagster._core.run_coordinator", "class": "DefaultRunCoordinator"}  # launch at once
    overrides = {"run_launcher": launcher, "run_coordinator": coordinator}
    with instance_for_test(overrides=overrides, temp_dir=str(home)) as instance:
        recorder = RecordingBatchApi()
        instance.run_launcher._api_client = recorder  # noqa: SLF001 - the one seam: no cluster here
        instance.add_dynamic_partitions("documents", [f"doc-{n:04d}" for n in range(200)])
        instance.add_dynamic_partitions("releases", ["r1"])
        with define_out_of_process_context(str(ROOT / "dataforge" / "definitions.py"), "defs", instance) as ctx:
            yield ctx, instance, recorder


def _launch(ctx, job: str, partition: str, assets: list[str] | None = None):  # noqa: ANN001, ANN202
    selection = [dg.AssetKey(a).to_graphql_input() for a in assets] if assets else None
    selector = infer_job_selector(ctx, job, asset_selection=selection)
    result = execute_dagster_graphql(
        ctx,
        LAUNCH_PIPELINE_EXECUTION_MUTATION,
        variables={
            "executionParams": {
                "selector": selector,
                "executionMetadata": {"tags": [{"key": "dagster/partition", "value": partition}]},
            }
        },
    )
    launched = result.data["launchPipelineExecution"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    return launched["run"]["runId"]


def _container(job):  # noqa: ANN001, ANN202
    spec = job.spec.template.spec
    return spec, spec.containers[0]


def test_ui_materialize_of_a_document_gets_the_cpu_pod(graphql) -> None:
    ctx, instance, recorder = graphql
    run_id = _launch(ctx, "__ASSET_JOB", "doc-0001", ["document_text"])
    spec, container = _container(recorder.jobs[-1])
    assert container.resources.limits["memory"] == RoutingPolicy().cpu_memory
    assert not spec.node_selector and GPU_RESOURCE not in container.resources.limits
    assert instance.get_run_by_id(run_id).tags[ROUTE_TAG] == "cpu"  # the UI shows where it went


def test_launchpad_run_of_the_gpu_job_gets_a_gpu_node(graphql) -> None:
    ctx, instance, recorder = graphql
    run_id = _launch(ctx, "document_pipeline_gpu", "doc-0002")
    spec, container = _container(recorder.jobs[-1])
    assert container.resources.limits[GPU_RESOURCE] == "1"
    assert spec.node_selector == dict(RoutingPolicy().gpu_node_selector)
    assert any(t.key == GPU_RESOURCE for t in spec.tolerations)
    assert ("DATAFORGE_SPACY_GPU", "1") in [(e.name, e.value) for e in container.env]
    assert instance.get_run_by_id(run_id).tags[ROUTE_TAG] == "gpu"


def test_release_run_is_sized_from_the_corpus(graphql) -> None:
    ctx, instance, recorder = graphql
    _launch(ctx, "release_pipeline", "r1")
    _, container = _container(recorder.jobs[-1])
    expected = f"{ReleaseSizing().memory_mb(200)}Mi"  # 200 registered documents
    assert container.resources.requests["memory"] == container.resources.limits["memory"] == expected


def test_both_deploy_paths_configure_the_routing_launcher() -> None:
    import importlib

    import yaml
    from dagster_k8s import K8sRunLauncher

    from dataforge.k8s_launcher import RoutingK8sRunLauncher
    from dataforge_tests.production import _chart

    plain = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text())["run_launcher"]
    helm = _chart.values()["runLauncher"]["config"]["customRunLauncher"]
    for launcher in (plain, helm):
        cls = getattr(importlib.import_module(launcher["module"]), launcher["class"])
        assert cls is RoutingK8sRunLauncher and issubclass(cls, K8sRunLauncher)
        checked = validate_config(cls.config_type(), {**launcher["config"], "load_incluster_config": False})
        assert checked.success, checked.errors  # the same configuration as dagster-k8s's launcher


def test_backfill_runs_get_the_cpu_pod(graphql) -> None:
    """A backfill from the UI: the mutation the asset page sends, then the daemon's iteration."""
    import logging

    from dagster._daemon.backfill import execute_backfill_iteration
    from dagster_graphql.client.query import LAUNCH_PARTITION_BACKFILL_MUTATION

    ctx, instance, recorder = graphql
    before = len(recorder.jobs)
    result = execute_dagster_graphql(
        ctx,
        LAUNCH_PARTITION_BACKFILL_MUTATION,
        variables={
            "backfillParams": {
                "partitionNames": ["doc-0010", "doc-0011", "doc-0012"],
                "assetSelection": [{"path": ["document_text"]}],
            }
        },
    )
    assert result.data["launchPartitionBackfill"]["__typename"] == "LaunchBackfillSuccess", result.data
    for _ in range(3):  # the daemon submits the backfill's runs over a few iterations
        list(execute_backfill_iteration(ctx.process_context, logging.getLogger("backfill")))
        if len(recorder.jobs) > before:
            break
    new = recorder.jobs[before:]
    assert new, "the backfill launched no run"
    for job in new:
        spec, container = _container(job)
        assert container.resources.limits["memory"] == RoutingPolicy().cpu_memory and not spec.node_selector
