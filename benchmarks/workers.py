"""Speed-up of ``lagebild ingest --workers N`` (process pool) over ``--workers 1``, with memory per worker.

    python benchmarks/workers.py [--limit N] [--workers 1,2]

Each run ingests the same HTML pages and text dumps into a fresh DuckDB file and is timed end to end
(reading, extraction, annotation, storing). Peak RSS of the largest worker is read from the kernel.
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


def prepare_inputs(data: Path, folder: Path, limit: int) -> int:
    n = 0
    for f in sorted((data / "extraction" / "scrapinghub" / "html").glob("*.html.gz"))[:limit]:
        shutil.copy(f, folder / f.name)
        n += 1
    with open(data / "textdump" / "textdump-scrapinghub.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= limit:
                break
            rec = json.loads(line)
            (folder / f"dump-{i}.txt").write_text("\n".join(ln["text"] for ln in rec["lines"]), encoding="utf-8")
            n += 1
    return n


def run(inputs: Path, workers: int) -> tuple[float, float]:
    db = Path(tempfile.mkdtemp()) / "w.duckdb"
    code = ("import resource,sys,time;from lagebild.cli import app;t=time.perf_counter();"
            "sys.argv=['lagebild','ingest',sys.argv[1],'--db',sys.argv[2],'--workers',sys.argv[3],'--quiet'];\n"
            "try:\n app()\nexcept SystemExit:\n pass\n"
            "print('ELAPSED',time.perf_counter()-t,file=sys.stderr)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, "-c", code, str(inputs), str(db), str(workers)],
                          capture_output=True, text=True)
    elapsed = next(float(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("ELAPSED"))
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    shutil.rmtree(db.parent, ignore_errors=True)
    return elapsed, peak_mb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=120, help="pages of each kind")
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()
    data = need_data()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n = prepare_inputs(data, folder, args.limit)
        rows, result = [], {"pages": n, "runs": {}}
        base = None
        for w in (int(x) for x in args.workers.split(",")):
            secs, peak = run(folder, w)
            base = base or secs
            rows.append([f"--workers {w}", n, secs, n / secs, base / secs, peak])
            result["runs"][w] = {"seconds": secs, "pages_per_s": n / secs, "speedup": base / secs, "peak_rss_mb": peak}
    print_table("ingest scaling (end to end, fresh DuckDB each run)",
                ["run", "pages", "seconds", "pages/s", "speed-up", "peak RSS MB (largest process)"], rows)
    write_result("workers", result)


if __name__ == "__main__":
    main()
