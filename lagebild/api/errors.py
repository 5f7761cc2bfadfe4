"""One error shape for every failure the server reports.

``{"ok": false, "error": {"code": "not_found", "message": "...", "status": 404}}`` — for unknown
paths, bad parameters (422, with ``details``), missing tokens, database trouble and crashes alike.
Browsers asking for a web page get the same information as a small HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from lagebild.api.queries import BadCursor
from lagebild.errors import LagebildError

log = logging.getLogger("lagebild.api")

STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type",
                422: "invalid_request", 429: "too_many_requests", 500: "internal_error", 503: "unavailable"}


class ErrorInfo(BaseModel):
    code: str
    message: str
    status: int
    details: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """The body of every error response."""

    ok: bool = False
    error: ErrorInfo


#: OpenAPI ``responses`` entries shared by every route
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorBody, "description": STATUS_CODES[s].replace("_", " ")} for s in (400, 401, 403, 404, 422, 500)
}


class ApiError(Exception):
    """Raised by routes: becomes the error shape with this status and code."""

    def __init__(self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def error_body(status: int, code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        err["details"] = details
    return {"ok": False, "error": err}


def wants_html(request: Request) -> bool:
    """Web pages (not the JSON API) asked for by a browser get an HTML error page."""
    path = request.url.path
    if path.startswith("/api") or path.startswith("/openapi") or path.startswith("/static"):
        return False
    return "text/html" in request.headers.get("accept", "")


def respond(request: Request, status: int, code: str, message: str,
            details: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None):
    if wants_html(request):
        templates = getattr(request.app.state, "templates", None)
        if templates is not None:
            return templates.TemplateResponse(request, "error.html", {"status": status, "code": code,
                                                                      "message": message},
                                              status_code=status, headers=headers)
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status, headers=headers)
    return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for e in exc.errors()[:20]:
        out.append({"loc": [str(x) for x in e.get("loc", ())], "message": str(e.get("msg", "")),
                    "type": str(e.get("type", ""))})
    return out


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the one error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return respond(request, exc.status, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = STATUS_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        return respond(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        details = _validation_details(exc)
        first = details[0] if details else {"loc": [], "message": "invalid request"}
        message = f"{'.'.join(first['loc'])}: {first['message']}" if first["loc"] else first["message"]
        return respond(request, 422, "invalid_request", message, details)

    @app.exception_handler(BadCursor)
    async def _bad_cursor(request: Request, exc: BadCursor):
        return respond(request, 400, "invalid_cursor", "the cursor is not one this API returned")

    @app.exception_handler(LagebildError)
    async def _lagebild(request: Request, exc: LagebildError):
        name = exc.code.name
        if name == "E502":
            return respond(request, 404, "not_found", exc.message)
        if name.startswith("E5"):
            log.error("store error on %s: %s", request.url.path, exc)
            return respond(request, 500, "database_error", "the database failed to answer this request")
        return respond(request, 422, name, exc.message)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return respond(request, 500, "internal_error", "internal server error")
