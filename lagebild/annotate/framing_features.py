"""Hashed features for the English persuasion-technique models (span tagger and technique classifier).

Both the training script and the run-time stage call these functions, so a model and its features
can never drift apart. Features are strings hashed with CRC32 into a fixed space (no vocabulary to
ship, no sklearn object to unpickle); the shipped models are plain weight arrays.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from typing import Iterable, Sequence

import numpy as np

SI_DIM = 1 << 18   # hashed feature space of the token tagger
TC_DIM = 1 << 17   # hashed feature space of the technique classifier

_QUOTES = set("\"“”«»„")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def hash_features(feats: Iterable[str], dim: int) -> list[int]:
    """Indices of the features in a ``dim``-sized space (dim is a power of two)."""
    mask = dim - 1
    return [zlib.crc32(f.encode("utf-8")) & mask for f in feats]


def _shape(w: str) -> str:
    if w.isupper() and len(w) > 1:
        return "AA"
    if w[:1].isupper():
        return "Aa"
    if w.isdigit():
        return "9"
    if w.isalpha():
        return "a"
    return "p"


def sentence_token_features(words: Sequence[str], sent_feats: Sequence[str] = (),
                            context: "TokenContext | None" = None) -> list[list[str]]:
    """Feature strings for every token of one sentence (``words`` are the token strings); with a
    ``context``, also each word's polarity (tone lexicon) and how often it recurs in the article."""
    low = [w.lower() for w in words]
    pol = [context.polarity(w) for w in low] if context else [0] * len(low)
    if context:
        npol = sum(1 for p in pol if p)
        sent_feats = list(sent_feats) + ["Spol=" + str(min(npol, 4)), "Sneg=" + str(min(sum(1 for p in pol if p < 0), 3))]
    n = len(words)
    out: list[list[str]] = []
    quote_open = False
    pad = ["<s>", "<s>"] + low + ["</s>", "</s>"]
    for i, w in enumerate(words):
        if w in _QUOTES:
            quote_open = not quote_open
        j = i + 2
        lw = low[i]
        f = [
            "b", "w=" + lw, "s3=" + lw[-3:], "p3=" + lw[:3], "sh=" + _shape(w),
            "w-1=" + pad[j - 1], "w+1=" + pad[j + 1], "w-2=" + pad[j - 2], "w+2=" + pad[j + 2],
            "b-=" + pad[j - 1] + "|" + lw, "b+=" + lw + "|" + pad[j + 1],
            "q=" + str(quote_open), "pos=" + str(min(i, 6)), "rpos=" + str(min(n - 1 - i, 6)),
            "len=" + str(min(n // 5, 8)),
        ]
        if context:
            f.append("pol=%d" % pol[i])
            f.append("polw=%d|%d|%d" % (pol[i - 1] if i else 9, pol[i], pol[i + 1] if i + 1 < n else 9))
            if pol[i]:
                f.append("polword=%d|%s" % (pol[i], pad[j + 1]))
            if len(lw) > 3 and lw.isalpha():
                f.append("df=" + str(min(context.counts.get(lw, 0), 5)))
        f.extend(sent_feats)
        out.append(f)
    return out


class TokenContext:
    """Article-wide information for token features: word counts and a polarity function.
    ``memo`` is the polarity function's own cache (word -> polarity) when it has one: a hit then
    costs a dict look-up, not a call."""

    def __init__(self, words: Iterable[str], polarity, lowered: bool = False,
                 memo: dict[str, int] | None = None) -> None:
        # ``lowered``: the words are lower-cased already (lower() is idempotent: same counts)
        self.counts = Counter(words) if lowered else Counter(w.lower() for w in words)
        self._polarity = polarity
        self._memo = memo if memo is not None else {}
        self.weights: dict[int, dict] = {}   # a scorer's (by id) weights per word of this article

    def polarity(self, word: str) -> int:
        return self._polarity(word)

    def polarities(self, words: Sequence[str]) -> list[int]:
        """``[self.polarity(w) for w in words]``; memo hits without a call."""
        pol, get = self._polarity, self._memo.get
        return [v if (v := get(w)) is not None else pol(w) for w in words]


def sentence_features(sentence: str) -> list[str]:
    """Sentence-level cues shared by all its tokens (exclamation, question, quotes, length)."""
    f = []
    if "!" in sentence:
        f.append("S!")
    if "?" in sentence:
        f.append("S?")
    if not _QUOTES.isdisjoint(sentence):   # any quotation mark (one C-level scan)
        f.append("Sq")
    return f


def span_features(span: str, context: str, article: str, article_lower: str | None = None) -> list[str]:
    """Feature strings of one fragment for the technique classifier: its words, character n-grams,
    length, the words of its sentence, and how often it recurs in the article (repetition).
    ``article_lower`` is ``article.lower()`` when the caller classifies many spans of one text."""
    low = span.lower().strip()
    words = _WORD.findall(low)
    f = _span_words(words)
    padded = f" {low} "
    for n in (3, 4, 5):
        prefix = "c%d=" % n
        f += [prefix + padded[i:i + n] for i in range(len(padded) - n + 1)]
    if article_lower is None:
        article_lower = article.lower()
    return f + _span_rest(span, low, len(words), context, article_lower)


def span_indices(span: str, context: str, article_lower: str, dim: int) -> list[int]:
    """``hash_features(span_features(span, context, article, article_lower), dim)``, in the same
    order, with the character n-grams hashed from slices of the span's UTF-8 bytes: CRC32 continued
    from the prefix's (``crc32(b, crc32(a)) == crc32(a + b)``), no string built or encoded per n-gram."""
    low = span.lower().strip()
    padded = f" {low} "
    try:
        raw = padded.encode("utf-8")
    except UnicodeEncodeError:   # a lone surrogate: fails as hashing the feature strings fails
        return hash_features(span_features(span, context, "", article_lower), dim)
    words = _WORD.findall(low)
    mask, crc = dim - 1, zlib.crc32
    out = hash_features(_span_words(words), dim)
    if len(raw) == len(padded):   # ASCII: character i is byte i
        for n, seed in _GRAM_SEEDS:
            out += [crc(raw[i:i + n], seed) & mask for i in range(len(raw) - n + 1)]
    else:   # byte offset of every character: the bytes that do not continue a UTF-8 sequence
        at = np.flatnonzero((np.frombuffer(raw, np.uint8) & 0xC0) != 0x80).tolist()
        at.append(len(raw))
        for n, seed in _GRAM_SEEDS:
            out += [crc(raw[a:b], seed) & mask for a, b in zip(at, at[n:])]
    return out + hash_features(_span_rest(span, low, len(words), context, article_lower), dim)


_GRAM_SEEDS = [(n, zlib.crc32(b"c%d=" % n)) for n in (3, 4, 5)]


def _span_words(words: list[str]) -> list[str]:
    """The span features before its character n-grams: bias, words, word pairs, first and last."""
    f = ["b"]
    f.extend("w=" + w for w in words)
    f.extend("w2=" + a + "|" + b for a, b in zip(words, words[1:]))
    if words:
        f.append("first=" + words[0])
        f.append("last=" + words[-1])
    return f


def _span_rest(span: str, low: str, nw: int, context: str, article_lower: str) -> list[str]:
    """The span features after its character n-grams: length, sentence words, repetition, marks."""
    f = ["nw=" + str(min(nw, 12) if nw < 12 else 12 + min(nw // 10, 5))]
    cwords = _WORD.findall(context.lower())
    f.extend("cw=" + w for w in cwords)
    reps = article_lower.count(low) if low else 0
    f.append("rep=" + str(min(reps, 5)))
    if reps >= 2:
        f.append("rep2")
    if span[:1].isupper() and span.isupper() and nw > 0:
        f.append("caps")
    if "!" in span:
        f.append("excl")
    if "?" in span or "?" in context:
        f.append("q")
    if any(c in _QUOTES for c in span):
        f.append("quote")
    return f


def counts(indices: Iterable[int]) -> Counter:
    return Counter(indices)


_MEMO_LIMIT = 500_000   # distinct strings kept per memo before it is emptied (bounds memory)


class TokenFeatureIndexer:
    """The hashed indices of :func:`sentence_token_features`, in the same order, without building
    and hashing every feature string for every token: hashes are memoised per word (its own
    features and its features as a neighbour) and per word pair, so the run time pays one dict
    lookup where the training script pays a string concatenation, an encode and a CRC32."""

    def __init__(self, dim: int) -> None:
        self.mask = dim - 1
        self._own: dict[str, tuple[int, int, int, int]] = {}     # w -> w=, s3=, p3=, sh=
        self._nb: dict[str, tuple[int, int, int, int]] = {}      # lw -> w-1=, w+1=, w-2=, w+2=
        self._str: dict[str, int] = {}                           # any other feature string
        h = self._h
        self._b = h("b")
        self._q = (h("q=False"), h("q=True"))
        self._pos = [h("pos=" + str(k)) for k in range(7)]
        self._rpos = [h("rpos=" + str(k)) for k in range(7)]
        self._len = [h("len=" + str(k)) for k in range(9)]
        self._df = [h("df=" + str(k)) for k in range(6)]

    def _h(self, f: str) -> int:
        return zlib.crc32(f.encode("utf-8")) & self.mask

    def _hs(self, f: str) -> int:
        memo = self._str
        v = memo.get(f)
        if v is None:
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            v = memo[f] = self._h(f)
        return v

    def _own_of(self, w: str) -> tuple[int, int, int, int]:
        v = self._own.get(w)
        if v is None:
            if len(self._own) > _MEMO_LIMIT:
                self._own.clear()
            lw = w.lower()
            h = self._h
            v = self._own[w] = (h("w=" + lw), h("s3=" + lw[-3:]), h("p3=" + lw[:3]), h("sh=" + _shape(w)))
        return v

    def _nb_of(self, lw: str) -> tuple[int, int, int, int]:
        v = self._nb.get(lw)
        if v is None:
            if len(self._nb) > _MEMO_LIMIT:
                self._nb.clear()
            h = self._h
            v = self._nb[lw] = (h("w-1=" + lw), h("w+1=" + lw), h("w-2=" + lw), h("w+2=" + lw))
        return v

    def indices(self, words: Sequence[str], sent_feats: Sequence[str] = (),
                context: "TokenContext | None" = None) -> tuple[list[int], list[int]]:
        """(flat feature indices, start offset of each token) — equal to hashing the lists of
        ``sentence_token_features(words, sent_feats, context)``."""
        low = [w.lower() for w in words]
        pol = [context.polarity(w) for w in low] if context else None
        if pol is not None:
            npol = sum(1 for p in pol if p)
            sent_feats = list(sent_feats) + ["Spol=" + str(min(npol, 4)),
                                             "Sneg=" + str(min(sum(1 for p in pol if p < 0), 3))]
        sf = [self._hs(f) for f in sent_feats]
        n = len(words)
        pad = ["<s>", "<s>"] + low + ["</s>", "</s>"]
        nbs = [self._nb_of(x) for x in pad]
        hs = self._hs
        b, qh, posh, rposh, dfh = self._b, self._q, self._pos, self._rpos, self._df
        lenh = self._len[min(n // 5, 8)]
        counts = context.counts if context else None
        idx: list[int] = []
        offsets: list[int] = []
        quote_open = False
        for i, w in enumerate(words):
            if w in _QUOTES:
                quote_open = not quote_open
            j = i + 2
            lw = low[i]
            prev, nxt = pad[j - 1], pad[j + 1]
            own = self._own_of(w)
            offsets.append(len(idx))
            idx.append(b)
            idx.extend(own)
            idx.extend((nbs[j - 1][0], nbs[j + 1][1], nbs[j - 2][2], nbs[j + 2][3],
                        hs("b-=" + prev + "|" + lw), hs("b+=" + lw + "|" + nxt),
                        qh[quote_open], posh[min(i, 6)], rposh[min(n - 1 - i, 6)], lenh))
            if pol is not None:
                p = pol[i]
                idx.append(hs("pol=%d" % p))
                idx.append(hs("polw=%d|%d|%d" % (pol[i - 1] if i else 9, p, pol[i + 1] if i + 1 < n else 9)))
                if p:
                    idx.append(hs("polword=%d|%s" % (p, nxt)))
                if len(lw) > 3 and lw.isalpha():
                    idx.append(dfh[min(counts.get(lw, 0), 5)])
            idx.extend(sf)
        return idx, offsets
