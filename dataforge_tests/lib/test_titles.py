"""A wire service's all-caps headline is shown as a reader writes it, wherever a title is shown."""

from __future__ import annotations

import re

from dataforge.lib.generate import instruction
from dataforge.lib.generate.common import build_context
from dataforge.lib.generate.titles import is_shouted, readable_title
from dataforge_tests.lib.test_generate import CONFIG

HEADLINE = "ROWING - KESTREL CLUB BEAT HARBOUR EIGHT AFTER THURSDAY'S U-23 TRIALS IN THE NORDIC CUP"
BODY = (
    "TROMSO 1997-05-02 The Kestrel Club beat the Harbour Eight by two lengths on Friday, a day after the "
    "under-23 trials, to reach the final of the Nordic Cup. The club's coach, Pia Lund, said the crew had "
    "trained on the fjord since March and that the trials had shown who would row. The Harbour Eight had "
    "won the race three times in a row, and their captain said they would be back next year with a new boat "
    "and a younger crew. The final is on Sunday against a crew from Bergen that also won its semi-final."
)
TEXT = HEADLINE + "\n\n" + BODY


def _mentions(text: str) -> list[dict]:
    names = [("Kestrel Club", "ORG"), ("Harbour Eight", "ORG"), ("Nordic Cup", "EVENT"), ("Pia Lund", "PERSON")]
    out = []
    for name, label in names:
        for m in re.finditer(re.escape(name), text):
            found = {"text": name, "label": label, "start": m.start(), "end": m.end()}
            out.append(found | {"mention_id": f"m{m.start()}"})
    return sorted(out, key=lambda m: m["start"])


def test_a_shouted_headline_is_cased_as_its_document_cases_each_word() -> None:
    lower = frozenset(re.findall(r"\b[a-z]+\b", TEXT))
    title = readable_title(HEADLINE, TEXT, _mentions(TEXT), lower)
    # section tag gone; names keep their capitals, common words lower case, the day and "U-23" as written
    assert title == "Kestrel Club beat Harbour Eight after Thursday's U-23 trials in the Nordic Cup"


def test_only_shouted_titles_change() -> None:
    assert is_shouted(HEADLINE) and not is_shouted("IPO FILING--Homegate Hospitality Inc")
    assert not is_shouted("NATO summit")  # an acronym in a title is no shouting
    kept = "U.S. debt futures end lower, shaken by Chicago NAPM"
    assert readable_title(kept, kept + "\n\nBody.", [], frozenset()) == kept
    # an acronym the body writes in capitals after a lower-case word stays an acronym
    body = "HALDEN 1997-05-02 Shares rose after the IPO of the ferry line on Friday."
    assert readable_title("IPO LIFTS FERRY SHARES", body, [], frozenset(re.findall(r"\b[a-z]+\b", body))) == (
        "IPO lifts ferry shares"
    )


def test_suggest_title_answers_with_the_readable_headline() -> None:
    mentions = _mentions(TEXT)
    sentences = [{"start": m.start(), "end": m.end()} for m in re.finditer(r"[^.\n]+\.", BODY)]
    offset = len(HEADLINE) + 2
    sentences = [{"start": s["start"] + offset, "end": s["end"] + offset} for s in sentences]
    chunks = [{"doc_id": "d", "chunk_id": 0, "start": 0, "end": len(TEXT), "text": TEXT, "sentences": sentences}]
    ctx = build_context({"doc_id": "d", "text": TEXT, "title": HEADLINE}, chunks, mentions, [], 1)
    assert ctx is not None
    titles = [ex for ex in instruction.generate(ctx, CONFIG, [], []) if ex["metadata"]["task"] == "suggest_title"]
    assert [ex["output"] for ex in titles] == [
        "Kestrel Club beat Harbour Eight after Thursday's U-23 trials in the Nordic Cup"
    ]
    assert HEADLINE.split(" - ")[1] not in titles[0]["input"]  # the input still does not give it away


def test_a_name_word_used_as_a_verb_and_a_dateline_capital_are_lower_case() -> None:
    """aidas audit: "Spain, U.S. teams Open on road ..." (the "Open" of "U.S. Open"), "England V
    Pakistan one-day Scoreboard" ("Scoreboard" opens the text after the dateline's date)."""
    body = "NEW YORK 1996-08-31 Spain and the U.S. will open the cup, drawn at the U.S. Open on Friday."
    mentions = [{"text": "U.S. Open", "label": "EVENT"}, {"text": "Spain", "label": "GPE"}]
    lower = frozenset(re.findall(r"\b[a-z]+\b", body))
    assert readable_title("TENNIS - SPAIN, U.S. TEAMS OPEN ON ROAD", body, mentions, lower) == (
        "Spain, U.S. teams open on road"
    )
    assert readable_title("SPAIN AT THE U.S. OPEN AGAIN", body, mentions, lower) == "Spain at the U.S. Open again"
    body = "LEEDS, England 1996-08-31 Scoreboard of the match between England and Pakistan on Saturday."
    mentions = [{"text": "England", "label": "GPE"}, {"text": "Pakistan", "label": "GPE"}]
    lower = frozenset(re.findall(r"\b[a-z]+\b", body))
    assert readable_title("CRICKET - ENGLAND V PAKISTAN ONE-DAY SCOREBOARD", body, mentions, lower) == (
        "England v Pakistan one-day scoreboard"
    )
