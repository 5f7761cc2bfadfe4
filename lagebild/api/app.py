"""The one ASGI app: JSON API under ``/api``, web pages at ``/``, OpenAPI at ``/openapi.json``."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI

from lagebild.api import errors
from lagebild.api.deps import Gate, GuardMiddleware
from lagebild.api.ingest import Ingestor
from lagebild.settings import Settings
from lagebild.store import open_store
from lagebild.store.base import Store

DESCRIPTION = """Read the Lagebild: documents with their actors, quotes, events and framing; actors with
what they said and whom they met; the network of cooperation and conflict over time.

Reads are public unless the operator turned `api_public_reads` off; writes (`POST /api/documents`)
need `Authorization: Bearer <api_token>`. Every error has the shape
`{"ok": false, "error": {"code", "message", "status"}}`."""


def create_app(settings: Settings | None = None, store: Store | None = None, stages: str = "default") -> FastAPI:
    """Build the app. The store is opened from ``settings.db`` unless one is given (then the caller owns it)."""
    settings = settings or Settings.from_env()
    owns_store = store is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_store:
            app.state.gate.store.close()

    app = FastAPI(title="lagebild", version="1", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)   # the Swagger UI needs a CDN and inline scripts
    app.state.settings = settings
    app.state.gate = Gate(store if store is not None else open_store(settings.db))
    app.state.ingestor = Ingestor(settings, stages)
    errors.install(app)

    from lagebild.api.routes import router

    app.include_router(router)
    from lagebild.web import mount

    mount(app)
    app.add_middleware(GuardMiddleware)
    return app
