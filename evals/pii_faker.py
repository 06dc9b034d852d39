"""PII detection on a generated, labelled set, and a leak check of redacted exports.

The set (reproducible: Faker 40.54.0, en_US plus de_DE/fr_FR/nl_NL/en_GB for IBANs, seed
20261124): for each of the nine types, 60 sentences from 6 realistic templates (a CRM note,
an HR record, a support ticket, ...) with one Faker value placed in them, plus 120 sentences
with no PII that look like it (order numbers, version strings, meeting dates without a birth
cue, room numbers, plain company names). Values are used as Faker gives them: phone numbers
with extensions and 001 prefixes, military addresses, legacy card prefixes, so recall is
honest. Names are first + last name (no title). Free-mail addresses. Dates of birth follow
a birth cue and use four date formats.

Scores per type: precision and recall with exact span match, and with any overlap.

Leak check: every sentence becomes an instruction example (input and output), the release is
built with ``pii_strategy: redact`` and all nine types, every export is written, and then
(a) the detectors scan the exports again and (b) every gold value is searched for literally.

Then ``evals.pii_corpus``: planted news articles and AIDA articles through `dataforge run`,
counting planted values left in the release; its table goes to bench/sections/pii.md.

Run: .venv/bin/python -m evals.pii_faker  (--detector-only skips the end-to-end runs)
"""

from __future__ import annotations

import json
import platform
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from faker import Faker

from dataforge.lib.config import QualityConfig
from dataforge.lib.export import export_files, scan_pii
from dataforge.lib.quality import PII_TYPES, build_training_dataset, find_pii

OUT = Path(__file__).resolve().parents[1] / "bench" / "results" / "pii_faker.json"
SECTION = OUT.parents[1] / "sections" / "pii.md"
SEED = 20261124
PER_TYPE = 60

TEMPLATES: dict[str, list[str]] = {
    "PERSON": [
        "Please forward the signed contract to {} before Friday.",
        "The account was opened by {} in the Leeds branch.",
        "Yesterday {} asked whether the delivery could be moved.",
        "Our new project lead, {}, starts on Monday.",
        "Ticket closed after a call with {} about the refund.",
        "Minutes taken by {} and approved by the board.",
    ],
    "EMAIL": [
        "You can reach the customer at {} for follow-up questions.",
        "Send the invoice to {} and copy the finance team.",
        "Login failed for user {} three times this morning.",
        "Contact: {}",
        "The newsletter bounced for {} again.",
        "Please update the address on file to {}.",
    ],
    "PHONE": [
        "Call the client back on {} after 3 pm.",
        "Emergency contact number: {}",
        "The courier left a voicemail from {}.",
        "Mobile {} is the best way to reach him.",
        "Please dial {} to confirm the appointment.",
        "Her office line is {}, extension optional.",
    ],
    "CREDIT_CARD": [
        "The payment was made with card number {}.",
        "Card on file: {}, expiring next year.",
        "Customer read out {} over the phone, which we must not store.",
        "Refund issued to the card {}.",
        "Charge declined for {} due to insufficient funds.",
        "Replace the card {} in the billing profile.",
    ],
    "IBAN": [
        "Please transfer the deposit to IBAN {}.",
        "Salary is paid into account {} each month.",
        "Supplier bank details: {}.",
        "The refund goes to {} within five days.",
        "Direct debit mandate signed for {}.",
        "Wrong beneficiary account {} on the invoice.",
    ],
    "IP_ADDRESS": [
        "Suspicious login from {} was blocked.",
        "The printer is reachable at {} on the office network.",
        "Requests from {} exceeded the rate limit.",
        "Whitelist the address {} for the VPN.",
        "Server log: connection reset by {}.",
        "The camera streams from {} at night.",
    ],
    "SSN": [
        "Employee social security number: {}.",
        "The form lists SSN {} for the applicant.",
        "Please verify {} against the tax records.",
        "SSN on file is {}, do not share it.",
        "Benefits claim filed under {}.",
        "Background check requested for SSN {}.",
    ],
    "ADDRESS": [
        "Ship the replacement to {} by courier.",
        "The tenant moved to {} last spring.",
        "Billing address: {}",
        "Our new office is at {}.",
        "Return the keys to {} before the end of the month.",
        "The letter was sent to {} but came back.",
    ],
    "DATE_OF_BIRTH": [
        "The patient was born on {} in Denver.",
        "Date of birth: {}",
        "DOB {} (verified with passport).",
        "Applicant born {}, citizen of Canada.",
        "Her birthday is {} and she asked for no party.",
        "According to HR he was born on {}.",
    ],
}
NEGATIVES = [
    "Order 48213 shipped on 2023-04-05 from the Leeds warehouse.",
    "Version 2.4.1.3 fixes the login bug reported last week.",
    "The board meets on March 3, 2024 in room 4821.",
    "Invoice INV-2023-0042 totals 1,250.00 EUR.",
    "Northwind Renewable Energy opened its Rotterdam office in 2015.",
    "Call the front desk if the projector fails.",
    "The dataset has 13,250 rows and 42 columns.",
    "Flight KL 1234 departs at 07:45 from gate D12.",
    "Use port 8080 and timeout 30 seconds for the test server.",
    "The quarterly report covers 1 January 2023 to 31 March 2023.",
    "Part number 4000-1234-5678 is out of stock.",
    "Temperature rose to 38.5 degrees on 12/07/2022.",
]


def _dob(fake: Faker, rng: random.Random) -> str:
    d = fake.date_of_birth(minimum_age=18, maximum_age=90)
    fmt = rng.choice(["%B %-d, %Y", "%-d %B %Y", "%Y-%m-%d", "%m/%d/%Y"])
    return d.strftime(fmt)


