"""Extraction: turn a raw :class:`~lagebild.page.Page` into a :class:`~lagebild.document.Document`.

HTML goes through main-text extraction (:mod:`lagebild.extract.html`), flattened text dumps
through the line classifier (:mod:`lagebild.extract.textdump`), trusted JSONL text is kept as it is.
Everything removed from the page is kept in ``doc.removed`` with its kind.
"""

from __future__ import annotations

from lagebild.document import Document, Meta
from lagebild.errors import Code, LagebildError
from lagebild.extract.encoding import decode_bytes
from lagebild.page import Page
from lagebild.settings import Settings


class Extractor:
    """The ``extract`` step: one object per pipeline, so per-document setup is never repeated."""

    name = "extract"
    requires: tuple[str, ...] = ()
    adds = ("text",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.repeated_lines = None   # text-dump lines seen per site in the current scope

    def new_scope(self) -> None:
        """Forget the lines seen so far: the pipeline calls this at every :class:`~lagebild.pipeline.Scope`
        boundary, so results never depend on how pages were spread over workers or Spark tasks."""
        self.repeated_lines = None

    def __call__(self, page: Page) -> Document:
        if page.kind == "clean":
            text = (page.text or "").strip()
            if not text:
                raise LagebildError(Code.E102, detail="record has an empty 'text'")
            return Document(text, page.source, page.meta)
        if len(page.data) > self.settings.max_page_bytes:
            raise LagebildError(Code.E108, size=len(page.data), limit=self.settings.max_page_bytes)
        if page.kind == "html":
            from lagebild.extract.html import extract_html

            result = extract_html(page.data, url=page.meta.url or _url_of(page), settings=self.settings,
                                  content_type=page.content_type)
            meta = _merge_meta(page.meta, result.meta)
            return Document(result.text, page.source, meta, removed=result.removed)
        if page.kind == "text":
            from lagebild.extract.textdump import RepeatedLines, site_key, split_dump

            text = page.text if page.text is not None else decode_bytes(page.data, page.content_type)
            self.repeated_lines = self.repeated_lines or RepeatedLines()
            result = split_dump(text, site=site_key(page.meta.site, page.meta.url or _url_of(page)),
                                repeated=self.repeated_lines)
            if not result.text.strip():
                raise LagebildError(Code.E201, detail="every line of the dump looks like boilerplate")
            meta = _merge_meta(page.meta, result.meta)
            return Document(result.text, page.source, meta, removed=result.removed)
        raise LagebildError(Code.E110, fmt=page.kind)


def _url_of(page: Page) -> str | None:
    uri = page.source.uri
    return uri if uri.startswith(("http://", "https://")) else None


def _merge_meta(given: Meta, found: Meta) -> Meta:
    """Metadata from the input record wins over what extraction guessed."""
    return Meta(
        title=given.title or found.title,
        published=given.published or found.published,
        site=given.site or found.site,
        author=given.author or found.author,
        section=given.section or found.section,
        url=given.url or found.url,
    )
