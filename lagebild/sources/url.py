"""Fetch ``http(s)://`` inputs safely: timeouts, a body cap, checked redirects, no private addresses.

Redirects are followed by hand so every hop passes the same checks. Unless ``allow_private`` is
set, the host of every hop is resolved, every resolved address must be global (not private,
loopback, link-local, reserved, multicast, CGNAT, ...), and the connection is pinned to the
address that was checked (SNI and Host stay the name), so DNS cannot answer differently between
the check and the connect. Environment proxies are ignored for the same reason.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from lagebild.errors import Code, LagebildError
from lagebild.settings import Settings

_REDIRECTS = (301, 302, 303, 307, 308)
_USER_AGENT = "lagebild/0.1 (+https://github.com/lagebild)"


@dataclass(slots=True)
class Fetched:
    url: str            # the final URL after redirects
    status: int
    body: bytes
    content_type: str | None
    headers: dict[str, str] = field(default_factory=dict)
    fetched: str = ""


def is_url(value: str) -> bool:
    """True for anything with a scheme (``http://``, ``file://``, ``ftp://``...): URLs, not paths."""
    scheme, sep, _ = value.partition("://")
    return bool(sep) and scheme.isascii() and scheme[:1].isalpha() and \
        all(c.isalnum() or c in "+.-" for c in scheme)


def forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for every address that is not globally routable unicast."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (IP literals resolve to themselves)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise LagebildError(Code.E603, url=host, detail=f"cannot resolve host ({exc})") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_target(url: str, settings: Settings) -> tuple[str, int, str | None]:
    """Validate one hop: scheme, host and (unless allowed) its addresses. Returns (host, port, pinned ip)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise LagebildError(Code.E601, url=url)
    host = parts.hostname
    if not host:
        raise LagebildError(Code.E603, url=url, detail="no host in URL")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise LagebildError(Code.E603, url=url, detail="invalid port") from None
    if settings.allow_private:
        return host, port, None
    addresses = resolve(host, port)
    if not addresses:
        raise LagebildError(Code.E603, url=url, detail="host resolves to no address")
    for addr in addresses:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
        if forbidden(ip):
            raise LagebildError(Code.E602, host=host, ip=str(ip))
    return host, port, addresses[0]


def fetch(url: str, settings: Settings) -> Fetched:
    """GET ``url`` with every safety check; raises LagebildError (E601-E605) on failure."""
    import httpx

    timeout = httpx.Timeout(settings.fetch_timeout)
    deadline = time.monotonic() + 3 * settings.fetch_timeout   # a slow drip cannot hold us forever
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                      headers={"User-Agent": _USER_AGENT, "Accept": "text/html,*/*;q=0.8"}) as client:
        current = url
        for _hop in range(settings.fetch_max_redirects + 1):
            host, port, pinned = check_target(current, settings)
            try:
                result = _get(client, current, host, port, pinned, settings, deadline)
            except httpx.TimeoutException:
                raise LagebildError(Code.E603, url=current,
                                    detail=f"timed out (limit {settings.fetch_timeout:g} s)") from None
            except httpx.HTTPError as exc:
                raise LagebildError(Code.E603, url=current, detail=f"{type(exc).__name__}: {exc}") from None
            if isinstance(result, str):
                current = result
                continue
            return result
        raise LagebildError(Code.E605, url=url)


def _get(client, url: str, host: str, port: int, pinned: str | None, settings: Settings,
         deadline: float) -> "Fetched | str":
    """One request. Returns the next URL for a redirect, else the fetched body."""
    request_url, headers, extensions = url, {}, {}
    if pinned is not None:
        parts = urlsplit(url)
        literal = f"[{pinned}]" if ":" in pinned else pinned
        default_port = 443 if parts.scheme.lower() == "https" else 80
        netloc = literal if port == default_port else f"{literal}:{port}"
        request_url = parts._replace(netloc=netloc).geturl()
        headers["Host"] = host if port == default_port else f"{host}:{port}"
        if parts.scheme.lower() == "https":
            extensions["sni_hostname"] = host
    request = client.build_request("GET", request_url, headers=headers, extensions=extensions)
    response = client.send(request, stream=True)
    try:
        if response.status_code in _REDIRECTS and response.headers.get("location"):
            return urljoin(url, response.headers["location"])
        if response.status_code >= 400:
            raise LagebildError(Code.E603, url=url, detail=f"HTTP {response.status_code} {response.reason_phrase}")
        limit = settings.fetch_max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise LagebildError(Code.E604, url=url, limit=limit)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():   # decoded bytes: a gzip bomb is capped too
            size += len(chunk)
            if size > limit:
                raise LagebildError(Code.E604, url=url, limit=limit)
            if time.monotonic() > deadline:
                raise LagebildError(Code.E603, url=url, detail="download too slow (overall time limit)")
            chunks.append(chunk)
        return Fetched(url=url, status=response.status_code, body=b"".join(chunks),
                       content_type=response.headers.get("content-type"),
                       headers=dict(response.headers.items()),
                       fetched=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    finally:
        response.close()
