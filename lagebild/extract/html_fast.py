"""Fast main text for the common case: pages that name their article body in the markup.

Most news and blog pages mark the article text with ``itemprop="articleBody"`` or a class/id such
as ``article-body``, ``story-content`` or ``entry-content``, or hold it in their only ``<article>``
(with the page's ``<h1>``): 54 % of the 524 benchmark pages. For those pages one walk over the
(already parsed and pruned) tree finds that container and the boilerplate inside it (share bars,
comments, teasers, captions, hidden elements), and a second walk over the container collects its
text blocks, dropping link farms. That costs about 2 ms a page where trafilatura needs about 20.
Pages without such a container, or where the container yields too little text, return ``None``
and go through trafilatura (lagebild.extract.html). With this path, F1 on the ScrapingHub set rose
(.960 -> .961) and on the trafilatura set fell a little (.933 -> .930, trafilatura itself .931);
see benchmarks/extraction.py.

The output follows trafilatura's text format, so both paths give documents of one shape: one block
per line, list items prefixed with ``- ``, trailing headings dropped, repeated blocks once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

#: class/id tokens of an article-body container (whole tokens; "-", "_" and spaces separate them).
_BODY = re.compile(
    r"(?:^|[\s_-])(?:article|story|post|entry|news|main|page|text|body|content|blog|single|detail)?[-_]?"
    r"(?:article[-_]?body|article[-_]?text|article[-_]?content|article__body|article__content|"
    r"story[-_]?body|story[-_]?content|story[-_]?text|entry[-_]?content|entry[-_]?body|"
    r"post[-_]?content|post[-_]?body|post[-_]?text|post[-_]?entry|body[-_]?text|bodytext|"
    r"text[-_]?content|content[-_]?body|news[-_]?text|news[-_]?body|article[-_]?inner|rich[-_]?text|"
    r"field[-_]?body|td-post-content|single[-_]?content)(?:$|[\s_-])", re.I)
#: a word every alternative of _BODY holds (same case-insensitive matching): a cheap pre-test.
_BODY_HINT = re.compile(r"body|text|content|entry|inner", re.I)
#: class/id tokens of boilerplate inside an article body. Not html_removed's vocabulary, on purpose:
#: that one labels whole page regions, and some of its tokens ("header", "more", "weitere", "info",
#: "tag") name wrappers of real article text when they occur inside the body.
_DISCARD = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|shariff|social|socials|comment|comments|kommentar|kommentare|disqus|"
    r"respond|reply|related|teaser|teasers|recommend|recommended|recommendations|newsletter|subscribe|"
    r"subscription|cookie|cookies|consent|sidebar|banner|breadcrumb|breadcrumbs|button|buttons|tags|"
    r"tag-list|taglist|caption|credit|credits|byline|author|author-box|ad|ads|advert|advertisement|"
    r"anzeige|werbung|sponsored|promo|outbrain|taboola|popular|most-read|mostread|trending|read-more|"
    r"readmore|more-stories|nav|navigation|menu|pagination|pager|hidden|hide|sr-only|visually-hidden|"
    r"dateline|timestamp|toolbar|widget|widgets|login|paywall|footer|masthead|buybox|buy-box|purchase|checkout|"
    r"autor|noprint|print-none)"
    r"(?:$|[\s_-])", re.I)
#: a camelCase boundary ("relatedArticles"), made a token boundary before matching.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_ELEMENT = etree.Element
_CONTAINER_TAGS = frozenset({"div", "article", "section", "main"})
_DISCARDABLE_TAGS = frozenset({"div", "section", "p", "span", "ul", "ol", "aside", "header", "figure", "dl", "table"})
#: elements whose text never belongs to the article (trafilatura drops the same kinds of element).
_NEVER = frozenset(("aside embed footer form head iframe menu object script applet audio canvas figure map "
                    "picture svg video area button datalist dialog frame frameset fieldset link input label "
                    "legend math menuitem nav noindex noscript optgroup option output param progress select "
                    "source style track textarea time use template blink marquee rp rt rtc figcaption").split())
#: elements that start a new text block; everything else is inline and joins the current block.
_BLOCK = frozenset(("p div section article main header h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre "
                    "table tr td th tbody thead tfoot figcaption address center hr br details summary "
                    "caption").split())
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPACES = re.compile(r"\s+")
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_WORD = re.compile(r"\w")
#: a short block starting like this points to other articles ("Lesen Sie auch: …").
_SEE_ALSO = re.compile(r"(?:lesen sie (?:auch|mehr)|lies auch|auch interessant|mehr zum thema|das könnte sie (?:auch )?"
                       r"interessieren|weitere artikel|see also|read (?:more|also|next)|related:|more on this|"
                       r"also read|you may also like|à lire aussi|lire aussi|voir aussi|leggi anche|lee también|"
                       r"te puede interesar|zobacz też|zobacz także|czytaj też|czytaj także)\b", re.I)
#: a list whose text is shorter than this and mostly links is a link list, not article text.
_LINK_LIST_CHARS = 300


@dataclass(slots=True)
class _Block:
    owner: HtmlElement
    parts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One block of text with the texts of its links and the element that holds it."""

    text: str
    links: tuple[str, ...]
    owner: HtmlElement


