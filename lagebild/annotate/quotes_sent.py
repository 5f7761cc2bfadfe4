"""One sentence as the ``quotes`` stage reads it (:class:`Sent`), and the test for quoted titles.

Kept apart from the attribution engine (:mod:`lagebild.annotate.quotes_attribution`), which is
long enough; the stage makes the sentences, the engine reads them.
"""

from __future__ import annotations

import bisect

from lagebild.annotate.quotes_lexicon import Lexicon
from lagebild.annotate.quotes_speaker import Word
from lagebild.annotate.sentences import Words


class Sent:
    """One sentence: its lower-cased token strings (a slice of the document's shared layer), which
    words lie inside direct quotes, and its :class:`Word` list, built on first use: set tests on
    ``low`` settle most sentences (no cue word, no subjunctive) without one, and the other strings
    and offsets are sliced only then."""

    __slots__ = ("start", "end", "low", "masked", "_words", "_shared", "_lo", "_hi")

    def __init__(self, start: int, end: int, shared: Words, lo: int, hi: int) -> None:
        self.start, self.end = start, end
        self.low = shared.low[lo:hi]
        self.masked = [False] * (hi - lo)
        self._shared, self._lo, self._hi = shared, lo, hi
        self._words: list[Word] | None = None

    @property
    def words(self) -> list[Word]:
        if self._words is None:
            w, lo, hi = self._shared, self._lo, self._hi
            self._words = list(map(Word, w.starts[lo:hi], w.ends[lo:hi], w.raw[lo:hi], self.low))
        return self._words

    def mask_span(self, a: int, b: int) -> None:
        """Mask the words inside ``[a, b)``: tokens are sorted and disjoint, so their starts and ends
        both ascend and the words form one index range (two bisections, no Word list)."""
        w, lo, hi = self._shared, self._lo, self._hi
        i, j = bisect.bisect_left(w.starts, a, lo, hi) - lo, bisect.bisect_right(w.ends, b, lo, hi) - lo
        if j > i:
            self.masked[i:j] = [True] * (j - i)


def title_like(inner: str, lex: Lexicon) -> bool:
    """A name or title ("Der Verkehrsknoten Dresden und seine Geschichte"): no lowercase content word."""
    if lex.language != "de":
        words = [w for w in inner.split() if w[:1].isalpha()]
        return bool(words) and all(w[:1].isupper() or w.lower() in lex.words("function_words") for w in words)
    function = lex.words("function_words")
    return not any(w[:1].islower() and w.lower() not in function for w in inner.split())
