"""WARC (and WARC.gz) input: one HTML page per response or resource record.

WET files (Common Crawl's extracted text: ``conversion`` records with ``text/plain``) give one text
page per record: flattened page text, one block per line, like any other text dump.

Record framing is checked here, record parsing (WARC and HTTP headers, chunked transfer and
content encodings) is fastwarc's. fastwarc on its own is lenient with damaged files: a record cut
in its header or block can come out as a short or empty record without any error. Reading the
frame ourselves (header lines, then exactly ``Content-Length`` bytes) makes a truncated archive
give every intact record and then one clear E105.
"""

from __future__ import annotations

import io
from typing import BinaryIO, Iterator

from lagebild.document import Meta, Source
from lagebild.errors import Code, LagebildError
from lagebild.page import Page
from lagebild.settings import Settings
from lagebild.sources.detect import binary_kind, head_text, looks_html
from lagebild.sources.failures import error_page, failed
from lagebild.sources.stats import SourceStats
from lagebild.sources.stream import DECOMPRESS_ERRORS, decompress_reason

_MAX_HEADER = 1 << 20
_OVERSIZE_HEAD = 1 << 16
_TEXT_TYPES = ("text/plain",)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml+xhtml")
_SNIFF_TYPES = ("", "text/plain", "application/octet-stream", "unknown/unknown", "text/xml", "application/xml")


def warc_pages(stream: BinaryIO, uri: str, settings: Settings, stats: SourceStats) -> Iterator[Page]:
    """HTML pages of the response/resource records in ``stream``, then E105 if the archive is damaged."""
    n = 0
    try:
        for header, block, skipped_size in _frames(stream, settings.max_page_bytes):
            n += 1
            page = _page(header, block, skipped_size, uri, n, settings, stats)
            if page is not None:
                yield page
    except LagebildError as exc:
        yield failed(uri, "warc", exc, stats, f"after record {n}")
    except DECOMPRESS_ERRORS as exc:
        err = LagebildError(Code.E105, detail=f"after record {n}: compressed stream broken "
                                              f"({decompress_reason(exc)})")
        yield failed(uri, "warc", err, stats, f"after record {n}")


def _frames(stream: BinaryIO, limit: int) -> Iterator[tuple[bytes, bytes, int]]:
    """Yield ``(header, block, skipped_size)`` per record; raise E105 where the framing breaks.

    A block larger than ``limit`` is read past in chunks (never held in memory): ``block`` is then
    only its first bytes (enough to see the HTTP headers) and ``skipped_size`` its length.
    """
    offset = 0
    index = 0
    while True:
        line = stream.readline(_MAX_HEADER)
        if not line:
            return
        offset += len(line)
        if not line.strip():
            continue
        index += 1
        if not line.startswith(b"WARC/"):
            raise LagebildError(Code.E105, detail=f"no WARC header where record {index} should start "
                                                  f"(byte {offset - len(line)})")
        lines = [line]
        size = len(line)
        while True:
            hl = stream.readline(_MAX_HEADER)
            if not hl:
                raise LagebildError(Code.E105, detail=f"record {index}: file ends inside the WARC header")
            lines.append(hl)
            size += len(hl)
            if hl in (b"\r\n", b"\n"):
                break
            if size > _MAX_HEADER:
                raise LagebildError(Code.E105, detail=f"record {index}: WARC header longer than 1 MB")
        offset += size - len(line)
        length = _content_length(lines)
        if length is None:
            raise LagebildError(Code.E105, detail=f"record {index}: no valid Content-Length")
        header = b"".join(lines)
        if length > limit:
            head = _read_exact(stream, min(length, _OVERSIZE_HEAD), index)
            _read_exact(stream, length - len(head), index, keep=False)
            offset += length
            yield header, head, length
            continue
        block = _read_exact(stream, length, index)
        offset += length
        yield header, block, 0


def _content_length(lines: list[bytes]) -> int | None:
    for hl in lines[1:]:
        name, _, value = hl.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                n = int(value.strip())
            except ValueError:
                return None
            return n if n >= 0 else None
    return None


