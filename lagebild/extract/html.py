"""HTML main-text extraction: the article text, what was removed and why, and the metadata.

How (measured on the ScrapingHub and trafilatura evaluation sets, see benchmarks/extraction.py):

1. decode (lagebild.extract.encoding), parse once with lxml into a depth-bounded tree with
   C-level element lookup (html_parse), and drop subtrees that never carry text (style, svg,
   iframes, non-JSON-LD scripts): every later tree walk gets cheaper;
2. metadata from that tree (metadata.py: meta tags, JSON-LD, htmldate in fast mode);
   the texts of boilerplate containers are noted (html_removed), then ``nav``, ``footer``,
   ``aside``, ``menu`` and form controls are pruned: trafilatura drops them anyway, but only after
   several whole-tree passes and copies; pruning first made it 25-40 % faster at equal F1;
3. main text: pages that mark their article body (``itemprop="articleBody"``, ``article-body``,
   ``entry-content``… about half of all pages) take a fast path of their own (html_fast, ~2 ms);
   the others go to trafilatura in fast mode, without comments (reader comments are not article
   text and cost a third of trafilatura's time). Where trafilatura's own content-container XPaths
   find a container (found on a stand-in page, html_container), it gets only that container
   (``_on_body``): 167 of the 524 benchmark pages
   end there at about half the cost (1000+ characters: the same text as from the whole page but on
   one page). Where the container's fast result is short (400-1000 characters, 40 pages), the full
   cascade (readability/justext comparison, baseline, recall retry) runs on the container too:
   6 ms instead of 37 ms on the whole page, F1 +.002 on ScrapingHub and -.0005 on the trafilatura
   set. Pages without a usable container go to fast mode on the whole page, and the full cascade
   runs on the whole page where that result is short (under ``_CASCADE_CHARS``). That keeps
   trafilatura's best-quality path for the pages that need it and beats default
   ``trafilatura.extract`` in both F1 and speed;
4. removed blocks: the boilerplate blocks noted in step 2 that are not in the kept text.
"""

from __future__ import annotations

import re
from email.message import Message
from itertools import islice

from lxml import etree

from lagebild.document import Meta
from lagebild.errors import Code, LagebildError
from lagebild.extract.encoding import decode_bytes
from lagebild.extract.html_container import find_container
from lagebild.extract.html_fast import article_text
from lagebild.extract.html_parse import drop_non_text, drop_page_furniture, parse_html
from lagebild.extract.html_removed import boilerplate_blocks, removed_blocks
from lagebild.extract.metadata import extract_meta
from lagebild.extract.result import Extracted
from lagebild.settings import Settings

#: a marked article body with at least this much text is trusted without trafilatura.
_SURE_CHARS = 1000
#: a trafilatura fast-mode result shorter than this gets the full cascade. (600 looked as good on the
#: dev halves of both sets, 18 pages in question, but lost .007 F1 on the trafilatura gate half.)
_CASCADE_CHARS = 1000
#: a content container with less text than this is not worth a call of its own; from one with more,
#: trafilatura's text is taken (on the dev halves it was the whole page's text but for one page).
_SHORT_BODY_CHARS = 400
#: a result this short is checked for being nothing but a noscript notice.
_NOTICE_CHARS = 300
#: pages with more elements than this get the plain block pass instead of trafilatura.
_HUGE_ELEMENTS = 40_000
_ELEMENT = etree.Element
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd")
_BLANK_LINES = re.compile(r"[ \t\u00a0]*\n\s*")
_DEFAULT_SETTINGS = Settings()


def extract_html(data: bytes, url: str | None = None, settings: Settings | None = None,
                 content_type: str | None = None) -> Extracted:
    """Article text (one block per line, headings kept), removed blocks and metadata of a page.

    Raises E201 when no article text is found and E202 when the HTML cannot be parsed.
    """
    settings = settings or _DEFAULT_SETTINGS
    html = decode_bytes(data, hint=charset_of(content_type))
    if not html.strip():
        raise LagebildError(Code.E201, detail="the page is empty")
    root = parse_html(html, settings.max_html_depth)
    drop_non_text(root)
    try:
        meta = extract_meta(root, url)
    except Exception:  # metadata is optional: hostile JSON-LD or markup must not cost the text
        meta = Meta(url=url)
    blocks = boilerplate_blocks(root)
    drop_page_furniture(root)
    text = main_text(root, url)
    if not text:
        raise LagebildError(Code.E201, detail="the extractor found no main text")
    if len(text) < _NOTICE_CHARS and _only_noscript(root, text):
        raise LagebildError(Code.E201, detail="the page only says to enable JavaScript (script-rendered page)")
    return Extracted(text, removed_blocks(blocks, text), meta)


