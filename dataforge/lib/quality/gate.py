"""The example-quality gate: small scoring steps in the style of datatrove's filters.

Each step looks at one defect of QUALITY.md (copied voice, unresolved pronoun, wh-word vs
answer type, bare "when" answer, answer in the question, generic follow-up, repetition,
toxicity flag, cross-kind duplicate) and lowers the example's score by the severity of what
it finds. Score = product of (1 - severity) over the findings, in [0, 1]. An example whose
score falls below ``min_example_score`` leaves the gate at that step (``stage`` =
``gate:<step>``), with every reason found so far; the rest go on carrying
``metadata.quality = {score, reasons}``. Every step keeps its own stats (in, kept,
rejected, reasons), which ``quality_report.json`` shows in order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dataforge.lib.quality import gate_signals as sig
from dataforge.lib.quality.heuristics import duplicate_ngram_char_fraction
from dataforge.lib.quality.schema import example_kind

Finding = tuple[str, float]  # (reason, severity in (0, 1])
Example = dict[str, Any]

REPETITION_MIN_WORDS = 20
REPETITION_LIMIT = 0.3  # share of characters inside a repeated 5-gram, per field
SHORT_SUMMARY_WORDS = 8
TOXICITY_SEVERITY = 0.4  # flagged (toxicity_action: flag) lowers the score; alone it does not reject


def _norm(text: Any) -> str:
    return " ".join(re.findall(r"\w+", str(text or "").casefold()))


def _turns(ex: Example, role: str) -> list[str]:
    return [
        str(t.get("content") or "")
        for t in ex.get("conversations") or []
        if isinstance(t, dict) and t.get("role") == role
    ]


def _meta(ex: Example) -> dict[str, Any]:
    meta = ex.get("metadata")
    return meta if isinstance(meta, dict) else {}


def voice(ex: Example) -> list[Finding]:
    kind = example_kind(ex)
    if kind == "qa" and sig.copied_voice(str(ex.get("question", ""))):
        return [("first_second_person", 1.0)]
    if kind == "instruction" and sig.company_voice(str(ex.get("instruction", ""))):
        return [("first_second_person", 1.0)]
    if kind == "conversation" and any(sig.company_voice(t) for t in _turns(ex, "assistant")):
        return [("first_second_person", 1.0)]
    return []


def pronoun(ex: Example) -> list[Finding]:
    kind = example_kind(ex)
    if kind == "qa" and sig.unresolved_pronoun(str(ex.get("question", ""))):
        return [("unresolved_pronoun", 1.0)]
    if kind == "conversation":
        users = _turns(ex, "user")
        if users and sig.unresolved_pronoun(users[0]):
            return [("unresolved_pronoun", 1.0)]
        if any(sig.dangling_start(t) for t in _turns(ex, "assistant")):
            return [("dangling_start", 0.6)]
    if kind == "summary" and sig.dangling_summary_start(str(ex.get("summary", ""))):
        return [("dangling_start", 0.6)]
    return []


def wh_type(ex: Example) -> list[Finding]:
    if example_kind(ex) != "qa":
        return []
    answer_type = _meta(ex).get("answer_type")
    return [("wh_answer_type", 1.0)] if sig.wh_mismatch(str(ex.get("question", "")), answer_type) else []


def specific_answer(ex: Example) -> list[Finding]:
    if example_kind(ex) != "qa" or not ex.get("answer"):
        return []
    q, a = str(ex.get("question", "")), str(ex.get("answer", ""))
    out = []
    if sig.bare_when(q, a):
        out.append(("bare_when_answer", 1.0))
    if sig.answer_in_question(q, a):
        out.append(("answer_in_question", 1.0))
    return out


def followups(ex: Example) -> list[Finding]:
    if example_kind(ex) != "conversation":
        return []
    return [("generic_followup", 1.0)] if any(sig.generic_followup(t) for t in _turns(ex, "user")[1:]) else []


def _fields(ex: Example) -> Iterable[str]:
    for key in ("output", "answer", "summary", "text"):
        if isinstance(ex.get(key), str):
            yield ex[key]
    yield from _turns(ex, "assistant")


def repetition(ex: Example) -> list[Finding]:
    worst = 0.0
    for text in _fields(ex):
        words = text.casefold().split()
        if len(words) >= REPETITION_MIN_WORDS:
            worst = max(worst, duplicate_ngram_char_fraction(words, 5))
    return [("repetition", min(1.0, worst))] if worst > REPETITION_LIMIT else []


def length(ex: Example) -> list[Finding]:
    if example_kind(ex) == "summary" and len(str(ex.get("summary", "")).split()) < SHORT_SUMMARY_WORDS:
        return [("short_summary", 0.3)]
    return []


def toxicity(ex: Example) -> list[Finding]:
    return [(f"toxicity_{f}", TOXICITY_SEVERITY) for f in _meta(ex).get("quality_flags") or []][:1]


@dataclass
class Step:
    """One gate step: a name, a function example -> findings, and its stats."""

    name: str
    check: Callable[[Example], list[Finding]]
    n_in: int = 0
    kept: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def stats(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "in": self.n_in,
            "kept": self.kept,
            "rejected": self.rejected,
            "reasons": dict(sorted(self.reasons.items())),
        }


class CrossKindDuplicates:
    """Instructions that repeat a QA row (its question, and its answer as the output: the same
    lesson whichever context window came with it) or whose output is a summary."""

    def __init__(self, examples: Iterable[Example]) -> None:
        self.qa: dict[str, list[str]] = {}
        self.summaries: set[str] = set()
        for ex in examples:
            kind = example_kind(ex)
            if kind == "qa" and ex.get("answer"):
                self.qa.setdefault(_norm(ex["answer"]), []).append(_norm(ex["question"]))
            elif kind == "summary":
                self.summaries.add(_norm(ex.get("summary")))

    def __call__(self, ex: Example) -> list[Finding]:
        if example_kind(ex) != "instruction":
            return []
        output = _norm(ex.get("output"))
        if output and output in self.summaries:
            return [("cross_kind_duplicate", 1.0)]
        prompt = _norm(f"{ex.get('input', '')} {ex.get('instruction', '')}")
        if any(q and f" {q} " in f" {prompt} " for q in self.qa.get(output, ())):
            return [("cross_kind_duplicate", 1.0)]
        return []


STEPS: tuple[tuple[str, Callable[[Example], list[Finding]]], ...] = (
    ("voice", voice),
    ("pronoun", pronoun),
    ("wh_type", wh_type),
    ("specific_answer", specific_answer),
    ("followups", followups),
    ("repetition", repetition),
    ("length", length),
    ("toxicity", toxicity),
)


@dataclass
class GateResult:
    kept: list[Example]
    rejected: list[tuple[Example, list[str], float, str]]  # (example, reasons, score, stage)
    steps: list[Step]

    def report(self, min_score: float) -> dict[str, Any]:
        by_kind: dict[str, Counter[str]] = {}
        for ex, reasons, _, _ in self.rejected:
            by_kind.setdefault(example_kind(ex), Counter()).update(reasons)
        scores = [float(_meta(e)["quality"]["score"]) for e in self.kept]
        return {
            "min_example_score": min_score,
            "steps": [s.stats() for s in self.steps],
            "rejected": len(self.rejected),
            "rejected_by_kind": {k: sum(1 for e, *_ in self.rejected if example_kind(e) == k) for k in sorted(by_kind)},
            "rejected_by_kind_reason": {k: dict(sorted(c.items())) for k, c in sorted(by_kind.items())},
            "kept_mean_score": round(sum(scores) / len(scores), 4) if scores else None,
        }


def run_gate(examples: list[Example], min_score: float) -> GateResult:
    """Score every example step by step; reject at the step that drops it below ``min_score``.

    Cross-kind duplicates are judged last, against the QA and summary rows that passed the
    other steps, so an instruction is only dropped for a twin that actually ships.
    """
    steps = [Step(name, check) for name, check in STEPS]
    state: list[tuple[Example, float, list[str]]] = [(ex, 1.0, []) for ex in examples]
    rejected: list[tuple[Example, list[str], float, str]] = []

    def apply(step: Step, items: list[tuple[Example, float, list[str]]]) -> list[tuple[Example, float, list[str]]]:
        out = []
        for ex, score, reasons in items:
            step.n_in += 1
            for reason, severity in step.check(ex):
                step.reasons[reason] += 1
                score *= 1.0 - severity
                reasons = [*reasons, reason] if reason not in reasons else reasons
            if score < min_score:
                step.rejected += 1
                rejected.append((ex, reasons, max(0.0, score), f"gate:{step.name}"))
            else:
                step.kept += 1
                out.append((ex, score, reasons))
        return out

    for step in steps:
        state = apply(step, state)
    dup = Step("cross_kind_duplicate", CrossKindDuplicates(ex for ex, _, _ in state))
    steps.append(dup)
    state = apply(dup, state)
    kept = [
        {**ex, "metadata": {**_meta(ex), "quality": {"score": round(score, 4), "reasons": reasons}}}
        for ex, score, reasons in state
    ]
    return GateResult(kept, rejected, steps)
