"""Storage backends: DuckDB (embedded, default) and PostgreSQL (for teams), one interface."""

from __future__ import annotations

from lagebild.store.base import Seen, Store, WriteStats


def open_store(url: str | None = None, read_only: bool = False) -> Store:
    """Open a store from a path (DuckDB) or a ``postgresql://`` URL; the schema is created or migrated."""
    url = url or "lagebild.duckdb"
    if url.startswith(("postgresql://", "postgres://")):
        from lagebild.store.postgres import PostgresStore

        return PostgresStore(url)
    from lagebild.store.duckdb import DuckDBStore

    return DuckDBStore(url, read_only=read_only)


__all__ = ["Seen", "Store", "WriteStats", "open_store"]
