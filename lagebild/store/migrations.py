"""Schema migrations: numbered steps applied once, recorded in ``schema_version``.

Version 1 is ``schema.sql``. A later change adds a function to ``MIGRATIONS`` (never edits an old one)
and a note in the README; both backends run the same steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from lagebild.store.base import schema_statements, utcnow

if TYPE_CHECKING:
    from lagebild.store.base import Store


def _v1(store: "Store") -> None:
    for stmt in schema_statements():
        store._execute(stmt)


MIGRATIONS: list[tuple[int, Callable[["Store"], None]]] = [(1, _v1)]


def apply_migrations(store: "Store") -> None:
    store._execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
    done = {r["version"] for r in store._execute("SELECT version FROM schema_version")}
    for version, step in MIGRATIONS:
        if version in done:
            continue
        with store._transaction():
            step(store)
            store._execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                           (version, utcnow()))
