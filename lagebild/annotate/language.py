"""Language identification (py3langid: small, fast, offline, 97 languages)."""

from __future__ import annotations

from functools import cached_property

from lagebild.document import Document
from lagebild.pipeline import stage
from lagebild.settings import Settings

#: characters of the text the identifier reads: its cost grows with the sample (a byte-by-byte walk
#: in Python, 3 ms per page at 2,000). On the 1,045 extracted evaluation pages (HTML and text dumps)
#: 1,000 characters give the 2,000-character language on all but 2 pages, both German pages that
#: open with an English passage (a long English quote, an archive notice).
SAMPLE_CHARS = 1000


class LanguageStage:
    name = "language"
    requires: tuple[str, ...] = ("text",)
    adds = ("language",)

    @cached_property
    def _identifier(self):  # loaded once per pipeline, not per document
        from py3langid import langid

        return langid

    def __call__(self, doc: Document) -> Document:
        if doc.language:
            return doc
        sample = doc.text[:SAMPLE_CHARS]
        if sample.strip():
            lang, _prob = self._identifier.classify(sample)
            doc.language = lang
        return doc


@stage("language", requires=["text"], adds=["language"])
def make_language(settings: Settings) -> LanguageStage:
    """Detect the document language (ISO 639-1) with py3langid."""
    return LanguageStage()
