"""Kubernetes objects the production path makes or ships, validated offline in strict mode.

There is no API server here. What is real: dagster-k8s's own K8sRunLauncher (configured from
deploy/dagster.yaml) building the Job for a run the S3 sensor would request, with the code
server's container context as the chart passes it; and the official Kubernetes schemas
(kubernetes-validate, strict: unknown fields fail). Only the API server's "create Job" call is
replaced by a recorder. What needs a real cluster is listed in deploy/README.md.
"""

from __future__ import annotations

import json
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


def launcher_config(source: str) -> dict[str, Any]:
    """The run launcher config of the Helm values or of deploy/dagster.yaml (without Helm)."""
    if source == "helm":
        return _chart.run_launcher_config()
    return yaml.safe_load((DEPLOY / "dagster.yaml").read_text())["run_launcher"]["config"]


def built_job(
    tags: dict[str, str], kubeconfig: str, tmp_path: Path, source: str = "helm"
) -> tuple[str, dict[str, Any]]:
    """The Job dagster-k8s's K8sRunLauncher builds for a run with ``tags``, as plain JSON."""
    config = {**launcher_config(source), "load_incluster_config": False, "kubeconfig_file": kubeconfig}
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


def code_server_env() -> dict[str, str]:
    return _chart.values()["dagster-user-deployments"]["deployments"][0]["env"]


def production_plans(env: dict[str, str] | None = None) -> list:
    """Run plans for one light and one heavy document under the Helm values' routing settings."""
    policy = RoutingPolicy.from_env(code_server_env() if env is None else env)
    _, plans = plan_runs({"memo-0123456789": False, "scan-9876543210": True}, 25, policy)
    return plans


def assert_restricted(pod: dict[str, Any], where: str) -> None:
    """The Pod Security Standard "restricted" checks that our pods could fail."""
    assert not any(pod.get(k) for k in ("hostNetwork", "hostPID", "hostIPC")), where
    assert not any("hostPath" in v for v in pod.get("volumes") or []), where
    pod_sc = pod.get("securityContext") or {}
    for c in pod["containers"] + (pod.get("initContainers") or []):
        sc = c.get("securityContext") or {}
        assert sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is True, where
        assert sc.get("allowPrivilegeEscalation") is False and not sc.get("privileged"), where
        assert sc.get("capabilities", {}).get("drop") == ["ALL"] and not sc["capabilities"].get("add"), where
        seccomp = sc.get("seccompProfile", pod_sc.get("seccompProfile")) or {}
        assert seccomp.get("type") == "RuntimeDefault", where


SOURCES = ["helm", "standalone"]


@pytest.mark.parametrize("source", SOURCES)
def test_gpu_run_job_from_dagster_k8s_is_valid_and_asks_for_a_gpu(source: str, kubeconfig: str, tmp_path: Path) -> None:
    env = code_server_env()
    [_, heavy] = production_plans()
    assert heavy.tags[ROUTE_TAG] == "gpu"
    namespace, job = built_job(heavy.tags, kubeconfig, tmp_path, source)
    validate(job)
    assert namespace == "dataforge"
    pod = job["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["image"] == env["DATAFORGE_GPU_IMAGE"]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert container["resources"]["requests"]["memory"] == "16Gi"
    assert pod["nodeSelector"] == {"eks.amazonaws.com/nodegroup": "gpu"}
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod["tolerations"]
    assert {"name": "DATAFORGE_SPACY_GPU", "value": "1"} in container["env"]  # gpu_check runs on it
    # least privilege: the run service account, no Kubernetes token in a pod parsing untrusted files
    assert pod["serviceAccountName"] == "dataforge-run" and pod["automountServiceAccountToken"] is False
    assert_restricted(pod, "gpu run pod")
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["securityContext"]["runAsUser"] == 10001
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    assert job["spec"]["template"]["metadata"]["labels"]["dataforge/egress"] == "s3-postgres"


@pytest.mark.parametrize("source", SOURCES)
def test_run_pods_get_postgres_tls_and_the_compute_log_bucket(source: str, kubeconfig: str, tmp_path: Path) -> None:
    [light, _] = production_plans()
    _, job = built_job(light.tags, kubeconfig, tmp_path, source)
    pod = job["spec"]["template"]["spec"]
    [container] = pod["containers"]
    sources = {ref.get("configMapRef", ref.get("secretRef"))["name"] for ref in container["envFrom"]}
    env_map = "dataforge-dagster-dataforge-user-env" if source == "helm" else "dataforge-env"
    assert {"dataforge-postgres-env", "dataforge-s3", env_map} <= sources
    pg = yaml.safe_load((DEPLOY / "k8s" / "postgres-env.yaml").read_text())["data"]
    assert {"DAGSTER_PG_HOST", "DAGSTER_PG_USER", "DAGSTER_PG_DB", "DATAFORGE_COMPUTE_LOG_BUCKET"} <= set(pg)
    assert pg["PGSSLMODE"] == "verify-full"
    password = next(e for e in container["env"] if e["name"] == "DAGSTER_PG_PASSWORD")
    assert password["valueFrom"]["secretKeyRef"] == {"name": "dataforge-postgresql", "key": "postgresql-password"}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    assert mounts[str(Path(pg["PGSSLROOTCERT"]).parent)] == "postgres-ca"
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["postgres-ca"]["configMap"]["name"] == "dataforge-postgres-ca"
    # dagster-k8s hands the run its instance inside the command (an instance ref), not as a
    # mounted file: every {env: X} in deploy/dagster.yaml is resolved in the run pod itself.
    assert "instance_ref" in " ".join(container["args"])
    if source == "standalone":
        text = (DEPLOY / "dagster.yaml").read_text()
        wanted = set(re.findall(r"\benv: ([A-Z][A-Z0-9_]+)\b", text))
        given = set(pg) | {e["name"] for e in container["env"]}
        given |= set(kustomize_config_map("dataforge-env")) if env_map in sources else set()
        assert wanted <= given, wanted - given


def kustomize_config_map(name: str) -> dict[str, str]:
    """Data of a ConfigMap made by deploy/kustomization.yaml's generator (literals only)."""
    kustomization = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text())
    [gen] = [g for g in kustomization["configMapGenerator"] if g["name"] == name]
    return dict(item.split("=", 1) for item in gen.get("literals", []))


