"""The PostgreSQL store: placeholder translation, the shared schema, and concurrent ingest processes."""

from __future__ import annotations

import multiprocessing as mp

import pytest

pytest.importorskip("psycopg")

from lagebild.store import open_store  # noqa: E402
from lagebild.store.base import Seen  # noqa: E402
from lagebild.store.postgres import to_pyformat  # noqa: E402
from tests.test_api_support import filler_documents, pg_server, pg_url, sample_documents  # noqa: E402,F401


@pytest.mark.parametrize("sql,expected", [
    ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
    ("SELECT '?' AS q, x FROM t WHERE y LIKE '%a%' AND z = ?", "SELECT '?' AS q, x FROM t WHERE y LIKE '%%a%%' AND z = %s"),
    ("SELECT \"col?\" FROM t WHERE a ILIKE ? ESCAPE '\\'", "SELECT \"col?\" FROM t WHERE a ILIKE %s ESCAPE '\\'"),
    ("SELECT 'it''s ?' WHERE a = ?", "SELECT 'it''s ?' WHERE a = %s"),
    ("SELECT 5 % 3", "SELECT 5 %% 3"),
])
def test_placeholders_are_translated(sql: str, expected: str) -> None:
    assert to_pyformat(sql) == expected


@pytest.mark.postgres
def test_schema_writes_and_reads_like_duckdb(pg_url: str, tmp_path) -> None:
    docs = sample_documents() + filler_documents(5)
    marks = [Seen(d.source.uri, "", f"h{i}") for i, d in enumerate(docs)]
    duck = open_store(str(tmp_path / "same.duckdb"))
    with open_store(pg_url) as pg:
        for store in (pg, duck):
            first = store.write(docs, marks)
            again = store.write(docs, marks)
            assert (first.added, first.duplicates, again.added, again.duplicates) == (8, 0, 0, 8)
        assert pg.stats() == duck.stats()
        sql = "SELECT id, title FROM documents WHERE title LIKE ? ORDER BY id"
        assert pg.query(sql, ["%100\\%%"]) == duck.query(sql, ["%100\\%%"]) == []
        assert pg.query(sql, ["filler%"]) == duck.query(sql, ["filler%"])
        hostile = sample_documents()[2]
        assert pg.document(hostile.id) == duck.document(hostile.id) == hostile.to_dict()
        assert pg.is_seen(marks[0]) and not pg.is_seen(Seen(marks[0].uri, "", "other"))
    duck.close()


@pytest.mark.postgres
def test_migrations_run_once(pg_url: str) -> None:
    for _ in range(3):
        with open_store(pg_url) as store:
            assert [r["version"] for r in store.query("SELECT version FROM schema_version")] == [1]


def _ingest_worker(url: str, worker: int, n_shared: int, n_own: int, barrier) -> tuple[int, int]:
    """One ingest process: the shared documents (in its own order) and its own, in small batches."""
    shared = filler_documents(n_shared, "shared")
    if worker % 2:
        shared.reverse()
    own = filler_documents(n_own, f"own{worker}")
    batch = [d for pair in zip(shared, own) for d in pair] + shared[len(own):] + own[len(shared):]
    barrier.wait(30)
    added = dup = 0
    with open_store(url) as store:   # every process migrates a fresh database at the same moment
        for i in range(0, len(batch), 7):
            chunk = batch[i:i + 7]
            stats = store.write(chunk, [Seen(d.source.uri, "", d.id) for d in chunk])
            added += stats.added
            dup += stats.duplicates
    return added, dup


@pytest.mark.postgres
def test_concurrent_ingest_processes_create_no_duplicates_and_lose_nothing(pg_url: str) -> None:
    n_proc, n_shared, n_own = 4, 40, 25
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(n_proc)
        with ctx.Pool(n_proc) as pool:
            results = pool.starmap(_ingest_worker, [(pg_url, w, n_shared, n_own, barrier) for w in range(n_proc)],
                                   chunksize=1)
    with open_store(pg_url) as store:
        n_docs = store.query("SELECT count(*) AS n, count(DISTINCT id) AS d FROM documents")[0]
        assert n_docs["n"] == n_docs["d"] == n_shared + n_proc * n_own
        expected = {d.id for d in filler_documents(n_shared, "shared")}
        for w in range(n_proc):
            expected |= {d.id for d in filler_documents(n_own, f"own{w}")}
        assert {r["id"] for r in store.query("SELECT id FROM documents")} == expected
        # every stored document has all its layer rows, exactly once
        rows = store.query("SELECT count(*) AS n FROM mentions")[0]["n"]
        assert rows == 2 * len(expected)
        assert store.query("SELECT count(*) AS n FROM events")[0]["n"] == len(expected)
        assert store.query("SELECT count(*) AS n FROM sources")[0]["n"] == len(expected)
    added = sum(a for a, _ in results)
    assert added >= len(expected)   # a document may be counted 'added' by two racing writers, never stored twice
    assert sum(a + d for a, d in results) == n_proc * (n_shared + n_own)