def main_text(root, url: str | None = None) -> str:
    """The marked article body when the page has one; else trafilatura fast mode first, the full
    cascade when the fast result is short or empty; a plain block pass for huge pages (trafilatura
    needs about a minute for 200,000 paragraphs)."""
    import trafilatura

    if next(islice(root.iter(_ELEMENT), _HUGE_ELEMENTS, None), None) is not None:  # C-level, stops early
        return normalise_text(block_text(root))
    try:
        text = article_text(root, _SURE_CHARS)
        if text is not None:
            return normalise_text(text)
        text = _on_body(root, url)
        if text is None:
            text = trafilatura.extract(root, url=url, fast=True, include_comments=False) or ""
            if len(text) < _CASCADE_CHARS:
                text = trafilatura.extract(root, url=url, include_comments=False) or text
    except RecursionError:
        raise LagebildError(Code.E202, detail="markup nested too deeply to walk") from None
    except (ValueError, TypeError, AssertionError) as err:  # trafilatura/lxml on hostile markup
        raise LagebildError(Code.E202, detail=f"{type(err).__name__}: {str(err)[:200]}") from None
    return normalise_text(text)


def _on_body(root, url: str | None) -> str | None:
    """trafilatura on only the content container its own ``BODY_XPATH`` would pick: fast mode,
    and the full cascade when that result is short.

    trafilatura cleans, converts and copies the whole tree several times before it picks that
    container; on the container alone it does the same work on a fraction of the elements (about
    half the time in fast mode, a sixth in the full cascade). ``None`` when the page has no such
    container, or it holds too little text or is mostly links, or its fast result is under
    ``_SHORT_BODY_CHARS``: the whole page goes to trafilatura then. The element is moved into a
    bare ``<html><body>`` for the calls and put back afterwards.
    """
    container = find_container(root)
    parent = container.getparent() if container is not None else None
    if parent is None or container.tag in ("html", "body"):
        return None
    chars = len(container.text_content())
    if chars < _SHORT_BODY_CHARS or sum(len(a.text_content()) for a in container.iter("a")) > chars / 2:
        # a link-dense container (a menu) is pruned by trafilatura, which then looks elsewhere
        return None
    import trafilatura

    index, tail = parent.index(container), container.tail
    page = root.makeelement("html")
    body = root.makeelement("body")
    page.append(body)
    body.append(container)
    try:
        text = trafilatura.extract(page, url=url, fast=True, include_comments=False) or ""
        if len(text) < _SHORT_BODY_CHARS:
            return None
        if len(text) < _CASCADE_CHARS:
            text = trafilatura.extract(page, url=url, include_comments=False) or text
        return text
    finally:
        parent.insert(index, container)
        container.tail = tail


def block_text(root) -> str:
    """Text of the innermost paragraph-like blocks, in page order (boilerplate already pruned)."""
    lines: list[str] = []
    for el in root.iter(*_BLOCK_TAGS):
        if any(True for _ in el.iterchildren(*_BLOCK_TAGS)):
            continue
        line = " ".join(el.text_content().split())
        if line and (not lines or lines[-1] != line):
            lines.append(line)
    return "\n".join(lines)


def _only_noscript(root, text: str) -> bool:
    """True when every kept line comes from a ``<noscript>`` notice (a script-rendered page)."""
    notices = " ".join(el.text_content() for el in root.iter("noscript"))
    return bool(notices) and all(line in notices for line in text.split("\n"))


def normalise_text(text: str) -> str:
    """One block per line: trim each line, drop empty lines."""
    return _BLANK_LINES.sub("\n", text).strip()


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    msg = Message()
    msg["content-type"] = content_type
    charset = msg.get_param("charset")
    return charset.strip().strip('"\'') if isinstance(charset, str) and charset.strip() else None
