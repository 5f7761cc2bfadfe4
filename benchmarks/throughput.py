"""Pages per second on one core: lagebild (extract only, and the full default pipeline) against
trafilatura's extraction alone, measured in the same run on the same pages.

    python benchmarks/throughput.py [--limit N] [--repeat R]

Inputs: the HTML pages of ../shared/data/extraction/ (ScrapingHub and trafilatura-dev) and the
text dumps of ../shared/data/textdump/. Pages are read into memory first: only processing is timed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
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


def time_pipeline(pipe: Pipeline, pages: list[Page], repeat: int) -> tuple[float, int, int]:
    best = float("inf")
    ok = failed = 0
    for _ in range(repeat):
        ok = failed = 0
        t0 = time.perf_counter()
        for page in pages:
            result = pipe.run(page)
            if hasattr(result, "text"):
                ok += 1
            else:
                failed += 1
        best = min(best, time.perf_counter() - t0)
    return best, ok, failed


def time_trafilatura(pages: list[bytes], repeat: int) -> float:
    import trafilatura

    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for html in pages:
            trafilatura.extract(html)
        best = min(best, time.perf_counter() - t0)
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

    rows = []
    result: dict = {"pages": {"html": len(html_in), "textdump": len(dump_in)}, "stages_default": full.names}
    t_traf = time_trafilatura(html, args.repeat)
    rows.append(["trafilatura.extract (yardstick)", "html", len(html), t_traf, len(html) / t_traf])
    result["trafilatura_html_pages_per_s"] = len(html) / t_traf
    for label, pipe in (("lagebild --stages extract", extract), ("lagebild default pipeline", full)):
        for kind, pages in (("html", html_in), ("textdump", dump_in)):
            secs, ok, failed = time_pipeline(pipe, pages, args.repeat)
            rows.append([label, kind, f"{ok} ok / {failed} failed", secs, len(pages) / secs])
            result[f"lagebild_{'extract' if pipe is extract else 'default'}_{kind}_pages_per_s"] = len(pages) / secs
    print_table("throughput on one core (best of runs)", ["what", "input", "pages", "seconds", "pages/s"], rows)
    ratio = result["lagebild_default_html_pages_per_s"] / result["trafilatura_html_pages_per_s"]
    result["default_vs_trafilatura_html"] = ratio
    print(f"full default pipeline / trafilatura extraction alone (HTML): {ratio:.2f}x")
    write_result("throughput", result)


if __name__ == "__main__":
    main()
