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
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < 20:
        return "und", 0.0
    language, probability = _identifier().classify(sample)
    return language, round(float(probability), 4)
