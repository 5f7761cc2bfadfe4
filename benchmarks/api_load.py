"""Load on the team setup: 50 concurrent API readers while 4 ingest processes write to PostgreSQL.

    python benchmarks/api_load.py [--seconds 60] [--readers 50] [--ingesters 4] [--db postgresql://...]

Everything runs on 127.0.0.1: a throwaway PostgreSQL (``.ci/postgres.sh``; or a fresh database on
``--db`` / ``$LAGEBILD_TEST_PG``), ``lagebild serve`` on a free port, reader tasks (asyncio + httpx)
and ingest processes that analyse real German news (10kGNAD from ../shared/data, else the examples)
with the default pipeline and write in batches. The ingesters deliberately overlap (each starts a few
articles after the previous one), so the same document is written by several processes at once.

Reports: requests, errors, p50/p95/p99 read latency (overall and per endpoint), readers-only baseline
for the first seconds, documents written, duplicates in the store, documents lost. JSON goes to
``benchmarks/results/api_load.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, ROOT, console, print_table, write_result  # noqa: E402

import httpx  # noqa: E402


# --------------------------------------------------------------------------- the corpus


def corpus(limit: int | None) -> list[tuple[str, str, str]]:
    """(uri, text, published) of real news articles; examples and the seed page when the data is absent."""
    out: list[tuple[str, str, str]] = []
    path = DATA / "corpus" / "10kgnad" / "test.csv"
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.reader(fh, delimiter=";", quotechar="'")):
                if len(row) >= 2 and len(row[1]) > 200:
                    out.append((f"10kgnad/test.csv#{i}", row[1], f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    else:
        for p in sorted((ROOT / "examples").glob("*.txt")) + [ROOT.parent / "shared" / "seed" / "000_fa5e8bf525930c36.txt"]:
            if p.is_file():
                out.append((str(p), p.read_text(encoding="utf-8"), "2025-09-03"))
    return out[:limit] if limit else out


def _variant(text: str, k: int) -> str:
    return text if k == 0 else f"{text}\n(Wiederholung {k})"


# --------------------------------------------------------------------------- ingest processes


def ingest_worker(db: str, worker: int, seconds: float, limit: int | None, batch: int, barrier, out) -> None:
    """Analyse and store articles until time is up; puts what it wrote (ids) and its counts on ``out``."""
    from lagebild.document import Meta, Source
    from lagebild.page import Page
    from lagebild.pipeline import Pipeline
    from lagebild.settings import Settings
    from lagebild.store import open_store
    from lagebild.store.base import Seen

    items = corpus(limit)
    pipeline = Pipeline.build("default", Settings())
    pipeline.run(Page(Source("warm-up", "text"), "clean", text=items[0][1]))   # lazy loads happen here
    store = open_store(db)
    barrier.wait(600)   # start together, once every pipeline is built and warm
    deadline = time.time() + seconds
    offset = (worker * 5) % max(1, len(items))   # neighbours overlap: the same documents, at the same time
    ids: set[str] = set()
    counts = {"pages": 0, "added": 0, "duplicates": 0, "failed": 0, "batches": 0, "write_errors": 0}
    k, i = 0, 0
    results, marks = [], []
    while time.time() < deadline:
        uri, text, published = items[(offset + i) % len(items)]
        i += 1
        if i % len(items) == 0:
            k += 1
        page = Page(Source(uri + (f"~{k}" if k else ""), "text"), "clean", text=_variant(text, k),
                    meta=Meta(published=published, site="10kgnad.example"))
        result = pipeline.run(page)
        counts["pages"] += 1
        results.append(result)
        marks.append(Seen(page.source.uri, "", f"{k}"))
        if len(results) >= batch:
            _flush(store, results, marks, ids, counts)
            results, marks = [], []
    if results:
        _flush(store, results, marks, ids, counts)
    store.close()
    counts["ids"] = sorted(ids)
    out.put(counts)


def _flush(store, results, marks, ids, counts) -> None:
    from lagebild.document import Document

    try:
        stats = store.write(results, marks)
    except Exception as exc:  # noqa: BLE001 - counted and reported, the run goes on
        counts["write_errors"] += 1
        console.print(f"[red]write failed: {exc}[/]")
        return
    counts["batches"] += 1
    counts["added"] += stats.added
    counts["duplicates"] += stats.duplicates
    counts["failed"] += stats.failed
    ids.update(r.id for r in results if isinstance(r, Document))


# --------------------------------------------------------------------------- readers


class Readers:
    """Reader tasks hitting a mix of read endpoints; latencies by endpoint."""

    def __init__(self, base: str, n: int) -> None:
        self.base, self.n = base, n
        self.lat: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.statuses: dict[int, int] = {}
        self.doc_ids: list[str] = []
        self.actors: list[str] = []

    async def refresh(self, client: httpx.AsyncClient) -> None:
        docs = (await client.get("/api/documents", params={"limit": 100})).json().get("items", [])
        acts = (await client.get("/api/actors", params={"limit": 100})).json().get("items", [])
        self.doc_ids = [d["id"] for d in docs] or self.doc_ids
        self.actors = [a["key"] for a in acts] or self.actors

    def request(self, rng: random.Random) -> tuple[str, str, dict[str, Any]]:
        r = rng.random()
        if r < 0.25 and self.doc_ids:
            return "document", f"/api/documents/{rng.choice(self.doc_ids)}", {}
        if r < 0.45:
            params = rng.choice([{}, {"language": "de"}, {"from": "2025-03-01", "to": "2025-06-30"},
                                 {"q": rng.choice(["Regierung", "Wien", "Trump", "Polizei"])}])
            return "documents", "/api/documents", params | {"limit": 20}
        if r < 0.60:
            return "actors", "/api/actors", {"limit": 20}
        if r < 0.75 and self.actors:
            key = rng.choice(self.actors[:30])
            sub = rng.choice(["", "/quotes", "/events", "/relations"])
            return f"actor{sub.replace('/', '_') or ''}", f"/api/actors/{key}{sub}", {}
        if r < 0.90:
            month = rng.randint(1, 12)
            return "graph", "/api/graph", {"from": f"2025-{month:02d}-01", "to": f"2025-{month:02d}-28"}
        return "search_page", "/search", {"q": rng.choice(["Regierung", "Wien"])}

    async def worker(self, client: httpx.AsyncClient, until: float, seed: int, tag: str) -> None:
        rng = random.Random(seed)
        while time.time() < until:
            name, path, params = self.request(rng)
            key = f"{tag}:{name}"
            t0 = time.perf_counter()
            try:
                r = await client.get(path, params=params)
                ok = r.status_code < 400
                self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
            except httpx.HTTPError:
                ok = False
            dt = (time.perf_counter() - t0) * 1000
            self.lat.setdefault(key, []).append(dt)
            if not ok:
                self.errors[key] = self.errors.get(key, 0) + 1

    async def run(self, seconds: float, tag: str) -> None:
        limits = httpx.Limits(max_connections=self.n, max_keepalive_connections=self.n)
        async with httpx.AsyncClient(base_url=self.base, timeout=30, limits=limits) as client:
            await self.refresh(client)
            until = time.time() + seconds

            async def refresher() -> None:
                while time.time() < until:
                    await asyncio.sleep(5)
                    await self.refresh(client)

            await asyncio.gather(refresher(), *(self.worker(client, until, i, tag) for i in range(self.n)))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


# --------------------------------------------------------------------------- setup


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres() -> tuple[str, str]:
    out = subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh")], capture_output=True, text=True, check=True).stdout
    env = dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines() if line.startswith("export "))
    return env["LAGEBILD_TEST_PG"].strip("'"), env["LAGEBILD_PG_DIR"].strip("'")


def fresh_database(server_url: str) -> str:
    import psycopg

    name = f"lagebild_load_{int(time.time())}"
    with psycopg.connect(server_url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(server_url)._replace(path="/" + name).geturl()


def wait_up(base: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("server did not come up")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="duration of the mixed load")
    ap.add_argument("--baseline-seconds", type=float, default=10.0, help="readers alone, before the ingesters")
    ap.add_argument("--readers", type=int, default=50)
    ap.add_argument("--ingesters", type=int, default=4)
    ap.add_argument("--batch", type=int, default=10, help="documents per write transaction")
    ap.add_argument("--limit", type=int, default=None, help="articles in the corpus (default: all)")
    ap.add_argument("--preload", type=int, default=60, help="articles stored before the readers start")
    ap.add_argument("--db", default=os.environ.get("LAGEBILD_TEST_PG"),
                    help="PostgreSQL server URL; a fresh database is made on it (default: a throwaway cluster)")
    args = ap.parse_args()

    pg_dir = None
    server_url = args.db
    if not server_url:
        server_url, pg_dir = start_postgres()
    db = fresh_database(server_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    try:
        console.print(f"database {db}; preloading {args.preload} articles")
        ctx = mp.get_context("spawn")
        with ctx.Pool(1) as pool:
            pre = pool.apply(preload, (db, args.preload))   # builds the schema too
        server = subprocess.Popen([str(Path(sys.executable).parent / "lagebild"), "serve", "--db", db, "--host", "127.0.0.1",
                                   "--port", str(port), "--log-level", "warning"], cwd=str(ROOT),
                                  env=os.environ | {"PYTHONUNBUFFERED": "1"})
        wait_up(base, server)

        readers = Readers(base, args.readers)
        if args.baseline_seconds > 0:
            console.print(f"baseline: {args.readers} readers alone for {args.baseline_seconds:.0f} s")
            asyncio.run(readers.run(args.baseline_seconds, "baseline"))
        console.print(f"load: {args.readers} readers + {args.ingesters} ingest processes for {args.seconds:.0f} s")
        barrier, out = ctx.Barrier(args.ingesters + 1), ctx.Queue()
        procs = [ctx.Process(target=ingest_worker, args=(db, w, args.seconds, args.limit, args.batch, barrier, out))
                 for w in range(args.ingesters)]
        for p in procs:
            p.start()
        barrier.wait(600)
        asyncio.run(readers.run(args.seconds, "load"))
        ingested = [out.get(timeout=600) for _ in procs]
        for p in procs:
            p.join(60)
        report(args, db, readers, ingested, pre)
    finally:
        if server is not None:
            server.terminate()
            server.wait(20)
        if pg_dir:
            subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "stop", pg_dir], capture_output=True)


def preload(db: str, n: int) -> int:
    """Store the last ``n`` articles of the corpus, so readers have something from the first second."""
    from lagebild.document import Meta, Source
    from lagebild.page import Page
    from lagebild.pipeline import Pipeline
    from lagebild.settings import Settings
    from lagebild.store import open_store

    pipeline = Pipeline.build("default", Settings())
    items = corpus(None)[-n:] if n else []
    with open_store(db) as store:
        store.write([pipeline.run(Page(Source(u, "text"), "clean", text=t, meta=Meta(published=p,
                                                                                      site="10kgnad.example")))
                     for u, t, p in items])
        return int(store.query("SELECT count(*) AS n FROM documents")[0]["n"])


def report(args, db: str, readers: Readers, ingested: list[dict[str, Any]], preloaded: int) -> None:
    from lagebild.store import open_store

    with open_store(db) as store:
        q = store.query
        n_docs = int(q("SELECT count(*) AS n FROM documents")[0]["n"])
        dup_ids = int(q("SELECT count(*) - count(DISTINCT id) AS n FROM documents")[0]["n"])
        dup_texts = int(q("SELECT count(*) - count(DISTINCT md5(text)) AS n FROM documents")[0]["n"])
        stored = {r["id"] for r in q("SELECT id FROM documents")}
        partial = int(q("SELECT count(*) AS n FROM documents d WHERE n_mentions <> "
                        "(SELECT count(*) FROM mentions m WHERE m.doc_id = d.id)")[0]["n"])
    written = set().union(*(set(i["ids"]) for i in ingested)) if ingested else set()
    lost = len(written - stored)
    rows, per = [], {}
    for phase in ("baseline", "load"):
        lat = [v for k, vs in readers.lat.items() if k.startswith(phase + ":") for v in vs]
        errs = sum(v for k, v in readers.errors.items() if k.startswith(phase + ":"))
        secs = args.baseline_seconds if phase == "baseline" else args.seconds
        if lat:
            rows.append([phase, len(lat), round(len(lat) / secs, 1), errs, round(pct(lat, 50), 1),
                         round(pct(lat, 95), 1), round(pct(lat, 99), 1)])
    for key, vs in sorted(readers.lat.items()):
        if key.startswith("load:"):
            per[key[5:]] = {"requests": len(vs), "errors": readers.errors.get(key, 0),
                            "p50_ms": round(pct(vs, 50), 1), "p95_ms": round(pct(vs, 95), 1)}
    print_table(f"API reads ({args.readers} concurrent readers)", ["phase", "requests", "req/s", "errors",
                                                                   "p50 ms", "p95 ms", "p99 ms"], rows)
    print_table("Reads by endpoint under load", ["endpoint", "requests", "errors", "p50 ms", "p95 ms"],
                [[k, v["requests"], v["errors"], v["p50_ms"], v["p95_ms"]] for k, v in per.items()])
    ing = {k: sum(i[k] for i in ingested) for k in ("pages", "added", "duplicates", "failed", "batches", "write_errors")}
    print_table(f"Ingest ({args.ingesters} processes, overlapping)", ["measure", "value"], [
        ["pages analysed", ing["pages"]], ["documents added (as reported)", ing["added"]],
        ["already stored (dedup hits)", ing["duplicates"]], ["write errors", ing["write_errors"]],
        ["documents in store", n_docs], ["preloaded", preloaded], ["duplicate ids", dup_ids],
        ["duplicate texts", dup_texts], ["written but lost", lost], ["documents with missing layer rows", partial]])
    load = next((r for r in rows if r[0] == "load"), None)
    ok = bool(load) and load[3] == 0 and dup_ids == 0 and dup_texts == 0 and lost == 0 and partial == 0 \
        and ing["write_errors"] == 0
    console.print(f"[{'green' if ok else 'red'}]{'PASS' if ok else 'FAIL'}[/]: errors={load[3] if load else '?'} "
                  f"duplicates={dup_ids + dup_texts} lost={lost} p95={load[5] if load else '?'} ms")
    write_result("api_load", {
        "ok": ok, "seconds": args.seconds, "baseline_seconds": args.baseline_seconds, "readers": args.readers,
        "ingesters": args.ingesters, "batch": args.batch, "cpus": os.cpu_count(),
        "reads": {r[0]: dict(zip(["requests", "rps", "errors", "p50_ms", "p95_ms", "p99_ms"], r[1:])) for r in rows},
        "reads_by_endpoint": per, "statuses": {str(k): v for k, v in sorted(readers.statuses.items())},
        "ingest": ing | {"documents_in_store": n_docs, "preloaded": preloaded, "duplicate_ids": dup_ids,
                         "duplicate_texts": dup_texts, "lost": lost, "partial_documents": partial},
    })
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
