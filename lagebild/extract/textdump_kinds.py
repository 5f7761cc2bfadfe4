"""What a removed line is: ``advert``, ``navigation``, ``teaser``, ``footer`` or ``boilerplate``.

The model only says main or not; the kind of a removed line comes from its own cues (prices and
"Jetzt anmelden" are adverts, "- Politik" and "Startseite" are navigation, © and "Impressum" are
footer, "Lesen Sie auch" is a teaser) and, for a line without cues, from the block of removed
lines it sits in: the speaker names under "Ihre Experten im Webinar:" belong to that advert.
"""

from __future__ import annotations

import re

from lagebild.extract.textdump_features import Cues, cues

KINDS = ("main", "advert", "navigation", "teaser", "footer", "boilerplate")

_BULLET = re.compile(r"^\s*[-–—•·*▪►»>]\s")
_PRICE = re.compile(r"\d\s?[€$£]|[€$£]\s?\d|\d+[.,]?\d*\s?(?:euro|eur|usd|dollar)\b", re.I)
_STRIP = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_BREADCRUMB = re.compile(r"\s[/>»›|]\s")
_END = re.compile(r"[.!?…][\"'»«“”’)]*$")


def own_kind(line: str, c: Cues) -> str | None:
    """The kind a line's own wording shows, or None when it shows none."""
    low = line.lower()
    words = len(line.split())
    promo, footer, teaser, boiler = c.counts(low)
    if promo or (_PRICE.search(line) and words <= 8):
        return "advert"
    if footer and ("©" in line or words <= 12):
        return "footer"
    if teaser and words <= 12:
        return "teaser"
    stripped = _STRIP.sub("", low)
    if stripped in c.nav or (_BULLET.match(line) and words <= 6) or (
            len(_BREADCRUMB.findall(line)) >= 2 and words <= 20):
        return "navigation"
    if boiler:
        return "boilerplate"
    return None


def _fallback(line: str) -> str:
    words = len(line.split())
    if words <= 3:
        return "navigation"
    if 4 <= words <= 20 and not _END.search(line):
        return "teaser"
    return "boilerplate"


def removed_kinds(lines: list[str], main: list[bool], lang: str | None = None) -> list[str]:
    """One kind per line: ``main`` where kept, else the kind of the removed line.

    A block is a run of consecutive removed lines. A line without cues of its own takes the
    kind of the block's first advert cue (adverts spread over many short lines), else of the
    nearest cue line in its block, else a guess from its shape.
    """
    c = cues(lang)
    kinds = ["main" if m else "" for m in main]
    own = [None if m else own_kind(ln, c) for ln, m in zip(lines, main)]
    i, n = 0, len(lines)
    while i < n:
        if main[i]:
            i += 1
            continue
        j = i
        while j < n and not main[j]:
            j += 1
        block = range(i, j)
        advert = any(own[k] == "advert" for k in block)
        for k in block:
            if own[k] is not None:
                kinds[k] = own[k]
            elif advert and _advert_neighbourhood(own, k, i, j):
                kinds[k] = "advert"
            else:
                kinds[k] = _nearest(own, k, i, j) or _fallback(lines[k])
        i = j
    return kinds


def _advert_neighbourhood(own: list[str | None], k: int, lo: int, hi: int, reach: int = 20) -> bool:
    """True when an advert cue line is within ``reach`` lines in the same block (before or after)."""
    return any(own[m] == "advert" for m in range(max(lo, k - reach), min(hi, k + reach + 1)))


def _nearest(own: list[str | None], k: int, lo: int, hi: int, reach: int = 3) -> str | None:
    for d in range(1, reach + 1):
        for m in (k - d, k + d):
            if lo <= m < hi and own[m] not in (None, "boilerplate"):
                return own[m]
    return None
