"""Built-in commands: analyze, ingest, show, stats, stages, settings."""

from __future__ import annotations

import sys
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from lagebild.app import Lagebild
from lagebild.cli.common import DB_HELP, console, err_console, exit_error, open_store_or_exit, print_json, settings_for
from lagebild.cli.render import render_document, render_failure
from lagebild.document import Failure
from lagebild.errors import ConfigError, LagebildError
from lagebild.pipeline import Pipeline

FORMATS = ("auto", "text", "html", "warc", "jsonl")
STAGES_HELP = ("preset (extract, actors, quotes, events, framing, default) or comma list of stage names; "
               "see `lagebild stages`")


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        exit_error(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def _app(stages: str | None, db: str | None = None, **settings: object) -> Lagebild:
    lb = Lagebild(settings_for(db, **settings), stages)
    try:
        Pipeline.validate(stages)   # a bad --stages is a usage error (exit 2) before any work
    except ConfigError as exc:
        exit_error(str(exc))
    return lb


def analyze(
    paths: list[str] = typer.Argument(..., help="files, directories, WARC/JSONL files, http(s) URLs, or - for stdin"),
    json_out: bool = typer.Option(False, "--json", help="one contract JSON object per document (JSON Lines)"),
    stages: Optional[str] = typer.Option(None, "--stages", "-s", help=STAGES_HELP),
    fmt: str = typer.Option("auto", "--format", "-f", help="input format: auto|text|html|warc|jsonl"),
    allow_private: bool = typer.Option(False, "--allow-private", help="allow URLs on private/loopback addresses"),
) -> None:
    """Analyze pages and print what lagebild found (readable summary, or --json)."""
    lb = _app(stages, allow_private=allow_private or None)
    failed = 0
    for result in lb.analyze(paths, _check_format(fmt), stdin=sys.stdin.buffer):
        if isinstance(result, Failure):
            failed += 1
        if json_out:
            print_json(result.to_dict())
        elif isinstance(result, Failure):
            render_failure(err_console, result)
        else:
            render_document(console, result)
    raise typer.Exit(1 if failed else 0)


def ingest(
    paths: list[str] = typer.Argument(..., help="files, directories, WARC/JSONL files, http(s) URLs, or -"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    stages: Optional[str] = typer.Option(None, "--stages", "-s", help=STAGES_HELP),
    fmt: str = typer.Option("auto", "--format", "-f", help="input format: auto|text|html|warc|jsonl"),
    workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                          help="worker processes (default: the 'workers' setting, 0 = all cores)"),
    force: bool = typer.Option(False, "--force", help="re-analyze inputs already stored with the same content"),
    allow_private: bool = typer.Option(False, "--allow-private", help="allow URLs on private/loopback addresses"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
) -> None:
    """Analyze pages and store them; re-running skips what is stored and adds no duplicates."""
    lb = _app(stages, db, allow_private=allow_private or None)
    store = open_store_or_exit(lb.settings.db)
    progress = Progress(SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(),
                        console=err_console, disable=quiet or not err_console.is_terminal)
    with progress, store:
        task = progress.add_task("ingest", total=None, failed=0)
        failures = 0

        def tick(result: object) -> None:
            nonlocal failures
            if isinstance(result, Failure):
                failures += 1
                render_failure(err_console, result)
            progress.update(task, advance=1, failed=failures)

        try:
            report = lb.ingest(paths, store, _check_format(fmt),
                               workers=lb.settings.workers if workers is None else workers, stdin=sys.stdin.buffer,
                               on_result=tick, force=force)
        except LagebildError as exc:
            exit_error(str(exc), 1)
    w = report.written
    err_console.print(f"{report.pages} inputs: {w.added} documents added, {w.duplicates} already stored, "
                      f"{report.skipped} skipped (unchanged), {w.failed} failed -> {lb.settings.db}")
    raise typer.Exit(0 if report.ok else 1)


def show(
    doc_id: str = typer.Argument(..., help="document id (or a unique prefix of at least 4 characters)"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="print the contract JSON"),
) -> None:
    """Show one stored document."""
    with open_store_or_exit(db, read_only=True) as store:
        d = store.document(doc_id)
    if d is None:
        exit_error(f"[E502] no document with id {doc_id!r}", 1)
    if json_out:
        print_json(d)
    else:
        from lagebild.document import Document

        render_document(console, Document.from_dict(d))


def stats(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Counts of what is stored: documents, removed blocks, errors, layers, languages."""
    with open_store_or_exit(db, read_only=True) as store:
        s = store.stats()
    if json_out:
        print_json(s)
        return
    from rich.table import Table

    table = Table(title=f"lagebild store {settings_for(db).db}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in s.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "-"
        table.add_row(key, str(value))
    console.print(table)


def stages_cmd() -> None:
    """List the registered stages, what each needs and adds, and the presets."""
    from rich.table import Table

    from lagebild.pipeline import PRESETS, registry

    reg = registry()
    table = Table(title="stages (extract always runs first and adds: text)")
    for col in ("stage", "requires", "adds", "what"):
        table.add_column(col)
    for name in reg.names():
        info = reg.get(name)
        table.add_row(name, ", ".join(info.requires), ", ".join(info.adds), info.doc.splitlines()[0] if info.doc else "")
    console.print(table)
    for name, names in PRESETS.items():
        console.print(f"[bold]{name}[/]: extract, " + ", ".join(n for n in names if n in reg))


def settings_cmd(json_out: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """Show every setting, its current value (defaults, then LAGEBILD_* environment) and what it does."""
    s = settings_for()
    if json_out:
        print_json({name: value for name, value, _ in s.table()})
        return
    from rich.table import Table

    table = Table(title="settings (environment: LAGEBILD_<NAME>)")
    for col in ("name", "value", "what"):
        table.add_column(col)
    for name, value, text in s.table():
        table.add_row(name, repr(value), text)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(analyze)
    app.command()(ingest)
    app.command()(show)
    app.command()(stats)
    app.command("stages")(stages_cmd)
    app.command("settings")(settings_cmd)
