"""Kubernetes objects the production path makes or ships, validated offline in strict mode.

There is no API server here. What is real: dagster-k8s's own K8sRunLauncher (configured from
deploy/dagster.yaml) building the Job for a run the S3 sensor would request, with the code
server's container context as the chart passes it; and the official Kubernetes schemas
(kubernetes-validate, strict: unknown fields fail). Only the API server's "create Job" call is
replaced by a recorder. What needs a real cluster is listed in deploy/README.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import dagster as dg
import kubernetes
import kubernetes_validate
import pytest
import yaml
from dagster._config import validate_config
from dagster._core.code_pointer import ModuleCodePointer
from dagster._core.launcher import LaunchRunContext
from dagster._core.origin import JobPythonOrigin, RepositoryPythonOrigin
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.utils import make_new_run_id
from dagster_k8s import K8sRunLauncher

from dataforge.lib.routing import ROUTE_TAG, RoutingPolicy, plan_runs
from dataforge_tests.production import _chart

K8S_VERSION = "1.33.0"  # the oldest minor still in standard support at EKS/GKE/AKS when written
DEPLOY = _chart.ROOT / "deploy"


def _unique(items: list[dict[str, Any]], field: str, where: str) -> None:
    values = [item[field] for item in items]
    assert len(values) == len(set(values)), f"duplicate {field} in {where}: {values}"


def validate(obj: dict[str, Any]) -> None:
    """Schema-valid in strict mode, plus the uniqueness rules the API server adds on pods."""
    kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    pod = obj.get("spec", {}).get("template", {}).get("spec")
    if pod:
        _unique(pod.get("volumes") or [], "name", "volumes")
        _unique(pod["containers"], "name", "containers")
        for container in pod["containers"]:
            _unique(container.get("env") or [], "name", f"{container['name']} env")
            _unique(container.get("volumeMounts") or [], "mountPath", f"{container['name']} volumeMounts")


class JobRecorder:
    """Stands in for the API server's batch endpoint: keeps the Job the launcher would create."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, Any]] = []

    def create_namespaced_job(self, body: Any, namespace: str, **_: Any) -> Any:
        self.jobs.append((namespace, body))
        return body


@pytest.fixture(scope="module")
def kubeconfig(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A kubeconfig naming an unreachable server: the launcher parses it and never connects."""
    path = tmp_path_factory.mktemp("kube") / "config"
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "none", "cluster": {"server": "https://127.0.0.1:9"}}],
                "users": [{"name": "none", "user": {"token": "unused"}}],
                "contexts": [{"name": "none", "context": {"cluster": "none", "user": "none"}}],
                "current-context": "none",
            }
        )
    )
    return str(path)


def built_job(tags: dict[str, str], kubeconfig: str, tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """The Job dagster-k8s's K8sRunLauncher builds for a run with ``tags``, as plain JSON."""
    config = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())["run_launcher"]["config"]
    config = {**config, "load_incluster_config": False, "kubeconfig_file": kubeconfig}
    checked = validate_config(K8sRunLauncher.config_type(), config)
    assert checked.success, checked.errors
    recorder = JobRecorder()
    launcher = K8sRunLauncher(**checked.value, k8s_client_batch_api=recorder)
    instance = dg.DagsterInstance.local_temp(str(tmp_path))
    launcher.register_instance(instance)
    deployment = _chart.values()["dagster-user-deployments"]["deployments"][0]
    origin = JobPythonOrigin(
        "document_pipeline",
        RepositoryPythonOrigin(
            sys.executable,
            ModuleCodePointer("dataforge.definitions", "defs", None),
            container_image=_chart.image(deployment["image"]),
            container_context=_chart.container_context(deployment),
        ),
    )
    run = instance.add_run(
        DagsterRun(job_name="document_pipeline", run_id=make_new_run_id(), tags=tags, job_code_origin=origin)
    )
    launcher.launch_run(LaunchRunContext(dagster_run=run, workspace=None))
    [(namespace, job)] = recorder.jobs
    return namespace, kubernetes.client.ApiClient().sanitize_for_serialization(job)


def production_plans() -> list:
    """Run plans for one light and one heavy document under the Helm values' routing settings."""
    env = _chart.values()["dagster-user-deployments"]["deployments"][0]["env"]
    policy = RoutingPolicy.from_env(env)
    _, plans = plan_runs({"memo-0123456789": False, "scan-9876543210": True}, 25, policy)
    return plans


