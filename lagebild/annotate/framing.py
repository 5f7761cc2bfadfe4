"""Stage ``framing``: persuasion-technique spans (SemEval names in snake_case) in ``doc.framing``.

English text gets spans from the PTC-trained tagger, each labelled by the technique classifier
(``framing_model``); every language gets the lexicon and pattern hits of its data file
(``framing_patterns``: German loaded words, whataboutism contrasts, doubt markers, ...). Where the
model and a rule mark the same technique on overlapping text the rule's span is kept once.
"""

from __future__ import annotations

from lagebild.annotate.framing_model import shipped_model
from lagebild.annotate.framing_patterns import dedupe, match
from lagebild.annotate.sentences import words
from lagebild.document import Document, Framing
from lagebild.pipeline import stage
from lagebild.settings import Settings

#: languages the shipped statistical model was trained for
MODEL_LANGUAGES = ("en",)


class FramingStage:
    name = "framing"
    requires = ("sentences",)
    adds = ("framing",)

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        sentences = doc.layers.get("sentences", [])
        language = doc.language or "de"
        cached = doc.layers.get("framing_rules")
        found: list[Framing] = list(cached) if cached is not None else match(text, sentences, language)
        model = shipped_model() if language in MODEL_LANGUAGES else None
        if model is not None and sentences:
            tokens = doc.layers.get("tokens")
            tagged = model.spans(text, sentences, tokens, words=words(doc) if tokens is not None else None)
            labels = model.classify(text, [(t.start, t.end) for t in tagged], sentences)
            for t, (tech, prob) in zip(tagged, labels):
                if _covered(found, t.start, t.end, tech):
                    continue
                found.append(Framing(t.start, t.end, tech, round(t.score * prob, 3)))
        doc.framing = dedupe(found)
        return doc


def _covered(found: list[Framing], start: int, end: int, technique: str) -> bool:
    return any(f.technique == technique and f.start < end and start < f.end for f in found)


@stage("framing", requires=["sentences"], adds=["framing"])
def make_framing(settings: Settings) -> FramingStage:
    """Persuasion techniques: PTC-trained tagger + classifier (English), lexicons and patterns (all)."""
    return FramingStage()
