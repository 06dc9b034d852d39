"""export: every release file parses, is deterministic, and loads where users load it.

The Hugging Face folder is loaded with ``datasets.load_dataset`` from disk, offline.
"""

from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from dataforge.lib.config import DataforgeConfig, QualityConfig
from dataforge.lib.export import (
    alpaca_files,
    build_manifest,
    dataset_card,
    dataset_files,
    hf_files,
    openai_files,
    release_files,
    schema_for,
    sharegpt_files,
    validate_openai_jsonl,
)
from dataforge.lib.quality import KINDS, SPLITS, build_training_dataset

os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

EMPTY_KIND = "classification"


def _prov(i: int, kind: str) -> dict[str, Any]:
    doc = f"doc-{i % 20:02d}"
    return {
        "id": f"{kind}-{i:03d}",
        "kind": kind,
        "source_documents": [doc],
        "source_spans": [{"doc_id": doc, "start": i, "end": i + 40}],
        "generator": f"{kind}.template@1",
    }


def _examples() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(60):
        ctx = f"Report {i}: Nordlys Energy paid {i} million kroner for Halden Wind (contact ir@nordlys.no)."
        ans = f"{i} million kroner"
        start = ctx.index(ans)
        meta = {"question_type": "factoid", "difficulty": "easy", "answer_type": "money"}
        text = f"Nordlys Energy acquired Halden Wind {i} in Oslo."
        ents = [
            {"text": "Nordlys Energy", "label": "ORG", "start": 0, "end": 14},
            {"text": "Oslo", "label": "GPE", "start": text.index("Oslo"), "end": text.index("Oslo") + 4},
        ]
        rels = [{"head": "Nordlys Energy", "relation": "located_in", "tail": "Oslo", "confidence": 0.75}]
        out += [
            {**_prov(i, "qa"), "context": ctx, "question": f"What was paid in report {i}?",
             "answer": ans, "answer_start": start, "answer_end": start + len(ans), "metadata": meta},
            {**_prov(i, "instruction"), "instruction": f"Summarize report {i} in one line.",
             "input": ctx, "output": f"Nordlys bought Halden Wind for {ans}.", "metadata": {}},
            {**_prov(i, "summary"), "document": ctx * 3, "summary": f"Nordlys paid {ans}.",
             "summary_type": "extractive", "compression_ratio": 0.1, "metadata": {"sentences": 1}},
            {**_prov(i, "conversation"), "metadata": {"turns": 3}, "conversations": [
                {"role": "system", "content": "You answer questions about energy deals."},
                {"role": "user", "content": f"What happened in report {i}?"},
                {"role": "assistant", "content": f"Nordlys Energy paid {ans} for Halden Wind."},
            ]},
            {**_prov(i, "ner"), "text": text, "entities": ents, "relations": []},
            {**_prov(i, "relation"), "text": text, "entities": ents, "relations": rels},
        ]  # fmt: skip
    return out


CONFIG = DataforgeConfig(seed=13, quality=QualityConfig(semantic_threshold=0))  # semantic dedup: own test


@pytest.fixture(scope="module")
def built() -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    return build_training_dataset(_examples(), "r-test", CONFIG)


@pytest.fixture(scope="module")
def datasets(built: tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    ds = built[0]
    assert ds[EMPTY_KIND] == [] and all(ds[k] for k in KINDS if k != EMPTY_KIND)
    for kind in ("qa", "conversation"):
        assert {r["split"] for r in ds[kind]} == set(SPLITS)  # every split has rows
    return ds


def _write(files: dict[str, bytes], root: Path) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


# --------------------------------------------------------------------------- datasets/


def test_dataset_files_parse_and_match(datasets: dict[str, list[dict[str, Any]]]) -> None:
    files = dataset_files(datasets)
    assert sorted(files) == sorted(f"datasets/{k}.{ext}" for k in KINDS for ext in ("jsonl", "parquet"))
    for kind in KINDS:
        data = files[f"datasets/{kind}.jsonl"]
        lines = data.decode("utf-8").split("\n")
        assert lines.pop() == ""  # '\n' line endings, last line terminated too
        rows = [json.loads(line) for line in lines]
        assert rows == datasets[kind]
        assert all(
            line == json.dumps(r, sort_keys=True, ensure_ascii=False) for line, r in zip(lines, rows, strict=True)
        )
        table = pq.read_table(io.BytesIO(files[f"datasets/{kind}.parquet"]))
        assert table.num_rows == len(rows)
        assert table.column("id").to_pylist() == [r["id"] for r in rows]
    qa = pq.read_table(io.BytesIO(files["datasets/qa.parquet"])).to_pylist()[0]
    assert qa["context"][qa["answer_start"] : qa["answer_end"]] == qa["answer"]
    assert json.loads(qa["metadata"])["answer_type"] == "money"


def test_empty_kind_parquet_has_declared_schema(datasets: dict[str, list[dict[str, Any]]]) -> None:
    data = dataset_files(datasets)[f"datasets/{EMPTY_KIND}.parquet"]
    table = pq.read_table(io.BytesIO(data))
    assert table.num_rows == 0
    assert table.schema.equals(schema_for(EMPTY_KIND))
    assert {"id", "text", "label", "split", "release", "source_spans"} <= set(table.column_names)
    empty_relation = pq.read_table(io.BytesIO(dataset_files({"relation": []})["datasets/relation.parquet"]))
    assert str(empty_relation.schema.field("entities").type).startswith("list<")


def test_outputs_deterministic(built: tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]) -> None:
    shuffled = _examples()
    random.Random(9).shuffle(shuffled)
    again, report = build_training_dataset(shuffled, "r-test", CONFIG)
    manifest = build_manifest("r-test", "2025-01-01T00:00:00+00:00", "0.1.0", "abc", [], again)
    first = release_files("r-test", {**manifest, "created_at": "x"}, built[1], built[0])
    second = release_files("r-test", {**manifest, "created_at": "x"}, report, again)
    assert first == second


