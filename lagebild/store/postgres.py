"""The team store: PostgreSQL through psycopg 3 and a connection pool, same schema as DuckDB.

Queries are written once with DuckDB-style ``?`` placeholders (see :mod:`lagebild.store.base`) and
translated here to psycopg's ``%s``. Several ingest processes may write at once: document rows are
inserted with ``ON CONFLICT DO NOTHING`` on the document id, so the same article never appears twice
and a batch that loses a deadlock against another writer is retried as a whole (nothing is lost).
"""

from __future__ import annotations

import random
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

import psycopg
from psycopg import errors as pg_errors
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from lagebild.document import Document, Failure
from lagebild.errors import Code, LagebildError
from lagebild.store.base import Seen, Store, WriteStats

#: errors after which a whole write batch is simply run again
RETRYABLE = (pg_errors.DeadlockDetected, pg_errors.SerializationFailure, pg_errors.UniqueViolation)
WRITE_ATTEMPTS = 8
#: key of the advisory lock that serialises schema migrations between processes
MIGRATION_LOCK = 0x6C616765   # "lage"


def to_pyformat(sql: str) -> str:
    """``?`` placeholders -> ``%s``; literal ``%`` -> ``%%``. ``?`` inside quotes is left alone."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if ch == "%":
            out.append("%%")
            continue
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        out.append(ch)
    return "".join(out)


class PostgresStore(Store):
    """A pooled PostgreSQL store; safe to share between the threads of one process."""

    thread_safe = True

    def __init__(self, url: str, min_size: int = 1, max_size: int = 10) -> None:
        self.url = url
        self._local = threading.local()   # the connection of the transaction open in this thread
        try:
            self.pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=True, timeout=30,
                                       kwargs={"autocommit": True, "row_factory": dict_row},
                                       name="lagebild")
            self.pool.wait(timeout=15)
        except Exception as exc:  # noqa: BLE001 - pool timeouts are not psycopg errors
            raise LagebildError(Code.E501, url=_redact(url), detail=_first_line(exc)) from None
        self.migrate()

    # ---- connections
    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self.pool.connection() as conn:
            yield conn

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        try:
            with self._conn() as conn:
                cur = conn.execute(to_pyformat(sql), list(params))
                if cur.description is None:
                    return []
                return list(cur.fetchall())
        except RETRYABLE:
            raise
        except psycopg.Error as exc:
            raise LagebildError(Code.E503, detail=_first_line(exc)) from None

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._conn() as conn:
            with conn.cursor() as cur:
                cur.executemany(to_pyformat(sql), [list(r) for r in rows])

    @contextmanager
    def _pinned(self) -> Iterator[psycopg.Connection]:
        """A pooled connection that every query of this thread uses until the block ends."""
        with self.pool.connection() as conn:
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if getattr(self._local, "conn", None) is not None:   # nested: a savepoint
            with self._local.conn.transaction():
                yield
            return
        with self._pinned() as conn, conn.transaction():
            yield

    def close(self) -> None:
        self.pool.close()

    # ---- schema: one process migrates at a time
    def migrate(self) -> None:
        with self._pinned() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
            try:
                super().migrate()
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))

    # ---- writing: deterministic order, retried when another writer got in the way
    def write(self, results: Iterable[Document | Failure],
              seen: Sequence[Seen | None] | None = None) -> WriteStats:
        results = list(results)
        marks = list(seen) if seen is not None else [None] * len(results)
        pairs = sorted(zip(results, marks), key=_order_key)
        ordered = [r for r, _ in pairs]
        ordered_marks = [m for _, m in pairs]
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return super().write(ordered, ordered_marks)
            except RETRYABLE:
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
        raise AssertionError("unreachable")


def _order_key(pair: tuple[Document | Failure, Seen | None]) -> tuple[str, str]:
    result, mark = pair
    doc_id = result.id if isinstance(result, Document) else ""
    return (doc_id or "", f"{mark.uri}\x00{mark.record}" if mark else "")


def _first_line(exc: BaseException) -> str:
    """The first line of an error's message (PostgreSQL adds context lines), or its type's name."""
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(url)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
            return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        pass
    return url
