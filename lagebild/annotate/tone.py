"""Stage ``tone``: document and sentence tone on a GDELT AvgTone-like scale.

GDELT's AvgTone is the percentage of positive words minus the percentage of negative words; we
compute it the same way from per-language word lists (``lang/<code>/tone_positive.txt``,
``tone_negative.txt``; a trailing ``*`` marks a stem) with one twist: a negator up to three tokens
before a tone word ("nicht erfolgreich", "no peace") flips it. Roughly -10..+10 for news.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from lagebild import lang as langdata
from lagebild.annotate.sentences import words
from lagebild.document import Document
from lagebild.pipeline import stage
from lagebild.settings import Settings

NEGATION_WINDOW = 3
NOT_WORD, NEGATOR = 9, 8   # Lexicon.kind codes besides the polarities -1, 0, +1


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, int]          # exact word -> +1 / -1
    stems: dict[str, int]          # stem -> +1 / -1
    negators: frozenset[str]
    min_stem: int
    #: polarity of words already looked up (the stem search is the slow part; bounded)
    _memo: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _kinds: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def kind(self, word: str) -> int:
        """NOT_WORD (no letter), NEGATOR, or the word's polarity; memoised per surface form."""
        k = self._kinds.get(word)
        if k is None:
            if len(self._kinds) > 500_000:
                self._kinds.clear()
            if not any(c.isalpha() for c in word):
                k = NOT_WORD
            elif word.lower() in self.negators:
                k = NEGATOR
            else:
                k = self.polarity(word.lower())
            self._kinds[word] = k
        return k

    def polarity(self, word: str) -> int:
        hit = self._memo.get(word)
        if hit is None:
            if len(self._memo) > 500_000:
                self._memo.clear()
            hit = self._memo[word] = self._lookup(word.lower())
        return hit

    def _lookup(self, w: str) -> int:
        hit = self.words.get(w)
        if hit is not None:
            return hit
        for k in range(len(w), self.min_stem - 1, -1):
            hit = self.stems.get(w[:k])
            if hit is not None:
                return hit
        return 0


@lru_cache(maxsize=None)
def lexicon(language: str) -> Lexicon:
    words: dict[str, int] = {}
    stems: dict[str, int] = {}
    for name, sign in (("tone_positive.txt", 1), ("tone_negative.txt", -1)):
        for entry in langdata.load_list(language, name):
            e = entry.lower()
            if e.endswith("*"):
                stems[e[:-1]] = sign
            else:
                words[e] = sign
    negs = frozenset(w.lower() for w in langdata.load_list(language, "tone_negators.txt"))
    min_stem = min((len(s) for s in stems), default=1)
    return Lexicon(words, stems, negs, max(min_stem, 1))


def kinds(words: list[str], lex: Lexicon) -> list[int]:
    """:meth:`Lexicon.kind` of every word: memo hits by one C-level ``map``, only the words never
    seen before go through the method."""
    ks = list(map(lex._kinds.get, words))
    if None in ks:
        kind = lex.kind
        for i, k in enumerate(ks):
            if k is None:
                ks[i] = kind(words[i])
    return ks


def count_kinds(ks: list[int]) -> tuple[int, int, int]:
    """(positive, negative, word count) of a sequence of word kinds, negation-aware. Without a
    negator (most sentences) the counts are C-level ``list.count``; polarities are -1, 0 or +1."""
    if NEGATOR not in ks:
        return ks.count(1), ks.count(-1), len(ks) - ks.count(NOT_WORD)
    pos = neg = n = 0
    last_neg = -10
    for i, p in enumerate(ks):
        if p == NOT_WORD:
            continue
        n += 1
        if p == NEGATOR:
            last_neg = i
            continue
        if p and i - last_neg <= NEGATION_WINDOW:
            p = -p
        if p > 0:
            pos += 1
        elif p < 0:
            neg += 1
    return pos, neg, n


def score_words(words: list[str], lex: Lexicon) -> tuple[int, int, int]:
    """(positive, negative, word count) of a token sequence, negation-aware."""
    return count_kinds(kinds(words, lex))


def _pct(x: int, n: int) -> float:
    return 100.0 * x / n if n else 0.0


class ToneStage:
    name = "tone"
    requires = ("sentences",)
    adds = ("tone",)

    def __call__(self, doc: Document) -> Document:
        lex = lexicon(doc.language or "de")
        w = words(doc)
        ks, starts = kinds(w.raw, lex), w.starts   # the document's word kinds at once, sliced per sentence
        sents = doc.layers.get("sentences", [])
        total_pos = total_neg = total_n = 0
        per_sentence = []
        i = 0
        for s in sents:
            # the tokens from i on that start before the sentence ends; those starting inside it count
            hi = bisect_left(starts, s.end, i)
            pos, neg, n = count_kinds(ks[bisect_left(starts, s.start, i, hi):hi])
            i = hi
            total_pos, total_neg, total_n = total_pos + pos, total_neg + neg, total_n + n
            per_sentence.append({"start": s.start, "end": s.end,
                                 "score": round(_pct(pos, n) - _pct(neg, n), 2)})
        doc.tone = {
            "score": round(_pct(total_pos, total_n) - _pct(total_neg, total_n), 3),
            "positive": round(_pct(total_pos, total_n), 3),
            "negative": round(_pct(total_neg, total_n), 3),
            "polarity": round(_pct(total_pos + total_neg, total_n), 3),
            "words": total_n,
            "sentences": per_sentence,
        }
        return doc


@stage("tone", requires=["sentences"], adds=["tone"])
def make_tone(settings: Settings) -> ToneStage:
    """Document and sentence tone (GDELT AvgTone-like: % positive minus % negative words)."""
    return ToneStage()
