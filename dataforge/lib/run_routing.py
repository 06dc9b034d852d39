"""Pod shapes for every way a run starts, not only sensor runs.

The S3 sensor tags the runs it requests (``routing.plan_runs``). Runs started from the UI's
Materialize button, from the launchpad and from backfills carry no such tags, so the run
launcher (``dataforge.k8s_launcher``) asks this module at launch time: a run of the GPU
document job (or one tagged ``dataforge/route=gpu``) gets the GPU pod, any other document
run the CPU pod, and a release run a pod sized from the corpus it will freeze (its stages
hold the corpus's mentions, examples and vectors in memory). Tags already set by a sensor
are kept. Pure functions: the launcher supplies the run's facts.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dataforge.lib.routing import K8S_CONFIG_TAG, ROUTE_TAG, RoutingPolicy, route_tags

GPU_JOB = "document_pipeline_gpu"


@dataclass(frozen=True)
class ReleaseSizing:
    """Memory of a release pod: base + per document, capped (measured: BENCHMARKS.md, scale)."""

    base_mb: int = 2048  # DATAFORGE_RELEASE_MEMORY_BASE_MB
    per_document_mb: float = 4.0  # DATAFORGE_RELEASE_MEMORY_PER_DOC_MB
    max_mb: int = 65536  # DATAFORGE_RELEASE_MEMORY_MAX_MB
    cpu: str = "2"  # DATAFORGE_RELEASE_CPU

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ReleaseSizing:
        env = os.environ if env is None else env
        base = cls()

        def get(name: str, default: object) -> str:
            return env.get(name, "").strip() or str(default)

        return cls(
            base_mb=int(get("DATAFORGE_RELEASE_MEMORY_BASE_MB", base.base_mb)),
            per_document_mb=float(get("DATAFORGE_RELEASE_MEMORY_PER_DOC_MB", base.per_document_mb)),
            max_mb=int(get("DATAFORGE_RELEASE_MEMORY_MAX_MB", base.max_mb)),
            cpu=get("DATAFORGE_RELEASE_CPU", base.cpu),
        )

    def memory_mb(self, documents: int) -> int:
        return min(self.max_mb, int(self.base_mb + self.per_document_mb * max(0, documents)))


def release_k8s_config(documents: int, sizing: ReleaseSizing) -> dict[str, Any]:
    memory = f"{sizing.memory_mb(documents)}Mi"
    return {
        "container_config": {
            "resources": {"requests": {"cpu": sizing.cpu, "memory": memory}, "limits": {"memory": memory}}
        }
    }


def run_kind(job_name: str, asset_names: set[str] | None, tags: Mapping[str, str], release_assets: set[str]) -> str:
    """``gpu``, ``cpu`` (document stages) or ``release``; asset-selection runs by their assets."""
    if job_name == GPU_JOB or tags.get(ROUTE_TAG) == "gpu":
        return "gpu"
    if job_name == "release_pipeline" or (asset_names and asset_names & release_assets):
        return "release"
    return "cpu"


def launch_tags(
    job_name: str,
    asset_names: set[str] | None,
    tags: Mapping[str, str],
    release_assets: set[str],
    documents: int,
    policy: RoutingPolicy,
    sizing: ReleaseSizing,
) -> dict[str, str]:
    """Tags to add to a run before its pod is built; empty when a sensor already routed it."""
    if K8S_CONFIG_TAG in tags:
        return {}
    kind = run_kind(job_name, asset_names, tags, release_assets)
    if kind == "release":
        config = release_k8s_config(documents, sizing)
        return {K8S_CONFIG_TAG: json.dumps(config, sort_keys=True), ROUTE_TAG: "release"}
    return route_tags(kind == "gpu", policy)
