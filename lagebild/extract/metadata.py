"""Page metadata from a parsed tree: title, publication date, site, author, section.

One pass over ``<meta>`` tags and the JSON-LD blocks, then the cheap structural fallbacks
(``<title>``, ``<h1>``, ``rel=author``). trafilatura's own metadata extractor gives similar
answers but costs about as much as the whole main-text extraction, so it is not used here.
The date comes from htmldate (fast mode, original publication date preferred).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from lagebild.document import Meta

_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "opinionnewsarticle", "blogposting",
                  "analysisnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting",
                  "report", "scholarlyarticle", "techarticle", "socialmediaposting", "webpage"}
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "dcterms.title", "headline", "title")
_SITE_KEYS = ("og:site_name", "application-name", "publisher", "dc.publisher", "twitter:site")
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "dcterms.creator", "byl", "parsely-author",
                "sailthru.author", "citation_author", "twitter:creator")
_SECTION_KEYS = ("article:section", "section", "parsely-section", "cxenseparse:recs:articlesection",
                 "og:article:section", "sailthru.section", "dc.subject", "article.section", "category")
_DATE_MAX_CHARS = 10
_SPACE = re.compile(r"\s+")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·•»:-]\s+")
_BYLINE = re.compile(r"^(von|by|text:?|autor:?|author:?)\s+", re.I)
#: the first two author-marked elements, in document order. Selected through the attribute axis:
#: a predicate on the few ``rel``/``itemprop`` attributes instead of on every element (libxml2
#: evaluates an element predicate per element: twice the time)
_BYLINE_ELEMENTS = etree.XPath('((//@rel[.="author"] | //@itemprop[.="author"])/..)[position() < 3]')


def extract_meta(root: HtmlElement, url: str | None = None) -> Meta:
    """Metadata of a page; every field may be None. Never raises on odd markup."""
    tags = meta_tags(root)
    ld = _jsonld_article(root)
    site = _first(tags, _SITE_KEYS) or _ld_name(ld.get("publisher")) or _host(url or tags.get("og:url"))
    title = (_first(tags, _TITLE_KEYS) or _text(ld.get("headline")) or _title_tag(root, site)
             or _h1(root))
    author = _author(tags, ld, root)
    section = _first(tags, _SECTION_KEYS) or _section_ld(ld.get("articleSection"))
    return Meta(
        title=_clean(title),
        published=find_published(root, url),
        site=_clean(site.lstrip("@")) if site else None,
        author=_clean(author),
        section=_clean(section),
        url=url or tags.get("og:url") or _canonical(root),
    )


def find_published(root: HtmlElement, url: str | None) -> str | None:
    """Original publication date (ISO ``YYYY-MM-DD``) by htmldate in fast mode, or None."""
    from htmldate import find_date

    if url is None:  # what htmldate looks up itself, but by a C-level walk instead of ElementPath
        url = next((el.get("href") for el in root.iter("link") if el.get("rel") == "canonical"), None)
    try:
        found = find_date(root, url=url, extensive_search=False, original_date=True,
                          outputformat="%Y-%m-%d")
    except Exception:  # htmldate has no documented exception contract; a date is optional
        return None
    return found[:_DATE_MAX_CHARS] if found else None


def meta_tags(root: HtmlElement) -> dict[str, str]:
    """``<meta>`` content by lower-cased property/name/itemprop; the first occurrence wins."""
    out: dict[str, str] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if key:
                out.setdefault(key.strip().lower(), content.strip())
    return out


def _jsonld_objects(root: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.append(item["@graph"])


def _jsonld_article(root: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (or web page), else {}."""
    fallback: dict[str, Any] = {}
    for obj in _jsonld_objects(root):
        kinds = obj.get("@type")
        kinds = {k.lower() for k in kinds if isinstance(k, str)} if isinstance(kinds, list) else {str(kinds).lower()}
        if kinds & _ARTICLE_TYPES - {"webpage"}:
            return obj
        if "webpage" in kinds and not fallback:
            fallback = obj
    return fallback


def _first(tags: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = tags.get(key)
        if value and not value.startswith(("http://", "https://")):
            return value
    return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) if names else None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _section_ld(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return _text(value)


def _author(tags: dict[str, str], ld: dict[str, Any], root: HtmlElement) -> str | None:
    name = _ld_name(ld.get("author")) or _first(tags, _AUTHOR_KEYS)
    if not name:
        for el in _BYLINE_ELEMENTS(root):
            text = _SPACE.sub(" ", el.text_content()).strip()
            if 2 < len(text) < 80:
                name = text
                break
    if name:
        name = _BYLINE.sub("", name.strip())
        if name.startswith("@") or len(name) > 120:
            return None
    return name or None


def _title_tag(root: HtmlElement, site: str | None) -> str | None:
    el = root.find(".//title")
    if el is None or not el.text_content().strip():
        return None
    title = _SPACE.sub(" ", el.text_content()).strip()
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        # the part that is also the page's h1, else the first part not naming the site
        h1 = _SPACE.sub(" ", _h1(root) or "").strip()
        rest = [p for p in parts if not site or site.lower() not in p.lower()] or parts
        title = h1 if h1 in parts else rest[0]
    return title


def _h1(root: HtmlElement) -> str | None:
    el = root.find(".//h1")
    return el.text_content() if el is not None else None


def _canonical(root: HtmlElement) -> str | None:
    for el in root.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href", "").startswith("http"):
            return el.get("href")
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host[4:] if host and host.startswith("www.") else host


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = _SPACE.sub(" ", value).strip()
    return value or None