# --------------------------------------------------------------------------- OpenAI


def test_openai_files_valid(datasets: dict[str, list[dict[str, Any]]]) -> None:
    files = openai_files(datasets)
    assert sorted(files) == sorted(f"exports/openai/{s}.jsonl" for s in SPLITS)
    total = 0
    for data in files.values():
        assert validate_openai_jsonl(data) == []
        for line in data.decode().splitlines():
            obj = json.loads(line)
            assert list(obj) == ["messages"]
            assert obj["messages"][-1]["role"] == "assistant"
            total += 1
    chat_kinds = ("conversation", "qa", "instruction", "summary")
    assert total == sum(len(datasets[k]) for k in chat_kinds)
    train = [json.loads(x) for x in files["exports/openai/train.jsonl"].decode().splitlines()]
    qa_msgs = next(o["messages"] for o in train if o["messages"][0]["content"].startswith("Answer"))
    assert qa_msgs[1]["content"].startswith("Context:\n") and "Question: " in qa_msgs[1]["content"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"prompt": "x"}', "'messages' must be a non-empty list"),
        ('{"messages": []}', "'messages' must be a non-empty list"),
        ('{"messages": [{"role": "user", "content": "hi"}]}', "no assistant message"),
        ('{"messages": [{"role": "bot", "content": "hi"}, {"role": "assistant", "content": "x"}]}', "role 'bot'"),
        ('{"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": "x"}]}', "non-empty string"),
        ('{"messages": [{"role": "user", "content": 5}, {"role": "assistant", "content": "x"}]}', "non-empty string"),
        (
            '{"messages": [{"role": "user", "content": "a", "foo": 1}, {"role": "assistant", "content": "x"}]}',
            "unrecognized key 'foo'",
        ),
        ('{"messages": ["hi", {"role": "assistant", "content": "x"}]}', "not an object"),
        ("", "empty line"),
    ],
)
def test_openai_validator_catches_bad_lines(line: str, expected: str) -> None:
    good = '{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}'
    errors = validate_openai_jsonl(f"{good}\n{line}\n{good}\n".encode())
    assert errors and all(e.startswith("line 2") for e in errors)
    assert any(expected in e for e in errors), errors


def test_openai_validator_limits_and_ignored_roles() -> None:
    long = json.dumps(
        {
            "messages": [
                {"role": "user", "content": " ".join(map(str, range(70_000)))},
                {"role": "assistant", "content": "a"},
            ]
        }
    )
    assert any("65536" in e and "cl100k_base" in e for e in validate_openai_jsonl(long.encode()))
    tool = {"messages": [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "1"}]},
        {"role": "tool", "content": ""},
        {"role": "assistant", "content": "Sunny."},
    ]}  # fmt: skip
    assert validate_openai_jsonl((json.dumps(tool) + "\n").encode()) == []
    assert validate_openai_jsonl(b"") == []
    assert validate_openai_jsonl(b"\xff\n")[0].startswith("file is not UTF-8")


# --------------------------------------------------------------------------- Alpaca, ShareGPT


def test_alpaca_files(datasets: dict[str, list[dict[str, Any]]]) -> None:
    files = alpaca_files(datasets)
    assert sorted(files) == sorted(f"exports/alpaca/{s}.json" for s in SPLITS)
    rows = [r for data in files.values() for r in json.loads(data)]
    assert all(set(r) == {"instruction", "input", "output"} for r in rows)
    assert len(rows) == sum(len(datasets[k]) for k in ("instruction", "qa", "summary"))


