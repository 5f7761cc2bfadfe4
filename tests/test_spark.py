"""Spark local mode against `ingest`: same documents, events and relations on a corpus the test writes.

Needs pyspark and Java 17; skips with a reason where either is missing.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.slow]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _warc_record(uri: str, html: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uri)}>\r\n"
            f"WARC-Target-URI: {uri}\r\nWARC-Date: 2025-06-28T10:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def write_corpus(folder: Path) -> list[str]:
    de = (EXAMPLES / "de_eu_gipfel_sanktionen.html").read_bytes()
    en = (EXAMPLES / "en_security_council.html").read_bytes()
    warc = folder / "crawl.warc"
    warc.write_bytes(_warc_record("https://a.example/eu", de) + _warc_record("https://b.example/un", en)
                     + _warc_record("https://mirror.example/eu-copy", de))   # same article twice
    shutil.copy(EXAMPLES / "de_aussenministerin_dump.txt", folder / "dump.txt")
    shutil.copy(EXAMPLES / "records.jsonl", folder / "records.jsonl")
    (folder / "broken.jsonl").write_text('{"id": "x", "text": "Kiew meldet Angriffe."}\n{not json\n', encoding="utf-8")
    return [str(folder / n) for n in ("crawl.warc", "dump.txt", "records.jsonl", "broken.jsonl")]


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'lagebild[spark]')")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java 17 (`java` not on PATH)")
    from lagebild.spark.job import session

    s = session("local[2]", "lagebild-test")
    yield s
    s.stop()


def test_spark_and_ingest_agree(spark, tmp_path: Path) -> None:
    import duckdb

    from lagebild.app import Lagebild
    from lagebild.settings import Settings
    from lagebild.spark.job import run
    from lagebild.spark.load import load_parquet
    from lagebild.graph.relations import aggregate, rows_from_store
    from lagebild.store import open_store

    inputs = write_corpus(tmp_path)
    out = tmp_path / "out"
    report = run(inputs, str(out), stages="default", spark=spark)
    assert report.documents >= 5 and report.skipped == 0

    db = str(tmp_path / "ingest.duckdb")
    lb = Lagebild(Settings(db=db), "default")
    with open_store(db) as store:
        lb.ingest(inputs, store)

    con = duckdb.connect()
    con.execute(f"ATTACH '{db}' AS st (READ_ONLY)")
    pq = lambda t: f"read_parquet('{out}/{t}/**/*.parquet', hive_partitioning = 1)"  # noqa: E731
    spark_docs = dict(con.execute(f"SELECT id, text FROM {pq('documents')}").fetchall())
    ingest_docs = dict(con.execute("SELECT id, text FROM st.documents").fetchall())
    assert spark_docs == ingest_docs
    assert len(spark_docs) == report.documents

    q_events = "SELECT doc_id, idx, type, trigger_start, trigger_end, date, negated, hypothetical FROM {} ORDER BY 1, 2"
    assert con.execute(q_events.format(pq("events"))).fetchall() == con.execute(q_events.format("st.events")).fetchall()
    q_actors = "SELECT doc_id, event_idx, role, actor_key FROM {} ORDER BY 1, 2, 3, 4"
    assert (con.execute(q_actors.format(pq("event_actors"))).fetchall()
            == con.execute(q_actors.format("st.event_actors")).fetchall())
    q_mentions = "SELECT doc_id, idx, start_char, end_char, actor_key FROM {} ORDER BY 1, 2"
    assert (con.execute(q_mentions.format(pq("mentions"))).fetchall()
            == con.execute(q_mentions.format("st.mentions")).fetchall())
    spark_errors = con.execute(f"SELECT uri, record, code FROM {pq('errors')} ORDER BY 1, 2").fetchall()
    ingest_errors = con.execute("SELECT uri, record, code FROM st.errors ORDER BY 1, 2").fetchall()
    assert spark_errors == ingest_errors and any(code == "E106" for *_, code in spark_errors)

    # relations: Spark SQL over Parquet == lagebild.graph over the ingest store (country level, months)
    with open_store(db, read_only=True) as store:
        graph = aggregate(rows_from_store(store), level="country", bucket="month")
    local = sorted((month, r.a, r.b, b["count"], round(b["score_sum"], 3))
                   for r in graph.relations for month, b in r.buckets.items())
    remote = sorted((m, a, b, int(n), round(float(sc), 3)) for m, a, b, n, sc in con.execute(
        f"SELECT month, actor_a, actor_b, sum(events), sum(score) FROM read_parquet('{out}/relations/*.parquet') "
        "GROUP BY ALL").fetchall())
    assert local and remote == local

    # a second run skips every input and adds nothing
    again = run(inputs, str(out), stages="default", spark=spark)
    assert again.skipped == len(inputs) and again.documents == 0
    assert con.execute(f"SELECT count(*) FROM {pq('documents')}").fetchone()[0] == len(spark_docs)

    # load into a fresh DuckDB store: same documents as ingest
    loaded = str(tmp_path / "loaded.duckdb")
    with open_store(loaded) as store:
        load_parquet(str(out), store)
        load_parquet(str(out), store)   # idempotent
        assert {r["id"] for r in store.query("SELECT id FROM documents")} == set(ingest_docs)
        assert store.document(next(iter(ingest_docs)))["schema"] == "lagebild/1"
