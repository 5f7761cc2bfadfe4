"""JSON Lines input: records ``{"id", "text" | "html", "url", "published", "title"}``.

``text`` is trusted clean article text (no boilerplate removal); ``html`` goes through extraction.
A malformed line or a record without either gives an error page for that line, and reading goes on.
Lines are read with a cap, so one enormous line cannot exhaust memory.
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO, Iterator

from lagebild.document import Meta, Source
from lagebild.errors import Code, LagebildError
from lagebild.page import Page
from lagebild.settings import Settings
from lagebild.sources.failures import failed
from lagebild.sources.stats import SourceStats
from lagebild.sources.stream import DECOMPRESS_ERRORS, decompress_reason

_META_FIELDS = ("title", "published", "url", "site", "author", "section")


def jsonl_pages(stream: BinaryIO, uri: str, settings: Settings, stats: SourceStats) -> Iterator[Page]:
    """One page per non-blank line of ``stream``, in order; errors become error pages.

    A JSON array of records, or pretty-printed objects (first line just ``{``), is read as one
    document instead, capped at ``max_page_bytes``.
    """
    if _is_document(stream):
        yield from _document_pages(stream, uri, settings, stats)
        return
    limit = settings.max_page_bytes
    number = 0
    try:
        while True:
            line = stream.readline(limit + 1)
            if not line:
                return
            number += 1
            if len(line) > limit and not line.endswith(b"\n"):
                size = len(line) + _skip_line(stream)
                yield _failed(uri, str(number), LagebildError(Code.E108, size=size, limit=limit), stats)
                continue
            if not line.strip():
                continue
            yield _record_page(line, number, uri, stats)
    except DECOMPRESS_ERRORS as exc:
        err = LagebildError(Code.E104, detail=f"after line {number}: {decompress_reason(exc)}")
        yield _failed(uri, f"after line {number}", err, stats)


def _is_document(stream: BinaryIO) -> bool:
    peek = getattr(stream, "peek", None)
    if peek is None:
        return False
    head = peek(65536)[:65536].lstrip()
    return head.startswith(b"[") or head.split(b"\n", 1)[0].strip() == b"{"


def _document_pages(stream: BinaryIO, uri: str, settings: Settings, stats: SourceStats) -> Iterator[Page]:
    """Records of a JSON array or of concatenated (pretty-printed) JSON objects."""
    limit = settings.max_page_bytes
    try:
        data = stream.read(limit + 1)
    except DECOMPRESS_ERRORS as exc:
        yield _failed(uri, "1", LagebildError(Code.E104, detail=decompress_reason(exc)), stats)
        return
    if len(data) > limit:
        yield _failed(uri, "1", LagebildError(Code.E108, size=f"more than {limit}", limit=limit), stats)
        return
    text = _decode_line(data)
    decoder = json.JSONDecoder()
    pos, number, line, counted = 0, 0, 1, 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        line += text.count("\n", counted, pos)   # incremental: linear in the document size
        counted = pos
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield _failed(uri, str(number + 1), LagebildError(Code.E106, line=exc.lineno, detail=exc.msg), stats)
            return
        for item in value if isinstance(value, list) else [value]:
            number += 1
            yield _value_page(item, number, line, uri, stats)


def _skip_line(stream: BinaryIO) -> int:
    skipped = 0
    while True:
        chunk = stream.readline(1 << 20)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _record_page(line: bytes, number: int, uri: str, stats: SourceStats) -> Page:
    try:
        record = json.loads(_decode_line(line))
    except ValueError as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return _failed(uri, str(number), LagebildError(Code.E106, line=number, detail=detail), stats)
    except LagebildError as exc:   # undecodable bytes in the line
        return _failed(uri, str(number), LagebildError(Code.E106, line=number, detail=exc.message), stats)
    return _value_page(record, number, number, uri, stats)


def _value_page(record: Any, number: int, line: int, uri: str, stats: SourceStats) -> Page:
    """A page for one decoded record; ``number`` is its position (the record key without an id)."""
    if not isinstance(record, dict):
        return _failed(uri, str(number), LagebildError(
            Code.E106, line=line, detail=f"a JSON {type(record).__name__}, not an object"), stats)
    rec_id = record.get("id")
    record_key = str(rec_id) if rec_id is not None and rec_id != "" else str(number)
    source = Source(uri, "jsonl", record_key)
    meta = Meta(**{f: _str_or_none(record.get(f)) for f in _META_FIELDS})
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        stats.pages += 1
        return Page(source=source, kind="clean", text=text, meta=meta)
    if isinstance(html, str) and html.strip():
        stats.pages += 1
        return Page(source=source, kind="html", data=html.encode("utf-8"), meta=meta,
                    content_type="text/html; charset=utf-8")
    return _failed(uri, record_key, LagebildError(Code.E107, line=line), stats)


def _decode_line(line: bytes) -> str:
    """JSON is UTF-8; a line from a legacy-encoded export is decoded rather than rejected."""
    try:
        return line.decode("utf-8-sig")
    except UnicodeDecodeError:
        from lagebild.extract.encoding import decode_bytes

        return decode_bytes(line)


def _str_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    value = str(value).strip()
    return value or None


def _failed(uri: str, record: str, exc: LagebildError, stats: SourceStats) -> Page:
    return failed(uri, "jsonl", exc, stats, record)
