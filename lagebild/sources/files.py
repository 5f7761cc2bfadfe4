"""Files, directories and byte streams to pages: size checks, decompression, sniffing, dispatch."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from lagebild.document import Meta, Source
from lagebild.errors import Code, LagebildError
from lagebild.extract.encoding import charset_from_hint, decode_bytes
from lagebild.page import Page
from lagebild.settings import Settings
from lagebild.sources.detect import sniff
from lagebild.sources.jsonl import jsonl_pages
from lagebild.sources.failures import failed
from lagebild.sources.stats import SourceStats
from lagebild.sources.stream import open_stream, read_capped
from lagebild.sources.warc import warc_pages


@dataclass(slots=True)
class Origin:
    """Where a stream came from and what its transport said about it."""

    uri: str
    size: int | None = None            # raw size when known (regular files)
    content_type: str | None = None    # HTTP Content-Type, when fetched
    headers: dict[str, str] = field(default_factory=dict)
    fetched: str | None = None
    url: str | None = None


def walk(directory: Path) -> Iterator[tuple[Path, bool]]:
    """Files under ``directory`` as ``(path, True)``, recursively, in path order (``a.txt``, ``b/c/x``,
    ``b/m``, ``z``); a directory that cannot be listed comes as ``(directory, False)`` (no stat per file).

    Hidden files and directories are skipped; symlinked directories are not followed (no loops).
    """
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        yield directory, False   # a directory that cannot be listed: path_pages reports it
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and entry.is_dir():   # no symlinked directories: no loops, no escapes
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk(Path(entry.path))
        else:
            yield Path(entry.path), True


def path_pages(path: Path, fmt: str, settings: Settings, stats: SourceStats) -> Iterator[Page]:
    """Pages of one file or directory given on the command line."""
    uri = str(path)
    if not path.exists() and not path.is_symlink():
        yield failed(uri, _fmt(fmt, uri), LagebildError(Code.E101, path=uri), stats)
        return
    if path.is_dir():
        found = False
        for child, listed in walk(path):
            found = True
            if not listed:
                yield failed(str(child), _fmt(fmt, str(child)),
                             LagebildError(Code.E111, path=str(child), detail="directory cannot be listed"), stats)
                continue
            yield from file_pages(child, fmt, settings, stats)
        if not found:
            yield failed(uri, _fmt(fmt, uri), LagebildError(Code.E102, detail=f"directory {uri} has no files"), stats)
        return
    yield from file_pages(path, fmt, settings, stats)


def file_pages(path: Path, fmt: str, settings: Settings, stats: SourceStats) -> Iterator[Page]:
    uri = str(path)
    stats.inputs += 1
    try:
        st = path.stat()
        handle = path.open("rb")
    except FileNotFoundError:
        yield failed(uri, _fmt(fmt, uri), LagebildError(Code.E101, path=uri), stats)
        return
    except OSError as exc:
        yield failed(uri, _fmt(fmt, uri), LagebildError(Code.E111, path=uri, detail=exc.strerror or str(exc)), stats)
        return
    size = st.st_size if stat.S_ISREG(st.st_mode) else None   # FIFOs and devices have no size
    with handle:
        try:
            yield from stream_pages(handle, Origin(uri, size=size), fmt, settings, stats)
        except Exception as exc:  # noqa: BLE001 - a bug on one file must not end a directory
            yield failed(uri, _fmt(fmt, uri), LagebildError(Code.E111, path=uri, detail=f"{type(exc).__name__}: {exc}"),
                         stats)


def stream_pages(raw: BinaryIO, origin: Origin, fmt: str, settings: Settings,
                 stats: SourceStats) -> Iterator[Page]:
    """Pages of one byte stream: decompress, sniff (unless ``fmt`` forces a format), dispatch."""
    uri = origin.uri
    try:
        opened = open_stream(raw)
        kind = sniff(opened.head, opened.complete, fmt, uri)
        if kind == "text" and fmt == "auto" and _declares_html(origin.content_type):
            kind = "html"
    except LagebildError as exc:
        yield failed(uri, _fmt(fmt, uri), exc, stats)
        return
    stats.saw(kind)
    if kind == "warc":
        yield from warc_pages(opened.stream, uri, settings, stats)
        return
    if kind == "jsonl":
        yield from jsonl_pages(opened.stream, uri, settings, stats)
        return
    try:
        if opened.compression is None and origin.size is not None and origin.size > settings.max_page_bytes:
            raise LagebildError(Code.E108, size=origin.size, limit=settings.max_page_bytes)
        data = read_capped(opened, settings.max_page_bytes)
    except LagebildError as exc:
        yield failed(uri, kind, exc, stats)
        return
    page = Page(source=Source(uri, kind), kind=kind, data=data, meta=Meta(url=origin.url),
                content_type=origin.content_type, headers=origin.headers, fetched=origin.fetched)
    if kind == "text" and charset_from_hint(origin.content_type):
        # a text dump is decoded without hints downstream: use the HTTP charset while we have it
        try:
            page.text = decode_bytes(data, origin.content_type)
        except LagebildError as exc:
            yield failed(uri, kind, exc, stats)
            return
    stats.pages += 1
    yield page


def _declares_html(content_type: str | None) -> bool:
    return bool(content_type) and content_type.split(";", 1)[0].strip().lower() in (
        "text/html", "application/xhtml+xml")


def _fmt(fmt: str, uri: str = "") -> str:
    """The format to name in an error page's source when nothing was detected: a guess from the name.

    The contract's ``source.format`` is one of text, html, warc, jsonl, so even a page that could not
    be read names one of those.
    """
    if fmt != "auto":
        return fmt
    return guess_format(uri)


def guess_format(uri: str) -> str:
    name = uri.lower()
    for suffix in (".gz", ".bz2", ".xz"):
        name = name.removesuffix(suffix)
    if name.endswith((".warc", ".arc")):
        return "warc"
    if name.endswith((".jsonl", ".json", ".ndjson")):
        return "jsonl"
    if name.endswith((".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")) or "://" in name:
        return "html"
    return "text"
