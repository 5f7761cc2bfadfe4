"""Reading speed of ``lagebild.sources.iter_pages`` (inputs to pages, before extraction).

Measures, in one run: the gzip'd HTML pages of the scrapinghub set, the trafilatura-dev pages,
a WARC.gz built in a temporary directory from the scrapinghub pages (one gzip member per record),
and the same pages as JSON Lines; baseline for each is the bare cost of reading and gunzipping the
same bytes with the standard library, so the table shows what detection and framing add.

    python benchmarks/sources.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import need_data, print_table, write_result  # noqa: E402
from lagebild.sources import SourceStats, iter_pages  # noqa: E402


def _warc(pages: list[bytes]) -> bytes:
    from fastwarc.warc import WarcRecord, WarcRecordType

    out = io.BytesIO()
    for i, body in enumerate(pages):
        rec = WarcRecord()
        rec.init_headers(WarcRecordType.response)
        rec.headers["WARC-Target-URI"] = f"http://bench.example/{i}"
        rec.headers["Content-Type"] = "application/http; msgtype=response"
        rec.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body)
        buf = io.BytesIO()
        rec.write(buf)
        out.write(gzip.compress(buf.getvalue(), compresslevel=6))
    return out.getvalue()


def _time(inputs: list[str]) -> tuple[float, int, int, int]:
    stats = SourceStats()
    start = time.perf_counter()
    size = 0
    for page in iter_pages(inputs, stats=stats):
        size += len(page.data) + len(page.text or "")
    return time.perf_counter() - start, stats.pages, stats.errors, size


def _baseline(paths: list[Path]) -> float:
    start = time.perf_counter()
    for p in paths:
        data = p.read_bytes()
        if data[:2] == b"\x1f\x8b":
            gzip.decompress(data)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=None, help="pages per set")
    args = ap.parse_args()
    data = need_data()
    sets = {
        "scrapinghub (html.gz files)": sorted((data / "extraction" / "scrapinghub" / "html").glob("*.html.gz")),
        "trafilatura-dev (html files)": sorted((data / "extraction" / "trafilatura-dev" / "pages").glob("*")),
    }
    rows, result = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        htmls = [gzip.decompress(p.read_bytes()) for p in sets["scrapinghub (html.gz files)"][: args.limit]]
        warc = Path(tmp) / "bench.warc.gz"
        warc.write_bytes(_warc(htmls))
        jsonl = Path(tmp) / "bench.jsonl"
        jsonl.write_text("\n".join(json.dumps({"id": str(i), "html": h.decode("utf-8", "replace")})
                                   for i, h in enumerate(htmls)), encoding="utf-8")
        cases = [(name, [str(p) for p in paths[: args.limit]], paths[: args.limit]) for name, paths in sets.items()]
        cases += [("scrapinghub as one WARC.gz", [str(warc)], [warc]),
                  ("scrapinghub as JSON Lines", [str(jsonl)], [jsonl])]
        for name, inputs, paths in cases:
            base = _baseline(paths)
            secs, n, errors, size = _time(inputs)
            rows.append([name, n, errors, n / secs, size / secs / 1e6, base, secs])
            result[name] = {"pages": n, "errors": errors, "pages_per_s": round(n / secs, 1),
                            "mb_per_s": round(size / secs / 1e6, 1), "baseline_read_s": round(base, 3),
                            "iter_pages_s": round(secs, 3)}
    print_table("lagebild.sources: reading speed (pages before extraction)",
                ["input", "pages", "errors", "pages/s", "MB/s", "baseline read+gunzip s", "iter_pages s"], rows)
    write_result("sources", result)


if __name__ == "__main__":
    main()
