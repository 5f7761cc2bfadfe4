"""State scores of the name recogniser's CRF, with the one-word parts summed once per word type.

A token's state score is the sum of the weights of its features (``mentions_ner_features``). Most
of those depend on one word alone: the token's own features, and the features of its previous and
next word. Each of these parts is summed once per word type and kept as a row of a table. Of the
features that join several words, those with few values are not built as strings per token: the
attribute ids of the KB tags around the token, of the word two back, of the first word's features
and of ``after_name_features`` are memoised by the tag or word they are made of. Word pairs are
looked up as strings (about half are new on a stream of news: a memo costs more than it saves). A
feature the model does not know is skipped, as crfsuite does: a zero row in its place could change
numpy's order of summation. A document's scores are then a few numpy gathers, added in the order
of the plain loop. They equal ``CrfModel.state_scores`` of the feature strings up to float
rounding, and the scores of the plain per-token loop exactly (``tests/test_mentions_crf.py``,
``tests/test_mentions_scores.py``).
"""

from __future__ import annotations

from itertools import compress
from typing import Callable, Sequence

import numpy as np

from lagebild.annotate.mentions_crf import CrfModel
from lagebild.annotate.mentions_ner_features import (Lexicons, next_features, prev_features, after_name_features,
                                                     first_features, is_candidate, plain_features, shape,
                                                     word_features)

_NOTHING = 0   # row 0 of the table: no features


class _Memo(dict):
    """A dict that makes a missing value with ``make(key)`` and keeps it."""

    def __init__(self, make: Callable) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


class StateScorer:
    """Scores (token x label) of sentences for one CRF and its lexicons."""

    limit = 300_000   # word types (or memoised pairs) kept before the memos are emptied (bounds memory)

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
        # attribute ids of the features that join words, by what they are made of
        feature = self._id
        self._kb = _Memo(lambda tag: feature("kb=" + tag))
        self._pkb = _Memo(lambda tag: feature("pkb=" + tag))
        self._nkb = _Memo(lambda tag: feature("nkb=" + tag))
        self._pw2 = _Memo(lambda word: feature("pw2=" + word.lower()))
        self._first = _Memo(lambda word: tuple(self.crf.ids(first_features(word, self.res))))
        # after a word: the ids of after_name_features before a non-candidate and before a candidate
        self._after = _Memo(lambda word: tuple(tuple(self.crf.ids(after_name_features([word, ""], 1, n)))
                                               or (self.crf.none,) for n in (False, True)))
        self._memos = (self._kb, self._pkb, self._nkb, self._pw2, self._first,
                       self._after)

    def _id(self, feature: str) -> tuple[int, ...]:
        """The attribute id of ``feature`` as a tuple, empty when the model does not know it
        (crfsuite skips the feature; a zero row instead could change numpy's order of summation)."""
        i = self.crf.attributes.get(feature)
        return () if i is None else (i,)

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

    def _too_big(self) -> bool:
        return self._used > self.limit or any(len(m) > self.limit for m in self._memos)

    def scores(self, sentences: Sequence[Sequence[str]], kb: Sequence[Sequence[str]],
               candidates: Sequence[Sequence[bool]] | None = None) -> np.ndarray:
        """State scores of the tokens of all ``sentences`` (words), one after the other; ``kb``
        holds each sentence's KB tags (``mentions_ner_features.kb_tags``), ``candidates`` (when
        given) each word's ``is_candidate``."""
        if self._too_big():
            self._reset()
        if candidates is None:
            candidates = [list(map(is_candidate, words)) for words in sentences]
        own_m, prev_m, next_m, add = self._own, self._prev, self._next, self._add
        own_get, prev_get, next_get = own_m.get, prev_m.get, next_m.get
        none = self.crf.none
        kb_m, pkb_m, nkb_m, pw2_m = self._kb, self._pkb, self._nkb, self._pw2
        first_m, after_m, attribute = self._first, self._after, self.crf.attributes.get
        own: list[int] = []
        prev: list[int] = []    # per token with joint features: row of the previous word (0: none)
        nxt: list[int] = []
        joint: list[int] = []   # tokens with joint features, in order
        flat: list[int] = []    # their attribute ids, each token's run starting at offsets[k]
        offsets: list[int] = []
        base = 0
        for words, tags, cand in zip(sentences, kb, candidates):
            rows = [own_get(w) for w in words]
            if None in rows:
                for i, w in enumerate(words):
                    if rows[i] is None:
                        rows[i] = own_get(w) or add(own_m, word_features if cand[i] else plain_features, w)
            own += rows
            n = len(words)
            last = n - 1
            padded = ["<s>", "<s>", *words, "</s>"]
            ptags = ["<s>", *tags, "</s>"]
            for i in compress(range(n), cand):
                p, w, nx = padded[i + 1], padded[i + 2], padded[i + 3]
                prev.append(prev_get(p) or add(prev_m, prev_features, p))
                nxt.append(next_get(nx) or add(next_m, next_features, nx))
                joint.append(base + i)
                offsets.append(len(flat))
                t, pt, nt, p2 = ptags[i + 1], ptags[i], ptags[i + 2], padded[i]
                at = len(flat)
                flat += (*kb_m[t], *pw2_m[p2], *pkb_m[pt], *nkb_m[nt])
                # word pairs: too many to memoise with profit (about half are new on a stream of news)
                lp = p.lower()
                pair = attribute("pw|nw=" + lp + "|" + nx.lower())
                if pair is not None:
                    flat.append(pair)
                pair = attribute("pw|sh=" + lp + "|" + shape(w))
                if pair is not None:
                    flat.append(pair)
                if i == 0:
                    flat += first_m[w]
                if len(flat) == at:
                    flat.append(none)
            for i in range(1, n):   # tokens after a candidate
                if cand[i - 1] and not cand[i]:
                    prev.append(_NOTHING)
                    nxt.append(_NOTHING)
                    joint.append(base + i)
                    offsets.append(len(flat))
                    flat += after_m[words[i - 1]][i < last and cand[i + 1]]
            base += n
        self._fill()
        if not own:
            return np.zeros((0, len(self.crf.labels)))
        table = self._table
        out = table[own]
        if joint:
            # the order of the plain loop: own + joint features + previous word + next word
            part = out[joint]
            part += np.add.reduceat(self.crf.state[flat], offsets, axis=0)
            part += table[prev]
            part += table[nxt]
            out[joint] = part
        return out
