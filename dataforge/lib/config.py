"""One configuration object for the whole pipeline.

Defaults are built in; a YAML file (``--config`` or ``DATAFORGE_CONFIG``) overrides any
subset. The same values feed the Dagster resource, so the CLI and the UI agree. The config
hash goes into every release manifest: same inputs + same config + same release name give
byte-identical dataset files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class ExtractConfig:
    max_bytes: int = 200 * 1024 * 1024  # larger inputs are quarantined as 'too_large'
    max_pages: int = 5000  # PDFs with more pages are quarantined as 'too_large'
    ocr: bool = True  # OCR PDF pages that are images without a text layer (Tesseract)
    ocr_languages: str = "eng+ara"  # Tesseract language packs, '+'-joined; missing ones are skipped
    ocr_dpi: int = 300  # render resolution for OCR
    ocr_timeout_s: int = 180  # per page; a slower page quarantines the document as 'ocr_failed'
    timeout_s: float = 900.0  # per document, parser in a killed-on-timeout child (lib.sandbox); 0 = in process
    max_memory_mb: int = 4096  # per document, address space the parser may add (RLIMIT_AS); 0 = no cap


@dataclass(frozen=True)
class ChunkConfig:
    max_tokens: int = 256
    overlap_sentences: int = 1
    tokenizer: str = "cl100k_base"


EMBEDDING_PRECISIONS = ("fp32", "bf16")


@dataclass(frozen=True)
class NlpConfig:
    spacy_model: str = "en_core_web_sm"  # falls back to the offline mirror when missing
    # segments (<= 4,000 characters) per nlp.pipe batch: 16 is as fast as 64 on CPU and halves
    # the parser's transient memory (1.2 GB -> 0.67 GB peak on a 1 MB document, BENCHMARKS.md)
    batch_size: int = 16
    n_process: int = 1
    embedding_model: str = "all-MiniLM-L6-v2"
    embedding_batch_size: int = 16  # texts are sorted by length; small batches pad less (~10% faster than 64)
    # fp32 | bf16: bf16 runs the encoder under torch autocast; on CPUs with AMX it is ~2.2x faster,
    # cosine to the fp32 vectors >= 0.99997 (BENCHMARKS.md). Off by default: the thresholds were tuned on fp32.
    embedding_precision: str = "fp32"
    gazetteer: tuple[dict[str, str], ...] = ()  # EntityRuler patterns: {"label", "pattern"}
    coref: bool = True  # pronouns and "the company" linked to named entities (silver/document_coref)
    mention_vectors: bool = True  # sentence vectors of mentions, used as context by entity resolution

    def __post_init__(self) -> None:
        if self.embedding_precision not in EMBEDDING_PRECISIONS:
            raise ConfigError(
                f"nlp.embedding_precision must be one of {EMBEDDING_PRECISIONS}, not {self.embedding_precision!r}"
            )


@dataclass(frozen=True)
class LLMConfig:
    """Optional OpenAI-compatible chat API (dataforge.lib.llm). The key is read from the
    environment variable named here at run time, never stored in the config or its hash."""

    enabled: bool = False
    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = ""
    api_key_env: str = "DATAFORGE_LLM_API_KEY"
    tasks: tuple[str, ...] = ("qa", "paraphrase", "summary", "conversation")
    max_requests_per_document: int = 8
    temperature: float = 0.0
    max_tokens: int = 300  # per response; also the output side of the cost estimate
    timeout_s: float = 60.0
    max_retries: int = 4
    backoff_s: float = 1.0  # doubled after every failed attempt
    budget_usd: float = 5.0  # a batch whose estimate exceeds what is left is refused
    price_input_per_mtok: float = 0.0  # USD per million prompt tokens
    price_output_per_mtok: float = 0.0
    min_support: float = 0.8  # share of an output's content words found in its source


@dataclass(frozen=True)
class AugmentConfig:
    """Consistent entity substitution (dataforge.lib.generate.augment), off by default."""

    enabled: bool = False
    variants_per_example: int = 1
    max_per_document: int = 50


@dataclass(frozen=True)
class GenerateConfig:
    max_qa_per_chunk: int = 6
    summary_sentences: int = 3
    summary_method: str = "embedding"  # embedding (MiniLM) | tfidf
    conversation_max_turns: int = 6
    topics: int = 4
    unanswerable_qa: bool = False
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    llm: LLMConfig = field(default_factory=LLMConfig)


@dataclass(frozen=True)
class NearDupConfig:
    """MinHash-LSH near-duplicate documents (see dataforge.lib.quality.minhash)."""

    enabled: bool = True
    shingle_words: int = 3  # word n-grams hashed into the MinHash
    measure: str = "containment"  # containment (of the smaller in the larger) | jaccard
    threshold: float = 0.5
    num_perm: int = 128
    bands: int = 64  # LSH bands; rows per band = num_perm // bands


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class QualityConfig:
    pii_strategy: str = "pseudonymize"  # pseudonymize | redact | mask | hash | keep
    # Also available: PERSON (spaCy), ADDRESS, DATE_OF_BIRTH. Names are content by default.
    pii_types: tuple[str, ...] = (
        "EMAIL",
        "PHONE",
        "CREDIT_CARD",
        "IBAN",
        "IP_ADDRESS",
        "SSN",
    )
    shift_dates: bool = False  # move every date of a document by one offset of its own
    max_date_shift_days: int = 365
    generalize_locations: bool = False  # city -> country/state where known, else "[LOCATION]"
    min_chars: int = 20
    max_chars: int = 20000
    tokenizer: str = "cl100k_base"
    max_tokens: int = 16384  # per example, all content fields together
    languages: tuple[str, ...] = ()  # ISO 639-1 codes kept; empty keeps every language
    example_heuristics: bool = True  # the text-quality subset of the document filters, on examples
    near_dup: NearDupConfig = field(default_factory=NearDupConfig)
    document_filters: DocumentFilterConfig = field(default_factory=DocumentFilterConfig)
    semantic_threshold: float = 0.97  # cosine of example embeddings; 0 turns semantic dedup off
    toxicity_action: str = "flag"  # flag | drop
    toxicity_wordlist: str = ""  # extra terms, one a line, added to the built-in list
    toxicity_classifier: str = ""  # "module:function", texts -> scores in [0, 1]
    toxicity_threshold: float = 0.5
    decontamination_sets: tuple[str, ...] = ()  # benchmark test files (JSON, JSONL or text)
    decontamination_ngram: int = 13
    review_fraction: float = 0.05
    split_ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)  # train, validation, test
    withhold_failing: bool = False  # rows failing a per-example check go to rejected/, the rest ships


@dataclass(frozen=True)
class RunConfig:
    batch_size: int = 25  # documents per run (BackfillPolicy.multi_run and CLI batches)


@dataclass(frozen=True)
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


class ConfigError(ValueError):
    """A configuration file names a section or key that does not exist."""


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"unknown key(s) {unknown} in {where}; known: {sorted(known)}")
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        default = getattr(cls(), name)
        if dataclasses.is_dataclass(default):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}.{name} must be a mapping")
            kwargs[name] = _build(type(default), value, f"{where}.{name}")
        elif isinstance(default, tuple):
            kwargs[name] = tuple(value)
        else:
            kwargs[name] = value
    return cls(**kwargs)


def config_from_dict(values: dict[str, Any] | None) -> DataforgeConfig:
    return _build(DataforgeConfig, values or {}, "config")


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
