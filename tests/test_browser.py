"""Real browser tests: Debian's Chromium driven by Playwright against uvicorn on 127.0.0.1.

Click from a document to an actor to the network and on to the evidence, move the date range,
and check that a hostile page stays inert (no dialog fires, no ``javascript:`` href survives).
Set ``LAGEBILD_SCREENSHOTS=docs/screenshots`` to refresh the README screenshots.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium "
                                                                 "(apt-get install chromium)")]
playwright_sync = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

import httpx  # noqa: E402

from lagebild.api import create_app  # noqa: E402
from lagebild.settings import Settings  # noqa: E402
from lagebild.store import open_store  # noqa: E402
from tests.conftest import ROOT, SEED  # noqa: E402
from tests.test_api_support import TOKEN, doc_hostile, filler_documents, sample_documents  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
HOSTILE_HTML = """<html><head><title>Hostile page</title></head><body><article>
<h1>Hostile <script>alert('title')</script> page</h1>
<p>Breaking: the minister met the envoy in Berlin to discuss the treaty and the sanctions in detail.
<script>alert(1)</script><img src=x onerror="alert(2)"></p>
<p>Read <a href="javascript:alert(3)">javascript:alert(3)</a> and the whole story, which goes on for a while so that
the extractor keeps it as article text rather than dropping it as boilerplate.</p>
<p>The envoy said the talks were constructive and would continue next month in Paris, officials confirmed.</p>
</article></body></html>"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """uvicorn in a thread on a free 127.0.0.1 port over a fresh DuckDB store."""

    def __init__(self, db: str, docs) -> None:
        self.store = open_store(db)
        self.store.write(docs)
        app = create_app(Settings(db=db, api_token=TOKEN), store=self.store)
        port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                        timeout_graceful_shutdown=1))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started and time.time() < deadline:
            time.sleep(0.05)
        assert self.server.started, "uvicorn did not start"
        self.url = f"http://127.0.0.1:{port}"
        self.client = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)

    def post(self, **body) -> str:
        r = self.client.post("/api/documents", json=body)
        assert r.status_code in (200, 201), r.text
        return r.json()["id"]

    def stop(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(5)
        self.store.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    served = Served(str(tmp_path_factory.mktemp("browser") / "browser.duckdb"),
                    sample_documents() + filler_documents(4))
    served.post(html=HOSTILE_HTML, uri="https://hostile.example/page", published="2025-11-02")
    yield served.url
    served.stop()


@pytest.fixture(scope="module")
def seed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Only the seed page and the bundled examples, analysed by the default pipeline: the README's pictures."""
    if not SEED.is_file():
        pytest.skip("needs the seed page")
    served = Served(str(tmp_path_factory.mktemp("seed") / "seed.duckdb"), [])
    served.post(text=SEED.read_text(encoding="utf-8"), uri="seed/000_fa5e8bf525930c36.txt", published="2025-09-03")
    for p in sorted((ROOT / "examples").glob("*")):
        if p.suffix == ".html":
            served.post(html=p.read_text(encoding="utf-8"), uri=f"examples/{p.name}")
        elif p.suffix == ".txt":
            served.post(text=p.read_text(encoding="utf-8"), uri=f"examples/{p.name}")
    yield served.url
    served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser, base_url: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=base_url)
    pg = ctx.new_page()
    pg.problems = []   # console errors (a CSP violation shows up here) and dialogs
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))

    def on_dialog(d) -> None:
        pg.problems.append(f"dialog {d.type}: {d.message}")
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    ctx.close()


def _shots(tmp_path: Path) -> tuple[Path, Path | None]:
    keep = os.environ.get("LAGEBILD_SCREENSHOTS")
    return tmp_path, (Path(keep) if keep else None)


