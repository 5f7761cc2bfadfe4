"""Inputs to pages: files, directories, stdin and URLs, with the format detected from content.

``iter_pages`` is the one entry point. It yields pages in input order (directories recursively,
sorted) and never raises for bad input: an unreadable file, a truncated archive or a refused URL
becomes an error page (``Page.failed``) carrying a one-line coded message, and reading goes on.

Modules: ``stream`` (peek, decompress, capped reads), ``detect`` (sniffing), ``files`` (paths and
streams), ``warc``, ``jsonl``, ``url`` (safe fetching), ``guard`` (an opt-in flattener for absurdly deep HTML: the lxml-based
extractor protects itself, so pages are not rewritten here by default).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import BinaryIO, Iterator

from lagebild.errors import Code, ConfigError, LagebildError
from lagebild.page import Page
from lagebild.settings import Settings
from lagebild.sources.detect import FORMATS, sniff
from lagebild.sources.failures import failed
from lagebild.sources.files import Origin, guess_format, path_pages, stream_pages
from lagebild.sources.stats import SourceStats
from lagebild.sources.url import fetch, is_url

__all__ = ["iter_pages", "read_page_bytes", "SourceStats", "FORMATS", "sniff"]

STDIN_URI = "<stdin>"


def iter_pages(inputs: "list[str] | list[os.PathLike[str]]", fmt: str = "auto", settings: Settings | None = None,
               stdin: BinaryIO | None = None, stats: SourceStats | None = None) -> Iterator[Page]:
    """Turn CLI inputs (paths, directories, ``-``, URLs) into pages, in input order.

    ``fmt`` forces a format (``text``, ``html``, ``warc``, ``jsonl``) instead of sniffing; an
    unknown ``fmt`` is a usage error and raises ConfigError (E110) at once. ``stats``, when given,
    counts inputs, pages, errors and skipped WARC records.
    """
    if fmt not in FORMATS:
        raise ConfigError(Code.E110, fmt=fmt)
    return _iter(list(inputs), fmt, settings or Settings(), stdin, stats or SourceStats())


def _iter(inputs: list[str], fmt: str, settings: Settings, stdin: BinaryIO | None,
          stats: SourceStats) -> Iterator[Page]:
    for item in inputs:
        item = os.fspath(item) if isinstance(item, os.PathLike) else str(item)
        try:
            yield from _input_pages(item, fmt, settings, stdin, stats)
        except Exception as exc:  # noqa: BLE001 - a bug on one input must not end the batch
            err = exc if isinstance(exc, LagebildError) else LagebildError(
                Code.E111, path=item, detail=f"{type(exc).__name__}: {exc}")
            yield failed(item, fmt if fmt != "auto" else guess_format(item), err, stats)


def _input_pages(item: str, fmt: str, settings: Settings, stdin: BinaryIO | None,
                 stats: SourceStats) -> Iterator[Page]:
    if item == "-":
        stats.inputs += 1
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from stream_pages(stream, Origin(STDIN_URI), fmt, settings, stats)
        return
    if is_url(item):
        stats.inputs += 1
        try:
            got = fetch(item, settings)
        except LagebildError as exc:
            yield failed(item, fmt if fmt != "auto" else "html", exc, stats)
            return
        origin = Origin(item, content_type=got.content_type, headers=got.headers, fetched=got.fetched,
                        url=got.url)
        yield from stream_pages(io.BytesIO(got.body), origin, fmt, settings, stats)
        return
    yield from path_pages(Path(item), fmt, settings, stats)


def read_page_bytes(data: bytes, uri: str = "<bytes>", fmt: str = "auto",
                    settings: Settings | None = None, content_type: str | None = None) -> list[Page]:
    """Pages of an in-memory input (an upload, a test fixture), with the same detection as files."""
    if fmt not in FORMATS:
        raise ConfigError(Code.E110, fmt=fmt)
    return list(stream_pages(io.BytesIO(data), Origin(uri, size=len(data), content_type=content_type),
                             fmt, settings or Settings(), SourceStats()))
