"""The shipped text-dump model: two small gradient-boosted tree ensembles over line features.

Stage 1 scores each line from its own features and its neighbours' (:func:`page_features`).
Stage 2 adds the stage-1 scores of the surrounding lines and whether the line lies inside the
page's best contiguous run of likely-main text (:func:`prob_context`), so short headings inside
the article are kept and long teasers outside it are dropped. Trained by
``scripts/train_textdump.py``; loaded once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from lagebild.extract.textdump_features import page_features, prob_context

MODEL_FILE = "textdump_model.joblib"
FORMAT = 1


@dataclass
class LineModel:
    """Two-stage line scorer; ``threshold`` turns the stage-2 probability into keep / drop."""

    stage1: Any
    stage2: Any
    threshold: float = 0.5

    def scores(self, lines: list[str], lang: str | None = None) -> np.ndarray:
        """Probability that each line is article text (``main``)."""
        if not lines:
            return np.zeros(0, dtype=np.float32)
        x1 = page_features(lines, lang)
        # one OpenMP thread: scikit-learn opens a parallel region per tree, and for a page's few
        # hundred lines the thread team's start and spin-wait cost more than the trees (up to 40x
        # on a busy machine, and in every process of the worker pool)
        with _openmp().limit(limits=1, user_api="openmp"):
            p1 = self.stage1.predict_proba(x1)[:, 1]
            x2 = np.hstack([x1, prob_context(p1, lines)])
            return self.stage2.predict_proba(x2)[:, 1]

    def keep(self, lines: list[str], lang: str | None = None) -> np.ndarray:
        return self.scores(lines, lang) >= self.threshold

    def to_payload(self) -> dict[str, Any]:
        import sklearn

        return {"format": FORMAT, "sklearn": sklearn.__version__, "stage1": self.stage1,
                "stage2": self.stage2, "threshold": self.threshold}


@lru_cache(maxsize=1)
def _openmp():
    """The thread pools loaded in this process (found once; limiting through it costs microseconds)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def model_path():
    return resources.files("lagebild.extract").joinpath("data", MODEL_FILE)


@lru_cache(maxsize=1)
def load_model() -> LineModel | None:
    """The shipped model, or None when it is missing (the rules then decide alone)."""
    path = model_path()
    if not path.is_file():
        return None
    import warnings

    import joblib

    try:
        with resources.as_file(path) as p:
            payload = joblib.load(p)
    except Exception as err:  # an unpicklable model (other scikit-learn) must not stop extraction
        warnings.warn(f"text-dump model not loaded ({err}); using the length rule; "
                      "retrain with scripts/train_textdump.py", stacklevel=2)
        return None
    if payload.get("format") != FORMAT:
        return None
    return LineModel(payload["stage1"], payload["stage2"], float(payload["threshold"]))
