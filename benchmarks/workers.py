"""Speed-up of ``lagebild ingest --workers N`` (process pool) over ``--workers 1``, with memory per worker.

    python benchmarks/workers.py [--limit N] [--workers 1,2]

Each run ingests the same HTML pages and text dumps into a fresh DuckDB file and is timed end to end
(reading, extraction, annotation, storing). Peak RSS of the main process and of the largest worker
are read from the kernel, and the CPU seconds of all processes show what the pool costs (each worker's start: imports and
models, a few seconds). Run it on an otherwise idle machine: the speed-up is wall-clock time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import need_data, print_table, write_result


def prepare_inputs(data: Path, folder: Path, limit: int | None) -> int:
    """HTML pages of both extraction sets and the text dumps of both sets, ``limit`` of each kind."""
    n = 0
    html = sorted((data / "extraction" / "scrapinghub" / "html").glob("*.html.gz"))
    html += sorted((data / "extraction" / "trafilatura-dev" / "pages").glob("*.gz"))
    for i, f in enumerate(html[:limit]):
        shutil.copy(f, folder / f"page-{i}.html.gz")
        n += 1
    dumps = 0
    for name in ("textdump-scrapinghub.jsonl", "textdump-trafilatura-dev.jsonl.gz"):
        opener = gzip.open if name.endswith(".gz") else open
        with opener(data / "textdump" / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                if limit is not None and dumps >= limit:
                    break
                rec = json.loads(line)
                text = "\n".join(ln["text"] for ln in rec["lines"])
                (folder / f"dump-{dumps}.txt").write_text(text, encoding="utf-8")
                dumps += 1
    return n + dumps


def run(inputs: Path, workers: int) -> tuple[float, float, float, float]:
    """(seconds, peak RSS MB of the main process, of the largest worker (0: none), CPU seconds)."""
    db = Path(tempfile.mkdtemp()) / "w.duckdb"
    code = ("import resource,sys,time;from lagebild.cli import app;t=time.perf_counter();"
            "sys.argv=['lagebild','ingest',sys.argv[1],'--db',sys.argv[2],'--workers',sys.argv[3],'--quiet'];\n"
            "try:\n app()\nexcept SystemExit:\n pass\n"
            "print('ELAPSED',time.perf_counter()-t,file=sys.stderr);"
            "print('RSS',resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,file=sys.stderr)")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu0 = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    proc = subprocess.run([sys.executable, "-c", code, str(inputs), str(db), str(workers)],
                          capture_output=True, text=True)
    elapsed = next(float(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("ELAPSED"))
    main_kb, worker_kb = (int(x) for x in next(line.split()[1:] for line in proc.stderr.splitlines()
                                                  if line.startswith("RSS")))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(db.parent, ignore_errors=True)
    return elapsed, main_kb / 1024, worker_kb / 1024, usage.ru_utime + usage.ru_stime - cpu0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="pages of each kind (default: all, ~1,000 pages)")
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()
    data = need_data()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n = prepare_inputs(data, folder, args.limit)
        rows, result = [], {"pages": n, "runs": {}}
        base = None
        for w in (int(x) for x in args.workers.split(",")):
            secs, main_mb, worker_mb, cpu = run(folder, w)
            worker_mb = worker_mb if w != 1 else 0.0   # with one worker the children are only fork+exec helpers
            base = base or secs
            rows.append([f"--workers {w}", n, secs, n / secs, base / secs, cpu, main_mb, worker_mb or "-"])
            result["runs"][w] = {"seconds": secs, "pages_per_s": n / secs, "speedup": base / secs,
                                 "cpu_s_all_processes": cpu, "peak_rss_main_mb": main_mb,
                                 "peak_rss_per_worker_mb": worker_mb}
    print_table("ingest scaling (end to end, fresh DuckDB each run)",
                ["run", "pages", "seconds", "pages/s", "speed-up", "CPU s (all processes)",
                 "peak RSS MB main", "peak RSS MB per worker"], rows)
    write_result("workers", result)


if __name__ == "__main__":
    main()
