"""The JSON API under ``/api``: documents, actors, relations, the graph, ingest."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from lagebild.api import queries, relations
from lagebild.api.deps import Gate, gate_of, require_read, require_write, settings_of
from lagebild.api.errors import ERROR_RESPONSES, ApiError
from lagebild.api.ingest import DATE, IngestRequest, IngestResponse

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
HEX_PREFIX = re.compile(r"[0-9a-f]{4,64}")
reads = [Depends(require_read)]

DateQ = Query(None, pattern=DATE, description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
CursorQ = Query(None, max_length=600, description="opaque cursor from a previous page's next_cursor")
LimitQ = Query(50, ge=1, description="page size; capped at the server's api_max_page_size")


class ListPage(BaseModel):
    ok: bool = True
    items: list[dict[str, Any]]
    limit: int
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next page; null on the last")


def _limit(request: Request, limit: int) -> int:
    return max(1, min(limit, settings_of(request).api_max_page_size))


def _page(p: queries.ListResult, limit: int) -> Response:
    """A :class:`ListPage`, serialised directly (rows are plain JSON values already)."""
    body = {"ok": True, "items": p.items, "limit": limit, "next_cursor": p.next_cursor}
    return Response(json.dumps(body, ensure_ascii=False, default=str), media_type="application/json")


@router.get("/health", summary="liveness and backend")
def health(request: Request, gate: Gate = Depends(gate_of)) -> dict[str, Any]:
    with gate() as store:
        store.query("SELECT 1 AS one")
        backend = type(store).__name__
    return {"ok": True, "backend": backend}


@router.get("/stats", dependencies=reads, summary="counts of documents and layers")
def stats(gate: Gate = Depends(gate_of)) -> dict[str, Any]:
    with gate() as store:
        return {"ok": True, **store.stats()}


@router.get("/documents", dependencies=reads, response_model=ListPage, summary="list and search documents")
def list_documents(
    request: Request,
    site: str | None = Query(None, max_length=300),
    language: str | None = Query(None, max_length=20),
    genre: str | None = Query(None, max_length=40),
    date_from: str | None = Query(None, alias="from", pattern=DATE, description="published on or after"),
    date_to: str | None = Query(None, alias="to", pattern=DATE, description="published on or before"),
    actor: str | None = Query(None, max_length=300, description="actor key (QID or kind:name)"),
    q: str | None = Query(None, max_length=300, description="full-text search in title and text"),
    limit: int = LimitQ,
    cursor: str | None = CursorQ,
    gate: Gate = Depends(gate_of),
) -> Response:
    n = _limit(request, limit)
    f = queries.DocFilter(site=site, language=language, genre=genre, date_from=date_from, date_to=date_to,
                          actor=actor, q=(q or "").strip() or None)
    with gate() as store:
        return _page(queries.list_documents(store, f, n, cursor), n)


@router.get("/documents/{doc_id}", dependencies=reads, summary="one document with all its layers (lagebild/1)",
            response_class=Response,
            responses={200: {"description": "the contract JSON (schema lagebild/1)",
                             "content": {"application/json": {"schema": {"type": "object"}}}}})
def get_document(doc_id: str = Path(..., max_length=64), gate: Gate = Depends(gate_of)) -> Response:
    with gate() as store:
        rows = store.query("SELECT json FROM documents WHERE id = ?", [doc_id])
        raw = rows[0]["json"] if rows else None
        if raw is None and HEX_PREFIX.fullmatch(doc_id):   # a unique id prefix
            doc = store.document(doc_id)
            raw = json.dumps(doc, ensure_ascii=False) if doc is not None else None
    if raw is None:
        raise ApiError(404, "not_found", f"no document with id {doc_id!r}")
    return Response(raw, media_type="application/json")   # stored contract JSON, sent as it is


@router.post("/documents", dependencies=[Depends(require_write)], response_model=IngestResponse,
             status_code=201, summary="analyse and store an HTML page, a text dump or a URL",
             responses={200: {"model": IngestResponse, "description": "already stored (duplicate)"}})
def post_document(body: IngestRequest, request: Request, response: Response,
                  gate: Gate = Depends(gate_of)) -> IngestResponse:
    added, out = request.app.state.ingestor.ingest(body, gate)
    if not added:
        response.status_code = 200
    return out


@router.get("/actors", dependencies=reads, response_model=ListPage, summary="actors by number of occurrences")
def list_actors(
    request: Request,
    q: str | None = Query(None, max_length=300, description="part of the name or key"),
    kind: str | None = Query(None, max_length=40),
    country: str | None = Query(None, max_length=3),
    limit: int = LimitQ,
    cursor: str | None = CursorQ,
    gate: Gate = Depends(gate_of),
) -> Response:
    n = _limit(request, limit)
    with gate() as store:
        return _page(queries.list_actors(store, q, kind, country, n, cursor), n)


KeyP = Path(..., max_length=300, description="actor key: a Wikidata QID, or kind:name for actors without one")


@router.get("/actors/{key}/quotes", dependencies=reads, response_model=ListPage, summary="what an actor said")
def actor_quotes(request: Request, key: str = KeyP, limit: int = LimitQ, cursor: str | None = CursorQ,
                 gate: Gate = Depends(gate_of)) -> Response:
    n = _limit(request, limit)
    with gate() as store:
        return _page(queries.actor_quotes(store, key, n, cursor), n)


@router.get("/actors/{key}/events", dependencies=reads, response_model=ListPage,
            summary="events an actor took part in")
def actor_events(request: Request, key: str = KeyP, limit: int = LimitQ, cursor: str | None = CursorQ,
                 gate: Gate = Depends(gate_of)) -> Response:
    n = _limit(request, limit)
    with gate() as store:
        return _page(queries.actor_events(store, key, n, cursor), n)


@router.get("/actors/{key}/relations", dependencies=reads, summary="an actor's partners and adversaries")
def actor_relations(request: Request, key: str = KeyP, date_from: str | None = Query(None, alias="from", pattern=DATE),
                    date_to: str | None = Query(None, alias="to", pattern=DATE), limit: int = LimitQ,
                    gate: Gate = Depends(gate_of)) -> dict[str, Any]:
    n = _limit(request, limit)
    with gate() as store:
        return {"ok": True, **relations.partners(store, key, date_from, date_to, n)}


@router.get("/actors/{key}", dependencies=reads, summary="one actor: identity, counts, counts per month")
def get_actor(key: str = KeyP, gate: Gate = Depends(gate_of)) -> dict[str, Any]:
    with gate() as store:
        found = queries.actor(store, key)
    if found is None:
        raise ApiError(404, "not_found", f"no actor with key {key!r}")
    return {"ok": True, **found}


@router.get("/graph", dependencies=reads, summary="the actor network for a date range")
def get_graph(
    date_from: str | None = Query(None, alias="from", pattern=DATE),
    date_to: str | None = Query(None, alias="to", pattern=DATE),
    group: Literal["actor", "country"] = Query("actor", description="nodes are actors, or their countries"),
    min_weight: float = Query(0.0, ge=0.0, le=1e9),
    max_nodes: int = Query(150, ge=1, le=1000),
    gate: Gate = Depends(gate_of),
) -> dict[str, Any]:
    with gate() as store:
        return {"ok": True, **relations.graph(store, date_from, date_to, group, min_weight, max_nodes)}
