"""quality: PII scrubbing, filters, dedup, splits and the training-dataset pipeline.

PII handling must never break an extractive span, and the same release must come out byte
for byte the same, so both are tested on hand-made examples with known answers.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from typing import Any

import pytest

from dataforge.lib.config import DataforgeConfig, QualityConfig
from dataforge.lib.quality import (
    KINDS,
    PII_TYPES,
    SPLITS,
    apply_pii,
    assign_splits,
    build_training_dataset,
    dedup_exact,
    filter_examples,
    find_pii,
    iban_valid,
    luhn_valid,
    scrub_example,
)

REGEX_TYPES = tuple(t for t in PII_TYPES if t != "PERSON")  # PERSON needs spaCy: test_quality_curation.py
FAST = QualityConfig(semantic_threshold=0)  # semantic dedup has its own test (it loads a model)

POSITIVES = [
    ("EMAIL", "jane.doe+news@Mail.Example.org"),
    ("PHONE", "+1 (415) 555-2671"),
    ("PHONE", "415-555-2671"),
    ("PHONE", "+44 20 7946 0958"),
    ("CREDIT_CARD", "4111 1111 1111 1111"),
    ("CREDIT_CARD", "5500-0000-0000-0004"),
    ("CREDIT_CARD", "378282246310005"),
    ("IBAN", "DE89 3704 0044 0532 0130 00"),
    ("IBAN", "GB82WEST12345698765432"),
    ("IP_ADDRESS", "192.168.10.254"),
    ("IP_ADDRESS", "2a00:1450:4001:081c::200e"),
    ("IP_ADDRESS", "fe80::1"),
    ("SSN", "123-45-6789"),
]

NEGATIVES = [
    "card 4111 1111 1111 1112 fails Luhn",
    "ISBN 9780306406157 is not a card",
    "IBAN DE88 3704 0044 0532 0130 00 has a wrong check digit",
    "GB82WEST12345698765433 fails mod-97",
    "SSN 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567, 123-45-0000 are never issued",
    "version 1.2.3.4.5 and 999.10.10.10 and v1.2.3.4",
    "at 12:30:45 on 2023-10-12 in std::vector, ratio 3:2",
    "order 12345 shipped 2024",
]


def _qa(context: str, answer: str, **extra: Any) -> dict[str, Any]:
    start = context.index(answer)
    return {
        "id": extra.pop("id", "qa-1"),
        "kind": "qa",
        "context": context,
        "question": extra.pop("question", "What?"),
        "answer": answer,
        "answer_start": start,
        "answer_end": start + len(answer),
        "metadata": {"question_type": "factoid", "difficulty": "easy", "answer_type": "span"},
        "source_documents": extra.pop("docs", ["doc-a"]),
        "source_spans": [{"doc_id": "doc-a", "start": 0, "end": len(context)}],
        "generator": "qa.template@1",
        **extra,
    }


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(("kind", "value"), POSITIVES)
def test_every_type_detected_with_exact_span(kind: str, value: str) -> None:
    text = f"Reach it at {value}, please."
    spans = find_pii(text, REGEX_TYPES)
    assert spans == [(12, 12 + len(value), kind)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_negatives_not_flagged(text: str) -> None:
    assert find_pii(text, REGEX_TYPES) == []


def test_checksums() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert iban_valid("DE89370400440532013000")
    assert not iban_valid("DE89370400440532013001")
    assert not iban_valid("DE8937040044053201300")  # registry length for DE is 22


def test_find_pii_only_requested_types_sorted_non_overlapping() -> None:
    text = "ip ::ffff:192.0.2.1 mail a@b.io ssn 123-45-6789 call 415-555-2671"
    spans = find_pii(text, REGEX_TYPES)
    assert [s[2] for s in spans] == ["IP_ADDRESS", "EMAIL", "SSN", "PHONE"]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert [s[2] for s in find_pii(text, ["email", "SSN"])] == ["EMAIL", "SSN"]
    with pytest.raises(ValueError, match="unknown PII type"):
        find_pii(text, ["NAME"])


# --------------------------------------------------------------------------- strategies


@pytest.mark.parametrize(("kind", "value"), POSITIVES)
def test_pseudonymize_consistent_per_value_and_seed(kind: str, value: str) -> None:
    text = f"{value} and again {value}."
    out, counts = apply_pii(text, "pseudonymize", REGEX_TYPES, seed=13)
    assert counts == Counter({kind: 2})
    fake = out.split(" and again ")[0]
    assert fake != value
    assert out == f"{fake} and again {fake}."
    assert apply_pii(text, "pseudonymize", REGEX_TYPES, seed=13)[0] == out
    assert apply_pii(text, "pseudonymize", REGEX_TYPES, seed=14)[0] != out
    if kind in ("CREDIT_CARD", "IBAN", "SSN"):  # fakes fail the checksum / issued ranges
        assert find_pii(fake, [kind]) == []


def test_pseudonym_shapes() -> None:
    def fake(value: str) -> str:
        return apply_pii(value, "pseudonymize", REGEX_TYPES, 13)[0]

    assert fake("jane@corp.com").startswith("user_")
    assert fake("jane@corp.com").endswith("@example.com")
    assert fake("JANE@corp.COM") == fake("jane@corp.com")  # one identifier, one fake
    assert "-555-01" in fake("415-555-2671")
    assert fake("415-555-2671") == fake("(415) 555-2671")
    assert fake("123-45-6789").startswith("000-")
    assert fake("192.168.1.1").rsplit(".", 1)[0] in ("192.0.2", "198.51.100", "203.0.113")
    assert fake("fe80::1").startswith("2001:db8::")
    card = fake("4111 1111 1111 1111")
    assert len(card) == 19 and card[4] == " " and not luhn_valid(card.replace(" ", ""))
    iban = fake("DE89 3704 0044 0532 0130 00")
    assert iban.startswith("DE00 ") and len(iban) == 27 and not iban_valid(iban.replace(" ", ""))


def test_other_strategies() -> None:
    text = "Mail jane@corp.com or 415-555-2671."
    assert apply_pii(text, "redact", PII_TYPES, 1)[0] == "Mail [EMAIL] or [PHONE]."
    assert apply_pii(text, "mask", PII_TYPES, 1)[0] == "Mail ************* or ************."
    hashed, _ = apply_pii(text, "hash", PII_TYPES, 1)
    assert hashed.startswith("Mail <EMAIL:") and "> or <PHONE:" in hashed
    assert hashed != apply_pii(text, "hash", PII_TYPES, 2)[0]  # salted by the seed
    kept, counts = apply_pii(text, "keep", PII_TYPES, 1)
    assert kept == text and counts == Counter({"EMAIL": 1, "PHONE": 1})
    with pytest.raises(ValueError, match="unknown PII strategy"):
        apply_pii(text, "shred", PII_TYPES, 1)


# --------------------------------------------------------------------------- scrub_example

QA_CASES = [
    ("Write to jane@corp.com for the forms.", "jane@corp.com"),  # answer is PII
    ("Contact jane@corp.com before Friday 5 June.", "Friday 5 June"),  # PII before the answer
    ("The fee is 40 dollars, ask jane@corp.com.", "40 dollars"),  # PII after the answer
    ("Send it to jane@corp.com.", "Send it to jane@corp.com"),  # answer contains PII
    ("Mail jane@corp.com or bob@corp.com then wait.", "then wait"),  # two before
    ("Mail jane@corp.com now", "jane@"),  # answer cut inside PII: grows to the replacement
]


@pytest.mark.parametrize("strategy", ["pseudonymize", "redact", "mask", "hash", "keep"])
@pytest.mark.parametrize(("context", "answer"), QA_CASES)
def test_qa_spans_exact_after_scrub(context: str, answer: str, strategy: str) -> None:
    example = _qa(context, answer)
    out, counts = scrub_example(example, strategy, PII_TYPES, seed=7)
    assert out["context"][out["answer_start"] : out["answer_end"]] == out["answer"]
    assert counts["EMAIL"] == context.count("@")
    if strategy != "keep":
        assert "jane@corp.com" not in out["context"] and "jane@corp.com" not in out["answer"]
    if "@" not in answer:
        assert out["answer"] == answer
    elif answer.endswith(".com"):  # the answer gets exactly what the string alone would get
        assert out["answer"] == apply_pii(answer, strategy, PII_TYPES, 7)[0]
    assert example["context"] == context  # input untouched


def test_scrub_all_string_fields_but_not_provenance() -> None:
    example = {
        "id": "conv-jane@corp.com",
        "kind": "conversation",
        "conversations": [
            {"role": "user", "content": "My SSN is 123-45-6789, mail jane@corp.com"},
            {"role": "assistant", "content": "Noted, jane@corp.com."},
        ],
        "metadata": {"notes": ["ip 10.0.0.1"]},
        "source_documents": ["doc-a"],
        "source_spans": [{"doc_id": "doc-a", "start": 0, "end": 5}],
        "generator": "conv@1",
    }
    out, counts = scrub_example(example, "pseudonymize", PII_TYPES, seed=1)
    assert counts == Counter({"EMAIL": 2, "SSN": 1, "IP_ADDRESS": 1})
    fake = out["conversations"][1]["content"].removeprefix("Noted, ").removesuffix(".")
    assert fake.endswith("@example.com") and fake in out["conversations"][0]["content"]
    assert "10.0.0.1" not in out["metadata"]["notes"][0]
    assert out["id"] == example["id"] and out["source_spans"] == example["source_spans"]


def _ent(text: str, span: str, label: str) -> dict[str, Any]:
    start = text.index(span)
    return {"text": span, "label": label, "start": start, "end": start + len(span)}


def test_ner_offsets_shift_and_overlapping_entities_drop() -> None:
    text = "Mail jane@corp.com at corp.com, then Acme Corp signs in Oslo."
    example = {
        "id": "ner-1",
        "kind": "relation",
        "text": text,
        "entities": [
            _ent(text, "corp.com", "ORG"),  # the first one, inside the email
            _ent(text, "Acme Corp", "ORG"),
            _ent(text, "Oslo", "GPE"),
        ],
        "relations": [
            {"head": "Acme Corp", "relation": "located_in", "tail": "Oslo", "confidence": 0.9},
            {"head": "Acme Corp", "relation": "owns", "tail": "corp.com", "confidence": 0.5},
        ],
        "source_documents": ["doc-a"],
    }
    assert all(text[e["start"] : e["end"]] == e["text"] for e in example["entities"])
    for strategy in ("pseudonymize", "redact", "mask"):
        out, _ = scrub_example(example, strategy, REGEX_TYPES, seed=3)
        assert [e["text"] for e in out["entities"]] == ["Acme Corp", "Oslo"]
        assert all(out["text"][e["start"] : e["end"]] == e["text"] for e in out["entities"])
        # the relation that named only the dropped entity goes with it
        assert [r["relation"] for r in out["relations"]] == ["located_in"]


# --------------------------------------------------------------------------- dedup, filters


def test_dedup_exact_normalizes_and_keeps_first() -> None:
    a = {"id": "b", "kind": "instruction", "instruction": "Say hi", "input": "", "output": "Hi there"}
    b = {**a, "id": "a", "instruction": "  say   HI ", "metadata": {"x": 1}, "source_documents": ["d2"]}
    c = {**a, "id": "c", "output": "Hello"}
    d = {"id": "d", "kind": "classification", "text": "Say hi", "label": "Hi there"}
    kept, removed = dedup_exact([a, b, c, d])
    assert kept == [a, c, d]
    assert removed == [b]
    ner = {"id": "n", "kind": "ner", "text": "Oslo", "entities": [], "relations": []}
    assert len(dedup_exact([ner, {**ner, "id": "r", "kind": "relation"}])[0]) == 2


def test_filters_count_by_name() -> None:
    cfg = QualityConfig(min_chars=20, max_chars=200)
    good = _qa("The fee is 40 dollars in total.", "40 dollars", id="ok")
    examples = [
        good,
        {**good, "id": "short", "context": "40 dollars", "answer_start": 0, "answer_end": 10},
        {**good, "id": "long", "context": "40 dollars" + "x" * 300, "answer_start": 0, "answer_end": 10},
        {**good, "id": "empty", "question": "  "},
        {**good, "id": "span", "answer_start": 1},
        {"id": "conv", "kind": "conversation", "conversations": [{"role": "user", "content": ""}]},
        {"id": "odd", "kind": "poem", "text": "roses are red, violets are blue"},
        {
            "id": "inst",
            "kind": "instruction",
            "instruction": "Explain the fee",
            "input": "",
            "output": "It is 40 dollars.",
        },
    ]
    kept, removed = filter_examples(examples, cfg)
    assert [e["id"] for e in kept] == ["ok", "inst"]
    assert removed == Counter(too_short=1, too_long=1, empty_field=2, qa_span_mismatch=1, unknown_kind=1)
    assert filter_examples(examples, DataforgeConfig(quality=cfg)) == (kept, removed)


# --------------------------------------------------------------------------- splits


def test_splits_by_document_deterministic() -> None:
    examples = [{"id": f"e{i}", "kind": "qa", "source_documents": [f"doc-{i % 200}"]} for i in range(1000)]
    first, dropped = assign_splits(examples, (0.8, 0.1, 0.1), seed=13)
    assert dropped == []
    assert first == assign_splits(list(examples), (0.8, 0.1, 0.1), seed=13)[0]
    assert all("split" not in e for e in examples)  # new dicts
    doc_split: dict[str, set[str]] = {}
    for e in first:
        doc_split.setdefault(e["source_documents"][0], set()).add(e["split"])
    assert all(len(s) == 1 for s in doc_split.values())  # no document in two splits
    per_split = Counter(next(iter(s)) for s in doc_split.values())
    assert set(per_split) == set(SPLITS)
    assert 120 <= per_split["train"] <= 190
    other_seed, _ = assign_splits(examples, (0.8, 0.1, 0.1), seed=14)
    assert [e["split"] for e in other_seed] != [e["split"] for e in first]
    assert {e["split"] for e in assign_splits(examples, (1, 0, 0), 13)[0]} == {"train"}


def test_multi_document_example_takes_sorted_first_doc() -> None:
    single, _ = assign_splits([{"id": "s", "source_documents": ["doc-a"]}], (0.5, 0.25, 0.25), 5)
    multi, _ = assign_splits([{"id": "m", "source_documents": ["doc-z", "doc-a"]}], (0.5, 0.25, 0.25), 5)
    assert multi[0]["split"] == single[0]["split"]


# --------------------------------------------------------------------------- pipeline


def _corpus() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(40):
        doc = f"doc-{i % 9}"
        out.append(
            _qa(
                f"Document {i} asks you to mail jane{i}@corp.com about the fee of {i} dollars.",
                f"{i} dollars",
                id=f"qa-{i:02d}",
                docs=[doc],
            )
        )
        out.append({
            "id": f"inst-{i:02d}", "kind": "instruction", "instruction": f"Explain item {i % 20}.",
            "input": "", "output": f"Item {i % 20} is described in the memo.",
            "metadata": {}, "source_documents": [doc], "source_spans": [], "generator": "inst@1",
        })  # fmt: skip
    out.append({"id": "tiny", "kind": "classification", "text": "ok", "label": "x", "source_documents": ["doc-0"]})
    return out


def test_build_training_dataset_pipeline_and_report() -> None:
    config = DataforgeConfig(seed=13, quality=FAST)
    datasets, report = build_training_dataset(_corpus(), "r1", config)
    assert list(datasets) == list(KINDS)
    assert len(datasets["qa"]) == 40 and len(datasets["instruction"]) == 20  # 20 duplicates
    assert datasets["classification"] == []  # the tiny one was too short
    for kind, rows in datasets.items():
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
        assert all(r["release"] == "r1" and r["kind"] == kind and r["split"] in SPLITS for r in rows)
    for r in datasets["qa"]:
        assert r["context"][r["answer_start"] : r["answer_end"]] == r["answer"]
        assert "@corp.com" not in r["context"]
    assert report["input"]["examples"] == 81
    assert report["pii"]["by_type"]["EMAIL"] == 40 and report["pii"]["examples_affected"] == 40
    assert report["filters"]["removed"] == {"too_short": 1}
    assert report["dedup"]["removed"] == 20 and report["dedup"]["by_kind"]["instruction"] == 20
    assert report["output"]["examples"] == 60
    assert sum(report["splits"]["by_kind"]["qa"].values()) == 40


def test_build_training_dataset_independent_of_input_order() -> None:
    corpus = _corpus()
    shuffled = corpus[:]
    random.Random(4).shuffle(shuffled)
    config = DataforgeConfig(quality=FAST)
    assert build_training_dataset(corpus, "r1", config) == build_training_dataset(shuffled, "r1", config)
    # a bare QualityConfig works with an explicit seed
    datasets, report = build_training_dataset(
        corpus, "r1", QualityConfig(pii_strategy="redact", semantic_threshold=0), seed=13
    )
    assert report["pii"]["strategy"] == "redact"
    assert all("[EMAIL]" in r["context"] for r in datasets["qa"])
