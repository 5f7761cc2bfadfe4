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
_BYLINE = re.compile(r"^(?:von|by|autor|author|text|written by|published|veröffentlicht|updated|aktualisiert)\b"
                     r"|\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b\d{1,2}\.? (?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)\w*\.? \d{4}\b"
                     r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d{1,2}, \d{4}\b", re.I)


def is_byline(line: str) -> bool:
    """An author or date line ("Von Anna Schmidt", "Published 14 March 2025")."""
    return len(line.split()) <= 12 and bool(_BYLINE.search(line))


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
    if boiler or is_byline(line):
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
    kind of the nearest cue line above it in its block (adverts and teaser boxes spread over many
    short lines under one heading), else a guess from its shape.
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
        for k in block:
            kinds[k] = own[k] or _section(own, k, i, j) or _fallback(lines[k])
        i = j
    return kinds


def _section(own: list[str | None], k: int, lo: int, hi: int, reach: int = 20) -> str | None:
    """The kind of the nearest cue line before ``k`` in its block (a box heading such as
    "Ihre Experten im Webinar:" or "Mehr zum Thema" governs the lines under it), else after it."""
    for m in range(k - 1, max(lo, k - reach) - 1, -1):
        if own[m] not in (None, "boilerplate"):
            return own[m]
    for m in range(k + 1, min(hi, k + 4)):
        if own[m] not in (None, "boilerplate"):
            return own[m]
    return None


def heading_like(line: str) -> bool:
    """Short, no closing full stop, no cue, not an author or date line: a title or heading."""
    words = len(line.split())
    return (3 <= words <= 30 and len(line) <= 250 and not _END.search(line.rstrip("?!"))
            and not is_byline(line))
