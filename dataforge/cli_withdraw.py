"""``dataforge withdraw``: a takedown. The document leaves every release cut after it.

Nothing is deleted: built releases stay reproducible, and the next release's manifest lists
the withdrawn documents with the reason. ``--undo`` reinstates a document withdrawn by mistake.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from dataforge.cli import LakeOption, _setup, app

console = Console(stderr=True)
out = Console()


@app.command()
def withdraw(
    targets: Annotated[list[str], typer.Argument(help="Document ids, or the source a document came from")],
    reason: Annotated[str, typer.Option(help="Why (kept in the lake and in the next manifest)")] = "takedown",
    undo: Annotated[bool, typer.Option(help="Reinstate instead of withdrawing")] = False,
    lake: LakeOption = None,
) -> None:
    """Withdraw documents from all later releases (by id or by source path / s3:// URI)."""
    from dataforge.lib.ingest import documents_from_source, list_documents, read_source
    from dataforge.lib.withdrawals import reinstate, withdraw

    store, _ = _setup(lake)
    known = set(list_documents(store))
    missing = 0
    for target in targets:
        doc_ids = [target] if target in known else documents_from_source(store, target)
        if not doc_ids:
            console.print(f"{target}: no such document id or source in {store.uri}", markup=False)
            missing += 1
            continue
        for doc_id in doc_ids:
            if undo:
                done = reinstate(store, doc_id)
                out.print(f"{doc_id}: {'reinstated' if done else 'was not withdrawn'}", highlight=False)
            else:
                record = withdraw(store, doc_id, reason, read_source(store, doc_id).get("source"))
                out.print(f"{doc_id}: withdrawn ({record['reason']}, {record['at']})", highlight=False)
    if missing:
        raise typer.Exit(1)
