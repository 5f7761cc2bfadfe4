"""Bad input gets one clear coded error for that input, no traceback, and reading goes on.

Decision on big pages: the default ``max_page_bytes`` is 30 MB, so a 50 MB page is refused with
E108 (checked from the file size before reading, or while streaming a decompressed input); a user
who raises the limit gets the page. Archives (WARC, JSONL) have no whole-file limit: the limit
applies to each record.
"""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lagebild.document import Document, Failure
from lagebild.settings import Settings
from lagebild.sources import SourceStats, iter_pages
from tests.test_sources import ARTICLE, DUMP, HTML, codes, pages, sample_warc, warc_record

BINARIES = {
    "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
    "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)),
    "doc.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "archive.zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200),
    "program": b"\x7fELF\x02\x01\x01\x00" + bytes(300),
    "noise.html": bytes((i * 37 + 11) % 256 for i in range(5000)),
}


def _message_ok(page) -> None:
    """One line, a code, no traceback."""
    msg = page.error.message
    assert "\n" not in msg and "Traceback" not in msg and len(msg) < 600


@pytest.mark.parametrize("name", sorted(BINARIES))
def test_binary_files(tmp_path: Path, name):
    path = tmp_path / name
    path.write_bytes(BINARIES[name])
    ps = pages([path])
    assert codes(ps) == ["E103"]
    _message_ok(ps[0])


def test_binary_inside_gzip(tmp_path: Path):
    (tmp_path / "x.gz").write_bytes(gzip.compress(BINARIES["image.png"]))
    assert codes(pages([tmp_path / "x.gz"])) == ["E103"]


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", gzip.compress(b"", mtime=0), gzip.compress(b"\n\n", mtime=0)],
                         ids=["empty", "whitespace", "empty-gzip", "blank-lines-gzip"])
def test_empty_files(tmp_path: Path, content):
    path = tmp_path / "empty.html"
    path.write_bytes(content)
    ps = pages([path])
    assert codes(ps) == ["E102"]
    _message_ok(ps[0])


def test_nonexistent_path(tmp_path: Path):
    ps = pages([tmp_path / "nope.html"])
    assert codes(ps) == ["E101"] and "nope.html" in ps[0].error.message


def test_unreadable_file(tmp_path: Path):
    import os

    path = tmp_path / "secret.html"
    path.write_bytes(HTML)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read anything (root)")
        assert codes(pages([path])) == ["E111"]
    finally:
        path.chmod(0o644)


def _write_big_page(path: Path, size: int) -> None:
    block = b"<p>" + b"Ein langer Absatz ueber Politik und Diplomatie. " * 20 + b"</p>\n"
    with path.open("wb") as f:
        f.write(b"<!DOCTYPE html><html><body>\n")
        written = 0
        while written < size:
            f.write(block)
            written += len(block)
        f.write(b"</body></html>\n")


def test_50mb_page_refused_with_default_limit(tmp_path: Path):
    path = tmp_path / "huge.html"
    _write_big_page(path, 50_000_000)
    after = tmp_path / "after.html"
    after.write_bytes(HTML)
    ps = pages([path, after])
    assert codes(ps) == ["E108", None]
    assert "50" in ps[0].error.message and str(Settings().max_page_bytes) in ps[0].error.message
    _message_ok(ps[0])


def test_50mb_page_accepted_when_limit_raised(tmp_path: Path):
    path = tmp_path / "huge.html"
    _write_big_page(path, 50_000_000)
    ps = pages([path], settings=Settings(max_page_bytes=60_000_000))
    assert ps[0].kind == "html" and len(ps[0].data) == path.stat().st_size


