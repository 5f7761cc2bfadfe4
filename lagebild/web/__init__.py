"""Server-rendered web pages (Jinja2) with small scripts of our own: document, actor, network, search."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from lagebild.web.render import actor_href, safe_href

HERE = Path(__file__).resolve().parent


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.autoescape = True
    t.env.filters["safe_href"] = safe_href
    t.env.filters["actor_href"] = actor_href
    return t


def mount(app: FastAPI) -> None:
    """Add the web pages and their static files to the app."""
    from lagebild.web.pages import login_router, router

    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(login_router)
    app.include_router(router)
