"""One configuration object for the whole pipeline.

Defaults are built in; a YAML file (``--config`` or ``DATAFORGE_CONFIG``) overrides any
subset. The same values feed the Dagster resource, so the CLI and the UI agree. The config
hash goes into every release manifest: same inputs + same config + same release name give
byte-identical dataset files.

The sections are frozen dataclasses checked by pydantic (``_typed``): a wrong type, a value
outside its choices or range, split ratios that do not sum to 1 or an unknown key fail at
load with a ``ConfigError`` naming the dotted key (``chunk.max_tokens``). The one leniency: a
lone string where a list of strings goes is a one-item list (``quality.languages: en``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from dataclasses import field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args

import yaml
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.dataclasses import dataclass as _pydantic_dataclass


class ConfigError(ValueError):
    """A configuration names a key that does not exist or gives a key a value it cannot take."""


T = TypeVar("T")


def _typed(cls: type[T]) -> type[T]:
    """A frozen dataclass whose values pydantic checks on construction (and in ``dataclasses.replace``).

    Unknown keys are refused (``extra="forbid"``); any failure is a ``ConfigError`` naming the
    dotted key, e.g. ``chunk.max_tokens``.
    """
    cls = _pydantic_dataclass(frozen=True, config=ConfigDict(extra="forbid"))(cls)
    validate = cls.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            validate(self, *args, **kwargs)
        except ValidationError as error:
            raise ConfigError(_describe(error, _SECTION_OF.get(cls.__name__, cls.__name__))) from None

    cls.__init__ = __init__  # type: ignore[method-assign]
    return cls


def _one_item(value: Any) -> Any:
    """The one rule of leniency: a lone string where a list of strings goes is a one-item list
    (``quality.languages: en`` means ``["en"]``, never ``("e", "n")``)."""
    return [value] if isinstance(value, str) else value


Strings = Annotated[tuple[str, ...], BeforeValidator(_one_item)]
Positive = Annotated[int, Field(gt=0)]
NonNegative = Annotated[int, Field(ge=0)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Seconds = Annotated[float, Field(ge=0.0)]

# Kept equal to dataforge.lib.quality.schema.PII_TYPES / STRATEGIES (a test checks it); not
# imported from there because the quality package imports this module.
PiiType = Literal["EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "SSN", "ADDRESS", "DATE_OF_BIRTH", "PERSON"]
PiiStrategy = Literal["pseudonymize", "redact", "mask", "hash", "keep"]
LLMTasks = Annotated[tuple[Literal["qa", "paraphrase", "summary", "conversation"], ...], BeforeValidator(_one_item)]


def _sums_to_one(ratios: tuple[float, float, float]) -> tuple[float, float, float]:
    if any(r < 0 for r in ratios) or not math.isclose(sum(ratios), 1.0, abs_tol=1e-6):
        raise ValueError(f"train, validation and test ratios must be >= 0 and sum to 1, not {sum(ratios):g}")
    return ratios


SplitRatios = Annotated[tuple[float, float, float], AfterValidator(_sums_to_one)]
Languages = Annotated[tuple[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")], ...], BeforeValidator(_one_item)]
PiiTypes = Annotated[tuple[PiiType, ...], BeforeValidator(_one_item)]


@_typed
class ExtractConfig:
    max_bytes: Positive = 200 * 1024 * 1024  # larger inputs are quarantined as 'too_large'
    max_pages: Positive = 5000  # PDFs with more pages are quarantined as 'too_large'
    ocr: bool = True  # OCR PDF pages that are images without a text layer (Tesseract)
    ocr_languages: str = "eng+ara"  # Tesseract language packs, '+'-joined; missing ones are skipped
    ocr_dpi: Positive = 300  # render resolution for OCR
    ocr_timeout_s: Positive = 180  # per page; a slower page quarantines the document as 'ocr_failed'
    timeout_s: Seconds = 900.0  # per document, parser in a killed-on-timeout child (lib.sandbox); 0 = in process
    max_memory_mb: NonNegative = 4096  # per document, address space the parser may add (RLIMIT_AS); 0 = no cap


@_typed
class ChunkConfig:
    max_tokens: Positive = 256
    overlap_sentences: NonNegative = 1
    tokenizer: str = "cl100k_base"


EmbeddingPrecision = Literal["fp32", "bf16"]
EMBEDDING_PRECISIONS: tuple[str, ...] = get_args(EmbeddingPrecision)


@_typed
class NlpConfig:
    spacy_model: str = "en_core_web_sm"  # falls back to the offline mirror when missing
    # segments (<= 4,000 characters) per nlp.pipe batch: 16 is as fast as 64 on CPU and halves
    # the parser's transient memory (1.2 GB -> 0.67 GB peak on a 1 MB document, BENCHMARKS.md)
    batch_size: Positive = 16
    n_process: Positive = 1
    embedding_model: str = "all-MiniLM-L6-v2"
    embedding_batch_size: Positive = 16  # texts are sorted by length; small batches pad less (~10% faster than 64)
    # fp32 | bf16: bf16 runs the encoder under torch autocast; on CPUs with AMX it is ~2.2x faster,
    # cosine to the fp32 vectors >= 0.99997 (BENCHMARKS.md). Off by default: the thresholds were tuned on fp32.
    embedding_precision: EmbeddingPrecision = "fp32"
    gazetteer: tuple[dict[str, str], ...] = ()  # EntityRuler patterns: {"label", "pattern"}
    coref: bool = True  # pronouns and "the company" linked to named entities (silver/document_coref)
    mention_vectors: bool = True  # sentence vectors of mentions, used as context by entity resolution


@_typed
class LLMConfig:
    """Optional OpenAI-compatible chat API (dataforge.lib.llm). The key is read from the
    environment variable named here at run time, never stored in the config or its hash."""

    enabled: bool = False
    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = ""
    api_key_env: str = "DATAFORGE_LLM_API_KEY"
    tasks: LLMTasks = ("qa", "paraphrase", "summary", "conversation")
    max_requests_per_document: NonNegative = 8
    temperature: Annotated[float, Field(ge=0.0, le=2.0)] = 0.0
    max_tokens: Positive = 300  # per response; also the output side of the cost estimate
    timeout_s: Seconds = 60.0
    max_retries: NonNegative = 4
    backoff_s: Seconds = 1.0  # doubled after every failed attempt
    budget_usd: Seconds = 5.0  # a batch whose estimate exceeds what is left is refused
    price_input_per_mtok: Seconds = 0.0  # USD per million prompt tokens
    price_output_per_mtok: Seconds = 0.0
    min_support: Share = 0.8  # share of an output's content words found in its source


@_typed
class AugmentConfig:
    """Consistent entity substitution (dataforge.lib.generate.augment), off by default."""

    enabled: bool = False
    variants_per_example: NonNegative = 1
    max_per_document: NonNegative = 50


@_typed
class GenerateConfig:
    max_qa_per_chunk: NonNegative = 6
    summary_sentences: Positive = 3
    summary_method: Literal["embedding", "tfidf"] = "embedding"  # embedding (MiniLM) | tfidf
    conversation_max_turns: NonNegative = 6
    topics: NonNegative = 4
    unanswerable_qa: bool = False
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    llm: LLMConfig = field(default_factory=LLMConfig)


@_typed
class NearDupConfig:
    """MinHash-LSH near-duplicate documents (see dataforge.lib.quality.minhash)."""

    enabled: bool = True
    shingle_words: Positive = 3  # word n-grams hashed into the MinHash
    measure: Literal["containment", "jaccard"] = "containment"  # containment (of the smaller in the larger) | jaccard
    threshold: Share = 0.5
    num_perm: Positive = 128
    bands: Positive = 64  # LSH bands; rows per band = num_perm // bands


@_typed
class DocumentFilterConfig:
    """Gopher (Rae et al. 2021) and C4 (Raffel et al. 2020) style heuristics on source documents."""

    enabled: bool = True
    min_words: int = 50
    max_words: int = 1_000_000
    min_mean_word_length: float = 3.0
    max_mean_word_length: float = 10.0
    max_symbol_ratio: float = 0.1  # '#' and '...' per word
    max_bullet_lines: float = 0.9
    max_ellipsis_lines: float = 0.3
    min_alpha_words: float = 0.8  # share of words with a letter
    min_stop_words: int = 2  # of: the, be, to, of, and, that, have, with
    max_duplicate_lines: float = 0.3
    max_duplicate_line_chars: float = 0.2
    max_top_ngram_chars: tuple[float, ...] = (0.20, 0.18, 0.16)  # most frequent 2-, 3-, 4-gram
    max_duplicate_ngram_chars: tuple[float, ...] = (0.15, 0.14, 0.13, 0.12, 0.11, 0.10)  # 5..10-grams
    min_sentences: int = 3  # C4
    lorem_ipsum: bool = True  # C4: drop placeholder text
    curly_braces: bool = False  # C4 drops any '{'; off because technical documents use braces
    action: str = "flag"  # flag: a Gopher/C4 finding is recorded, the document kept | remove: dropped (web crawl)
    junk_min_words: int = 3  # fewer words with two letters: nothing to learn from, removed
    junk_max_lorem: float = 0.3  # share of words from the lorem ipsum vocabulary above which a text is removed
    junk_max_garbage: float = 0.1  # share of characters that are U+FFFD, private use, control, (cid:N), mojibake
    junk_max_repetition: float = 0.8  # share of characters inside repeated 10-grams (near-total repetition)


@_typed
class QualityConfig:
    pii_strategy: PiiStrategy = "pseudonymize"  # pseudonymize | redact | mask | hash | keep
    # Also available: PERSON (spaCy), ADDRESS, DATE_OF_BIRTH. Names are content by default.
    pii_types: PiiTypes = (
        "EMAIL",
        "PHONE",
        "CREDIT_CARD",
        "IBAN",
        "IP_ADDRESS",
        "SSN",
    )
    shift_dates: bool = False  # move every date of a document by one offset of its own
    max_date_shift_days: NonNegative = 365
    generalize_locations: bool = False  # city -> country/state where known, else "[LOCATION]"
    min_chars: NonNegative = 20
    max_chars: Positive = 20000
    tokenizer: str = "cl100k_base"
    max_tokens: Positive = 16384  # per example, all content fields together
    languages: Languages = ()  # ISO 639-1 codes kept; empty keeps every language
    example_heuristics: bool = True  # the text-quality subset of the document filters, on examples
    near_dup: NearDupConfig = field(default_factory=NearDupConfig)
    document_filters: DocumentFilterConfig = field(default_factory=DocumentFilterConfig)
    semantic_threshold: Share = 0.97  # cosine of example embeddings; 0 turns semantic dedup off
    toxicity_action: Literal["flag", "drop"] = "flag"  # flag | drop
    toxicity_wordlist: str = ""  # extra terms, one a line, added to the built-in list
    toxicity_classifier: str = ""  # "module:function", texts -> scores in [0, 1]
    toxicity_threshold: Share = 0.5
    decontamination_sets: Strings = ()  # benchmark test files (JSON, JSONL or text)
    decontamination_ngram: Positive = 13
    review_fraction: Share = 0.05
    split_ratios: SplitRatios = (0.8, 0.1, 0.1)  # train, validation, test
    min_example_score: Share = 0.5  # gate: examples scoring below go to rejected/<kind>.jsonl
    withhold_failing: bool = False  # rows failing a per-example check go to rejected/, the rest ships


@_typed
class RunConfig:
    batch_size: Positive = 25  # documents per run (BackfillPolicy.multi_run and CLI batches)


@_typed
class DataforgeConfig:
    seed: int = 13
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    chunk: ChunkConfig = field(default_factory=ChunkConfig)
    nlp: NlpConfig = field(default_factory=NlpConfig)
    generate: GenerateConfig = field(default_factory=GenerateConfig)
    quality: QualityConfig = field(default_factory=QualityConfig)
    run: RunConfig = field(default_factory=RunConfig)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def config_hash(self) -> str:
        """Stable hash of every setting; recorded in manifests to tell releases apart."""
        blob = json.dumps(self.to_dict(), sort_keys=True, default=list)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _unknown_keys(cls: type, values: Any, where: str) -> None:
    """Refuse unknown keys section by section, listing the known ones (the most common typo)."""
    if not isinstance(values, dict):
        return
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(fields), key=str)
    if unknown:
        raise ConfigError(f"unknown key(s) {unknown} in {where}; known: {sorted(fields)}")
    for name, value in values.items():
        section = fields[name].default_factory
        if isinstance(section, type) and dataclasses.is_dataclass(section):
            _unknown_keys(section, value, f"{where}.{name}")


def _describe(error: ValidationError, where: str) -> str:
    """One line per wrong value: dotted key, what it should be, what it was."""
    lines = []
    for item in error.errors(include_url=False):
        key = where
        for part in item["loc"]:
            key = f"{key}[{part}]" if isinstance(part, int) else f"{key}.{part}" if key else str(part)
        got = item.get("input")
        shown = "" if isinstance(got, dict) or item["type"] == "missing" else f" (got {got!r})"
        lines.append(f"{key or 'config'}: {item['msg']}{shown}")
    return "invalid configuration: " + "; ".join(lines)


def config_from_dict(values: dict[str, Any] | None) -> DataforgeConfig:
    """Defaults overridden by ``values``; any unknown key or wrong value is a ``ConfigError``."""
    values = values or {}
    _unknown_keys(DataforgeConfig, values, "config")
    try:
        return TypeAdapter(DataforgeConfig).validate_python(values)
    except ValidationError as error:
        raise ConfigError(_describe(error, "")) from None


def _sections(cls: type, where: str) -> dict[str, str]:
    out = {cls.__name__: where}
    for f in dataclasses.fields(cls):
        section = f.default_factory
        if isinstance(section, type) and dataclasses.is_dataclass(section):
            out.update(_sections(section, f"{where}.{f.name}".lstrip(".")))
    return out


_SECTION_OF: dict[str, str] = _sections(DataforgeConfig, "")


def load_config(path: str | os.PathLike[str] | None = None) -> DataforgeConfig:
    """Load from ``path``, else ``$DATAFORGE_CONFIG``, else the built-in defaults."""
    path = path or os.environ.get("DATAFORGE_CONFIG")
    if not path:
        return DataforgeConfig()
    text = Path(path).read_text(encoding="utf-8")
    values = yaml.safe_load(text) or {}
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: top level must be a mapping")
    return config_from_dict(values)
