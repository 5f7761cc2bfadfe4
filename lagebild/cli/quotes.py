"""CLI plugin: ``lagebild quotes ACTOR`` — what an actor said, with the document and its date."""

from __future__ import annotations

from typing import Any, Optional

import typer

from lagebild.cli.common import DB_HELP, console, exit_error, open_store_or_exit, print_json

SQL = """
SELECT q.doc_id, q.idx, q.start_char, q.end_char, q.text, q.kind, q.cue, q.speaker_text,
       q.speaker_id, q.speaker_name, q.speaker_country, d.title, d.published
FROM quotes q LEFT JOIN documents d ON d.id = q.doc_id
WHERE (q.speaker_id = ? OR LOWER(q.speaker_name) LIKE ? OR LOWER(q.speaker_text) LIKE ?
       OR EXISTS (SELECT 1 FROM quote_speakers s WHERE s.doc_id = q.doc_id AND s.quote_idx = q.idx
                  AND (s.actor_id = ? OR LOWER(s.name) LIKE ?)))
  AND q.kind <> 'scare' {since}
ORDER BY d.published DESC, q.doc_id, q.idx
LIMIT ?
"""


def find_quotes(store: Any, actor: str, since: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Quotes whose speaker is ``actor`` (a QID, or part of a canonical name or of the speaker phrase),
    including group speakers ("beide Staatschefs") that have the actor among their members."""
    like = f"%{actor.lower()}%"
    params: list[Any] = [actor, like, like, actor, like]
    clause = ""
    if since:
        clause = "AND d.published >= ?"
        params.append(since)
    params.append(limit)
    return store.query(SQL.format(since=clause), params)


def register(app: typer.Typer) -> None:
    @app.command("quotes")
    def quotes_cmd(
        actor: str = typer.Argument(..., help="actor QID (Q7747), canonical name or part of it (Putin)"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        since: Optional[str] = typer.Option(None, "--since", help="only documents published on/after this ISO date"),
        limit: int = typer.Option(100, "--limit", help="at most this many quotes"),
        as_json: bool = typer.Option(False, "--json", help="JSON Lines instead of a table"),
    ) -> None:
        """List what an actor said (direct, indirect and partial quotes), newest documents first."""
        if since is not None and not _iso_date(since):
            exit_error(f"--since needs an ISO date like 2025-09 or 2025-09-03, got {since!r}")
        store = open_store_or_exit(db, read_only=True)
        rows = find_quotes(store, actor, since, limit)
        if as_json:
            for r in rows:
                print_json(r)
            return
        if not rows:
            console.print(f"no quotes found for {actor!r}")
            return
        from rich.table import Table

        table = Table(title=f"quotes by {actor}")
        for col in ("published", "speaker", "kind", "cue", "quote", "document"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(str(r.get("published") or ""), r.get("speaker_name") or r.get("speaker_text") or "",
                          r.get("kind") or "", r.get("cue") or "", r.get("text") or "",
                          r.get("title") or str(r.get("doc_id"))[:12])
        console.print(table)


def _iso_date(value: str) -> bool:
    parts = value.split("-")
    return 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4