def article_text(root: HtmlElement, min_chars: int) -> str | None:
    """The text of the page's marked article body, or ``None`` when the page marks none or the
    body yields fewer than ``min_chars`` characters (the caller then runs the full extractor)."""
    container, skip = _scan(root)
    if container is None:
        return None
    text = "\n".join(_kept_lines(text_blocks(container, skip)))
    return text if len(text) >= min_chars else None


def _scan(root: HtmlElement) -> tuple[HtmlElement | None, set[HtmlElement]]:
    """The first marked article body in page order (else the page's only ``<article>`` when it
    holds the page title: teaser lists have many articles, and a lone article without the ``<h1>``
    is often a box beside the real text), and the boilerplate inside it."""
    container: HtmlElement | None = None
    first_article: HtmlElement | None = None
    n_articles = 0
    for el in root.iter(*_CONTAINER_TAGS):  # C-level tag filter: only containers reach Python
        if el.tag == "article":
            n_articles += 1
            if first_article is None:
                first_article = el
        get = el.get
        if get("itemprop") == "articleBody" or _names_body(get("class"), get("id")):
            container = el
            break
    if container is None:
        if n_articles != 1 or first_article.find(".//h1") is None:
            return None, set()
        container = first_article
    return container, _boilerplate_in(container)


def _boilerplate_in(container: HtmlElement) -> set[HtmlElement]:
    """Elements inside ``container`` that hold boilerplate: named so, hidden or ``aria-hidden``."""
    skip: set[HtmlElement] = set()
    for el in container.iterdescendants(_ELEMENT):
        if el.tag in _DISCARDABLE_TAGS:
            get = el.get
            if (_names_discard(get("class"), get("id")) or get("aria-hidden") == "true"
                    or _HIDDEN_STYLE.search(get("style") or "")):
                skip.add(el)
    return skip


def _names_body(cls: str | None, ident: str | None) -> bool:
    """Whether class/id name an article body. A match never spans the space that joined them
    (no alternative holds whitespace), so each value is looked up on its own: class values
    recur across pages and are cached, unique ids are told by one cheap regex."""
    return (cls is not None and _value_names_body(cls)) or (ident is not None and _value_names_body(ident))


@lru_cache(maxsize=4096)
def _value_names_body(value: str) -> bool:
    """Whether one class or id value names an article body (``_BODY_HINT`` first: every
    alternative of ``_BODY`` holds one of its words)."""
    return _BODY_HINT.search(value) is not None and _BODY.search(value) is not None


def _names_discard(cls: str | None, ident: str | None) -> bool:
    """Whether class/id name boilerplate inside an article body (camelCase split first). Like
    _names_body, each value on its own: no match nor camelCase boundary spans the joining space."""
    return (cls is not None and _value_names_discard(cls)) or (ident is not None and _value_names_discard(ident))


