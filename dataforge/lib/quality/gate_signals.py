"""The per-example defect detectors the quality gate scores with (QUALITY.md's fail patterns).

A thin adapter: the gate and the release signals call only the functions of this module,
which are those of ``dataforge.lib.quality.signals`` (the detectors the generators apply
before they emit) under the gate's names, plus the checks only the gate makes.
"""

from __future__ import annotations

import re

from dataforge.lib.quality import signals

_COMPANY_VOICE = re.compile(r"\b(?:we|us|our|ours|ourselves)\b|\bI\b|\bmy\b", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d")
_WH = re.compile(r"^\W*(who|whom|whose|when|where|how many|how much|which \w+|what year|what date)\b", re.IGNORECASE)


def company_voice(text: str) -> bool:
    """First person in an instruction or an assistant turn ("our division"): speaking as the source."""
    return bool(_COMPANY_VOICE.search(_QUOTED.sub(" ", text)))  # a quotation may speak as its speaker


def wh_word(question: str) -> str | None:
    m = _WH.match(question)
    return m.group(1).lower() if m else None


# One definition of each defect: the generators' detectors (dataforge.lib.quality.signals)
# under the names the gate's steps use.
copied_voice = signals.first_second_person
unresolved_pronoun = signals.unresolved_pronoun
dangling_start = signals.dangling_turn
dangling_summary_start = signals.dangling_summary_start
wh_mismatch = signals.wh_mismatch
bare_when = signals.bare_when
answer_in_question = signals.answer_in_question
generic_followup = signals.generic_turn
