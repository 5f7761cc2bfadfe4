"""A Page is raw input before extraction: bytes (or trusted text), where it came from, and hints."""

from __future__ import annotations

from dataclasses import dataclass, field

from lagebild.document import Meta, Source
from lagebild.errors import DocError


@dataclass(slots=True)
class Page:
    """One unit of input.

    ``kind`` says how extraction must treat it: ``html`` (main-text extraction), ``text`` (a
    flattened page dump: line classifier), or ``clean`` (trusted article text from a JSONL record:
    kept as it is). ``error`` is set when reading already failed: the page then travels through the
    batch only to report that failure in order, so one bad file never stops the others.
    """

    source: Source
    kind: str
    data: bytes = b""
    text: str | None = None
    meta: Meta = field(default_factory=Meta)
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fetched: str | None = None
    error: DocError | None = None

    @classmethod
    def failed(cls, source: Source, error: DocError) -> "Page":
        return cls(source=source, kind="error", error=error)
