"""``lagebild actors [--db] [--json] [--limit]``: actors across stored documents, with mention counts."""

from __future__ import annotations

from typing import Optional

import typer

from lagebild.cli.common import DB_HELP, console, open_store_or_exit, print_json

SQL = """
SELECT actor_key, max(name) AS name, max(kind) AS kind, max(actor_id) AS id, max(country) AS country,
       count(*) AS mentions, count(DISTINCT doc_id) AS documents
FROM mentions
WHERE actor_key IS NOT NULL AND role <> 'place' {kind}
GROUP BY actor_key
ORDER BY documents DESC, mentions DESC, name
LIMIT ?
"""


def register(app: typer.Typer) -> None:
    @app.command("actors")
    def actors_cmd(
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        kind: Optional[str] = typer.Option(None, "--kind", help="state, person, organisation, group or place"),
        limit: int = typer.Option(50, "--limit", min=1, help="at most N actors"),
        as_json: bool = typer.Option(False, "--json", help="one JSON object per actor"),
    ) -> None:
        """List actors across stored documents: mentions and documents per actor."""
        from rich.table import Table

        store = open_store_or_exit(db, read_only=True)
        params: list = []
        cond = ""
        if kind:
            cond = "AND kind = ?"
            params.append(kind)
        rows = store.query(SQL.format(kind=cond), params + [limit])
        if as_json:
            for r in rows:
                print_json(r)
            return
        table = Table(title="Actors")
        for c in ("name", "kind", "id", "country", "mentions", "documents"):
            table.add_column(c, justify="right" if c in ("mentions", "documents") else "left")
        for r in rows:
            table.add_row(str(r["name"]), str(r["kind"]), str(r["id"] or "-"), str(r["country"] or "-"),
                          str(r["mentions"]), str(r["documents"]))
        console.print(table)
