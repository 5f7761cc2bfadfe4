"""Binary gradient-boosted trees as plain numpy arrays: prediction without scikit-learn.

Why: unpickling a scikit-learn model imports scikit-learn and SciPy (about 2 s of CPU in every
process, every worker of the pool included), and its predictor opens an OpenMP parallel region per
tree, which for a page's few hundred lines costs more than the trees. The trees of a fitted
``HistGradientBoostingClassifier`` are copied into flat arrays once, at training time
(:meth:`TreeEnsemble.from_sklearn`), stored in an ``.npz`` file and walked here level by level for
all rows and all trees at once: a few dozen numpy operations per page.

The walk is exactly scikit-learn's: a row goes left when its value is ``<= threshold``, a missing
value (NaN) goes where the split sent missing values in training, leaf values are added in tree
order to the baseline and the probability is the logistic function of that sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

#: arrays that describe an ensemble, stored as ``<prefix>_<name>``
ARRAYS = ("feature", "threshold", "missing_left", "children", "value", "roots", "baseline", "depth")


@dataclass(frozen=True)
class TreeEnsemble:
    """All trees' nodes in one set of arrays (node ids are global; a leaf is its own child, so a
    row that reached a leaf stays there while deeper trees are still being walked)."""

    feature: np.ndarray       # intp (nodes,): feature tested by the node (0 for a leaf)
    threshold: np.ndarray     # float64 (nodes,): go left when x <= threshold (+inf for a leaf)
    missing_left: np.ndarray  # bool (nodes,): where NaN goes
    children: np.ndarray      # intp (nodes, 2): left and right child ids
    value: np.ndarray         # float64 (nodes,): leaf value (0 inside the tree)
    roots: np.ndarray         # intp (trees,): root node id of each tree, in boosting order
    baseline: float           # raw score before the first tree
    depth: int                # deepest leaf: levels walked

    @classmethod
    def from_sklearn(cls, clf: Any) -> "TreeEnsemble":
        """Copy a fitted binary ``HistGradientBoostingClassifier`` (numeric features only)."""
        if clf.n_trees_per_iteration_ != 1 or getattr(clf, "is_categorical_", None) is not None:
            raise ValueError("only binary classifiers over numeric features are supported")
        parts, roots, offset = [], [], 0
        for (pred,) in clf._predictors:
            nodes = pred.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            parts.append((nodes, offset))
            roots.append(offset)
            offset += len(nodes)
        n = offset
        feature = np.zeros(n, np.intp)
        threshold = np.full(n, np.inf)
        missing_left = np.ones(n, bool)
        children = np.zeros((n, 2), np.intp)
        value = np.zeros(n)
        depth = 0
        for nodes, off in parts:
            ids = off + np.arange(len(nodes))
            leaf = nodes["is_leaf"].astype(bool)
            inner = ~leaf
            feature[ids[inner]] = nodes["feature_idx"][inner]
            threshold[ids[inner]] = nodes["num_threshold"][inner]
            missing_left[ids[inner]] = nodes["missing_go_to_left"][inner].astype(bool)
            children[ids, 0] = np.where(leaf, ids, off + nodes["left"].astype(np.intp))
            children[ids, 1] = np.where(leaf, ids, off + nodes["right"].astype(np.intp))
            value[ids[leaf]] = nodes["value"][leaf]
            depth = max(depth, int(nodes["depth"].max()))
        baseline = float(np.asarray(clf._baseline_prediction).ravel()[0])
        return cls(feature, threshold, missing_left, children, value, np.array(roots, np.intp), baseline, depth)

    def leaves(self, x: np.ndarray) -> np.ndarray:
        """Leaf id reached by each row in each tree, shape (rows, trees).

        Every split of every tree is decided for every row first (one gather and one comparison
        over rows x inner nodes); the walk then only looks decisions up, one level at a time."""
        x = np.asarray(x, dtype=np.float64)
        n, nodes = len(x), len(self.value)
        inner = self._inner
        v = x[:, self.feature[inner]]
        go_right = np.zeros((n, nodes), np.int8)
        right = ~(v <= self.threshold[inner])                # NaN compares False: fixed just below
        if np.isnan(v).any():
            right = np.where(np.isnan(v), ~self.missing_left[inner], right)
        go_right[:, inner] = right
        decided = go_right.ravel()
        row_start = (np.arange(n, dtype=np.intp) * nodes)[:, None]
        idx = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        for _ in range(self.depth):
            idx = self._child[2 * idx + decided[row_start + idx]]
        return idx

    @cached_property
    def _inner(self) -> np.ndarray:
        return np.flatnonzero(self.children[:, 0] != np.arange(len(self.value)))

    @cached_property
    def _child(self) -> np.ndarray:
        return np.ascontiguousarray(self.children).ravel()

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Raw score per row: baseline plus the trees' leaf values, added in boosting order."""
        vals = self.value[self.leaves(x)]
        terms = np.empty((vals.shape[0], vals.shape[1] + 1))
        terms[:, 0] = self.baseline
        terms[:, 1:] = vals
        return np.cumsum(terms, axis=1)[:, -1] if len(terms) else np.zeros(0)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Columns P(class 0), P(class 1), like scikit-learn's ``predict_proba``."""
        p1 = 1.0 / (1.0 + np.exp(-self.raw(x)))
        return np.column_stack([1.0 - p1, p1])

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_{name}": np.asarray(getattr(self, name)) for name in ARRAYS}

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str) -> "TreeEnsemble":
        a = {name: arrays[f"{prefix}_{name}"] for name in ARRAYS}
        return cls(a["feature"].astype(np.intp), a["threshold"].astype(np.float64), a["missing_left"].astype(bool),
                   a["children"].astype(np.intp), a["value"].astype(np.float64), a["roots"].astype(np.intp),
                   float(a["baseline"]), int(a["depth"]))
