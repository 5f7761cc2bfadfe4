"""Helpers every CLI module shares: consoles, JSON output, the one error shape, opening the store."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from rich.console import Console

from lagebild.errors import LagebildError
from lagebild.settings import Settings
from lagebild.store import Store, open_store

console = Console()
err_console = Console(stderr=True)

DB_HELP = "DuckDB file or postgresql:// URL (default: ./lagebild.duckdb or $LAGEBILD_DB)"


def print_json(obj: Any) -> None:
    """One compact JSON object per line on stdout (JSON Lines)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def exit_error(message: str, code: int = 2) -> NoReturn:
    """Print one clear line to stderr and exit (2 = usage or configuration error)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise SystemExit(code)


def settings_for(db: str | None = None, **overrides: Any) -> Settings:
    return Settings.from_env(db=db, **overrides)


def open_store_or_exit(db: str | None, read_only: bool = False) -> Store:
    settings = settings_for(db)
    try:
        return open_store(settings.db, read_only=read_only)
    except LagebildError as exc:
        exit_error(str(exc))
