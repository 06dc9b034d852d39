"""Scoring a pair of different names inside a block: name evidence, context, labels.

``score = name evidence + CONTEXT_WEIGHT * (context cosine - CONTEXT_NEUTRAL) + label term``;
a pair merges when the score reaches ``THRESHOLD``. Without context vectors the context term
is 0, so only name evidence of at least ``THRESHOLD`` merges. Name evidence:
- ``acronym`` 0.9: one name is an acronym of the other's initials ("NREC");
- ``initial_variant`` 0.85: same surname, first name vs its initial ("J. Smith");
- ``short_form`` 0.8: one core is the first or last words of the other ("Marsh",
  "Halloran Blue"; a single last word only for people). A short name that fits several long
  names joins at most the one clearly closest in context (resolver.py), never without context;
- ``fuzzy`` 0.8: rapidfuzz ratio >= 88 between cores of at least 5 letters ("Lindqvist"
  ~ "Lindquist"), same first letter.
The label term is 0 for equal labels and ``LABEL_MISMATCH`` otherwise (only reachable when
labels are voted, never for trusted labels, which are never merged across).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from dataforge.lib.link.names import Name, first_and_last, long_forms_conflict, short_form_of

THRESHOLD = 0.75
CONTEXT_WEIGHT = 1.0
CONTEXT_NEUTRAL = 0.3
LABEL_MISMATCH = -0.05


def name_evidence(a: Name, b: Name) -> tuple[str, float, str] | None:
    """The strongest name rule that relates two different proper names, if any."""
    if a.acronym and a.acronym in b.initials:
        return "acronym", 0.9, f"{a.acronym.upper()} = initials of '{b.core}'"
    if b.acronym and b.acronym in a.initials:
        return "acronym", 0.9, f"{b.acronym.upper()} = initials of '{a.core}'"
    if a.acronym or b.acronym:
        return None
    wa, wb = a.core.split(), b.core.split()
    if long_forms_conflict(a.core, b.core):
        return None
    fa, la = first_and_last(a.core)
    fb, lb = first_and_last(b.core)
    if fa and fb and la == lb and fa[0] == fb[0] and (len(fa) == 1 or len(fb) == 1) and len(wa) == len(wb):
        return "initial_variant", 0.85, f"'{a.core}' ~ '{b.core}'"
    short, long = (a, b) if len(wa) < len(wb) else (b, a)
    where = short_form_of(short, long)
    if where:
        return "short_form", 0.8, f"'{short.core}' is the {where} of '{long.core}'"
    if len(a.core) >= 5 and len(b.core) >= 5 and a.core[0] == b.core[0]:
        ratio = fuzz.ratio(a.core, b.core)
        if ratio >= 88:
            return "fuzzy", 0.8, f"'{a.core}' ~ '{b.core}' (ratio {ratio:.0f})"
    return None


def pair_score(
    evidence: float, context: float | None, same_label: bool, context_weight: float = CONTEXT_WEIGHT
) -> float:
    score = evidence + (0.0 if same_label else LABEL_MISMATCH)
    if context is not None:
        score += context_weight * (context - CONTEXT_NEUTRAL)
    return score


def describe(rule: str, evidence: float, context: float | None, same_label: bool, detail: str) -> str:
    parts = [detail, f"name {evidence:.2f}"]
    if context is not None:
        parts.append(f"context {context:.2f}")
    if not same_label:
        parts.append("labels differ")
    return "; ".join(parts)
