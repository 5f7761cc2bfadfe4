"""HTML extraction on small pages written for these tests (German and English, hostile input)."""

from __future__ import annotations

import json

import pytest

from lagebild.errors import Code, LagebildError
from lagebild.extract.html import charset_of, extract_html
from lagebild.extract.html_parse import flatten_markup, parse_html
from lagebild.extract.html_removed import kind_of
from lagebild.extract.metadata import extract_meta
from lagebild.settings import Settings

DE_PARAS = [
    "Der russische Präsident Wladimir Putin hat am Mittwoch in Moskau den nordkoreanischen Machthaber "
    "Kim Jong Un empfangen. Beide Seiten unterzeichneten ein Abkommen über militärische Zusammenarbeit.",
    "Nach Angaben des Kremls sollen die Streitkräfte beider Länder künftig gemeinsame Manöver abhalten. "
    "Beobachter in Seoul und Tokio äußerten sich besorgt über die Vertiefung der Allianz.",
    "Die Bundesregierung kritisierte das Treffen scharf. Ein Sprecher des Auswärtigen Amtes sagte, die "
    "Vereinbarung verstoße gegen mehrere Resolutionen des UN-Sicherheitsrats.",
    "Experten rechnen damit, dass Nordkorea im Gegenzug Munition und Raketen an Russland liefert, die im "
    "Krieg gegen die Ukraine eingesetzt werden könnten. Beweise dafür legte bislang niemand vor.",
]
EN_PARAS = [
    "The European Union agreed on Thursday to impose a new package of sanctions on Russian energy "
    "companies, diplomats in Brussels said after a meeting of ambassadors that lasted late into the night.",
    "The measures target shipping firms accused of helping Moscow evade an oil price cap, and freeze the "
    "assets of several senior executives. Hungary had delayed the decision for weeks.",
    "Officials in Kyiv welcomed the move but called for tougher steps. The Kremlin dismissed the sanctions "
    "as illegal and said they would hurt European consumers more than Russia.",
    "The package still needs formal approval by member states, which is expected next week.",
]


