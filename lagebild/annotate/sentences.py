"""Sentences and tokens: one compiled-regex pass each, abbreviations from per-language files.

Tokens are views by offset (no copies). Words keep inner hyphens and apostrophes ("Kim Jong-un",
"NATO-Staaten", "Russia's" -> "Russia", "'s"); every line break of the text ends a sentence, since
extraction keeps one block (paragraph or heading) per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import starmap

from lagebild import lang as langdata
from lagebild.document import Document, Sentence, Token
from lagebild.pipeline import stage
from lagebild.settings import Settings

TOKEN_RE = re.compile(
    # every alternative starts with a non-space: the leading lookahead skips spaces before the
    # alternatives are tried (a tenth less scan time, the same tokens).
    r"(?=\S)(?:"
    # a token starting with a letter: an abbreviation with inner dots (z.B., U.S.), else a word with
    # inner hyphens / apostrophes ("Kim Jong-un", "NATO-Staaten"). One alternative reads the letter
    # run once (possessive: giving letters back can never let a dot follow); two read it twice and
    # backtracked through it, for the same tokens.
    r"[^\W\d_]++(?:(?:\.[^\W\d_]+)+\.?|[^\W_]*+(?:[-'’][^\W_]+)*)"
    r"|\d+(?:[.,:]\d+)*"                 # numbers: 1.000,5 / 12:30
    r"|\S)",
    re.UNICODE,
)
_END_PUNCT = ".!?…"
# The leading lookahead lists the characters a match starts with (the end punctuation or a line
# break), so re skips every other position before trying the alternatives: half the scan time,
# the same matches.
_SENT_END = re.compile(rf"(?=[{_END_PUNCT}\n])(?:[{_END_PUNCT}]+[\"'“”»«„)\]’]*(?=\s+)|\n+)")
_ORDINAL = re.compile(r"\b\d{1,2}\.$")
_SPAN = re.Match.span
_NEXT_START = re.compile(r"\s+[\"'“”»«„(\[‚‘]?[A-ZÄÖÜ0-9]")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` in one compiled-regex pass."""
    end = len(text) if end is None else end
    # map and starmap iterate in C: only Token's __init__ runs in Python per token
    return list(starmap(Token, map(_SPAN, TOKEN_RE.finditer(text, start, end))))


@dataclass(frozen=True, slots=True)
class Words:
    """The strings of a document's tokens, as written and lower-cased, with their offsets: made once
    per document (:func:`words`) so quotes, events, tone and the framing model do not each slice and
    lower-case every token again."""

    raw: list[str]
    low: list[str]
    starts: list[int]
    ends: list[int]


def words(doc: Document) -> Words:
    """The token strings of ``doc``'s ``tokens`` layer (the text tokenized when it has none), built on
    first use and kept in ``doc.layers["words"]``."""
    cached = doc.layers.get("words")
    if cached is None:
        tokens = doc.layers.get("tokens")
        if tokens is None:
            tokens = tokenize(doc.text)
        text = doc.text
        raw = [text[t.start:t.end] for t in tokens]
        cached = doc.layers["words"] = Words(raw, [w.lower() for w in raw], [t.start for t in tokens],
                                             [t.end for t in tokens])
    return cached


class SentenceSplitter:
    def __init__(self) -> None:
        self._abbrev: dict[str, frozenset[str]] = {}

    def abbreviations(self, language: str | None) -> frozenset[str]:
        key = language or "de"
        if key not in self._abbrev:
            words = set(langdata.load_list("de", "abbreviations.txt")) | set(langdata.load_list("en", "abbreviations.txt"))
            if langdata.has(key, "abbreviations.txt"):
                words |= set(langdata.load_list(key, "abbreviations.txt"))
            self._abbrev[key] = frozenset(words)
        return self._abbrev[key]

    def split(self, text: str, language: str | None = None) -> list[Sentence]:
        abbrev = self.abbreviations(language)
        sentences: list[Sentence] = []
        start = 0
        next_start = _NEXT_START.match
        for m in _SENT_END.finditer(text):
            first, end = m.span()
            if text[first] == "\n":
                cut = first
            else:
                cut = end
                if text[first] == ".":
                    dot = first + 1
                    # text[start:dot] ends with the dot, so it is never blank: its last word
                    last = text[start:dot].rsplit(None, 1)[-1].rstrip(".").lower()
                    # an ordinal is at most three characters before the dot ends: search only there
                    # (\b sees the character before the window; the one before ``start`` is no letter)
                    if last in abbrev or len(last) == 1 and last.isalpha() or \
                            _ORDINAL.search(text, max(start, dot - 3), dot):
                        continue
                if not next_start(text, end):
                    continue
            _append(sentences, text, start, cut)
            start = end
        _append(sentences, text, start, len(text))
        return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end))


class SentencesStage:
    name = "sentences"
    requires = ("text",)
    adds = ("sentences", "tokens")

    def __init__(self) -> None:
        self.splitter = SentenceSplitter()

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        sents = self.splitter.split(text, doc.language)
        doc.layers["sentences"] = sents
        # One pass over the whole text gives the tokens of every sentence: sentences are cut only
        # where whitespace follows, and what lies between them is whitespace, which no token spans.
        doc.layers["tokens"] = tokenize(text, sents[0].start, sents[-1].end) if sents else []
        doc.layers.pop("words", None)   # strings of tokens this stage replaced
        return doc


@stage("sentences", requires=["text"], adds=["sentences", "tokens"])
def make_sentences(settings: Settings) -> SentencesStage:
    """Split sentences (line breaks and end punctuation, abbreviation-aware) and tokenize."""
    return SentencesStage()
