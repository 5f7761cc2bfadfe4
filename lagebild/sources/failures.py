"""Error pages: one coded, one-line message per failed input or record."""

from __future__ import annotations

from lagebild.document import Source
from lagebild.errors import DocError
from lagebild.page import Page
from lagebild.sources.stats import SourceStats

_MAX_MESSAGE = 500


def error_page(source: Source, exc: BaseException) -> Page:
    """A page that only carries ``exc`` as a ``read`` error; the message is squeezed onto one line."""
    err = DocError.from_exception("read", exc)
    message = " ".join(err.message.split())
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 1] + "…"
    return Page.failed(source, DocError(err.stage, err.code, message))


def failed(uri: str, fmt: str, exc: BaseException, stats: SourceStats, record: str | None = None) -> Page:
    """An error page for a whole input (or one record of it), counted in ``stats``."""
    stats.errors += 1
    return error_page(Source(uri, fmt, record), exc)
