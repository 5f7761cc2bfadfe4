"""Text-dump line classifier: keep the article of a flattened page, label and remove the rest.

A text dump is a page flattened to one block per line (web-text corpora store pages this way;
the seed page is one). Each non-empty line gets a label — ``main``, ``advert``, ``navigation``,
``teaser``, ``footer`` or ``boilerplate`` — in three steps:

1. the shipped two-stage model (:mod:`textdump_model`) says main or not from line and context
   features (without a model file a length-and-run rule stands in);
2. a few rules that hold on any page: a short line with a promotional cue is never article text,
   and lines that repeat on many pages of the same site (see :class:`RepeatedLines`) are boilerplate;
3. removed lines get their kind from cues and their block (:mod:`textdump_kinds`).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict

import numpy as np

from lagebild.document import Meta, Removed
from lagebild.extract.result import Extracted
from lagebild.extract.textdump_features import cues
from lagebild.extract.textdump_kinds import heading_like, is_byline, own_kind, removed_kinds
from lagebild.extract.textdump_model import load_model

_END = re.compile(r"[.!…][\"'»«“”’)]*$")


class RepeatedLines:
    """Memory of the lines seen on each site's pages, for one pipeline run (a batch).

    A line found on ``min_pages`` or more distinct pages of one site (menus, newsletter boxes,
    the site's slogan) is boilerplate there, however article-like it reads. The same page seen
    twice counts once. Memory is bounded: at most ``max_sites`` sites (least recently used
    dropped) and ``max_lines`` distinct lines per site.
    """

    def __init__(self, min_pages: int = 3, max_sites: int = 2000, max_lines: int = 50_000) -> None:
        self.min_pages = min_pages
        self.max_sites = max_sites
        self.max_lines = max_lines
        self._sites: OrderedDict[str, tuple[set[bytes], dict[bytes, int]]] = OrderedDict()

    @staticmethod
    def _key(line: str) -> bytes:
        return hashlib.blake2b(" ".join(line.split()).lower().encode("utf-8"), digest_size=8).digest()

    def observe(self, site: str, lines: list[str]) -> None:
        """Count the distinct lines of one page of ``site``."""
        page = hashlib.blake2b("\n".join(lines).encode("utf-8"), digest_size=12).digest()
        pages, counts = self._sites.setdefault(site, (set(), {}))
        self._sites.move_to_end(site)
        if page in pages:
            return
        pages.add(page)
        if len(counts) > self.max_lines:
            counts.clear()
        for key in {self._key(ln) for ln in lines}:
            counts[key] = counts.get(key, 0) + 1
        while len(self._sites) > self.max_sites:
            self._sites.popitem(last=False)

    def repeated(self, site: str, lines: list[str]) -> list[bool]:
        """Per line: seen on at least ``min_pages`` pages of ``site`` (this one included)."""
        entry = self._sites.get(site)
        if entry is None:
            return [False] * len(lines)
        counts = entry[1]
        return [counts.get(self._key(ln), 0) >= self.min_pages for ln in lines]


def _rule_keep(lines: list[str]) -> np.ndarray:
    """Fallback without a model: long lines, and short lines between two long ones."""
    long_ = np.array([len(ln) >= 80 for ln in lines], dtype=bool)
    keep = long_.copy()
    idx = np.flatnonzero(long_)
    if len(idx):
        for i in range(idx[0], idx[-1] + 1):
            if not keep[i] and long_[max(i - 1, 0)] and long_[min(i + 1, len(lines) - 1)]:
                keep[i] = True
    return keep


def promo_lines(lines: list[str], lang: str | None = None) -> np.ndarray:
    """Lines that are never article text: short ones with a promotional cue ("Jetzt anmelden", "Sign up")."""
    c = cues(lang)
    return np.array([len(ln) < 90 and c.has("promo", ln.lower()) for ln in lines], dtype=bool)


def title_line(lines: list[str], keep: np.ndarray, lang: str | None = None) -> int | None:
    """Index of the page title just above the article, which the model may have dropped.

    Training labels follow the article *body*, so titles often count as boilerplate there; the
    contract keeps headings. The title is the line right above the first kept line, or above the
    author and date lines that sit there, when it reads like a heading and carries no cue.
    """
    first = int(np.argmax(keep)) if keep.any() else -1
    i = first - 1
    while i >= 0 and first - i <= 3 and is_byline(lines[i]):
        i -= 1
    if i < 0 or first - i > 3:
        return None
    ln = lines[i]
    return i if heading_like(ln) and own_kind(ln, cues(lang)) is None else None


def keep_lines(lines: list[str], lang: str | None = None, *, site: str | None = None,
               repeated: RepeatedLines | None = None) -> np.ndarray:
    """Boolean per line: is it article text?"""
    if not lines:
        return np.zeros(0, dtype=bool)
    model = load_model()
    keep = model.keep(lines, lang) if model is not None else _rule_keep(lines)
    keep = np.asarray(keep, dtype=bool) & ~promo_lines(lines, lang)
    title = title_line(lines, keep, lang)
    if title is not None:
        keep[title] = True
    if repeated is not None and site:
        repeated.observe(site, lines)
        keep &= ~np.array(repeated.repeated(site, lines), dtype=bool)
    return keep


def classify_lines(lines: list[str], lang: str | None = None, *, site: str | None = None,
                   repeated: RepeatedLines | None = None) -> list[str]:
    """One label per line: ``main``, ``advert``, ``navigation``, ``teaser``, ``footer`` or ``boilerplate``."""
    keep = keep_lines(lines, lang, site=site, repeated=repeated)
    return removed_kinds(lines, [bool(k) for k in keep], lang)


def _is_prose(line: str) -> bool:
    """A full sentence of eight words or more: what a page with no confident article line still keeps."""
    return len(line.split()) >= 8 and bool(_END.search(line))


def _title(kept: list[str]) -> str | None:
    """The first kept line when it reads like a heading (short, no closing full stop)."""
    if not kept:
        return None
    first = kept[0]
    if 3 <= len(first.split()) <= 30 and len(first) <= 250 and not _END.search(first):
        return first
    return None


def split_dump(text: str, lang: str | None = None, *, site: str | None = None,
               repeated: RepeatedLines | None = None) -> Extracted:
    """Split a flattened page into the article (``text``) and what was removed, with kinds.

    ``position`` of a removed line is its index among the lines of ``text`` (blank lines counted).
    Pass the same ``repeated`` memory and the page's ``site`` for every page of a batch to drop
    lines that repeat across the site's pages.
    """
    numbered = [(i, ln.strip()) for i, ln in enumerate(text.splitlines()) if ln.strip()]
    lines = [ln for _, ln in numbered]
    labels = classify_lines(lines, lang, site=site, repeated=repeated)
    if "main" not in labels:   # short pages unlike the training data: sentences of prose are the article
        labels = ["main" if _is_prose(ln) else lab for ln, lab in zip(lines, labels)]
    kept = [ln for ln, lab in zip(lines, labels) if lab == "main"]
    removed = [Removed(ln, lab, pos) for (pos, ln), lab in zip(numbered, labels) if lab != "main"]
    return Extracted("\n".join(kept), removed, Meta(title=_title(kept)))


def site_key(site: str | None, url: str | None) -> str | None:
    """The key under which :class:`RepeatedLines` groups pages: the site name, else the URL's host."""
    if site:
        return site.lower()
    if url:
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname
        return host[4:] if host and host.startswith("www.") else host
    return None
