"""The GPU pod's start-up check: loud failure without CUDA, a plain exec everywhere else."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dataforge.lib.gpu_check import EXIT_NO_GPU, Probe, check, problems

GPU_ENV = {"DATAFORGE_SPACY_GPU": "1"}  # what the routing tags put on a GPU run


def run_module(env_extra: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATAFORGE_REQUIRE_GPU", "DATAFORGE_SPACY_GPU")}
    return subprocess.run(
        [sys.executable, "-m", "dataforge.lib.gpu_check", "--", *command],
        env={**env, **env_extra},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gpu_run_without_cuda_fails_before_the_command_and_says_what_is_missing() -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a usable GPU: the failure path needs one without")
    result = run_module(GPU_ENV, sys.executable, "-c", "print('RUN STARTED')")
    assert result.returncode == EXIT_NO_GPU
    assert "RUN STARTED" not in result.stdout  # the run never starts on the CPU
    assert "dataforge GPU check failed" in result.stderr
    if torch.version.cuda is None:
        assert f"torch {torch.__version__} is a CPU build" in result.stderr
        assert "VARIANT=gpu" in result.stderr
    if not any(name[6:].isdigit() for name in os.listdir("/dev") if name.startswith("nvidia")):
        assert "no /dev/nvidia<N> device" in result.stderr and "nvidia.com/gpu" in result.stderr


def test_cpu_pods_and_the_code_server_just_run_their_command() -> None:
    result = run_module({}, sys.executable, "-c", "print('RUN STARTED')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RUN STARTED" and result.stderr == ""


def _probe(**overrides: object) -> Probe:
    base = dict(
        torch_version="2.13.0+cu128",
        torch_cuda="12.8",
        cuda_available=True,
        device_count=1,
        device_files=("/dev/nvidia0",),
        cupy=True,
        devices=("NVIDIA L4",),
    )
    return Probe(**{**base, **overrides})  # type: ignore[arg-type]


def test_cuda_build_with_a_device_passes_and_names_it() -> None:
    status, message = check(GPU_ENV, lambda: _probe())
    assert status == 0 and "1 GPU(s) NVIDIA L4" in message


def test_each_missing_piece_is_named() -> None:
    no_device = problems(_probe(cuda_available=False, device_count=0, device_files=()), GPU_ENV)
    assert any("no /dev/nvidia<N>" in p for p in no_device)
    assert any("torch.cuda.is_available() is False" in p for p in no_device)
    assert problems(_probe(cupy=False), GPU_ENV) == [
        "DATAFORGE_SPACY_GPU=1 but CuPy does not import: spaCy would run on the CPU"
    ]
    assert problems(_probe(cupy=False), {"DATAFORGE_REQUIRE_GPU": "1"}) == []  # CuPy only for spaCy
    broken = problems(_probe(cuda_error="RuntimeError: CUDA driver version is insufficient"), GPU_ENV)
    assert broken == ["a CUDA operation failed: RuntimeError: CUDA driver version is insufficient"]


def test_no_probe_at_all_when_no_gpu_is_required() -> None:
    def boom() -> Probe:
        raise AssertionError("probed")

    assert check({"DATAFORGE_SPACY_GPU": "0"}, boom) == (0, "")
