"""OCR of page images with the Tesseract command-line program (Debian ``tesseract-ocr``).

The binary is called directly (no Python wrapper): one subprocess per page, the image on
stdin as PNM and TSV on stdout, which carries a confidence for every word. Without the
binary or its language data the caller gets ExtractionError('ocr_unavailable') naming the
package to install, so a scanned page is quarantined rather than silently empty.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dataforge.lib.extract._base import ExtractionError

__all__ = ["OcrResult", "available_languages", "ocr_image", "resolve_languages", "tesseract_version"]

INSTALL_HINT = "install tesseract-ocr (Debian: apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-ara)"
# Tesseract reads 300 dpi best; bigger renders only cost time, so the long side is capped.
MAX_SIDE_PX = 5000


@dataclass
class OcrResult:
    """Recognised text (lines and paragraphs kept) and mean word confidence (0-100)."""

    text: str
    confidence: float | None
    words: int


def _binary() -> str | None:
    return shutil.which(os.environ.get("DATAFORGE_TESSERACT", "tesseract"))


@lru_cache(maxsize=4)
def _languages(binary: str) -> frozenset[str]:
    try:
        out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (out.stdout + "\n" + out.stderr).splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and " " not in line.strip())


def available_languages() -> frozenset[str]:
    """Tesseract language packs installed here (empty when Tesseract is missing)."""
    binary = _binary()
    return _languages(binary) if binary else frozenset()


@lru_cache(maxsize=4)
def _version(binary: str) -> str:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return "tesseract"
    first = (out.stdout or out.stderr).splitlines()
    return first[0].strip() if first else "tesseract"


def tesseract_version() -> str | None:
    binary = _binary()
    return _version(binary) if binary else None


def resolve_languages(wanted: str) -> str:
    """The installed subset of ``wanted`` ('eng+ara'), or ExtractionError naming the package."""
    binary = _binary()
    if binary is None:
        raise ExtractionError("ocr_unavailable", f"{INSTALL_HINT}: a page has no text layer and needs OCR")
    installed = _languages(binary)
    langs = [lang for lang in wanted.split("+") if lang in installed]
    if not langs:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in wanted.split("+"))
        raise ExtractionError("ocr_unavailable", f"install {packages}: a page needs OCR, no language data for {wanted}")
    return "+".join(langs)


def _pnm(image: Any) -> bytes:
    """Uncompressed PGM/PPM bytes: the cheapest format for Tesseract to read from stdin."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    width, height = image.size
    if max(width, height) > MAX_SIDE_PX:
        scale = MAX_SIDE_PX / max(width, height)
        image = image.resize((max(1, int(width * scale)), max(1, int(height * scale))))
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
    return buffer.getvalue()


def _parse_tsv(tsv: str) -> OcrResult:
    """Words (level 5 rows) grouped into lines and paragraphs; length-weighted confidence."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    weighted = 0.0
    letters = 0
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        if not word or conf < 0:
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        lines.setdefault(key, []).append(word)
        weighted += conf * len(word)
        letters += len(word)
    paragraphs: list[list[str]] = []
    previous = None
    for (block, par, _line), words in lines.items():
        if (block, par) != previous:
            paragraphs.append([])
            previous = (block, par)
        paragraphs[-1].append(" ".join(words))
    text = "\n\n".join("\n".join(p) for p in paragraphs)
    n_words = sum(len(w) for w in lines.values())
    confidence = round(weighted / letters, 2) if letters else None
    return OcrResult(text=text, confidence=confidence, words=n_words)


def ocr_image(image: Any, languages: str = "eng", timeout_s: float = 120) -> OcrResult:
    """Recognise text in a PIL image; ExtractionError 'ocr_unavailable' or 'ocr_failed'."""
    langs = resolve_languages(languages)
    binary = _binary()
    assert binary is not None  # resolve_languages raised otherwise
    # One thread per Tesseract: parallelism comes from the pipeline, and OpenMP threads
    # oversubscribe small machines.
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        out = subprocess.run(
            [binary, "stdin", "stdout", "-l", langs, "--psm", "3", "tsv"],
            input=_pnm(image),
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError("ocr_failed", f"tesseract took longer than {timeout_s} s on a page") from exc
    except OSError as exc:
        raise ExtractionError("ocr_unavailable", f"cannot run tesseract ({exc}): {INSTALL_HINT}") from exc
    if out.returncode != 0:
        detail = out.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ExtractionError("ocr_failed", f"tesseract exited with {out.returncode}: {detail}")
    return _parse_tsv(out.stdout.decode("utf-8", "replace"))
