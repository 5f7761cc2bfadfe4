"""What an extractor returns: the kept text, the removed blocks and the metadata it found."""

from __future__ import annotations

from dataclasses import dataclass, field

from lagebild.document import Meta, Removed


@dataclass(slots=True)
class Extracted:
    text: str
    removed: list[Removed] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
