"""The numpy CRF decoder (mentions_crf) and the cached state scores (mentions_ner_scores) against
python-crfsuite, which trains the model: same labels, same marginals, same scores."""

from __future__ import annotations

import random

import numpy as np
import pycrfsuite
import pytest

from lagebild.annotate.mentions_crf import CrfModel
from lagebild.annotate.mentions_ner import recogniser
from lagebild.annotate.mentions_ner_features import sentence_features
from lagebild.annotate.mentions_ner_scores import StateScorer

GERMAN = [
    "Bundeskanzler Olaf Scholz traf am Montag in Berlin den französischen Präsidenten Emmanuel Macron .",
    "Das Bundesamt für Migration und Flüchtlinge meldete mehr Anträge als im Vorjahr .",
    "Laut dpa sagte der Sprecher der Firma Tranomaro GmbH , man prüfe die Lage in Riniken .",
    "Wladimir Putin und Kim Jong-un unterzeichneten in Pjöngjang einen Vertrag über gegenseitigen Beistand .",
    "Die NATO und die EU reagierten zurückhaltend auf die Ankündigung aus Moskau .",
    "Er .",
    "Hallo",
    "am Ende sagte Ursula von der Leyen in Brüssel nichts mehr dazu , so die EU-Kommission .",
    "In der Hochschule für Technik und Wirtschaft Dresden diskutierten Studierende mit Landesrat Mayr .",
]


def _tag_with_crfsuite(path: str, features: list[list[list[str]]]) -> list[tuple[list[str], np.ndarray]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    labels = tagger.labels()
    out = []
    for sent in features:
        best = tagger.tag(sent)
        probs = np.array([[tagger.marginal(lab, t) for lab in labels] for t in range(len(sent))])
        out.append((best, probs))
    return out


def _check_same(model: CrfModel, path: str, features: list[list[list[str]]]) -> None:
    expected = _tag_with_crfsuite(path, features)
    scores = model.state_scores([[model.ids(tok) for tok in sent] for sent in features])
    decoded = model.decode(scores, [len(s) for s in features])
    assert len(decoded) == len(features)
    crfsuite_labels = pycrfsuite.Tagger()
    crfsuite_labels.open(path)
    order = [model.label_index[lab] for lab in crfsuite_labels.labels()]
    for (labels, probs), got in zip(expected, decoded):
        assert got.labels == labels
        np.testing.assert_allclose(got.probs[:, order], probs, atol=1e-9)
        assert got.marginal(labels[0], 0) == pytest.approx(probs[0, crfsuite_labels.labels().index(labels[0])],
                                                           abs=1e-9)


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory) -> str:
    """A small CRF trained here: random feature sequences, labels that depend on them and on the
    previous label, so transitions and ties between paths matter."""
    rng = random.Random(7)
    trainer = pycrfsuite.Trainer(verbose=False)
    for _ in range(300):
        n = rng.randint(1, 12)
        xs, ys, prev = [], [], "O"
        for _ in range(n):
            f = [f"w={rng.randint(0, 30)}", f"s={rng.randint(0, 5)}"]
            y = "B" if f[0] in ("w=1", "w=2", "w=3") else ("I" if prev != "O" and rng.random() < 0.5 else "O")
            xs.append(f)
            ys.append(y)
            prev = y
        trainer.append(xs, ys)
    trainer.set_params({"c1": 0.01, "c2": 0.01, "max_iterations": 60})
    path = str(tmp_path_factory.mktemp("crf") / "toy.crf")
    trainer.train(path)
    return path


def test_toy_model_decodes_like_crfsuite(toy_model):
    model = CrfModel.load(toy_model)
    rng = random.Random(11)
    sentences = [[[f"w={rng.randint(0, 40)}", f"s={rng.randint(0, 8)}", "unknown"] for _ in range(rng.randint(1, 30))]
                 for _ in range(60)]
    sentences.append([["never", "seen"]])   # a token without a known attribute
    _check_same(model, toy_model, sentences)


def test_shipped_model_decodes_like_crfsuite():
    rec = recogniser()
    if rec is None:
        pytest.skip("the NER model is not built (scripts/train_ner.py)")
    words = [s.split() for s in GERMAN]
    features = [sentence_features(ws, [""] * len(ws), rec.res) for ws in words]
    path = rec.crf_path
    _check_same(rec.crf, path, features)


def test_cached_state_scores_equal_the_feature_sums():
    rec = recogniser()
    if rec is None:
        pytest.skip("the NER model is not built (scripts/train_ner.py)")
    scorer = StateScorer(rec.crf, rec.res)
    words = [s.split() for s in GERMAN]
    kb = [["" if w[:1].islower() else "state:name" if w in ("Berlin", "Moskau") else "" for w in ws] for ws in words]
    expected = rec.crf.state_scores([[rec.crf.ids(f) for f in sentence_features(ws, tags, rec.res)]
                                     for ws, tags in zip(words, kb)])
    for _ in range(2):   # the second time from the cached rows
        np.testing.assert_allclose(scorer.scores(words, kb), expected, rtol=0, atol=1e-12)


def test_scorer_empties_its_table_when_full():
    rec = recogniser()
    if rec is None:
        pytest.skip("the NER model is not built (scripts/train_ner.py)")
    scorer = StateScorer(rec.crf, rec.res)
    scorer.limit = 5
    words = [s.split() for s in GERMAN]
    kb = [[""] * len(ws) for ws in words]
    first = scorer.scores(words, kb)
    assert scorer._used > 5
    again = scorer.scores(words, kb)   # emptied first, then filled anew: the same scores
    np.testing.assert_allclose(again, first, rtol=0, atol=1e-12)


def test_decode_of_nothing():
    rec = recogniser()
    if rec is None:
        pytest.skip("the NER model is not built (scripts/train_ner.py)")
    assert rec.crf.decode(rec.crf.state_scores([]), []) == []


def test_not_a_crfsuite_model(tmp_path):
    bad = tmp_path / "bad.crf"
    bad.write_bytes(b"not a model at all" * 10)
    with pytest.raises((ValueError, OSError)):
        CrfModel.load(str(bad))
