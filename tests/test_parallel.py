"""Worker pool and single process store exactly the same thing; scopes cut at the same places."""

from __future__ import annotations

from pathlib import Path

from lagebild.app import Lagebild
from lagebild.document import Source
from lagebild.page import Page
import os

import pytest

from lagebild import parallel
from lagebild.document import Failure
from lagebild.parallel import scoped_chunks, work_items
from lagebild.pipeline import Scope
from lagebild.settings import Settings
from lagebild.store import open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_scoped_chunks_follow_inputs_and_size() -> None:
    pages = [(Page(Source("a", "text"), "clean", text="x"), i) for i in range(Scope.SIZE + 3)]
    pages += [(Page(Source("b", "text"), "clean", text="y"), -1)]
    sizes = [len(c) for c in scoped_chunks(pages)]
    assert sizes == [Scope.SIZE, 3, 1]


def _store_snapshot(db: str) -> tuple:
    with open_store(db, read_only=True) as store:
        docs = store.query("SELECT id, text, n_mentions, n_quotes, n_events, json, ingested_at IS NOT NULL AS stamped "
                           "FROM documents ORDER BY id")
        mentions = store.query("SELECT * FROM mentions ORDER BY doc_id, idx")
        removed = store.query("SELECT doc_id, idx, kind FROM removed ORDER BY doc_id, idx")
    return docs, removed, mentions


def test_workers_agree_with_one_process(tmp_path: Path) -> None:
    snaps = []
    for workers in (1, 2):
        db = str(tmp_path / f"w{workers}.duckdb")
        lb = Lagebild(Settings(db=db, pool_min_pages=1), "default")   # the pool even for 6 pages
        with open_store(db) as store:
            report = lb.ingest([str(EXAMPLES)], store, workers=workers)
        assert report.ok and report.written.added == 6
        snaps.append(_store_snapshot(db))
    assert snaps[0] == snaps[1]


def _page(uri: str, kind: str, i: int) -> tuple[Page, int]:
    return Page(Source(uri, kind), kind, data=b"x"), i


def test_work_items_split_html_but_keep_a_text_dump_scope_whole() -> None:
    html = [_page("warc", "html", i) for i in range(10)]
    mixed = [_page("w2", "html", 10), _page("w2", "html", 11), _page("w2", "text", 12)]
    mixed += [_page("w2", "html", 13 + i) for i in range(6)]
    items = list(work_items(html + mixed, size=4))
    assert [[t for _, t in c] for c in items] == [
        [0, 1, 2, 3], [4, 5, 6, 7], [8, 9],            # HTML pages of one input: small items
        [10, 11, 12, 13, 14, 15, 16, 17, 18]]          # a scope with a text dump stays together
    assert all(len({p.source.uri for p, _ in c}) == 1 for c in items)   # never across inputs


def test_small_inputs_run_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for 3 pages")

    monkeypatch.setattr(parallel, "_pooled", no_pool)
    pages = [(Page(Source(f"m{i}", "text"), "clean", text="Berlin meldete etwas."), i) for i in range(3)]
    out = list(parallel.run_pipeline(lambda: parallel.Pipeline.build("language"), "language",
                                     Settings(), pages, workers=2))
    assert [t for _, t in out] == [0, 1, 2]


def crash_on_marked_page(chunk):
    """Work function for the pool test: a page whose URI says so kills its worker process."""
    if any(page.source.uri == "crash" for page, _ in chunk):
        os._exit(3)
    return [(page.source.uri, tag) for page, tag in chunk]


def test_a_dying_worker_fails_only_its_pages_and_the_batch_goes_on() -> None:
    items = [(Page(Source(f"p{i}", "html"), "html", data=b"x"), i) for i in range(9)]
    items.insert(5, (Page(Source("crash", "html"), "html", data=b"x"), 99))
    out = list(parallel._pooled("language", Settings(), items, 2, runner=crash_on_marked_page))
    assert [t for _, t in out] == [t for _, t in items]             # every page, in input order
    failed = {t for r, t in out if isinstance(r, Failure)}
    assert failed == {99}                                             # only the deadly page
    assert all(r == f"p{t}" for r, t in out if t not in failed)
    assert all(r.errors[0].code == "E902" for r, t in out if t in failed)


def _record(uri: str, body: bytes, ctype: str) -> bytes:
    """An HTML ``response`` record, or a WET-style ``conversion`` record for text."""
    if ctype.startswith("text/plain"):
        rtype, payload, content_type = "conversion", body, ctype
    else:
        rtype, content_type = "response", "application/http; msgtype=response"
        payload = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n".encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\n"
            f"WARC-Target-URI: {uri}\r\nWARC-Date: 2025-06-28T10:00:00Z\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(payload)}\r\n\r\n").encode()
    return head + payload + b"\r\n\r\n"


def test_pool_agrees_on_one_warc_mixing_html_and_text_dumps(tmp_path: Path) -> None:
    """One input holding HTML pages and text dumps of one site (whose repeated lines are memory
    across pages): small work items for the HTML, the dumps' scope kept whole, same store."""
    html = (EXAMPLES / "de_eu_gipfel_sanktionen.html").read_bytes()
    dump = (EXAMPLES / "de_aussenministerin_dump.txt").read_text(encoding="utf-8")
    nav = "Startseite\nPolitik\nWirtschaft\nNewsletter abonnieren\n"
    body = b""
    for i in range(14):
        if i % 3 == 2:
            text = nav + f"Meldung {i}: " + dump + f"\nSeite {i} von 14\n" + nav
            body += _record(f"https://site.example/dump-{i}", text.encode(), "text/plain; charset=utf-8")
        else:
            page = html.replace(b"</h1>", f" (Teil {i})</h1>".encode(), 1)
            body += _record(f"https://site.example/page-{i}", page, "text/html; charset=utf-8")
    warc = tmp_path / "mixed.warc"
    warc.write_bytes(body)
    snaps = []
    for workers in (1, 2):
        db = str(tmp_path / f"m{workers}.duckdb")
        lb = Lagebild(Settings(db=db, pool_min_pages=1), "default")
        with open_store(db) as store:
            report = lb.ingest([str(warc)], store, workers=workers)
        assert report.pages == 14
        snaps.append(_store_snapshot(db))
    assert snaps[0] == snaps[1]
    assert any(r["kind"] == "navigation" for r in snaps[0][1])        # the dumps' menus were removed


def worker_facts(chunk):
    """Work function for the start-method test: how this worker came to be."""
    import sys

    return [(("lagebild.pool_preload" in sys.modules, os.getppid()), tag) for _, tag in chunk]


@pytest.mark.skipif("forkserver" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="no fork server on this platform (workers are spawned)")
def test_workers_fork_from_the_warmed_server_not_from_this_process() -> None:
    assert parallel.pool_context().get_start_method() == "forkserver"
    items = [(Page(Source(f"p{i}", "html"), "html", data=b"x"), i) for i in range(8)]
    out = list(parallel._pooled("language", Settings(), items, 2, runner=worker_facts))
    assert [t for _, t in out] == list(range(8))
    assert all(warm and parent != os.getpid() for (warm, parent), _ in out)
