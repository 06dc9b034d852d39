"""Which documents go to GPU pods, and the run tags that send them there.

dagster-k8s's K8sRunLauncher reads the ``dagster-k8s/config`` tag from *run* tags only, and
runs started by sensors or backfills do not inherit job tags, so the decision is made where
runs are requested (the S3 upload sensor) and travels as run tags. The sensor runs in the
daemon, so it counts pages only in the sandbox (``safe_page_count``), never in process. Heavy documents (large
files or many pages) run alone (or in small batches) on GPU nodes, light ones in batches on
CPU nodes. ``DATAFORGE_SPACY_GPU=1`` in the GPU pod makes spaCy use the GPU; the embedder
picks CUDA by itself whenever a GPU is visible.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dataforge.lib.runs import batch_ranges, range_tags

K8S_CONFIG_TAG = "dagster-k8s/config"
ROUTE_TAG = "dataforge/route"  # "gpu" or "cpu"; the QueuedRunCoordinator caps concurrent "gpu" runs
GPU_RESOURCE = "nvidia.com/gpu"
MIB = 1024 * 1024


def _pairs(text: str) -> dict[str, str]:
    """``"a=b,c=d"`` -> ``{"a": "b", "c": "d"}`` (node selectors from one environment variable)."""
    pairs = (item.split("=", 1) for item in text.split(",") if "=" in item)
    return {key.strip(): value.strip() for key, value in pairs if key.strip()}


@dataclass(frozen=True)
class RoutingPolicy:
    """Thresholds and pod shapes; every field can be set from the environment (``from_env``)."""

    heavy_bytes: int = 20 * MIB  # DATAFORGE_HEAVY_MB
    heavy_pages: int = 150  # DATAFORGE_HEAVY_PAGES
    gpu_batch_size: int = 1  # DATAFORGE_GPU_BATCH_SIZE: heavy documents per GPU run
    gpu_node_selector: Mapping[str, str] = field(default_factory=lambda: {"nvidia.com/gpu.present": "true"})
    gpu_memory: str = "16Gi"  # DATAFORGE_GPU_MEMORY
    gpu_cpu: str = "4"  # DATAFORGE_GPU_CPU
    gpu_image: str = ""  # DATAFORGE_GPU_IMAGE: a CUDA build of the image; empty = same image
    cpu_memory: str = "4Gi"  # DATAFORGE_CPU_MEMORY
    cpu_cpu: str = "1"  # DATAFORGE_CPU_CPU
    page_count_timeout_s: float = 5.0  # DATAFORGE_PAGE_COUNT_TIMEOUT_S: sandboxed page count, per file
    page_count_memory_mb: int = 256  # DATAFORGE_PAGE_COUNT_MEMORY_MB

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RoutingPolicy:
        env = os.environ if env is None else env
        base = cls()

        def get(name: str, default: str) -> str:
            return env.get(name, "").strip() or default

        selector = env.get("DATAFORGE_GPU_NODE_SELECTOR", "").strip()
        return cls(
            heavy_bytes=int(float(get("DATAFORGE_HEAVY_MB", str(base.heavy_bytes / MIB))) * MIB),
            heavy_pages=int(get("DATAFORGE_HEAVY_PAGES", str(base.heavy_pages))),
            gpu_batch_size=max(1, int(get("DATAFORGE_GPU_BATCH_SIZE", str(base.gpu_batch_size)))),
            gpu_node_selector=_pairs(selector) if selector else dict(base.gpu_node_selector),
            gpu_memory=get("DATAFORGE_GPU_MEMORY", base.gpu_memory),
            gpu_cpu=get("DATAFORGE_GPU_CPU", base.gpu_cpu),
            gpu_image=get("DATAFORGE_GPU_IMAGE", base.gpu_image),
            cpu_memory=get("DATAFORGE_CPU_MEMORY", base.cpu_memory),
            cpu_cpu=get("DATAFORGE_CPU_CPU", base.cpu_cpu),
            page_count_timeout_s=float(get("DATAFORGE_PAGE_COUNT_TIMEOUT_S", str(base.page_count_timeout_s))),
            page_count_memory_mb=int(get("DATAFORGE_PAGE_COUNT_MEMORY_MB", str(base.page_count_memory_mb))),
        )


_DOCX_PAGES = re.compile(rb"<(?:\w+:)?Pages>(\d+)</(?:\w+:)?Pages>")


def page_count(data: bytes, file_name: str) -> int | None:
    """Pages of a PDF (from its page tree, nothing rendered) or a DOCX (as Word last saved it).

    None when the format has no pages or the file cannot be read; size alone decides then,
    and the pipeline quarantines what is broken.
    """
    name = file_name.lower()
    if name.endswith(".pdf") or data[:5] == b"%PDF-":
        try:
            import pypdfium2 as pdfium

            document = pdfium.PdfDocument(data)
            try:
                return len(document)
            finally:
                document.close()
        except Exception:  # noqa: BLE001 - unreadable PDFs are the extractor's business
            return None
    if name.endswith(".docx"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                match = _DOCX_PAGES.search(archive.read("docProps/app.xml"))
            return int(match.group(1)) if match else None
        except (KeyError, zipfile.BadZipFile, ValueError):
            return None
    return None


def safe_page_count(data: bytes, file_name: str, policy: RoutingPolicy) -> tuple[int | None, str]:
    """``page_count`` in the extraction sandbox (forked child, wall-clock and memory caps), so
    an upload that hangs or crashes PDFium, or a DOCX zip bomb, costs one routing decision and
    never the sensor daemon. Returns (pages or None, why it is None: "" or the sandbox's reason);
    without pages, size alone routes the document and extraction quarantines what is broken."""
    from dataforge.lib.extract._base import ExtractionError
    from dataforge.lib.sandbox import run_limited

    name = file_name.lower()
    if not (name.endswith((".pdf", ".docx")) or data[:5] == b"%PDF-"):
        return None, ""  # nothing to parse: no pages
    try:
        pages = run_limited(
            page_count,
            data,
            file_name,
            timeout_s=policy.page_count_timeout_s,
            max_memory_mb=policy.page_count_memory_mb,
            what="page count",
        )
    except ExtractionError as error:
        return None, f"{error.reason}: {error.message}"
    except Exception as error:  # noqa: BLE001 - whatever the parser raised, the tick goes on
        return None, f"{type(error).__name__}: {error}"
    return pages, ""


def heavy_reason(size: int, pages: int | None, policy: RoutingPolicy) -> str:
    """Why a document needs a GPU pod, or "" when it does not."""
    if size > policy.heavy_bytes:
        return f"{size} bytes > {policy.heavy_bytes}"
    if pages is not None and pages > policy.heavy_pages:
        return f"{pages} pages > {policy.heavy_pages}"
    return ""


def k8s_config(heavy: bool, policy: RoutingPolicy) -> dict[str, Any]:
    """The ``dagster-k8s/config`` value: resources, and for GPU runs node selector, toleration, env."""
    if not heavy:
        return {
            "container_config": {
                "resources": {
                    "requests": {"cpu": policy.cpu_cpu, "memory": policy.cpu_memory},
                    "limits": {"memory": policy.cpu_memory},
                }
            }
        }
    container: dict[str, Any] = {
        "resources": {
            "requests": {"cpu": policy.gpu_cpu, "memory": policy.gpu_memory, GPU_RESOURCE: "1"},
            "limits": {"memory": policy.gpu_memory, GPU_RESOURCE: "1"},
        },
        "env": [{"name": "DATAFORGE_SPACY_GPU", "value": "1"}],
    }
    if policy.gpu_image:
        container["image"] = policy.gpu_image
    return {
        "container_config": container,
        "pod_spec_config": {
            "node_selector": dict(policy.gpu_node_selector),
            "tolerations": [{"key": GPU_RESOURCE, "operator": "Exists", "effect": "NoSchedule"}],
        },
    }


def route_tags(heavy: bool, policy: RoutingPolicy) -> dict[str, str]:
    return {K8S_CONFIG_TAG: json.dumps(k8s_config(heavy, policy), sort_keys=True), ROUTE_TAG: "gpu" if heavy else "cpu"}


@dataclass(frozen=True)
class RunPlan:
    """One run to request: a contiguous range of new partitions and its tags."""

    first: str
    last: str
    count: int
    heavy: bool
    tags: dict[str, str]


def plan_runs(routes: Mapping[str, bool], batch_size: int, policy: RoutingPolicy) -> tuple[list[str], list[RunPlan]]:
    """Order to add the new partitions in, and the runs over them.

    Light documents are added first and heavy ones after, so each kind forms a contiguous
    block in the partition order and a partition range never mixes CPU and GPU work.
    """
    light = [doc for doc, heavy in routes.items() if not heavy]
    heavy = [doc for doc, is_heavy in routes.items() if is_heavy]
    plans: list[RunPlan] = []
    for keys, is_heavy, size in ((light, False, batch_size), (heavy, True, policy.gpu_batch_size)):
        tags = route_tags(is_heavy, policy)
        for first, last, count in batch_ranges(keys, size):
            run_tags = dict(tags) if count == 1 else {**tags, **range_tags(first, last)}
            plans.append(RunPlan(first, last, count, is_heavy, run_tags))
    return light + heavy, plans
