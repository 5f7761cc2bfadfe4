"""``lagebild load``: load the Parquet output of ``lagebild spark`` into DuckDB or PostgreSQL."""

from __future__ import annotations

import os
from typing import Optional

import typer

from lagebild.cli.common import DB_HELP, console, exit_error, open_store_or_exit


def load(
    directory: str = typer.Argument(..., help="output directory of `lagebild spark`"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Load Spark's Parquet tables into the store; documents already stored are not duplicated."""
    from lagebild.spark.load import load_parquet

    if not os.path.isdir(os.path.join(directory, "documents")):
        exit_error(f"{directory} has no documents table (is it the output of `lagebild spark`?)")
    with open_store_or_exit(db) as store:
        report = load_parquet(directory, store)
    console.print(", ".join(f"{t} {n}" for t, n in report.rows.items()))


def register(app: typer.Typer) -> None:
    app.command()(load)
