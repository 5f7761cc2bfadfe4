"""Metadata fast paths equal their plain forms."""

from __future__ import annotations

from lxml import etree

from lagebild.extract.html_parse import parse_html
from lagebild.extract.metadata import _BYLINE_ELEMENTS, extract_meta

_PLAIN_BYLINE = etree.XPath('(//*[@rel="author" or @itemprop="author"])[position() < 3]')


def test_byline_elements_by_attribute_axis_equal_element_predicate():
    pages = [
        "<html><body><p>no author</p></body></html>",
        "<html><head><link rel='author' href='/a'></head><body><span itemprop='author'>Anna Muster</span>"
        "<a rel='author'>Ben</a></body></html>",
        "<html><body><div itemprop='author' rel='author'>Both</div><i rel='Author'>case</i>"
        "<b itemprop='authors'>plural</b><a rel='author'>Second</a><a itemprop='author'>Third</a></body></html>",
        "<html rel='author'><body><p itemprop='author'>x</p></body></html>",
    ]
    for html in pages:
        root = parse_html(html)
        assert _BYLINE_ELEMENTS(root) == _PLAIN_BYLINE(root), html


def test_author_from_byline_element():
    root = parse_html("<html><body><h1>Titel</h1><p><a rel='author'>Von Anna Muster</a></p></body></html>")
    assert extract_meta(root).author == "Anna Muster"
