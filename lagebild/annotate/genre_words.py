"""Where the words of ``genre._WORD`` start, for counting them without building their strings.

A word is a letter run (``[^\\W\\d_]``) with further letter runs joined by ``-``, ``'`` or ``’``.
So a word starts at every letter run except one right after a joiner that follows a letter:
flagging those positions over the text's code points is a few numpy operations, where
``len(_WORD.findall(text))`` builds a string per word (a quarter of a millisecond a page).
Counts equal ``findall`` on the whole text and on spans that begin and end with a character that
is neither a letter nor a joiner (quotations: ``tests/test_genre.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

_JOINERS = "-'’"


_LETTER = re.compile(r"[^\W\d_]")
_BMP = 0x10000


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Per code point of the Basic Multilingual Plane (and one more entry, False, standing for
    any code point above it): is it a letter as ``re`` sees ``_LETTER``, is it a joiner.
    Read-only, built once per process from ``re`` itself, so the classes cannot drift."""
    every = "".join(map(chr, range(_BMP)))
    marked = _LETTER.sub("\x01", every)   # letters become U+0001, which is no letter itself
    letter = np.append(np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), np.uint32) == 1, False)
    letter[1] = False
    joiner = np.zeros(_BMP + 1, bool)
    joiner[[ord(c) for c in _JOINERS]] = True
    return letter, joiner


def word_starts(text: str) -> np.ndarray:
    """Boolean per character of ``text``: a word of ``genre._WORD`` starts here."""
    letter_of, joiner_of = _tables()
    codes = np.minimum(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32), _BMP)
    letter = letter_of[codes]
    if codes.size and codes.max() == _BMP:   # characters above the BMP (emoji, some scripts): asked one by one
        for i in np.flatnonzero(codes == _BMP).tolist():
            letter[i] = _LETTER.match(text, i) is not None
    start = letter.copy()
    start[1:] &= ~letter[:-1]                       # the first letter of every letter run
    start[2:] &= ~(joiner_of[codes[1:-1]] & letter[:-2])   # less the runs a joiner continues
    return start
