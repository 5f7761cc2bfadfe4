"""Inputs to pages: every input kind, detection from content, gzip, WARC, JSONL, dirs, stdin, URLs.

All fixtures are written into tmp_path; URL tests talk only to a local http.server on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lagebild.errors import ConfigError
from lagebild.settings import Settings
from lagebild.sources import SourceStats, iter_pages, read_page_bytes
from lagebild.sources import url as url_mod

ARTICLE = ("<p>Putin und Kim trafen sich am Mittwoch in Peking. Die beiden Staatschefs sprachen nach der "
           "Militärparade mehr als zwei Stunden über die Zusammenarbeit ihrer Länder.</p>"
           "<p>Kim nannte die Hilfe für Russland eine brüderliche Pflicht. Putin dankte ihm für die Unterstützung "
           "und lud ihn zu einem Besuch in Moskau ein, wie die staatliche Nachrichtenagentur meldete.</p>"
           "<p>In Washington und Brüssel wurde das Treffen mit Sorge beobachtet. Ein Sprecher der Europäischen "
           "Union sagte, man werde die Lage genau verfolgen und sich mit den Partnern abstimmen.</p>")
HTML = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Gipfel in Peking</title></head>"
        "<body><nav><a href='/'>Start</a> <a href='/politik'>Politik</a></nav><article><h1>Gipfel in Peking</h1>"
        + ARTICLE + "</article><footer>Impressum</footer></body></html>").encode()
DUMP = ("Moskau und Pjöngjang vertiefen ihre Allianz\n"
        "Bei einem Treffen in Peking bekräftigte Kim Jong-un seine Unterstützung für Russland.\n"
        "Jetzt Newsletter abonnieren!\n- Finanzen\n").encode()


def pages(inputs, **kw):
    return list(iter_pages([str(i) for i in inputs], **kw))


def codes(ps):
    return [p.error.code if p.error else None for p in ps]


# --------------------------------------------------------------------------- WARC fixtures


def warc_record(uri: str, body: bytes, ctype: str | None = "text/html; charset=utf-8", status: str = "200 OK",
                wtype: str = "response", extra_http: bytes = b"") -> bytes:
    """One WARC record written with fastwarc's writer."""
    from fastwarc.warc import WarcRecord, WarcRecordType

    rec = WarcRecord()
    rec.init_headers(getattr(WarcRecordType, wtype))
    rec.headers["WARC-Target-URI"] = uri
    if wtype == "response":
        http = b"HTTP/1.1 " + status.encode() + b"\r\n"
        if ctype:
            http += b"Content-Type: " + ctype.encode() + b"\r\n"
        http += extra_http + b"\r\n" + body
        rec.set_bytes_content(http)
        rec.headers["Content-Type"] = "application/http; msgtype=response"
    else:
        rec.set_bytes_content(body)
        if ctype:
            rec.headers["Content-Type"] = ctype
    buf = io.BytesIO()
    rec.write(buf)
    return buf.getvalue()


