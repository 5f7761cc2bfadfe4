#!/usr/bin/env python
"""Train the English persuasion-technique models on PTC (SemEval-2020 Task 11) and ship them.

    python scripts/train_framing.py [--data ../shared/data/framing/ptc2020] [--out lagebild/annotate/data/framing_en.npz]

* Span tagger: logistic regression over hashed token features (``framing_features``); a token is
  positive when it overlaps a gold fragment. Trained on the train articles outside the fixed
  held-out tenth, the threshold and gap chosen there by the official SI metric on the held-out
  tenth, then refitted on all train articles (the dev articles are never used for training).
* Technique classifier: multinomial logistic regression over hashed span features, trained on the
  fragments of the train articles outside the held-out tenth only, so the held-out tenth stays an
  honest test (the evaluation gate scores it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lagebild.annotate.framing_eval import (group_spans, is_heldout, read_articles,  # noqa: E402
                                            read_fragments, si_score)
from lagebild.annotate.framing_features import (SI_DIM, TC_DIM, hash_features, sentence_features,  # noqa: E402
                                                sentence_token_features, span_features)
from lagebild.annotate.framing_model import FramingModel, _sentence_of, article_context, decode  # noqa: E402
from lagebild.annotate.sentences import SentenceSplitter, tokenize  # noqa: E402

SPLITTER = SentenceSplitter()


def token_rows(text: str, spans: list[tuple[int, int]]):
    """Hashed feature rows and 0/1 labels for every token of an article."""
    inside = np.zeros(len(text) + 1, dtype=bool)
    for s, e in spans:
        inside[s:e] = True
    rows, labels = [], []
    sents = [(s, tokenize(text, s.start, s.end)) for s in SPLITTER.split(text, "en")]
    context = article_context(text, [t for _, toks in sents for t in toks])
    for sent, toks in sents:
        words = [text[t.start:t.end] for t in toks]
        sf = sentence_features(text[sent.start:sent.end])
        for t, feats in zip(toks, sentence_token_features(words, sf, context)):
            rows.append(hash_features(feats, SI_DIM))
            labels.append(int(inside[t.start:t.end].any()))
    return rows, labels


def to_csr(rows: list[list[int]], dim: int) -> csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    m = csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), dim))
    m.sum_duplicates()
    return m


def fit_si(articles: dict[str, str], gold: dict[str, list[tuple[int, int]]], c: float) -> tuple[np.ndarray, float]:
    rows, labels = [], []
    for aid, text in articles.items():
        r, y = token_rows(text, gold.get(aid, []))
        rows += r
        labels += y
    X = to_csr(rows, SI_DIM)
    clf = LogisticRegression(C=c, max_iter=300, solver="liblinear")
    clf.fit(X, np.array(labels))
    print(f"  SI fit on {X.shape[0]} tokens, positive share {np.mean(labels):.3f}")
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def token_score_cache(model: FramingModel, articles: dict[str, str]):
    """Token scores of every sentence of every article, so thresholds can be swept cheaply."""
    cache = {}
    for aid, text in articles.items():
        sents = [(s, tokenize(text, s.start, s.end)) for s in SPLITTER.split(text, "en")]
        ctx = article_context(text, [t for _, toks in sents for t in toks])
        cache[aid] = [(s, toks, model.token_scores(text, s, toks, ctx)) for s, toks in sents if toks]
    return cache


def spans_from_cache(articles, cache, thr: float, gap: int, seed: float):
    return {aid: [(t.start, t.end) for s, toks, sc in v for t in decode(articles[aid], s, toks, sc, (thr, gap, seed))]
            for aid, v in cache.items()}


def tune(articles, cache, gold) -> tuple[float, float, int, float]:
    """Best (F1, threshold, gap, seed) by the SI metric."""
    best = (-1.0, 0.3, 0, 0.3)
    for gap in (0, 1, 2):
        for thr in np.arange(0.10, 0.45, 0.05):
            for seed in np.arange(thr, 0.70, 0.05):
                sc = si_score(spans_from_cache(articles, cache, thr, gap, seed), gold)
                if sc["f1"] > best[0]:
                    best = (sc["f1"], round(float(thr), 2), gap, round(float(seed), 2))
    return best


def tc_rows(articles: dict[str, str], frags):
    """Hashed span features (context: the sentence the span starts in, as at run time) and labels."""
    rows, labels = [], []
    sents: dict[str, list] = {}
    for f in frags:
        text = articles[f.article]
        if f.article not in sents:
            sents[f.article] = SPLITTER.split(text, "en")
        ss = sents[f.article]
        ctx = _sentence_of(text, ss, [s.start for s in ss], f.start)
        rows.append(hash_features(span_features(text[f.start:f.end], ctx, text), TC_DIM))
        labels.append(f.technique)
    return rows, labels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "framing" / "ptc2020"))
    ap.add_argument("--out", default=str(ROOT / "lagebild" / "annotate" / "data" / "framing_en.npz"))
    ap.add_argument("--si-c", type=float, default=0.1)
    ap.add_argument("--tc-c", type=float, default=4.0)
    args = ap.parse_args()
    data = Path(args.data)
    t0 = time.time()
    train = read_articles(data / "train-articles")
    dev = read_articles(data / "dev-articles")
    frags = read_fragments(data / "train-task2-TC.labels")
    gold_train = group_spans(frags)
    gold_dev = group_spans(read_fragments(data / "dev-task-TC-template.out"))
    fit_ids = [a for a in train if not is_heldout(a)]
    held_ids = [a for a in train if is_heldout(a)]
    print(f"train {len(train)} articles ({len(held_ids)} held out), dev {len(dev)}")

    # --- technique classifier (never sees the held-out tenth)
    fit_frags = [f for f in frags if not is_heldout(f.article)]
    held_frags = [f for f in frags if is_heldout(f.article)]
    r, y = tc_rows(train, fit_frags)
    tc = LogisticRegression(C=args.tc_c, max_iter=2000)
    tc.fit(to_csr(r, TC_DIM), y)
    rh, yh = tc_rows(train, held_frags)
    acc = float(np.mean(tc.predict(to_csr(rh, TC_DIM)) == np.array(yh)))
    print(f"TC held-out micro-F1 {acc:.3f} on {len(yh)} fragments  ({time.time() - t0:.0f}s)")

    # --- span tagger: tune threshold/gap/seed on the held-out tenth, then refit on all train
    held = {a: train[a] for a in held_ids}
    w, b = fit_si({a: train[a] for a in fit_ids}, gold_train, args.si_c)
    probe = FramingModel(w, b, 0.3, 0, tc.coef_, tc.intercept_, tc.classes_)
    f1, thr, gap, seed = tune(held, token_score_cache(probe, held), {a: gold_train.get(a, []) for a in held_ids})
    print(f"SI held-out F1 {f1:.3f} at threshold {thr} gap {gap} seed {seed}  ({time.time() - t0:.0f}s)")
    w, b = fit_si(train, gold_train, args.si_c)
    model = FramingModel(w, b, thr, gap, tc.coef_, tc.intercept_, list(tc.classes_), seed)
    sc = si_score(spans_from_cache(dev, token_score_cache(model, dev), thr, gap, seed), gold_dev)
    print(f"SI dev F1 {sc['f1']:.3f} (P {sc['precision']:.3f} R {sc['recall']:.3f})  ({time.time() - t0:.0f}s)")
    model.save(args.out)
    print(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
