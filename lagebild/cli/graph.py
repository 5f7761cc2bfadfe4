"""CLI plugin: ``lagebild relations ACTOR`` (allies and adversaries) and ``lagebild graph`` (exports)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from lagebild.cli.common import DB_HELP, console, exit_error, open_store_or_exit, print_json
from lagebild.graph import FORMATS, aggregate, export, relations_of, rows_from_store

LEVEL_HELP = "nodes are countries (Putin, Moskau, russische Truppen -> RUS) or individual actors"


def _check(since: str | None, until: str | None, level: str, bucket: str = "month") -> None:
    for name, v in (("--since", since), ("--until", until)):
        if v is not None and not _iso(v):
            exit_error(f"{name} needs an ISO date like 2025-09 or 2025-09-03, got {v!r}")
    if level not in ("country", "actor"):
        exit_error(f"--level must be country or actor, got {level!r}")
    if bucket not in ("day", "week", "month"):
        exit_error(f"--bucket must be day, week or month, got {bucket!r}")


def _iso(value: str) -> bool:
    parts = value.split("-")
    return 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4


def register(app: typer.Typer) -> None:
    @app.command("relations")
    def relations_cmd(
        actor: str = typer.Argument(..., help="ISO3 country (RUS), actor key/QID or canonical name"),
        since: Optional[str] = typer.Option(None, "--since", help="events dated on/after this ISO date"),
        until: Optional[str] = typer.Option(None, "--until", help="events dated on/before this ISO date"),
        level: str = typer.Option("country", "--level", help=LEVEL_HELP),
        bucket: str = typer.Option("month", "--bucket", help="timeline buckets: day, week or month"),
        include_flagged: bool = typer.Option(False, "--include-flagged", help="count negated and hypothetical events too"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="JSON Lines instead of tables"),
    ) -> None:
        """Allies and adversaries of an actor, ranked by the PLOVER cooperation–conflict score."""
        _check(since, until, level, bucket)
        store = open_store_or_exit(db, read_only=True)
        g = aggregate(rows_from_store(store, since, until, include_flagged), level, bucket)
        allies, adversaries = relations_of(g, actor)
        if as_json:
            for kind, items in (("ally", allies), ("adversary", adversaries)):
                for it in items:
                    print_json({"relation": kind, **it})
            return
        if not allies and not adversaries:
            console.print(f"no relations found for {actor!r}")
            return
        from rich.table import Table

        for title, items in (("allies", allies), ("adversaries", adversaries)):
            if not items:
                continue
            table = Table(title=f"{title} of {actor}")
            for col in ("actor", "events", "score", "types", "first", "last", "evidence"):
                table.add_column(col, overflow="fold")
            for it in items:
                ev = it["evidence"][0]["sentence"] if it["evidence"] else ""
                table.add_row(it["label"], str(it["count"]), f"{it['score_sum']:+.1f}",
                              ", ".join(f"{t} {n}" for t, n in it["by_type"].items()), str(it["first"] or ""),
                              str(it["last"] or ""), ev)
            console.print(table)

    @app.command("graph")
    def graph_cmd(
        out: Path = typer.Option(..., "--out", "-o", help="output file"),
        fmt: str = typer.Option("graphml", "--format", "-f", help="graphml | gexf | json | csv"),
        since: Optional[str] = typer.Option(None, "--since", help="events dated on/after this ISO date"),
        until: Optional[str] = typer.Option(None, "--until", help="events dated on/before this ISO date"),
        min_events: int = typer.Option(1, "--min-events", help="leave out pairs with fewer events"),
        level: str = typer.Option("country", "--level", help=LEVEL_HELP),
        include_flagged: bool = typer.Option(False, "--include-flagged", help="count negated and hypothetical events too"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Export the relations graph (opens in Gephi, Cytoscape, networkx)."""
        if fmt not in FORMATS:
            exit_error(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        _check(since, until, level)
        store = open_store_or_exit(db, read_only=True)
        g = aggregate(rows_from_store(store, since, until, include_flagged), level, "month", min_events)
        out.write_text(export(g, fmt), encoding="utf-8")
        console.print(f"wrote {len(g.nodes)} nodes and {len(g.relations)} relations to {out} ({fmt})")
