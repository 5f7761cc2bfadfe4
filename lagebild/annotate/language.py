"""Language identification (py3langid: small, fast, offline, 97 languages)."""

from __future__ import annotations

from array import array
from collections import Counter
from functools import cached_property
from typing import Any, Callable

from lagebild.document import Document
from lagebild.pipeline import stage
from lagebild.settings import Settings

#: characters of the text the identifier reads: its cost grows with the sample (a byte-by-byte walk
#: in Python, 3 ms per page at 2,000). On the 1,045 extracted evaluation pages (HTML and text dumps)
#: 1,000 characters give the 2,000-character language on all but 2 pages, both German pages that
#: open with an English passage (a long English quote, an archive notice).
SAMPLE_CHARS = 1000


def fast_identifier(base: Any) -> Any:
    """``base`` (a py3langid ``LanguageIdentifier``) with its byte walk reading the row offsets and
    feature outputs from flat int64 arrays instead of lists of int objects: the walk is bound by
    memory reads, and a list element costs a pointer plus an object read (0.47 -> 0.33 ms a page).
    The same features in the same order, so the same scores; ``base`` itself when its internals are
    not the ones this was written for (another py3langid version)."""
    cls = type(base)
    needed = ("_rowbase", "tk_output", "tk_nextmove", "_sparse_score", "_raw_score", "nb_ptc")
    if not all(hasattr(base, n) or hasattr(cls, n) for n in needed) or not hasattr(cls, "__slots__"):
        return base

    class FastIdentifier(cls):  # type: ignore[misc, valid-type]
        __slots__ = ("_rows", "_outs", "_plain")

        def _raw_score(self, text: bytes) -> Any:
            visits = _walk(self.tk_nextmove, self._rows, self._outs, text)
            return self._sparse_score(visits, self.nb_ptc) if visits else self._plain(text)

    fast = object.__new__(FastIdentifier)
    for name in cls.__slots__:
        if hasattr(base, name):
            setattr(fast, name, getattr(base, name))
    fast._rows = array("q", base._rowbase)
    fast._outs = array("q", base.tk_output)
    fast._plain = base._raw_score   # no features: the library's own fill value
    return fast


def _walk(nextmove: Any, rows: array, outs: array, text: bytes) -> Counter | None:
    """py3langid's ``visit_counts`` over the flat arrays: feature counts of the DFA walk, None if none."""
    state, found = 0, []
    append = found.append
    for byte in text:
        state = nextmove[rows[state] + byte]
        f = outs[state]
        if f >= 0:
            append(f)
    return Counter(found) if found else None


class LanguageStage:
    name = "language"
    requires: tuple[str, ...] = ("text",)
    adds = ("language",)

    @cached_property
    def _classify(self) -> Callable[[str], tuple[str, float]]:  # loaded once per pipeline
        from py3langid import langid

        return fast_identifier(langid._get_identifier()).classify

    def __call__(self, doc: Document) -> Document:
        if doc.language:
            return doc
        sample = doc.text[:SAMPLE_CHARS]
        if sample.strip():
            lang, _prob = self._classify(sample)
            doc.language = lang
        return doc


@stage("language", requires=["text"], adds=["language"])
def make_language(settings: Settings) -> LanguageStage:
    """Detect the document language (ISO 639-1) with py3langid."""
    return LanguageStage()
