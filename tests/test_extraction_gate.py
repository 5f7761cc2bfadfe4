"""Evaluation gate for HTML extraction on the two public benchmark sets.

Runs on a fixed subset (every second page of each set: 91 ScrapingHub pages, 172 trafilatura
pages) so the gate stays under a minute; ``benchmarks/extraction.py`` runs the full sets.
Measured on this subset (2026-11-26, with the fast path for marked article bodies): lagebild F1
.9685 / .9257, trafilatura.extract .9622 / .9273.
Floors sit a little below lagebild's figures; lagebild must also stay at least as good as
trafilatura's default extraction on the same pages (minus a small epsilon).
"""

from __future__ import annotations

import pytest

from lagebild.errors import LagebildError
from lagebild.evaluation.extraction import load_set, page_counts, score
from lagebild.extract.html import extract_html

FLOORS = {"scrapinghub": 0.960, "trafilatura": 0.920}
EPSILON = 0.005


def _lagebild(html: bytes, url: str | None) -> str:
    try:
        return extract_html(html, url=url).text
    except LagebildError:
        return ""


@pytest.mark.shared_data
@pytest.mark.slow
@pytest.mark.parametrize("set_name", sorted(FLOORS))
def test_extraction_f1_gate(shared_data, set_name):
    import trafilatura

    items = load_set(shared_data, set_name)[::2]
    ours = [page_counts(set_name, it, _lagebild(it.html, it.url)) for it in items]
    theirs = [page_counts(set_name, it, trafilatura.extract(it.html) or "") for it in items]
    f1, baseline = score(set_name, ours).f1, score(set_name, theirs).f1
    assert f1 >= FLOORS[set_name], f"{set_name}: F1 {f1:.4f} under the floor {FLOORS[set_name]}"
    assert f1 >= baseline - EPSILON, f"{set_name}: F1 {f1:.4f} below trafilatura's {baseline:.4f}"


def test_scoring_matches_the_benchmarks_definitions():
    from lagebild.evaluation.extraction import scrapinghub_scores, shingle_counts, snippet_counts, snippet_scores

    assert shingle_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_counts("one two three four five", "one two three four")
    assert (tp, fp, fn) == (0.5, 0.0, 0.5)  # shingles (1234) and (2345) vs (1234)
    assert scrapinghub_scores([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]).recall == 0.5
    gold = {"with": ["Satz eins", "Satz zwei"], "without": ["Impressum"]}
    assert snippet_counts(gold, "Satz eins. Impressum") == (1, 1, 1, 0)
    assert snippet_counts(gold, None) == (0, 2, 0, 1)
    s = snippet_scores([(1, 1, 1, 0)])
    assert s.precision == 0.5 and s.recall == 0.5
