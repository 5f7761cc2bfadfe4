"""Text-dump line classifier (placeholder: keeps every line; the text-dump helper replaces this)."""

from __future__ import annotations

from lagebild.extract.result import Extracted


def split_dump(text: str) -> Extracted:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return Extracted("\n".join(lines))
