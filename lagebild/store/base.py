"""The store interface shared by the DuckDB and PostgreSQL backends.

A store keeps documents with all their layers (one table per layer, rows from :mod:`rows`), the
errors of documents that failed, and every input it has seen (``sources``), so that re-running an
ingest skips what is stored and creates no duplicates. Writes go in batches, one transaction each:
a killed ingest loses at most the batch in flight.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from typing import Any, Iterable, Sequence

from lagebild.document import Document, Failure
from lagebild.store.rows import COLUMNS, DOCUMENT_TABLES, DocumentRows, error_rows, rows_of


@dataclass(slots=True)
class Seen:
    """An input as the store remembers it: which source, which content, which document."""

    uri: str
    record: str
    content_hash: str


@dataclass(slots=True)
class WriteStats:
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __iadd__(self, other: "WriteStats") -> "WriteStats":
        self.added += other.added
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.errors.extend(other.errors)
        return self


def schema_statements() -> list[str]:
    sql = resources.files("lagebild.store").joinpath("schema.sql").read_text(encoding="utf-8")
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def utcnow() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")


class Store(ABC):
    """Common logic; a backend supplies the connection, placeholders and transactions."""

    url: str

    # ---- backend hooks
    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    @abstractmethod
    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def _transaction(self): ...   # a context manager

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- schema
    def migrate(self) -> None:
        from lagebild.store.migrations import apply_migrations

        apply_migrations(self)

    # ---- reading
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read query written with ``?`` placeholders; rows as dicts."""
        return self._execute(sql, params)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """The contract JSON of a stored document; a unique id prefix is accepted too."""
        rows = self._execute("SELECT json FROM documents WHERE id = ?", (doc_id,))
        if not rows and 4 <= len(doc_id) < 64:
            rows = self._execute("SELECT json FROM documents WHERE id LIKE ? LIMIT 2", (doc_id + "%",))
            if len(rows) != 1:
                rows = []
        return json.loads(rows[0]["json"]) if rows else None

    def is_seen(self, seen: Seen) -> bool:
        return bool(self.seen_among([seen]))

    def seen_among(self, marks: Sequence[Seen | None]) -> set[int]:
        """Indexes of the marks stored with the same content hash (``None`` marks never are): one
        query per 500 marks instead of one per page (a point query costs milliseconds in DuckDB)."""
        found: set[int] = set()
        for i in range(0, len(marks), 500):
            chunk = marks[i:i + 500]
            uris = sorted({m.uri for m in chunk if m is not None})
            if not uris:
                continue
            rows = self._execute(f"SELECT uri, record, content_hash FROM sources WHERE uri IN "
                                 f"({','.join('?' * len(uris))})", uris)
            stored = {(r["uri"], r["record"]): r["content_hash"] for r in rows}
            found.update(i + k for k, m in enumerate(chunk)
                         if m is not None and stored.get((m.uri, m.record)) == m.content_hash)
        return found

    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for table in ("documents", "removed", "errors", "mentions", "quotes", "events", "framing", "sources"):
            out[table] = self._execute(f"SELECT count(*) AS n FROM {table}")[0]["n"]
        out["languages"] = {r["language"] or "unknown": r["n"] for r in self._execute(
            "SELECT language, count(*) AS n FROM documents GROUP BY language ORDER BY n DESC")}
        out["genres"] = {r["genre"] or "unknown": r["n"] for r in self._execute(
            "SELECT genre, count(*) AS n FROM documents GROUP BY genre ORDER BY n DESC")}
        out["removed_kinds"] = {r["kind"]: r["n"] for r in self._execute(
            "SELECT kind, count(*) AS n FROM removed GROUP BY kind ORDER BY n DESC")}
        out["error_codes"] = {r["code"]: r["n"] for r in self._execute(
            "SELECT code, count(*) AS n FROM errors GROUP BY code ORDER BY n DESC")}
        return out

    # ---- writing
    def write(self, results: Iterable[Document | DocumentRows | Failure],
              seen: Sequence[Seen | None] | None = None) -> WriteStats:
        """Store one batch in one transaction. Documents already stored (same id) are not duplicated.
        A document may come as its rows already (:class:`DocumentRows`, as ingest hands it over)."""
        results = list(results)
        seen = list(seen) if seen is not None else [None] * len(results)
        now = utcnow()
        stats = WriteStats()
        docs = [r for r in results if not isinstance(r, Failure)]
        with self._transaction():
            existing = self._existing_ids([d.id for d in docs])
            tables: dict[str, list[tuple[Any, ...]]] = {t: [] for t in DOCUMENT_TABLES}
            errors: list[tuple[Any, ...]] = []
            sources: list[tuple[Any, ...]] = []
            for result, mark in zip(results, seen):
                if not isinstance(result, Failure):
                    if result.id in existing:
                        stats.duplicates += 1
                        status = "duplicate"
                    else:
                        existing.add(result.id)
                        stats.added += 1
                        status = "ok"
                        for table, rows in rows_of(result, now).items():
                            tables[table].extend(rows)
                    doc_id = result.id
                else:
                    stats.failed += 1
                    status, doc_id = "failed", None
                    stats.errors.extend(e.message for e in result.errors)
                errors.extend(error_rows(result, now))
                if mark is not None:
                    sources.append((mark.uri, mark.record, mark.content_hash, doc_id, status, now))
            for table in DOCUMENT_TABLES:
                if tables[table]:
                    self._insert(table, tables[table])
            if errors:
                self._upsert("errors", errors, ("uri", "record", "stage"))
            if sources:
                self._upsert("sources", sources, ("uri", "record"))
        return stats

    def _existing_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            if chunk:
                marks = ",".join("?" * len(chunk))
                found.update(r["id"] for r in self._execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk))
        return found

    def _insert(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        cols = COLUMNS[table]
        sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
               f"ON CONFLICT DO NOTHING")
        self._executemany(sql, rows)

    def _upsert(self, table: str, rows: list[tuple[Any, ...]], key: tuple[str, ...]) -> None:
        cols = COLUMNS[table]
        pos = [cols.index(k) for k in key]
        rows = list({tuple(r[i] for i in pos): r for r in rows}.values())   # one row per key: last wins
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in key)
        sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
               f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}")
        self._executemany(sql, rows)
