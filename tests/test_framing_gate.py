"""Evaluation gate for the shipped English framing model on PTC (SemEval-2020 Task 11).

Floors sit a little under what ``benchmarks/framing.py`` measured; they only go up.
"""

from __future__ import annotations

import pytest

from lagebild.annotate.framing_eval import (group_spans, is_heldout, read_articles, read_fragments,
                                            si_score, tc_score)
from lagebild.annotate.framing_model import shipped_model
from lagebild.annotate.sentences import SentenceSplitter

SI_F1_FLOOR = 0.34        # measured 0.351 (benchmarks/results/framing.json)
TC_MICRO_F1_FLOOR = 0.53  # measured 0.557 (benchmarks/results/framing.json)
SPLIT = SentenceSplitter()


@pytest.fixture(scope="module")
def ptc(shared_data):
    path = shared_data / "framing" / "ptc2020"
    if not path.is_dir():
        pytest.skip(f"PTC corpus not at {path}")
    return path


@pytest.fixture(scope="module")
def model():
    m = shipped_model()
    assert m is not None, "shipped model missing: run scripts/train_framing.py"
    return m


@pytest.mark.shared_data
def test_span_identification_f1_on_dev(ptc, model) -> None:
    dev = read_articles(ptc / "dev-articles")
    gold = group_spans(read_fragments(ptc / "dev-task-TC-template.out"))
    pred = {aid: [(t.start, t.end) for t in model.spans(text, SPLIT.split(text, "en"))] for aid, text in dev.items()}
    score = si_score(pred, gold)
    assert score["f1"] >= SI_F1_FLOOR, score


@pytest.mark.shared_data
def test_technique_classification_on_heldout_tenth(ptc, model) -> None:
    train = read_articles(ptc / "train-articles")
    frags = [f for f in read_fragments(ptc / "train-task2-TC.labels") if is_heldout(f.article)]
    assert len(frags) > 300
    gold, pred = [], []
    for aid in sorted({f.article for f in frags}):
        fs = [f for f in frags if f.article == aid]
        labels = model.classify(train[aid], [(f.start, f.end) for f in fs], SPLIT.split(train[aid], "en"))
        gold += [f.technique for f in fs]
        pred += [lab for lab, _ in labels]
    score = tc_score(gold, pred)
    assert score["micro_f1"] >= TC_MICRO_F1_FLOOR, score["micro_f1"]
