"""Bytes to text: detect the encoding, repair mojibake, refuse binary data."""

from __future__ import annotations

import codecs
import re

from lagebild.errors import Code, LagebildError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def looks_binary(data: bytes, sample: int = 4096) -> bool:
    """True when the head of ``data`` has NUL bytes or many control bytes (images, PDFs, executables)."""
    head = data[:sample]
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):   # UTF-16 with BOM is text
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, hint: str | None = None) -> str:
    """Decode page bytes to str: BOM, then UTF-8, then the declared charset, then detection.

    Mixed or double-encoded text (``Ã¤`` for ``ä``) is repaired with ftfy. Binary data raises E103.
    """
    if looks_binary(data):
        raise LagebildError(Code.E103, detail="control or NUL bytes in the first 4 KB")
    text: str | None = None
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            break
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is None:
        for enc in (hint, declared_charset(data)):
            if enc:
                try:
                    text = data.decode(enc)
                    break
                except (UnicodeDecodeError, LookupError):
                    pass
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        enc = best.encoding if best is not None else "cp1252"
        text = data.decode(enc, errors="replace")
    text = _repair(text)
    if _CONTROL.search(text[:4096]) and len(_CONTROL.findall(text[:4096])) > 40:
        raise LagebildError(Code.E109, detail="control characters throughout the text")
    return text


def _repair(text: str) -> str:
    """Fix mojibake (UTF-8 read as Latin-1/cp1252, possibly mixed with good text) with ftfy."""
    if not any(marker in text for marker in ("Ã", "Â", "â€", "Ð", "Ñ")):
        return text
    import ftfy

    return ftfy.fix_text(text, normalization="NFC")
