"""The web pages, server-rendered: layers marked, hostile text inert, and the seed page end to end."""

from __future__ import annotations

import re
from typing import Iterator

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from lagebild.api import create_app  # noqa: E402
from lagebild.settings import Settings  # noqa: E402
from lagebild.store import open_store  # noqa: E402
from lagebild.web.render import render_text, safe_href  # noqa: E402
from tests.test_api_support import (TOKEN, doc_alliance, doc_hostile, filler_documents,  # noqa: E402
                                    sample_documents)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = str(tmp_path_factory.mktemp("web") / "web.duckdb")
    store = open_store(db)
    store.write(sample_documents() + filler_documents(3))
    app = create_app(Settings(db=db, api_token=TOKEN), store=store, stages="extract")
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    store.close()


def tree(r):
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return lxml_html.fromstring(r.text)


def test_document_page_marks_every_layer(client: TestClient) -> None:
    d = doc_alliance()
    page = tree(client.get(f"/doc/{d.id}"))
    text = page.get_element_by_id("article-text")
    assert text.text_content() == d.text   # the marks add elements, never characters
    mentions = {a.text_content(): a.get("href") for a in text.cssselect("a.m")}
    assert mentions["Putin"] == "/actor/Q7747" and mentions["Kim"] == "/actor/Q56226"
    quote = text.cssselect("span.q")[0]
    assert "speaker: Kim Jong-un" in quote.get("title")
    trigger = text.cssselect(".ev")[0]
    assert trigger.text_content() == "vertiefen ihre Allianz" and "ev-cooperation" in trigger.get("class")
    assert "COOPERATE" in trigger.get("title") and "Russia → North Korea" in trigger.get("title")
    assert [f.text_content() for f in text.cssselect(".fr")] == ["gefährliche Achse"]
    removed = page.cssselect("#removed .removed-block")
    assert [r.cssselect(".kind")[0].text_content() for r in removed] == ["advert", "navigation"]
    assert "Webinar" in removed[0].text_content() and "Webinar" not in text.text_content()
    legend = [a.text_content() for a in page.cssselect(".legend a")]
    assert legend[0] == "Kim Jong-un" and "Vladimir Putin" in legend
    # same actor, same colour; different actors of the document get their own classes in the legend
    kim_colours = {c for a in text.cssselect("a.m[href='/actor/Q56226']") for c in a.get("class").split()
                   if re.fullmatch(r"c\d+", c)}
    assert len(kim_colours) == 1


def test_overlapping_layers_render_flat_and_complete() -> None:
    d = doc_alliance().to_dict()
    d["framing"].append({"start": 0, "end": 20, "technique": "doubt"})   # spans mentions and a trigger
    out = lxml_html.fromstring(f"<div>{render_text(d)}</div>")
    assert out.text_content() == d["text"]
    putin = out.cssselect("a.m")[0]
    assert "fr" in putin.get("class") and putin.text_content() == "Putin"


def test_hostile_page_is_inert(client: TestClient) -> None:
    d = doc_hostile()
    r = client.get(f"/doc/{d.id}")
    body = r.text
    assert "<script>alert" not in body and "<b onmouseover" not in body and "<iframe" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    page = tree(r)
    hrefs = [a.get("href") or "" for a in page.iter("a")]
    assert not [h for h in hrefs if not h.startswith(("/", "#", "http://", "https://"))]
    assert not any("javascript" in h.lower() for h in hrefs)
    scripts = [s.get("src") for s in page.iter("script")]
    assert scripts == ["/static/doc.js"] and not any((s.text or "").strip() for s in page.iter("script"))
    assert not [el for el in page.iter() if any(k.lower().startswith("on") for k in el.attrib)]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    # the hostile actor's own page and the search page too
    evil = page.cssselect(".legend a")[0].get("href")
    actor_page = client.get(evil)
    assert actor_page.status_code == 200 and "<img src=x" not in actor_page.text
    search = client.get("/search", params={"q": "Breaking"})
    assert "<script>alert" not in search.text and "&lt;script&gt;alert(7)" in search.text


@pytest.mark.parametrize("url,ok", [("https://example.org/a?b=1", True), ("http://x.de", True),
                                    ("javascript:alert(1)", False), (" JavaScript:alert(1)", False),
                                    ("data:text/html,<script>", False), ("//evil.example/x", False),
                                    ("https://", False), ("vbscript:x", False), (None, False),
                                    ("https://ok.example/\nJavascript:x", False)])
