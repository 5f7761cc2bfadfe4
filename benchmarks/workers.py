"""Speed-up of ``lagebild ingest --workers N`` (process pool) over ``--workers 1``, worker start and memory.

    python benchmarks/workers.py [--limit N] [--workers 1,2] [--repeat K] [--before DIR]

Each run ingests the same HTML pages and text dumps into a fresh DuckDB file and is timed end to end
(reading, extraction, annotation, storing). Runs with a pool are made twice in the same session:
workers forked from the warmed fork server (what ``ingest`` does) and, as the baseline, workers
started with ``spawn`` (each imports and loads everything itself). ``--before DIR`` adds the runs of
another checkout (e.g. ``git archive <commit> | tar -x -C DIR``) with the same inputs.

Memory is sampled from ``/proc`` every half second for every process of a run: peak RSS and PSS
(proportional set size: pages shared copy-on-write with the fork server count once, split between
the sharers) per worker, and the peak PSS of all processes together. CPU seconds count every process,
fork server and workers included. A separate probe times a pool's start alone (wall time until both
workers answer, CPU each worker spent starting, the fork server's one-off warm-up CPU).
Run it on an otherwise idle machine: the speed-up is wall-clock time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("COLUMNS", "200")   # rich tables of many columns, also when piped

from _common import ROOT, need_data, print_table, write_result  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")

RUN_CODE = """
import sys, time
if sys.argv[4] == 'spawn':
    import multiprocessing as mp
    from lagebild import parallel
    parallel.pool_context = lambda: mp.get_context('spawn')
from lagebild.cli import app
t = time.perf_counter()
sys.argv = ['lagebild', 'ingest', sys.argv[1], '--db', sys.argv[2], '--workers', sys.argv[3], '--quiet']
try:
    app()
except SystemExit:
    pass
print('ELAPSED', time.perf_counter() - t, file=sys.stderr)
import resource
me = resource.getrusage(resource.RUSAGE_SELF)
print('MAINCPU', me.ru_utime + me.ru_stime, file=sys.stderr)
import multiprocessing.forkserver as fs
fs._forkserver._stop()   # reap the fork server (which reaped its workers): their CPU is then counted
"""

PROBE_CODE = """
import multiprocessing as mp, multiprocessing.forkserver as fs, os, sys, time
from concurrent.futures import ProcessPoolExecutor, wait


def first_pages(paths):
    \"\"\"A worker's first pages (the lazily loaded models load here), then a pause so that
    the other worker takes the other item.\"\"\"
    from lagebild import parallel
    from lagebild.document import Source
    from lagebild.page import Page

    items = []
    for i, path in enumerate(paths):
        kind = "html" if path.endswith(".html") else "text"
        items.append((Page(Source(path, kind), kind, data=open(path, "rb").read()), i))
    parallel._run_chunk(items)
    time.sleep(0.5)
    return os.getpid()


if __name__ == "__main__":
    from lagebild import parallel
    from lagebild.settings import Settings

    ctx = parallel.pool_context() if sys.argv[1] == "forkserver" else mp.get_context("spawn")
    paths = sys.argv[2:]
    t = time.perf_counter()
    pool = ProcessPoolExecutor(2, mp_context=ctx, initializer=parallel._init_worker,
                               initargs=("default", Settings()))
    done = [f.result() for f in [pool.submit(first_pages, paths) for _ in range(2)]]
    print("WALL", time.perf_counter() - t - 0.5)
    print("PIDS", *pool._processes, fs._forkserver._forkserver_pid or 0, flush=True)
    sys.stdin.readline()     # the benchmark reads /proc of the workers now
    pool.shutdown()
"""


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


# --- /proc readers -------------------------------------------------------------------------------

def _stat(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds so far) of a process."""
    with open(f"/proc/{pid}/stat") as fh:
        rest = fh.read().rsplit(")", 1)[1].split()
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / TICK


