"""Token scores of the linear span tagger without materialising feature indices.

The tagger is linear, so a token's score is a sum of one weight per feature. The indexer
(``framing_features.TokenFeatureIndexer``) memoises hashed *indices*; this scorer memoises
*weights*: a word's own features (4 weights) and its features as a neighbour (4) collapse to one
float and a 4-tuple, word pairs to one float each. Per token the run time then pays a few dict
lookups and additions instead of building a 20-element index list and a numpy gather. The sums
equal ``np.add.reduceat(w[indices], offsets)`` up to float rounding (``tests/test_framing.py``).

The stage scores a whole document at once (:meth:`TokenScorer.score_sentences`): the memos hold
rows of numpy tables, so Python pays one look-up per token and per word pair and numpy does the
additions, in the order of :meth:`TokenScorer.scores` (bit-identical scores).
"""

from __future__ import annotations

import math
import zlib
from itertools import chain
from typing import Sequence

import numpy as np

from lagebild.annotate.framing_features import _QUOTES, TokenContext, TokenFeatureIndexer, _shape

_MEMO_LIMIT = 500_000   # entries per memo before it is emptied (bounds memory on endless streams)
_PAIR_LIMIT = 250_000   # word pairs memoised (most recur from page to page)
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
        self._tok_rows = _Rows(5, _MEMO_LIMIT)    # raw word -> own, w-1=, w+1=, w-2=, w+2= weights
        self._pair_rows = _Rows(2, _PAIR_LIMIT)   # (a, b) -> b-=a|b, b+=a|b weights
        self._pos_arr, self._rpos_arr = np.array(self._pos), np.array(self._rpos)
        self._base: dict[tuple, float] = {}   # (sentence cues.., Spol, Sneg, len bucket) -> sentence's sum

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

    def score_sentences(self, raws: Sequence[list[str]], lows: Sequence[list[str]],
                        sent_feats: Sequence[Sequence[str]], context: TokenContext) -> list[list[float]]:
        """:meth:`scores` of many sentences (non-empty; ``lows`` lower-cased ``raws``) in one pass
        over the document. Python looks up one memo row per token and word pair (pairs are
        memoised too: most recur), numpy gathers and adds the weights. Each token's weights are
        added in the order of :meth:`scores` in float64, and the sigmoid is the same ``math.exp``,
        so the scores are bit-identical (``tests/test_framing.py``)."""
        toks, pairs = self._tok_rows, self._pair_rows
        toks.begin()
        pairs.begin()
        lens = [len(r) for r in raws]
        low_all = list(chain.from_iterable(lows))
        pol = context.polarities(low_all)
        pad_raw: list[str] = []   # every sentence as <s> <s> w1 .. wn </s> </s>, as in :meth:`scores`
        pad_low: list[str] = []
        for r, lw in zip(raws, lows):
            pad_raw += _OPEN
            pad_raw += r
            pad_raw += _CLOSE
            pad_low += _OPEN
            pad_low += lw
            pad_low += _CLOSE
        get, miss = toks.index.get, self._tok_row
        tok_ids = np.array([v if (v := get(x)) is not None else miss(x) for x in pad_raw], np.intp)
        get, miss = pairs.index.get, self._pair_row
        pair_ids = np.array([v if (v := get(k)) is not None else miss(k) for k in zip(pad_low, pad_low[1:])],
                            np.intp)
        ws, q, lenw = self._ws, self._q, self._len
        head, by_key = self._bias + self._b, self._base
        bases: list[float] = []
        qs: list[float] = []
        prevp: list[int] = []
        nextp: list[int] = []
        a = 0
        for n, r, f in zip(lens, raws, sent_feats):
            ps = pol[a:a + n]
            npol = n - ps.count(0)
            key = (*f, min(npol, 4), min(sum(1 for p in ps if p < 0) if npol else 0, 3), min(n // 5, 8))
            base = by_key.get(key)
            if base is None:   # few keys: sentence cues x polar and negative word counts x length
                if len(by_key) > _MEMO_LIMIT:
                    by_key.clear()
                feats = list(f) + ["Spol=" + str(key[-3]), "Sneg=" + str(key[-2])]
                base = by_key[key] = head + lenw[key[-1]] + sum(ws(x) for x in feats)
            bases.append(base)
            if _QUOTES.isdisjoint(r):
                qs += [q[False]] * n
            else:
                quote_open = False
                for word in r:
                    if word in _QUOTES:
                        quote_open = not quote_open
                    qs.append(q[quote_open])
            prevp.append(9)
            prevp += ps[:-1]
            nextp += ps[1:]
            nextp.append(9)
            a += n
        extra = self._polarity_terms(low_all, pol, prevp, nextp, pad_low, lens, context)
        nlen = np.array(lens, np.intp)
        first = np.repeat(np.cumsum(nlen) - nlen, nlen)             # index of each token's sentence start
        i_in = np.arange(len(low_all), dtype=np.intp) - first       # index within its sentence
        c = first + i_in + np.repeat(4 * np.arange(len(lens)) + 2, nlen)   # padded position of each token
        t, pt = toks.table, pairs.table
        z = np.repeat(np.array(bases), nlen)
        z += t[tok_ids[c], 0]
        z += t[tok_ids[c - 1], 1]
        z += t[tok_ids[c + 1], 2]
        z += t[tok_ids[c - 2], 3]
        z += t[tok_ids[c + 2], 4]
        z += pt[pair_ids[c - 1], 0] + pt[pair_ids[c], 1]
        z += qs
        z += self._pos_arr[np.minimum(i_in, 6)]
        z += self._rpos_arr[np.minimum(np.repeat(nlen - 1, nlen) - i_in, 6)]
        z += extra
        exp = math.exp
        sc = [1.0 / (1.0 + exp(-x)) for x in np.clip(z, -30.0, 30.0).tolist()]
        out, a = [], 0
        for n in lens:
            out.append(sc[a:a + n])
            a += n
        return out

    def _tok_row(self, word: str) -> int:
        """Memo row of a raw word: its own weight (as :meth:`_own_of` sums it) and its weights as
        the word before, after, two before and two after (those of its lower-cased form)."""
        lw, h, w = word.lower(), self._ix._h, self._w
        own = sum(w[i] for i in (h("w=" + lw), h("s3=" + lw[-3:]), h("p3=" + lw[:3]), h("sh=" + _shape(word))))
        return self._tok_rows.add(word, (own, w[h("w-1=" + lw)], w[h("w+1=" + lw)],
                                         w[h("w-2=" + lw)], w[h("w+2=" + lw)]))

    def _pair_row(self, pair: tuple[str, str]) -> int:
        """Memo row of a word pair (a, b): the weights of ``b-=a|b`` (read by the token b) and
        ``b+=a|b`` (read by the token a)."""
        w, mask, crc = self._w, self._ix.mask, zlib.crc32
        joined = pair[0] + "|" + pair[1]
        return self._pair_rows.add(pair, (w[crc(("b-=" + joined).encode()) & mask],
                                          w[crc(("b+=" + joined).encode()) & mask]))

    def _polarity_terms(self, low: list[str], pol: list[int], prevp: list[int], nextp: list[int],
                        pad_low: list[str], lens: list[int], context: TokenContext) -> list[float]:
        """Per token, the sum :meth:`_add_polarity` adds: polw= + pol=, then polword=, then df=.
        A missing df= adds 0.0, which leaves a sum unchanged (at most the sign of a zero, and the
        sigmoid maps both zeros alike)."""
        by_triple, ws = self._triple, self._ws
        terms = [v if (v := by_triple.get(k)) is not None else self._triple_of(k)
                 for k in zip(prevp, pol, nextp)]
        if pol.count(0) < len(pol):
            nxt: list[str] = []   # the word after each token (</s> after the last of a sentence)
            o = 0
            for n in lens:
                nxt += pad_low[o + 3:o + 3 + n]
                o += n + 4
            for i, p in enumerate(pol):
                if p:
                    terms[i] += ws("polword=%d|%s" % (p, nxt[i]))
        dfw, counts = self._df, context.counts
        df = {w: dfw[min(counts.get(w, 0), 5)] for w in set(low) if len(w) > 3 and w.isalpha()}
        get = df.get
        return [t + get(w, 0.0) for t, w in zip(terms, low)]

    def _triple_of(self, key: tuple[int, int, int]) -> float:
        p = key[1]
        pw = self._pol[p] if p in self._pol else self._pol.setdefault(p, self._ws("pol=%d" % p))
        z = self._triple[key] = self._ws("polw=%d|%d|%d" % key) + pw
        return z


class _Rows:
    """A bounded memo of weight rows: key -> row of ``table``. It is emptied only when a document
    begins (:meth:`begin`), never while one document's rows are in use."""

    def __init__(self, width: int, limit: int) -> None:
        self.index: dict = {}
        self.table = np.zeros((1024, width))
        self.limit = limit

    def begin(self) -> None:
        if len(self.index) > self.limit:
            self.index.clear()

    def add(self, key, values: tuple[float, ...]) -> int:
        r = len(self.index)
        if r == len(self.table):
            self.table = np.concatenate([self.table, np.zeros_like(self.table)])
        self.table[r] = values
        self.index[key] = r
        return r


_OPEN = ["<s>", "<s>"]
_CLOSE = ["</s>", "</s>"]


def _by_position(weights: list[float], n: int) -> list[float]:
    """``[weights[min(i, 6)] for i in range(n)]`` without a Python step per token."""
    return weights[:6] + [weights[6]] * (n - 6) if n > 6 else weights[:n]