def test_only_http_links_from_content(url, ok: bool) -> None:
    assert (safe_href(url) is not None) is ok


def test_actor_page_counts_quotes_partners_adversaries(client: TestClient) -> None:
    page = tree(client.get("/actor/Q159"))
    assert page.cssselect("h1")[0].text_content().strip() == "Russia"
    assert page.cssselect("svg.chart rect")
    partners = [a.text_content() for a in page.cssselect(".partners a")]
    adversaries = [a.text_content() for a in page.cssselect(".adversaries a")]
    assert partners[0] == "North Korea" and adversaries == ["Ukraine"]
    kim = tree(client.get("/actor/Q56226"))
    assert "brüderliche Pflicht" in kim.cssselect("ol.quotes")[0].text_content()
    assert client.get("/actor/Q0", headers={"accept": "text/html"}).status_code == 404


def test_network_and_search_pages(client: TestClient) -> None:
    net = tree(client.get("/network", params={"from": "2025-01-01", "to": "2025-12-31", "group": "country"}))
    box = net.get_element_by_id("net")
    assert box.get("data-from") == "2025-01-01" and box.get("data-group") == "country"
    assert [s.get("src") for s in net.iter("script")] == ["/static/network.js"]
    assert client.get("/static/network.js").status_code == 200
    bad = tree(client.get("/network", params={"from": "<script>"}))
    assert bad.get_element_by_id("net").get("data-from") == ""
    search = tree(client.get("/search", params={"q": "brüderliche"}))
    titles = [a.text_content() for a in search.cssselect("a.doc-link")]
    assert titles == ["Moskau und Pjöngjang"]
    everything = tree(client.get("/search"))
    assert len(everything.cssselect("a.doc-link")) == 6
    assert client.get("/", follow_redirects=False).headers["location"] == "/search"


def test_unknown_page_is_an_html_error_for_browsers(client: TestClient) -> None:
    r = client.get("/doc/nothing", headers={"accept": "text/html"})
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert client.get("/doc/nothing").json()["error"]["code"] == "not_found"


# --------------------------------------------------------------------------- the seed page, end to end


@pytest.fixture(scope="module")
def seed_client(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Iterator[TestClient]:
    db = str(tmp_path_factory.mktemp("seed") / "seed.duckdb")
    app = create_app(Settings(db=db, api_token=TOKEN))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/documents", json={"text": seed_text, "uri": "seed/000_fa5e8bf525930c36.txt"},
                   headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201, r.text
        c.seed_id = r.json()["id"]   # type: ignore[attr-defined]
        yield c


def test_seed_document_page_marks_kim_and_putin(seed_client: TestClient) -> None:
    page = tree(seed_client.get(f"/doc/{seed_client.seed_id}"))
    marked = {a.get("href") for a in page.get_element_by_id("article-text").cssselect("a.m")}
    assert "/actor/Q56226" in marked, "Kim Jong-un is not marked (mentions stage)"
    assert "/actor/Q7747" in marked, "Putin is not marked (mentions stage)"


def test_seed_webinar_advert_is_shown_as_removed(seed_client: TestClient) -> None:
    page = tree(seed_client.get(f"/doc/{seed_client.seed_id}"))
    assert "Webinar" not in page.get_element_by_id("article-text").text_content()
    adverts = [b.text_content() for b in page.cssselect("#removed .removed-block.kind-advert")]
    assert any("Webinar" in a for a in adverts), "the webinar advert is not listed as a removed advert"


def test_seed_network_shows_russia_and_north_korea(seed_client: TestClient) -> None:
    g = seed_client.get("/api/graph", params={"group": "country"}).json()
    assert ("PRK", "RUS") in {(e["source"], e["target"]) for e in g["edges"]}
    actors = seed_client.get("/api/graph").json()
    names = {n["key"]: n["name"] for n in actors["nodes"]}
    assert {"Q159", "Q423"} <= set(names), names
    assert re.search(r"brüderliche|Allianz|Vertrag|Kooperation",
                     " ".join(ev["sentence"] or "" for e in actors["edges"] for ev in e["evidence"]))
