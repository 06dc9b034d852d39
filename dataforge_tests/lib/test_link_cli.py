"""`dataforge link`: mentions produced elsewhere, resolved by the same resolver as the asset."""

import json
from pathlib import Path

from typer.testing import CliRunner

from dataforge.cli import app

ROWS = [
    (
        "a1",
        "a",
        "Northwind Renewable Energy Corporation",
        "Northwind Renewable Energy Corporation builds wind farms.",
        "ORG",
    ),
    ("b1", "b", "NREC", "NREC reported higher revenue from its wind farms.", "ORG"),
    ("b2", "b", "Helena Marsh", "Helena Marsh leads NREC.", "PERSON"),
    ("c1", "c", "Marsh", "Marsh said the wind farms performed well.", "PERSON"),
    ("c2", "c", "Marsh", "Marsh said the wind farms performed well.", "GPE"),  # same words, other label
    ("c3", "c", "she", "She expects more.", None),
]


def write(path: Path, rows=ROWS) -> Path:  # noqa: ANN001
    lines = []
    for mention_id, doc_id, text, sentence, label in rows:
        row = {"mention_id": mention_id, "doc_id": doc_id, "text": text, "sentence": sentence}
        if label:
            row["label"] = label
        lines.append(json.dumps(row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(tmp_path: Path, *options: str) -> dict[str, str]:
    out = tmp_path / "clusters.jsonl"
    result = CliRunner().invoke(app, ["link", str(write(tmp_path / "m.jsonl")), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["mention_id"] for r in rows] == [r[0] for r in ROWS], "one line per mention, in input order"
    assert all(set(r) == {"mention_id", "cluster_id"} for r in rows)
    return {r["mention_id"]: r["cluster_id"] for r in rows}


def test_link_resolves_with_context_and_writes_evidence(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.jsonl"
    clusters = run(tmp_path, "--evidence", str(evidence))
    assert clusters["a1"] == clusters["b1"], "acronym across documents"
    assert clusters["b2"] == clusters["c1"], "surname across documents"
    assert clusters["c1"] != clusters["c2"], "different labels are never merged"
    assert clusters["c3"] != clusters["c1"], "an unlabelled pronoun is its own label: ENTITY"
    rules = {json.loads(line)["rule"] for line in evidence.read_text(encoding="utf-8").splitlines()}
    assert {"acronym", "short_form"} <= rules


def test_link_without_context_gives_the_same_clusters_here(tmp_path: Path) -> None:
    assert len(set(run(tmp_path, "--no-context").values())) == len(set(run(tmp_path).values()))


def test_link_rejects_bad_records(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"mention_id": "x", "doc_id": "d"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["link", str(bad), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2 and "missing text" in result.output
    assert not (tmp_path / "o.jsonl").exists()
