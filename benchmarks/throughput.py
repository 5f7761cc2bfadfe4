"""Pages per second on one core: lagebild (extract only, and the full default pipeline) against
trafilatura's extraction alone, measured in the same run on the same pages.

    python benchmarks/throughput.py [--limit N] [--repeat R]

Inputs: the HTML pages of ../shared/data/extraction/ (ScrapingHub and trafilatura-dev) and the
text dumps of ../shared/data/textdump/. Pages are read into memory first: only processing is timed,
as CPU time of this process with the systems interleaved page by page (robust on a busy machine).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from typing import Callable
from pathlib import Path

from _common import need_data, print_table, write_result

from lagebild.document import Source
from lagebild.page import Page
from lagebild.pipeline import Pipeline


def html_pages(data: Path, limit: int | None) -> list[bytes]:
    files = sorted((data / "extraction" / "scrapinghub" / "html").glob("*.html.gz"))
    files += sorted((data / "extraction" / "trafilatura-dev" / "pages").glob("*.gz"))
    pages = [gzip.decompress(f.read_bytes()) for f in files]
    return pages[:limit] if limit else pages


def dump_pages(data: Path, limit: int | None) -> list[str]:
    out: list[str] = []
    for name in ("textdump-scrapinghub.jsonl", "textdump-trafilatura-dev.jsonl.gz"):
        path = data / "textdump" / name
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                out.append("\n".join(ln["text"] for ln in rec["lines"]))
    return out[:limit] if limit else out


def time_interleaved(systems: dict[str, Callable[[object], object]], items: list, repeat: int) -> dict[str, float]:
    """CPU seconds per system over ``items``, page by page with the systems interleaved (order
    alternating), so a busy machine slows all of them alike; best of ``repeat`` runs."""
    best = dict.fromkeys(systems, float("inf"))
    order = list(systems)
    for _ in range(repeat):
        cpu = dict.fromkeys(systems, 0.0)
        for n, item in enumerate(items):
            for name in order if n % 2 == 0 else order[::-1]:
                t0 = time.process_time()
                systems[name](item)
                cpu[name] += time.process_time() - t0
        best = {k: min(best[k], cpu[k]) for k in systems}
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="pages per input kind")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement (best is kept)")
    args = ap.parse_args()
    data = need_data()
    html = html_pages(data, args.limit)
    dumps = dump_pages(data, args.limit)
    html_in = [Page(Source(f"html-{i}", "html"), "html", data=b) for i, b in enumerate(html)]
    dump_in = [Page(Source(f"dump-{i}", "text"), "text", data=t.encode()) for i, t in enumerate(dumps)]

    extract = Pipeline.build("extract")
    full = Pipeline.build("default")
    for pipe in (extract, full):   # warm up: load models and KB once, as a long-running job would
        pipe.run(html_in[0])
        pipe.run(dump_in[0])

    import trafilatura

    rows = []
    result: dict = {"pages": {"html": len(html_in), "textdump": len(dump_in)}, "stages_default": full.names}
    html_cpu = time_interleaved({"trafilatura": lambda p: trafilatura.extract(p.data),
                                 "extract": extract.run, "default": full.run}, html_in, args.repeat)
    dump_cpu = time_interleaved({"extract": extract.run, "default": full.run}, dump_in, args.repeat)
    rows.append(["trafilatura.extract (yardstick)", "html", len(html_in), html_cpu["trafilatura"],
                 len(html_in) / html_cpu["trafilatura"]])
    result["trafilatura_html_pages_per_s"] = len(html_in) / html_cpu["trafilatura"]
    for key, label in (("extract", "lagebild --stages extract"), ("default", "lagebild default pipeline")):
        for kind, pages, cpu in (("html", html_in, html_cpu), ("textdump", dump_in, dump_cpu)):
            rows.append([label, kind, len(pages), cpu[key], len(pages) / cpu[key]])
            result[f"lagebild_{key}_{kind}_pages_per_s"] = len(pages) / cpu[key]
    print_table("throughput on one core (CPU time, systems interleaved page by page; best of runs)",
                ["what", "input", "pages", "CPU seconds", "pages/s"], rows)
    ratio = result["lagebild_default_html_pages_per_s"] / result["trafilatura_html_pages_per_s"]
    result["default_vs_trafilatura_html"] = ratio
    print(f"full default pipeline / trafilatura extraction alone (HTML): {ratio:.2f}x")
    write_result("throughput", result)


if __name__ == "__main__":
    main()
