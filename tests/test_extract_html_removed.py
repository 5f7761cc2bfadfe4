"""The fast paths of html_removed and html_fast equal their plain forms (same kinds, blocks, texts)."""

from __future__ import annotations

import itertools
import random
import re

from lxml import etree

from lagebild.extract import html_fast, html_removed
from lagebild.extract.html_parse import parse_html

_VALUES = ["", "dfp", "skiplinks", "nav", "x-ad", "ad", "header-ad", "site_info", "most-read", "readmore",
           "main-nav", "Navigation", "NAV-bar", "foot", "cookie-consent", "related-articles", "shadow",
           "download-box", "post-12345", "tagcloud", "ad-slot dfp", "social share", "sidebar widget",
           "article-body", "articleBody", "story__body", "entry-content", "td-post-content", "content",
           "body-text main", "inner", "article-inner x", "relatedArticles", "btn_share", "hidden",
           "a- -b", "x_", "_y", "ΑΣ", "K\u212aoo", "İnfo", "text-content_wrap", "paywall login"]


def _plain_kind(tag, role, cls, ident):
    """The kind by the whole class + id string, tokenised at once (the reference form)."""
    kind = html_removed._TAG_KIND.get(tag) if isinstance(tag, str) else None
    if kind is None and role:
        kind = html_removed._ROLE_KIND.get(role.lower())
    if not cls and not ident:
        return kind
    attrs = f"{cls or ''} {ident or ''}".lower()
    if not html_removed._STEM.search(attrs):
        return kind
    tokens = set(html_removed._SPLIT.split(attrs))
    tokens |= {t for tok in list(tokens) for t in tok.split("-")}
    for name, vocab in html_removed._KIND_TOKENS:
        if tokens & vocab:
            return name if kind in (None, "boilerplate") or name == "advert" else kind
    return kind


def test_kind_by_parts_equals_kind_by_whole_string():
    values = [None, *_VALUES]
    for tag, role in (("div", None), ("nav", None), ("aside", None), ("div", "navigation"), ("footer", "banner")):
        for cls, ident in itertools.product(values, values):
            expected = _plain_kind(tag, role, cls, ident)
            assert html_removed._kind(tag, role, cls, ident) == expected, (tag, role, cls, ident)


def test_kind_by_parts_on_random_values():
    rng = random.Random(7)
    pieces = [*_VALUES, "-", "_", " ", "Ad", "menu", "x", "info"]
    for _ in range(3000):
        cls = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) or None
        ident = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 2))) or None
        assert html_removed._kind("div", None, cls, ident) == _plain_kind("div", None, cls, ident), (cls, ident)


def _nested_page(n_items: int) -> str:
    items = "".join(f"<li><p>Item {i}</p><span>x</span></li>" for i in range(n_items))
    return ("<html><body><div class='header'><div class='widget'><div class='widget-inner'>"
            f"<ul>{items}</ul><td><p>Zelle</p><blockquote>Zitat <p>innen</p></blockquote></td></div></div>"
            "<nav><li>Start</li><li><div><p>Tief</p></div></li></nav></div>"
            "<p class='ad'>Anzeige ohne Block</p><div class='share'>Teilen</div></body></html>")


def _plain_innermost(elem):
    blocks = list(elem.iter(*html_removed._BLOCKS))
    return [b for b in blocks if next(b.iterdescendants(*html_removed._BLOCKS), None) is None]


def test_innermost_and_text_equal_plain_forms():
    for n_items in (1, 5, 60):
        root = parse_html(_nested_page(n_items))
        outer: dict = {}
        for elem in root.iter(etree.Element):
            assert html_removed._innermost(elem, outer) == _plain_innermost(elem)  # memo shared on purpose
            assert html_removed._innermost(elem, {}) == _plain_innermost(elem)
            assert html_removed._text(elem) == elem.text_content()


def test_boilerplate_blocks_nested_containers():
    root = parse_html(_nested_page(3))
    blocks = html_removed.boilerplate_blocks(root)
    assert ("Start", "navigation") in blocks and ("Tief", "navigation") in blocks
    assert ("Item 0", "boilerplate") in blocks and ("innen", "boilerplate") in blocks
    assert ("Anzeige ohne Block", "advert") in blocks
    assert ("Teilen", "boilerplate") in blocks


def test_names_body_by_parts_equals_whole_string():
    values = [None, *_VALUES]
    for cls, ident in itertools.product(values, values):
        plain = (cls is not None or ident is not None) and html_fast._BODY.search(
            f"{cls or ''} {ident or ''}") is not None
        assert html_fast._names_body(cls, ident) == plain, (cls, ident)


def test_body_hint_is_in_every_alternative():
    core = html_fast._BODY.pattern.split(")?[-_]?(?:", 1)[1].split(")(?:$", 1)[0]
    alternatives = re.sub(r"\[[^]]*\]\??", "", core).split("|")
    assert len(alternatives) > 20
    for alt in alternatives:
        assert html_fast._BODY_HINT.search(alt), alt


def test_xml_safe_utf8_equals_plain_form():
    from lagebild.extract.html_parse import _CONTROL_BYTES, _xml_safe_utf8

    for text in ("plain", "a\ufffeb\uffffc\x01\x1f", "\ufffd\ufffe", "x\ud800y\uffff", "\uffef\uffbf\ufffe", "\ufffd"):
        plain = text.encode("utf-8", "surrogatepass").translate(None, _CONTROL_BYTES)
        plain = plain.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
        assert _xml_safe_utf8(text) == plain, text


def test_names_discard_by_parts_equals_whole_string():
    values = [None, *_VALUES, "shareBar", "x relatedArticles", "noprint", "sr-only", "autor_box", "Ad"]
    for cls, ident in itertools.product(values, values):
        plain = (cls is not None or ident is not None) and html_fast._DISCARD.search(
            html_fast._CAMEL.sub(" ", f"{cls or ''} {ident or ''}")) is not None
        assert html_fast._names_discard(cls, ident) == plain, (cls, ident)


def test_squeeze_equals_regex_form():
    samples = ["", " ", "a  b", "\u200b a \u200b b \u00ad", " \ufeff x", "x\u00a0\u2003y\n\t", "\u2060", "a\u200cb",
               "\u3000Ende\u0085", "\x1c\x1dz\x1e\x1f"]
    alphabet = " \u200bab\u00ad\n\u00a0\u2028"
    samples += ["".join(random.Random(i).choice(alphabet) for _ in range(12)) for i in range(500)]
    for text in samples:
        plain = html_fast._INVISIBLE.sub("", html_fast._SPACES.sub(" ", text)).strip()
        assert html_fast._squeeze(text) == plain, repr(text)
