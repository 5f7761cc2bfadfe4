"""The fast path for pages that mark their article body (lagebild.extract.html_fast)."""

from __future__ import annotations

from lagebild.extract.html import extract_html
from lagebild.extract.html_fast import article_text, link_dense
from lagebild.extract.html_parse import drop_non_text, drop_page_furniture, parse_html

PARAGRAPH = ("Die Außenminister der sieben Staaten trafen sich am Dienstag in Berlin und berieten "
             "über neue Sanktionen, die Lage an der Front und die Hilfe für die Zivilbevölkerung. ")


def _root(body: str):
    root = parse_html(f"<html><head><title>t</title></head><body>{body}</body></html>")
    drop_non_text(root)
    drop_page_furniture(root)
    return root


def _article(inner: str, attrs: str = 'class="article-body"') -> str:
    return (f"<header><a href='/'>Startseite</a></header><div class='teaser-row'><p>{PARAGRAPH}</p></div>"
            f"<div {attrs}>{inner}</div><div class='footer-links'><p>Impressum und Datenschutz</p></div>")


def test_marked_body_is_taken_without_its_boilerplate():
    inner = (f"<h2>Gipfel in Berlin</h2><p>{PARAGRAPH * 3}</p>"
             "<div class='share-bar'><p>Teilen auf Facebook und Twitter und per E-Mail</p></div>"
             "<div class='relatedArticles'><p>Ein ganz anderer Artikel mit langem Titel über Fußball</p></div>"
             "<figure><figcaption>Foto: Agentur für Bilder</figcaption></figure>"
             "<div class='image'><figcaption>Bild: Agentur</figcaption></div>"
             "<div class='artDetailAutor'><p>Leiterin der Redaktion Politik</p></div>"
             "<p style='display:none'>Versteckter Text, den niemand sieht</p>"
             f"<ul><li>Erster Punkt der Liste mit Inhalt</li><li>Zweiter Punkt</li></ul><p>{PARAGRAPH}</p>"
             "<p>Lesen Sie auch: <a href='/x'>Noch ein Artikel</a></p>"
             "<div id='comments'><p>Leserkommentar: Das sehe ich ganz anders als der Autor hier.</p></div>"
             "<h3>Mehr aus dem Ressort</h3>")
    text = article_text(_root(_article(inner)), 300)
    assert text is not None
    lines = text.split("\n")
    assert lines[0] == "Gipfel in Berlin"
    assert "- Erster Punkt der Liste mit Inhalt" in lines and "- Zweiter Punkt" in lines
    for gone in ("Teilen", "anderer Artikel", "Foto", "Bild:", "Leiterin", "Versteckter", "Lesen Sie auch", "Leserkommentar",
                 "Mehr aus dem Ressort", "Startseite", "Impressum"):
        assert gone not in text, gone
    assert text.count("Außenminister") == 4   # three in one paragraph, one in another; the teaser is outside


def test_itemprop_article_body_counts_as_marked():
    text = article_text(_root(_article(f"<p>{PARAGRAPH * 4}</p>", attrs='itemprop="articleBody"')), 300)
    assert text is not None and text.startswith("Die Außenminister")


def test_a_single_article_with_the_title_is_the_body_but_one_of_several_is_not():
    one = f"<div class='teaser-list'><p>{PARAGRAPH}</p></div><article><h1>Titel</h1><p>{PARAGRAPH * 4}</p></article>"
    assert article_text(_root(one), 300) == "Titel\n" + (PARAGRAPH * 4).strip()
    no_title = f"<h1>Titel</h1><article><p>{PARAGRAPH * 4}</p></article>"
    assert article_text(_root(no_title), 300) is None
    many = f"<article><p>{PARAGRAPH * 4}</p></article><article><p>{PARAGRAPH * 4}</p></article>"
    assert article_text(_root(many), 300) is None


def test_unmarked_or_short_bodies_are_left_to_the_full_extractor():
    assert article_text(_root(f"<div class='wrapper'><p>{PARAGRAPH * 4}</p></div>"), 300) is None
    assert article_text(_root(_article(f"<p>{PARAGRAPH}</p>")), 300) is None


def test_inline_markup_joins_its_block_and_soft_hyphens_go():
    inner = f"<p>Der Kanz\u00adler <b>sprach</b> mit <a href='/p'>Präsident Macron</a> über Europa. {PARAGRAPH * 3}</p>"
    text = article_text(_root(_article(inner)), 300)
    assert text is not None and text.startswith("Der Kanzler sprach mit Präsident Macron über Europa.")


def test_link_density():
    assert link_dense("Mehr: Alles über die Wahl", ("Alles über die Wahl",))
    assert not link_dense("Der Bericht der Kommission liegt vor, sagte sie.", ("Bericht",))
    assert not link_dense(PARAGRAPH, ())
    farm = " ".join(f"Link Nummer {i}" for i in range(8))
    assert link_dense(farm + " " + "x" * 20, tuple(f"Link Nummer {i}" for i in range(8)))


def test_extract_html_uses_the_fast_path_and_keeps_removed_blocks():
    page = f"<html><body><nav><a href='/'>Politik</a> <a href='/w'>Wirtschaft</a></nav>{_article(f'<p>{PARAGRAPH * 4}</p>')}</body></html>"
    result = extract_html(page.encode())
    assert result.text.startswith("Die Außenminister")
    assert "Politik" not in result.text
    assert any(r.kind == "navigation" for r in result.removed)
