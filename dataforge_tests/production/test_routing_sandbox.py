"""The sensor's page count runs in the sandbox: a hostile upload costs one routing decision,
never the daemon's tick."""

import os
import signal
import time

import pytest

from dataforge.lib import routing
from dataforge.lib.routing import RoutingPolicy, heavy_reason, safe_page_count
from dataforge_tests.reliability import hostile

POLICY = RoutingPolicy(page_count_timeout_s=2.0, page_count_memory_mb=128, heavy_pages=3)


def test_a_good_pdf_is_counted_in_the_sandbox() -> None:
    pages, why = safe_page_count(hostile.pdf(5), "report.pdf", POLICY)
    assert (pages, why) == (5, "") and heavy_reason(1000, pages, POLICY)


@pytest.mark.parametrize("data", [hostile.truncated_pdf(), hostile.corrupt_pdf()])
def test_broken_uploads_route_by_size(data: bytes) -> None:
    pages, _ = safe_page_count(data, "broken.pdf", POLICY)
    assert pages is None and heavy_reason(len(data), pages, POLICY) == ""


def test_a_zip_bomb_is_read_only_for_its_properties() -> None:
    """docProps/app.xml is small; the inflating member is never opened (and the cap holds)."""
    assert safe_page_count(hostile.docx_zip_bomb(50), "bomb.docx", POLICY) == (1, "")


def _segfault(data: bytes, name: str) -> int:
    os.kill(os.getpid(), signal.SIGSEGV)
    return 1


def _hang(data: bytes, name: str) -> int:
    time.sleep(60)
    return 1


def _allocate(data: bytes, name: str) -> int:
    return len(bytearray(1 << 30))


@pytest.mark.parametrize(
    ("parser", "reason"), [(_segfault, "parser_crashed"), (_hang, "timeout"), (_allocate, "resource_limit")]
)
def test_a_parser_that_crashes_hangs_or_balloons_does_not_break_the_caller(monkeypatch, parser, reason) -> None:
    """What PDFium does on a hostile PDF, simulated: the caller (the sensor tick) carries on."""
    monkeypatch.setattr(routing, "page_count", parser)
    started = time.monotonic()
    pages, why = safe_page_count(hostile.pdf(2), "hostile.pdf", POLICY)
    assert pages is None and why.startswith(reason)
    assert time.monotonic() - started < POLICY.page_count_timeout_s + 3


def test_text_files_are_not_parsed_at_all(monkeypatch) -> None:
    monkeypatch.setattr(routing, "page_count", _segfault)
    assert safe_page_count(b"plain notes", "notes.txt", POLICY) == (None, "")