def page(lang: str, paras: list[str], heading: str, extra_head: str = "") -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    html = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{heading} | Beispielzeitung</title>
{extra_head}
<script>var tracking = "<p>not text</p>";</script><style>p {{ color: red }}</style>
</head><body>
<header class="site-header"><a href="/">Beispielzeitung</a></header>
<nav class="main-nav"><ul><li><a href="/politik">Politik</a></li><li><a href="/wirtschaft">Wirtschaft</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/kultur">Kultur</a></li></ul></nav>
<main><article>
<h1>{heading}</h1>
<p class="byline">Von Anna Muster</p>
{body}
<h2>Zwischenüberschrift zur Lage</h2>
<p>{paras[0]}</p>
</article>
<div class="ad-container"><p>RETTE DEIN GELD! Jetzt gratis Webinar sichern und anmelden!</p></div>
<aside class="related-articles"><h3>Mehr zum Thema</h3><ul><li><a href="/a">Ein anderer Artikel über etwas</a></li>
<li><a href="/b">Noch ein Artikel über etwas ganz anderes</a></li></ul></aside>
</main>
<footer class="site-footer"><p>© 2025 Beispielzeitung GmbH</p><p><a href="/impressum">Impressum</a> · <a href="/datenschutz">Datenschutz</a></p></footer>
</body></html>"""
    return html.encode("utf-8")


DE_HEAD = """<meta property="og:title" content="Moskau und Pjöngjang vertiefen ihre Allianz">
<meta property="og:site_name" content="Beispielzeitung">
<meta name="author" content="Anna Muster">
<meta property="article:section" content="Politik">
<meta property="article:published_time" content="2025-09-03T10:15:00+02:00">
<meta property="article:modified_time" content="2025-09-05T08:00:00+02:00">"""

EN_LD = {
    "@context": "https://schema.org", "@type": "NewsArticle", "headline": "EU agrees new Russia sanctions",
    "datePublished": "2024-02-22T18:00:00Z", "dateModified": "2024-02-23T09:00:00Z",
    "author": [{"@type": "Person", "name": "John Smith"}, {"@type": "Person", "name": "Jane Doe"}],
    "publisher": {"@type": "Organization", "name": "Example News"}, "articleSection": ["World", "Europe"],
}
EN_HEAD = f'<script type="application/ld+json">{json.dumps(EN_LD)}</script>'


@pytest.fixture(scope="module")
def german():
    return extract_html(page("de", DE_PARAS, "Moskau und Pjöngjang vertiefen ihre Allianz", DE_HEAD),
                        url="https://www.beispielzeitung.de/politik/allianz-123.html")


@pytest.fixture(scope="module")
def english():
    return extract_html(page("en", EN_PARAS, "EU agrees new Russia sanctions", EN_HEAD),
                        url="https://news.example.com/world/eu-sanctions")


def test_german_article_text_kept_boilerplate_dropped(german):
    lines = german.text.split("\n")
    for para in DE_PARAS:
        assert para in lines
    assert "Zwischenüberschrift zur Lage" in lines  # headings kept, one per line
    for noise in ("Wirtschaft", "RETTE DEIN GELD", "Impressum", "Noch ein Artikel", "tracking", "color: red"):
        assert noise not in german.text


def test_removed_blocks_have_kinds(german):
    kinds = {r.text: r.kind for r in german.removed}
    assert kinds.get("Wirtschaft") == "navigation"
    assert kinds.get("Noch ein Artikel über etwas ganz anderes") == "teaser"
    assert any(k == "advert" and "RETTE DEIN GELD" in t for t, k in kinds.items())
    assert any(k == "footer" and "Impressum" in t for t, k in kinds.items())
    for removed in german.removed:  # nothing reported as removed is in the kept text
        assert removed.text not in german.text


def test_german_metadata_from_meta_tags(german):
    meta = german.meta
    assert meta.title == "Moskau und Pjöngjang vertiefen ihre Allianz"
    assert meta.published == "2025-09-03"  # original date, not the modification date
    assert meta.site == "Beispielzeitung"
    assert meta.author == "Anna Muster"
    assert meta.section == "Politik"
    assert meta.url == "https://www.beispielzeitung.de/politik/allianz-123.html"


def test_english_article_and_jsonld_metadata(english):
    for para in EN_PARAS:
        assert para in english.text
    assert "Politik" not in english.text
    meta = english.meta
    assert meta.title == "EU agrees new Russia sanctions"
    assert meta.published == "2024-02-22"
    assert meta.site == "Example News"
    assert meta.author == "John Smith, Jane Doe"
    assert meta.section == "World"


def test_title_from_title_tag_without_site_suffix():
    html = page("en", EN_PARAS, "Ceasefire talks resume in Cairo")
    meta = extract_meta(parse_html(html.decode()), None)
    assert meta.title == "Ceasefire talks resume in Cairo"
    assert meta.published is None or len(meta.published) == 10


def test_date_from_url_when_page_has_none():
    html = page("en", EN_PARAS, "Talks resume")
    result = extract_html(html, url="https://example.com/2023/05/17/talks-resume.html")
    assert result.meta.published == "2023-05-17"


def test_charset_from_content_type():
    html = page("de", DE_PARAS, "Grüße aus Köln").decode("utf-8").replace('<meta charset="utf-8">', "")
    data = html.encode("iso-8859-1")
    result = extract_html(data, content_type="text/html; charset=ISO-8859-1")
    assert "Präsident" in result.text
    assert charset_of('text/html; charset="windows-1252"') == "windows-1252"
    assert charset_of("text/html") is None
    assert charset_of(None) is None


def test_empty_page_is_e201():
    for data in (b"", b"   \n ", b"<html></html>", b"<html><body></body></html>"):
        with pytest.raises(LagebildError) as err:
            extract_html(data)
        assert err.value.code is Code.E201


def test_script_only_page_is_e201():
    data = b"<html><head><script>document.write('<p>' + 'x'.repeat(5000) + '</p>')</script></head><body>" \
           b"<script src='app.js'></script><noscript>Please enable JavaScript.</noscript></body></html>"
    with pytest.raises(LagebildError) as err:
        extract_html(data)
    assert err.value.code is Code.E201


def test_deeply_nested_page_keeps_its_text():
    para = DE_PARAS[0]
    deep = "<html><body>" + "<div>" * 50_000 + f"<p>{para}</p><p>{DE_PARAS[1]}</p>" + "</div>" * 50_000 \
           + f"<p>{DE_PARAS[2]}</p></body></html>"
    result = extract_html(deep.encode())
    assert para in result.text
    assert DE_PARAS[2] in result.text


def test_depth_limit_setting_is_respected():
    deep = "<html><body>" + "<div>" * 600 + "<p>" + " ".join(EN_PARAS) + "</p>" + "</div>" * 600 + "</body></html>"
    root = parse_html(deep, max_depth=40)
    depth, el = 0, root
    while len(el):
        el, depth = el[0], depth + 1
    assert depth <= 45
    assert EN_PARAS[0] in root.text_content()
    result = extract_html(deep.encode(), settings=Settings(max_html_depth=40))
    assert EN_PARAS[1] in result.text


def test_flatten_markup_keeps_text_and_shallow_tags():
    out = flatten_markup("<div><div><div><p>Hallo</p></div></div></div><br/>", 2)
    assert out.count("<div>") == 2 and "<p>Hallo</p>" in out and "<br/>" in out


@pytest.mark.parametrize("data", [
    b"<<<<>>>><html<body>>" + DE_PARAS[0].encode() * 5,
    b"<html><body><p>" + EN_PARAS[0].encode() + b"<table><tr><td><p>" + EN_PARAS[1].encode() * 3,
    b"<!DOCTYPE html PUBLIC \"broken><html/><body><p>" + EN_PARAS[2].encode() * 4 + b"</p>",
    b"<html><body>" + b"<p title='" + b"x" * 200_000 + b"'>" + EN_PARAS[3].encode() * 6 + b"</p></body></html>",
    b"<html><body><p>&#0;&#xD800;&#x110000;&bogus; " + DE_PARAS[3].encode() * 4 + b"</p></body></html>",
    b"<svg><script>alert(1)</script></svg><math><mi>x</mi></math><iframe srcdoc='<p>hi</p>'></iframe>",
    b"\xef\xbb\xbf<html><body><p>" + "Ünïcödé mit BOM und Umlauten äöü. ".encode() * 20 + b"</p></body></html>",
    b"<html><body>" + b"</div>" * 10_000 + b"<p>" + EN_PARAS[0].encode() * 3 + b"</p></body></html>",
    b"<html><body>" + b"<b><i>" * 20_000 + EN_PARAS[1].encode() * 3 + b"</body></html>",
])
def test_hostile_html_never_crashes(data):
    try:
        result = extract_html(data)
    except LagebildError as err:
        assert err.code in (Code.E201, Code.E202, Code.E103, Code.E109)
    else:
        assert isinstance(result.text, str) and result.text == result.text.strip()


def test_large_page():
    paras = "".join(f"<p>{DE_PARAS[i % 4]} Absatz {i}.</p>" for i in range(8000))
    data = f"<html><body><nav><a href='/'>Start</a></nav><article>{paras}</article></body></html>".encode()
    assert len(data) > 1_500_000
    result = extract_html(data)
    assert "Absatz 5999." in result.text


def test_kind_of_tokens():
    root = parse_html("<html><body><div class='header-ad'>x</div><div id='breadcrumb-list'>y</div>"
                      "<div class='download-box'>z</div><div class='shadow'>w</div></body></html>")
    divs = root.findall(".//div")
    assert [kind_of(d) for d in divs] == ["advert", "navigation", None, None]


def test_hostile_jsonld_does_not_cost_the_text():
    bomb = "[" * 100_000 + "]" * 100_000
    head = f'<script type="application/ld+json">{bomb}</script><script type="application/ld+json">{{"@type": 5}}</script>'
    result = extract_html(page("en", EN_PARAS, "Sanctions", head))
    assert EN_PARAS[0] in result.text
    assert result.meta.title == "Sanctions"


def test_huge_pages_use_the_plain_block_pass(monkeypatch):
    import lagebild.extract.html as html_mod

    monkeypatch.setattr(html_mod, "_HUGE_ELEMENTS", 10)
    data = page("de", DE_PARAS, "Große Seite")
    result = extract_html(data)
    lines = result.text.split("\n")
    for para in DE_PARAS:
        assert para in lines
    assert "Wirtschaft" not in lines  # navigation is pruned before the block pass too


def test_text_node_over_libxml_buffer_limit():
    data = b"<html><body><p>" + b"Wort " * 2_200_000 + b"</p></body></html>"
    assert len(extract_html(data).text) > 10_000_000


def test_trafilatura_gets_only_its_content_container_and_the_tree_is_restored():
    from lagebild.extract.html import _on_body, main_text

    body = "".join(f"<p>{p}</p>" for p in EN_PARAS * 2)
    html = (f"<html><body><div class='teaser'><p>{'Anderes Thema, kurz angerissen. ' * 10}</p></div>"
            f"<div class='content'>{body}</div>after<div id='more'><p>Noch ein Satz.</p></div></body></html>")
    root = parse_html(html)
    before = [(el.tag, el.get("class"), el.tail) for el in root.iter()]
    text = _on_body(root, None)
    assert text is not None and EN_PARAS[0] in text and "Anderes Thema" not in text
    assert [(el.tag, el.get("class"), el.tail) for el in root.iter()] == before
    assert main_text(root) == text.strip()


def test_a_short_container_result_gets_the_full_cascade_on_the_container_alone(monkeypatch):
    import trafilatura

    from lagebild.extract.html import main_text

    calls: list[tuple[str, bool]] = []
    real = trafilatura.extract

    def spy(tree, **kwargs):
        calls.append((tree.find("body")[0].get("class") or "page", kwargs.get("fast", False)))
        return real(tree, **kwargs)

    monkeypatch.setattr(trafilatura, "extract", spy)
    body = "".join(f"<p>{p}</p>" for p in EN_PARAS[:3])          # 548 characters: a short result
    root = parse_html(f"<html><body><div class='nav-strip'><p>{'Anderes Thema, kurz. ' * 10}</p></div>"
                      f"<div class='content'>{body}</div></body></html>")
    before = [(el.tag, el.get("class"), el.tail) for el in root.iter()]
    text = main_text(root)
    assert EN_PARAS[0] in text and "Anderes Thema" not in text
    assert calls == [("content", True), ("content", False)]      # fast, then the cascade: both on the container
    assert [(el.tag, el.get("class"), el.tail) for el in root.iter()] == before


def test_a_link_dense_content_container_goes_to_the_whole_page():
    from lagebild.extract.html import _on_body

    menu = "".join(f"<li><a href='/x{i}'>Menüpunkt Nummer {i} mit Text</a></li>" for i in range(40))
    root = parse_html(f"<html><body><div id='content'><ul>{menu}</ul></div>"
                      f"<div>{''.join(f'<p>{p}</p>' for p in DE_PARAS)}</div></body></html>")
    assert _on_body(root, None) is None
