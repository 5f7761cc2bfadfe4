"""The stand-in container search must pick the element trafilatura's own XPaths pick on the page."""

from __future__ import annotations

import gzip

import pytest

from lagebild.extract.html_container import (_attributes, _on_page, _on_stand_in, _self_contained, body_xpaths,
                                             find_container)
from lagebild.extract.html_parse import parse_html

PAGES = [
    # nothing to find
    "<html><body><p>Just text.</p><span class='article-body'>not a container tag</span></body></html>",
    # the first expression wins over an earlier <article> (a later expression)
    "<html><body><article><p>teaser</p></article><div class='x'><div class='article-body'><p>a</p></div>"
    "</div></body></html>",
    # many elements of one kind, the container is a later, nested one of another kind
    "<html><body>" + "<div class='row'><div class='col'>x</div></div>" * 30
    + "<section><div id='story'><p>text</p></div></section><div id='story'>second</div></body></html>",
    # union of the last expression: a main element before a class starting with "main"
    "<html><body><main><p>m</p></main><div class='main-area'>d</div></body></html>",
    "<html><body><div class='main-area'>d</div><main><p>m</p></main></body></html>",
    # itemprop, role, a line break inside a class (a pattern anchored at the start must not match)
    "<html><body><div class='a'><div role='article'>r</div></div><div itemprop='articleBody'>b</div></body></html>",
    "<html><body><div class='nav\narticle '>n</div><div class='article wide'>a</div></body></html>",
    "<html><body><div class='Fulltext'>case-insensitive pattern</div><div class='content'>c</div></body></html>",
    "<html><body><div id='content'>c</div><div class='post'>p</div></body></html>",
]


@pytest.mark.parametrize("html", PAGES)
def test_same_container_as_the_xpaths_on_the_page(html: str) -> None:
    root = parse_html(html)
    assert find_container(root) is _on_page(root, body_xpaths())


def test_trafilatura_expressions_qualify_for_the_stand_in() -> None:
    if not body_xpaths():
        pytest.skip("this trafilatura has no BODY_XPATH: the whole-page path is taken")
    assert _attributes() is not None, "an expression reads more than tag and attributes: stand-in unused"


@pytest.mark.parametrize("path", [".//div[p]", ".//*[self::div][../x]", ".//*[@*]", ".//p[@class]",
                                  './/*[contains(text(), "x")]', ".//*[self::div]/span", "(.//article)[2]",
                                  './/*[self::div][@class="a" or span]', ".//*[@class]",
                                  ".//*[self::div or self::p]"])
def test_expressions_that_look_further_are_refused(path: str) -> None:
    assert not _self_contained(path)


@pytest.mark.parametrize("path", ["(.//article)[1]", './/*[self::div][@id="x"][1]',
                                  "(.//*[self::div or self::main][re:test(@class, '^a')])[1]|(.//main)[1]"])
def test_expressions_on_tag_and_attributes_are_accepted(path: str) -> None:
    assert _self_contained(path)


@pytest.mark.shared_data
def test_same_container_on_the_benchmark_pages(shared_data) -> None:
    files = sorted((shared_data / "extraction" / "scrapinghub" / "html").glob("*.html.gz"))
    files += sorted((shared_data / "extraction" / "trafilatura-dev" / "pages").glob("*.gz"))
    assert files
    attrs = _attributes()
    if attrs is None:
        pytest.skip("this trafilatura's expressions do not qualify for the stand-in")
    found = 0
    for f in files:
        html = gzip.decompress(f.read_bytes()).decode("utf-8", "replace")
        try:
            root = parse_html(html)
        except Exception:  # noqa: BLE001 - pages the parser refuses are not this test's business
            continue
        expected = _on_page(root, body_xpaths())
        assert _on_stand_in(root, body_xpaths(), attrs) is expected, f.name
        found += expected is not None
    assert found > len(files) / 3   # most pages have a container: the comparison is not vacuous
