"""The shipped text-dump model: two small gradient-boosted tree ensembles over line features.

Stage 1 scores each line from its own features and its neighbours' (:func:`page_features`).
Stage 2 adds the stage-1 scores of the surrounding lines and whether the line lies inside the
page's best contiguous run of likely-main text (:func:`prob_context`), so short headings inside
the article are kept and long teasers outside it are dropped. Trained by
``scripts/train_textdump.py`` with scikit-learn and shipped as plain tree arrays (``.npz``): run
time needs numpy only (:mod:`textdump_trees`), never scikit-learn. Loaded once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from lagebild.extract.textdump_features import page_features, prob_context
from lagebild.extract.textdump_trees import TreeEnsemble

MODEL_FILE = "textdump_model.npz"
FORMAT = 2      # 1: pickled scikit-learn estimators (joblib); 2: tree arrays


class Scorer(Protocol):
    def predict_proba(self, x: np.ndarray) -> np.ndarray: ...


@dataclass
class LineModel:
    """Two-stage line scorer; ``threshold`` turns the stage-2 probability into keep / drop.
    The stages are :class:`TreeEnsemble` at run time, fitted scikit-learn estimators in training."""

    stage1: Scorer
    stage2: Scorer
    threshold: float = 0.5

    def scores(self, lines: list[str], lang: str | None = None) -> np.ndarray:
        """Probability that each line is article text (``main``)."""
        if not lines:
            return np.zeros(0, dtype=np.float32)
        x1 = page_features(lines, lang)
        p1 = self.stage1.predict_proba(x1)[:, 1]
        x2 = np.hstack([x1, prob_context(p1, lines)])
        return self.stage2.predict_proba(x2)[:, 1]

    def keep(self, lines: list[str], lang: str | None = None) -> np.ndarray:
        return self.scores(lines, lang) >= self.threshold

    def to_arrays(self) -> dict[str, Any]:
        """Everything :func:`read_model` needs, as plain arrays (fitted estimators are converted)."""
        out: dict[str, Any] = {"format": np.array(FORMAT), "threshold": np.array(self.threshold)}
        for name in ("stage1", "stage2"):
            stage = getattr(self, name)
            trees = stage if isinstance(stage, TreeEnsemble) else TreeEnsemble.from_sklearn(stage)
            out.update(trees.to_arrays(name))
        return out

    def save(self, path: str | Path) -> None:
        np.savez_compressed(path, **self.to_arrays())


def read_model(path: str | Path) -> LineModel | None:
    """A model written by :meth:`LineModel.save`; None when it has another format."""
    with np.load(path, allow_pickle=False) as arrays:
        if int(arrays["format"]) != FORMAT:
            return None
        return LineModel(TreeEnsemble.from_arrays(arrays, "stage1"), TreeEnsemble.from_arrays(arrays, "stage2"),
                         float(arrays["threshold"]))


def model_path():
    return resources.files("lagebild.extract").joinpath("data", MODEL_FILE)


@lru_cache(maxsize=1)
def load_model() -> LineModel | None:
    """The shipped model, or None when it is missing (the rules then decide alone)."""
    path = model_path()
    if not path.is_file():
        return None
    import warnings

    try:
        with resources.as_file(path) as p:
            return read_model(p)
    except Exception as err:  # a damaged model file must not stop extraction
        warnings.warn(f"text-dump model not loaded ({err}); using the length rule; "
                      "retrain with scripts/train_textdump.py", stacklevel=2)
        return None
