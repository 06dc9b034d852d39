"""One typed model per example kind: the record schemas of DESIGN.md as pydantic models.

Generators validate what they emit against these models, the blocking ``schema_valid``
check validates what was written, and the exports derive their Parquet columns from them,
so the record contract is written down once. Extra keys are allowed (generators add
provenance and kind-specific fields); declared fields are type-checked strictly.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Role = Literal["system", "user", "assistant"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class Span(_Model):
    doc_id: str
    start: int
    end: int


class Quality(_Model):
    """``metadata.quality``: the gate's score in [0, 1] and the reasons it is below 1."""

    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)


class Rejected(_Model):
    """Top-level ``rejected`` of a row in ``rejected/<kind>.jsonl``: why it was withheld."""

    reasons: list[str]
    score: float = Field(ge=0.0, le=1.0)
    stage: str


class Provenance(_Model):
    """What every shipped row carries besides its record (DESIGN.md, 'provenance')."""

    id: str
    source_documents: list[str]
    source_spans: list[Span]
    release: str
    generator: str
    split: str


class Record(_Model):
    """Base of the seven record models. ``content_fields``: what makes two examples the same
    lesson (dedup key); ``required``: fields that must be non-empty for the row to be usable."""

    kind: ClassVar[str] = ""
    content_fields: ClassVar[tuple[str, ...]] = ()
    required: ClassVar[tuple[str, ...]] = ()


class Instruction(Record):
    kind: ClassVar[str] = "instruction"
    content_fields: ClassVar[tuple[str, ...]] = ("instruction", "input", "output")
    required: ClassVar[tuple[str, ...]] = ("instruction", "output")
    instruction: str
    input: str
    output: str
    metadata: dict[str, Any]


class Turn(_Model):
    role: Role
    content: str = Field(min_length=1, pattern=r"\S")


class Conversation(Record):
    kind: ClassVar[str] = "conversation"
    content_fields: ClassVar[tuple[str, ...]] = ("conversations",)
    required: ClassVar[tuple[str, ...]] = ("conversations",)
    conversations: list[Turn]
    metadata: dict[str, Any]


class QA(Record):
    kind: ClassVar[str] = "qa"
    content_fields: ClassVar[tuple[str, ...]] = ("context", "question", "answer")
    required: ClassVar[tuple[str, ...]] = ("context", "question", "answer")
    context: str
    question: str
    answer: str
    answer_start: int
    answer_end: int
    metadata: dict[str, Any]


class Summary(Record):
    kind: ClassVar[str] = "summary"
    content_fields: ClassVar[tuple[str, ...]] = ("document", "summary", "summary_type")
    required: ClassVar[tuple[str, ...]] = ("document", "summary")
    document: str
    summary: str
    summary_type: str
    compression_ratio: float
    metadata: dict[str, Any]


class Entity(_Model):
    text: str
    label: str
    start: int
    end: int


class Relation(_Model):
    head: str
    relation: str  # a name of dataforge.lib.relation_schema.RELATIONS
    tail: str
    confidence: float
    predicate: str = ""  # the source's own words for it, kept as evidence
    polarity: str = "affirmative"  # dataforge.lib.assertion: only affirmative, asserted facts ship
    modality: str = "asserted"


class _Spans(Record):
    content_fields: ClassVar[tuple[str, ...]] = ("text", "entities", "relations")
    required: ClassVar[tuple[str, ...]] = ("text",)
    text: str
    entities: list[Entity]
    relations: list[Relation]

    @model_validator(mode="after")
    def _offsets(self) -> _Spans:
        for e in self.entities:
            if self.text[e.start : e.end] != e.text:
                raise ValueError(f"entity offsets wrong: {e.text!r} at {e.start}:{e.end}")
        return self


class Ner(_Spans):
    kind: ClassVar[str] = "ner"


class RelationRecord(_Spans):
    kind: ClassVar[str] = "relation"


class Classification(Record):
    kind: ClassVar[str] = "classification"
    content_fields: ClassVar[tuple[str, ...]] = ("text", "label")
    required: ClassVar[tuple[str, ...]] = ("text", "label")
    text: str
    label: str
    metadata: dict[str, Any]


MODELS: dict[str, type[Record]] = {
    m.kind: m for m in (Instruction, QA, Summary, Conversation, Ner, RelationRecord, Classification)
}
KINDS: tuple[str, ...] = tuple(MODELS)


def _messages(error: ValidationError) -> list[str]:
    out = []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"])
        if e["type"] == "missing":
            out.append(f"missing {where}")
        elif e["type"].endswith("_type") and len(e["loc"]) == 1:
            out.append(f"{where} is {type(e['input']).__name__}")  # strict: a bool is no int either
        elif e["type"] == "value_error":
            out.append(str(e["msg"]).removeprefix("Value error, "))
        else:
            out.append(f"{where}: {e['msg']}" if where else str(e["msg"]))
    return out


def record_problems(kind: str, row: dict[str, Any], provenance: bool = False) -> list[str]:
    """Why ``row`` is not a valid ``kind`` record (empty list: valid). With ``provenance``,
    the shipped-row fields (id, release, split, ...) are required too."""
    model = MODELS.get(kind)
    if model is None:
        return [f"unknown kind {kind!r}"]
    problems: list[str] = []
    checks: list[type[_Model]] = [Provenance, model] if provenance else [model]
    for m in checks:
        try:
            m.model_validate(row)
        except ValidationError as error:
            problems += _messages(error)
    quality = (row.get("metadata") or {}).get("quality") if isinstance(row.get("metadata"), dict) else None
    if quality is not None:
        try:
            Quality.model_validate(quality)
        except ValidationError as error:
            problems += [f"metadata.quality: {p}" for p in _messages(error)]
    return problems


def validate_examples(examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Generators' output check: every example is a valid record of its ``kind``.

    Raises ``ValueError`` naming the first bad example, so a generator bug fails the run
    where it happens instead of surfacing as a schema check on the release.
    """
    for ex in examples:
        problems = record_problems(str(ex.get("kind")), ex)
        if problems:
            raise ValueError(f"{ex.get('generator')} emitted an invalid {ex.get('kind')} example: {problems[:3]}")
    return examples


def rejected_row(row: dict[str, Any], reasons: list[str], score: float, stage: str) -> dict[str, Any]:
    """A line of ``rejected/<kind>.jsonl``: the row as it would have shipped, plus why not."""
    info = Rejected(reasons=sorted(set(reasons)), score=round(float(score), 4), stage=stage)
    return {**row, "rejected": info.model_dump()}
