"""The embedded default store: one DuckDB file, no server."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

import duckdb

from lagebild.errors import Code, LagebildError
from lagebild.store.base import Store


_CHUNK = 500   # rows per INSERT statement


class DuckDBStore(Store):
    def __init__(self, path: str, read_only: bool = False) -> None:
        self.url = path
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(path, read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            raise LagebildError(Code.E501, url=path, detail=str(exc).splitlines()[0]) from None
        if not read_only:
            self.migrate()

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        try:
            cur = self.con.execute(sql, list(params))
        except duckdb.Error as exc:
            raise LagebildError(Code.E503, detail=str(exc).splitlines()[0]) from None
        if cur.description is None:
            return []
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Multi-row INSERTs in chunks: DuckDB's executemany runs one statement per row (~50x slower)."""
        head, sep, tail = sql.partition(" VALUES (")
        if not sep or not rows:
            self.con.executemany(sql, [list(r) for r in rows])
            return
        marks, _, rest = tail.partition(")")
        group = f"({marks})"
        for i in range(0, len(rows), _CHUNK):
            chunk = rows[i:i + _CHUNK]
            params = [v for r in chunk for v in r]
            self.con.execute(f"{head} VALUES {', '.join([group] * len(chunk))}{rest}", params)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()
