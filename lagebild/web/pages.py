"""HTML pages. Each gathers its data through the same queries as the JSON API and renders a template."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from lagebild.api import queries, relations
from lagebild.api.deps import TOKEN_COOKIE, Gate, gate_of, require_read, settings_of, token_ok
from lagebild.api.errors import ApiError
from lagebild.api.ingest import DATE
from lagebild.api.routes import HEX_PREFIX
from lagebild.web.render import colour, legend, render_text

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_read)])
login_router = APIRouter(include_in_schema=False)   # reachable without the token, to enter it


@login_router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return _page(request, "login.html", title="Sign in", failed=False)


@login_router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the token and keep it in an HttpOnly, same-site cookie, so pages work when reads are private."""
    body = (await request.body())[:4096].decode("utf-8", "replace")
    token = (parse_qs(body).get("token") or [""])[0]
    if not token_ok(settings_of(request), token):
        resp = _page(request, "login.html", title="Sign in", failed=True)
        resp.status_code = 401
        return resp
    resp = RedirectResponse("/search", status_code=303)
    resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return resp


def _page(request: Request, name: str, **ctx: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, ctx)


def _date(value: str | None) -> str | None:
    """An ISO date from a form field, or None: pages ignore a malformed date instead of answering 422."""
    return value if value and re.match(DATE, value) else None


@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/search", status_code=302)


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: str | None = Query(None, max_length=300),
    site: str | None = Query(None, max_length=300),
    language: str | None = Query(None, max_length=20),
    genre: str | None = Query(None, max_length=40),
    date_from: str | None = Query(None, alias="from", max_length=10),
    date_to: str | None = Query(None, alias="to", max_length=10),
    actor: str | None = Query(None, max_length=300),
    cursor: str | None = Query(None, max_length=600),
    gate: Gate = Depends(gate_of),
) -> HTMLResponse:
    date_from, date_to = _date(date_from), _date(date_to)
    f = queries.DocFilter(site=site or None, language=language or None, genre=genre or None, date_from=date_from,
                          date_to=date_to, actor=actor or None, q=(q or "").strip() or None)
    limit = min(25, settings_of(request).api_max_page_size)
    with gate() as store:
        page = queries.list_documents(store, f, limit, cursor)
        facet = queries.facets(store)
        actors = queries.list_actors(store, f.q, None, None, 12, None).items
    args = {k: v for k, v in (("q", q), ("site", site), ("language", language), ("genre", genre),
                              ("from", date_from), ("to", date_to), ("actor", actor)) if v}
    next_url = f"/search?{urlencode({**args, 'cursor': page.next_cursor})}" if page.next_cursor else None
    return _page(request, "search.html", title="Search", form=args, docs=page.items, next_url=next_url,
                 facets=facet, actors=actors, colour=colour)


@router.get("/doc/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: str = Path(..., max_length=64), gate: Gate = Depends(gate_of)) -> HTMLResponse:
    with gate() as store:
        doc = store.document(doc_id) if HEX_PREFIX.fullmatch(doc_id) else None
    if doc is None:
        raise ApiError(404, "not_found", f"no document with id {doc_id!r}")
    events = []
    for i, e in enumerate(doc.get("events") or []):
        events.append({**e, "i": i, "polarity": relations.polarity(str(e.get("type")))})
    return _page(request, "document.html", title=doc.get("title") or "Document", doc=doc,
                 body=render_text(doc), legend=legend(doc), events=events, colour=colour)


@router.get("/actor/{key}", response_class=HTMLResponse)
def actor(request: Request, key: str = Path(..., max_length=300), gate: Gate = Depends(gate_of)) -> HTMLResponse:
    with gate() as store:
        found = queries.actor(store, key)
        if found is None:
            raise ApiError(404, "not_found", f"no actor with key {key!r}")
        quotes = queries.actor_quotes(store, key, 50, None).items
        events = queries.actor_events(store, key, 50, None).items
        rel = relations.partners(store, key, limit=10)
        docs = queries.list_documents(store, queries.DocFilter(actor=key), 20, None).items
    for e in events:
        e["polarity"] = relations.polarity(str(e.get("type")))
    return _page(request, "actor.html", title=found.get("name") or key, actor=found, chart=_chart(found["timeline"]),
                 quotes=quotes, events=events, rel=rel, docs=docs, colour=colour(key))


@router.get("/network", response_class=HTMLResponse)
def network(
    request: Request,
    date_from: str | None = Query(None, alias="from", max_length=10),
    date_to: str | None = Query(None, alias="to", max_length=10),
    group: str = Query("actor", max_length=10),
) -> HTMLResponse:
    date_from, date_to = _date(date_from) or "", _date(date_to) or ""
    group = group if group in ("actor", "country") else "actor"
    return _page(request, "network.html", title="Network", date_from=date_from, date_to=date_to, group=group)


def _chart(timeline: list[dict[str, Any]], width: int = 640, height: int = 140) -> dict[str, Any]:
    """Stacked monthly bars (mentions, quotes, events) as SVG rectangle coordinates."""
    if not timeline:
        return {"bars": [], "width": width, "height": height, "max": 0}
    top = max(t["mentions"] + t["quotes"] + t["events"] for t in timeline) or 1
    step = width / len(timeline)
    bw = min(40.0, max(2.0, step * 0.8))
    bars = []
    for i, t in enumerate(timeline):
        y = float(height - 16)
        rects = []
        for series in ("mentions", "quotes", "events"):
            h = (height - 24) * t[series] / top
            y -= h
            rects.append({"series": series, "y": round(y, 1), "h": round(h, 1)})
        bars.append({"x": round(i * step, 1), "w": round(bw, 1), "rects": rects, "month": t["month"],
                     "label": f"{t['month']}: {t['mentions']} mentions, {t['quotes']} quotes, {t['events']} events"})
    return {"bars": bars, "width": width, "height": height, "max": top}
