"""Bytes-to-str decoding for the text formats (TXT, Markdown, HTML).

Inputs come from anywhere (Windows editors, old web pages, UTF-16 exports), so the
encoding is guessed in a fixed order: BOM, declared charset, strict UTF-8, then
charset_normalizer. Binary data must be refused, not decoded into mojibake that would
poison a training set.
"""

from __future__ import annotations

import codecs
import re
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
_MAX_STRAY_NUL_RATIO = 0.001
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


# Control characters (C0 except tab/newlines/form feed, DEL, C1) and lone surrogates:
# what binary data decoded as text is full of.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _printable_ratio(text: str) -> float:
    """Share of characters that are not control characters (regex: fast on large text)."""
    sample = text[:20000]
    if not sample:
        return 1.0
    return 1 - len(_CONTROL_RE.findall(sample)) / len(sample)


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


def decode_text(data: bytes, declared: str | None = None, stray_nul_ok: bool = False) -> tuple[str, str]:
    """Decode ``data`` to str and return (text, codec name).

    Raises ExtractionError('corrupt') for binary data, which is what a binary file
    with a text extension usually is. ``stray_nul_ok`` (HTML) drops a few NUL bytes the
    way browsers do, instead of refusing the page.
    """
    candidates: list[str] = []
    bom = bom_encoding(data)
    if bom is not None:
        candidates.append(bom[0])
        data = data[bom[1] :]
    elif b"\x00" in data:
        utf16 = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
        if utf16 is not None:
            candidates.append(utf16)
        elif stray_nul_ok and data.count(0) <= max(8, len(data) * _MAX_STRAY_NUL_RATIO):
            data = data.replace(b"\x00", b"")
        elif b"\x00" in data[:4096]:
            raise ExtractionError("corrupt", "binary data (NUL bytes) in a text document")
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
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return _check_text(mostly_utf8), "utf-8"
    best = _guess(data)
    if best is None:
        raise ExtractionError("corrupt", "binary data: no text encoding fits the bytes")
    return _check_text(str(best)), best.encoding


# A well-formed multi-byte UTF-8 sequence (2 to 4 bytes).
_NON_ASCII_RE = re.compile(rb"[\x80-\xff]")
_UTF8_MULTIBYTE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252_for_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode each byte UTF-8 rejects as windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", errors="replace"), error.end


codecs.register_error("dataforge_cp1252", _cp1252_for_bad_bytes)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray legacy bytes (pasted cp1252), decoded byte by byte.

    Pages that declare UTF-8 and use it throughout but contain one latin-1 "ä" must not
    be decoded whole as a legacy code page, which would garble every other character.
    """
    sequences = _UTF8_MULTIBYTE_RE.findall(data)
    if len(sequences) < 10:
        return None
    non_ascii = len(_NON_ASCII_RE.findall(data))
    stray = non_ascii - sum(len(seq) for seq in sequences)
    if stray > len(sequences) / 5:
        return None
    return data.decode("utf-8", errors="dataforge_cp1252")


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
