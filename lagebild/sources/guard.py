"""Guard against absurdly deep HTML before a parser sees it (opt-in: ``guard_page``).

Not applied by ``iter_pages``: the HTML extractor (lxml) flattens deep pages itself when libxml2
reports excessive depth, at no cost for ordinary pages, while this scan costs about 3 ms per page.
Use it before handing pages to any other parser (lexbor, html5lib).

``<div>`` nested 50,000 times is a denial of service for HTML parsers: libxml2 silently cuts the
tree at depth 256 (losing the text below), lexbor needs over a minute, recursive tree walkers hit
RecursionError. Real pages stay far below ``settings.max_html_depth`` (1,000). So the nesting is
measured with one regex pass over the tags, and only when it is deeper than the limit are the
tags beyond the limit dropped (their text stays), which any parser then handles quickly.

The effective limit is ``min(settings.max_html_depth, 250)``: libxml2 (lxml, trafilatura) without
``huge_tree`` drops the whole body of a page nested 253 or more levels deep, so anything deeper
must be flattened for lxml-based extraction to see the text at all.

The measure counts only elements whose end tag is required: ``<p>``, ``<li>``, ``<td>`` and other
elements with optional end tags close implicitly and would inflate the count on ordinary pages.
"""

from __future__ import annotations

import re

from lagebild.page import Page
from lagebild.settings import Settings

#: libxml2's default nesting limit is 256; stay below it
LXML_SAFE_DEPTH = 250
FLATTENED_HEADER = "X-Lagebild-Flattened"

_TOKEN = re.compile(
    rb"<!--.*?(?:-->|\Z)"                                     # comment
    rb"|<(script|style|textarea|title)\b[^>]*>.*?(?:</\1\s*>|\Z)"   # raw-text element, skipped whole
    rb"|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?(/?)>",          # a start or end tag
    re.S | re.I)

#: void elements and elements whose end tag may be omitted: never counted as nesting
_NOT_NESTING = frozenset(
    b"area base br col embed hr img input link meta param source track wbr keygen command basefont "
    b"bgsound frame isindex p li dt dd tr td th thead tbody tfoot option optgroup colgroup caption "
    b"rb rt rtc rp html head body".split())


def _tags(data: bytes):
    """Yield ``(start, end, name, closing)`` for every counted tag."""
    for m in _TOKEN.finditer(data):
        name = m.group(3)
        if name is None or m.group(4):          # comment, raw-text block, or self-closing tag
            continue
        name = name.lower()
        if name in _NOT_NESTING:
            continue
        yield m.start(), m.end(), name, m.group(2) == b"/"


_QUICK_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)")
_CAREFUL_TAG = re.compile(rb"<(?:script|style)\b.*?</(?:script|style)\s*>|<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)",
                          re.S | re.I)


def html_depth(data: bytes, stop_above: int | None = None, careful: bool = False) -> int:
    """Deepest nesting of elements that need an end tag (an estimate, no tree is built).

    The quick scan also counts tags inside scripts and comments (an overestimate on some pages);
    ``careful`` skips those, at about three times the cost. With ``stop_above`` the scan ends as
    soon as the depth exceeds it.
    """
    stack: list[bytes] = []
    open_count: dict[bytes, int] = {}      # name -> how often it is on the stack (O(1) membership)
    deepest = 0
    skip = _NOT_NESTING
    for slash, name in (_CAREFUL_TAG if careful else _QUICK_TAG).findall(data):
        if not name:                       # a script, style or comment block (careful scan)
            continue
        name = name.lower()
        if name in skip:
            continue
        if not slash:
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            if len(stack) > deepest:
                deepest = len(stack)
                if stop_above is not None and deepest > stop_above:
                    return deepest
        elif open_count.get(name):
            while stack:
                top = stack.pop()
                open_count[top] -= 1
                if top == name:
                    break
    return deepest


def limit_nesting(data: bytes, max_depth: int) -> tuple[bytes, int]:
    """``(data, depth)``; when ``depth > max_depth`` the tags nested deeper are removed from ``data``."""
    if data.count(b"<") <= max_depth:      # cannot nest deeper than it has tags
        return data, 0
    depth = html_depth(data, stop_above=max_depth)
    if depth <= max_depth:
        return data, depth
    depth = html_depth(data, careful=True)
    if depth <= max_depth:
        return data, depth
    stack: list[tuple[bytes, bool]] = []     # (name, kept)
    open_count: dict[bytes, int] = {}
    out: list[bytes] = []
    pos = 0
    for start, end, name, closing in _tags(data):
        if not closing:
            keep = len(stack) < max_depth
            stack.append((name, keep))
            open_count[name] = open_count.get(name, 0) + 1
        else:
            keep = True
            if open_count.get(name):
                while stack:
                    n, kept = stack.pop()
                    open_count[n] -= 1
                    if n == name:
                        keep = kept
                        break
        if not keep:
            out.append(data[pos:start])
            pos = end
    if not out:   # the quick estimate was inflated (tags inside scripts): nothing is deeper than the limit
        return data, max_depth
    out.append(data[pos:])
    return b"".join(out), depth


def guard_page(page: Page, settings: Settings) -> Page:
    """Flatten an HTML page nested deeper than the limit (in place); says so in ``page.headers``."""
    if page.kind != "html" or not page.data:
        return page
    limit = min(settings.max_html_depth, LXML_SAFE_DEPTH)
    data, depth = limit_nesting(page.data, limit)
    if data is not page.data:
        page.data = data
        page.headers = {**page.headers, FLATTENED_HEADER: f"nesting depth {depth} cut to {limit}"}
    return page
