"""The text-dump model runs on plain tree arrays: same probabilities as scikit-learn, no scikit-learn.

scikit-learn is still what trains the model (and what these tests compare against); the run-time
path (extraction, the default pipeline) must never import it.
"""

from __future__ import annotations

import subprocess
import sys
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from lagebild.extract import textdump_train as T
from lagebild.extract.textdump_features import page_features
from lagebild.extract.textdump_model import FORMAT, LineModel, load_model, read_model
from lagebild.extract.textdump_trees import TreeEnsemble

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOL = 1e-9


@pytest.fixture(autouse=True)
def one_openmp_thread():
    """scikit-learn's trees open an OpenMP team per tree: on a busy machine small fits and
    predictions then take minutes instead of seconds."""
    with threadpool_limits(1):
        yield


def _synthetic(seed: int, n: int = 3000, width: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Numeric features with missing values, a label from a non-linear rule plus noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, width))
    x[:, 3] = rng.integers(0, 5, n)                        # a few distinct values: thresholds between them
    y = ((x[:, 0] * x[:, 1] > 0.2) ^ (x[:, 2] > 1.0) ^ (rng.random(n) < 0.1)).astype(int)
    x[rng.random((n, width)) < 0.08] = np.nan                # missing values in training
    return x, y


@pytest.mark.parametrize("params", [
    dict(max_iter=60, max_leaf_nodes=31, min_samples_leaf=5),      # deep, unbalanced trees
    dict(max_iter=20, max_leaf_nodes=3, learning_rate=0.5),         # stumps
    dict(max_iter=5, min_samples_leaf=5000),                        # no split possible: one-leaf trees
])
def test_fresh_classifier_same_probabilities(params: dict) -> None:
    x, y = _synthetic(1)
    clf = HistGradientBoostingClassifier(early_stopping=False, random_state=0, **params).fit(x, y)
    trees = TreeEnsemble.from_sklearn(clf)
    test, _ = _synthetic(2, n=1500)
    test[:, 5] = np.nan                                          # a whole column missing
    test[:7] = [np.inf] * 12                                     # extreme values
    test[7:9] = np.nan                                           # rows without any value
    assert np.abs(trees.predict_proba(test) - clf.predict_proba(test)).max() <= TOL
    assert trees.predict_proba(test[:0]).shape == (0, 2)


def test_arrays_round_trip(tmp_path: Path) -> None:
    x, y = _synthetic(3, n=800)
    stage = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(x, y)
    model = LineModel(stage, stage, 0.4)
    model.save(tmp_path / "m.npz")
    back = read_model(tmp_path / "m.npz")
    assert back is not None and back.threshold == 0.4
    assert np.abs(back.stage1.predict_proba(x) - stage.predict_proba(x)).max() <= TOL


def _dump_pages(data: Path, per_set: int) -> list[T.Page]:
    """The first labelled pages of both text-dump sets (with stage-1 features)."""
    out = []
    for name, rel in T.DATASETS.items():
        for rec in islice(T.read_jsonl(data / rel), per_set):
            lines = [ln["text"] for ln in rec["lines"]]
            y = np.array([T.LABELS.get(ln["label"], -1) for ln in rec["lines"]], dtype=np.int8)
            out.append(T.Page(str(rec["id"]), name, lines, y, page_features(lines)))
    return out


@pytest.mark.shared_data
def test_real_text_dumps_same_probabilities(shared_data: Path, tmp_path: Path) -> None:
    """Both stages trained as the shipped model is (on fewer pages), saved, read back: every line
    of unseen real pages scores as scikit-learn scores it."""
    pages = _dump_pages(shared_data, 60)
    train, test = pages[::2], pages[1::2]
    fitted = T.fit(train)
    fitted.save(tmp_path / "m.npz")
    arrays = read_model(tmp_path / "m.npz")
    assert arrays is not None
    lines = 0
    for p in test:
        expect = fitted.scores(p.lines)
        got = arrays.scores(p.lines)
        assert np.abs(got - expect).max() <= TOL, p.id
        lines += len(p.lines)
    assert lines > 1000


def test_shipped_model_is_tree_arrays() -> None:
    model = load_model()
    assert model is not None
    assert isinstance(model.stage1, TreeEnsemble) and isinstance(model.stage2, TreeEnsemble)
    assert FORMAT == 2


NO_SKLEARN = """
import sys
from lagebild.extract import Extractor
from lagebild.page import Page
from lagebild.document import Source
from lagebild.pipeline import Pipeline
from lagebild.settings import Settings

dump = open(sys.argv[1], "rb").read()
page = Page(Source("https://example.org/a", "text"), "text", data=dump)
doc = Extractor(Settings())(page)
assert doc.removed, "the dump's boilerplate was not removed"
stage = "extract" if "sklearn" not in sys.modules else "extraction imported sklearn"
Pipeline.build("default", Settings()).run(page)
loaded = sorted(m for m in ("sklearn", "scipy", "joblib") if m in sys.modules)
print(stage, loaded)
"""


def test_text_dump_extraction_never_imports_sklearn() -> None:
    out = subprocess.run([sys.executable, "-c", NO_SKLEARN, str(EXAMPLES / "de_aussenministerin_dump.txt")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["extract", "[]"], out.stdout
