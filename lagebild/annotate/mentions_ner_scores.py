"""State scores of the name recogniser's CRF, with the one-word parts summed once per word type.

A token's state score is the sum of the weights of its features (``mentions_ner_features``). Most
of those depend on one word alone: the token's own features, and the features of its previous and
next word. Each of these parts is summed once per word type and kept as a row of a table; per token
only the features that join several words (word pairs, KB matches around it) are looked up, and a
document's scores are a few numpy gathers. They equal ``CrfModel.state_scores`` of the feature
strings up to float rounding (``tests/test_mentions_crf.py``).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from lagebild.annotate.mentions_crf import CrfModel
from lagebild.annotate.mentions_ner_features import (Lexicons, next_word, next_features, prev_word, prev_features,
                                                     after_name_features, around_features, first_features,
                                                     is_candidate, plain_features, word_features)

_NOTHING = 0   # row 0 of the table: no features


class StateScorer:
    """Scores (token x label) of sentences for one CRF and its lexicons."""

    limit = 300_000   # word types kept before the table is emptied (bounds memory on endless streams)

    def __init__(self, crf: CrfModel, res: Lexicons) -> None:
        self.crf, self.res = crf, res
        self._reset()

    def _reset(self) -> None:
        self._table = np.zeros((4096, len(self.crf.labels)))
        self._used = 1
        self._own: dict[str, int] = {}          # word -> row of its own features
        self._prev: dict[str, int] = {}         # word -> row of its features as the previous word
        self._next: dict[str, int] = {}         # word -> row of its features as the next word
        self._pending: list[int] = []           # attribute ids of the words given a row but not filled yet
        self._pending_offsets: list[int] = []

    def _add(self, memo: dict[str, int], make: Callable[[str, Lexicons], list[str]], word: str) -> int:
        """The table row of ``make(word)``'s summed weights: given on first sight of the word and
        filled by :meth:`_fill` (one numpy call for all new words of a document)."""
        row = memo[word] = self._used
        self._used += 1
        self._pending_offsets.append(len(self._pending))
        self._pending.extend(self.crf.ids(make(word, self.res)) or (self.crf.none,))
        return row

    def _fill(self) -> None:
        first = self._used - len(self._pending_offsets)
        if first == self._used:
            return
        if self._used > len(self._table):
            grown = np.zeros((max(2 * len(self._table), self._used), self._table.shape[1]))
            grown[:first] = self._table[:first]
            self._table = grown
        self._table[first:self._used] = np.add.reduceat(self.crf.state[self._pending], self._pending_offsets, axis=0)
        self._pending, self._pending_offsets = [], []

    def scores(self, sentences: Sequence[Sequence[str]], kb: Sequence[Sequence[str]]) -> np.ndarray:
        """State scores of the tokens of all ``sentences`` (words), one after the other; ``kb``
        holds each sentence's KB tags (``mentions_ner_features.kb_tags``)."""
        if self._used > self.limit:
            self._reset()
        ids, res, none = self.crf.ids, self.res, self.crf.none
        own_m, prev_m, next_m, add = self._own, self._prev, self._next, self._add
        own, prev, nxt, flat, offsets = [], [], [], [], []
        for words, tags in zip(sentences, kb):
            cand = [is_candidate(w) for w in words]
            last = len(words) - 1
            for i, w in enumerate(words):
                c = cand[i]
                own.append(own_m.get(w) or add(own_m, word_features if c else plain_features, w))
                offsets.append(len(flat))
                if c:
                    p, n = prev_word(words, i), next_word(words, i)
                    prev.append(prev_m.get(p) or add(prev_m, prev_features, p))
                    nxt.append(next_m.get(n) or add(next_m, next_features, n))
                    joint = ids(around_features(words, i, tags))
                    if i == 0:
                        joint += ids(first_features(w, res))
                else:
                    prev.append(_NOTHING)
                    nxt.append(_NOTHING)
                    joint = ids(after_name_features(words, i, i < last and cand[i + 1])) if i and cand[i - 1] else ()
                flat.extend(joint or (none,))
        self._fill()
        if not own:
            return np.zeros((0, len(self.crf.labels)))
        table = self._table
        return table[own] + np.add.reduceat(self.crf.state[flat], offsets, axis=0) + table[prev] + table[nxt]
