"""Grammar errors a copied sentence carries, from the spaCy parse; correct sentences pass."""

from __future__ import annotations

import pytest

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.source_grammar import copied_error, sentence_error


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    from dataforge.lib.nlp import pipeline_for

    return pipeline_for(DataforgeConfig().nlp)


def test_copied_grammar_errors_are_found(nlp) -> None:  # noqa: ANN001
    wrong = [
        "Keepers say the old seal has a loud warning barks unlike the other seals of the bay.",
        "The council wrote to every resident who own a boat in the harbour of the town.",
        "The 51-year-old from Leeds decided had just come back from Malta and wanted a refund.",
        "In a nod to it's Norse past, the town will hold a week of boat races in August.",
    ]
    assert [bool(sentence_error(nlp(t)[:])) for t in wrong] == [True] * len(wrong)


def test_correct_sentences_are_not_flagged(nlp) -> None:  # noqa: ANN001
    fine = [
        "Each of the players has revealed a dozen secrets about their training before the final.",
        "The list was sent to a lawyers' group in the capital, a spokesman for the prosecutors said.",
        "Rovers, who host United on Saturday, are two points behind the leaders.",
        "She wore a sign that read 'Welcome home' as the ship came into the harbour.",
        "Every parent who supports the plan has signed the letter to the school board.",
        "It's a long way to the harbour, and its lights are out after midnight.",
        "The museum holds old maps that show the coast as it was in 1800, and a chart that shows the reefs.",
    ]
    assert [t for t in fine if sentence_error(nlp(t)[:])] == []


def test_without_a_parse_nothing_is_flagged(nlp) -> None:  # noqa: ANN001
    text = "Police said. The council wrote to every resident who own a boat in the harbour of the town."
    start = text.find("The council")
    assert copied_error(None, start, len(text)) is None
    assert copied_error([(0, nlp(text))], start, len(text)) is not None
    assert copied_error([(0, nlp(text))], 0, start - 1) is None
