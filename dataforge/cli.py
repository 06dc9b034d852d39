"""The ``dataforge`` command line: ingest, run, watch, extract, status, link, review."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(help="dataforge: documents in, LLM training datasets out.", no_args_is_help=True)
console = Console(stderr=True)
out = Console()

LakeOption = Annotated[
    str | None,
    typer.Option(
        "--lake", help="Lake URI (folder or s3://bucket/prefix); default $DATAFORGE_LAKE or ./.dataforge/lake"
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="YAML configuration file; default $DATAFORGE_CONFIG or built-in defaults"),
]


def _setup(lake: str | None, config: Path | None = None):  # noqa: ANN202
    """Pass options through the environment so Dagster resources see the same values."""
    from dataforge.lib.config import load_config
    from dataforge.lib.lake import open_lake

    if lake:
        os.environ["DATAFORGE_LAKE"] = lake if lake.startswith("s3://") else str(Path(lake).resolve())
    if config:
        os.environ["DATAFORGE_CONFIG"] = str(config.resolve())
    return open_lake(), load_config()


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    )


def _ingest(lake, paths: list[str]) -> list[str]:  # noqa: ANN001
    from dataforge.lib.inbox import document_files
    from dataforge.lib.ingest import ingest_bytes
    from dataforge.lib.sources import iter_s3_objects, source_name

    doc_ids: list[str] = []
    local = [Path(p) for p in paths if not p.startswith("s3://")]
    missing = [str(p) for p in local if not p.exists()]
    if missing:
        raise typer.BadParameter(f"no such file or folder: {', '.join(missing)}")
    files = document_files(local)
    with _progress() as progress:
        task = progress.add_task("ingest", total=len(files))
        for path in files:
            doc_ids.append(ingest_bytes(lake, path.read_bytes(), path.name, str(path.resolve())).doc_id)
            progress.advance(task)
        for uri in (p for p in paths if p.startswith("s3://")):
            for key, data in iter_s3_objects(uri):
                doc_ids.append(ingest_bytes(lake, data, source_name(key), key).doc_id)
    return list(dict.fromkeys(doc_ids))


@app.command()
def ingest(
    paths: Annotated[list[str] | None, typer.Argument(help="Files, folders or s3://bucket/prefix/")] = None,
    release: Annotated[
        str | None, typer.Option(help="Also register this release partition (for `dagster asset materialize`)")
    ] = None,
    lake: LakeOption = None,
) -> None:
    """Store documents in the lake and register their partitions."""
    from dataforge import runner

    store, _ = _setup(lake)
    instance = runner.get_instance()
    if paths:
        doc_ids = _ingest(store, paths)
        added = runner.register(instance, "documents", doc_ids)
        out.print(f"ingested {len(doc_ids)} document(s), {len(added)} new partition(s) in {store.uri}")
    if release:
        runner.register(instance, "releases", [release])
        out.print(f"release partition {release} registered")
    if not paths and not release:
        raise typer.BadParameter("give files to ingest, --release NAME, or both")


@app.command()
def run(
    paths: Annotated[list[str] | None, typer.Argument(help="Files or folders to ingest first")] = None,
    release: Annotated[
        str | None, typer.Option(help="Release name; default: named after its documents and config")
    ] = None,
    rebuild: Annotated[bool, typer.Option(help="Rebuild the release even when it exists")] = False,
    lake: LakeOption = None,
    config: ConfigOption = None,
) -> None:
    """Ingest, process every new document, and build a release."""
    from dataforge import runner
    from dataforge.lib.fingerprints import plan_documents
    from dataforge.lib.ingest import list_documents
    from dataforge.lib.release import default_release_name, processed_documents, release_exists

    store, cfg = _setup(lake, config)
    instance = runner.get_instance()
    if paths:
        _ingest(store, paths)
    all_docs = list_documents(store)
    runner.register(instance, "documents", all_docs)
    plan = plan_documents(store, all_docs, cfg)  # stages made stale by new documents or a changed config
    if plan:
        with _progress() as progress:
            task = progress.add_task("documents", total=sum(len(d) for d in plan.values()))
            advance = lambda n, _: progress.advance(task, n)  # noqa: E731
            try:
                for stages, pending in plan.items():  # only the stale stages of each group of documents
                    runner.run_documents(instance, pending, cfg.run.batch_size, advance, assets=stages)
            except runner.RunFailed as failed:
                _fail(str(failed))
    else:
        console.print("no new documents to process")
    docs = processed_documents(store)
    if not docs:
        console.print("[red]no document could be processed; see `dataforge status`[/red]")
        raise typer.Exit(1)
    name = release or default_release_name(docs, cfg)
    if release_exists(store, name) and not rebuild:
        console.print(f"release {name} is up to date")
    else:
        from dataforge.lib.release import release_prefix
        from dataforge.lib.release_guard import unseal

        if rebuild and unseal(store, name):
            console.print(f"rebuilding release {name}: its manifest is removed until the rebuild completes")
        try:
            with console.status(f"building release {name}"):
                runner.run_release(instance, name, store.join(release_prefix(name)) + "/", lake=store)
        except runner.RunFailed as failed:
            _fail(str(failed))
    _print_summary(store, name)


def _fail(message: str) -> None:
    """A readable failure and a non-zero exit, never a traceback (rich markup is not parsed)."""
    console.print(message, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _print_summary(store, release: str) -> None:  # noqa: ANN001
    from dataforge.lib.ingest import list_quarantine
    from dataforge.lib.release import release_prefix

    prefix = release_prefix(release)
    manifest = store.read_json(f"{prefix}/manifest.json")
    table = Table(title=f"dataforge release {release}", show_header=False)
    quarantined = list_quarantine(store)
    table.add_row("documents processed", str(len(manifest["documents"])))
    table.add_row("documents quarantined", str(len(quarantined)))
    table.add_row("mentions", str(store.read_table(f"{prefix}/graph/mentions.parquet").num_rows))
    entities = store.read_rows(f"{prefix}/graph/entities.parquet")
    table.add_row("entity clusters", f"{len(entities)} ({sum(e['doc_count'] > 1 for e in entities)} across documents)")
    for name, counts in sorted(manifest["datasets"].items()):
        splits = ", ".join(f"{split} {n}" for split, n in sorted(counts.get("splits", {}).items()))
        table.add_row(f"examples: {name}", f"{counts['rows']} ({splits})" if splits else str(counts["rows"]))
    out.print(table)
    out.print(f"release: {store.join(prefix)}")
    for record in quarantined:
        out.print(f"  quarantined {record['doc_id']}: {record['reason']} {record.get('message') or ''}")


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Files to extract")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line")] = False,
) -> None:
    """Print the extracted text of each file."""
    from dataforge.lib.extract import ExtractionError, extract_file

    failed = 0
    for path in files:
        try:
            document = extract_file(path)
        except (ExtractionError, OSError) as error:
            failed += 1
            message = f"{error.reason}: {error.message}" if isinstance(error, ExtractionError) else str(error)
            if as_json:
                out.print_json(json.dumps({"path": str(path), "error": message}), indent=None)
            else:
                console.print(f"[red]{path}: {message}[/red]")
            continue
        if as_json:
            record = {
                "path": str(path),
                "text": document.text,
                "metadata": {**document.metadata, "media_type": document.media_type},
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        else:
            out.rule(str(path))
            sys.stdout.write(document.text + "\n")
    if failed and not as_json:
        raise typer.Exit(1)


@app.command()
def status(lake: LakeOption = None) -> None:
    """Documents, partitions done / quarantined, and releases."""
    from dataforge import runner
    from dataforge.lib.ingest import list_documents, list_quarantine
    from dataforge.lib.release import processed_documents
    from dataforge.lib.withdrawals import withdrawn

    store, _ = _setup(lake)
    instance = runner.get_instance()
    docs = list_documents(store)
    partitions = instance.get_dynamic_partitions("documents")
    quarantined = list_quarantine(store)
    done = processed_documents(store)
    table = Table(title=f"dataforge status: {store.uri}", show_header=False)
    table.add_row("documents in the lake", str(len(docs)))
    table.add_row("document partitions", str(len(partitions)))
    table.add_row("processed", str(len(done)))
    table.add_row("quarantined", str(len(quarantined)))
    gone = set(withdrawn(store))
    table.add_row("withdrawn", str(len(gone)))
    table.add_row("pending", str(len(set(docs) - set(done) - {q["doc_id"] for q in quarantined} - gone)))
    releases = sorted({k.split("/")[2] for k in store.list("gold/releases") if k.endswith("/manifest.json")})
    table.add_row("releases", ", ".join(releases) or "none")
    out.print(table)
    for record in quarantined:
        out.print(
            f"quarantined {record['doc_id']} ({record.get('file_name')}): stage {record['stage']}, "
            f"reason {record['reason']}: {record.get('message') or ''}"
        )


@app.command()
def link(
    mentions: Annotated[Path, typer.Argument(help="JSONL: mention_id, doc_id, text, sentence, optional label, start")],
    out_path: Annotated[Path, typer.Option("--out", help="Output JSONL of {mention_id, cluster_id}")],
    context: Annotated[bool, typer.Option(help="Use sentence embeddings as context evidence")] = True,
    evidence: Annotated[Path | None, typer.Option(help="Also write the merge evidence (JSONL)")] = None,
    config: ConfigOption = None,
) -> None:
    """Cross-document resolution of mentions produced elsewhere (the same resolver as the asset)."""
    from dataforge.lib.config import load_config
    from dataforge.lib.link.records import BadRecordError, link_records, read_records

    cfg = load_config(config)
    try:
        rows = read_records(mentions.read_text(encoding="utf-8").splitlines())
    except BadRecordError as error:
        console.print(f"[red]{mentions}: {error}[/red]")
        raise typer.Exit(2) from error
    result = link_records(rows, cfg.nlp.embedding_model, use_context=context)
    lines = [{"mention_id": r["mention_id"], "cluster_id": result["assignments"][r["mention_id"]]} for r in rows]
    for path, records in [(out_path, lines), (evidence, result["evidence"])]:
        if path is None:
            continue
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        tmp.replace(path)
    console.print(f"{len(rows)} mentions -> {len(result['entities'])} clusters: {out_path}")


import dataforge.cli_watch  # noqa: E402, F401 - registers `dataforge watch`
import dataforge.cli_withdraw  # noqa: E402, F401 - registers `dataforge withdraw`
from dataforge.cli_review import app as review_app  # noqa: E402 - sub-command group

app.add_typer(review_app, name="review")

if __name__ == "__main__":
    app()
