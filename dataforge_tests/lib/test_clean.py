"""clean_text: the normalisation every extractor output goes through.

Offsets into cleaned text are stored everywhere downstream, so idempotency is tested
both on hand-picked cases and on a seeded random fuzz.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from dataforge.lib.clean import (
    clean_document,
    clean_text,
    drop_boilerplate_lines,
    is_boilerplate_line,
    repair_mojibake,
)


def test_empty_and_blank() -> None:
    assert clean_text("") == ""
    assert clean_text(" \n\t\n \r\n") == ""


def test_nfc_composes_combining_marks() -> None:
    out = clean_text("Cafe\u0301 re\u0301sume\u0301")
    assert out == "Café résumé"
    assert unicodedata.is_normalized("NFC", out)


def test_ligatures_expanded_but_other_compat_chars_kept() -> None:
    assert clean_text("\ufb01nance \ufb02ow e\ufb00ect o\ufb03ce") == "finance flow effect office"
    # NFKC is applied to ligatures only: superscripts and full-width forms survive.
    assert clean_text("x² \uff21\uff22 ½") == "x² \uff21\uff22 ½"


def test_control_characters_removed_except_newline_and_tab() -> None:
    assert clean_text("a\x00b\x07c\td\x1be\x7ff") == "abc\tdef"
    assert clean_text("zero\u200bwidth\ufeff soft\u00adhyphen") == "zerowidth softhyphen"


def test_line_endings_unified() -> None:
    assert clean_text("one\r\ntwo\rthree\u2028four") == "one\ntwo\nthree\nfour"
    assert clean_text("page one\x0cpage two") == "page one\n\npage two"


def test_whitespace_inside_lines() -> None:
    assert clean_text("a   b\u00a0\u00a0c\u2003d\u3000e") == "a b c d e"
    assert clean_text("trailing   \nspaces\t \n") == "trailing\nspaces"


def test_indentation_kept_for_markdown() -> None:
    text = "- item\n  - nested  item\n\n    code   block"
    assert clean_text(text) == "- item\n  - nested item\n\n    code block"


def test_paragraph_breaks_kept_and_blank_runs_collapsed() -> None:
    text = "\n\n  \nfirst para\nsame para\n\n\n\n  \nsecond para\n\n \n"
    assert clean_text(text) == "first para\nsame para\n\nsecond para"


IDEMPOTENCY_CASES = [
    "plain text",
    "\ufb01\u0301 ligature then accent",
    "e\u200b\u0301 invisible between letter and mark",
    "\u2000\u0301 space then mark",
    "tabs\t\t  and   spaces \t\n\n\n\nnext",
    "\r\n\r\n\r\nwindows\r\n",
    "\ud800 lone surrogate",
    "\x0c\x0c form feeds \u2029\u2029",
]


@pytest.mark.parametrize("text", IDEMPOTENCY_CASES)
def test_idempotent_cases(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


def test_idempotent_random_fuzz() -> None:
    alphabet = [
        *"ab e\n\t\r ",
        "\ufb01", "\ufb02", "\u0301", "\u0327", "\u00a0", "\u2000", "\u200b", "\x00",
        "\x0c", "\u2029", "\ufeff", "\ufffe", "\u00ad", "é", "\x85", "\ud800", "\uff46",
    ]  # fmt: skip
    rnd = random.Random(1234)
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
        once = clean_text(text)
        assert clean_text(once) == once, repr(text)


def test_deterministic() -> None:
    text = "\uff34\uff48\uff45 ﬁrst\u00a0line\r\n\r\n\r\nsecond"
    assert clean_text(text) == clean_text(text) == "\uff34\uff48\uff45 first line\n\nsecond"


# --- clean_document: mojibake and boilerplate lines ---------------------------------------
def test_mojibake_repaired_and_clean_text_left_alone() -> None:
    assert repair_mojibake("CafÃ© crÃ¨me, naÃ¯ve") == "Café crème, naïve"
    assert repair_mojibake("Ð¼Ð¾Ð»Ð¾ÐºÐ¾") == "молоко"
    for text in ("Café “quotes” – dash", "Straße ½ x²", "plain ASCII"):
        assert repair_mojibake(text) == text


@pytest.mark.parametrize(
    "line",
    [
        "We use cookies to improve your experience on our website.",
        "© 2024 Example Inc. All rights reserved.",
        "Share on Facebook",
        "Read more: Another story about the election",
        "Lesen Sie auch: Die Wahl in Bayern",
        "(Photo: Jane Doe / Agency)",
        "12 Comments",
        "Skip to main content",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Related work shows that sparse retrieval is strong.",
        "Comments are welcome at the meeting on Friday.",
        "Copyright law protects original works of authorship in many countries around the world.",
        "Photosynthesis converts light into chemical energy.",
    ],
)
def test_content_lines_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_clean_document_is_a_fixed_point_of_clean_text() -> None:
    text = "Title\n\nCafÃ© text.\nAll rights reserved.\n\n\n  Body   line  \r\nSkip to content\n"
    cleaned = clean_document(text)
    assert cleaned == "Title\n\nCafé text.\n\n  Body line"
    assert clean_text(cleaned) == cleaned
    assert drop_boilerplate_lines("") == ""


def test_an_agency_tag_glued_to_the_first_word_gets_its_space() -> None:
    # "(CNN)Deputies" was one parser token and reached a question: "Who did CNN)Deputies rush ...?"
    text = "Kathmandu, Nepal (CNN)Rescuers pulled a man out. (The Hollywood Reporter)Stan Freberg has died."
    cleaned = clean_document(text)
    assert "(CNN) Rescuers" in cleaned and "(The Hollywood Reporter) Stan" in cleaned
    assert clean_document(cleaned) == cleaned
