"""End to end: news articles with Faker contact data planted in them go through `dataforge run`,
and not one planted value may survive anywhere in the release.

Articles come from ../shared/eval at run time (never committed): CNN/DailyMail dev articles
get planted identifiers (Faker e-mails, a third of them at example.org/.net/.com; phones in
several formats, extensions included; SSNs; cards; IBANs; IPv4 and IPv6), AIDA-CoNLL dev
articles go in as they are. Every planted value is then searched for as an exact string in
every file of ``gold/releases/<release>/`` (parquet files read back as rows).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
EVAL = next(
    (
        p
        for p in (Path(os.environ.get("DATAFORGE_EVAL_DIR", "")), ROOT.parent / "shared" / "eval")
        if (p / "summarization_cnndm_dev").is_dir()
    ),
    ROOT.parents[1] / "shared" / "eval",  # a worktree under ../wt/<name>
)
CNNDM = EVAL / "summarization_cnndm_dev" / "cnndm_dev125.jsonl"
AIDA = EVAL / "entity_linking_aida_dev" / "aida-conll-dev.jsonl.gz"
SEED = 20261201
SENTENCES = [
    "Readers can contact the reporter at {EMAIL} or on {PHONE}.",
    "The press office ({EMAIL}, tel. {PHONE}) declined to comment.",
    "Court papers list his Social Security number as {SSN}.",
    "The payment was made with card {CREDIT_CARD}, according to the filing.",
    "Funds were wired to account {IBAN}.",
    "Investigators traced the messages to {IP_ADDRESS}.",
    "The leak came from a server at {IP_ADDRESS}; a second one answered on {IP_ADDRESS}.",
    "Tips: {EMAIL}. Newsroom: {PHONE}.",
]


def _value(kind: str, fake: Faker, banks: Faker, rng: random.Random) -> str:
    if kind == "EMAIL":
        if rng.random() < 0.35:
            return f"{fake.user_name()}@example.{rng.choice(['org', 'net', 'com'])}"
        return fake.email()
    if kind == "PHONE":
        style = rng.randrange(4)
        if style == 0:
            return fake.phone_number()  # Faker's own formats: 001-, x123 extensions, dots
        if style == 1:
            return f"+44 20 {rng.randint(3000, 8999)} {rng.randint(1000, 9999)} x{rng.randint(10, 999)}"
        if style == 2:
            return f"({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}"
        return f"+1-{rng.randint(201, 989)}-555-{rng.randint(1000, 9999)} ext. {rng.randint(1, 99)}"
    if kind == "SSN":
        return fake.ssn()
    if kind == "CREDIT_CARD":
        number = fake.credit_card_number()
        return (
            " ".join(number[i : i + 4] for i in range(0, 16, 4)) if len(number) == 16 and rng.random() < 0.5 else number
        )
    if kind == "IBAN":
        iban = banks.iban()
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.5 else iban
    return fake.ipv4_public() if rng.random() < 0.7 else fake.ipv6()


def planted_articles(n: int = 100) -> tuple[dict[str, str], list[dict[str, str]]]:
    """file name -> text, and the planted values [{file, type, value}]."""
    fake, banks, rng = Faker("en_US"), Faker(["de_DE", "fr_FR", "nl_NL", "en_GB"]), random.Random(SEED)
    fake.seed_instance(SEED)
    banks.seed_instance(SEED)
    rows = [json.loads(line) for line in CNNDM.read_text(encoding="utf-8").splitlines()[:n]]
    files, planted = {}, []
    for i, row in enumerate(rows):
        sentences = row["article"].split(". ")
        name = f"planted-{i:03d}.txt"
        for template in rng.sample(SENTENCES, 4):
            text = template
            while "{" in text:
                kind = text[text.index("{") + 1 : text.index("}")]
                value = _value(kind, fake, banks, rng)
                planted.append({"file": name, "type": kind, "value": value})
                text = text.replace("{" + kind + "}", value, 1)
            sentences.insert(rng.randrange(1, max(2, len(sentences))), text.rstrip("."))
        files[name] = ". ".join(sentences)
    return files, planted


def aida_articles(n: int = 40) -> dict[str, str]:
    with gzip.open(AIDA, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle][:n]
    return {f"aida-{r['id']}.txt": r["text"] for r in rows}


def _release_text(release: Path) -> dict[str, str]:
    """Path inside the release -> its text (parquet files as JSON rows)."""
    import pyarrow.parquet as pq

    parts = {}
    for path in sorted(release.rglob("*")):
        name = str(path.relative_to(release))
        if path.suffix == ".parquet":
            parts[name] = json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False)
        elif path.is_file():
            parts[name] = path.read_text(encoding="utf-8", errors="replace")
    return parts


def run_corpus(files: dict[str, str], release: str, work: Path) -> dict[str, Any]:
    folder = work / release / "docs"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "DAGSTER_HOME": str(work / release / "dagster"), "PYTHONPATH": str(ROOT)}
    lake = work / release / "lake"
    command = [str(Path(sys.executable).parent / "dataforge"), "run", str(folder), "--lake", str(lake)]
    started = time.perf_counter()
    done = subprocess.run([*command, "--release", release], env=env, capture_output=True, text=True, check=False)
    out = lake / "gold" / "releases" / release
    report = json.loads((out / "quality_report.json").read_text()) if (out / "quality_report.json").exists() else {}
    return {
        "documents": len(files),
        "exit_code": done.returncode,
        "release_built": (out / "manifest.json").is_file(),
        "seconds": round(time.perf_counter() - started),
        "pii_replaced": report.get("pii", {}).get("by_type"),
        "release_text": _release_text(out) if out.exists() else {},
        "tail": (done.stdout + done.stderr)[-1500:],
        "command": " ".join(command[1:]).replace(str(work), "$TMP") + f" --release {release}",
    }


def survivors(files: dict[str, str], planted: list[dict[str, str]]) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Planted values found verbatim, by type, and where each was found."""
    found: dict[str, int] = {}
    where = []
    for p in planted:
        paths = [n for n, t in files.items() if p["value"] in t or json.dumps(p["value"])[1:-1] in t]
        if paths:
            found[p["type"]] = found.get(p["type"], 0) + 1
            where.append({**p, "found_in": paths})
    return found, where


