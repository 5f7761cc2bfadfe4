"""Find quoted stretches by pairing quotation marks, one pass per paragraph with a stack.

Typographic marks pair by convention („…“, »…«, «…», ‚…‘, “…”), typewriter marks (" and ')
by position: an opener stands after a space or an opening bracket, a closer before one. Inner pairs
(nested quotes) are kept inside their outer quote; a quote opened at the start of a paragraph
and never closed runs to the paragraph end (the multi-paragraph convention).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_OPEN_CONTEXT = " \t\n([{–—-/:;,"
_APOSTROPHES = "'’"


@dataclass(slots=True)
class Quoted:
    """A quoted stretch: ``open``/``close`` are the mark positions; the content is ``[open+1, close)``."""

    open: int
    close: int
    depth: int = 0

    @property
    def start(self) -> int:
        return self.open + 1

    @property
    def end(self) -> int:
        return self.close


def _is_apostrophe(text: str, i: int) -> bool:
    """Inside a word (don't, Kim's) or an elision (geht's, '90er) rather than a quotation mark."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isalnum() and nxt.isalnum():
        return True
    if prev.isalpha() and prev.lower() == "s" and not nxt.isalnum():   # plural possessive: the states'
        return False
    return nxt.isdigit()


def _strict_open(text: str, i: int) -> bool:
    """Clearly an opening mark: after a space or bracket, before a word."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev in _OPEN_CONTEXT or prev in "„“‚‘»«›‹\"'") and nxt not in " \t\n"


def _can_open(text: str, i: int) -> bool:
    """An opening mark, or a free-standing one (tokenised text: ' " word " ') paired by position."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return _strict_open(text, i) or (prev in " \t\n" and nxt in " \t\n")


def scan(text: str, pairs: dict[str, tuple[str, ...]], start: int = 0, end: int | None = None,
         strict: frozenset[str] = frozenset()) -> list[Quoted]:
    """All quoted stretches of ``text[start:end]``, outermost and nested, sorted by position."""
    end = len(text) if end is None else end
    found: list[Quoted] = []
    pos = start
    marks = _mark_pattern(pairs)   # once per text, not once per paragraph
    while pos < end:
        nl = text.find("\n", pos, end)
        para_end = end if nl < 0 else nl
        found.extend(_scan_paragraph(text, pairs, pos, para_end, strict, marks))
        pos = para_end + 1
    found.sort(key=lambda q: (q.open, -q.close))
    return found


@lru_cache(maxsize=None)
def _mark_re(chars: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(chars) + "]")


def _mark_pattern(pairs: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """One compiled character class of every opening and closing mark: the scan jumps from mark to mark."""
    chars = set(pairs)
    for closers in pairs.values():
        chars.update(closers)
    return _mark_re("".join(sorted(chars)))


def _scan_paragraph(text: str, pairs: dict[str, tuple[str, ...]], start: int, end: int,
                    strict: frozenset[str], marks: re.Pattern[str] | None = None) -> list[Quoted]:
    stack: list[tuple[int, tuple[str, ...]]] = []
    out: list[Quoted] = []
    marks = marks or _mark_pattern(pairs)
    for m in marks.finditer(text, start, end):
        i = m.start()
        c = text[i]
        if c in _APOSTROPHES and _is_apostrophe(text, i):
            continue
        # close the innermost open quote this mark can end (skipping unclosed inner ones)
        closed = False
        for depth in range(len(stack) - 1, -1, -1):
            o, closers = stack[depth]
            if c in closers and (text[o] == c or c not in pairs or not _strict_open(text, i)):
                if i - o > 1:
                    out.append(Quoted(o, i, depth))
                del stack[depth:]
                closed = True
                break
        if closed or c not in pairs:
            continue
        symmetric = c in pairs[c]
        if symmetric and not _can_open(text, i) or c in strict and not _strict_open(text, i):
            continue
        if len(stack) >= 3:
            continue
        stack.append((i, pairs[c]))
    if stack:
        o, _ = stack[0]
        para_start = start
        while para_start < end and text[para_start].isspace():
            para_start += 1
        if o == para_start and end - o > 1:
            close = end
            while close > o + 1 and text[close - 1].isspace():
                close -= 1
            out.append(Quoted(o, close, 0))
    return out


def outermost(quoted: list[Quoted]) -> list[Quoted]:
    """The quotes not contained in another one."""
    out: list[Quoted] = []
    for q in quoted:
        if out and q.open < out[-1].close:
            continue
        out.append(q)
    return out
