"""One definition of PII: what the stage writes, the release check and the export validator
all read the same way, and a pseudonym is never read back as a leak."""

import json
import random

import pytest
from faker import Faker

from dataforge.lib.checks import check_no_pii
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.export.validate import scan_pii
from dataforge.lib.quality import Scrubber, find_leaks, find_pii, is_pseudonym
from dataforge.lib.quality.pii import CONTACT_TYPES

PREFIXES = ["", "(", "<", "tel: ", '"', "[", "call ", "/", "#"]
SUFFIXES = ["", ".", ",", ")", " x211", " ext. 42", ";", ".5", "-", ":", "'s", " x 7", "!", "/", "..."]
JOINING = (".5", "-")  # the value continues: '10.0.0.1.5' is no address, so it need not be found


def _values(fake: Faker, rng: random.Random) -> list[tuple[str, str]]:
    """One value of every type, in the formats Faker writes (extensions, reserved domains)."""
    iban = fake.iban()
    return [
        ("EMAIL", fake.email()),
        ("EMAIL", f"{fake.user_name()}@example.{rng.choice(['com', 'org', 'net'])}"),
        ("PHONE", fake.phone_number()),
        ("PHONE", f"{fake.msisdn()[:3]}-555-01{rng.randint(0, 99):02d}"),
        ("PHONE", f"+44 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} x{rng.randint(1, 999)}"),
        ("SSN", fake.ssn()),
        ("CREDIT_CARD", fake.credit_card_number()),
        ("IBAN", " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.5 else iban),
        ("IP_ADDRESS", fake.ipv4()),
        ("IP_ADDRESS", fake.ipv6()),
        ("IP_ADDRESS", f"192.0.2.{rng.randint(1, 254)}"),
    ]


@pytest.mark.parametrize("seed", range(40))
def test_scrubbed_text_never_reads_as_a_leak(seed: int) -> None:
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    pieces, planted = [], []
    for _, value in _values(fake, rng):
        suffix = rng.choice(SUFFIXES)
        pieces.append(f"{rng.choice(PREFIXES)}{value}{suffix}")
        planted += [] if suffix in JOINING else [value]
    text = " ".join(pieces)
    detected = {text[s:e] for s, e, _ in find_pii(text, CONTACT_TYPES)}
    scrubbed, edits, _ = Scrubber("pseudonymize", CONTACT_TYPES, seed).scrub(text)

    assert find_leaks(scrubbed, CONTACT_TYPES, seed) == [], (text, scrubbed)
    for s, e, _ in find_pii(scrubbed, CONTACT_TYPES):  # what is still found is ours, whole
        assert is_pseudonym(scrubbed[s:e], seed)
    for value in detected:
        assert value not in scrubbed
    for value in planted:  # every value that ends where it should is found and replaced
        assert any(value in d for d in detected) and value not in scrubbed, (value, text)
    # The release check and the export validator agree with the stage.
    row = {"id": "x", "source_documents": ["d"], "text": scrubbed, "label": "news"}
    config = DataforgeConfig(seed=seed)
    assert check_no_pii({"classification": [row]}, config, [text]).passed
    export = {"exports/openai/train.jsonl": json.dumps({"messages": [{"content": scrubbed}]}).encode()}
    assert not any(scan_pii(export, CONTACT_TYPES, seed=seed).values())
    # ... and catch what the stage would have missed.
    assert not check_no_pii({"classification": [{**row, "text": text}]}, config, [text]).passed


@pytest.mark.parametrize("kind", CONTACT_TYPES)
def test_every_pseudonym_alone_is_recognised_or_not_detected(kind: str) -> None:
    fake = Faker("en_US")
    rng = random.Random(kind)
    for seed in range(60):
        fake.seed_instance(seed)
        value = next(v for k, v in _values(fake, rng) if k == kind)
        scrubber = Scrubber("pseudonymize", (kind,), seed)
        out, _, counts = scrubber.scrub(value)
        assert counts[kind] == 1 and value not in out
        found = find_pii(out, CONTACT_TYPES)
        assert all((s, e) == (0, len(out)) and is_pseudonym(out, seed) for s, e, _ in found), (value, out)


def test_documentation_values_in_a_source_are_replaced() -> None:
    text = "Write to press@example.org, call +1-714-555-0196 or host 192.0.2.7."
    out = Scrubber("pseudonymize", CONTACT_TYPES, 13).scrub(text)[0]
    for value in ("press@example.org", "+1-714-555-0196", "192.0.2.7"):
        assert value not in out
    assert find_leaks(out, CONTACT_TYPES, 13) == []


def test_a_glued_extension_is_replaced_with_the_number() -> None:
    """The Reuters case: a pseudonym must not be followed by the original's extension."""
    text = "Newsroom +44 20 7542 1234 x211."
    out, edits, _ = Scrubber("pseudonymize", ("PHONE",), 13).scrub(text)
    assert "x211" not in out and find_leaks(out, ("PHONE",), 13) == []
    assert len(edits) == 1 and text[edits[0][0] : edits[0][1]] == "+44 20 7542 1234 x211"


def test_the_marker_depends_on_the_seed() -> None:
    out = Scrubber("pseudonymize", ("EMAIL",), 13).scrub("a@corp.io")[0]
    assert is_pseudonym(out, 13) and not is_pseudonym(out, 14)
    assert not is_pseudonym("user_0123456789ab@example.com", 13)


def test_withhold_failing_keeps_good_rows_and_says_why_for_the_rest() -> None:
    from dataforge.lib.checks import withhold_failing

    source = "Mail ann.lee@corp.io about the merger."
    base = {"source_documents": ["d"], "source_spans": [], "release": "r", "generator": "g", "split": "train"}
    ok = {**base, "id": "ok", "context": "The merger closed.", "question": "What closed?", "answer": "The merger"}
    ok |= {"answer_start": 0, "answer_end": 10, "metadata": {}}
    bad_span = {**ok, "id": "span", "answer_start": 4}
    leak = {**ok, "id": "leak", "context": f"{source} The merger closed.", "answer_start": 39, "answer_end": 49}
    kept, rejected, report = withhold_failing({"qa": [ok, bad_span, leak]}, DataforgeConfig(), [source])
    assert [r["id"] for r in kept["qa"]] == ["ok"]
    why = {r["id"]: r["rejected"] for r in rejected["qa"]}
    assert why["span"]["stage"] == "check:exact_answer_spans" and why["span"]["score"] is None
    assert why["leak"]["stage"] == "check:no_pii_left" and "PII left: original in context" in why["leak"]["reasons"]
    assert "ann.lee@corp.io" not in json.dumps(rejected)  # a withheld leak is stored scrubbed
    assert {k: v for k, v in rejected["qa"][0].items() if k != "rejected"} == bad_span  # the row as it was
    assert report["withheld"] == 2 and report["by_check"] == {"exact_answer_spans": 1, "no_pii_left": 1}


def test_timeline_events_hold_no_identifier() -> None:
    """Found on planted news: '1918' inside an IBAN was read as a year, sentence and all."""
    from dataforge.lib.quality.pii import events_without_pii

    text = "Funds were wired to account GB25 OBHK 1918 9583 5157 91. In 2004 he wrote to a@corp.io."
    first, second = text.index("1918"), text.index("2004")
    events = [
        {"sentence": text[:56], "date_start": first, "date_end": first + 4},
        {"sentence": text[57:], "date_start": second, "date_end": second + 4},
    ]
    kept = events_without_pii(text, events, Scrubber("pseudonymize", CONTACT_TYPES, 13))
    assert len(kept) == 1 and kept[0]["date_start"] == second
    assert "a@corp.io" not in kept[0]["sentence"] and find_leaks(kept[0]["sentence"], CONTACT_TYPES, 13) == []