def test_gpu_run_job_from_dagster_k8s_is_valid_and_asks_for_a_gpu(kubeconfig: str, tmp_path: Path) -> None:
    env = _chart.values()["dagster-user-deployments"]["deployments"][0]["env"]
    [_, heavy] = production_plans()
    assert heavy.tags[ROUTE_TAG] == "gpu"
    namespace, job = built_job(heavy.tags, kubeconfig, tmp_path)
    validate(job)
    assert namespace == "dataforge"
    pod = job["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["image"] == env["DATAFORGE_GPU_IMAGE"]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert container["resources"]["requests"]["memory"] == "16Gi"
    assert pod["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod["tolerations"]
    assert {"name": "DATAFORGE_SPACY_GPU", "value": "1"} in container["env"]
    # what every run pod gets from the launcher config and the code server's container context
    assert {"secretRef": {"name": "dataforge-s3"}} in container["envFrom"]
    assert {"configMapRef": {"name": "dataforge-dagster-dataforge-user-env"}} in container["envFrom"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 10001
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    assert pod["serviceAccountName"] == "dataforge"


def test_cpu_run_job_stays_off_gpu_nodes(kubeconfig: str, tmp_path: Path) -> None:
    [light, _] = production_plans()
    _, job = built_job(light.tags, kubeconfig, tmp_path)
    validate(job)
    pod = job["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert "nvidia.com/gpu" not in str(job) and not pod.get("nodeSelector")
    assert container["image"] == "ghcr.io/example/dataforge:0.1.0"
    assert container["resources"]["requests"] == {"cpu": "1", "memory": "4Gi"}


def test_rendered_chart_deployments_are_valid_non_root_and_read_only() -> None:
    objects = [_chart.webserver(), _chart.webserver(read_only=True), _chart.daemon(), *_chart.user_deployments()]
    for obj in objects:
        validate(obj)
        pod = obj["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, obj["metadata"]["name"]
        for container in pod["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    assert "--read-only" in objects[1]["spec"]["template"]["spec"]["containers"][0]["command"][-1]


def test_every_shipped_manifest_is_valid() -> None:
    manifests = sorted((DEPLOY / "k8s").glob("*.yaml"))
    assert manifests
    kinds = set()
    for path in manifests:
        for obj in yaml.safe_load_all(path.read_text()):
            if obj:
                validate(obj)
                kinds.add(obj["kind"])
    assert {"Deployment", "Service", "Ingress", "NetworkPolicy"} <= kinds


def test_proxies_point_at_the_chart_services_they_protect() -> None:
    docs = [d for d in yaml.safe_load_all((DEPLOY / "k8s" / "auth.yaml").read_text()) if d]
    webserver, read_only = _chart.webserver(), _chart.webserver(read_only=True)
    port = webserver["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"]
    upstreams = {
        d["metadata"]["name"]: next(
            a for a in d["spec"]["template"]["spec"]["containers"][0]["args"] if "--upstream" in a
        )
        for d in docs
        if d["kind"] == "Deployment"
    }
    assert upstreams == {
        "oauth2-proxy-editors": f"--upstream=http://{webserver['metadata']['name']}:{port}",
        "oauth2-proxy-viewers": f"--upstream=http://{read_only['metadata']['name']}:{port}",
    }
    policies = [d for d in yaml.safe_load_all((DEPLOY / "k8s" / "network-policy.yaml").read_text()) if d]
    protected = {p["spec"]["podSelector"]["matchLabels"].get("component") for p in policies}
    components = {obj["spec"]["template"]["metadata"]["labels"]["component"] for obj in (webserver, read_only)}
    assert components <= protected


def test_helm_values_and_production_dagster_yaml_agree() -> None:
    values = _chart.values()
    instance = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
    queued = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert queued["tagConcurrencyLimits"] == instance["run_coordinator"]["config"]["tag_concurrency_limits"]
    assert queued["tagConcurrencyLimits"][0]["key"] == ROUTE_TAG
    monitoring = values["dagsterDaemon"]["runMonitoring"]
    assert monitoring["startTimeoutSeconds"] == instance["run_monitoring"]["start_timeout_seconds"] >= 900
    assert values["computeLogManager"]["type"] == "S3ComputeLogManager"
    assert instance["compute_logs"]["class"] == "S3ComputeLogManager"
    assert values["postgresql"]["postgresqlScheme"] == instance["storage"]["postgres"]["postgres_db"]["scheme"]
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    assert [s["name"] for s in launcher["envSecrets"]] == instance["run_launcher"]["config"]["env_secrets"]
    assert values["dagsterWebserver"]["enableReadOnly"] is True and values["ingress"]["enabled"] is False
    assert values["generatePostgresqlPasswordSecret"] is False  # secrets come from Kubernetes secrets


def test_dockerfile_pins_dependencies_bakes_models_and_drops_root() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert "pip install --no-deps -r /tmp/runtime.lock" in text and "pip check" in text
    assert re.search(r"^USER 10001:10001$", text, re.M)
    assert "HF_HUB_OFFLINE=1" in text and "load_spacy()" in text and "embed_texts" in text
    assert ":latest" not in text
    assert "readOnlyRootFilesystem" not in text  # that is the pod's business (values.yaml), not the image's
