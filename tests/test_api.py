"""The REST API through FastAPI's in-process client, on DuckDB and on a real PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from lagebild.api import create_app  # noqa: E402
from lagebild.settings import Settings  # noqa: E402
from lagebild.store import open_store  # noqa: E402
from tests.test_api_support import (TOKEN, filler_documents, fresh_database, pg_server, pg_url,  # noqa: E402,F401
                                    sample_documents)

AUTH = {"Authorization": f"Bearer {TOKEN}"}


BACKENDS = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database for tests that write."""
    if request.param == "duckdb":
        return str(tmp_path / "api.duckdb")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="module", params=BACKENDS)
def shared_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per module and backend for the read-only tests (setting up is the slow part)."""
    if request.param == "duckdb":
        yield str(tmp_path_factory.mktemp("api") / "api.duckdb")
        return
    url, drop = fresh_database(request.getfixturevalue("pg_server"))
    yield url
    drop()


def make_client(db: str, docs=None, **settings) -> TestClient:
    store = open_store(db)
    store.write(docs if docs is not None else sample_documents() + filler_documents(7))
    defaults = dict(db=db, api_token=TOKEN, api_max_page_size=5)
    defaults.update(settings)
    app = create_app(Settings(**defaults), store=store, stages="extract")
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client(shared_db_url: str) -> Iterator[TestClient]:
    """Read-only tests share this client; tests that write use ``wclient``."""
    c = make_client(shared_db_url)
    with c:
        yield c
    c.app.state.gate.store.close()


@pytest.fixture()
def wclient(db_url: str) -> Iterator[TestClient]:
    c = make_client(db_url, docs=[])
    with c:
        yield c
    c.app.state.gate.store.close()


def assert_error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False
    assert set(body["error"]) >= {"code", "message", "status"}
    assert body["error"]["status"] == status
    if code:
        assert body["error"]["code"] == code
    return body


# --------------------------------------------------------------------------- documents


def test_list_documents_newest_first_with_summary_fields(client: TestClient) -> None:
    r = client.get("/api/documents", params={"limit": 3})
    body = r.json()
    assert r.status_code == 200 and body["ok"] is True
    items = body["items"]
    assert [d["published"] for d in items] == sorted((d["published"] for d in items), reverse=True)
    assert items[0]["title"].endswith("Hostile")
    assert "text" not in items[0] and "json" not in items[0]


def test_cursor_pagination_walks_every_document_once(client: TestClient) -> None:
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/documents", params=params).json()
        seen += [d["id"] for d in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 10
    assert pages == 5


def test_page_size_is_capped(client: TestClient) -> None:
    body = client.get("/api/documents", params={"limit": 10_000}).json()
    assert body["limit"] == 5 and len(body["items"]) == 5 and body["next_cursor"]


def test_bad_cursor_and_bad_params_use_the_error_shape(client: TestClient) -> None:
    assert_error(client.get("/api/documents", params={"cursor": "garbage!"}), 400, "invalid_cursor")
    body = assert_error(client.get("/api/documents", params={"limit": 0}), 422, "invalid_request")
    assert body["error"]["details"][0]["loc"] == ["query", "limit"]
    assert_error(client.get("/api/documents", params={"from": "yesterday"}), 422)
    assert_error(client.get("/api/documents", params={"q": "a\x00b"}), 400)


@pytest.mark.parametrize("params,expected", [
    ({"site": "example.de"}, {"Moskau und Pjöngjang"}),
    ({"language": "en"}, {"War news", "<script>alert(7)</script>Hostile"}),
    ({"genre": "news"}, {"War news"}),
    ({"from": "2025-09-15", "to": "2025-10-31"}, {"War news"}),
    ({"from": "2025-11"}, {"<script>alert(7)</script>Hostile"}),
    ({"actor": "Q212"}, {"War news"}),
    ({"q": "brüderliche"}, {"Moskau und Pjöngjang"}),
    ({"q": "WAR NEWS"}, {"War news"}),
    ({"q": "100%"}, set()),
    ({"site": "filler.example", "q": "number 3:"}, {"filler 3"}),
])
def test_document_filters(client: TestClient, params: dict, expected: set) -> None:
    body = client.get("/api/documents", params=params | {"limit": 5}).json()
    assert {d["title"] for d in body["items"]} == expected


def test_one_document_with_all_layers(client: TestClient) -> None:
    first = client.get("/api/documents", params={"site": "example.de"}).json()["items"][0]
    doc = client.get(f"/api/documents/{first['id']}").json()
    assert doc["schema"] == "lagebild/1" and doc["id"] == first["id"]
    assert {m["actor"]["name"] for m in doc["mentions"]} >= {"Vladimir Putin", "Kim Jong-un"}
    assert doc["quotes"][0]["speaker"]["actor"]["id"] == "Q56226"
    assert [e["type"] for e in doc["events"]] == ["COOPERATE", "AGREE"]
    assert doc["removed"][0]["kind"] == "advert" and doc["framing"][0]["technique"] == "loaded_language"
    assert client.get(f"/api/documents/{first['id'][:10]}").json()["id"] == first["id"]
    assert_error(client.get("/api/documents/" + "0" * 64), 404, "not_found")


# --------------------------------------------------------------------------- actors and relations


def test_actor_list_detail_quotes_events(client: TestClient) -> None:
    actors = client.get("/api/actors", params={"limit": 50}).json()["items"]
    keys = [a["key"] for a in actors]
    assert keys[0] == "Q159"     # Russia: mentioned in most documents
    assert {"Q7747", "Q56226", "Q423", "Q212"} <= set(keys)
    assert client.get("/api/actors", params={"q": "kim"}).json()["items"][0]["key"] == "Q56226"
    assert {a["key"] for a in client.get("/api/actors", params={"country": "PRK"}).json()["items"]} == {"Q423", "Q56226"}

    kim = client.get("/api/actors/Q56226").json()
    assert kim["name"] == "Kim Jong-un" and kim["counts"] == {"mentions": 2, "quotes": 1, "events": 1}
    assert kim["timeline"] == [{"month": "2025-09", "mentions": 2, "quotes": 1, "events": 1}]
    quotes = client.get("/api/actors/Q56226/quotes").json()["items"]
    assert quotes[0]["text"] == "Die Hilfe ist eine brüderliche Pflicht."
    events = client.get("/api/actors/Q56226/events").json()["items"]
    assert events[0]["type"] == "AGREE" and events[0]["source"][0]["key"] == "Q7747"
    assert_error(client.get("/api/actors/Q0"), 404, "not_found")


def test_actor_pages_paginate(client: TestClient) -> None:
    seen, cursor = [], None
    for _ in range(20):
        body = client.get("/api/actors", params={"limit": 2} | ({"cursor": cursor} if cursor else {})).json()
        seen += [a["key"] for a in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 6
    events, cursor = [], None
    for _ in range(20):
        body = client.get("/api/actors/Q159/events", params={"limit": 3} | ({"cursor": cursor} if cursor else {})).json()
        events += [(e["doc_id"], e["idx"]) for e in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(events) == len(set(events)) == 11   # 7 filler + alliance + 3 in the war news (hypothetical too)


def test_relations_partners_and_adversaries(client: TestClient) -> None:
    rel = client.get("/api/actors/Q159/relations").json()
    assert rel["partners"][0]["actor"]["key"] == "Q423"
    assert [r["actor"]["key"] for r in rel["adversaries"]] == ["Q212"]
    assert rel["adversaries"][0]["types"] == {"ACCUSE": 1, "ASSAULT": 1}   # the hypothetical threat is left out


def test_graph_for_a_date_range(client: TestClient) -> None:
    g = client.get("/api/graph").json()
    pairs = {(e["source"], e["target"]): e for e in g["edges"]}
    assert pairs[("Q159", "Q423")]["polarity"] == "cooperation"
    assert pairs[("Q159", "Q212")]["polarity"] == "conflict"
    assert pairs[("Q56226", "Q7747")]["evidence"][0]["trigger"] == "unterzeichneten"
    autumn = client.get("/api/graph", params={"from": "2025-10-01", "to": "2025-12-31"}).json()
    assert {(e["source"], e["target"]) for e in autumn["edges"]} == {("Q159", "Q212")}
    june24 = client.get("/api/graph", params={"from": "2024-06-01", "to": "2024-06-30"}).json()
    assert {(e["source"], e["target"]) for e in june24["edges"]} == {("Q56226", "Q7747")}
    countries = client.get("/api/graph", params={"group": "country"}).json()
    assert ("PRK", "RUS") in {(e["source"], e["target"]) for e in countries["edges"]}
    assert_error(client.get("/api/graph", params={"group": "planet"}), 422)


# --------------------------------------------------------------------------- ingest and auth


def test_post_document_needs_the_token(wclient: TestClient) -> None:
    client = wclient
    page = {"text": ("Der russische Präsident Wladimir Putin hat sich am Dienstag in Wladiwostok mit dem "
                     "nordkoreanischen Machthaber Kim Jong-un getroffen, wie die Nachrichtenagentur meldete.\n"
                     "Die beiden sprachen nach Angaben des Kremls über eine engere militärische und wirtschaftliche "
                     "Zusammenarbeit ihrer Länder, die im Westen mit Sorge beobachtet wird.")}
    assert_error(client.post("/api/documents", json=page), 401, "unauthorized")
    assert_error(client.post("/api/documents", json=page, headers={"Authorization": "Bearer nope"}), 401)
    r = client.post("/api/documents", json=page | {"published": "2025-08-01", "title": "Gipfel"}, headers=AUTH)
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    assert r.json()["status"] == "added" and r.json()["web"] == f"/doc/{doc_id}"
    again = client.post("/api/documents", json=page, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    stored = client.get(f"/api/documents/{doc_id}").json()
    assert stored["title"] == "Gipfel" and stored["published"] == "2025-08-01"
    html = {"html": "<html><head><title>T</title></head><body><article><p>" + "Ein Absatz über Politik. " * 20
                    + "</p></article></body></html>"}
    assert client.post("/api/documents", json=html, headers=AUTH).status_code == 201


def test_post_document_rejects_bad_bodies(wclient: TestClient) -> None:
    client = wclient
    assert_error(client.post("/api/documents", json={}, headers=AUTH), 422, "invalid_request")
    assert_error(client.post("/api/documents", json={"text": "a", "html": "b"}, headers=AUTH), 422)
    assert_error(client.post("/api/documents", json={"url": "javascript:alert(1)"}, headers=AUTH), 422)
    assert_error(client.post("/api/documents", json={"text": "x", "extra": 1}, headers=AUTH), 422)
    assert_error(client.post("/api/documents", content=b"not json", headers=AUTH | {"content-type": "application/json"}), 422)
    r = client.post("/api/documents", json={"text": "   \n  "}, headers=AUTH)   # no article text: E102/E201
    assert_error(r, 422)
    raw = json.dumps({"text": "a lone surrogate \ud800 is not text. " * 5}).encode()
    assert_error(client.post("/api/documents", content=raw, headers=AUTH | {"content-type": "application/json"}), 422)
    text = "Die Regierung in Berlin hat am Montag neue Sanktionen gegen mehrere Unternehmen angekündigt.\x00 " * 3
    r = client.post("/api/documents", json={"text": text}, headers=AUTH)
    assert r.status_code == 201, r.text
    assert "\x00" not in client.get(f"/api/documents/{r.json()['id']}").json()["text"]


def test_writes_disabled_without_a_configured_token(db_url: str) -> None:
    with make_client(db_url, docs=[], api_token=None) as c:
        assert_error(c.post("/api/documents", json={"text": "x"}, headers=AUTH), 403, "writes_disabled")
        c.app.state.gate.store.close()


def test_private_reads(db_url: str) -> None:
    with make_client(db_url, docs=[], api_public_reads=False) as c:
        assert_error(c.get("/api/documents"), 401, "unauthorized")
        assert c.get("/api/documents", headers=AUTH).status_code == 200
        assert c.get("/search").status_code == 401
        assert c.post("/login", data={"token": "wrong"}).status_code == 401
        r = c.post("/login", data={"token": TOKEN}, follow_redirects=False)
        assert r.status_code == 303 and "httponly" in r.headers["set-cookie"].lower()
        assert c.get("/search").status_code == 200
        assert c.get("/api/health").status_code == 200
        c.app.state.gate.store.close()


# --------------------------------------------------------------------------- one error shape, headers, OpenAPI


def test_every_error_has_one_shape(wclient: TestClient) -> None:
    client = wclient
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.delete("/api/documents"), 405, "method_not_allowed")

    @client.app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    body = assert_error(client.get("/api/boom"), 500, "internal_error")
    assert "secret" not in body["error"]["message"]


def test_security_headers_and_openapi(client: TestClient) -> None:
    r = client.get("/api/documents")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    spec = client.get("/openapi.json").json()
    assert {"/api/documents", "/api/documents/{doc_id}", "/api/actors", "/api/actors/{key}/quotes",
            "/api/actors/{key}/events", "/api/actors/{key}/relations", "/api/graph"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/api/documents"]
    assert "ErrorBody" in spec["components"]["schemas"]
    assert not any(p.startswith("/doc/") for p in spec["paths"])   # web pages stay out of the API schema


def test_sql_fallback_finds_the_same_relations(tmp_path: Path) -> None:
    from lagebild.api import relations

    with open_store(str(tmp_path / "rel.duckdb")) as store:
        store.write(sample_documents() + filler_documents(3))
        for group in ("actor", "country"):
            for rng in ((None, None), ("2025-10-01", "2025-12-31"), ("2024-06-01", "2024-06-30")):
                main_nodes, main_edges = relations.relations(store, *rng, group=group)
                sql_nodes, sql_edges = relations._relations_sql(store, *rng, None, group)
                assert {(e.a, e.b) for e in main_edges} == {(e.a, e.b) for e in sql_edges}
                assert {e.a: e.to_dict()["polarity"] for e in main_edges} == \
                    {e.a: e.to_dict()["polarity"] for e in sql_edges}


def test_post_a_url_fetches_it(tmp_path: Path) -> None:
    import http.server
    import threading

    page = ("<html><head><title>Gipfel in Wladiwostok</title></head><body><article>"
            + "<p>Der russische Präsident traf den nordkoreanischen Machthaber zu langen Gesprächen über "
              "Zusammenarbeit, Handel und Sicherheit, wie beide Regierungen am Abend mitteilten.</p>" * 4
            + "</article></body></html>").encode("utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/news/gipfel.html"
    try:
        refused = make_client(str(tmp_path / "refuse.duckdb"), docs=[])
        with refused:
            assert_error(refused.post("/api/documents", json={"url": url}, headers=AUTH), 422, "E602")
            refused.app.state.gate.store.close()
        allowed = make_client(str(tmp_path / "url.duckdb"), docs=[], allow_private=True)
        with allowed:
            r = allowed.post("/api/documents", json={"url": url}, headers=AUTH)
            assert r.status_code == 201, r.text
            doc = allowed.get(f"/api/documents/{r.json()['id']}").json()
            assert doc["source"]["uri"] == url and "Machthaber" in doc["text"]
            allowed.app.state.gate.store.close()
    finally:
        httpd.shutdown()


def test_id_prefix_is_hex_only(client: TestClient) -> None:
    assert_error(client.get("/api/documents/%25%25%25%25"), 404)   # '%%%%' is no LIKE pattern
    assert_error(client.get("/api/documents/____"), 404)
