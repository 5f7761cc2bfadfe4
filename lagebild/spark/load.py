"""Load the Parquet output of the Spark job into a store (DuckDB or PostgreSQL).

DuckDB reads the Parquet files directly (it can also query them in place, see the README); rows go
into the store's tables in batches with the same idempotent inserts as ``ingest``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import duckdb

from lagebild.store import Store
from lagebild.store.rows import COLUMNS

LOAD_ORDER = ("documents", "removed", "mentions", "quotes", "quote_speakers", "events", "event_actors",
              "framing", "errors")


@dataclass(slots=True)
class LoadReport:
    rows: dict[str, int] = field(default_factory=dict)


def load_parquet(directory: str, store: Store, batch: int = 5000) -> LoadReport:
    report = LoadReport()
    con = duckdb.connect()
    for table in LOAD_ORDER:
        path = os.path.join(directory, table)
        if not os.path.isdir(path):
            continue
        cols = ", ".join(COLUMNS[table])
        cur = con.execute(f"SELECT {cols} FROM read_parquet('{path}/**/*.parquet', hive_partitioning = 1) "
                          f"ORDER BY file_idx, rec_idx")
        n = 0
        while True:
            chunk = cur.fetchmany(batch)
            if not chunk:
                break
            with store._transaction():
                if table == "errors":
                    store._upsert("errors", [tuple(r) for r in chunk], ("uri", "record", "stage"))
                else:
                    store._insert(table, [tuple(r) for r in chunk])
            n += len(chunk)
        report.rows[table] = n
    con.close()
    return report
