"""Evaluation gate for the text-dump classifier, on held-out pages only.

The model is retrained here on folds of pages (3-fold, grouped by page, fixed seed) and each page
is scored by the model that did not see it; the char-weighted F1 of ``main`` (score_textdump.py's
metric) must stay above the recorded floors. Floors sit slightly under what was measured
(see benchmarks/results/textdump.json for the 5-fold figures) and only go up.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lagebild.extract import textdump_train as T

FOLDS = 3
FLOORS = {"scrapinghub": 0.90, "trafilatura-dev": 0.94}


@pytest.fixture(scope="module")
def pages(shared_data: Path) -> list[T.Page]:
    return T.load_pages(shared_data)


@pytest.mark.shared_data
def test_cross_validated_f1_above_floor(pages: list[T.Page]) -> None:
    oof = T.cross_val_scores(pages, k=FOLDS, seed=0)
    measured = {}
    for name, floor in FLOORS.items():
        ps = [p for p in pages if p.dataset == name]
        measured[name] = T.char_f1(ps, {p.id: oof[p.id] >= 0.5 for p in ps})
    for name, floor in FLOORS.items():
        assert measured[name] >= floor, f"{name}: held-out F1 {measured[name]:.4f} < floor {floor} ({measured})"


@pytest.mark.shared_data
def test_beats_length_baseline_on_held_out_pages(pages: list[T.Page]) -> None:
    """The trivial 80+ characters rule must be beaten on pages the model never saw."""
    ps = [p for p in pages if p.dataset == "scrapinghub"][:60]
    rest = [p for p in pages if p not in ps]
    model = T.fit(rest)
    ours = T.char_f1(ps, {p.id: T.predict(model, p) >= 0.5 for p in ps})
    base = T.char_f1(ps, {p.id: np.array([len(s) >= 80 for s in p.lines]) for p in ps})
    assert ours > base + 0.03, (ours, base)
