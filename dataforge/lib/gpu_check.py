"""Fail a GPU pod at start, with a message naming what is missing, instead of running on CPU.

A run routed to a GPU node silently falls back to the CPU when the pod got the CPU image, no
``nvidia.com/gpu`` device or a driver that does not match the CUDA build: the document then
takes ten times longer and nothing says why. The image's entrypoint runs this module before
the real command (``python -m dataforge.lib.gpu_check -- dagster api execute_run ...``): when
the pod asks for a GPU (``DATAFORGE_REQUIRE_GPU=1``, or ``DATAFORGE_SPACY_GPU=1``, which the
routing tags set on GPU runs) and none is usable, it prints the reasons to stderr and exits
with status 3, so the Kubernetes Job fails and Dagster's run monitoring reports the pod log.
Without those variables it only ``exec``s the command (CPU pods, code server). Plain Python,
no Dagster import; torch is imported only when a GPU is required.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

EXIT_NO_GPU = 3
REQUIRE_VARS = ("DATAFORGE_REQUIRE_GPU", "DATAFORGE_SPACY_GPU")


@dataclass(frozen=True)
class Probe:
    """What the pod can see; gathered by ``probe()``, built by hand in tests."""

    torch_version: str | None  # None: torch not importable
    torch_cuda: str | None  # CUDA version torch was built for; None: a CPU build
    cuda_available: bool
    device_count: int
    device_files: tuple[str, ...]  # /dev/nvidia0, ... (what the device plugin mounted)
    cupy: bool  # spaCy's GPU path needs CuPy
    cuda_error: str = ""  # what a one-element CUDA operation raised, if it did
    devices: tuple[str, ...] = field(default_factory=tuple)


def gpu_required(env: Mapping[str, str]) -> bool:
    return any(env.get(name, "").strip().lower() in {"1", "true", "yes"} for name in REQUIRE_VARS)


def probe() -> Probe:
    """Look at the devices, torch and CuPy in this process."""
    device_files = tuple(sorted(p for p in glob.glob("/dev/nvidia*") if p[len("/dev/nvidia") :].isdigit()))
    try:
        import torch
    except ImportError:
        return Probe(None, None, False, 0, device_files, _has_cupy())
    available = bool(torch.cuda.is_available())
    count = int(torch.cuda.device_count()) if available else 0
    error = ""
    names: tuple[str, ...] = ()
    if available and count:
        try:
            (torch.ones(1, device="cuda") + 1).item()
            names = tuple(torch.cuda.get_device_name(i) for i in range(count))
        except Exception as exc:  # noqa: BLE001 - any CUDA failure is the finding itself
            error = f"{type(exc).__name__}: {exc}"
    return Probe(
        torch_version=str(torch.__version__),
        torch_cuda=torch.version.cuda,
        cuda_available=available,
        device_count=count,
        device_files=device_files,
        cupy=_has_cupy(),
        cuda_error=error,
        devices=names,
    )


def _has_cupy() -> bool:
    try:
        import cupy  # noqa: F401
    except Exception:  # noqa: BLE001 - ImportError, or CuPy failing to find CUDA libraries
        return False
    return True


def problems(p: Probe, env: Mapping[str, str]) -> list[str]:
    """Every reason this pod cannot do GPU work, each with the fix; empty when it can."""
    found: list[str] = []
    if p.torch_version is None:
        found.append("torch is not installed in this image")
    elif p.torch_cuda is None:
        found.append(
            f"torch {p.torch_version} is a CPU build: this pod runs the CPU image; set "
            "DATAFORGE_GPU_IMAGE to the image built with --build-arg VARIANT=gpu"
        )
    if not p.device_files:
        found.append(
            "no /dev/nvidia<N> device in the container: the pod was given no nvidia.com/gpu "
            "(check the resources.limits of the run pod and that the NVIDIA device plugin runs on the node)"
        )
    if p.torch_cuda is not None and not p.cuda_available:
        found.append(
            f"torch (CUDA {p.torch_cuda}) sees no usable GPU: torch.cuda.is_available() is False "
            "(driver missing or older than the CUDA build)"
        )
    if p.cuda_error:
        found.append(f"a CUDA operation failed: {p.cuda_error}")
    if env.get("DATAFORGE_SPACY_GPU", "").strip() == "1" and not p.cupy:
        found.append("DATAFORGE_SPACY_GPU=1 but CuPy does not import: spaCy would run on the CPU")
    return found


def check(env: Mapping[str, str], gather: Callable[[], Probe] = probe) -> tuple[int, str]:
    """(exit status, message): 0 when no GPU is required or one is usable."""
    if not gpu_required(env):
        return 0, ""
    p = gather()
    found = problems(p, env)
    if found:
        lines = "\n".join(f"  - {reason}" for reason in found)
        return EXIT_NO_GPU, f"dataforge GPU check failed: this run was routed to a GPU pod, but\n{lines}\n"
    return 0, f"dataforge GPU check: {p.device_count} GPU(s) {', '.join(p.devices)}; torch {p.torch_version}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dataforge.lib.gpu_check [-- command ...]``: check, then exec the command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--":
        args = args[1:]
    status, message = check(os.environ)
    if message:
        sys.stderr.write(message)
        sys.stderr.flush()
    if status or not args:
        return status
    os.execvp(args[0], args)
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
