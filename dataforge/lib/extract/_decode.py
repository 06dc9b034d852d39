"""Bytes-to-str decoding for the text formats (TXT, Markdown, HTML).

Inputs come from anywhere (Windows editors, old web pages, UTF-16 exports), so the
encoding is guessed in a fixed order: BOM, declared charset, strict UTF-8, then
charset_normalizer. Binary data must be refused, not decoded into mojibake that would
poison a training set.
"""

from __future__ import annotations

import codecs
from typing import Any

import charset_normalizer

from dataforge.lib.extract._base import ExtractionError

__all__ = ["bom_encoding", "decode_text", "looks_binary"]

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG: pages declaring latin-1 or ASCII are decoded as windows-1252 by browsers.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
}

_MIN_PRINTABLE_RATIO = 0.95
_CHAOS_MARGIN = 0.1
_PREFERRED = ("utf_8", "cp1252", "iso8859_15", "latin_1")


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """Return (codec, BOM length) when ``data`` starts with a Unicode BOM."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 of mostly-ASCII text: NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) // 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nuls > 0.6 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.6 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _printable_ratio(text: str) -> float:
    """Share of characters that are printable or ordinary whitespace."""
    sample = text[:20000]
    if not sample:
        return 1.0
    good = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t\x0c")
    return good / len(sample)


def looks_binary(text: str) -> bool:
    """True when decoded text is mostly control characters, i.e. not really text."""
    return "\x00" in text or _printable_ratio(text) < _MIN_PRINTABLE_RATIO


def _normalise_codec(name: str | None) -> str | None:
    """Map a declared charset to a Python codec name, None when unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to str and return (text, codec name).

    Raises ExtractionError('corrupt') for binary data, which is what a binary file
    with a text extension usually is.
    """
    candidates: list[str] = []
    bom = bom_encoding(data)
    if bom is not None:
        candidates.append(bom[0])
        data = data[bom[1] :]
    elif b"\x00" in data[:4096]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ExtractionError("corrupt", "binary data (NUL bytes) in a text document")
        candidates.append(utf16)
    declared_codec = _normalise_codec(declared)
    if declared_codec:
        candidates.append(declared_codec)
    candidates.append("utf-8")
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return _check_text(text), codec
    best = _guess(data)
    if best is None:
        raise ExtractionError("corrupt", "binary data: no text encoding fits the bytes")
    return _check_text(str(best)), best.encoding


def _guess(data: bytes) -> Any:
    """charset_normalizer's guess, nudged towards windows-1252 on a tie.

    On short Western European text several single-byte code pages decode with equal
    scores and the first (e.g. Baltic cp1257) is returned; windows-1252 is by far the
    most common legacy encoding, so among equally plausible candidates it wins.
    """
    results = list(charset_normalizer.from_bytes(data))
    if not results:
        return None
    best = results[0]
    close = [r for r in results if r.chaos <= best.chaos + _CHAOS_MARGIN]
    top = max(r.coherence for r in close)
    tied = [r for r in close if r.coherence >= top - 0.01]
    for preferred in _PREFERRED:
        for result in tied:
            if result.encoding == preferred:
                return result
    return tied[0]


def _check_text(text: str) -> str:
    """Refuse decoded text that is mostly control characters."""
    if looks_binary(text):
        raise ExtractionError("corrupt", "binary data: too many control characters for a text document")
    return text