@lru_cache(maxsize=4096)
def _value_names_discard(value: str) -> bool:
    return _DISCARD.search(_CAMEL.sub(" ", value)) is not None


def _squeeze(text: str) -> str:
    """``_INVISIBLE.sub("", _SPACES.sub(" ", text)).strip()``: ``str.split`` splits at exactly
    the characters ``\\s`` matches, and the invisible characters are looked for (C-level char
    searches) before the regex runs: most blocks have none."""
    text = " ".join(text.split())
    if ("\u00ad" in text or "\u200b" in text or "\u200c" in text or "\u200d" in text or "\u2060" in text
            or "\ufeff" in text):  # _INVISIBLE_CHARS
        text = _INVISIBLE.sub("", text).strip()
    return text


def text_blocks(container: HtmlElement, skip: set[HtmlElement]) -> list[TextBlock]:
    """The text blocks under ``container`` in page order, without ``skip`` subtrees and elements
    that never hold article text; inline elements join their block, links are noted."""
    out: list[TextBlock] = []

    def flush(block: _Block) -> None:
        if block.parts:
            text = _squeeze("".join(block.parts))
            if text and _WORD.search(text):
                out.append(TextBlock(text, tuple(s for s in (link.strip() for link in block.links) if s),
                                     block.owner))
        block.parts.clear()
        block.links.clear()

    def walk(el: HtmlElement, block: _Block, link: list[str] | None) -> None:
        if el.text:
            block.parts.append(el.text)
            if link is not None:
                link.append(el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NEVER or child in skip:
                pass
            elif tag in _BLOCK:
                flush(block)
                inner = _Block(child)
                walk(child, inner, None)
                flush(inner)
            elif tag == "a":
                parts: list[str] = []
                walk(child, block, parts)
                block.links.append("".join(parts))
                if link is not None:
                    link.extend(parts)
            else:
                walk(child, block, link)
            if child.tail:
                block.parts.append(child.tail)
                if link is not None:
                    link.append(child.tail)

    top = _Block(container)
    walk(container, top, None)
    flush(top)
    return out


def _kept_lines(blocks: list[TextBlock]) -> list[str]:
    """Lines of the blocks that are article text: no link farms, no repeats, no trailing headings."""
    lists: dict[HtmlElement, list[int]] = {}
    for b in blocks:
        if b.owner.tag == "li":
            chars = lists.setdefault(b.owner.getparent(), [0, 0, 0])
            chars[0] += len(b.text)
            chars[1] += sum(map(len, b.links))
            chars[2] += len(b.links)
    lines: list[tuple[str, str]] = []
    seen: set[str] = set()
    for b in blocks:
        if b.owner.tag == "li":
            text_chars, link_chars, n_links = lists[b.owner.getparent()]
            if n_links and text_chars < _LINK_LIST_CHARS and link_chars > 0.8 * text_chars:
                continue
        elif link_dense(b.text, b.links):
            continue
        if len(b.text) < 120 and _SEE_ALSO.match(b.text):
            continue
        if b.text in seen and len(b.text) > 10:
            continue
        seen.add(b.text)
        lines.append((f"- {b.text}" if b.owner.tag == "li" else b.text, b.owner.tag))
    while lines and lines[-1][1] in _HEADINGS:
        lines.pop()
    return [line for line, _ in lines]


def link_dense(text: str, links: tuple[str, ...]) -> bool:
    """A block that is mostly links: a short one mostly linked, one long link, or a link farm."""
    if not links:
        return False
    n = len(text)
    if len(links) == 1 and len(links[0]) > 100 and len(links[0]) > 0.9 * n:
        return True
    link_chars = sum(map(len, links))
    if n < 100:
        return link_chars > 0.5 * n or (len(links) > 1 and sum(len(s) < 10 for s in links) > 0.8 * len(links))
    return len(links) > 4 and 0.5 * n < link_chars < 100 * len(links)
