"""Sentence views for the events stage: lower-cased words with offsets, clause bounds."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from lagebild.annotate.events_lexicon import GAP_STOP
from lagebild.annotate.sentences import Words, tokenize

CLAUSE_BREAK = GAP_STOP | {"\"", "“", "”", "„", "«", "»"}


@dataclass(slots=True)
class SentenceView:
    """The words of one sentence (lower-cased) with their offsets, and its mentions by word index."""

    start: int
    end: int
    words: list[str]
    raw: list[str]
    starts: list[int]
    ends: list[int]

    def word_range(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.ends, start + 1)
        j = bisect.bisect_left(self.starts, end)
        return i, max(j, i + 1)

    def is_break(self, k: int) -> bool:
        """Punctuation that ends a clause; the dot of an ordinal ("zum 80. Jahrestag") does not."""
        w = self.words[k]
        if w == ".":
            return not (k > 0 and self.words[k - 1].isdigit())
        return w in CLAUSE_BREAK

    def clause(self, idx: list[int]) -> tuple[int, int]:
        lo = idx[0]
        while lo > 0 and not self.is_break(lo - 1):
            lo -= 1
        hi = idx[-1] + 1
        while hi < len(self.words) and not self.is_break(hi):
            hi += 1
        return lo, hi


def view(text: str, start: int, end: int, tokens: list | None = None) -> SentenceView:
    """The view of ``text[start:end]``; ``tokens`` (the document's, sorted) saves tokenising again."""
    if tokens:
        lo = bisect.bisect_left(tokens, start, key=lambda t: t.start)
        hi = bisect.bisect_left(tokens, end, key=lambda t: t.start)
        toks = [t for t in tokens[lo:hi] if t.end <= end]
    else:
        toks = tokenize(text, start, end)
    raw = [text[t.start:t.end] for t in toks]
    return SentenceView(start, end, [w.lower() for w in raw], raw, [t.start for t in toks], [t.end for t in toks])


def view_of(w: Words, start: int, end: int) -> SentenceView:
    """:func:`view` from the document's shared token strings: the tokens that start at or after
    ``start`` and end by ``end`` (tokens do not overlap, so their ends are sorted too)."""
    lo = bisect.bisect_left(w.starts, start)
    hi = bisect.bisect_right(w.ends, end, lo, bisect.bisect_left(w.starts, end, lo))
    return SentenceView(start, end, w.low[lo:hi], w.raw[lo:hi], w.starts[lo:hi], w.ends[lo:hi])
