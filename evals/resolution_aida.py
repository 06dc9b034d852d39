"""Cross-document entity resolution on predicted mentions: AIDA-CoNLL dev through the pipeline.

The 216 dev articles are written as ``.txt`` files to a temporary folder and go through
``dataforge run`` once (the lake is cached in ``/tmp/dataforge-aida-lake``; ``--relink``
re-runs only ``build_entity_clusters`` on it, ``--rerun`` starts from scratch). The release's
``graph/mentions.parquet`` (spaCy's mentions, the release cluster of each) is compared with
the gold: the AIDA entity id of each labelled span.

Alignment (the usual convention for predicted mentions): in each document a predicted mention
and a gold mention match when their character spans overlap; pairs are taken one-to-one, the
largest overlap first. Only matched mentions whose gold entity is known (not ``<NIL>`` or
``<NO_MAPPING>``) are scored, so every system is scored on the same mentions; the share of
predicted mentions without a gold counterpart and of gold mentions without a prediction are
reported beside the scores (mention detection is spaCy's, not the resolver's). Systems on
those mentions: the release clusters, exact string (case-sensitive), exact string within the
voted label, and normalized string (``normalize_name``: case, accents, punctuation, "the").
Scores (evals/cdcr_metrics.py) count singletons. Tuning used the even-indexed documents of
the file ("tune"); the odd-indexed ("test") were only measured.

    .venv/bin/python -m evals.resolution_aida [--relink] [--rerun]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from evals.cdcr_ecbplus import _shared_eval
from evals.cdcr_metrics import score

ROOT = Path(__file__).resolve().parents[1]
DATA = _shared_eval("entity_linking_aida_dev") / "aida-conll-dev.jsonl.gz"
LAKE = Path(tempfile.gettempdir()) / "dataforge-aida-lake"
RESULTS = ROOT / "bench" / "results" / "resolution_aida.json"
SECTION = ROOT / "bench" / "sections" / "resolution.md"
UNKNOWN = ("<NIL>", "<NO_MAPPING>")
COMMAND = ".venv/bin/python -m evals.resolution_aida"


def load(path: Path = DATA) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def run_pipeline(articles: list[dict[str, Any]], lake: Path) -> None:
    """``dataforge run`` on the articles as .txt files (a temp folder, deleted afterwards)."""
    with tempfile.TemporaryDirectory() as folder:
        for article in articles:
            (Path(folder) / f"aida-{article['id']}.txt").write_text(article["text"], encoding="utf-8")
        home = Path(folder) / "dagster-home"
        home.mkdir()
        env = {**os.environ, "DAGSTER_HOME": str(home)}
        cli = Path(sys.executable).with_name("dataforge")
        command = [str(cli), "run", folder, "--lake", str(lake)]
        subprocess.run(command, env=env, check=False, cwd=ROOT)


def release_of(lake: Path) -> str | None:
    """The newest release of the lake that has entity clusters."""
    found = sorted(lake.glob("gold/releases/*/graph/mentions.parquet"), key=lambda p: p.stat().st_mtime)
    return found[-1].parts[-3] if found else None


def relink(lake: Path, release: str) -> None:
    """Re-run only the resolution stage on the cached lake (after a change in dataforge/lib/link)."""
    from dataforge.lib.config import load_config
    from dataforge.lib.lake import open_lake
    from dataforge.lib.release import build_entity_clusters

    os.environ["DATAFORGE_LAKE"] = str(lake)
    build_entity_clusters(open_lake(), release, load_config())


def offset_map(lake_text: str, original: str) -> list[int | None]:
    """For each character of the lake's text, its position in the original (None if inserted)."""
    if lake_text == original:
        return list(range(len(original) + 1))
    where: list[int | None] = [None] * (len(lake_text) + 1)
    for a, b, size in SequenceMatcher(None, lake_text, original, autojunk=False).get_matching_blocks():
        for k in range(size):
            where[a + k] = b + k
    where[len(lake_text)] = len(original)
    return where


