"""One sentence as the ``quotes`` stage reads it (:class:`Sent`), and the test for quoted titles.

Kept apart from the attribution engine (:mod:`lagebild.annotate.quotes_attribution`), which is
long enough; the stage makes the sentences, the engine reads them.
"""

from __future__ import annotations

import bisect

from lagebild.annotate.quotes_lexicon import Lexicon
from lagebild.annotate.quotes_speaker import Word


class Sent:
    """One sentence: its token strings (as written and lower-cased, slices of the document's shared
    layer), which words lie inside direct quotes, and its :class:`Word` list, built on first use:
    set tests on ``low`` settle most sentences (no cue word, no subjunctive) without one."""

    __slots__ = ("start", "end", "low", "raw", "masked", "_words", "_offsets")

    def __init__(self, start: int, end: int, starts: list[int], ends: list[int], raw: list[str],
                 low: list[str]) -> None:
        self.start, self.end, self.raw, self.low = start, end, raw, low
        self.masked = [False] * len(low)
        self._offsets = (starts, ends)
        self._words: list[Word] | None = None

    @property
    def words(self) -> list[Word]:
        if self._words is None:
            self._words = list(map(Word, *self._offsets, self.raw, self.low))
        return self._words

    def mask_span(self, a: int, b: int) -> None:
        """Mask the words inside ``[a, b)``: tokens are sorted and disjoint, so their starts and ends
        both ascend and the words form one index range (two bisections, no Word list)."""
        starts, ends = self._offsets
        lo, hi = bisect.bisect_left(starts, a), bisect.bisect_right(ends, b)
        if hi > lo:
            self.masked[lo:hi] = [True] * (hi - lo)


def title_like(inner: str, lex: Lexicon) -> bool:
    """A name or title ("Der Verkehrsknoten Dresden und seine Geschichte"): no lowercase content word."""
    if lex.language != "de":
        words = [w for w in inner.split() if w[:1].isalpha()]
        return bool(words) and all(w[:1].isupper() or w.lower() in lex.words("function_words") for w in words)
    function = lex.words("function_words")
    return not any(w[:1].islower() and w.lower() not in function for w in inner.split())
