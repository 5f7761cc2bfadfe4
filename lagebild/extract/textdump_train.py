"""Training and honest evaluation of the text-dump line model (used by the script, benchmark, gate).

Pages are the unit of every split: a page's lines never appear in both the training and the
evaluation side, so the figures are what the model does on pages it has not seen. Stage 2 is
trained on *out-of-fold* stage-1 scores (an inner grouped split), exactly as it sees them at run time.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from lagebild.extract.textdump_features import page_features, prob_context
from lagebild.extract.textdump_model import LineModel

DATASETS = {
    "scrapinghub": "textdump/textdump-scrapinghub.jsonl",
    "trafilatura-dev": "textdump/textdump-trafilatura-dev.jsonl.gz",
}
LABELS = {"main": 1, "boilerplate": 0, "unlabeled": -1}


@dataclass
class Page:
    """One labelled page with its stage-1 features (computed once)."""

    id: str
    dataset: str
    lines: list[str]
    y: np.ndarray          # 1 main, 0 boilerplate, -1 unlabeled
    x1: np.ndarray


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_pages(data_dir: Path, names: tuple[str, ...] = tuple(DATASETS)) -> list[Page]:
    """The labelled text-dump pages of the named datasets, with features."""
    out = []
    for name in names:
        for rec in read_jsonl(Path(data_dir) / DATASETS[name]):
            lines = [ln["text"] for ln in rec["lines"]]
            y = np.array([LABELS.get(ln["label"], -1) for ln in rec["lines"]], dtype=np.int8)
            out.append(Page(str(rec["id"]), name, lines, y, page_features(lines)))
    return out


def _hgb(seed: int = 0) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=100, learning_rate=0.1, max_leaf_nodes=15, min_samples_leaf=30, max_bins=64,
        l2_regularization=1.0, early_stopping=False, random_state=seed,
    )


def _weights(pages: list[Page]) -> np.ndarray:
    """Line weight ~ sqrt(length): the metric weighs characters, but short lines still count."""
    return np.concatenate([np.sqrt(np.array([len(s) for s in p.lines], dtype=float) + 1.0)[p.y >= 0]
                           for p in pages])


def _stack(pages: list[Page], x: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    xs = np.vstack([xi[p.y >= 0] for p, xi in zip(pages, x)])
    ys = np.concatenate([p.y[p.y >= 0] for p in pages])
    return xs, ys


def _folds(n: int, k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.permutation(np.arange(n) % k)


def fit(pages: list[Page], inner_folds: int = 3, seed: int = 0) -> LineModel:
    """Train both stages on ``pages`` (stage 2 on out-of-fold stage-1 scores)."""
    x1, y = _stack(pages, [p.x1 for p in pages])
    w = _weights(pages)
    fold = _folds(len(pages), inner_folds, seed + 1)
    oof: list[np.ndarray | None] = [None] * len(pages)
    for f in range(inner_folds):
        tr = [p for p, g in zip(pages, fold) if g != f]
        m = _hgb(seed).fit(*_stack(tr, [p.x1 for p in tr]), sample_weight=_weights(tr))
        for i, (p, g) in enumerate(zip(pages, fold)):
            if g == f:
                oof[i] = m.predict_proba(p.x1)[:, 1]
    stage1 = _hgb(seed).fit(x1, y, sample_weight=w)
    x2 = [np.hstack([p.x1, prob_context(o, p.lines)]) for p, o in zip(pages, oof)]
    stage2 = _hgb(seed + 7).fit(*_stack(pages, x2), sample_weight=w)
    return LineModel(stage1, stage2, 0.5)


def predict(model: LineModel, page: Page) -> np.ndarray:
    """Stage-2 probabilities for a featurised page, with the run-time rules applied (a line the
    rules veto scores 0), so held-out figures measure what ``classify_lines`` does."""
    p1 = model.stage1.predict_proba(page.x1)[:, 1]
    p2 = model.stage2.predict_proba(np.hstack([page.x1, prob_context(p1, page.lines)]))[:, 1]
    return apply_rules(page.lines, p2, model.threshold)


def apply_rules(lines: list[str], p: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """The run-time rules of :func:`lagebild.extract.textdump.keep_lines` on probabilities:
    vetoed promo lines score 0, the rescued title scores 1."""
    from lagebild.extract.textdump import promo_lines, title_line

    p = np.where(promo_lines(lines), 0.0, p)
    title = title_line(lines, p >= threshold)
    if title is not None:
        p[title] = 1.0
    return p


def _held_out(job: tuple[list[Page], list[Page], int]) -> dict[str, np.ndarray]:
    """Train on the first pages, predict the second (one fold; runs in a worker process)."""
    train, test, seed = job
    model = fit(train, seed=seed)
    return {p.id: predict(model, p) for p in test}


def _run(jobs: list[tuple[list[Page], list[Page], int]], workers: int) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    if workers <= 1:
        for job in jobs:
            out.update(_held_out(job))
        return out
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # spawn: a forked child can inherit a lock held by another thread of the parent and hang forever
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
        for part in pool.map(_held_out, jobs):
            out.update(part)
    return out


def cross_val_scores(pages: list[Page], k: int = 5, seed: int = 0, workers: int = 1) -> dict[str, np.ndarray]:
    """Out-of-fold probabilities per page id, k folds grouped by page (folds in ``workers`` processes)."""
    fold = _folds(len(pages), k, seed)
    jobs = [([p for p, g in zip(pages, fold) if g != f], [p for p, g in zip(pages, fold) if g == f], seed)
            for f in range(k)]
    return _run(jobs, workers)


def leave_one_dataset_out(pages: list[Page], seed: int = 0, workers: int = 1) -> dict[str, np.ndarray]:
    """Probabilities for each dataset's pages from a model trained only on the other datasets."""
    names = sorted({p.dataset for p in pages})
    jobs = [([p for p in pages if p.dataset != n], [p for p in pages if p.dataset == n], seed) for n in names]
    return _run(jobs, workers)


def char_f1(pages: list[Page], keep: dict[str, np.ndarray]) -> float:
    """Char-weighted micro F1 of ``main`` (same definition as score_textdump.py)."""
    tp = fp = fn = 0
    for p in pages:
        k = np.asarray(keep[p.id], dtype=bool)
        c = np.array([len(s) for s in p.lines])
        tp += c[k & (p.y == 1)].sum()
        fp += c[k & (p.y == 0)].sum()
        fn += c[~k & (p.y == 1)].sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else 0.0
