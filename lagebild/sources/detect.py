"""Format sniffing from content: WARC, JSON Lines, HTML or a plain-text dump, and refusing binary data.

File names lie (``page.txt`` holding HTML, ``dump.html`` holding a text dump, ``x.json`` holding
a WARC), so the decision is made from the first bytes of the decompressed input.
"""

from __future__ import annotations

import re

from lagebild.errors import Code, LagebildError
from lagebild.extract.encoding import BOMS, looks_binary, utf16_without_bom

FORMATS = ("auto", "text", "html", "warc", "jsonl")

#: magic bytes of common binary formats -> what to call them in the error message
_BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"%PDF-", "PDF document"), (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "empty ZIP archive"), (b"\x7fELF", "ELF executable"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"), (b"\xcf\xfa\xed\xfe", "Mach-O binary"),
    (b"\xfe\xed\xfa\xce", "Mach-O binary"), (b"Rar!\x1a\x07", "RAR archive"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "Zstandard stream (decompress it first)"), (b"\x04\x22\x4d\x18", "LZ4 stream"),
    (b"SQLite format 3\x00", "SQLite database"), (b"\x00asm", "WebAssembly module"), (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"), (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"), (b"{\\rtf", "RTF document"),
    (b"PAR1", "Parquet file"), (b"\x00\x00\x01\x00", "icon"), (b"wOFF", "web font"), (b"wOF2", "web font"),
)
_RIFF = re.compile(rb"^RIFF....(WEBP|WAVE|AVI )", re.S)
_FTYP = re.compile(rb"^....ftyp", re.S)   # MP4, MOV, HEIC, AVIF

_WARC = re.compile(r"^\s*WARC/\d\.\d+\r?\n")
_JSON_START = re.compile(r'^\s*(\{\s*("|\})|\[\s*(\{|\]))')
_HTML_START = re.compile(
    r"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml[^>]*>\s*(<!doctype\s+html|<html))",
    re.I | re.S)
_TAG = re.compile(r"</?(html|head|body|div|p|span|a|meta|title|script|style|link|article|section|main|"
                  r"header|footer|nav|table|tr|td|ul|ol|li|br|img|h[1-6]|strong|em|b|i|form|iframe)\b[^<>]{0,400}>",
                  re.I)


def binary_kind(head: bytes) -> str | None:
    """What binary format ``head`` starts with, or None when it may be text."""
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return name
    if _RIFF.match(head):
        return "RIFF media file"
    if _FTYP.match(head):
        return "MP4/QuickTime media file"
    if looks_binary(head):
        return "NUL or control bytes in the first bytes"
    return None


def head_text(head: bytes) -> str:
    """The head decoded just well enough for ASCII-level sniffing (BOMs and UTF-16 honoured)."""
    for bom, enc in BOMS:
        if head.startswith(bom):
            return head.decode(enc, errors="replace").lstrip("\ufeff")
    enc = utf16_without_bom(head)
    if enc:
        return head.decode(enc, errors="replace")
    return head.decode("latin-1")


def sniff(head: bytes, complete: bool, forced: str = "auto", name: str = "") -> str:
    """Return ``warc``, ``jsonl``, ``html`` or ``text`` for an input starting with ``head``.

    Raises E102 for empty (or whitespace-only) input and E103 for binary data. ``forced`` (from
    ``--format``) skips the guess but not the checks for empty and binary input.
    """
    if complete and not head.strip():
        raise LagebildError(Code.E102, detail="no bytes" if not head else "only whitespace")
    if forced == "warc" or (forced == "auto" and _WARC.match(head[:64].decode("latin-1"))):
        return "warc"
    kind = binary_kind(head)
    if kind:
        raise LagebildError(Code.E103, detail=kind)
    if forced != "auto":
        return forced
    text = head_text(head)
    if complete and not text.strip():
        raise LagebildError(Code.E102, detail="only whitespace")
    if _JSON_START.match(text):
        return "jsonl"
    if text.lstrip()[:1] in ("{", "[") and name.lower().removesuffix(".gz").endswith((".jsonl", ".json", ".ndjson")):
        return "jsonl"
    return "html" if looks_html(text) else "text"


def looks_html(text: str) -> bool:
    """True for markup: a doctype/html/head/body start, or a ``<`` start with known tags, or many tags.

    Flattened text dumps may contain a stray ``<`` or an odd ``<b>``, never ten real tags.
    """
    if _HTML_START.match(text):
        return True
    tags = len(_TAG.findall(text))
    return (text.lstrip()[:1] == "<" and tags >= 1) or tags >= 10
