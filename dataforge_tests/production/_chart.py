"""What the Dagster Helm chart (1.13.27) makes of deploy/helm/values.yaml, for offline checks.

No Helm binary or chart download can be had here, so this mirrors the few chart templates
whose output depends on our values: the webserver / read-only webserver / daemon / code server
Deployments (pod and container security contexts, resources, volumes, env sources) and the
container context a code server hands to its runs (``includeConfigInLaunchedRuns``, from the
user-deployments subchart's ``k8sContainerContext`` helper). The Kubernetes objects built here
are validated against the official schemas; ``helm template`` on a machine with the chart is
still the final word (deploy/README.md says so).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
VALUES = ROOT / "deploy" / "helm" / "values.yaml"
RELEASE = "dataforge"
NAMESPACE = "dataforge"
FULLNAME = f"{RELEASE}-dagster"  # the release name does not contain the chart name


def values() -> dict[str, Any]:
    return yaml.safe_load(VALUES.read_text())


def image(spec: dict[str, Any]) -> str:
    return f"{spec['repository']}:{spec['tag']}"


def _env_sources(section: dict[str, Any], configmap: str) -> list[dict[str, Any]]:
    sources: list[dict[str, Any]] = [{"configMapRef": {"name": configmap}}]
    sources += [{"configMapRef": dict(ref)} for ref in section.get("envConfigMaps", [])]
    sources += [{"secretRef": dict(ref)} for ref in section.get("envSecrets", [])]
    return sources


def _deployment(name: str, labels: dict[str, str], pod: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": labels},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": pod},
        },
    }


def service_account(subchart: bool = False) -> str:
    """Chart helpers dagster.serviceAccountName / dagsterUserDeployments.serviceAccountName."""
    v = values()
    if v["global"].get("serviceAccountName"):
        return v["global"]["serviceAccountName"]
    if subchart:
        name = v["dagster-user-deployments"].get("serviceAccount", {}).get("name")
        return name or f"{FULLNAME}-user-deployments"
    return v["serviceAccount"].get("name") or FULLNAME


def _pod(
    section: dict[str, Any], container: dict[str, Any], volumes: list[dict[str, Any]], subchart: bool = False
) -> dict[str, Any]:
    pod: dict[str, Any] = {
        "serviceAccountName": service_account(subchart),
        "securityContext": section.get("podSecurityContext", {}),
        "containers": [container],
        "volumes": volumes + list(section.get("volumes", [])),
    }
    for key in ("nodeSelector", "affinity", "tolerations"):
        if section.get(key):
            pod[key] = section[key]
    return pod


def _pg_password_env(v: dict[str, Any]) -> dict[str, Any]:
    secret = v["global"]["postgresqlSecretName"]
    return {
        "name": "DAGSTER_PG_PASSWORD",
        "valueFrom": {"secretKeyRef": {"name": secret, "key": "postgresql-password"}},
    }


def _instance_mount(v: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "dagster-instance",
        "mountPath": f"{v['global']['dagsterHome']}/dagster.yaml",
        "subPath": "dagster.yaml",
    }


def webserver(read_only: bool = False) -> dict[str, Any]:
    v = values()
    section = v["dagsterWebserver"]
    component = "dagster-webserver" + ("-read-only" if read_only else "")
    port = section["service"]["port"]
    command = f"dagster-webserver -h 0.0.0.0 -p {port} -w /dagster-workspace/workspace.yaml" + (
        " --read-only" if read_only else ""
    )
    container = {
        "name": "dagster",
        "image": image(section["image"]),
        "imagePullPolicy": section["image"]["pullPolicy"],
        "command": ["/bin/bash", "-c", command],
        "securityContext": section.get("securityContext", {}),
        "env": [_pg_password_env(v)],
        "envFrom": _env_sources(section, f"{FULLNAME}-webserver-env"),
        "volumeMounts": [
            {
                "name": "dagster-instance",
                "mountPath": f"{v['global']['dagsterHome']}/dagster.yaml",
                "subPath": "dagster.yaml",
            },
            {"name": "dagster-workspace-yaml", "mountPath": "/dagster-workspace/"},
            *section.get("volumeMounts", []),
        ],
        "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}],
        "resources": section.get("resources", {}),
        "readinessProbe": section["readinessProbe"],
    }
    volumes = [
        {"name": "dagster-instance", "configMap": {"name": f"{FULLNAME}-instance"}},
        {"name": "dagster-workspace-yaml", "configMap": {"name": f"{FULLNAME}-workspace-yaml"}},
    ]
    labels = {"app.kubernetes.io/name": "dagster", "app.kubernetes.io/instance": RELEASE, "component": component}
    name = f"{RELEASE}-webserver" + ("-read-only" if read_only else "")
    return _deployment(name, labels, _pod(section, container, volumes))


def daemon() -> dict[str, Any]:
    v = values()
    section = v["dagsterDaemon"]
    container = {
        "name": "dagster",
        "image": image(section["image"]),
        "imagePullPolicy": section["image"]["pullPolicy"],
        "command": ["/bin/bash", "-c", "dagster-daemon run -w /dagster-workspace/workspace.yaml"],
        "securityContext": section.get("securityContext", {}),
        "env": [_pg_password_env(v)],
        "envFrom": _env_sources(section, f"{FULLNAME}-daemon-env"),
        "volumeMounts": [
            {
                "name": "dagster-instance",
                "mountPath": f"{v['global']['dagsterHome']}/dagster.yaml",
                "subPath": "dagster.yaml",
            },
            {"name": "dagster-workspace-yaml", "mountPath": "/dagster-workspace/"},
            *section.get("volumeMounts", []),
        ],
        "resources": section.get("resources", {}),
    }
    volumes = [
        {"name": "dagster-instance", "configMap": {"name": f"{FULLNAME}-instance"}},
        {"name": "dagster-workspace-yaml", "configMap": {"name": f"{FULLNAME}-workspace-yaml"}},
    ]
    labels = {"app.kubernetes.io/name": "dagster", "app.kubernetes.io/instance": RELEASE, "component": "dagster-daemon"}
    return _deployment(f"{FULLNAME}-daemon", labels, _pod(section, container, volumes))


def user_deployments() -> list[dict[str, Any]]:
    v = values()
    rendered = []
    for d in v["dagster-user-deployments"]["deployments"]:
        container = {
            "name": "dagster-user-deployments",
            "image": image(d["image"]),
            "imagePullPolicy": d["image"]["pullPolicy"],
            "args": ["dagster", "api", "grpc", "-h", "0.0.0.0", "-p", str(d["port"]), *d["dagsterApiGrpcArgs"]],
            "securityContext": d.get("securityContext", {}),
            "env": [{"name": "DAGSTER_CURRENT_IMAGE", "value": image(d["image"])}, _pg_password_env(v)],
            "envFrom": [
                {"configMapRef": {"name": f"{FULLNAME}-user-deployments-shared-env"}},
                *_env_sources(d, f"{FULLNAME}-{d['name']}-user-env"),
            ],
            "resources": d.get("resources", {}),
            "volumeMounts": list(d.get("volumeMounts", [])),
        }
        labels = {
            "app.kubernetes.io/name": "dagster",
            "app.kubernetes.io/instance": RELEASE,
            "component": "user-deployments",
            "deployment": d["name"],
        }
        pod = _pod(d, container, [], subchart=True)
        pod["automountServiceAccountToken"] = True  # hard-coded in the chart's deployment-user.yaml
        obj = _deployment(f"{FULLNAME}-{d['name']}", labels, pod)
        obj["spec"]["template"]["metadata"]["labels"] = {**labels, **d.get("labels", {})}
        rendered.append(obj)
    return rendered


def run_launcher_config() -> dict[str, Any]:
    """The launcher config the chart writes verbatim for ``runLauncher.type: CustomRunLauncher``."""
    launcher = values()["runLauncher"]
    assert launcher["type"] == "CustomRunLauncher", launcher["type"]
    custom = launcher["config"]["customRunLauncher"]
    assert (custom["module"], custom["class"]) == ("dataforge.k8s_launcher", "RoutingK8sRunLauncher")
    return custom["config"]


def container_context(deployment: dict[str, Any]) -> dict[str, Any] | None:
    """``DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT`` of a code server (chart helper k8sContainerContext).

    None when ``includeConfigInLaunchedRuns`` is off: the chart then sets no container context.
    """
    if not deployment.get("includeConfigInLaunchedRuns", {"enabled": True}).get("enabled", True):
        return None
    k8s: dict[str, Any] = {
        "image_pull_policy": deployment["image"]["pullPolicy"],
        "env_config_maps": [f"{FULLNAME}-{deployment['name']}-user-env"]
        + [ref["name"] for ref in deployment.get("envConfigMaps", [])],
        "namespace": NAMESPACE,
        "service_account_name": service_account(subchart=True),
        "run_k8s_config": {"pod_spec_config": {"automount_service_account_token": True}},
    }
    if deployment.get("envSecrets"):
        k8s["env_secrets"] = [ref["name"] for ref in deployment["envSecrets"]]
    for key, target in (("volumeMounts", "volume_mounts"), ("volumes", "volumes"), ("resources", "resources")):
        if deployment.get(key):
            k8s[target] = deployment[key]
    return {"k8s": k8s}