def evaluate() -> dict[str, Any]:
    """Both corpora through `dataforge run`; counts of planted values left in each release."""
    if not CNNDM.exists() or not AIDA.exists():
        return {"skipped": f"eval corpora not found under {EVAL}"}
    files, planted = planted_articles()
    with tempfile.TemporaryDirectory(prefix="pii-eval-") as tmp:
        planted_run = run_corpus(files, "pii-planted", Path(tmp))
        if os.environ.get("DATAFORGE_PII_EVAL_KEEP"):  # keep the release to inspect it
            import shutil

            shutil.copytree(Path(tmp) / "pii-planted", os.environ["DATAFORGE_PII_EVAL_KEEP"], dirs_exist_ok=True)
        aida_run = run_corpus(aida_articles(), "aida-plain", Path(tmp))
    by_type: dict[str, int] = {}
    for p in planted:
        by_type[p["type"]] = by_type.get(p["type"], 0) + 1
    reserved = sum(1 for p in planted if p["type"] == "EMAIL" and "@example." in p["value"])
    result = {"planting": {"values": len(planted), "by_type": by_type, "reserved_domain_emails": reserved}}
    for name, run in (("planted", planted_run), ("aida", aida_run)):
        text = run.pop("release_text")
        left, where = survivors(text, planted) if name == "planted" else (None, None)
        run["planted_values_left"], run["planted_values_left_where"] = left, where
        result[name] = run
    return result


def markdown(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"## PII end to end\n\nSkipped: {result['skipped']}\n"
    p, a, planted = result["planted"], result["aida"], result["planting"]
    lines = [
        "## PII end to end (`python -m evals.pii_faker`)",
        "",
        f"{planted['values']} Faker values planted in 100 CNN/DM dev articles "
        f"({json.dumps(planted['by_type'])}; {planted['reserved_domain_emails']} e-mails at example.org/.net/.com), "
        "then `dataforge run`; every planted value searched for as an exact string in every file of "
        "`gold/releases/<release>/` (parquet read back as rows).",
        "",
        "| corpus | documents | exit | release built | planted values left | PII replaced by type | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, run in (("planted CNN/DM", p), ("AIDA dev, plain .txt", a)):
        left = run["planted_values_left"]
        lines.append(
            f"| {name} | {run['documents']} | {run['exit_code']} | {run['release_built']} | "
            f"{'-' if left is None else sum(left.values())} | {json.dumps(run['pii_replaced'])} | {run['seconds']} |"
        )
    where: dict[str, int] = {}
    for item in p.get("planted_values_left_where") or []:
        for path in item["found_in"]:
            where[path] = where.get(path, 0) + 1
    if where:
        lines += ["", f"Planted values left, by file of the release: {json.dumps(where)}."]
    lines += ["", "Commands (in a temporary folder): " + "; ".join(f"`{r['command']}`" for r in (p, a)), ""]
    return "\n".join(lines)
