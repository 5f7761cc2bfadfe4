"""HTML main-text extraction (placeholder: trafilatura; the HTML helper replaces this module)."""

from __future__ import annotations

from lagebild.document import Meta
from lagebild.errors import Code, LagebildError
from lagebild.extract.encoding import decode_bytes
from lagebild.extract.result import Extracted
from lagebild.settings import Settings


def extract_html(data: bytes, url: str | None = None, settings: Settings | None = None,
                 content_type: str | None = None) -> Extracted:
    import trafilatura

    html = decode_bytes(data)
    text = trafilatura.extract(html, url=url, include_comments=False) or ""
    if not text.strip():
        raise LagebildError(Code.E201, detail="the extractor found no main text")
    md = trafilatura.extract_metadata(html, default_url=url)
    meta = Meta(title=md.title, published=md.date, site=md.sitename, author=md.author,
                section=(md.categories or [None])[0], url=md.url or url) if md else Meta(url=url)
    return Extracted(text, [], meta)