def test_gzip_bomb_stops_at_the_limit(tmp_path: Path):
    """40 MB of zeros-like HTML in a small gzip: refused while streaming, never fully inflated."""
    path = tmp_path / "bomb.html.gz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b"<html><body>")
        chunk = b"<p>aaaaaaaaaaaaaaaa</p>" * 50_000
        for _ in range(40_000_000 // len(chunk)):
            f.write(chunk)
    ps = pages([path], settings=Settings(max_page_bytes=5_000_000))
    assert codes(ps) == ["E108"]


def test_truncated_gzip(tmp_path: Path):
    data = gzip.compress(HTML * 50)
    (tmp_path / "cut.html.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "ok.html").write_bytes(HTML)
    ps = pages([tmp_path / "cut.html.gz", tmp_path / "ok.html"])
    assert codes(ps) == ["E104", None]
    assert "truncated" in ps[0].error.message
    _message_ok(ps[0])


def test_corrupt_gzip_header(tmp_path: Path):
    (tmp_path / "bad.gz").write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate" * 3)
    assert codes(pages([tmp_path / "bad.gz"])) == ["E104"]


@pytest.mark.parametrize("cut", [0.35, 0.5, 0.62, 0.8, 0.97])
def test_truncated_warc(tmp_path: Path, cut):
    data = b"".join(warc_record(f"http://t.example/{i}", HTML) for i in range(6))
    record_len = len(data) // 6
    point = int(len(data) * cut)
    if point % record_len < 8:   # a cut exactly at a record boundary is a shorter, valid archive
        point += 40
    (tmp_path / "cut.warc").write_bytes(data[:point])
    ps = pages([tmp_path / "cut.warc", tmp_path / "cut.warc"])
    first = ps[: len(ps) // 2]
    intact = point // record_len
    assert [p.kind for p in first] == ["html"] * intact + ["error"]
    assert first[-1].error.code == "E105"
    _message_ok(first[-1])


def test_truncated_warc_gz(tmp_path: Path):
    data = gzip.compress(sample_warc())
    (tmp_path / "cut.warc.gz").write_bytes(data[: int(len(data) * 0.7)])
    ps = pages([tmp_path / "cut.warc.gz"])
    assert ps[-1].error is not None and ps[-1].error.code == "E105"
    assert all(p.kind == "html" for p in ps[:-1])


def test_warc_with_garbage_between_records(tmp_path: Path):
    data = warc_record("http://g/1", HTML) + b"this is not a record\r\n\r\n" + warc_record("http://g/2", HTML)
    (tmp_path / "g.warc").write_bytes(data)
    assert codes(pages([tmp_path / "g.warc"])) == [None, "E105"]


def test_warc_with_bad_content_length(tmp_path: Path):
    rec = warc_record("http://g/1", HTML).replace(b"Content-Length: ", b"Content-Length: x", 1)
    (tmp_path / "g.warc").write_bytes(rec)
    assert codes(pages([tmp_path / "g.warc"])) == ["E105"]


def test_malformed_json_lines(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "1", "text": "ok"}\n{"id": 2, "text": }\n\xff\xfe{not json}\n{"id": "3", "title": "x"}\n'
                     b'"just a string"\n{"id": "4", "html": "<p>ok</p>"}\n')
    stats = SourceStats()
    ps = pages([path], stats=stats)
    assert codes(ps) == [None, "E106", "E106", "E107", "E106", None]
    for p in ps:
        if p.error:
            _message_ok(p)
    assert stats.errors == 4 and stats.pages == 2


def test_jsonl_line_over_limit(tmp_path: Path):
    path = tmp_path / "big.jsonl"
    big = '{"id": "big", "text": "' + "x" * 5000 + '"}'
    path.write_text('{"id": "a", "text": "ok"}\n' + big + '\n{"id": "b", "text": "ok"}\n', encoding="utf-8")
    ps = pages([path], settings=Settings(max_page_bytes=1000))
    assert codes(ps) == [None, "E108", None]


def test_wrong_and_mixed_encodings_come_out_readable(tmp_path: Path):
    from lagebild.pipeline import Pipeline

    de = "Die Bundesregierung kündigte am Mittwoch Gespräche über Sanktionen gegen Russland an."
    files = {
        "cp1252.txt": (de + "\n" + de + "\n").encode("cp1252"),
        "declared-wrong.html": (b'<html><head><meta charset="iso-8859-1"><title>T</title></head><body><article><p>'
                                + de.encode() + b"</p>" + ARTICLE.encode() + b"</article></body></html>"),
        "mixed.txt": de.encode() + b"\n" + de.encode("cp1252") + b"\n",
        "mojibake.txt": (de.encode().decode("cp1252").encode() + b"\n") * 2,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    pipe = Pipeline.build("extract")
    for p in pages([tmp_path / n for n in files]):
        result = pipe.run(p)
        assert isinstance(result, Document), (p.source.uri, result.to_dict())
        assert "kündigte" in result.text and "Gespräche über" in result.text, (p.source.uri, result.text)
        assert "Ã" not in result.text and "\ufffd" not in result.text


def test_a_bad_input_never_stops_the_batch(tmp_path: Path):
    (tmp_path / "a.html").write_bytes(HTML)
    (tmp_path / "b.png").write_bytes(BINARIES["image.png"])
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "d.gz").write_bytes(gzip.compress(DUMP)[:20])
    (tmp_path / "e.txt").write_bytes(DUMP)
    ps = list(iter_pages([str(tmp_path), "ftp://x/", "-"], stdin=io.BytesIO(HTML)))
    assert codes(ps) == [None, "E103", "E102", "E104", None, "E601", None]


def test_failed_pages_become_failures_in_the_pipeline(tmp_path: Path):
    from lagebild.pipeline import Pipeline

    (tmp_path / "x.png").write_bytes(BINARIES["image.png"])
    result = Pipeline.build("extract").run(pages([tmp_path / "x.png"])[0])
    assert isinstance(result, Failure)
    assert result.to_dict()["errors"][0]["code"] == "E103"
    assert result.to_dict()["errors"][0]["stage"] == "read"


DEEP_SCRIPT = textwrap.dedent("""
    import json, sys
    from lagebild.pipeline import Pipeline
    from lagebild.sources import read_page_bytes
    depth = int(sys.argv[1])
    html = (b"<html><head><title>Tief</title></head><body>" + b"<div>" * depth
            + b"<p>Ein Absatz tief unten im Dokument, lang genug, um als Text zu gelten. Putin traf Kim.</p>"
            + b"</div>" * depth + b"</body></html>")
    page = read_page_bytes(html, "deep.html")[0]
    assert page.kind == "html", page
    result = Pipeline.build("extract").run(page)
    print(json.dumps({"type": type(result).__name__, "errors": result.to_dict()["errors"]}))
""")


@pytest.mark.parametrize("depth", [50_000])
def test_deeply_nested_page(depth):
    """<div>*50000 comes out of the extract pipeline as a Failure or Document with a clear error.

    Run in a subprocess so that a crash of a C parser (stack overflow) fails this test instead of
    killing the test run.
    """
    proc = subprocess.run([sys.executable, "-c", DEEP_SCRIPT, str(depth)], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stdout
    import json

    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["type"] in ("Document", "Failure")
    if out["type"] == "Failure":
        assert out["errors"] and all("\n" not in e["message"] for e in out["errors"])


def test_deep_nesting_guard_for_other_parsers():
    """The opt-in guard flattens a 50,000-deep page to 250 levels and keeps its text."""
    from lagebild.document import Source
    from lagebild.page import Page
    from lagebild.sources.guard import FLATTENED_HEADER, guard_page, html_depth

    text = b"<p>Der Text ganz unten bleibt erhalten.</p>"
    deep = b"<html><body>" + b"<div><span>" * 25_000 + text + b"</span></div>" * 25_000 + b"</body></html>"
    page = guard_page(Page(Source("deep.html", "html"), "html", data=deep), Settings())
    assert FLATTENED_HEADER in page.headers
    assert html_depth(page.data) <= 250 and text in page.data
    assert page.data.count(b"<div>") + page.data.count(b"<span>") <= 250


def test_guard_leaves_ordinary_pages_alone():
    from lagebild.sources.guard import limit_nesting

    nested = b"<html><body>" + b"<div>" * 200 + b"<p>x</p>" + b"</div>" * 200 + b"</body></html>"
    paras = b"<html><body><ul>" + b"<li><p>unclosed item" * 5000 + b"</ul></body></html>"
    scripts = b"<html><body><script>" + b"s += '<div>';" * 5000 + b"</script><p>ok</p></body></html>"
    for data in (HTML, nested, paras, scripts):
        out, _depth = limit_nesting(data, 250)
        assert out is data


def test_error_messages_are_one_line():
    from lagebild.document import Source
    from lagebild.sources.failures import error_page

    page = error_page(Source("x", "html"), RuntimeError("first line\nsecond line\r\n" + "x" * 2000))
    assert "\n" not in page.error.message and len(page.error.message) <= 500
    assert page.error.stage == "read" and page.kind == "error"