def values(fake: Faker, banks: Faker, rng: random.Random, kind: str) -> str:
    if kind == "PERSON":
        return f"{fake.first_name()} {fake.last_name()}"
    if kind == "EMAIL":
        return fake.free_email()
    if kind == "PHONE":
        return fake.phone_number()
    if kind == "CREDIT_CARD":
        number = fake.credit_card_number()
        if rng.random() < 0.5 and len(number) == 16:  # half of them grouped as printed on cards
            number = " ".join(number[i : i + 4] for i in range(0, 16, 4))
        return number
    if kind == "IBAN":
        return banks.iban()
    if kind == "IP_ADDRESS":
        return fake.ipv4_public() if rng.random() < 0.7 else fake.ipv6()
    if kind == "SSN":
        return fake.ssn()
    if kind == "ADDRESS":
        return fake.address()
    return _dob(fake, rng)


def generate() -> list[dict[str, Any]]:
    """Sentences with gold spans ``[(start, end, type)]``."""
    fake, banks = Faker("en_US"), Faker(["de_DE", "fr_FR", "nl_NL", "en_GB"])
    fake.seed_instance(SEED)
    banks.seed_instance(SEED)
    rng = random.Random(SEED)
    out = []
    for kind, templates in TEMPLATES.items():
        for i in range(PER_TYPE):
            value = values(fake, banks, rng, kind)
            template = templates[i % len(templates)]
            start = template.index("{}")
            out.append({"text": template.format(value), "gold": [(start, start + len(value), kind)], "value": value})
    for i in range(120):
        out.append({"text": NEGATIVES[i % len(NEGATIVES)], "gold": [], "value": None})
    return out


def score(rows: list[dict[str, Any]], predicted: list[list[tuple[int, int, str]]]) -> dict[str, Any]:
    out = {}
    for kind in PII_TYPES:
        gold = [(i, s) for i, r in enumerate(rows) for s in r["gold"] if s[2] == kind]
        pred = [(i, s) for i, spans in enumerate(predicted) for s in spans if s[2] == kind]
        exact_tp = len(set(gold) & set(pred))

        def overlaps(i: int, s: tuple[int, int, str], others: list[tuple[int, tuple[int, int, str]]]) -> bool:
            return any(j == i and o[0] < s[1] and s[0] < o[1] for j, o in others)

        rec_overlap = sum(1 for i, s in gold if overlaps(i, s, pred))
        prec_overlap = sum(1 for i, s in pred if overlaps(i, s, gold))
        out[kind] = {
            "gold": len(gold),
            "predicted": len(pred),
            "precision_exact": round(exact_tp / len(pred), 3) if pred else None,
            "recall_exact": round(exact_tp / len(gold), 3) if gold else None,
            "precision_overlap": round(prec_overlap / len(pred), 3) if pred else None,
            "recall_overlap": round(rec_overlap / len(gold), 3) if gold else None,
        }
    return out


def leak_check(rows: list[dict[str, Any]]) -> dict[str, Any]:
    examples = [
        {
            "id": f"ex-{i:04d}",
            "kind": "instruction",
            "instruction": "Rewrite this note in plain words.",
            "input": f"Note {i}: {r['text']}",  # numbered, so redacted notes stay distinct
            "output": f"Note {i} says: {r['text']}",
            "metadata": {},
            "source_documents": [f"doc-{i % 25}"],
            "source_spans": [],
            "generator": "eval@1",
        }
        for i, r in enumerate(rows)
    ]
    cfg = QualityConfig(pii_strategy="redact", pii_types=PII_TYPES, semantic_threshold=0, example_heuristics=False)
    datasets, report = build_training_dataset(examples, "pii-eval", cfg, seed=1)
    files = export_files(datasets, report)
    exported = b"".join(v for k, v in files.items() if k.endswith((".json", ".jsonl"))).decode("utf-8")
    literal = Counter(r["gold"][0][2] for r in rows if r["value"] and json.dumps(r["value"])[1:-1] in exported)
    return {
        "examples_exported": sum(len(v) for v in datasets.values()),
        "export_files_scanned": sum(1 for k in files if k.endswith((".json", ".jsonl"))),
        "detected_again_by_type": scan_pii(files, PII_TYPES, seed=1),
        "gold_values_left_literally_by_type": {t: literal.get(t, 0) for t in PII_TYPES},
    }


def main() -> int:
    rows = generate()
    t = time.perf_counter()
    predicted = [find_pii(r["text"], PII_TYPES) for r in rows]
    seconds = time.perf_counter() - t
    misses = [
        {"type": r["gold"][0][2], "value": r["value"], "found": [r["text"][s:e] for s, e, _ in p]}
        for r, p in zip(rows, predicted, strict=True)
        if r["gold"] and r["gold"][0] not in p
    ]
    false_pos = [
        {"text": r["text"], "found": [(r["text"][s:e], k) for s, e, k in p if (s, e, k) not in r["gold"]]}
        for r, p in zip(rows, predicted, strict=True)
        if any((s, e, k) not in r["gold"] for s, e, k in p)
    ]
    result = {
        "set": {"seed": SEED, "faker": "40.54.0", "sentences": len(rows), "per_type": PER_TYPE, "negatives": 120},
        "scores": score(rows, predicted),
        "sentences_per_s": round(len(rows) / seconds, 1),
        "misses_sample": misses[:25],
        "false_positives_sample": false_pos[:25],
        "leak_check_redact": leak_check(rows),
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }
    if "--detector-only" not in sys.argv:
        from evals.pii_corpus import evaluate, markdown

        result["end_to_end"] = evaluate()
        print(json.dumps(result["end_to_end"], indent=2), flush=True)
        SECTION.write_text(markdown(result["end_to_end"]), encoding="utf-8")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if "sample" not in k}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
