"""REST API and web interface over a store: ``create_app(settings) -> FastAPI``."""

from __future__ import annotations

from lagebild.api.app import create_app

__all__ = ["create_app"]
