"""Token scores of the linear span tagger without materialising feature indices.

The tagger is linear, so a token's score is a sum of one weight per feature. The indexer
(``framing_features.TokenFeatureIndexer``) memoises hashed *indices*; this scorer memoises
*weights*: a word's own features (4 weights) and its features as a neighbour (4) collapse to one
float and a 4-tuple, word pairs to one float each. Per token the run time then pays a few dict
lookups and additions instead of building a 20-element index list and a numpy gather. The sums
equal ``np.add.reduceat(w[indices], offsets)`` up to float rounding (``tests/test_framing.py``).
"""

from __future__ import annotations

import math
import zlib
from typing import Sequence

import numpy as np

from lagebild.annotate.framing_features import _QUOTES, TokenContext, TokenFeatureIndexer

_MEMO_LIMIT = 500_000   # entries per memo before it is emptied (bounds memory on endless streams)
_UNSEEN = object()


class TokenScorer:
    """Scores of the token tagger, equal to summing the weights of the indexer's features."""

    def __init__(self, weights: np.ndarray, bias: float, dim: int) -> None:
        self._w = weights.astype(np.float64).tolist()   # Python floats: no numpy scalar per lookup
        self._bias = float(bias)
        ix = self._ix = TokenFeatureIndexer(dim)
        w = self._w
        self._b = w[ix._b]
        self._q = (w[ix._q[0]], w[ix._q[1]])
        self._pos = [w[i] for i in ix._pos]
        self._rpos = [w[i] for i in ix._rpos]
        self._len = [w[i] for i in ix._len]
        self._df = [w[i] for i in ix._df]
        self._own: dict[str, float] = {}
        self._nb: dict[str, tuple[float, float, float, float]] = {}
        self._str: dict[str, float] = {}
        self._pol: dict[int, float] = {}                          # polarity -> weight of pol=
        self._triple: dict[tuple[int, int, int], float] = {}      # (prev, own, next) -> polw= + pol= weights

    def _ws(self, feature: str) -> float:
        memo = self._str
        v = memo.get(feature)
        if v is None:
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            v = memo[feature] = self._w[self._ix._h(feature)]
        return v

    def _own_of(self, word: str) -> float:
        v = self._own.get(word)
        if v is None:
            if len(self._own) > _MEMO_LIMIT:
                self._own.clear()
            w = self._w
            v = self._own[word] = sum(w[i] for i in self._ix._own_of(word))
        return v

    def _nb_of(self, low: str) -> tuple[float, float, float, float]:
        v = self._nb.get(low)
        if v is None:
            if len(self._nb) > _MEMO_LIMIT:
                self._nb.clear()
            w = self._w
            a, b, c, d = self._ix._nb_of(low)
            v = self._nb[low] = (w[a], w[b], w[c], w[d])
        return v

    def scores(self, words: Sequence[str], sent_feats: Sequence[str] = (),
               context: TokenContext | None = None, low: list[str] | None = None) -> list[float]:
        """Sigmoid scores of every token (same features as ``TokenFeatureIndexer.indices``);
        ``low`` is ``words`` lower-cased when the caller has it."""
        n = len(words)
        if not n:
            return []
        if low is None:
            low = [w.lower() for w in words]
        pol = context.polarities(low) if context else None
        feats = list(sent_feats)
        if pol is not None:
            npol = sum(1 for p in pol if p)
            feats += ["Spol=" + str(min(npol, 4)), "Sneg=" + str(min(sum(1 for p in pol if p < 0), 3))]
        ws = self._ws
        base = self._bias + self._b + self._len[min(n // 5, 8)] + sum(ws(f) for f in feats)
        pad = ["<s>", "<s>"] + low + ["</s>", "</s>"]
        nb_get, own_get = self._nb.get, self._own.get   # memo hits without a method call per token
        nbs = [v if (v := nb_get(x)) is not None else self._nb_of(x) for x in pad]
        owns = [v if (v := own_get(w)) is not None else self._own_of(w) for w in words]
        # word pairs are mostly new: hash them directly rather than through a memo
        w, mask, crc = self._w, self._ix.mask, zlib.crc32
        pairs = [w[crc(("b-=" + pad[j - 1] + "|" + pad[j]).encode()) & mask]
                 + w[crc(("b+=" + pad[j] + "|" + pad[j + 1]).encode()) & mask] for j in range(2, n + 2)]
        q, posw, rposw = self._q, self._pos, self._rpos
        if _QUOTES.isdisjoint(words):   # no quotation mark: the quote state stays closed
            qs = [q[False]] * n
        else:
            qs, quote_open = [], False
            for word in words:
                if word in _QUOTES:
                    quote_open = not quote_open
                qs.append(q[quote_open])
        # token i: its own weights, the words before, after, two before, two after, the pairs, the
        # quote state and the positions from either end, added in this order (as trained and tested)
        z_all = [base + o + a[0] + b[1] + c[2] + d[3] + pr + qq + ps + rp
                 for o, a, b, c, d, pr, qq, ps, rp in zip(owns, nbs[1:], nbs[3:], nbs, nbs[4:], pairs, qs,
                                                          _by_position(posw, n), _by_position(rposw, n)[::-1])]
        if pol is not None:
            self._add_polarity(z_all, low, pol, pad, context)
        exp = math.exp
        return [1.0 / (1.0 + exp(-(-30.0 if z < -30.0 else (30.0 if z > 30.0 else z)))) for z in z_all]

    def _add_polarity(self, z_all: list[float], low: list[str], pol: list[int], pad: list[str],
                      context: TokenContext) -> None:
        """The tone-lexicon features: polarity of the word and its neighbours, article frequency.
        Weights are memoised by their integer keys, so no feature string is built per token: the
        polw= and pol= weights as one sum per (before, own, after) triple, the df= weight per word
        of the article."""
        ws, by_triple = self._ws, self._triple
        df = context.weights.setdefault(id(self), {})   # word -> df= weight (None: no such feature)
        for i, key in enumerate(zip([9] + pol[:-1], pol, pol[1:] + [9])):
            z = by_triple.get(key)
            if z is None:
                p = key[1]
                pw = self._pol[p] if p in self._pol else self._pol.setdefault(p, ws("pol=%d" % p))
                z = by_triple[key] = ws("polw=%d|%d|%d" % key) + pw
            if key[1]:
                z += ws("polword=%d|%s" % (key[1], pad[i + 3]))
            lw = low[i]
            d = df.get(lw, _UNSEEN)
            if d is _UNSEEN:
                d = df[lw] = self._df[min(context.counts.get(lw, 0), 5)] if len(lw) > 3 and lw.isalpha() else None
            if d is not None:
                z += d
            z_all[i] += z


def _by_position(weights: list[float], n: int) -> list[float]:
    """``[weights[min(i, 6)] for i in range(n)]`` without a Python step per token."""
    return weights[:6] + [weights[6]] * (n - 6) if n > 6 else weights[:n]
