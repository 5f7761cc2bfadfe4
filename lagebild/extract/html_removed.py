"""What the HTML extractor left out, with a kind: navigation, footer, advert, teaser, boilerplate.

Cheap by design: one walk over the tree finds candidate containers (structural tags, ARIA roles,
elements whose class/id tokens name a kind), the outermost of them only; their block texts that are not
part of the kept article text. Users see *why* something is missing; nothing is silently lost.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
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
_BLOCKS = ("li", "p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "td", "blockquote")
_NO_RANK = len(_KIND_TOKENS)
_NO_PART = (False, _NO_RANK)
#: vocabulary words without a stem: they count only when a stem occurs in the class or id.
_STEMLESS = tuple(w for _, vocab in _KIND_TOKENS for w in vocab if not _STEM.search(w))
_ELEMENT = etree.Element
MAX_BLOCKS = 300
MAX_CHARS = 500


def kind_of(elem: HtmlElement) -> str | None:
    """The boilerplate kind an element's tag, role or class/id names, or None."""
    return _kind(elem.tag, elem.get("role"), elem.get("class"), elem.get("id"))


@lru_cache(maxsize=8192)
def _kind(tag: object, role: str | None, cls: str | None, ident: str | None) -> str | None:
    """kind_of by the element's tag and attributes: the kind the tag or role names, overridden by
    a class/id token's kind (a token's kind never overrides a specific tag/role kind, except an advert)."""
    kind = _TAG_KIND.get(tag) if isinstance(tag, str) else None
    if kind is None and role:
        kind = _ROLE_KIND.get(role.lower())
    if not cls and not ident:
        return kind
    stem_c, rank_c = _part(cls) if cls else _NO_PART
    stem_i, rank_i = _part(ident) if ident else _NO_PART
    if not (stem_c or stem_i):
        return kind
    rank = min(rank_c, rank_i)
    if rank == _NO_RANK:
        return kind
    name = _KIND_TOKENS[rank][0]
    return name if kind in (None, "boilerplate") or name == "advert" else kind


@lru_cache(maxsize=50_000)
def _part(value: str) -> tuple[bool, int]:
    """(whether a stem occurs, rank of the first kind one of its tokens names) for one class or id
    value, memoised. The tokens of ``class + " " + id`` are those of each value (the space
    separates, and every stem and token is ASCII letters and hyphens), so the two values are
    looked up apart: class values recur across elements and pages, unique ids are cheap to tell."""
    low = value.lower()
    stem = _STEM.search(low) is not None
    rank = _NO_RANK
    if stem or any(word in low for word in _STEMLESS):
        tokens = set(_SPLIT.split(low))
        tokens |= {t for tok in list(tokens) for t in tok.split("-")}
        rank = next((i for i, (_, vocab) in enumerate(_KIND_TOKENS) if tokens & vocab), _NO_RANK)
    return stem, rank


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
    outer: dict[HtmlElement, bool] = {}
    for elem, kind in found:
        for text in _block_texts(elem, done, outer):
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
    (except generic ``boilerplate`` ones, which may hold a more specific container).

    One C-level walk over the elements; a found container's subtree is skipped up to its last
    element (descendants come in one run in document order)."""
    found: list[tuple[HtmlElement, str]] = []
    skip_to: HtmlElement | None = None
    for elem in top.iterdescendants(_ELEMENT):
        if skip_to is not None:
            if elem is skip_to:
                skip_to = None
            continue
        get = elem.get
        kind = _kind(elem.tag, get("role"), get("class"), get("id"))
        if kind is not None:
            found.append((elem, kind))
            if kind != "boilerplate":
                skip_to = _last_element(elem)
    return found


def _last_element(elem: HtmlElement) -> HtmlElement | None:
    """The last element of ``elem``'s subtree in document order; None if it has no child element."""
    last = None
    while True:
        child = next((c for c in reversed(elem) if isinstance(c.tag, str)), None)
        if child is None:
            return last
        last = elem = child


def _block_texts(elem: HtmlElement, done: set[HtmlElement], outer: dict[HtmlElement, bool]) -> list[str]:
    """Texts of the innermost blocks of ``elem``. Blocks in ``done`` were read for an earlier
    container (a generic one holds specific ones), so their texts are collected already;
    ``outer`` is the page's memo of _innermost."""
    blocks = _innermost(elem, outer) or [elem]
    texts = []
    for b in blocks:
        if b in done:
            continue
        done.add(b)
        text = " ".join(_text(b).split())
        if len(text) > 1:
            texts.append(text if len(text) <= MAX_CHARS else text[:MAX_CHARS].rsplit(" ", 1)[0] + " …")
    return texts


def _text(elem: HtmlElement) -> str:
    """``elem.text_content()``: the same libxml2 content walk, without an XPath evaluation."""
    return etree.tostring(elem, method="text", encoding=str, with_tail=False)


def _innermost(elem: HtmlElement, outer: dict[HtmlElement, bool]) -> list[HtmlElement]:
    """The blocks of ``elem`` (itself included) without a block inside, in document order: every
    block's nearest block ancestor is not innermost (one short parent walk per block).

    Whether a block holds a block does not depend on the container, so ``outer`` keeps it for
    the page (block -> holds a block): nested generic containers (``widget`` in ``sidebar`` in
    ``header``) repeat the blocks of the outer one, and their walks are skipped."""
    blocks = list(elem.iter(*_BLOCKS))
    if len(blocks) < 2:
        return blocks
    known = outer.get
    if all(known(b) is not None for b in blocks):
        return [b for b in blocks if not outer[b]]
    members = set(blocks)
    found: set[HtmlElement] = set()
    for block in blocks:
        parent = block.getparent()
        while parent is not None:
            if parent in members:
                found.add(parent)
                break
            if parent is elem:
                break
            parent = parent.getparent()
    for b in blocks:
        outer[b] = b in found
    return [b for b in blocks if b not in found] if found else blocks