def _memory(pid: int) -> tuple[float, float]:
    """(RSS MB, PSS MB) of a process."""
    vals = {}
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                vals[key] = int(rest.split()[0]) / 1024
    return vals.get("Rss", 0.0), vals.get("Pss", 0.0)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                children.setdefault(_stat(int(d))[0], []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _role(pid: int, root: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        parent = _stat(pid)[0]
    except OSError:
        return "gone"
    if pid == root:
        return "main"
    if b"resource_tracker" in cmd:
        return "tracker"
    if b"forkserver import main" in cmd and parent == root:
        return "server"
    return "worker"


class MemorySampler(threading.Thread):
    """Peak RSS / PSS per process of a process tree, and the peak PSS of the whole tree."""

    def __init__(self, root: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.peak: dict[int, tuple[str, float, float]] = {}
        self.total_pss = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            total = 0.0
            for pid in _descendants(self.root):
                try:
                    rss, pss = _memory(pid)
                except OSError:
                    continue
                role = self.peak.get(pid, (None,))[0] or _role(pid, self.root)
                old = self.peak.get(pid, (role, 0.0, 0.0))
                self.peak[pid] = (role, max(old[1], rss), max(old[2], pss))
                total += pss
            self.total_pss = max(self.total_pss, total)

    def largest(self, role: str) -> tuple[float, float]:
        """Peak (RSS, PSS) MB of the largest process of ``role`` (0 when there is none)."""
        found = [(r, p) for ro, r, p in self.peak.values() if ro == role]
        return (max(r for r, _ in found), max(p for _, p in found)) if found else (0.0, 0.0)


# --- runs ----------------------------------------------------------------------------------------

def run(inputs: Path, workers: int, start: str, tree: Path | None) -> dict[str, float]:
    """One timed ingest in a fresh interpreter (``tree``: run that checkout's code instead)."""
    db = Path(tempfile.mkdtemp()) / "w.duckdb"
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    cpu0 = _children_cpu()
    proc = subprocess.Popen([sys.executable, "-c", RUN_CODE, str(inputs), str(db), str(workers), start],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    sampler.done.set()
    sampler.join()
    shutil.rmtree(db.parent, ignore_errors=True)
    elapsed = [float(line.split()[1]) for line in err.splitlines() if line.startswith("ELAPSED")]
    if not elapsed:
        raise RuntimeError(f"ingest failed: {err[-2000:]}")
    main_cpu = [float(line.split()[1]) for line in err.splitlines() if line.startswith("MAINCPU")]
    worker_rss, worker_pss = sampler.largest("worker")
    main_rss, main_pss = sampler.largest("main")
    return {"seconds": elapsed[0], "cpu_s_all_processes": _children_cpu() - cpu0, "cpu_s_main": main_cpu[0],
            "peak_rss_main_mb": main_rss, "peak_rss_per_worker_mb": worker_rss,
            "peak_pss_per_worker_mb": worker_pss, "peak_pss_server_mb": sampler.largest("server")[1],
            "peak_pss_all_mb": sampler.total_pss}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def probe_start(start: str, tree: Path | None = None) -> dict[str, float]:
    """Start a pool of two workers with the default pipeline and read what their start cost."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    script = Path(tempfile.mkdtemp()) / "probe_start.py"
    script.write_text(PROBE_CODE, encoding="utf-8")
    examples = [str(p) for p in sorted((ROOT / "examples").glob("*_*.*")) if p.suffix in (".html", ".txt")]
    proc = subprocess.Popen([sys.executable, str(script), start, *examples], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdin is not None
    wall = float(proc.stdout.readline().split()[1])
    pids = [int(x) for x in proc.stdout.readline().split()[1:]]
    workers, server = pids[:-1], pids[-1]
    cpu = [_stat(p)[1] for p in workers]
    mem = [_memory(p) for p in workers]
    server_cpu = _stat(server)[1] if server else 0.0
    server_pss = _memory(server)[1] if server else 0.0
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait()
    shutil.rmtree(script.parent, ignore_errors=True)
    return {"wall_s_until_workers_ready": wall, "cpu_s_per_worker_start": sum(cpu) / len(cpu),
            "rss_mb_per_worker_after_start": sum(m[0] for m in mem) / len(mem),
            "pss_mb_per_worker_after_start": sum(m[1] for m in mem) / len(mem),
            "server_warm_cpu_s": server_cpu, "server_pss_mb": server_pss}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="pages of each kind (default: all, ~1,000 pages)")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--repeat", type=int, default=1, help="rounds over all runs (medians are reported)")
    ap.add_argument("--before", type=Path, default=None, help="another checkout to measure in the same session")
    args = ap.parse_args()
    data = need_data()
    load = os.getloadavg()[0]
    configs = [("now", None)] + ([("before", args.before.resolve())] if args.before else [])

    starts, srows = {}, []
    for label, tree in configs:
        for start in (["forkserver", "spawn"] if tree is None else ["spawn"]):
            r = probe_start(start, tree)
            starts[f"{label} {start}"] = r
            srows.append([f"{label} {start}", r["wall_s_until_workers_ready"], r["cpu_s_per_worker_start"],
                          r["rss_mb_per_worker_after_start"], r["pss_mb_per_worker_after_start"],
                          r["server_warm_cpu_s"] or "-", r["server_pss_mb"] or "-"])
    print_table("pool start (2 workers, default pipeline)",
                ["start", "wall s until ready", "CPU s per worker", "RSS MB per worker", "PSS MB per worker",
                 "fork server CPU s (once)", "fork server PSS MB"], srows)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n = prepare_inputs(data, folder, args.limit)
        plan = [(f"{label} --workers {w}" + (f" ({start})" if w > 1 else ""), label, w, start, tree)
                for label, tree in configs for w in (int(x) for x in args.workers.split(","))
                for start in (["forkserver", "spawn"] if w > 1 and tree is None else ["spawn"])]
        # rounds interleave the configurations: a slow spell of the machine hits them alike
        measured: dict[str, list[dict[str, float]]] = {name: [] for name, *_ in plan}
        for _ in range(args.repeat):
            for name, label, w, start, tree in plan:
                measured[name].append(run(folder, w, start, tree))
    runs, rows, base = {}, [], {}
    for name, label, w, start, tree in plan:
        r = {key: statistics.median(m[key] for m in measured[name]) for key in measured[name][0]}
        base.setdefault(label, (name, r["seconds"]))
        r["speedup"] = base[label][1] / r["seconds"]
        r["speedup_per_round"] = [b["seconds"] / m["seconds"] for b, m in zip(measured[base[label][0]], measured[name])]
        r["seconds_per_round"] = [m["seconds"] for m in measured[name]]
        r["pages_per_s"] = n / r["seconds"]
        runs[name] = r
        rows.append([name, n, r["seconds"], r["pages_per_s"], r["speedup"],
                     " ".join(f"{x:.2f}" for x in r["speedup_per_round"]), r["cpu_s_all_processes"], r["cpu_s_main"],
                     r["peak_rss_main_mb"], r["peak_rss_per_worker_mb"] or "-", r["peak_pss_per_worker_mb"] or "-",
                     r["peak_pss_all_mb"]])
    print_table(f"ingest scaling (end to end, fresh DuckDB each run, median of {args.repeat}; "
                f"load average at start {load:.2f})",
                ["run", "pages", "seconds", "pages/s", "speed-up", "per round", "CPU s (all processes)", "CPU s main",
                 "peak RSS MB main", "peak RSS MB per worker", "peak PSS MB per worker", "peak PSS MB all"], rows)
    write_result("workers", {"pages": n, "repeat": args.repeat, "load_average_at_start": load,
                             "load_average_at_end": os.getloadavg()[0], "pool_start": starts, "runs": runs,
                             "before_tree": str(args.before) if args.before else None, "root": str(ROOT)})


if __name__ == "__main__":
    main()
