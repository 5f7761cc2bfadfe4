"""The embedded default store: one DuckDB file, no server."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

import duckdb
import pyarrow as pa

from lagebild.errors import Code, LagebildError
from lagebild.store.base import Store


_CHUNK = 500   # rows per INSERT statement
_CHECKPOINT_EVERY = "256MB"


def _arrow_table(rows: Sequence[Sequence[Any]]) -> "pa.Table":
    """Rows -> an Arrow table with columns c0, c1, ... in row order (types inferred per column)."""
    columns = list(zip(*rows))
    return pa.table({f"c{i}": pa.array(col) for i, col in enumerate(columns)})


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
            # checkpoint (compress the WAL into the file) every 256 MB instead of 16 MB: ingest
            # commits a batch every few hundred documents, and frequent checkpoints cost it ~20 %
            # of its store CPU; closing the store still checkpoints, a crash replays the WAL
            self.con.execute(f"SET checkpoint_threshold = '{_CHECKPOINT_EVERY}'")
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
        """Bulk INSERT through an Arrow table: DuckDB binds a registered Arrow table at C speed,
        while parameterised INSERTs cost ~40 ms per document (executemany runs one statement per
        row, multi-row VALUES spend their time binding parameters)."""
        head, sep, tail = sql.partition(" VALUES (")
        if not sep or not rows:
            self.con.executemany(sql, [list(r) for r in rows])
            return
        _, _, rest = tail.partition(")")
        try:
            batch = _arrow_table(rows)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
            self._values_insert(head, tail, rows)   # a column Arrow cannot type: the slow path
            return
        self.con.register("_lagebild_batch", batch)
        try:
            self.con.execute(f"{head} SELECT * FROM _lagebild_batch{rest}")
        finally:
            self.con.unregister("_lagebild_batch")

    def _values_insert(self, head: str, tail: str, rows: Sequence[Sequence[Any]]) -> None:
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
