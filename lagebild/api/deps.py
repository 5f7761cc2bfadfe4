"""What every route needs: the store (serialised when the backend is single-threaded), tokens, headers."""

from __future__ import annotations

import hmac
import json
import threading
from contextlib import contextmanager
from typing import Iterator

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from lagebild.api.errors import ApiError, error_body
from lagebild.settings import Settings
from lagebild.store.base import Store

TOKEN_COOKIE = "lagebild_token"
bearer = HTTPBearer(auto_error=False, description="the operator's API token (settings.api_token)")

#: Security headers on every response. No inline scripts or styles: pages are hostile input.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class Gate:
    """Hands out the store; DuckDB connections are not thread-safe, so their use is serialised."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = None if getattr(store, "thread_safe", False) else threading.RLock()

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        if self._lock is None:
            yield self.store
            return
        with self._lock:
            yield self.store


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def gate_of(request: Request) -> Gate:
    return request.app.state.gate


def token_ok(settings: Settings, given: str | None) -> bool:
    expected = settings.api_token
    return bool(expected) and given is not None and hmac.compare_digest(given.encode(), expected.encode())


def require_read(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """Reads are public unless ``api_public_reads`` is off; then the token (header or cookie) is needed."""
    settings = settings_of(request)
    if settings.api_public_reads:
        return
    given = creds.credentials if creds else request.cookies.get(TOKEN_COOKIE)
    if not token_ok(settings, given):
        raise ApiError(401, "unauthorized", "this server needs a bearer token for reads")


def require_write(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """Writes need the operator's token; with no token configured, writing is disabled."""
    settings = settings_of(request)
    if not settings.api_token:
        raise ApiError(403, "writes_disabled", "this server has no API token configured, so writes are disabled")
    if creds is None:
        raise ApiError(401, "unauthorized", "a bearer token is required to write")
    if not token_ok(settings, creds.credentials):
        raise ApiError(401, "unauthorized", "the bearer token is not valid")


class GuardMiddleware:
    """Pure ASGI: security headers on every response; NUL bytes in a path or query are refused early
    (PostgreSQL cannot store them and they are never meaningful in a URL)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        qs: bytes = scope.get("query_string", b"")
        if "\x00" in scope.get("path", "") or b"%00" in qs or b"\x00" in qs:
            await _send_json(send, 400, _NUL_BODY)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(SECURITY_HEADERS)]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


_NUL_BODY = json.dumps(error_body(400, "bad_request", "NUL bytes are not allowed in a URL"),
                       separators=(",", ":")).encode()


async def _send_json(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})
