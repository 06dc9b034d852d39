"""``dataforge review``: bring reviewers' decisions back into the lake.

Each release writes ``review/argilla.jsonl`` and ``review/label_studio.json`` (a stratified
sample, ``quality.review_fraction`` of every kind and split); reviewers accept or reject the
examples in Argilla or Label Studio and export; ``dataforge review import FILE`` stores the
decisions in the lake (``review/decisions.jsonl``), and the next release leaves rejected
examples out (``quality_report.json`` counts them under ``review``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Human review of release samples: import reviewers' decisions.", no_args_is_help=True)
out = Console()


@app.callback()
def review() -> None:
    """Human review of release samples (review/ in every release)."""


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, help="Label Studio / Argilla export, or JSONL/CSV {id, decision}"),
    ],
    lake: Annotated[
        str | None, typer.Option("--lake", help="Lake URI; default $DATAFORGE_LAKE or ./.dataforge/lake")
    ] = None,
) -> None:
    """Store review decisions; rejected examples are left out of the next release."""
    from dataforge.lib.lake import open_lake
    from dataforge.lib.review import DECISIONS_KEY, import_decisions

    if lake:
        os.environ["DATAFORGE_LAKE"] = lake if lake.startswith("s3://") else str(Path(lake).resolve())
    try:
        counts = import_decisions(open_lake(), file)
    except ValueError as error:
        out.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    out.print(f"{counts['accept']} accepted, {counts['reject']} rejected -> {DECISIONS_KEY}")
