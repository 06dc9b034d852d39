"""How a name is used (company, product, work, term word) and spans that are no single name (invented text)."""

from __future__ import annotations

import json
import re

from spacy.lang.en.stop_words import STOP_WORDS

from dataforge.lib.entity_types import resolve_types
from dataforge.lib.mention_confidence import confident
from dataforge.lib.type_clues import author_initials, fused_span, modifier_only, term_modifier, usage_clue
from dataforge_tests.lib.test_entity_types import tagged

STOP = frozenset(STOP_WORDS)


def lower_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\b[a-z]+\b", text))


def spans(text: str, name: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(re.escape(name), text)]


def test_usage_clue_reads_company_product_and_work_contexts() -> None:
    text = "Zelbo's shares fell. Fans play Quarrow Rally daily. She wrote Lantern Days. Open the Pivly app."
    assert usage_clue(text, *spans(text, "Zelbo")[0], "Zelbo") == ("company", "ORG")
    assert usage_clue(text, *spans(text, "Quarrow Rally")[0], "Quarrow Rally") == ("product", "PRODUCT")
    assert usage_clue(text, *spans(text, "Lantern Days")[0], "Lantern Days") == ("work", "WORK_OF_ART")
    assert usage_clue(text, *spans(text, "Pivly")[0], "Pivly") == ("product", "PRODUCT")
    name = "Pivly Studio for Linux"
    assert usage_clue(name, 0, len(name), name) == ("product", "PRODUCT")


def test_a_game_with_an_org_word_in_its_name_is_not_a_confident_org() -> None:
    text = "Millions play Quarrow League every week. Quarrow League has a new season."
    typed = resolve_types(text, tagged(text, ("Quarrow League", "ORG", 0), ("Quarrow League", "ORG", 1)))
    assert typed[0]["label"] == "ORG"  # the org word still votes, but the use says otherwise
    assert not confident(typed[0], lower_words(text))


def test_a_company_named_like_a_person_is_no_confident_person() -> None:
    text = "Jenna Brill's shares rose after the results. Staff at Jenna Brill were told on Monday."
    typed = resolve_types(text, tagged(text, ("Jenna Brill", "PERSON", 0), ("Jenna Brill", "PERSON", 1)))
    record = json.loads(typed[0]["type_evidence"])
    assert any(row[0] == "company_context" for row in record["evidence"])
    assert typed[0]["label"] != "PERSON" or not confident(typed[0], lower_words(text))


def test_a_company_marker_keeps_an_org_with_an_app_confident() -> None:
    text = "Korvend Group launched the Korvend app. Korvend Group shareholders approved the plan."
    typed = resolve_types(text, tagged(text, ("Korvend Group", "ORG", 0), ("Korvend Group", "ORG", 1)))
    assert typed[0]["label"] == "ORG" and confident(typed[0], lower_words(text))


def test_a_book_with_a_first_name_in_its_title_is_no_confident_person() -> None:
    text = "In prison he dictated Maria Kostel to a clerk. Later Maria Kostel sold well."
    typed = resolve_types(text, tagged(text, ("Maria Kostel", "PERSON", 0), ("Maria Kostel", "PERSON", 1)))
    assert not confident(typed[0], lower_words(text))


def test_a_name_only_before_a_common_noun_is_a_word_of_a_term() -> None:
    text = "The Varnik divergence is small. A Varnik divergence bound holds for every pair."
    assert modifier_only(text, spans(text, "Varnik"), STOP)
    assert not modifier_only("Varnik said the bound holds. The Varnik bound is tight.", [(0, 6), (33, 39)], STOP)
    typed = resolve_types(text, tagged(text, ("Varnik", "ORG", 0), ("Varnik", "ORG", 1)))
    assert not confident(typed[0], lower_words(text))


def test_an_adjective_before_a_noun_is_no_org() -> None:
    text = "The Federalist candidate won. Federalist voters stayed home."
    typed = resolve_types(text, tagged(text, ("Federalist", "ORG", 0), ("Federalist", "ORG", 1)))
    assert not confident(typed[0], lower_words(text))


def test_a_repeated_term_is_found_even_when_the_name_stands_alone_elsewhere() -> None:
    text = "Ada Quill built the first Quill engine. A Quill engine computes tables. Quill died in 1852."
    first = spans(text, "Quill engine")[0]
    assert term_modifier(text, first[0], first[0] + len("Quill"), STOP)
    dashed = "This is the Morrow–Quill thesis."
    assert term_modifier(dashed, dashed.index("Quill"), dashed.index("Quill") + 5, STOP)
    last = spans(text, "Quill died")[0]
    assert not term_modifier(text, last[0], last[0] + len("Quill"), STOP)


def test_fused_spans_are_no_single_name() -> None:
    assert fused_span("King of")
    assert not fused_span("Varnik Tidal Power AS")  # "AS" is a company suffix, not "as"
    assert fused_span("Mercator on Pylon")
    assert fused_span("Halvard KJ et") and fused_span("Halvard KJ et al")
    assert fused_span("Northern Wire press release")
    assert not fused_span("Varnik islands")  # a place word after the name
    assert not fused_span("Institute on Ageing Research")  # an organization word before the preposition
    assert not fused_span("Office for Students")
    assert not fused_span("Stoke on Trent", place=True)
    mention = {"text": "Mercator on Pylon", "label": "PRODUCT", "start": 0, "end": 17}
    assert not confident(mention, frozenset())


def test_a_formula_cut_at_its_bracket_is_no_name() -> None:
    assert not confident({"text": "O(n log n", "label": "ORG", "start": 0, "end": 9}, frozenset())


def test_the_last_author_of_a_list_has_initials_and_no_company_suffix() -> None:
    text = "Brandt K, Olsen T-R, Varga AS. Dosing in children. Lund P, Berg AS, et al. Trials."
    start = text.index("Varga AS")
    assert author_initials(text, start, start + len("Varga AS."))
    typed = resolve_types(text, tagged(text, ("Berg AS", "ORG", 0)))
    record = json.loads(typed[0]["type_evidence"])
    assert not any(row[0] == "org_word" for row in record["evidence"])
    assert not (typed[0]["label"] == "ORG" and confident(typed[0], lower_words(text)))
