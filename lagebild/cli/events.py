"""CLI plugin: ``lagebild events [--actor A] [--type T]`` — stored events with their actors and evidence."""

from __future__ import annotations

from typing import Any, Optional

import typer

from lagebild.cli.common import DB_HELP, console, exit_error, open_store_or_exit, print_json
from lagebild.document import PLOVER_TYPES

SQL = """
SELECT e.doc_id, e.idx, e.type, e.mode, e.date, e.trigger_text, e.sentence_text, e.location_name,
       e.location_country, e.negated, e.hypothetical, e.confidence, d.title, d.published
FROM events e LEFT JOIN documents d ON d.id = e.doc_id
WHERE 1 = 1 {where}
ORDER BY COALESCE(e.date, d.published) DESC, e.doc_id, e.idx
LIMIT ?
"""

ACTOR_FILTER = """ AND EXISTS (SELECT 1 FROM event_actors a WHERE a.doc_id = e.doc_id AND a.event_idx = e.idx
  AND (a.actor_key = ? OR a.actor_id = ? OR a.country = ? OR LOWER(a.name) LIKE ?))"""

ACTORS_SQL = "SELECT doc_id, event_idx, role, name, country, sector FROM event_actors WHERE doc_id IN ({marks})"


def find_events(store: Any, actor: str | None = None, type_: str | None = None, since: str | None = None,
                until: str | None = None, facts_only: bool = False, limit: int = 100) -> list[dict[str, Any]]:
    """Events (newest first) filtered by actor (key, QID, ISO3 country or part of a name) and type."""
    where, params = "", []
    if actor:
        where += ACTOR_FILTER
        params += [actor, actor, actor.upper(), f"%{actor.lower()}%"]
    if type_:
        where += " AND e.type = ?"
        params.append(type_.upper())
    if since:
        where += " AND COALESCE(e.date, d.published) >= ?"
        params.append(since)
    if until:
        where += " AND COALESCE(e.date, d.published) <= ?"
        params.append(until + "\uffff")
    if facts_only:
        where += " AND e.negated IS NOT TRUE AND e.hypothetical IS NOT TRUE"
    params.append(limit)
    rows = store.query(SQL.format(where=where), params)
    _attach_actors(store, rows)
    return rows


def _attach_actors(store: Any, rows: list[dict[str, Any]]) -> None:
    """Add ``source`` and ``target`` lists to event rows, with one query per 500 documents (not per event)."""
    by_event: dict[tuple[str, int], list[dict[str, Any]]] = {}
    docs = sorted({r["doc_id"] for r in rows})
    for i in range(0, len(docs), 500):
        chunk = docs[i:i + 500]
        for a in store.query(ACTORS_SQL.format(marks=",".join("?" * len(chunk))), chunk):
            by_event.setdefault((a["doc_id"], int(a["event_idx"])), []).append(a)
    for r in rows:
        acts = by_event.get((r["doc_id"], int(r["idx"])), [])
        r["source"] = [a for a in acts if a["role"] == "source"]
        r["target"] = [a for a in acts if a["role"] == "target"]


def _names(actors: list[dict[str, Any]]) -> str:
    return ", ".join(f"{a['name']}" + (f" ({a['sector']})" if a.get("sector") else "") for a in actors)


def register(app: typer.Typer) -> None:
    @app.command("events")
    def events_cmd(
        actor: Optional[str] = typer.Option(None, "--actor", "-a", help="actor key, QID, ISO3 country or part of a name"),
        type_: Optional[str] = typer.Option(None, "--type", "-t", help="PLOVER type: " + ", ".join(PLOVER_TYPES)),
        since: Optional[str] = typer.Option(None, "--since", help="events dated on/after this ISO date"),
        until: Optional[str] = typer.Option(None, "--until", help="events dated on/before this ISO date"),
        facts: bool = typer.Option(False, "--facts", help="leave out negated and hypothetical events"),
        limit: int = typer.Option(100, "--limit", help="at most this many events"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="JSON Lines instead of a table"),
    ) -> None:
        """List stored events (who did what to whom, when, where), newest first, with their sentence."""
        if type_ and type_.upper() not in PLOVER_TYPES:
            exit_error(f"--type must be one of {', '.join(PLOVER_TYPES)}, got {type_!r}")
        store = open_store_or_exit(db, read_only=True)
        rows = find_events(store, actor, type_, since, until, facts, limit)
        if as_json:
            for r in rows:
                print_json(r)
            return
        if not rows:
            console.print("no events found")
            return
        from rich.table import Table

        table = Table(title="events")
        for col in ("date", "type", "source", "target", "where", "flags", "sentence"):
            table.add_column(col, overflow="fold")
        for r in rows:
            flags = " ".join(f for f, on in (("negated", r["negated"]), ("hypothetical", r["hypothetical"])) if on)
            table.add_row(str(r.get("date") or ""), r["type"] + (f"/{r['mode']}" if r.get("mode") else ""),
                          _names(r["source"]), _names(r["target"]), r.get("location_name") or "", flags,
                          r.get("sentence_text") or "")
        console.print(table)
