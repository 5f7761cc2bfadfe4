"""Decoding of the name recogniser's CRF in numpy, all sentences of a document at once.

python-crfsuite trains the model (``scripts/train_ner.py``) and could tag with it, but it takes one
call per sentence and some forty feature strings per token, each converted and looked up in C++.
Here the model file is read once into weight matrices (the attribute ids from crfsuite's own dump,
the weights as the exact doubles of the file); tokens arrive as state scores
(``mentions_ner_scores`` sums word-level parts once per word type), and Viterbi and
forward-backward run for all sentences of a document together. On the German pages of the
extraction benchmark the recogniser went from 8.2 to 7.0 ms a page (in-process A/B, warm caches),
with the same names on all 490 German pages and dumps. Viterbi breaks ties as crfsuite does (the
lowest label index wins) and the marginals follow its scaled recursion;
``tests/test_mentions_crf.py`` checks labels and marginals against python-crfsuite.
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

_HEADER = struct.Struct("<4sI4s9I")   # magic, size, type, version, #features, #labels, #attrs, 5 offsets
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_STATE, _TRANSITION = 0, 1


@dataclass(frozen=True)
class Decoded:
    """One sentence's best label path and its marginal probabilities (position x label)."""

    labels: list[str]
    probs: np.ndarray
    label_index: dict[str, int]

    def marginal(self, label: str, position: int) -> float:
        """P(label at position), the same as ``pycrfsuite.Tagger.marginal`` after ``tag``."""
        return float(self.probs[position, self.label_index[label]])