def sample_warc() -> bytes:
    chunked_gz = gzip.compress(HTML)
    chunked = b"%x\r\n" % len(chunked_gz) + chunked_gz + b"\r\n0\r\n\r\n"
    return b"".join([
        warc_record("urn:x", b"software: test\r\n", ctype="application/warc-fields", wtype="warcinfo"),
        warc_record("http://a.example/1", HTML),
        warc_record("http://a.example/1", b"GET / HTTP/1.1\r\n\r\n", ctype="application/http; msgtype=request",
                    wtype="request"),
        warc_record("http://a.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", ctype="image/png"),
        warc_record("http://a.example/gone", b"<html><body>gone</body></html>", status="404 Not Found"),
        warc_record("http://a.example/2", chunked, extra_http=b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"),
        warc_record("http://a.example/3", HTML, ctype=None),                    # no type: sniffed as HTML
        warc_record("http://a.example/robots.txt", b"User-agent: *\nDisallow:\n", ctype="text/plain"),
        warc_record("http://a.example/4", HTML.replace(b"charset='utf-8'", b""), ctype="text/html; charset=iso-8859-1"),
        warc_record("http://a.example/5", HTML, ctype="text/html", wtype="resource"),
    ])


# --------------------------------------------------------------------------- plain files and detection


def test_html_and_text_files(tmp_path: Path):
    (tmp_path / "a.html").write_bytes(HTML)
    (tmp_path / "b.txt").write_bytes(DUMP)
    ps = pages([tmp_path / "a.html", tmp_path / "b.txt"])
    assert [p.kind for p in ps] == ["html", "text"]
    assert ps[0].data == HTML and ps[1].data == DUMP
    assert ps[0].source.uri == str(tmp_path / "a.html") and ps[0].source.format == "html"
    assert ps[1].source.format == "text"


@pytest.mark.parametrize("name,content,kind", [
    ("article.txt", HTML, "html"),                         # HTML behind a .txt name
    ("page.html", DUMP, "text"),                           # a text dump behind an .html name
    ("records.html", b'{"id": "1", "text": "Hallo"}\n', "jsonl"),
    ("noext", b"  \n<!-- comment -->\n<html><body><p>x</p></body></html>", "html"),
    ("fragment.dat", b"<div class='a'><p>Nur ein Fragment</p></div>", "html"),
    ("math.html", b"Wenn a < b und b > c gilt, folgt nichts.\nZweite Zeile.\n", "text"),
])
def test_detection_from_content_not_name(tmp_path: Path, name, content, kind):
    path = tmp_path / name
    path.write_bytes(content)
    ps = pages([path])
    assert ps[0].kind == ("clean" if kind == "jsonl" else kind)
    assert ps[0].source.format == kind


def test_warc_behind_misleading_name(tmp_path: Path):
    path = tmp_path / "export.json"
    path.write_bytes(sample_warc())
    ps = pages([path])
    assert ps and all(p.source.format == "warc" for p in ps)


def test_forced_format(tmp_path: Path):
    path = tmp_path / "a.html"
    path.write_bytes(HTML)
    assert pages([path], fmt="text")[0].kind == "text"
    path2 = tmp_path / "dump.txt"
    path2.write_bytes(DUMP)
    assert pages([path2], fmt="html")[0].kind == "html"
    with pytest.raises(ConfigError) as err:
        iter_pages([str(path)], fmt="pdf")
    assert "E110" in str(err.value)


def test_utf16_text_is_text_not_binary(tmp_path: Path):
    path = tmp_path / "u16.txt"
    path.write_bytes(DUMP.decode().encode("utf-16"))
    ps = pages([path])
    assert ps[0].kind == "text" and ps[0].error is None


# --------------------------------------------------------------------------- gzip and friends


@pytest.mark.parametrize("name", ["page.html.gz", "page.txt", "page"])
def test_gzip_html_any_name(tmp_path: Path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(HTML))
    ps = pages([path])
    assert ps[0].kind == "html" and ps[0].data == HTML


def test_gzip_text_dump_and_jsonl(tmp_path: Path):
    (tmp_path / "d.gz").write_bytes(gzip.compress(DUMP))
    (tmp_path / "r.jsonl.gz").write_bytes(gzip.compress(b'{"id": "x", "text": "Ein Satz."}\n' * 3))
    ps = pages([tmp_path / "d.gz", tmp_path / "r.jsonl.gz"])
    assert [p.kind for p in ps] == ["text", "clean", "clean", "clean"]
    assert ps[0].data == DUMP


def test_bz2_and_xz(tmp_path: Path):
    import bz2
    import lzma

    (tmp_path / "a.bz2").write_bytes(bz2.compress(HTML))
    (tmp_path / "b.xz").write_bytes(lzma.compress(DUMP))
    ps = pages([tmp_path / "a.bz2", tmp_path / "b.xz"])
    assert [(p.kind, p.data) for p in ps] == [("html", HTML), ("text", DUMP)]


def test_gzip_streams_large_input(tmp_path: Path):
    """Decompression is streaming: a page just under the limit comes through whole."""
    big = b"<html><body>" + b"<p>Absatz mit Text.</p>\n" * 40_000 + b"</body></html>"
    (tmp_path / "big.html.gz").write_bytes(gzip.compress(big))
    ps = pages([tmp_path / "big.html.gz"])
    assert ps[0].kind == "html" and ps[0].data == big


# --------------------------------------------------------------------------- WARC


def test_warc_records(tmp_path: Path):
    path = tmp_path / "crawl.warc"
    path.write_bytes(sample_warc())
    stats = SourceStats()
    ps = pages([path], stats=stats)
    assert all(p.kind == "html" and p.error is None for p in ps)
    assert [p.meta.url for p in ps] == ["http://a.example/1", "http://a.example/2", "http://a.example/3",
                                        "http://a.example/4", "http://a.example/5"]
    assert all(p.data == HTML or b"<title>" in p.data for p in ps)
    assert ps[1].data == HTML                                  # chunked + gzip payload decoded
    first = ps[0]
    assert first.source.format == "warc" and first.source.record.startswith("<urn:uuid:")
    assert first.source.uri == str(path)
    assert first.fetched and first.fetched[:2] == "20"
    assert first.headers.get("Content-Type") == "text/html; charset=utf-8"
    assert "charset=iso-8859-1" in ps[3].content_type       # the HTTP charset travels as a hint
    assert len({p.source.record for p in ps}) == 5
    # warcinfo, request, PNG, 404, robots.txt are skipped silently and counted
    assert stats.skipped_records == 5 and stats.errors == 0


def test_warc_gz_whole_file_and_per_record(tmp_path: Path):
    data = sample_warc()
    (tmp_path / "a.warc.gz").write_bytes(gzip.compress(data))
    # the usual .warc.gz layout: one gzip member per record
    members = b"".join(gzip.compress(warc_record(f"http://b.example/{i}", HTML)) for i in range(3))
    (tmp_path / "b.warc.gz").write_bytes(members)
    a = pages([tmp_path / "a.warc.gz"])
    b = pages([tmp_path / "b.warc.gz"])
    assert len(a) == 5 and all(p.kind == "html" for p in a)
    assert [p.meta.url for p in b] == [f"http://b.example/{i}" for i in range(3)]


def test_warc_record_over_limit_is_an_error_for_that_record(tmp_path: Path):
    big = b"<html><body>" + b"x" * 5000 + b"</body></html>"
    data = warc_record("http://c/1", HTML) + warc_record("http://c/2", big) + warc_record("http://c/3", HTML)
    (tmp_path / "c.warc").write_bytes(data)
    ps = pages([tmp_path / "c.warc"], settings=Settings(max_page_bytes=3000))
    assert codes(ps) == [None, "E108", None]
    assert ps[1].source.record.startswith("<urn:uuid:")


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_records(tmp_path: Path):
    lines = [
        json.dumps({"id": "r1", "text": "Klartext des Artikels.", "url": "https://x.example/a",
                    "published": "2025-09-03", "title": "Titel"}),
        "",
        json.dumps({"id": 7, "html": HTML.decode()}),
        json.dumps({"text": "Ohne id."}),
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ps = pages([path])
    assert [p.kind for p in ps] == ["clean", "html", "clean"]
    assert ps[0].text == "Klartext des Artikels." and ps[0].source.record == "r1"
    assert (ps[0].meta.url, ps[0].meta.published, ps[0].meta.title) == ("https://x.example/a", "2025-09-03", "Titel")
    assert ps[1].source.record == "7" and ps[1].data == HTML
    assert ps[2].source.record == "4"          # no id: the line number
    assert all(p.source.format == "jsonl" for p in ps)


def test_jsonl_bad_lines_do_not_stop_the_file(tmp_path: Path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a", "text": "gut"}\n{kaputt\n{"id": "b"}\n["liste"]\n{"id": "c", "text": "auch gut"}\n'
                    '{"id": "d", "text": "abgeschnitten', encoding="utf-8")
    ps = pages([path])
    assert codes(ps) == [None, "E106", "E107", "E106", None, "E106"]
    assert [p.source.record for p in ps] == ["a", "2", "b", "4", "c", "6"]
    assert "line 2" in ps[1].error.message


# --------------------------------------------------------------------------- directories, stdin, order


def test_directory_recursive_sorted_skips_hidden(tmp_path: Path):
    root = tmp_path / "in"
    (root / "b" / "c").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "z.html").write_bytes(HTML)
    (root / "a.txt").write_bytes(DUMP)
    (root / "b" / "c" / "deep.html").write_bytes(HTML)
    (root / "b" / "m.txt").write_bytes(DUMP)
    (root / ".hidden.html").write_bytes(HTML)
    (root / ".git" / "config.html").write_bytes(HTML)
    ps = pages([root])
    rel = [Path(p.source.uri).relative_to(root).as_posix() for p in ps]
    assert rel == ["a.txt", "b/c/deep.html", "b/m.txt", "z.html"]


def test_empty_directory(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    assert codes(pages([tmp_path / "empty"])) == ["E102"]


def test_stdin_argument_and_default(tmp_path: Path, monkeypatch):
    ps = list(iter_pages(["-"], stdin=io.BytesIO(gzip.compress(HTML))))
    assert ps[0].kind == "html" and ps[0].data == HTML and ps[0].source.uri == "<stdin>"

    class FakeStdin:
        buffer = io.BytesIO(DUMP)

    monkeypatch.setattr("sys.stdin", FakeStdin())
    ps = list(iter_pages(["-"]))
    assert ps[0].kind == "text" and ps[0].data == DUMP


def test_input_order_with_failures_in_between(tmp_path: Path):
    (tmp_path / "1.html").write_bytes(HTML)
    (tmp_path / "3.txt").write_bytes(DUMP)
    (tmp_path / "r.jsonl").write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    ps = pages([tmp_path / "1.html", tmp_path / "missing.html", tmp_path / "3.txt", tmp_path / "r.jsonl"])
    assert [(p.kind, p.error.code if p.error else None) for p in ps] == [
        ("html", None), ("error", "E101"), ("text", None), ("clean", None)]


def test_read_page_bytes():
    ps = read_page_bytes(gzip.compress(DUMP), "upload")
    assert ps[0].kind == "text" and ps[0].source.uri == "upload"


def test_pages_go_through_extraction(tmp_path: Path):
    """Pages from every kind are accepted by the extract step (no crash, documents come out)."""
    from lagebild.document import Document
    from lagebild.pipeline import Pipeline

    (tmp_path / "a.html").write_bytes(HTML)
    (tmp_path / "r.jsonl").write_text('{"id": "a", "text": "Putin traf Kim in Peking."}\n', encoding="utf-8")
    pipe = Pipeline.build("extract")
    results = [pipe.run(p) for p in pages([tmp_path / "a.html", tmp_path / "r.jsonl"])]
    assert all(isinstance(r, Document) for r in results), [r.to_dict() for r in results]
    assert "Peking" in results[0].text
    assert results[1].text == "Putin traf Kim in Peking."


# --------------------------------------------------------------------------- URLs (local server only)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        if not any(k == "Content-Length" for k, _ in headers) and status != 204:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        p = self.path
        if p == "/page":
            self._send(200, HTML)
        elif p == "/dump":
            self._send(200, DUMP, ctype="text/plain; charset=utf-8")
        elif p == "/koi8":
            self._send(200, "Президент России заявил о переговорах.\nВторая строка.\n".encode("koi8-r"),
                       ctype="text/plain; charset=koi8-r")
        elif p == "/loop":
            self._send(302, headers=[("Location", "/loop")])
        elif p.startswith("/chain/"):
            n = int(p.rsplit("/", 1)[1])
            self._send(302, headers=[("Location", f"/chain/{n - 1}" if n else "/page")]) if n >= 0 else None
        elif p == "/final":
            self._send(200, HTML)
        elif p == "/big":
            self._send(200, b"<p>" + b"x" * 5000 + b"</p>")
        elif p == "/big-nolength":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"<p>" + b"y" * 200 + b"</p>")
        elif p == "/bomb":
            body = gzip.compress(b"<p>" + b"z" * 200_000 + b"</p>")
            self._send(200, body, headers=[("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))])
        elif p == "/slow":
            time.sleep(1.5)
            self._send(200, HTML)
        elif p == "/to-private":
            self._send(302, headers=[("Location", "http://10.1.2.3/secret")])
        elif p == "/to-file":
            self._send(302, headers=[("Location", "file:///etc/passwd")])
        else:
            self._send(404, b"not found")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # the client hung up on /slow or /big: expected
        pass


@pytest.fixture(scope="module")
def server():
    httpd = _QuietServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = Settings(allow_private=True, fetch_timeout=5.0)


def test_url_fetch_html_and_text(server):
    ps = list(iter_pages([f"{server}/page", f"{server}/dump"], settings=LOCAL))
    assert [p.kind for p in ps] == ["html", "text"]
    assert ps[0].data == HTML and ps[0].source.uri == f"{server}/page"
    assert ps[0].meta.url == f"{server}/page" and ps[0].fetched
    assert ps[0].content_type.startswith("text/html")
    assert ps[1].data == DUMP


def test_url_redirects_followed_up_to_limit(server):
    ok = list(iter_pages([f"{server}/chain/4"], settings=LOCAL))    # 5 redirects: allowed
    assert ok[0].kind == "html" and ok[0].meta.url == f"{server}/page"
    too_many = list(iter_pages([f"{server}/chain/5"], settings=LOCAL))   # 6 redirects
    assert codes(too_many) == ["E605"]
    loop = list(iter_pages([f"{server}/loop"], settings=LOCAL))
    assert codes(loop) == ["E605"]


def test_url_body_cap(server):
    small = LOCAL.with_(fetch_max_bytes=2000)
    ps = list(iter_pages([f"{server}/big", f"{server}/big-nolength", f"{server}/bomb", f"{server}/page"],
                         settings=small))
    assert codes(ps) == ["E604", "E604", "E604", None]


def test_url_timeout_and_http_errors(server):
    ps = list(iter_pages([f"{server}/slow", f"{server}/missing"], settings=LOCAL.with_(fetch_timeout=0.3)))
    assert codes(ps) == ["E603", "E603"]
    assert "timed out" in ps[0].error.message and "404" in ps[1].error.message


def test_url_redirect_to_other_scheme_refused(server):
    assert codes(list(iter_pages([f"{server}/to-file"], settings=LOCAL))) == ["E601"]


@pytest.mark.parametrize("target", [
    "http://127.0.0.1:9/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
    "http://localhost/", "http://2130706433/", "http://0.0.0.0/", "http://192.168.1.1/", "http://100.64.0.1/",
    "http://[::ffff:127.0.0.1]/", "https://172.16.0.5/", "http://[fe80::1]/",
])
def test_private_addresses_refused(target):
    ps = list(iter_pages([target]))
    assert codes(ps) == ["E602"], ps[0].error


def test_local_server_refused_without_allow_private(server):
    assert codes(list(iter_pages([f"{server}/page"]))) == ["E602"]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/",
                                    "javascript://x"])
def test_other_schemes_refused(target):
    assert codes(list(iter_pages([target]))) == ["E601"]


def test_every_redirect_hop_is_checked(server, monkeypatch):
    """Loopback is treated as public here so the first hop passes; the hop to 10.x must be refused."""
    real = url_mod.forbidden
    monkeypatch.setattr(url_mod, "forbidden", lambda ip: False if ip.is_loopback else real(ip))
    ps = list(iter_pages([f"{server}/to-private"]))
    assert codes(ps) == ["E602"] and "10.1.2.3" in ps[0].error.message
    # the pinned connection (IP in the URL, name in Host) works for a public-looking host
    ok = list(iter_pages([f"{server}/page"]))
    assert ok[0].kind == "html" and ok[0].data == HTML


def test_json_array_and_pretty_printed_objects(tmp_path: Path):
    records = [{"id": "a", "text": "Erster Artikel."}, {"id": "b", "html": HTML.decode()}, {"title": "leer"}]
    (tmp_path / "array.json").write_text(json.dumps(records, indent=2), encoding="utf-8")
    (tmp_path / "pretty.json").write_text("\n".join(json.dumps(r, indent=2) for r in records[:2]), encoding="utf-8")
    ps = pages([tmp_path / "array.json", tmp_path / "pretty.json"])
    assert [(p.kind, p.source.record) for p in ps] == [
        ("clean", "a"), ("html", "b"), ("error", "3"), ("clean", "a"), ("html", "b")]
    assert ps[2].error.code == "E107"


def test_symlinked_directories_not_followed_and_pathlike_inputs(tmp_path: Path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.html").write_bytes(HTML)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "link.html").symlink_to(root / "a.html")
    ps = list(iter_pages([root]))                 # a Path, not a str
    assert [Path(p.source.uri).name for p in ps] == ["a.html", "link.html"]
    assert all(p.kind == "html" for p in ps)


def test_url_text_uses_the_http_charset(server):
    ps = list(iter_pages([f"{server}/koi8"], settings=LOCAL))
    assert ps[0].kind == "text" and ps[0].text.startswith("Президент России")


def test_wet_conversion_records_are_text_pages(tmp_path: Path):
    data = (warc_record("urn:x", b"software: test\r\n", ctype="application/warc-fields", wtype="warcinfo")
            + warc_record("http://w.example/1", DUMP, ctype="text/plain", wtype="conversion")
            + warc_record("http://w.example/2", b"\x89PNG\r\n\x1a\n\x00\x00", ctype="image/png", wtype="conversion"))
    (tmp_path / "cc.warc.wet.gz").write_bytes(gzip.compress(data))
    ps = pages([tmp_path / "cc.warc.wet.gz"])
    assert [(p.kind, p.meta.url, p.data) for p in ps] == [("text", "http://w.example/1", DUMP)]
    assert ps[0].source.format == "warc"


def test_oversized_non_html_records_are_skipped_not_errors(tmp_path: Path):
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(10_000)
    big_html = b"<html><body>" + b"<p>Text.</p>" * 1000 + b"</body></html>"
    data = (warc_record("http://v/1", video, ctype="video/mp4") + warc_record("http://v/2", big_html)
            + warc_record("http://v/3", HTML))
    (tmp_path / "v.warc").write_bytes(data)
    stats = SourceStats()
    ps = pages([tmp_path / "v.warc"], settings=Settings(max_page_bytes=5000), stats=stats)
    assert codes(ps) == ["E108", None] and ps[1].meta.url == "http://v/3"
    assert stats.skipped_records == 1