def test_click_from_document_to_actor_to_network_to_evidence(page, tmp_path: Path) -> None:
    shots, keep = _shots(tmp_path)
    page.goto("/search")
    page.click("a.doc-link:has-text('Moskau und Pjöngjang')")
    page.wait_for_selector("#article-text")
    assert page.locator("#article-text a.m").count() >= 5
    assert "speaker: Kim Jong-un" in page.locator("#article-text span.q").first.get_attribute("title")
    assert page.locator("#removed .kind-advert").count() == 1
    page.screenshot(path=str(shots / "document.png"), full_page=True)

    page.click("#article-text a.m[href='/actor/Q56226']")
    page.wait_for_selector("section.actor")
    assert page.locator("h1").inner_text().strip() == "Kim Jong-un"
    assert page.locator("svg.chart rect").count() >= 1
    page.screenshot(path=str(shots / "actor.png"), full_page=True)

    page.click("a.to-network")
    page.wait_for_selector("#net[data-ready='1'] svg.network")
    assert page.locator("svg.network g.node").count() >= 4
    assert page.locator("svg.network g.edge.pol-conflict").count() >= 1
    assert page.locator("svg.network g.edge.pol-cooperation").count() >= 1
    page.screenshot(path=str(shots / "network.png"))

    page.locator("svg.network g.edge[data-source='Q159'][data-target='Q212'] line.hit").dispatch_event("click")
    page.wait_for_selector("#evidence a.evidence-link")
    assert "War news" in page.locator("#evidence").inner_text()
    page.click("#evidence a.evidence-link >> nth=0")
    page.wait_for_selector("#article-text")
    assert page.locator("h1").inner_text() == "War news"
    assert page.problems == []
    for name in ("document.png", "actor.png", "network.png"):
        assert (shots / name).stat().st_size > 5000


def test_date_range_control_changes_the_network(page) -> None:
    page.goto("/network")
    page.wait_for_selector("#net[data-ready='1'] svg.network")
    everything = page.locator("svg.network g.edge").count()
    page.evaluate("document.getElementById('net').removeAttribute('data-ready')")
    page.fill("#from", "2025-10-01")
    page.fill("#to", "2025-10-31")
    page.dispatch_event("#range", "change")
    page.wait_for_selector("#net[data-ready='1'] svg.network")
    assert page.locator("svg.network g.edge").count() == 1 < everything
    assert "from=2025-10-01" in page.url
    assert page.problems == []


def test_hostile_pages_render_inert(page, base_url: str) -> None:
    for doc_id in (doc_hostile().id, _stored_id(base_url, "https://hostile.example/page")):
        page.goto(f"/doc/{doc_id}")
        page.wait_for_selector("#article-text")
        for link in page.locator("a").all():
            link.hover()
        page.locator("#article-text").click()
        page.wait_for_timeout(300)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert not [h for h in hrefs if "javascript:" in h.lower()]
        assert page.eval_on_selector_all("#article-text script, #removed script, #article-text img", "e => e.length") == 0
        assert not [p for p in page.problems if p.startswith("dialog")], page.problems
    page.goto(f"/doc/{doc_hostile().id}")
    assert "<script>alert(1)</script>" in page.locator("#article-text").inner_text()   # shown as text


def _stored_id(base_url: str, uri: str) -> str:
    items = httpx.get(f"{base_url}/api/documents", params={"q": "envoy"}).json()["items"]
    return next(d["id"] for d in items if d["uri"] == uri)


def test_seed_pages_for_the_readme(browser, seed_url: str, tmp_path: Path) -> None:
    shots, keep = _shots(tmp_path)
    ctx = browser.new_context(viewport={"width": 1200, "height": 800}, base_url=seed_url)
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (problems.append(d.message), d.dismiss()))
    page.goto("/search?q=Diaoyutai")
    assert page.locator("a.doc-link").count() == 1
    page.click("a.doc-link")
    page.wait_for_selector("#article-text")
    doc_id = page.url.rsplit("/", 1)[-1]
    marked = page.eval_on_selector_all("#article-text a.m", "els => els.map(e => e.getAttribute('href'))")
    assert "/actor/Q56226" in marked and "/actor/Q7747" in marked
    assert page.locator("#removed .kind-advert").count() >= 1
    page.screenshot(path=str(shots / "seed-document.png"))
    page.goto("/network?group=country")
    page.wait_for_selector("#net[data-ready='1'] svg.network")
    assert page.locator("svg.network g.node[data-key='RUS']").count() == 1
    assert page.locator("svg.network g.node[data-key='PRK']").count() == 1
    assert page.locator("svg.network g.edge[data-source='PRK'][data-target='RUS']").count() == 1
    page.goto("/network")
    page.wait_for_selector("#net[data-ready='1'] svg.network")
    page.locator("svg.network g.edge[data-source='Q159'][data-target='Q423'] line.hit").dispatch_event("click")
    page.wait_for_selector("#evidence a.evidence-link")
    page.screenshot(path=str(shots / "seed-network.png"))
    page.goto("/actor/Q56226")
    page.screenshot(path=str(shots / "seed-actor.png"))
    assert doc_id and problems == []
    ctx.close()
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        for name in ("seed-document.png", "seed-network.png", "seed-actor.png"):
            (keep / name).write_bytes((shots / name).read_bytes())
