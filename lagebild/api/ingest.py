"""``POST /api/documents``: analyse HTML, a text dump or a URL with the default pipeline and store it.

The pipeline is built once per app (loading the knowledge base is the slow part) and run under a
lock, because stage objects are not promised to be thread-safe. URLs are fetched by
:mod:`lagebild.sources` (scheme, private-address, size and redirect checks live there).
"""

from __future__ import annotations

import hashlib
import threading
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lagebild.api.errors import ApiError
from lagebild.app import Lagebild, content_hash
from lagebild.document import Document, Failure, Meta, Source
from lagebild.page import Page
from lagebild.settings import Settings
from lagebild.sources import iter_pages
from lagebild.store.base import Seen
from lagebild.api.deps import Gate

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MAX_CHARS = 5_000_000


def _clean(s: str | None) -> str | None:
    """No NUL bytes (PostgreSQL refuses them) and no lone surrogates (not UTF-8)."""
    if s is None:
        return None
    return s.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


class IngestRequest(BaseModel):
    """Exactly one of ``html``, ``text`` or ``url``; metadata given here wins over what extraction finds."""

    model_config = ConfigDict(extra="forbid")

    html: str | None = Field(None, max_length=MAX_CHARS, description="an HTML page")
    text: str | None = Field(None, max_length=MAX_CHARS, description="a flattened page (text dump)")
    url: str | None = Field(None, max_length=2048, pattern=r"^https?://", description="an http(s) URL to fetch")
    uri: str | None = Field(None, max_length=2048, description="where the page came from (defaults to the URL)")
    title: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, pattern=DATE, description="ISO date, possibly partial")
    site: str | None = Field(None, max_length=300)

    @field_validator("html", "text", "url", "uri", "title", "site", mode="after")
    @classmethod
    def _no_nul(cls, v: str | None) -> str | None:
        return _clean(v)

    @model_validator(mode="after")
    def _one_input(self) -> "IngestRequest":
        given = [k for k in ("html", "text", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of html, text or url")
        return self


class IngestResponse(BaseModel):
    ok: bool = True
    id: str
    status: str = Field(description="added or duplicate")
    api: str
    web: str
    stages: list[str]
    errors: list[dict[str, str]]


class Ingestor:
    """One per app: the application object (its pipeline is built on first use) and the lock around it."""

    def __init__(self, settings: Settings, stages: str = "default") -> None:
        self.settings = settings
        self.app = Lagebild(settings, stages)
        self._lock = threading.Lock()

    def page(self, req: IngestRequest) -> Page:
        meta = Meta(title=req.title, published=req.published, site=req.site, url=req.url)
        if req.url is not None:
            return self._fetch(req, meta)
        raw = req.html if req.html is not None else req.text
        assert raw is not None
        kind = "html" if req.html is not None else "text"
        digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]
        uri = req.uri or f"api:{digest}"
        if kind == "html":
            return Page(Source(uri, "html"), "html", data=raw.encode("utf-8"), meta=meta,
                        content_type="text/html; charset=utf-8")
        return Page(Source(uri, "text"), "text", text=raw, meta=meta)

    def _fetch(self, req: IngestRequest, meta: Meta) -> Page:
        pages = list(iter_pages([req.url], fmt="auto", settings=self.settings))
        if not pages:
            raise ApiError(422, "E603", f"nothing fetched from {req.url}")
        page = pages[0]
        if page.error is not None:
            raise ApiError(422, page.error.code, page.error.message)
        for k in ("title", "published", "site"):
            if getattr(meta, k):
                setattr(page.meta, k, getattr(meta, k))
        if req.uri:
            page.source.uri = req.uri
        return page

    def ingest(self, req: IngestRequest, gate: Gate) -> tuple[bool, IngestResponse]:
        """Analyse and store; returns (added, response). A page that yields no document is a 422."""
        page = self.page(req)
        with self._lock:
            result = self.app.pipeline.run(page)
        mark = Seen(page.source.uri, page.source.record or "", content_hash(page))
        with gate() as store:
            stats = store.write([result], [mark])
        if isinstance(result, Failure):
            first = result.errors[0] if result.errors else None
            raise ApiError(422, first.code if first else "E201", first.message if first else "no document")
        assert isinstance(result, Document)
        return stats.added > 0, IngestResponse(
            id=result.id, status="added" if stats.added else "duplicate",
            api=f"/api/documents/{result.id}", web=f"/doc/{result.id}", stages=list(result.done),
            errors=[e.to_dict() for e in result.errors])
