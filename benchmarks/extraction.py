"""HTML extraction benchmark: lagebild vs trafilatura, quality and speed, in the same run.

    python benchmarks/extraction.py [--limit N] [--set scrapinghub|trafilatura|both]

Quality: ScrapingHub's own metric (4-token shingles, macro P/R) on ``extraction/scrapinghub`` and
trafilatura's snippet scoring on ``extraction/trafilatura-dev`` (lagebild.evaluation.extraction).
Speed: pages/s from CPU time of this process (``time.process_time``), measured page by page with
the two systems interleaved and their order alternating, so a busy machine slows both alike.
lagebild's time is the whole ``extract_html`` call (decoding, parsing, metadata with the date,
main text, removed blocks); trafilatura's is ``trafilatura.extract(html_bytes)`` with default
settings (main text only). Writes ``benchmarks/results/extraction.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lagebild.errors import LagebildError  # noqa: E402
from lagebild.evaluation.extraction import SETS, load_set, page_counts, score  # noqa: E402
from lagebild.extract.html import extract_html  # noqa: E402

DATA = Path(os.environ.get("LAGEBILD_SHARED", ROOT.parent / "shared")) / "data"


def run_lagebild(html: bytes, url: str | None) -> str:
    try:
        return extract_html(html, url=url).text
    except LagebildError:
        return ""


def run_trafilatura(html: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


SYSTEMS = {"lagebild": run_lagebild, "trafilatura": run_trafilatura}


def bench_set(name: str, limit: int | None) -> dict:
    items = load_set(DATA, name, limit)
    for item in items[:3]:  # warm-up: imports, lazy stop lists
        for fn in SYSTEMS.values():
            fn(item.html, item.url)
    cpu = dict.fromkeys(SYSTEMS, 0.0)
    counts: dict[str, list] = {s: [] for s in SYSTEMS}
    order = list(SYSTEMS)
    for n, item in enumerate(items):
        for system in order if n % 2 == 0 else order[::-1]:
            t0 = time.process_time()
            text = SYSTEMS[system](item.html, item.url)
            cpu[system] += time.process_time() - t0
            counts[system].append(page_counts(name, item, text))
    out = {"pages": len(items)}
    for system in SYSTEMS:
        s = score(name, counts[system])
        out[system] = {**s.as_dict(), "pages_per_s": len(items) / cpu[system] if cpu[system] else 0.0,
                       "cpu_s": cpu[system]}
    return out


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {pkg: version(pkg) for pkg in ("trafilatura", "htmldate", "lxml")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--set", choices=[*SETS, "both"], default="both")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"needs the datasets at {DATA}")
    sets = SETS if args.set == "both" else (args.set,)
    results = {"timing": "CPU seconds (process_time), systems interleaved per page",
               "versions": versions(), "sets": {}}
    table = Table(title="HTML extraction: lagebild vs trafilatura (same run)")
    for col in ("set", "pages", "system", "precision", "recall", "F1", "pages/s"):
        table.add_column(col, justify="left" if col in ("set", "system") else "right")
    for name in sets:
        res = bench_set(name, args.limit)
        results["sets"][name] = res
        for system in SYSTEMS:
            r = res[system]
            table.add_row(name, str(res["pages"]), system, f"{r['precision']:.4f}", f"{r['recall']:.4f}",
                          f"{r['f1']:.4f}", f"{r['pages_per_s']:.1f}")
    Console().print(table)
    out = ROOT / "benchmarks" / "results" / "extraction.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
