"""export: Alpaca/ShareGPT validators, the PII scan of exports, lineage, token histograms and
the card's quality section, on a release built from hand-made examples."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dataforge.lib.config import QualityConfig
from dataforge.lib.export import (
    LINEAGE_PATH,
    build_manifest,
    dataset_card,
    export_files,
    lineage_rows,
    release_files,
    scan_pii,
    scan_types,
    trace,
    validate_alpaca,
    validate_exports,
    validate_sharegpt,
)
from dataforge.lib.quality import build_training_dataset

TYPES = ("EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "SSN", "ADDRESS", "DATE_OF_BIRTH")


def _examples() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(12):
        doc = f"doc-{i % 4}"
        context = (
            f"Clerk {i} was born on 4 May 19{60 + i}, lives at {100 + i} Harbor Street, Springfield, IL 62701 and "
            f"answers at clerk{i}@city.gov or 217-555-{1000 + i}; card 4111 1111 1111 1111, IBAN DE89 3704 0044 "
            f"0532 0130 00, host 10.0.0.{i}, SSN 123-45-67{10 + i}."
        )
        answer = f"clerk{i}@city.gov"
        start = context.index(answer)
        prov = {"source_documents": [doc], "source_spans": [{"doc_id": doc, "start": 0, "end": 9}], "generator": "t@1"}
        rows.append({
            "id": f"qa-{i:02d}", "kind": "qa", "context": context, "question": f"How to reach clerk {i}?",
            "answer": answer, "answer_start": start, "answer_end": start + len(answer), "metadata": {}, **prov,
        })  # fmt: skip
        rows.append({
            "id": f"in-{i:02d}", "kind": "instruction", "instruction": f"Summarize the record of clerk {i}.",
            "input": context, "output": f"Clerk {i}, born 4 May 19{60 + i}, can be reached at clerk{i}@city.gov.",
            "metadata": {}, **prov,
        })  # fmt: skip
        rows.append({"id": f"cv-{i:02d}", "kind": "conversation", "metadata": {}, **prov, "conversations": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": f"Phone of clerk {i}?"},
            {"role": "assistant", "content": f"It is 217-555-{1000 + i}."},
        ]})  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def redacted() -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    cfg = QualityConfig(pii_strategy="redact", pii_types=TYPES, semantic_threshold=0, example_heuristics=False)
    return build_training_dataset(_examples(), "r", cfg, seed=3)


def test_no_pii_left_in_any_export_under_redaction(redacted: tuple[dict[str, Any], dict[str, Any]]) -> None:
    datasets, report = redacted
    files = export_files(datasets, report)
    assert scan_pii(files, scan_types(TYPES, "redact")) == dict.fromkeys(TYPES, 0)
    raw = {"exports/raw.jsonl": "".join(json.dumps(e) + "\n" for e in _examples()).encode()}
    found = scan_pii(raw, TYPES)
    assert all(found[t] > 0 for t in TYPES), found  # the scan does see what redaction removed
    assert report["pii"]["by_type"]["ADDRESS"] == 24 and report["pii"]["by_type"]["DATE_OF_BIRTH"] == 36


def test_scan_types_skip_realistic_pseudonyms() -> None:
    assert scan_types(TYPES + ("PERSON",), "pseudonymize") == list(TYPES[:6])
    assert scan_types(TYPES, "keep") == []
    assert scan_types(("PERSON",), "redact") == ["PERSON"]


def test_every_export_validates(redacted: tuple[dict[str, Any], dict[str, Any]]) -> None:
    datasets, report = redacted
    results = validate_exports(export_files(datasets, report))
    assert len(results) == 9 and all(errors == [] for errors in results.values()), results


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{}", "not a JSON array"),
        (b'[{"instruction": "a", "output": "b"}]', "exactly instruction, input, output"),
        (b'[{"instruction": " ", "input": "", "output": "b"}]', "empty instruction or output"),
        (b'[{"instruction": 1, "input": "", "output": "b"}]', "must be strings"),
    ],
)
def test_alpaca_validator_catches(data: bytes, expected: str) -> None:
    assert any(expected in e for e in validate_alpaca(data))


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        ([], "non-empty list"),
        ([{"from": "human", "text": "x"}], "exactly 'from' and 'value'"),
        ([{"from": "user", "value": "x"}, {"from": "gpt", "value": "y"}], "system, human or gpt"),
        ([{"from": "gpt", "value": "x"}], "alternate"),
        ([{"from": "human", "value": "x"}, {"from": "gpt", "value": " "}], "empty value"),
    ],
)
def test_sharegpt_validator_catches(turns: list[Any], expected: str) -> None:
    assert any(expected in e for e in validate_sharegpt(json.dumps([{"conversations": turns}]).encode()))
    ok = [
        {
            "conversations": [
                {"from": "system", "value": "s"},
                {"from": "human", "value": "h"},
                {"from": "gpt", "value": "g"},
            ]
        }
    ]
    assert validate_sharegpt(json.dumps(ok).encode()) == []


def test_lineage_from_example_id_to_document_sha(redacted: tuple[dict[str, Any], dict[str, Any]]) -> None:
    datasets, report = redacted
    docs = [{"doc_id": f"doc-{i}", "sha256": str(i) * 64, "source": f"s{i}"} for i in range(4)]
    manifest = build_manifest("r", "now", "0", "cfg", docs, datasets)
    lineage = lineage_rows(datasets, manifest["documents"])
    row = trace("qa-05", lineage)
    assert row is not None and row["source_documents"] == [{"doc_id": "doc-1", "sha256": "1" * 64}]
    assert row["source_spans"] == [{"doc_id": "doc-1", "start": 0, "end": 9}] and row["split"]
    assert trace("missing", lineage) is None
    files = release_files("r", manifest, report, datasets)
    assert manifest["lineage"]["file"] == LINEAGE_PATH and len(files[LINEAGE_PATH].splitlines()) == len(lineage)
    assert files["images/token_lengths.png"].startswith(b"\x89PNG")
    assert {"review/argilla.jsonl", "review/label_studio.json", "review/label_studio.xml"} <= set(files)


def test_card_explains_every_stage(redacted: tuple[dict[str, Any], dict[str, Any]]) -> None:
    datasets, report = redacted
    manifest = build_manifest("r", "now", "0", "cfg", [{"doc_id": "doc-0", "sha256": "0" * 64}], datasets)
    card = dataset_card("r", manifest, report, datasets).decode()
    for needle in (
        "Documents:",
        "Human review:",
        "PII (redact",
        "ADDRESS: 24",
        "Privacy:",
        "Filters:",
        "Toxicity/bias",
        "Decontamination",
        "Exact dedup",
        "Semantic dedup",
        "no document feeds two splits",
        "## Tokens",
        "![Token lengths per dataset](images/token_lengths.png)",
        "| doc-0 |",
        "unknown",
    ):
        assert needle in card, needle
