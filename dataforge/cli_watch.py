"""``dataforge watch``: process files dropped into a folder as they arrive, models kept loaded.

The inbox sensor of ``dagster dev`` looks every 15 seconds and each run it launches is a new
process that imports the code and loads spaCy and the embedder again. A watcher on a laptop
or a single box keeps one process with the models loaded and looks every second, so a dropped
document is processed in roughly its compute time. Runs go through the same Dagster jobs, on
the same instance, so they show up in the web UI like any other run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dataforge.cli import ConfigOption, LakeOption, _setup, app

console = Console(stderr=True)
MAX_ATTEMPTS = 3  # runs a document gets before the watcher reports it unprocessed
out = Console()


@app.command()
def watch(
    folder: Annotated[
        Path | None, typer.Argument(help="Folder to watch; default $DATAFORGE_INBOX or ./.dataforge/inbox")
    ] = None,
    interval: Annotated[float, typer.Option(help="Seconds between two looks at the folder", min=0.05)] = 0.5,
    max_documents: Annotated[
        int, typer.Option(help="Stop after processing this many new documents; 0 runs until Ctrl-C", min=0)
    ] = 0,
    lake: LakeOption = None,
    config: ConfigOption = None,
) -> None:
    """Process new or changed files in a folder as they arrive (no release; `dataforge run` cuts one)."""
    from dataforge import runner
    from dataforge.lib.inbox import inbox_folder, ingest_files, scan
    from dataforge.lib.ingest import is_quarantined, quarantine_key
    from dataforge.lib.stages import silver_key

    if hasattr(sys.stdout, "reconfigure"):  # a progress line reaches a pipe (tee, a supervisor) when printed
        sys.stdout.reconfigure(line_buffering=True)
    store, cfg = _setup(lake, config)
    folder = (folder or inbox_folder()).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    instance = runner.get_instance()
    runner.definitions()
    seconds = runner.warm_models(cfg)
    # Files already there are processed first: their ids are content hashes, so a file that
    # was processed before costs one read and is skipped.
    ready = f"watching {folder} every {interval:g} s (models loaded in {seconds:.1f} s); Ctrl-C stops"
    out.print(ready, highlight=False)
    seen: dict[str, str] = {}
    attempts: dict[str, int] = {}  # documents a run left neither finished nor quarantined
    processed = 0
    try:
        while not max_documents or processed < max_documents:
            files, seen = scan(folder, seen, 500)
            doc_ids = ingest_files(store, folder, files) if files else []
            added = runner.register(instance, "documents", doc_ids)
            unfinished = [d for d in doc_ids if not store.exists(silver_key("document_examples", d))]
            new = added + [d for d in unfinished if d not in added]
            retry = [d for d in attempts if d not in new]
            pending = [d for d in new + retry if not is_quarantined(store, d)]
            if pending:
                started = time.perf_counter()
                try:
                    runner.run_documents(instance, pending, cfg.run.batch_size)
                except RuntimeError as error:  # a failed run is in the UI; the watcher keeps going
                    console.print(f"[red]{error}[/red]")
                out.print(f"{len(pending)} document(s) in {time.perf_counter() - started:.1f} s", highlight=False)
            for doc_id in new + retry:
                if is_quarantined(store, doc_id):
                    out.print(f"{doc_id}: quarantined ({store.read_json(quarantine_key(doc_id))['reason']})")
                elif store.exists(silver_key("document_examples", doc_id)):
                    rows = store.read_table(silver_key("document_examples", doc_id)).num_rows
                    out.print(f"{doc_id}: {rows} examples")
                else:  # never dropped in silence: tried again on the next look, then reported
                    attempts[doc_id] = attempts.get(doc_id, 0) + 1
                    if attempts[doc_id] < MAX_ATTEMPTS:
                        out.print(f"{doc_id}: not finished, trying again", highlight=False)
                        continue
                    out.print(f"{doc_id}: not processed after {MAX_ATTEMPTS} runs; see `dataforge status`")
                attempts.pop(doc_id, None)
                processed += 1
            if not files and not attempts:
                time.sleep(interval)
    except KeyboardInterrupt:
        console.print("stopped")