def test_sharegpt_files(datasets: dict[str, list[dict[str, Any]]]) -> None:
    files = sharegpt_files(datasets)
    assert sorted(files) == sorted(f"exports/sharegpt/{s}.json" for s in SPLITS)
    rows = [r for data in files.values() for r in json.loads(data)]
    assert len(rows) == sum(len(datasets[k]) for k in ("conversation", "qa", "instruction"))
    for r in rows:
        assert {t["from"] for t in r["conversations"]} <= {"system", "human", "gpt"}
        assert r["conversations"][-1]["from"] == "gpt"
        assert all(isinstance(t["value"], str) and t["value"] for t in r["conversations"])


def test_empty_datasets_still_give_every_split_file() -> None:
    empty = {k: [] for k in KINDS}
    assert openai_files(empty)["exports/openai/test.jsonl"] == b""
    assert json.loads(alpaca_files(empty)["exports/alpaca/validation.json"]) == []
    assert json.loads(sharegpt_files(empty)["exports/sharegpt/train.json"]) == []
    assert list(hf_files(empty)) == ["exports/hf/README.md"]


# --------------------------------------------------------------------------- Hugging Face


def test_hf_folder_loads_with_datasets(datasets: dict[str, list[dict[str, Any]]], tmp_path: Path) -> None:
    hf_datasets = pytest.importorskip("datasets")
    root = _write(hf_files(datasets), tmp_path / "release")
    folder = root / "exports" / "hf"
    readme = (folder / "README.md").read_text()
    assert readme.startswith("---\nconfigs:\n")
    assert f"config_name: {EMPTY_KIND}" not in readme
    for kind in KINDS:
        if kind == EMPTY_KIND:
            continue
        loaded = hf_datasets.load_dataset(str(folder), kind, cache_dir=str(tmp_path / "cache"))
        expected = {s: [r["id"] for r in datasets[kind] if r["split"] == s] for s in SPLITS}
        assert set(loaded) == {s for s, ids in expected.items() if ids}
        for split, ds in loaded.items():
            assert ds["id"] == expected[split]
            assert set(ds["split"]) == {split}
    qa = hf_datasets.load_dataset(str(folder), "qa", cache_dir=str(tmp_path / "cache"))["train"][0]
    assert qa["context"][qa["answer_start"] : qa["answer_end"]] == qa["answer"]


def test_release_folder_loads_through_card(
    built: tuple[dict[str, list[dict[str, Any]]], dict[str, Any]], tmp_path: Path
) -> None:
    hf_datasets = pytest.importorskip("datasets")
    ds, report = built
    manifest = build_manifest("r-test", "2025-01-01T00:00:00+00:00", "0.1.0", "abc", [], ds)
    root = _write(release_files("r-test", manifest, report, ds), tmp_path / "r-test")
    loaded = hf_datasets.load_dataset(str(root), "ner", cache_dir=str(tmp_path / "cache"))
    assert sum(len(v) for v in loaded.values()) == len(ds["ner"])


# --------------------------------------------------------------------------- card, manifest


def test_manifest_and_card(built: tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]) -> None:
    ds, report = built
    docs = [
        {"doc_id": "doc-b", "sha256": "b" * 64, "source": "samples/b.txt"},
        {"doc_id": "doc-a", "sha256": "a" * 64, "source": "samples/a|pipe.md"},
    ]
    manifest = build_manifest("r-test", "2025-01-01T00:00:00+00:00", "0.1.0", "cfg123", docs, ds)
    assert [d["doc_id"] for d in manifest["documents"]] == ["doc-a", "doc-b"]
    assert manifest["datasets"]["qa"]["rows"] == len(ds["qa"])
    assert manifest["datasets"][EMPTY_KIND] == {"rows": 0, "splits": dict.fromkeys(SPLITS, 0)}
    assert manifest["total_rows"] == sum(len(v) for v in ds.values())
    json.dumps(manifest)
    card = dataset_card("r-test", manifest, report, ds).decode()
    assert card == dataset_card("r-test", {**manifest, "created_at": "later"}, report, ds).decode()
    assert "# dataforge release `r-test`" in card
    assert f"| qa | {len([r for r in ds['qa'] if r['split'] == 'train'])} |" in card
    assert "samples/a\\|pipe.md" in card and "cfg123" in card
    assert "qa.template@1" in card and "Provenance" in card and "PII (pseudonymize" in card
    files = release_files("r-test", manifest, report, ds)
    assert json.loads(files["manifest.json"]) == manifest
    assert json.loads(files["quality_report.json"]) == report
