"""Typed configuration: a wrong value fails at load, naming its dotted key."""

import dataclasses
from typing import get_args

import pytest

from dataforge.lib.config import (
    ChunkConfig,
    ConfigError,
    DataforgeConfig,
    GenerateConfig,
    PiiStrategy,
    PiiType,
    QualityConfig,
    config_from_dict,
    load_config,
)
from dataforge.lib.quality.schema import PII_TYPES, STRATEGIES


def load_yaml(tmp_path, text: str) -> DataforgeConfig:
    path = tmp_path / "dataforge.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_a_word_where_a_number_goes_fails_at_load_naming_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"chunk\.max_tokens: .*valid integer.*'lots'"):
        load_yaml(tmp_path, "chunk:\n  max_tokens: lots\n")
    with pytest.raises(ConfigError, match=r"chunk\.max_tokens: .*greater than 0"):
        load_yaml(tmp_path, "chunk:\n  max_tokens: 0\n")
    assert load_yaml(tmp_path, "chunk:\n  max_tokens: 512\n").chunk.max_tokens == 512


def test_one_language_as_a_plain_string_is_a_one_item_list_not_letters(tmp_path):
    config = load_yaml(tmp_path, "quality:\n  languages: en\n")
    assert config.quality.languages == ("en",)
    assert load_yaml(tmp_path, "quality:\n  languages: [en, de]\n").quality.languages == ("en", "de")
    with pytest.raises(ConfigError, match=r"quality\.languages\[0\]"):
        load_yaml(tmp_path, "quality:\n  languages: [english]\n")


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"quality": {"pii_strategy": "shred"}}, "quality.pii_strategy"),
        ({"quality": {"pii_types": ["EMAIL", "PASSPORT"]}}, r"quality.pii_types\[1\]"),
        ({"quality": {"toxicity_action": "ban"}}, "quality.toxicity_action"),
        ({"generate": {"summary_method": "bert"}}, "generate.summary_method"),
        ({"quality": {"near_dup": {"measure": "cosine"}}}, "quality.near_dup.measure"),
        ({"nlp": {"embedding_precision": "fp16"}}, "nlp.embedding_precision"),
        ({"generate": {"llm": {"tasks": ["qa", "poems"]}}}, r"generate.llm.tasks\[1\]"),
        ({"extract": {"ocr": "sometimes"}}, "extract.ocr"),
        ({"chunk": 5}, "chunk"),
    ],
)
def test_bad_values_fail_with_their_dotted_key(values, key):
    with pytest.raises(ConfigError, match=key):
        config_from_dict(values)


def test_split_ratios_must_be_three_shares_summing_to_one():
    with pytest.raises(ConfigError, match=r"quality\.split_ratios: .*sum to 1"):
        config_from_dict({"quality": {"split_ratios": [0.8, 0.1, 0.2]}})
    with pytest.raises(ConfigError, match=r"quality\.split_ratios"):
        config_from_dict({"quality": {"split_ratios": [0.9, 0.1]}})
    with pytest.raises(ConfigError, match=r"quality\.split_ratios"):
        config_from_dict({"quality": {"split_ratios": [1.2, -0.1, -0.1]}})
    assert config_from_dict({"quality": {"split_ratios": [0.7, 0.15, 0.15]}}).quality.split_ratios == (0.7, 0.15, 0.15)


def test_unknown_keys_still_list_the_known_ones():
    with pytest.raises(ConfigError, match=r"unknown key\(s\) \['max_token'\] in config.chunk; known: \['max_tokens'"):
        config_from_dict({"chunk": {"max_token": 100}})
    with pytest.raises(ConfigError, match=r"in config.generate.llm"):
        config_from_dict({"generate": {"llm": {"modle": "x"}}})


def test_direct_construction_and_replace_are_checked_too():
    with pytest.raises(ConfigError, match=r"generate\.summary_method"):
        GenerateConfig(summary_method="bert")
    with pytest.raises(ConfigError, match=r"chunk\.max_tokens"):
        dataclasses.replace(ChunkConfig(), max_tokens="lots")
    with pytest.raises(dataclasses.FrozenInstanceError):
        DataforgeConfig().chunk.max_tokens = 3  # type: ignore[misc]


def test_lists_become_hashable_tuples_and_the_hash_is_stable():
    config = config_from_dict({"quality": {"pii_types": ["EMAIL"], "decontamination_sets": ["a.jsonl"]}})
    assert config.quality.pii_types == ("EMAIL",) and config.quality.decontamination_sets == ("a.jsonl",)
    assert hash(config) == hash(
        config_from_dict({"quality": {"pii_types": ["EMAIL"], "decontamination_sets": "a.jsonl"}})
    )
    assert config.config_hash() == config_from_dict(config.to_dict()).config_hash()
    assert config.config_hash() != DataforgeConfig().config_hash()
    assert config_from_dict({}).config_hash() == DataforgeConfig().config_hash()
    assert config.to_dict()["quality"]["pii_types"] == ("EMAIL",)


def test_the_config_vocabulary_matches_the_quality_gate():
    assert get_args(PiiStrategy) == STRATEGIES and get_args(PiiType) == PII_TYPES
    assert QualityConfig(pii_types=list(PII_TYPES)).pii_types == PII_TYPES
