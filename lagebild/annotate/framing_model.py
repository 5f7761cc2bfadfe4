"""The shipped English persuasion-technique model: a token tagger for spans and a technique classifier.

Both are linear models over hashed features (``framing_features``), trained by
``scripts/train_framing.py`` on the PTC corpus and shipped as a small ``.npz`` of weights, so the
run time needs numpy only. Span identification scores every token; runs of tokens above the
threshold (small gaps bridged) become spans, which the classifier then labels.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from importlib import resources
from typing import Sequence

import numpy as np

from lagebild import lang as langdata
from lagebild.annotate.framing_features import SI_DIM, TC_DIM, TokenContext, sentence_features, span_indices
from lagebild.annotate.framing_scorer import TokenScorer
from lagebild.annotate.tone import lexicon
from lagebild.annotate.sentences import Words, tokenize
from lagebild.document import Sentence, Token

MODEL_FILE = "framing_en.npz"


@dataclass
class Tagged:
    start: int
    end: int
    score: float


class FramingModel:
    """Weights of the span tagger and the technique classifier, with prediction."""

    def __init__(self, si_w: np.ndarray, si_b: float, threshold: float, gap: int,
                 tc_w: np.ndarray, tc_b: np.ndarray, classes: Sequence[str], seed: float | None = None) -> None:
        self.si_w = si_w.astype(np.float32)
        self.si_b = float(si_b)
        self.threshold = float(threshold)
        self.seed = float(threshold if seed is None else seed)
        self.gap = int(gap)
        self.tc_w = tc_w.astype(np.float32)
        self.tc_b = tc_b.astype(np.float32)
        self.classes = list(classes)
        self._scorer = TokenScorer(self.si_w, self.si_b, SI_DIM)

    # ------------------------------------------------------------------ io
    def save(self, path) -> None:
        np.savez_compressed(path, si_w=self.si_w.astype(np.float16), si_b=np.float32(self.si_b),
                            threshold=np.float32(self.threshold), seed=np.float32(self.seed), gap=np.int32(self.gap),
                            tc_w=self.tc_w.astype(np.float16), tc_b=self.tc_b,
                            classes=np.array(self.classes))

    @classmethod
    def load(cls, path) -> "FramingModel":
        z = np.load(path, allow_pickle=False)
        return cls(z["si_w"], float(z["si_b"]), float(z["threshold"]), int(z["gap"]),
                   z["tc_w"], z["tc_b"], [str(c) for c in z["classes"]],
                   float(z["seed"]) if "seed" in z.files else None)

    # ------------------------------------------------------------------ spans
    def token_scores(self, text: str, sentence: Sentence, tokens: Sequence[Token],
                     context: TokenContext | None = None, strings: tuple[list[str], list[str]] | None = None
                     ) -> list[float]:
        """Scores of a sentence's tokens; ``strings`` are their (raw, lower-cased) strings when known."""
        words, low = strings if strings is not None else ([text[t.start:t.end] for t in tokens], None)
        sf = sentence_features(text[sentence.start:sentence.end])
        return self._scorer.scores(words, sf, context, low)

    def spans(self, text: str, sentences: Sequence[Sentence],
              tokens: Sequence[Token] | None = None, threshold: float | None = None,
              seed: float | None = None, words: Words | None = None) -> list[Tagged]:
        """Propaganda spans: runs of tokens above the threshold inside one sentence, kept when one
        of their tokens reaches the (higher) seed threshold (hysteresis, as in edge detection).
        ``words`` are the strings of ``tokens`` (the document's shared layer), saving a slice per token."""
        thr = self.threshold if threshold is None else threshold
        seed_thr = max(thr, self.seed if seed is None else seed)
        if words is not None and tokens is not None:
            by_sent, strings = _by_sentence(sentences, tokens, words)
            lex = lexicon("en")
            context = TokenContext(chain.from_iterable(low for _, low in strings), lex.polarity,
                                   lowered=True, memo=lex._memo)
        else:
            by_sent = _tokens_by_sentence(text, sentences, tokens)
            strings = [None] * len(by_sent)
            context = article_context(text, [t for _, toks in by_sent for t in toks])
        kept = [(sent, toks, st) for (sent, toks), st in zip(by_sent, strings) if toks]
        raws, lows = [], []
        for _, toks, st in kept:
            raw = st[0] if st is not None else [text[t.start:t.end] for t in toks]
            raws.append(raw)
            lows.append(st[1] if st is not None else [w.lower() for w in raw])
        feats = [sentence_features(text[sent.start:sent.end]) for sent, _, _ in kept]
        # the whole document in one pass: bit-identical to token_scores sentence by sentence
        scores = self._scorer.score_sentences(raws, lows, feats, context) if kept else []
        out: list[Tagged] = []
        for (sent, toks, _), sc in zip(kept, scores):
            if max(sc) >= seed_thr:   # else no run reaches the seed: decode would find no span
                out.extend(decode(text, sent, toks, sc, (thr, self.gap, seed_thr)))
        return out

    # ------------------------------------------------------------------ techniques
    def classify(self, text: str, spans: Sequence[tuple[int, int]],
                 sentences: Sequence[Sentence]) -> list[tuple[str, float]]:
        """Technique and probability for each span (context: its sentence, repetition in the text)."""
        if not spans:
            return []
        starts = [s.start for s in sentences]
        lower = text.lower()
        ids = [span_indices(text[s:e], _sentence_of(text, sentences, starts, s), lower, TC_DIM) for s, e in spans]
        # one gather for all spans; each span's columns summed as a contiguous run of its own (the
        # same pairwise float32 sum as gathering it alone), the softmax row by row
        gathered = self.tc_w[:, list(chain.from_iterable(ids))]
        z = np.empty((len(ids), len(self.classes)), np.float32)
        a = 0
        for row, idx in zip(z, ids):
            row[:] = gathered[:, a:a + len(idx)].sum(axis=1)
            a += len(idx)
        z += self.tc_b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        best = p.argmax(axis=1)
        return [(self.classes[k], float(p[i, k])) for i, k in enumerate(best.tolist())]


