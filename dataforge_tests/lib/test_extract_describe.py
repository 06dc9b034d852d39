"""Document statistics: language per document and per block, readability, sentiment, authors."""

from __future__ import annotations

import pytest

from dataforge.lib.extract import extract_bytes
from dataforge.lib.extract.describe import describe_text, flesch_kincaid, sentiment, split_authors
from dataforge.lib.language import language_at, language_profile

ENGLISH = (
    "The river rises in the northern hills and flows south through farmland. Farmers along its banks "
    "grow wheat, barley and apples, and the town market sells their produce every Saturday morning. "
) * 3
SPANISH = (
    "El río nace en las colinas del norte y fluye hacia el sur a través de tierras de cultivo. Los "
    "agricultores de sus orillas cultivan trigo, cebada y manzanas, y el mercado vende sus productos. "
) * 3


def test_language_spans_follow_paragraph_blocks() -> None:
    text = f"{ENGLISH}\n\n{SPANISH}\n\n{ENGLISH}"
    language, confidence, spans = language_profile(text)
    assert language == "en"
    assert 0.5 < confidence < 1
    assert [s["language"] for s in spans] == ["en", "es", "en"]
    assert spans[0]["start"] == 0 and spans[-1]["end"] == len(text)
    middle = text.index(SPANISH)
    assert language_at(spans, middle + 10, middle + 200) == "es"
    assert language_at(spans, 0, 50) == "en"
    assert language_at([], 0, 10) == "und"


def test_non_english_document_is_described_without_english_only_scores() -> None:
    doc = extract_bytes(SPANISH.encode(), "notas.txt")
    assert doc.metadata["language"] == "es"
    assert doc.metadata["readability"] is None and doc.metadata["sentiment"] is None
    assert "English-only" in doc.metadata["describe_skipped"]


def test_flesch_kincaid_orders_simple_and_hard_text() -> None:
    simple = flesch_kincaid("The cat sat on the mat. The dog ran to the cat. It was fun. " * 3)
    hard = flesch_kincaid(
        "Notwithstanding considerable institutional heterogeneity, comparative constitutional "
        "jurisprudence demonstrates remarkable interpretative convergence regarding proportionality. " * 3
    )
    assert simple is not None and hard is not None
    assert simple["flesch_kincaid_grade"] < 2 < 15 < hard["flesch_kincaid_grade"]
    assert simple["flesch_reading_ease"] > 90 > hard["flesch_reading_ease"]
    assert flesch_kincaid("Too short.") is None


def test_sentiment_sign_follows_the_lexicon() -> None:
    good = sentiment("What a wonderful, happy day. I love this beautiful garden. Great work!")
    bad = sentiment("This is a terrible, awful disaster. I hate it. The service was horrible.")
    assert good is not None and bad is not None
    assert good["compound"] > 0.5 and good["positive_share"] == 1.0
    assert bad["compound"] < -0.5 and bad["negative_share"] == 1.0


def test_describe_text_keys() -> None:
    meta = describe_text(ENGLISH)
    assert meta["language"] == "en" and meta["language_confidence"] > 0.9
    assert set(meta["readability"]) == {"flesch_kincaid_grade", "flesch_reading_ease"}
    assert -1 <= meta["sentiment"]["compound"] <= 1


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Ada Lovelace; Grace Hopper", ["Ada Lovelace", "Grace Hopper"]),
        ("Ada Lovelace and Grace Hopper", ["Ada Lovelace", "Grace Hopper"]),
        ("Ada Lovelace, Grace Hopper", ["Ada Lovelace", "Grace Hopper"]),
        ("Lovelace, Ada", ["Lovelace, Ada"]),
        ("  ", []),
        (None, []),
    ],
)
def test_split_authors(author: str | None, expected: list[str]) -> None:
    assert split_authors(author) == expected
