"""The memoised state scorer (mentions_ner_scores) against the plain per-token loop it replaces:
the same floats, bit for bit (numpy's order of summation depends on each token's run of feature
ids, so the runs must be the same: unknown features skipped, none added as zeros)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from lagebild.annotate.mentions_ner import recogniser
from lagebild.annotate.mentions_ner_features import (after_name_features, around_features, first_features,
                                                     is_candidate, next_features, next_word, plain_features,
                                                     prev_features, prev_word, shape, word_features)
from lagebild.annotate.mentions_ner_scores import StateScorer

SENTENCES = [
    "Bundeskanzler Olaf Scholz traf am Montag in Berlin den französischen Präsidenten Emmanuel Macron .",
    "Das Bundesamt für Migration und Flüchtlinge meldete mehr Anträge als im Vorjahr .",
    "Laut dpa sagte der Sprecher der Firma Tranomaro GmbH , man prüfe die Lage in Riniken .",
    "Die NATO und die EU reagierten zurückhaltend auf die Ankündigung aus Moskau .",
    "am Ende sagte Ursula von der Leyen in Brüssel nichts mehr dazu , so die EU-Kommission .",
    "St . Johann und Schalke 04 gewannen , Robert R . Livingston nicht",
    "Er .", "Hallo", "Berlin", "von", "in Berlin",
]
TAGS = ["", "state:name", "state:metonym", "organisation:name", "person:title", "place:place", "none:title",
        "kind:never-seen"]


def plain_scores(rec, sentences: list[list[str]], kb: list[list[str]]) -> np.ndarray:
    """The scores as the plain loop added them: per token its own, joint, previous and next
    features, each group summed by ``reduceat`` of its ids, then the groups in that order."""
    crf, res = rec.crf, rec.res
    own, prev, nxt, flat, offsets = [], [], [], [], []

    def run(ids: list[int]) -> list[int]:
        return ids or [crf.none]

    for words, tags in zip(sentences, kb):
        cand = [is_candidate(w) for w in words]
        for i, w in enumerate(words):
            own.append(run(crf.ids((word_features if cand[i] else plain_features)(w, res))))
            offsets.append(len(flat))
            if cand[i]:
                prev.append(run(crf.ids(prev_features(prev_word(words, i), res))))
                nxt.append(run(crf.ids(next_features(next_word(words, i), res))))
                joint = crf.ids(around_features(words, i, tags))
                if i == 0:
                    joint += crf.ids(first_features(w, res))
            else:
                prev.append(None)
                nxt.append(None)
                joint = (crf.ids(after_name_features(words, i, i < len(words) - 1 and cand[i + 1]))
                         if i and cand[i - 1] else [])
            flat.extend(run(joint))

    def summed(groups: list[list[int] | None]) -> np.ndarray:
        out = np.zeros((len(groups), len(crf.labels)))
        for k, ids in enumerate(groups):
            if ids is not None:
                out[k] = np.add.reduceat(crf.state[ids], [0], axis=0)[0]
        return out

    if not own:
        return np.zeros((0, len(crf.labels)))
    return summed(own) + np.add.reduceat(crf.state[flat], offsets, axis=0) + summed(prev) + summed(nxt)


def _corpus(seed: int) -> tuple[list[list[str]], list[list[str]]]:
    """The sentences above and shuffled mixtures of their words with random KB tags, so that the
    memos meet words, tags and pairs both new and seen."""
    rng = random.Random(seed)
    vocab = [w for s in SENTENCES for w in s.split()] + ["<s>", "</s>", "ICBL", "Pjöngjang", "al", "Al-Assad"]
    words = [s.split() for s in SENTENCES]
    words += [[rng.choice(vocab) for _ in range(rng.randint(1, 25))] for _ in range(60)]
    kb = [[rng.choice(TAGS) if rng.random() < 0.3 else "" for _ in ws] for ws in words]
    return words, kb


@pytest.fixture(scope="module")
def rec():
    r = recogniser()
    if r is None:
        pytest.skip("the NER model is not built (scripts/train_ner.py)")
    return r


def test_scores_equal_the_plain_loop_bit_for_bit(rec):
    scorer = StateScorer(rec.crf, rec.res)
    for seed in range(3):
        words, kb = _corpus(seed)
        expected = plain_scores(rec, words, kb)
        for _ in range(2):   # new words and pairs first, then memoised ones
            got = scorer.scores(words, kb)
            assert got.shape == expected.shape
            assert np.array_equal(got.view(np.int64), expected.view(np.int64))
        cand = [[is_candidate(w) for w in ws] for ws in words]
        assert np.array_equal(scorer.scores(words, kb, cand), expected)


def test_scores_document_by_document_equal_one_batch(rec):
    words, kb = _corpus(7)
    whole = StateScorer(rec.crf, rec.res).scores(words, kb)
    scorer = StateScorer(rec.crf, rec.res)
    parts = [scorer.scores(words[k:k + 5], kb[k:k + 5]) for k in range(0, len(words), 5)]
    assert np.array_equal(np.vstack(parts), whole)


def test_memos_are_bounded(rec):
    scorer = StateScorer(rec.crf, rec.res)
    scorer.limit = 3
    words, kb = _corpus(1)
    first = scorer.scores(words, kb)
    assert any(len(m) > 3 for m in scorer._memos) or scorer._used > 3
    again = scorer.scores(words, kb)   # emptied first, then filled anew
    assert all(len(m) <= len({w for ws in words for w in ws}) + len(TAGS) + 2 for m in scorer._memos)
    assert np.array_equal(again, first)


def test_no_sentences(rec):
    assert StateScorer(rec.crf, rec.res).scores([], []).shape == (0, len(rec.crf.labels))


def test_shape_equals_the_template_substitution():
    import re

    from lagebild.annotate.mentions_ner_features import _SHAPE_MAP, _SQUEEZE

    words = ["Verkehrsministerium", "Müller", "NATO-Chef", "EU", "2024", "a", "--", "x\n\ny", "ÄÖÜßàé", "**a**",
             "", "Al-Assad", "1.000.000", "\\1\\1", "McDonald's"]
    for w in words:
        shape.cache_clear()
        assert shape(w) == re.sub(_SQUEEZE, r"\1", w.translate(_SHAPE_MAP))[:6]
