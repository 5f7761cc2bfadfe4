"""What the HTML extractor left out, with a kind: navigation, footer, advert, teaser, boilerplate.

Cheap by design: one walk over the tree finds candidate containers (structural tags, ARIA roles,
elements whose class/id tokens name a kind), the outermost of them only; their block texts that are not
part of the kept article text. Users see *why* something is missing; nothing is silently lost.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from lagebild.document import Removed

#: class/id tokens -> kind; checked in this order (an "ad" inside "related" is still an advert).
_KIND_TOKENS: tuple[tuple[str, frozenset[str]], ...] = (
    ("advert", frozenset("ad ads advert adverts advertisement advertising anzeige anzeigen werbung sponsored "
                         "sponsor adsense adslot adunit dfp banner commercial promo promotion taboola "
                         "outbrain plista".split())),
    ("teaser", frozenset("related teaser teasers recommended recommendation recommendations empfehlung "
                         "empfehlungen weitere trending popular mostread most-read readmore morestories "
                         "more-stories also-read".split())),
    ("navigation", frozenset("nav navi navigation navbar menu mainmenu submenu breadcrumb breadcrumbs "
                             "pagination pager topnav sitenav skiplinks tags tagcloud".split())),
    ("footer", frozenset("footer foot copyright colophon impressum site-info siteinfo".split())),
    ("boilerplate", frozenset("header masthead cookie cookies consent newsletter share sharing social "
                              "subscribe paywall comments comment sidebar widget login signup".split())),
)
_TAG_KIND = {"nav": "navigation", "footer": "footer", "aside": "boilerplate", "menu": "navigation"}
_ROLE_KIND = {"navigation": "navigation", "contentinfo": "footer", "banner": "boilerplate",
              "complementary": "boilerplate", "menu": "navigation", "menubar": "navigation"}
#: cheap pre-check on class/id before tokenising: any stem of any kind.
_STEM = re.compile(r"nav|menu|breadcrumb|foot|copyright|impressum|colophon|info|ad|anzeige|werbung|sponsor|banner|"
                   r"promo|commercial|taboola|outbrain|plista|teaser|related|recommend|empfehlung|weitere|trend|"
                   r"popular|read|more|pag|tag|cookie|consent|newsletter|shar|social|subscribe|paywall|comment|"
                   r"sidebar|widget|header|masthead|login|signup")
_SPLIT = re.compile(r"[\s_]+|(?<=[a-z])-(?=[a-z])")
_SPACE = re.compile(r"\s+")
_BLOCKS = ("li", "p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "td", "blockquote")
MAX_BLOCKS = 300
MAX_CHARS = 500


def kind_of(elem: HtmlElement) -> str | None:
    """The boilerplate kind an element's tag, role or class/id names, or None."""
    kind = _TAG_KIND.get(elem.tag) if isinstance(elem.tag, str) else None
    if kind is None:
        kind = _ROLE_KIND.get((elem.get("role") or "").lower())
    cls, ident = elem.get("class"), elem.get("id")
    if not cls and not ident:
        return kind
    attrs = f"{cls or ''} {ident or ''}".lower()
    if not _STEM.search(attrs):
        return kind
    tokens = set(_SPLIT.split(attrs))
    tokens |= {t for tok in list(tokens) for t in tok.split("-")}
    for name, vocab in _KIND_TOKENS:
        if tokens & vocab:
            return name if kind in (None, "boilerplate") or name == "advert" else kind
    return kind


def boilerplate_blocks(root: HtmlElement) -> list[tuple[str, str]]:
    """(text, kind) of every block inside a boilerplate container, deduplicated.

    Taken before extraction, because the extractor's input is pruned of ``nav``/``footer``/``aside``.
    Specific kinds are collected first, so a menu inside a generic page header is ``navigation``.
    """
    body = root.find("body")
    found = _outermost(root if body is None else body)
    found.sort(key=lambda pair: pair[1] == "boilerplate")  # stable: page order within each group
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    done: set[HtmlElement] = set()
    for elem, kind in found:
        for text in _block_texts(elem, done):
            if text not in seen:
                seen.add(text)
                out.append((text, kind))
                if len(out) >= MAX_BLOCKS:
                    return out
    return out


def removed_blocks(blocks: list[tuple[str, str]], kept_text: str) -> list[Removed]:
    """The boilerplate blocks that did not make it into the kept text."""
    return [Removed(text, kind) for text, kind in blocks if text not in kept_text]


def _outermost(top: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Boilerplate containers in document order, without descending into one already found
    (except generic ``boilerplate`` ones, which may hold a more specific container)."""
    found: list[tuple[HtmlElement, str]] = []
    stack = [iter(top)]
    while stack:
        elem = next(stack[-1], None)
        if elem is None:
            stack.pop()
            continue
        if not isinstance(elem.tag, str):
            continue
        kind = kind_of(elem)
        if kind is not None:
            found.append((elem, kind))
        if (kind is None or kind == "boilerplate") and len(elem):
            stack.append(iter(elem))
    return found


def _block_texts(elem: HtmlElement, done: set[HtmlElement]) -> list[str]:
    """Texts of the innermost blocks of ``elem``. Blocks in ``done`` were read for an earlier
    container (a generic one holds specific ones), so their texts are collected already."""
    blocks = [b for b in elem.iter(*_BLOCKS) if next(b.iterdescendants(*_BLOCKS), None) is None]
    if not blocks:
        blocks = [elem]
    texts = []
    for b in blocks:
        if b in done:
            continue
        done.add(b)
        text = _SPACE.sub(" ", b.text_content()).strip()
        if len(text) > 1:
            texts.append(text if len(text) <= MAX_CHARS else text[:MAX_CHARS].rsplit(" ", 1)[0] + " …")
    return texts
