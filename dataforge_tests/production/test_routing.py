"""Heavy-document routing: thresholds, page counts, run plans and the tags they carry."""

from __future__ import annotations

import io
import json
import zipfile

from dataforge.lib.routing import (
    K8S_CONFIG_TAG,
    MIB,
    ROUTE_TAG,
    RoutingPolicy,
    heavy_reason,
    page_count,
    plan_runs,
)
from dataforge.lib.runs import RANGE_END_TAG, RANGE_START_TAG
from dataforge_tests.lib._builders import make_pdf


def docx_with_pages(pages: int | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        if pages is not None:
            archive.writestr("docProps/app.xml", f"<Properties><Pages>{pages}</Pages></Properties>")
    return buffer.getvalue()


def test_page_count_reads_pdf_page_trees_and_docx_properties() -> None:
    assert page_count(make_pdf(["one", "two", "three"]), "report.pdf") == 3
    assert page_count(docx_with_pages(212), "minutes.docx") == 212
    assert page_count(docx_with_pages(None), "minutes.docx") is None
    assert page_count(b"%PDF-1.7 truncated", "broken.pdf") is None
    assert page_count(b"plain text", "notes.txt") is None


def test_heavy_by_size_or_pages() -> None:
    policy = RoutingPolicy(heavy_bytes=1000, heavy_pages=10)
    assert heavy_reason(999, 10, policy) == ""
    assert heavy_reason(1001, None, policy).startswith("1001 bytes")
    assert heavy_reason(10, 11, policy) == "11 pages > 10"


def test_policy_from_environment() -> None:
    policy = RoutingPolicy.from_env(
        {
            "DATAFORGE_HEAVY_MB": "0.5",
            "DATAFORGE_HEAVY_PAGES": "40",
            "DATAFORGE_GPU_NODE_SELECTOR": "pool=gpu, cloud.google.com/gke-accelerator=nvidia-l4",
            "DATAFORGE_GPU_IMAGE": "registry/dataforge:gpu",
        }
    )
    assert policy.heavy_bytes == MIB // 2 and policy.heavy_pages == 40
    assert policy.gpu_node_selector == {"pool": "gpu", "cloud.google.com/gke-accelerator": "nvidia-l4"}
    assert RoutingPolicy.from_env({}) == RoutingPolicy()


def test_plan_batches_light_documents_and_sends_heavy_ones_alone_to_gpu() -> None:
    routes = {"a-1": False, "big-2": True, "b-3": False, "c-4": False, "scan-5": True}
    order, plans = plan_runs(routes, batch_size=2, policy=RoutingPolicy(gpu_image="registry/dataforge:gpu"))
    assert order == ["a-1", "b-3", "c-4", "big-2", "scan-5"]  # each kind contiguous
    assert [(p.first, p.last, p.count, p.heavy) for p in plans] == [
        ("a-1", "b-3", 2, False),
        ("c-4", "c-4", 1, False),
        ("big-2", "big-2", 1, True),
        ("scan-5", "scan-5", 1, True),
    ]
    batch = plans[0].tags
    assert (batch[RANGE_START_TAG], batch[RANGE_END_TAG], batch[ROUTE_TAG]) == ("a-1", "b-3", "cpu")
    assert RANGE_START_TAG not in plans[1].tags  # a single partition is requested by key
    cpu = json.loads(batch[K8S_CONFIG_TAG])
    assert "nvidia.com/gpu" not in json.dumps(cpu) and cpu["container_config"]["resources"]["requests"]["cpu"]
    gpu = json.loads(plans[2].tags[K8S_CONFIG_TAG])
    assert plans[2].tags[ROUTE_TAG] == "gpu"
    assert gpu["container_config"]["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert gpu["container_config"]["image"] == "registry/dataforge:gpu"
    assert {"name": "DATAFORGE_SPACY_GPU", "value": "1"} in gpu["container_config"]["env"]
    assert gpu["pod_spec_config"]["node_selector"] == {"nvidia.com/gpu.present": "true"}
    assert gpu["pod_spec_config"]["tolerations"][0]["key"] == "nvidia.com/gpu"
