"""The sandbox really stops a stuck, greedy or crashing parser, and passes results through."""

from __future__ import annotations

import ctypes
import os
import time

import pytest

from dataforge.lib.extract import ExtractionError
from dataforge.lib.sandbox import run_limited

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork (Linux/macOS)")


def _spin() -> None:
    while True:
        pass


def _eat() -> None:
    hoard = []
    while True:
        hoard.append(bytearray(10 * 1024 * 1024))


def _segfault() -> None:
    ctypes.string_at(0)


def _abort() -> None:
    os.abort()


def _refuse() -> None:
    raise ExtractionError("encrypted", "a password is needed")


def _bug() -> None:
    raise KeyError("no such part")


def _children() -> set[int]:
    """Live child pids of this process (all threads)."""
    pids: set[int] = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as handle:
            pids.update(int(p) for p in handle.read().split())
    return pids


def test_result_and_exceptions_pass_through() -> None:
    assert run_limited(sum, [1, 2, 3], timeout_s=10) == 6
    assert run_limited(lambda: "x" * 5_000_000, timeout_s=10) == "x" * 5_000_000  # larger than a pipe buffer
    with pytest.raises(ExtractionError) as refused:
        run_limited(_refuse, timeout_s=10)
    assert refused.value.reason == "encrypted"
    with pytest.raises(KeyError):
        run_limited(_bug, timeout_s=10)


def test_a_stuck_parser_is_killed_at_the_deadline() -> None:
    before = _children() if os.path.isdir("/proc/self/task") else set()
    started = time.monotonic()
    with pytest.raises(ExtractionError) as error:
        run_limited(_spin, timeout_s=1.0)
    elapsed = time.monotonic() - started
    assert error.value.reason == "timeout"
    assert elapsed < 10, elapsed  # generous: 1 s deadline plus the kill
    if os.path.isdir("/proc/self/task"):
        assert _children() <= before  # killed and reaped, no zombie left


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="the memory cap is relative to /proc VmSize")
def test_a_greedy_parser_hits_the_memory_cap() -> None:
    with pytest.raises(ExtractionError) as error:
        run_limited(_eat, timeout_s=30, max_memory_mb=256)
    assert error.value.reason == "resource_limit"


@pytest.mark.parametrize("crash", [_segfault, _abort])
def test_a_crashing_parser_costs_one_document(crash) -> None:  # noqa: ANN001
    with pytest.raises(ExtractionError) as error:
        run_limited(crash, timeout_s=10)
    assert error.value.reason == "parser_crashed"
    assert run_limited(sum, [1], timeout_s=10) == 1  # this process is fine
