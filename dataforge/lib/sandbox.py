"""Run a document parser in a forked child with a wall-clock timeout, a memory cap and a CPU cap.

A parser stuck in a loop, allocating without bound or crashing in C (PDFium, libxml2) must cost
one document, not the batch or the worker. The child is forked, so modules and models already
loaded in the parent are shared copy-on-write and nothing is re-imported per document.

- Wall clock: the parent waits ``timeout_s``; then the child gets SIGKILL, which a parser cannot
  catch or ignore (reason 'timeout').
- Memory: RLIMIT_AS is set to the child's address space at fork *plus* ``max_memory_mb``; the
  parent may already map gigabytes (torch, spaCy), so an absolute cap would fail at once. An
  allocation past it raises MemoryError in Python or kills a C parser (reason 'resource_limit').
- CPU: RLIMIT_CPU (twice the timeout, threads included) backs up the wall clock.
- A child that dies from a signal (SIGSEGV, SIGABRT) or exits without a result: 'parser_crashed'.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from dataforge.lib.extract._base import ExtractionError

__all__ = ["available", "extract_limited", "run_limited"]

T = TypeVar("T")
_CHUNK = 1 << 20


def available() -> bool:
    """Fork and resource limits exist (Linux, macOS); elsewhere parsers run in process."""
    return hasattr(os, "fork") and hasattr(resource, "RLIMIT_AS")


def _address_space_bytes() -> int:
    """Current virtual size of this process (VmSize), 0 when /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(write_fd: int, fn: Callable[..., Any], args: tuple[Any, ...], max_memory_mb: int, cpu_s: int) -> None:
    """Set limits, run ``fn``, send ('ok', result) or ('error', exception) and exit hard."""
    status = 0
    try:
        faulthandler.disable()  # a parser's segfault is reported by the parent, not dumped here
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if max_memory_mb > 0:
            limit = _address_space_bytes() + max_memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if cpu_s > 0:
            used = int(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]))
            resource.setrlimit(resource.RLIMIT_CPU, (used + cpu_s, used + cpu_s + 5))
        try:
            payload = ("ok", fn(*args))
        except MemoryError:
            payload = ("error", ExtractionError("resource_limit", f"parser exceeded the {max_memory_mb} MB memory cap"))
        except BaseException as exc:  # sent back and re-raised in the parent
            payload = ("error", exc)
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an unpicklable exception still reports something useful
            text = f"{type(payload[1]).__name__}: {payload[1]}" if payload[0] == "error" else repr(exc)
            data = pickle.dumps(("error", RuntimeError(text)))
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view[:_CHUNK]) :]
    except MemoryError:
        status = 3  # no memory left even to report: the parent maps this to resource_limit
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        os._exit(status)


def _read_all(read_fd: int, deadline: float) -> bytes | None:
    """Read the child's answer until EOF; None when the deadline passes first."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([read_fd], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(read_fd, _CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def run_limited(
    fn: Callable[..., T],
    *args: Any,
    timeout_s: float,
    max_memory_mb: int = 0,
    what: str = "parser",
) -> T:
    """``fn(*args)`` in a forked child under the limits; its exception is re-raised here.

    ``timeout_s`` <= 0 or no fork on this platform: run in process, without limits.
    Failures of the child itself become ExtractionError 'timeout', 'resource_limit' or
    'parser_crashed'. ``fn`` and its arguments reach the child by fork (no pickling); the
    result and exceptions come back pickled.
    """
    if timeout_s <= 0 or not available():
        return fn(*args)
    cpu_s = max(1, int(timeout_s * 2))
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        _child(write_fd, fn, args, max_memory_mb, cpu_s)
    os.close(write_fd)
    started = time.monotonic()
    try:
        data = _read_all(read_fd, started + timeout_s)
    except BaseException:  # interrupted (Ctrl-C, run cancelled): never leave the child behind
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    if data is None:
        _kill(pid)
        raise ExtractionError("timeout", f"{what} still running after {timeout_s:g} s; killed")
    _, status = os.waitpid(pid, 0)
    if data:
        kind, value = pickle.loads(data)
        if kind == "ok":
            return value
        raise value
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGXCPU, signal.SIGKILL):
            raise ExtractionError("resource_limit", f"{what} killed by {signal.Signals(sig).name} (CPU or memory cap)")
        raise ExtractionError("parser_crashed", f"{what} died from {signal.Signals(sig).name}")
    code = os.WEXITSTATUS(status)
    if code == 3:
        raise ExtractionError("resource_limit", f"{what} exceeded the {max_memory_mb} MB memory cap")
    raise ExtractionError("parser_crashed", f"{what} exited with status {code} without a result")


def extract_limited(data: bytes, filename: str, config: Any, describe: bool = True) -> Any:
    """extract_bytes with the parser under ExtractConfig.timeout_s / max_memory_mb.

    The format module is imported here first, so every forked child shares it; language,
    readability and sentiment (describe_text) run in this process, where their models stay
    loaded between documents.
    """
    import importlib

    from dataforge.lib import extract

    media_type = extract.detect_media_type(data, filename) if data else None
    if media_type is not None:
        importlib.import_module(extract._EXTRACTORS[media_type][0])
    document = run_limited(
        extract.extract_bytes,
        data,
        filename,
        config,
        False,
        timeout_s=config.timeout_s,
        max_memory_mb=config.max_memory_mb,
        what=f"{media_type or 'document'} parser",
    )
    if describe:
        from dataforge.lib.extract.describe import describe_text

        document.metadata.update(describe_text(document.text))
    return document
