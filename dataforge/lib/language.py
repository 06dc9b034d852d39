"""Language identification with py3langid, whose model ships inside the package."""

from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 20000


@lru_cache(maxsize=1)
def _identifier():  # noqa: ANN202 - third-party object
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise RuntimeError("language identification needs 'py3langid': pip install py3langid") from error
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language, or 'und' when there is too little text to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < 20:
        return "und"
    language, _ = _identifier().classify(sample)
    return language


def detect_language_with_confidence(text: str) -> tuple[str, float]:
    """Like detect_language, with the normalised probability of the answer."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < 20:
        return "und", 0.0
    language, probability = _identifier().classify(sample)
    return language, round(float(probability), 4)


# Blocks shorter than this are merged with the next before classification: py3langid is
# unreliable on a line or two.
_MIN_BLOCK_CHARS = 400


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph-aligned (start, end) blocks of at least _MIN_BLOCK_CHARS characters."""
    blocks: list[tuple[int, int]] = []
    start = 0
    pos = 0
    while pos < len(text):
        brk = text.find("\n\n", pos)
        end = len(text) if brk < 0 else brk
        if end - start >= _MIN_BLOCK_CHARS or brk < 0:
            blocks.append((start, end))
            start = end
        pos = end + 2 if brk >= 0 else len(text)
    if len(blocks) > 1 and blocks[-1][1] - blocks[-1][0] < _MIN_BLOCK_CHARS:
        last = blocks.pop()
        blocks[-1] = (blocks[-1][0], last[1])
    return blocks


def _classify(text: str) -> tuple[str, float]:
    if sum(c.isalpha() for c in text[:SAMPLE_CHARS]) < 20:
        return "und", 0.0
    language, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return language, float(probability)


def language_profile(text: str) -> tuple[str, float, list[dict[str, int | str]]]:
    """Document language, its confidence and per-block spans, in one pass over the text.

    Spans are ``[{start, end, language}]`` with equal neighbours merged; a chunk's language
    is the one covering most of its characters (language_at), so mixed-language documents
    route each chunk by its own language. The document language covers most characters;
    its confidence is the character-weighted probability of the blocks in that language
    times the share of characters they cover.
    """
    spans: list[dict[str, int | str]] = []
    weight: dict[str, float] = {}
    chars: dict[str, int] = {}
    for start, end in _blocks(text):
        language, probability = _classify(text[start:end])
        size = end - start
        chars[language] = chars.get(language, 0) + size
        weight[language] = weight.get(language, 0.0) + probability * size
        if spans and spans[-1]["language"] == language:
            spans[-1]["end"] = end
        else:
            spans.append({"start": start, "end": end, "language": language})
    known = {k: v for k, v in chars.items() if k != "und"}
    if not known:
        return "und", 0.0, spans
    main = max(known, key=lambda k: known[k])
    total = sum(chars.values())
    confidence = (weight[main] / chars[main]) * (chars[main] / total)
    return main, round(confidence, 4), spans


def language_spans(text: str) -> list[dict[str, int | str]]:
    """Per-block language spans of ``text`` (see language_profile)."""
    return language_profile(text)[2]


def language_at(spans: list[dict[str, int | str]], start: int, end: int) -> str:
    """The language covering most of ``[start, end)`` according to ``language_spans``."""
    cover: dict[str, int] = {}
    for span in spans:
        overlap = min(end, int(span["end"])) - max(start, int(span["start"]))
        if overlap > 0:
            cover[str(span["language"])] = cover.get(str(span["language"]), 0) + overlap
    return max(cover, key=lambda k: cover[k]) if cover else "und"
