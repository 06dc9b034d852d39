"""The strict audit of a release, in the protocol of ../shared/notes/QUALITY.md.

``draw``: the seeded audit sample (``random.seed(7)``, up to 40 rows per kind, all rows where
fewer), written for judging as ``audit.jsonl`` (each row with its full source texts and empty
verdicts) and ``audit.md`` (the same, to read), plus ``summary.json`` (rows per kind in the
release, sampled per kind, source words) for "acceptable examples per 1,000 source words".

``judge``: reads a judged ``audit.jsonl`` (verdicts fluent / correct / useful / labels_ok set
to true or false; null where a verdict does not apply) and prints the per-kind and
per-generator table with 95% Wilson intervals, the size-weighted acceptable rate of the
release and acceptable examples per 1,000 source words.

Run: ``make eval-quality [RELEASE=name]`` or ``python -m evals.quality_audit draw --lake L
--release R --out DIR``; then ``python -m evals.quality_audit judge DIR/audit.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

SEED = 7
PER_KIND = 40
VERDICTS = ("fluent", "correct", "useful", "labels_ok")
KINDS = ("instruction", "qa", "summary", "conversation", "ner", "relation", "classification")
Z95 = 1.959964


def draw_sample(datasets: dict[str, list[dict[str, Any]]], per_kind: int = PER_KIND) -> list[dict[str, Any]]:
    """QUALITY.md's sample: ``random.seed(7)`` once, then per kind (KINDS order) up to
    ``per_kind`` rows in file order, all of them where fewer."""
    random.seed(SEED)
    out = []
    for kind in KINDS:
        rows = datasets.get(kind, [])
        picked = rows if len(rows) <= per_kind else random.sample(rows, per_kind)
        out += [{"kind": kind, "row": r} for r in picked]
    return out


def audit_rows(
    sample: list[dict[str, Any]], texts: dict[str, str], dates: dict[str, str | None] | None = None
) -> list[dict[str, Any]]:
    """Sampled rows ready for a judge: id, kind, generator, the row, every source in full with its
    date (the page's metadata: "today (28 September 2020)" is read from it, not from the text)."""
    return [
        {
            "kind": s["kind"],
            "id": s["row"].get("id"),
            "generator": s["row"].get("generator"),
            "row": s["row"],
            "sources": [
                {"doc_id": d, "text": texts.get(d, ""), "date": (dates or {}).get(d)}
                for d in s["row"].get("source_documents") or []
            ],
            "verdicts": dict.fromkeys(VERDICTS),
            "notes": "",
        }
        for s in sample
    ]


def audit_markdown(release: str, rows: list[dict[str, Any]]) -> str:
    lines = [f"# Audit sample of release `{release}` (random.seed({SEED}), up to {PER_KIND} per kind)", ""]
    for n, r in enumerate(rows, 1):
        content = {k: v for k, v in r["row"].items() if k not in ("source_spans",)}
        lines += [
            f"## {n}. {r['kind']} `{r['id']}` ({r['generator']})",
            "",
            "```json",
            json.dumps(content, indent=1, ensure_ascii=False),
            "```",
            "",
            "Verdicts: fluent [ ] correct [ ] useful [ ] labels_ok [ ]",
            "",
        ]
        for src in r["sources"]:
            lines += [
                f"<details><summary>source {src['doc_id']}"
                + (f" (dated {src['date']})" if src.get("date") else "")
                + "</summary>",
                "",
                "```text",
                src["text"],
                "```",
                "</details>",
                "",
            ]
    return "\n".join(lines)


def wilson(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (0, 0 for n = 0)."""
    if n <= 0:
        return 0.0, 0.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def acceptable(verdicts: dict[str, Any]) -> bool:
    """Acceptable: every verdict that applies passes (null = does not apply)."""
    missing = [v for v in VERDICTS if v not in verdicts]
    if missing:
        raise ValueError(f"verdicts lack {missing}")
    return all(verdicts[v] is not False for v in VERDICTS)


def _group(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    ok = sum(acceptable(r["verdicts"]) for r in rows)
    out: dict[str, Any] = {"n": n, "acceptable": ok}
    for v in VERDICTS:
        applies = [r for r in rows if r["verdicts"][v] is not None]
        out[v] = round(100 * sum(r["verdicts"][v] is True for r in applies) / len(applies), 1) if applies else None
    lo, hi = wilson(ok, n)
    out |= {"acceptable_pct": round(100 * ok / n, 1) if n else None, "ci95": [round(100 * lo, 1), round(100 * hi, 1)]}
    return out


def judge(rows: list[dict[str, Any]], summary: dict[str, Any]) -> dict[str, Any]:
    """Per-kind and per-generator verdict rates, the size-weighted acceptable rate (each kind's
    rate weighted by its rows in the release) with a Wilson interval on the effective sample
    size, and acceptable examples per 1,000 source words."""
    by_kind: dict[str, list] = defaultdict(list)
    by_gen: dict[str, list] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
        by_gen[str(r.get("generator"))].append(r)
    kinds = {k: _group(v) for k, v in sorted(by_kind.items())}
    sizes = {k: int(summary["rows"].get(k, 0)) for k in kinds}
    total = sum(sizes.values())
    weighted = var = 0.0
    for k, g in kinds.items():
        if total and g["n"]:
            w, p = sizes[k] / total, g["acceptable"] / g["n"]
            weighted += w * p
            var += w * w * p * (1 - p) / g["n"]
    n_eff = weighted * (1 - weighted) / var if var > 0 else sum(g["n"] for g in kinds.values())
    lo, hi = wilson(weighted * n_eff, n_eff)
    expected_ok = sum(sizes[k] * g["acceptable"] / g["n"] for k, g in kinds.items() if g["n"])
    words = int(summary.get("source_words") or 0)
    return {
        "by_kind": kinds,
        "by_generator": {g: _group(v) for g, v in sorted(by_gen.items())},
        "release_rows": total,
        "size_weighted_acceptable_pct": round(100 * weighted, 1),
        "size_weighted_ci95": [round(100 * lo, 1), round(100 * hi, 1)],
        "source_words": words,
        "acceptable_per_1000_words": round(1000 * expected_ok / words, 2) if words else None,
    }


def table(result: dict[str, Any]) -> str:
    head = "| kind | n | fluent % | correct % | useful % | labels ok % | acceptable % [95% CI] |"
    lines = [head, "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for k, g in result["by_kind"].items():
        cells = [str(g[v]) if g[v] is not None else "n/a" for v in VERDICTS]
        lines.append(f"| {k} | {g['n']} | {' | '.join(cells)} | {g['acceptable_pct']} {g['ci95']} |")
    lines += [
        "",
        f"Size-weighted acceptable: {result['size_weighted_acceptable_pct']}% {result['size_weighted_ci95']} "
        f"over {result['release_rows']} release rows; acceptable examples per 1,000 source words: "
        f"{result['acceptable_per_1000_words']} ({result['source_words']} words).",
    ]
    return "\n".join(lines)


def _latest_release(lake: Any) -> str:
    names = sorted({k.split("/")[2] for k in lake.list("gold/releases") if k.endswith("/manifest.json")})
    if not names:
        raise SystemExit("no complete release in the lake; run `dataforge run samples/` first")
    return max(names, key=lambda n: lake.read_json(f"gold/releases/{n}/manifest.json").get("created_at", ""))


def draw(lake_uri: str | None, release: str | None, out: Path | None) -> Path:
    from dataforge.lib.checks import read_release_datasets
    from dataforge.lib.lake import open_lake
    from dataforge.lib.release import release_exists, release_members
    from dataforge.lib.stages import read_text

    lake = open_lake(lake_uri)
    release = release or _latest_release(lake)
    if not release_exists(lake, release):  # reading never freezes a release still being built
        raise SystemExit(f"release {release} is not complete (no manifest.json yet); audit it once it is built")
    datasets = read_release_datasets(lake, release)
    docs = {d: read_text(lake, d) for d in release_members(lake, release) or []}
    texts = {d: doc["text"] for d, doc in docs.items()}
    rows = audit_rows(draw_sample(datasets), texts, {d: doc.get("date") for d, doc in docs.items()})
    out = out or Path(".dataforge") / "audit" / release
    out.mkdir(parents=True, exist_ok=True)
    (out / "audit.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    (out / "audit.md").write_text(audit_markdown(release, rows), "utf-8")
    summary = {
        "release": release,
        "seed": SEED,
        "per_kind": PER_KIND,
        "rows": {k: len(datasets.get(k, [])) for k in KINDS},
        "sampled": {k: sum(1 for r in rows if r["kind"] == k) for k in KINDS},
        "documents": len(texts),
        "source_words": sum(len(t.split()) for t in texts.values()),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", "utf-8")
    print(f"{len(rows)} rows of {release} for judging: {out / 'audit.md'} and {out / 'audit.jsonl'}")
    print(json.dumps(summary))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw", help="write the seeded audit sample of a release for judging")
    d.add_argument("--lake", default=None)
    d.add_argument("--release", default=None, help="default: the newest complete release")
    d.add_argument("--out", type=Path, default=None, help="default: .dataforge/audit/<release>/")
    j = sub.add_parser("judge", help="per-kind table of a judged audit.jsonl")
    j.add_argument("judged", type=Path)
    j.add_argument("--summary", type=Path, default=None, help="default: summary.json beside the judged file")
    args = parser.parse_args(argv)
    if args.command == "draw":
        draw(args.lake, args.release, args.out)
        return
    rows = [json.loads(line) for line in args.judged.read_text("utf-8").splitlines() if line.strip()]
    summary = json.loads((args.summary or args.judged.with_name("summary.json")).read_text("utf-8"))
    result = judge(rows, summary)
    print(table(result))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
