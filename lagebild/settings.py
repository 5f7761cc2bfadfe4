"""All settings in one place (the datasette idea): one table, one dataclass, documented.

Every setting can be given on the command line (``--setting name value``) or through the
environment as ``LAGEBILD_<NAME>``. ``lagebild settings`` prints this table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

#: name -> help text; the README's settings table is generated from this.
SETTINGS_HELP: dict[str, str] = {
    "db": "database: a DuckDB file path (default ./lagebild.duckdb) or a postgresql:// URL",
    "max_page_bytes": "largest input page accepted, in bytes; bigger pages get error E108",
    "max_html_depth": "deepest element nesting parsed; deeper pages are flattened before extraction",
    "fetch_timeout": "seconds before a URL fetch gives up",
    "fetch_max_bytes": "largest response body fetched from a URL, in bytes",
    "fetch_max_redirects": "redirects followed for a URL",
    "allow_private": "allow fetching private, loopback and link-local addresses",
    "batch_size": "documents written to the store per transaction during ingest",
    "workers": "worker processes for ingest (0 = all cores)",
    "pool_min_pages": "inputs with fewer pages than this are ingested in one process (a pool takes seconds to start)",
    "reference_date": "ISO date used to resolve roles when a document has no published date",
    "api_token": "bearer token required by write endpoints of the API (unset = writes disabled)",
    "api_public_reads": "serve read endpoints without a token",
    "api_max_page_size": "largest page size of list endpoints",
}


def _env(name: str) -> str | None:
    return os.environ.get(f"LAGEBILD_{name.upper()}")


@dataclass(frozen=True)
class Settings:
    db: str = "lagebild.duckdb"
    max_page_bytes: int = 30_000_000
    max_html_depth: int = 1_000
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 10 * 1024 * 1024
    fetch_max_redirects: int = 5
    allow_private: bool = False
    batch_size: int = 200
    workers: int = 0
    pool_min_pages: int = 48
    reference_date: str | None = None
    api_token: str | None = None
    api_public_reads: bool = True
    api_max_page_size: int = 200

    @classmethod
    def from_env(cls, **overrides: Any) -> "Settings":
        """Defaults, then ``LAGEBILD_*`` environment variables, then explicit overrides."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = _env(f.name)
            if raw is not None:
                values[f.name] = _coerce(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def table(self) -> list[tuple[str, Any, str]]:
        return [(name, getattr(self, name), SETTINGS_HELP[name]) for name in SETTINGS_HELP]


def _coerce(name: str, raw: str) -> Any:
    default = getattr(Settings, name, None)
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