def article_context(text: str, tokens: Sequence[Token], language: str = "en") -> TokenContext:
    """Word counts of the article and the tone lexicon's polarity, for the token features."""
    return TokenContext((text[t.start:t.end] for t in tokens), lexicon(language).polarity)


def _sentence_of(text: str, sentences: Sequence[Sentence], starts: list[int], pos: int) -> str:
    import bisect

    i = bisect.bisect_right(starts, pos) - 1
    if 0 <= i < len(sentences):
        return text[sentences[i].start:sentences[i].end]
    return ""


def _tokens_by_sentence(text: str, sentences: Sequence[Sentence],
                        tokens: Sequence[Token] | None) -> list[tuple[Sentence, list[Token]]]:
    if tokens is None:
        return [(s, tokenize(text, s.start, s.end)) for s in sentences]
    # tokens are in text order: each sentence takes the slice of tokens starting inside it
    starts = [t.start for t in tokens]
    return [(s, list(tokens[bisect_left(starts, s.start):bisect_left(starts, s.end)])) for s in sentences]


def _by_sentence(sentences: Sequence[Sentence], tokens: Sequence[Token], words: Words
                 ) -> tuple[list[tuple[Sentence, list[Token]]], list[tuple[list[str], list[str]]]]:
    """:func:`_tokens_by_sentence` with the (raw, lower-cased) strings of each sentence's tokens."""
    starts, raw, low = words.starts, words.raw, words.low
    by_sent, strings = [], []
    for s in sentences:
        lo, hi = bisect_left(starts, s.start), bisect_left(starts, s.end)
        by_sent.append((s, list(tokens[lo:hi])))
        strings.append((raw[lo:hi], low[lo:hi]))
    return by_sent, strings


def _runs(text: str, toks: Sequence[Token], scores: Sequence[float], thr: float, gap: int,
          seed: float = 0.0) -> list[Tagged]:
    """Group tokens above ``thr`` into spans, bridging up to ``gap`` tokens below it; keep a span
    when its best token reaches ``seed``."""
    pos = [i for i, sc in enumerate(scores) if sc >= thr]
    groups: list[list[int]] = []
    for i in pos:
        if groups and i - groups[-1][-1] - 1 <= gap:
            groups[-1].append(i)
        else:
            groups.append([i])
    out: list[Tagged] = []
    for g in groups:
        s, e = toks[g[0]].start, toks[g[-1]].end
        if max(scores[i] for i in g) >= seed and any(c.isalnum() for c in text[s:e]):
            seg = scores[g[0]:g[-1] + 1]
            out.append(Tagged(s, e, sum(seg) / len(seg)))
    return out


#: a span covering at least this share of its sentence is widened to the whole sentence
#: (PTC marks many appeals and slogans sentence-wide)
EXTEND_TO_SENTENCE = 0.5


@lru_cache(maxsize=None)
def edge_words(language: str) -> frozenset[str]:
    """Function words trimmed from span edges: read once per language, not once per sentence."""
    return frozenset(langdata.load_list(language, "framing_edge_words.txt"))


def decode(text: str, sent: Sentence, toks: Sequence[Token], scores: Sequence[float],
           params: tuple[float, int, float], language: str = "en") -> list[Tagged]:
    """Token scores -> spans: hysteresis runs, function words trimmed from the edges, long spans
    widened to their sentence. ``params`` is (threshold, gap, seed)."""
    thr, gap, seed = params
    edge = edge_words(language)
    out = []
    for t in _runs(text, toks, scores, thr, gap, seed):
        idx = [k for k, tk in enumerate(toks) if tk.start >= t.start and tk.end <= t.end]
        while len(idx) > 1 and text[toks[idx[0]].start:toks[idx[0]].end].lower() in edge:
            idx = idx[1:]
        while len(idx) > 1 and (text[toks[idx[-1]].start:toks[idx[-1]].end].lower() in edge
                                or not text[toks[idx[-1]].start:toks[idx[-1]].end].isalnum()):
            idx = idx[:-1]
        a, b = toks[idx[0]].start, toks[idx[-1]].end
        if b - a >= EXTEND_TO_SENTENCE * (sent.end - sent.start):
            a, b = sent.start, sent.end
        out.append(Tagged(a, b, t.score))
    return out


@lru_cache(maxsize=1)
def shipped_model() -> FramingModel | None:
    """The model shipped in the package, loaded once per process (None when absent)."""
    p = resources.files("lagebild.annotate").joinpath("data", MODEL_FILE)
    if not p.is_file():
        return None
    with resources.as_file(p) as path:
        return FramingModel.load(path)
