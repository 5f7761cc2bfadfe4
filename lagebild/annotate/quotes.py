"""Stage ``quotes``: who said what — direct quotes, indirect speech, partial and scare quotes.

Offsets: a direct, partial or scare quote spans the words *inside* the quotation marks (the marks
themselves are left out, so ``text[start:end]`` is exactly what was said); an indirect quote spans
the reported clause (``dass``-clause, subjunctive clause, or the sentence around "laut X").
``doc.layers["quote_info"]`` holds, per quote, ``{"source": (start, end) | None, "form": ...}``: the
source phrase as written next to the cue (e.g. the pronoun of "sagte er") and a finer form (direct,
indirect, free_indirect, reported, partial, scare) for evaluation; while ``Quote.speaker`` is the resolved speaker: a mention from
the mentions/coref stages where one overlaps (so it carries the actor), else the noun phrase.

Order of work per document: pair quotation marks; find cues sentence by sentence; give each
direct quote the cue that frames it (", sagte er" after it, "X sagte:" before it, a colon after a
subject, or the speaker of the previous statement when it stands alone); turn remaining cues into
indirect quotes; carry the speaker into following subjunctive sentences (reported speech goes on);
short quoted phrases become partial quotes of the speech around them, or scare quotes.
"""

from __future__ import annotations

import bisect
import re

from lagebild.annotate.quotes_attribution import Attribution
from lagebild.annotate.quotes_filter import keep_flags, voice
from lagebild.annotate.quotes_lexicon import Lexicon, lexicon
from lagebild.annotate.quotes_marks import Quoted, outermost, scan
from lagebild.annotate.quotes_sent import Sent, title_like
from lagebild.annotate.quotes_speaker import MentionIndex
from lagebild.annotate.sentences import words
from lagebild.document import Document
from lagebild.pipeline import stage
from lagebild.settings import Settings

#: a whitespace-separated word with a letter or digit ([^\W_] is str.isalnum): counted at C level
_WORDY = re.compile(r"\S*?[^\W_]\S*")
DIRECT_MIN_WORDS = 8    # shorter quoted stretches are partial/scare unless framed as a statement


class QuotesStage:
    name = "quotes"
    requires = ("sentences",)
    adds = ("quotes",)

    def __init__(self, use_models: bool = True) -> None:
        self.use_models = use_models   # the learned filter (off when its training data is made)

    def __call__(self, doc: Document) -> Document:
        lex = lexicon(doc.language or "de")
        text = doc.text
        sents = self._sentences(doc)
        quoted = outermost(scan(text, lex.openers, strict=lex.strict))
        direct, short = self._classify(text, quoted, sents, lex)
        index = MentionIndex(doc.mentions)
        run = Attribution(text, sents, lex, index)
        # the speaker ranker learned news reports; speeches ("ich", "wir") keep the rules' choice
        run.voice = voice(text, lex)
        run.ranked = run.voice in ("0", "low")
        run.mask(direct)
        run.attribute(direct, short)
        quotes = sorted(run.quotes, key=lambda q: (q[0].start, q[0].end))
        if self.use_models and quotes:
            keep = keep_flags(text, [q for q, _ in quotes], [i for _, i in quotes], lex, run.voice)
            quotes = [q for q, k in zip(quotes, keep) if k]
        doc.quotes = [q for q, _ in quotes]
        doc.layers["quote_info"] = [info for _, info in quotes]
        return doc

    @staticmethod
    def _sentences(doc: Document) -> list[Sent]:
        w = words(doc)
        starts = w.starts
        out = []
        lo = 0
        for s in doc.sentences:   # in text order: each search starts where the last one ended
            lo = bisect.bisect_left(starts, s.start, lo)
            hi = bisect.bisect_left(starts, s.end, lo)
            out.append(Sent(s.start, s.end, w, lo, hi))
            lo = hi
        return out

    @staticmethod
    def _classify(text: str, quoted: list[Quoted], sents: list[Sent], lex: Lexicon) -> tuple[list[Quoted], list[Quoted]]:
        """Statements (direct) versus short quoted terms (partial or scare)."""
        direct, short = [], []
        starts = [s.start for s in sents]
        for q in quoted:
            inner = text[q.start:q.end].strip()
            n_words = len(_WORDY.findall(inner))
            before = text[max(0, q.open - 3):q.open].strip()
            after = text[q.close + 1:q.close + 4].strip()
            ends_clause = inner[-1:] in ".!?…" or inner.endswith((".“", ".'", '."')) if inner else False
            framed = before.endswith(":") or (after[:1] in {",", "–", "—"} and n_words >= 3)
            near = bisect.bisect_left(starts, q.open - 1)   # a sentence starts within one character
            sentence_start = near < len(starts) and starts[near] <= q.open + 1 or before[-1:] in {"", "\n"}
            title = title_like(inner, lex)
            if ends_clause and n_words >= 2 or not title and (n_words >= DIRECT_MIN_WORDS or framed or
                                                              sentence_start and n_words >= 3):
                direct.append(q)
            elif n_words:
                short.append(q)
        return direct, short


@stage("quotes", requires=["sentences"], adds=["quotes"])
def make_quotes(settings: Settings) -> QuotesStage:
    """Direct, indirect, partial and scare quotes with cue and speaker (uses mentions when present)."""
    return QuotesStage()
