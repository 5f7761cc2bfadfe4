"""``lagebild serve``: the REST API and web interface over one store, with uvicorn."""

from __future__ import annotations

from typing import Optional

import typer

from lagebild.cli.common import DB_HELP, err_console, exit_error, settings_for
from lagebild.errors import LagebildError


def serve(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (0.0.0.0 for the whole network)"),
    port: int = typer.Option(8000, "--port", help="TCP port"),
    token: Optional[str] = typer.Option(None, "--token", envvar="LAGEBILD_API_TOKEN",
                                        help="bearer token for writes (POST /api/documents); unset = read-only"),
    private_reads: bool = typer.Option(False, "--private-reads", help="require the token for reads too"),
    workers: int = typer.Option(1, "--workers", help="uvicorn worker processes (PostgreSQL only for >1)"),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level"),
) -> None:
    """Serve the REST API (/api, OpenAPI at /openapi.json) and the web pages (/search, /network)."""
    try:
        import uvicorn

        from lagebild.api import create_app
    except ImportError as exc:
        exit_error(f"the server needs the 'server' extra: pip install 'lagebild[server]' ({exc.name} missing)")
    settings = settings_for(db, api_token=token, api_public_reads=False if private_reads else None)
    if workers > 1 and not settings.db.startswith(("postgresql://", "postgres://")):
        exit_error("--workers > 1 needs a PostgreSQL store (a DuckDB file has one writer)")
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.api_token:
        err_console.print("[yellow]note:[/] listening beyond localhost without --token: the API is read-only")
    try:
        app = create_app(settings)
    except LagebildError as exc:
        exit_error(str(exc))
    err_console.print(f"lagebild serving {settings.db} on http://{host}:{port}/ "
                      f"(writes {'enabled' if settings.api_token else 'disabled'}, "
                      f"reads {'public' if settings.api_public_reads else 'need the token'})", highlight=False)
    if workers > 1:
        import os

        os.environ["LAGEBILD_DB"] = settings.db
        if settings.api_token:
            os.environ["LAGEBILD_API_TOKEN"] = settings.api_token
        os.environ["LAGEBILD_API_PUBLIC_READS"] = "1" if settings.api_public_reads else "0"
        app.state.gate.store.close()
        uvicorn.run("lagebild.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level=log_level)
        return
    uvicorn.run(app, host=host, port=port, log_level=log_level)


def register(app: typer.Typer) -> None:
    app.command()(serve)
