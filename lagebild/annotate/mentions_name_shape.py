"""Does a capitalised word look like a name or like a German common noun? A character n-gram model.

Why: a third of the names in new text are words the recogniser never saw ("Tranomaro", "Riniken"),
and German capitalises every noun, so an unknown capitalised word after "in" may be a village or a
compound noun ("Fichtenwald", "Holzmangel"). The CRF's own suffix features learn this from 1,760
labelled sentences only. This model learns it from tens of thousands of word types: place and
person names of the KB and the first-name list against the common nouns of the HanTa lexicon
(``scripts/train_ner.py: name_shape_model``). Its probability, in five buckets, is one more CRF
feature. It is a logistic regression over the word's character 2- to 5-grams (word edges marked
by spaces), shipped as a table of n-gram weights: scoring is a few dict look-ups, no scikit-learn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def char_ngrams(word: str, low: int = 2, high: int = 5) -> set[str]:
    """The distinct character n-grams of `` word `` (spaces mark its edges), shared by training
    and scoring so that both see exactly the same strings."""
    padded = f" {word} "
    size = len(padded)
    grams: set[str] = set()
    for n in range(low, high + 1):
        grams.update([padded[i:i + n] for i in range(max(1, size - n + 1))])
    return grams


@dataclass(frozen=True)
class NameShape:
    """A trained model: weight per n-gram (positive = common noun) and the bias."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0

    def noun_probability(self, word: str) -> float:
        """P(common noun) of a capitalised word; 0.5 when there is no model."""
        if not self.weights:
            return 0.5
        z = self.bias + sum(filter(None, map(self.weights.get, char_ngrams(word))))   # look-ups in C
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def feature(self, word: str) -> str:
        """The CRF feature: P(common noun) in five buckets ('nsh=0' name-like .. 'nsh=4' noun-like)."""
        return "nsh=" + str(int(self.noun_probability(word) * 4.999))

    @classmethod
    def from_json(cls, data: dict | None) -> "NameShape":
        if not data:
            return cls()
        return cls(data.get("weights", {}), float(data.get("bias", 0.0)))

    def to_json(self) -> dict:
        """The form ``from_json`` reads and the model file stores."""
        return {"weights": self.weights, "bias": self.bias}
