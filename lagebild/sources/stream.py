"""Byte streams for inputs: peek at the head, undo gzip/bz2/xz transparently, read with a cap.

Every input (file, stdin, fetched body) becomes a buffered, decompressed binary stream plus its
first bytes, so format sniffing never needs the whole input in memory and a 5 GB file is never read
just to learn that it is too large.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from lagebild.errors import Code, LagebildError

HEAD_BYTES = 64 * 1024
CHUNK = 1 << 20

#: magic bytes -> (name, opener); each opener wraps a binary stream in a streaming decompressor.
_COMPRESSED = (
    (b"\x1f\x8b", "gzip", lambda f: gzip.GzipFile(fileobj=f, mode="rb")),
    (b"BZh", "bzip2", lambda f: bz2.BZ2File(f, mode="rb")),
    (b"\xfd7zXZ\x00", "xz", lambda f: lzma.LZMAFile(f, mode="rb")),
)
#: what a truncated or corrupt compressed stream raises while being read
DECOMPRESS_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error, lzma.LZMAError, OSError, ValueError)


class _Prefixed(io.RawIOBase):
    """A raw stream that yields ``prefix`` first, then the rest of ``inner``: a peek that costs nothing."""

    def __init__(self, prefix: bytes, inner: BinaryIO) -> None:
        self._prefix = memoryview(prefix)
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:  # type: ignore[override]
        if self._prefix.nbytes:
            n = min(len(buf), self._prefix.nbytes)
            buf[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._inner.read(len(buf))
        if not data:
            return 0
        buf[: len(data)] = data
        return len(data)


def read_up_to(stream: BinaryIO, n: int) -> bytes:
    """Read ``n`` bytes or until EOF (pipes and decompressors may return short reads)."""
    parts: list[bytes] = []
    got = 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


@dataclass(slots=True)
class Opened:
    """A decompressed input stream positioned at its start, with its first bytes already known."""

    stream: io.BufferedReader
    head: bytes
    compression: str | None = None
    error: BaseException | None = None   # decompression failed right after ``head``

    @property
    def complete(self) -> bool:
        """True when ``head`` is the whole input."""
        return len(self.head) < HEAD_BYTES and self.error is None


def open_stream(raw: BinaryIO) -> Opened:
    """Peek at ``raw``; when it is gzip, bzip2 or xz, decompress it on the fly (E104 if broken)."""
    head = read_up_to(raw, HEAD_BYTES)
    for magic, name, opener in _COMPRESSED:
        if head.startswith(magic):
            inner = opener(io.BufferedReader(_Prefixed(head, raw), CHUNK))
            dhead, error = _read_head(inner)
            if error is not None and not dhead:
                raise LagebildError(Code.E104, detail=f"{name}: {decompress_reason(error)}")
            # a stream broken after some good bytes: sniff what came out; reading on re-raises
            rest: BinaryIO = _Failing(error) if error is not None else inner
            return Opened(io.BufferedReader(_Prefixed(dhead, rest), CHUNK), dhead, name, error)
    return Opened(io.BufferedReader(_Prefixed(head, raw), CHUNK), head, None)


class _Failing(io.RawIOBase):
    """The rest of a stream whose decompressor already failed: every read raises that failure again."""

    def __init__(self, error: BaseException) -> None:
        self._error = error

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        raise self._error

    def readinto(self, buf) -> int:  # type: ignore[override]
        raise self._error


def _read_head(inner: BinaryIO) -> tuple[bytes, BaseException | None]:
    """Up to HEAD_BYTES decompressed bytes, and the error that stopped the decompressor early, if any."""
    parts: list[bytes] = []
    got = 0
    read = getattr(inner, "read1", inner.read)   # read1: no bytes are lost when a later chunk fails
    while got < HEAD_BYTES:
        try:
            chunk = read(min(8192, HEAD_BYTES - got))
        except DECOMPRESS_ERRORS as exc:
            return b"".join(parts), exc
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts), None


def read_capped(opened: Opened, limit: int) -> bytes:
    """The whole (decompressed) input, or E108 as soon as it grows beyond ``limit`` bytes."""
    if opened.complete:
        data = opened.head
    else:
        try:
            data = read_up_to(opened.stream, limit + 1)
        except DECOMPRESS_ERRORS as exc:
            raise LagebildError(Code.E104, detail=f"{opened.compression or 'stream'}: {decompress_reason(exc)}") from None
    if len(data) > limit:
        raise LagebildError(Code.E108, size=f"more than {limit}", limit=limit)
    return data


def decompress_reason(exc: BaseException) -> str:
    """One-line reason for a failing decompressor (here and in the container readers)."""
    if isinstance(exc, EOFError):
        return "the stream ends before the end-of-stream marker (truncated)"
    return f"{type(exc).__name__}: {exc}"