class CrfModel:
    """A linear-chain CRF written by crfsuite (first-order, ``FOMC``): labels, attribute ids,
    state weights (attribute x label) and transition weights (label x label)."""

    def __init__(self, labels: Sequence[str], attributes: dict[str, int], state: np.ndarray,
                 transitions: np.ndarray) -> None:
        self.labels = list(labels)
        self.label_index = {lab: i for i, lab in enumerate(self.labels)}
        self.attributes = attributes
        self.none = state.shape[0]   # id of an all-zero row: a token without any known attribute
        self.state = np.vstack([state, np.zeros((1, len(self.labels)))])
        self.transitions = transitions
        self._transitions_into = np.ascontiguousarray(transitions.T)   # [label, previous label]
        self._exp_transitions = np.exp(transitions)

    @classmethod
    def load(cls, path: str) -> "CrfModel":
        """Read a crfsuite model file: names from crfsuite's dump (``Tagger.info``), weights from
        the file's feature table (the dump prints them with six decimals only)."""
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        try:
            info = tagger.info()
        finally:
            tagger.close()
        with open(path, "rb") as fh:
            data = fh.read()
        magic, _, kind, _, _, n_labels, n_attrs, off_features, *_ = _HEADER.unpack_from(data, 0)
        if magic != b"lCRF" or kind != b"FOMC" or data[off_features:off_features + 4] != b"FEAT":
            raise ValueError(f"{path}: not a first-order crfsuite model")
        (count,) = struct.unpack_from("<I", data, off_features + 8)
        feats = np.frombuffer(data, dtype=_FEATURE, count=count, offset=off_features + 12)
        labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
        attributes = {name: int(i) for name, i in info.attributes.items()}
        if len(labels) != n_labels or len(attributes) != n_attrs:
            raise ValueError(f"{path}: the dump and the file disagree on labels or attributes")
        state = np.zeros((n_attrs, n_labels))
        trans = np.zeros((n_labels, n_labels))
        for table, kind_id in ((state, _STATE), (trans, _TRANSITION)):
            rows = feats[feats["type"] == kind_id]
            table[rows["src"], rows["dst"]] = rows["weight"]
        return cls(labels, attributes, state, trans)

    def ids(self, features: Iterable[str]) -> list[int]:
        """Attribute ids of the features the model knows, in order (crfsuite skips the others)."""
        get = self.attributes.get
        return [i for f in features if (i := get(f)) is not None]

    def state_scores(self, sentences: Sequence[Sequence[Sequence[int]]]) -> np.ndarray:
        """Scores (token x label) of the tokens of all ``sentences``, one after the other; a sentence
        is a list of tokens, a token the attribute ids of its features (see :meth:`ids`). crfsuite
        adds each attribute's weights in the order of the attributes: ``reduceat`` adds the rows in
        that order too, so these are the floats crfsuite computes."""
        flat: list[int] = []
        offsets: list[int] = []
        for sent in sentences:
            for token in sent:
                offsets.append(len(flat))
                flat.extend(token if token else (self.none,))
        if not offsets:
            return np.zeros((0, len(self.labels)))
        return np.add.reduceat(self.state[flat], offsets, axis=0)

    def decode(self, scores: np.ndarray, lengths: Sequence[int]) -> list[Decoded]:
        """Best path and marginals of each sentence from its tokens' state scores (``scores`` holds
        the sentences one after the other, ``lengths`` says how many tokens each has). The
        sentences are decoded together, padded to the longest and sorted longest first, so each
        step of the recursions is a few numpy operations on the sentences still running (a prefix
        of the batch)."""
        if not len(lengths):
            return []
        if min(lengths) < 1:
            raise ValueError("every sentence needs at least one token")
        size = np.asarray(lengths)
        order = np.argsort(-size, kind="stable")
        size = size[order]
        n_sent, t_max = len(size), int(size[0])
        starts = np.cumsum(lengths) - lengths
        first = np.repeat(starts[order], size)
        rows = np.repeat(np.arange(n_sent), size)
        positions = np.arange(len(rows)) - np.repeat(np.cumsum(size) - size, size)
        state = np.zeros((t_max, n_sent, len(self.labels)))   # [position, sentence, label]
        state[positions, rows] = scores[first + positions]
        ascending = size[::-1].tolist()
        active = [n_sent - bisect_right(ascending, t) for t in range(t_max)]   # sentences longer than t
        paths = self._viterbi(state, size, active).T.tolist()
        probs = self._marginals(state, size, active)
        out: list[Decoded | None] = [None] * n_sent
        labels = self.labels
        for row, k in enumerate(order.tolist()):
            n = int(size[row])
            out[k] = Decoded([labels[y] for y in paths[row][:n]], probs[:n, row], self.label_index)
        return out  # type: ignore[return-value]

    def _viterbi(self, state: np.ndarray, lengths: np.ndarray, active: list[int]) -> np.ndarray:
        """crfsuite's Viterbi recursion: the score of the previous label plus the transition (the
        first best previous label on ties), then the state score. Labels [position, sentence]."""
        t_max, n_sent, n_labels = state.shape
        score = state[0].copy()
        back = np.zeros((t_max, n_sent, n_labels), dtype=np.intp)
        into = self._transitions_into
        flat = np.arange(n_sent * n_labels)
        for t in range(1, t_max):
            k = active[t]
            rows = k * n_labels
            cand = (score[:k, None, :] + into).reshape(rows, n_labels)   # [sentence x label, previous label]
            best = cand.argmax(axis=1)
            back[t, :k] = best.reshape(k, n_labels)
            # the maximum taken at the argmax: the same float, and cheaper than max over a short axis
            np.add(cand[flat[:rows], best].reshape(k, n_labels), state[t, :k], out=score[:k])
        paths = np.zeros((t_max, n_sent), dtype=np.intp)
        rows = np.arange(n_sent)
        paths[lengths - 1, rows] = score.argmax(axis=1)   # a sentence's score stops at its end
        for t in range(t_max - 1, 0, -1):
            k = active[t]
            paths[t - 1, :k] = back[t, rows[:k], paths[t, :k]]
        return paths

    def _marginals(self, state: np.ndarray, lengths: np.ndarray, active: list[int]) -> np.ndarray:
        """P(label at position) [position, sentence, label] by crfsuite's scaled forward-backward."""
        t_max, n_sent, _ = state.shape
        exp_state = np.exp(state)
        exp_trans = self._exp_transitions
        alpha = np.zeros_like(exp_state)
        beta = np.zeros_like(exp_state)
        scale = np.ones((t_max, n_sent))
        a = exp_state[0]
        for t in range(t_max):
            k = active[t]
            if t:
                a = np.matmul(alpha[t - 1, :k], exp_trans)
                a *= exp_state[t, :k]
            s = scale[t, :k]
            np.divide(1.0, a.sum(axis=1), out=s)
            np.multiply(a, s[:, None], out=alpha[t, :k])
        rows = np.arange(n_sent)
        beta[lengths - 1, rows] = scale[lengths - 1, rows][:, None]
        exp_trans_t = exp_trans.T
        for t in range(t_max - 2, -1, -1):
            k = active[t + 1]
            np.matmul(exp_state[t + 1, :k] * beta[t + 1, :k], exp_trans_t, out=beta[t, :k])
            beta[t, :k] *= scale[t, :k, None]
        return alpha * beta / scale[:, :, None]
