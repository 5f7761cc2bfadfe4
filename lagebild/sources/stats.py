"""Counters of what reading the inputs produced, for progress lines and summaries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class SourceStats:
    """``skipped_records`` counts WARC records that are not HTML pages (requests, images, redirects...)."""

    inputs: int = 0
    pages: int = 0
    errors: int = 0
    skipped_records: int = 0
    formats: dict[str, int] = field(default_factory=dict)

    def saw(self, fmt: str) -> None:
        self.formats[fmt] = self.formats.get(fmt, 0) + 1