def _read_exact(stream: BinaryIO, n: int, index: int, keep: bool = True) -> bytes:
    """The next ``n`` bytes of a record's block (E105 where the file ends first); with ``keep`` off
    they are only read past, a megabyte at a time, and nothing is returned."""
    parts: list[bytes] = []
    got = 0
    while got < n:
        chunk = stream.read(min(n - got, 1 << 20))
        if not chunk:
            raise LagebildError(Code.E105, detail=f"record {index}: block cut short ({got} of {n} bytes)")
        if keep:
            parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _page(header: bytes, block: bytes, skipped_size: int, uri: str, index: int, settings: Settings,
          stats: SourceStats) -> Page | None:
    """Parse one framed record with fastwarc; a Page for HTML (or WET text), an error Page, or None."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    wanted = WarcRecordType.response | WarcRecordType.resource | WarcRecordType.conversion
    if skipped_size:
        return _oversized(header, block, skipped_size, uri, index, settings, stats)
    for rec in ArchiveIterator(io.BytesIO(header + block + b"\r\n\r\n"), record_types=wanted,
                               parse_http=True, auto_decode="all"):
        return _record_page(rec, index, uri, stats)
    stats.skipped_records += 1   # request, metadata, warcinfo, revisit, ... records
    return None


def _oversized(header: bytes, head: bytes, size: int, uri: str, index: int, settings: Settings,
               stats: SourceStats) -> Page | None:
    """E108 for an HTML (or WET text) record above the page limit; other big records are skipped."""
    fields = _parse_fields(header.split(b"\r\n", 1)[-1] if b"\r\n" in header else header)
    rtype = fields.get("warc-type", "")
    ctype, body = fields.get("content-type", ""), head
    if rtype == "response":
        http_head, _, body = head.partition(b"\r\n\r\n")
        ctype = _parse_fields(http_head.split(b"\r\n", 1)[-1]).get("content-type", "")
    elif rtype not in ("resource", "conversion"):
        stats.skipped_records += 1
        return None
    if _kind_of(rtype, ctype, body) is None:
        stats.skipped_records += 1
        return None
    stats.errors += 1
    source = Source(uri, "warc", fields.get("warc-record-id") or f"record {index}")
    return error_page(source, LagebildError(Code.E108, size=size, limit=settings.max_page_bytes))


def _parse_fields(block: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in block.decode("latin-1").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            out.setdefault(name.strip().lower(), value.strip())
    return out


def _kind_of(rtype: str, ctype: str, body: bytes) -> str | None:
    """``html`` or ``text`` (WET conversion) for records that are pages, None for the rest."""
    if rtype == "conversion":
        mime = ctype.split(";", 1)[0].strip().lower()
        return "text" if mime in _TEXT_TYPES and binary_kind(body[:4096]) is None else None
    return "html" if _is_html(ctype, body) else None


def _record_page(rec, index: int, uri: str, stats: SourceStats) -> Page | None:
    from fastwarc.warc import WarcRecordType

    record_id = rec.headers.get("WARC-Record-ID") or f"record {index}"
    source = Source(uri, "warc", record_id)
    headers: dict[str, str] = {}
    status = 200
    if rec.record_type == WarcRecordType.response:
        if not rec.is_http or rec.http_headers is None:
            stats.skipped_records += 1
            return None
        status = rec.http_headers.status_code or 0
        headers = {k: v for k, v in rec.http_headers.items()}
        ctype = _header(headers, "content-type")
    else:
        ctype = rec.headers.get("Content-Type") or ""
    if not 200 <= status < 300:
        stats.skipped_records += 1
        return None
    try:
        body = rec.reader.read()
    except OSError as exc:   # a broken chunked or gzip payload inside an intact record
        stats.errors += 1
        return error_page(source, LagebildError(
            Code.E105, detail=f"record {record_id}: payload cannot be decoded ({exc})"))
    rtype = "conversion" if rec.record_type == WarcRecordType.conversion else "response"
    kind = _kind_of(rtype, ctype, body) if body.strip() else None
    if kind is None:
        stats.skipped_records += 1
        return None
    if ctype and "charset=" not in ctype.lower() and rec.is_http and rec.http_charset:
        ctype = f"{ctype}; charset={rec.http_charset}"
    meta = Meta(url=rec.headers.get("WARC-Target-URI") or None)
    stats.pages += 1
    return Page(source=source, kind=kind, data=body, meta=meta,
                content_type=ctype or ("text/html" if kind == "html" else "text/plain"),
                headers=headers, fetched=rec.headers.get("WARC-Date") or None)


def _header(headers: dict[str, str], name: str) -> str:
    for k, v in headers.items():
        if k.lower() == name:
            return v
    return ""


def _is_html(ctype: str, body: bytes) -> bool:
    """HTML by declared type, or sniffed when the type says nothing useful."""
    mime = ctype.split(";", 1)[0].strip().lower()
    if mime in _HTML_TYPES:
        return binary_kind(body[:4096]) is None
    if mime not in _SNIFF_TYPES:
        return False
    head = body[:65536]
    if binary_kind(head):
        return False
    return looks_html(head_text(head))