def align(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[tuple[dict, dict]]:
    """One-to-one pairs of overlapping spans, the largest overlap first (ties: earlier spans)."""
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            overlap = min(p["end"], g["span"][1]) - max(p["start"], g["span"][0])
            if overlap > 0:
                candidates.append((-overlap, p["start"], g["span"][0], i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, _, _, i, j in sorted(candidates):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((predicted[i], gold[j]))
    return pairs


def matched_mentions(lake: Path, release: str, articles: list[dict[str, Any]]) -> tuple[list[dict], dict]:
    """The predicted mentions that match a known gold entity, with the counts of the alignment."""
    import pyarrow.parquet as pq

    from dataforge.lib.lake import open_lake
    from dataforge.lib.stages import read_text

    os.environ["DATAFORGE_LAKE"] = str(lake)
    store = open_lake()
    by_id = {str(a["id"]): (n, a) for n, a in enumerate(articles)}
    rows = pq.read_table(lake / "gold" / "releases" / release / "graph" / "mentions.parquet").to_pylist()
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)
    counts: Counter[str] = Counter()
    scored = []
    seen_articles = set()
    for doc_id, predicted in sorted(by_doc.items()):
        index, article = by_id[doc_id.split("-")[1]]
        seen_articles.add(article["id"])
        where = offset_map(read_text(store, doc_id)["text"], article["text"])
        mapped = []
        for p in predicted:
            start, end = where[p["start"]], where[p["end"]]
            if start is None or end is None:
                counts["predicted_unmappable"] += 1
                continue
            mapped.append({**p, "start": start, "end": end})
        pairs = align(mapped, article["labels"])
        counts["predicted"] += len(predicted)
        counts["predicted_matched"] += len(pairs)
        for p, g in pairs:
            half = "tune" if index % 2 == 0 else "test"
            if g["entity_id"] in UNKNOWN:  # kept aside for the secondary table only
                counts["matched_unknown_entity"] += 1
                scored.append({**p, "gold": f"NIL|{g['mention']}", "half": half, "nil": True})
                continue
            counts["exact_span"] += (p["start"], p["end"]) == tuple(g["span"])
            scored.append({**p, "gold": g["entity_id"], "half": half, "nil": False})
    gold_total = sum(len(a["labels"]) for a in articles if a["id"] in seen_articles)
    counts["gold"] = gold_total
    counts["gold_known"] = sum(
        1 for a in articles if a["id"] in seen_articles for g in a["labels"] if g["entity_id"] not in UNKNOWN
    )
    counts["documents"] = len(seen_articles)
    counts["scored"] = sum(not m["nil"] for m in scored)
    return scored, dict(counts)


def systems(mentions: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    from dataforge.lib.link import normalize_name

    ids = [m["mention_id"] for m in mentions]
    return {
        "release_clusters": dict(zip(ids, (m["cluster_id"] for m in mentions), strict=True)),
        "exact_string": dict(zip(ids, (m["text"] for m in mentions), strict=True)),
        "exact_string_and_label": dict(zip(ids, (f"{m['label']}|{m['text']}" for m in mentions), strict=True)),
        "normalized_string": dict(zip(ids, (normalize_name(m["text"]) for m in mentions), strict=True)),
    }


def evaluate(mentions: list[dict[str, Any]], with_nil: bool = False) -> dict[str, Any]:
    """Scores per half; ``with_nil``: NIL mentions too, their gold clusters by exact mention text
    (a convention that favours exact string by construction: the secondary table)."""
    results = {}
    for half in ("tune", "test", "all"):
        chosen = [m for m in mentions if (half == "all" or m["half"] == half) and (with_nil or not m["nil"])]
        gold = {m["mention_id"]: m["gold"] for m in chosen}
        results[half] = {
            "mentions": len(chosen),
            "gold_clusters": len(set(gold.values())),
            **{name: score(gold, predicted) for name, predicted in systems(chosen).items()},
        }
    return results


def errors(mentions: list[dict[str, Any]], half: str = "tune", top: int = 15) -> dict[str, list]:
    """The largest over-merges (a release cluster over several gold entities) and under-merges."""
    chosen = [m for m in mentions if m["half"] == half and not m["nil"]]
    by_cluster: dict[str, Counter] = {}
    by_gold: dict[str, Counter] = {}
    for m in chosen:
        by_cluster.setdefault(m["cluster_id"], Counter())[(m["gold"], m["text"])] += 1
        by_gold.setdefault(m["gold"], Counter())[(m["cluster_id"], m["text"])] += 1

    def spread(groups: dict[str, Counter]) -> list:
        rows = []
        for key, c in groups.items():
            parts = Counter()
            for (other, _), n in c.items():
                parts[other] += n
            if len(parts) > 1:
                wrong = sum(parts.values()) - max(parts.values())
                rows.append((wrong, key, sorted({t for (_, t) in c})[:8]))
        rows.sort(key=lambda r: (-r[0], r[1]))
        return [{"wrong": w, "key": k, "texts": t} for w, k, t in rows[:top]]

    return {"over_merged": spread(by_cluster), "under_merged": spread(by_gold)}


def write_section(report: dict[str, Any]) -> None:
    counts = report["alignment"]
    lines = [
        "## Entity resolution on predicted mentions (AIDA-CoNLL dev)",
        "",
        f"`{report['command']}` ({report['date']}, {report['machine']}): the {counts['documents']} of 216 AIDA-CoNLL "
        "dev articles that have a predicted mention, through `dataforge run`; the release's "
        "`graph/mentions.parquet` clusters against the "
        "AIDA entity ids. A predicted mention is scored when its span overlaps a gold mention (one-to-one, "
        "largest overlap first) whose entity is known; all systems are scored on those same mentions, "
        "singletons included.",
        "",
        f"Alignment: {counts['predicted']} predicted mentions, {counts['predicted_matched']} overlap a gold "
        f"mention ({100 * counts['predicted_matched'] / max(counts['predicted'], 1):.1f}%; "
        f"{100 * counts['exact_span'] / max(counts['scored'], 1):.1f}% of the scored ones with the exact span), "
        f"{counts.get('matched_unknown_entity', 0)} of those on a NIL gold entity (not scored); "
        f"{counts['scored']} scored. Gold: {counts['gold']} mentions, {counts['gold_known']} with a known "
        f"entity; {100 * (1 - counts['scored'] / max(counts['gold_known'], 1)):.1f}% of those have no "
        "predicted mention.",
        "",
        "| half | mentions | system | MUC | B3 | CEAF-e | CoNLL F1 |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for half, result in report["results"].items():
        for name in ("release_clusters", "exact_string", "exact_string_and_label", "normalized_string"):
            r = result[name]
            lines.append(
                f"| {half} | {result['mentions']} | {name} | {r['muc']['f1']:.2f} | {r['b_cubed']['f1']:.2f} | "
                f"{r['ceaf_e']['f1']:.2f} | **{r['conll_f1']:.2f}** |"
            )
    lines += [
        "",
        "Margin of the release clusters over exact string (CoNLL F1): "
        + ", ".join(f"{half} {m:+.2f}" for half, m in report["margin_over_exact_string"].items())
        + " (goal +2.00). Tuned on the even-indexed documents (tune), measured on the odd-indexed (test).",
        "",
        "Secondary convention, NIL mentions included with one gold cluster per NIL mention text (which "
        "favours exact string by construction), CoNLL F1 release / exact / normalized: "
        + "; ".join(
            f"{h} {r['release_clusters']:.2f} / {r['exact_string']:.2f} / {r['normalized_string']:.2f}"
            for h, r in report["with_nil_by_text"].items()
        )
        + ".",
        "",
        "What the release does that string matching cannot (dataforge/lib/link): the names and demonyms of "
        'one country join (`countries.py`, from `countryinfo`: "U.S.", "the United States", '
        '"Americans"); a country\'s node is never split by context; labels are voted per name core, so '
        '"GERMANY - Bunds" and "Germany" agree; bracketed "aliases" between unrelated names '
        '("Mark Cairns (England)", "Chicago (Houston)" in news tables) no longer merge; short forms, '
        "initials and acronyms as before. Largest errors left (tune half): metonymy that no string tells "
        'apart ("England" the country and the cricket team, "Chicago" the city and the White Sox), '
        'city for country ("Baghdad" for Iraq), nicknames ("Fed", "All Blacks"), "Europe" / '
        '"European", and one dateline name split by context across unrelated stories ("LONDON").',
        "",
    ]
    ecb = ROOT / "bench" / "results" / "cdcr_ecbplus.json"
    if ecb.is_file():  # the other corpus the resolver is held to (evals/cdcr_ecbplus.py)
        other = json.loads(ecb.read_text(encoding="utf-8"))
        lines.append(
            f"ECB+ dev with the same resolver (`.venv/bin/python -m evals.cdcr_ecbplus`, {other['date']}): "
            f"CoNLL F1 {other['results']['dataforge_link']['conll_f1']:.2f}."
        )
        lines.append("")
    SECTION.parent.mkdir(parents=True, exist_ok=True)
    SECTION.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lake", type=Path, default=LAKE)
    parser.add_argument("--relink", action="store_true", help="re-run only build_entity_clusters on the lake")
    parser.add_argument("--rerun", action="store_true", help="delete the cached lake and run the pipeline again")
    parser.add_argument("--errors", action="store_true", help="print the largest errors on the tune half")
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"skipped: {DATA} is absent (AIDA-CoNLL dev, see shared/README.md)")
        return 0
    articles = load()
    if args.rerun and args.lake.exists():
        shutil.rmtree(args.lake)
    release = release_of(args.lake)
    if release is None:
        run_pipeline(articles, args.lake)
        release = release_of(args.lake)
        if release is None:
            print(f"dataforge run left no entity clusters in {args.lake}")
            return 1
    elif args.relink:
        relink(args.lake, release)
    mentions, counts = matched_mentions(args.lake, release, articles)
    results = evaluate(mentions)
    with_nil = evaluate(mentions, with_nil=True)
    margin = {
        h: round(r["release_clusters"]["conll_f1"] - r["exact_string"]["conll_f1"], 2) for h, r in results.items()
    }
    report = {
        "eval": "AIDA-CoNLL dev through dataforge run: release clusters on predicted mentions",
        "command": COMMAND,
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, 2 cores, Python {sys.version.split()[0]}",
        "release": release,
        "alignment": counts,
        "results": results,
        "margin_over_exact_string": margin,
        "with_nil_by_text": {
            h: {k: r[k]["conll_f1"] for k in ("release_clusters", "exact_string", "normalized_string")}
            for h, r in with_nil.items()
        },
        "goal_met": margin["all"] >= 2.0,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    write_section(report)
    for half, result in results.items():
        for name in ("release_clusters", "exact_string", "exact_string_and_label", "normalized_string"):
            r = result[name]
            print(
                f"{half:5s} {name:24s} MUC {r['muc']['f1']:6.2f}  B3 {r['b_cubed']['f1']:6.2f}  "
                f"CEAF-e {r['ceaf_e']['f1']:6.2f}  CoNLL {r['conll_f1']:6.2f}  clusters {r['clusters']}"
            )
    print("alignment:", json.dumps(counts))
    print("margin over exact string:", json.dumps(margin))
    if args.errors:
        print(json.dumps(errors(mentions), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