def test_cpu_run_job_stays_off_gpu_nodes(kubeconfig: str, tmp_path: Path) -> None:
    [light, _] = production_plans()
    _, job = built_job(light.tags, kubeconfig, tmp_path)
    validate(job)
    pod = job["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert "nvidia.com/gpu" not in str(job) and not pod.get("nodeSelector")
    assert container["image"] == "ghcr.io/example/dataforge:0.1.0"
    assert container["resources"]["requests"] == {"cpu": "1", "memory": "4Gi"}


PLATFORMS = yaml.safe_load((DEPLOY / "gpu-platforms.yaml").read_text())


@pytest.mark.parametrize("platform", sorted(PLATFORMS["platforms"]))
def test_each_platform_preset_puts_gpu_runs_on_its_gpu_nodes(platform: str, kubeconfig: str, tmp_path: Path) -> None:
    selector = PLATFORMS["platforms"][platform]["node_selector"]
    [_, heavy] = production_plans({**code_server_env(), "DATAFORGE_GPU_NODE_SELECTOR": selector})
    _, job = built_job(heavy.tags, kubeconfig, tmp_path)
    validate(job)
    pod = job["spec"]["template"]["spec"]
    key, value = selector.split("=")
    assert pod["nodeSelector"] == {key: value}
    assert PLATFORMS["toleration"] in pod["tolerations"]
    assert pod["containers"][0]["resources"]["requests"]["nvidia.com/gpu"] == "1"


def test_values_select_the_default_preset_and_the_gpu_check_job_matches() -> None:
    default = PLATFORMS["platforms"][PLATFORMS["default"]]["node_selector"]
    assert code_server_env()["DATAFORGE_GPU_NODE_SELECTOR"] == default
    [check] = [d for d in yaml.safe_load_all((DEPLOY / "jobs" / "gpu-check.yaml").read_text()) if d]
    pod = check["spec"]["template"]["spec"]
    assert pod["nodeSelector"] == dict([default.split("=")])
    assert PLATFORMS["toleration"] in pod["tolerations"]
    [container] = pod["containers"]
    assert container["image"] == code_server_env()["DATAFORGE_GPU_IMAGE"]
    assert {"name": "DATAFORGE_REQUIRE_GPU", "value": "1"} in container["env"]
    assert "command" not in container  # the image's entrypoint (gpu_check) runs first


def _tags(k8s_config: dict[str, Any]) -> dict[str, str]:
    return {"dagster-k8s/config": json.dumps(k8s_config)}


@pytest.mark.parametrize(
    "k8s_config",
    [
        {"container_config": {"security_context": {"privileged": True}}},
        {"pod_spec_config": {"host_pid": True}},
        {"pod_spec_config": {"service_account_name": "dataforge"}},
        {"pod_spec_config": {"volumes": [{"name": "host", "host_path": {"path": "/"}}]}},
        {"container_config": {"volume_mounts": [{"name": "host", "mount_path": "/host"}]}},
        {"pod_spec_config": {"automount_service_account_token": True}},
    ],
)
def test_launchpad_tags_cannot_escalate(k8s_config: dict[str, Any], kubeconfig: str, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="violated the allowed list"):
        built_job(_tags(k8s_config), kubeconfig, tmp_path)


def test_launchpad_env_is_limited_to_the_gpu_switches(kubeconfig: str, tmp_path: Path) -> None:
    env = [{"name": "LD_PRELOAD", "value": "/tmp/x.so"}, {"name": "DATAFORGE_REQUIRE_GPU", "value": "1"}]
    _, job = built_job(_tags({"container_config": {"env": env}}), kubeconfig, tmp_path)
    names = {e["name"] for e in job["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert "DATAFORGE_REQUIRE_GPU" in names and "LD_PRELOAD" not in names


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


def test_chart_pods_use_the_right_service_account_and_verify_postgres_tls() -> None:
    pg_ca = str(
        Path(yaml.safe_load((DEPLOY / "k8s" / "postgres-env.yaml").read_text())["data"]["PGSSLROOTCERT"]).parent
    )
    accounts = {}
    for obj in [_chart.webserver(), _chart.webserver(read_only=True), _chart.daemon(), *_chart.user_deployments()]:
        pod = obj["spec"]["template"]["spec"]
        assert_restricted(pod, obj["metadata"]["name"])
        accounts[obj["spec"]["template"]["metadata"]["labels"]["component"]] = pod["serviceAccountName"]
        [container] = pod["containers"]
        assert {"configMapRef": {"name": "dataforge-postgres-env"}} in container["envFrom"]
        assert {"name": "postgres-ca", "mountPath": pg_ca, "readOnly": True} in container["volumeMounts"]
    assert accounts == {
        "dagster-webserver": "dataforge",
        "dagster-webserver-read-only": "dataforge",
        "dagster-daemon": "dataforge",
        "user-deployments": "dataforge-run",
    }
    v = _chart.values()
    assert v["rbacEnabled"] is False and v["dagster-user-deployments"]["rbacEnabled"] is False
    assert v["dagster-user-deployments"]["serviceAccount"]["create"] is False  # ours has no token
    assert v["postgresql"]["postgresqlParams"] == {}  # a URL sslmode would override PGSSLMODE


def manifests(*folders: str) -> list[dict[str, Any]]:
    return [
        obj
        for folder in folders
        for path in sorted((DEPLOY / folder).glob("*.yaml"))
        for obj in yaml.safe_load_all(path.read_text())
        if obj
    ]


def test_every_shipped_manifest_is_valid() -> None:
    objects = manifests("k8s", "jobs")
    kinds = set()
    for obj in objects:
        validate(obj)
        kinds.add(obj["kind"])
        pod = obj.get("spec", {}).get("template", {}).get("spec")
        if pod:
            assert_restricted(pod, obj["metadata"]["name"])
    assert {
        "Namespace", "Deployment", "Service", "Ingress", "NetworkPolicy", "ServiceAccount", "Role",
        "RoleBinding", "ConfigMap", "Job", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    } <= kinds  # fmt: skip


def test_migrate_job_runs_dagster_instance_migrate_with_the_release_image() -> None:
    [job] = [o for o in manifests("jobs") if o["metadata"]["name"] == "dataforge-instance-migrate"]
    pod = job["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["command"] == ["dagster", "instance", "migrate"]
    assert container["image"] == _chart.image(_chart.values()["dagsterWebserver"]["image"])
    assert pod["automountServiceAccountToken"] is False and pod["serviceAccountName"] == "default"
    assert {v["name"]: v.get("configMap", {}).get("name") for v in pod["volumes"]}["dagster-instance"] == (
        f"{_chart.FULLNAME}-instance"
    )
    assert {"configMapRef": {"name": "dataforge-postgres-env"}} in container["envFrom"]
    assert job["spec"]["backoffLimit"] == 0  # a failed migration is looked at, not retried


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
    protected = {p["spec"]["podSelector"].get("matchLabels", {}).get("component") for p in policies}
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
    helm, standalone = launcher_config("helm"), launcher_config("standalone")
    differ = {k for k in helm.keys() | standalone.keys() if helm.get(k) != standalone.get(k)}
    assert differ == {"instance_config_map", "env_config_maps"}  # only the ConfigMap names Helm chooses
    assert values["dagsterWebserver"]["enableReadOnly"] is True and values["ingress"]["enabled"] is False
    assert values["generatePostgresqlPasswordSecret"] is False  # secrets come from Kubernetes secrets


def test_dockerfile_pins_dependencies_bakes_models_and_drops_root() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert "pip install --require-hashes --no-deps -r /tmp/runtime.lock" in text and "pip check" in text
    assert "pip install --require-hashes -r pip.lock" in text
    assert 'ENTRYPOINT ["/usr/bin/tini", "--", "python", "-m", "dataforge.lib.gpu_check", "--"]' in text
    assert re.search(r"^USER 10001:10001$", text, re.M)
    assert "HF_HUB_OFFLINE=1" in text and "load_spacy()" in text and "embed_texts" in text
    assert ":latest" not in text
    assert "readOnlyRootFilesystem" not in text  # that is the pod's business (values.yaml), not the image's
