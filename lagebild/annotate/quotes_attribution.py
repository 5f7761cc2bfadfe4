"""The attribution engine of the ``quotes`` stage (:mod:`lagebild.annotate.quotes`): the working
state of one document, which gives each direct quote the cue that frames it, turns the remaining
cues into indirect quotes, carries speakers into following subjunctive sentences and makes short
quoted phrases partial or scare quotes. Kept apart from the stage so each module owns one thing.
"""

from __future__ import annotations

import bisect
from operator import methodcaller

from lagebild.annotate.quotes_cues import Cue, find_cues, triggers
from lagebild.annotate.quotes_lexicon import Lexicon
from lagebild.annotate.quotes_marks import Quoted
from lagebild.annotate.quotes_ranker import rerank
from lagebild.annotate.quotes_sent import Sent, title_like
from lagebild.annotate.quotes_speaker import MentionIndex, Word, is_pronoun, make_speaker, np_at
from lagebild.document import Quote, Speaker

CARRY_SENTENCES = 3     # a standalone quote or subjunctive sentence keeps a speaker this far back
_ENDS_IERE = methodcaller("endswith", "iere")


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Attribution:
    """The working state for one document."""

    def __init__(self, text: str, sents: list[Sent], lex: Lexicon, index: MentionIndex) -> None:
        self.text, self.sents, self.lex, self.index = text, sents, lex, index
        self.starts = [s.start for s in sents]
        self.quotes: list[tuple[Quote, dict]] = []
        self.last: tuple[int, Speaker, tuple[int, int] | None, bool] | None = None  # sentence, speaker, src, indirect
        self.ranked = False   # choose cue sources with the learned ranker
        self.voice = "0"      # how much the document speaks in the first person (quotes_filter.voice)
        self._cues: dict[int, list[Cue]] = {}   # sentence start -> its cues
        self._no_trigger = triggers(lex)[-1].isdisjoint   # (quotes_cues.may_cue) bound once

    def cues(self, s: Sent) -> list[Cue]:
        """The cues of a sentence, their sources chosen by the learned ranker (found once per sentence:
        the masks are fixed before attribution starts)."""
        cached = self._cues.get(s.start)
        if cached is None:
            cached = [] if self._no_trigger(s.low) else find_cues(s.words, self.lex, s.masked, s.low)
            if self.ranked and cached:   # no cue: no Word list made for the ranker
                cached = rerank(cached, s.words, self.lex, s.masked)
            self._cues[s.start] = cached
        return list(cached)

    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def mask(self, direct: list[Quoted]) -> None:
        for q in direct:
            for si in range(self.sent_of(q.open), self.sent_of(q.close) + 1):
                self.sents[si].mask_span(q.open, q.close + 1)

    # ----------------------------------------------------------------- speakers

    def speaker(self, s: Sent, src: tuple[int, int] | None) -> tuple[Speaker | None, tuple[int, int] | None]:
        if src is None:
            return None, None
        a, b = s.words[src[0]].start, s.words[src[1] - 1].end
        if src[1] - src[0] == 1 and is_pronoun(s.words[src[0]], self.lex):
            return self._pronoun(s.words[src[0]], a, b), (a, b)
        return make_speaker(a, b, self.index), (a, b)

    def _pronoun(self, w: Word, a: int, b: int) -> Speaker | None:
        own = self.index.best(a, b)
        if own is not None and (own.actor or own.members):
            return Speaker(own.start, own.end, own.actor, tuple(own.members))
        kind = self.lex.cues["pronouns"].get(w.low, "none")
        if kind in ("none", "self"):
            return Speaker(a, b, None)
        last = self.last[1] if self.last and self.sent_of(a) - self.last[0] <= CARRY_SENTENCES else None
        if last is not None and not (kind == "person" and last.actor is not None and last.actor.kind != "person"):
            return last   # "he" is not the Kremlin: a person pronoun skips a state or organisation speaker
        m = self.index.before(a, person_only=kind == "person")
        if m is not None:
            return Speaker(m.start, m.end, m.actor, tuple(m.members))
        return Speaker(a, b, None)

    def emit(self, start: int, end: int, kind: str, si: int, speaker: Speaker | None,
             src: tuple[int, int] | None, cue: tuple[str, int, int] | None, form: str | None = None) -> None:
        start, end = _strip(self.text, start, end)
        if end > start and self.text[end - 1] == ",":   # "…, takes," Biden said: the comma is punctuation
            start, end = _strip(self.text, start, end - 1)
        if end <= start:
            return
        c_text, c_start, c_end = cue if cue else (None, None, None)
        self.quotes.append((Quote(start, end, kind, speaker, c_text, c_start, c_end),
                            {"source": src, "form": form or kind}))
        if speaker is not None and kind != "scare":
            self.last = (si, speaker, src, kind == "indirect")

    def cue_text(self, s: Sent, cue: Cue) -> tuple[str, int, int]:
        w0, w1 = s.words[cue.i], s.words[cue.j]
        label = w0.low if cue.j == cue.i else f"{w0.low} {w1.low}"
        return label, w0.start, w1.end

    # ----------------------------------------------------------------- attribution

    def attribute(self, direct: list[Quoted], short: list[Quoted]) -> None:
        by_sentence: dict[int, list[Quoted]] = {}
        for q in direct:
            by_sentence.setdefault(self.sent_of(q.open), []).append(q)
        done: set[int] = set()
        indirect_spans: list[tuple[int, int, Speaker | None, tuple[int, int] | None, tuple | None]] = []
        opens, closes = [q.open for q in direct], [q.close for q in direct]
        # outermost quotes in text order: opens and closes both ascend, so bisections find the quotes
        # of a sentence (a scan of all direct quotes per sentence was quadratic in interviews)
        ordered = opens == sorted(opens) and closes == sorted(closes)
        for si, s in enumerate(self.sents):
            cues = self.cues(s)
            used: dict[int, Quoted] = {}
            if ordered:
                starting = [q for q in direct[bisect.bisect_left(opens, s.start - 1):bisect.bisect_left(opens, s.end)]
                            if q.open not in done]
                last = bisect.bisect_right(opens, s.end) - 1   # the last quote opened by the sentence's end
                spoke = last >= 0 and closes[last] >= s.start
            else:
                starting = self._direct_starting(direct, done, s)
                spoke = any(q.open <= s.end and q.close >= s.start for q in direct)
            for q in starting:
                cue = self._frame(q, si, cues)
                if cue is not None:
                    cs, c = cue
                    used[id(c)] = q
                    sp, src = self.speaker(cs, c.src)
                    self.emit(q.start, q.end, "direct", si, sp, src, self.cue_text(cs, c))
                elif not self._inside_cue(q, si, s, cues):
                    self._standalone(q, si)
                done.add(q.open)
            for c in cues:
                if c.form == "previous" and id(c) not in used and si > 0:
                    self._previous_sentence(si, s, c)
                    spoke = True
                if c.msg is None:
                    continue
                a, b = s.words[c.msg[0]].start, s.words[c.msg[1] - 1].end
                if id(c) in used:   # "Er glaubt, dass M: „…“" — the reported clause before the quote
                    q = used[id(c)]
                    if not a < q.open - 12 < b or len(self.text[a:q.open].split()) < 2:
                        continue
                    if self.text[a:q.open].rstrip().endswith(":"):
                        b = q.open   # "Er glaubt, dass M: „…“" — the clause before the quote
                        while b > a and self.text[b - 1] in " :,–—":
                            b -= 1
                elif self._covered_by_direct(s, c, direct):
                    continue
                sp, src = self.speaker(s, c.src)
                if sp is None and c.kind == "verb" and not self._sourceless_ok(s, c):
                    continue
                self.emit(a, b, "indirect", si, sp, src, self.cue_text(s, c), c.form)
                indirect_spans.append((a, b, sp, src, self.cue_text(s, c)))
                spoke = True
            if not spoke and not self._has_cue_word(s):
                self._continuation(si, s)
        for q in direct:
            if q.open not in done:
                self._standalone(q, self.sent_of(q.open))
        self._short(short, indirect_spans)

    def _sourceless_ok(self, s: Sent, c: Cue) -> bool:
        """A passive or impersonal report with a clear content clause ("wie festgestellt wurde, dass M",
        "Das zeigt, dass M"): a statement without a speaker."""
        first = s.words[c.msg[0]].low
        prev = s.words[c.msg[0] - 1].text if c.msg[0] > 0 else ""
        if c.form == "reported" or not (first in self.lex.words("dass_words") or prev == ":"):
            return False
        lo = max(0, c.i - 4)
        return any(w.low in self.lex.words("impersonal_markers") for w in s.words[lo:c.j + 3])

    def _direct_starting(self, direct: list[Quoted], done: set[int], s: Sent) -> list[Quoted]:
        return [q for q in direct if q.open not in done and s.start - 1 <= q.open < s.end]

    def _frame(self, q: Quoted, si: int, cues: list[Cue]) -> tuple[Sent, Cue] | None:
        """The cue that frames a direct quote: in the sentence where it ends, right after it, or before it."""
        end_si = self.sent_of(q.close)
        for k in (end_si, si):
            s = self.sents[k]
            cands = cues if k == si else self.cues(s)
            for c in cands:
                cw = s.words[c.i]
                if c.src is None:
                    continue
                anchor = min(cw.start, s.words[c.src[0]].start)
                if cw.start > q.close and self._after_ok(q, anchor, cw.start):
                    return s, c
                if cw.end <= q.open and c.kind == "verb" and self._gap_ok(s.words[max(c.j, c.src[1] - 1)].end, q.open, 80):
                    return s, c
        return self._colon_subject(q, si) or self._speech_noun(q, end_si)

    def _after_ok(self, q: Quoted, anchor: int, cue_start: int) -> bool:
        """An attribution right after the quote: „…“, sagte er / "…," Biden said — not a new sentence."""
        gap = self.text[q.close + 1:anchor]
        if "," in gap or "–" in gap or "—" in gap:
            return self._gap_ok(q.close + 1, anchor, 24)
        if gap.strip():
            return False
        inner = self.text[q.start:q.end].rstrip()
        return anchor == cue_start and not inner.endswith(".") or inner.endswith(",")

    def _previous_sentence(self, si: int, s: Sent, c: Cue) -> None:
        """ "M. Das bestätigte X." — the statement is the sentence before (unless a quote took it)."""
        prev = self.sents[si - 1]
        if not prev.low or any(q.start <= prev.start < q.end + 2 for q, _ in self.quotes[-3:]):
            return
        sp, src = self.speaker(s, c.src)
        self.emit(prev.start, prev.end, "indirect", si, sp, src, self.cue_text(s, c))

    def _inside_cue(self, q: Quoted, si: int, s: Sent, cues: list[Cue]) -> bool:
        """A quote inside reported speech ("X kritisierte, Y habe „…“") is a partial quote of it."""
        for c in cues:
            if c.msg is None or c.src is None:
                continue
            a, b = s.words[c.msg[0]].start, s.words[c.msg[1] - 1].end
            if a <= q.open < b and not self._covered_by_direct(s, c, [q]):
                sp, src = self.speaker(s, c.src)
                self.emit(q.start, q.end, "partial", si, sp, src, self.cue_text(s, c))
                return True
        return False

    def _gap_ok(self, a: int, b: int, limit: int = 12) -> bool:
        gap = self.text[a:b]
        return len(gap) <= limit and "\n" not in gap and not any(c in ".!?" for c in gap)

    def _colon_subject(self, q: Quoted, si: int) -> tuple[Sent, Cue] | None:
        """ "Kim Jong-un ließ keinen Zweifel: „…“ " — the subject of the clause before the colon."""
        s = self.sents[si]
        before = [k for k, w in enumerate(s.words) if w.end <= q.open]
        if not before or s.words[before[-1]].text != ":" or len(before) < 3:
            return None
        src = np_at(s.words, 0, self.lex, before[-1])
        first = s.words[0].low
        if first in self.lex.words("oblique_determiners"):
            src = None   # "Den Unmut der CDU brachte die Sprecherin zum Ausdruck:" — an object comes first
        if src is None and (first in self.lex.words("prepositions") or first in self.lex.words("prefield_adverbs")
                            or first in self.lex.words("oblique_determiners")):
            src = self._subject_after_verb(s, before[-1])   # "In der ARD zeigt sich der Trainer zufrieden:"
            if src is not None:
                return s, Cue("colon", before[-1], before[-1], src, None)
        if src is None or first in self.lex.words("prefield_adverbs"):
            return None     # "Besonders brisant:" — a heading, not a speaker
        return s, Cue("colon", before[-1], before[-1], src, None)

    def _subject_after_verb(self, s: Sent, limit: int) -> tuple[int, int] | None:
        """The subject after the finite verb when a phrase or adverb fills the first position."""
        lex = self.lex
        function = lex.words("function_words")
        for k in range(1, limit):
            w = s.words[k]
            if w.alpha and not w.cap and w.low not in function and w.low not in lex.words("prefield_adverbs"):
                j = k + 1
                while j < limit and s.words[j].low in lex.words("reflexives"):
                    j += 1
                np = np_at(s.words, j, lex, limit) if j < limit else None
                return np if np and (s.words[j].cap or s.words[j].low in lex.words("determiners")) else None
        return None

    def _speech_noun(self, q: Quoted, si: int) -> tuple[Sent, Cue] | None:
        """ "„…“ – Kim Jong-uns Abschiedsworte an Putin" — a possessor before a speech noun."""
        s = self.sents[si]
        after = [k for k, w in enumerate(s.words) if w.start > q.close]
        nouns = self.lex.words("speech_nouns")
        for k in after[:6]:
            if any(s.words[k].low.endswith(n) for n in nouns) and k > after[0]:
                lo = after[0] + (1 if s.words[after[0]].text in {"–", "—", "-", ","} else 0)
                if k > lo:
                    return s, Cue("noun", k, k, (lo, k), None)
        return None

    def _standalone(self, q: Quoted, si: int) -> None:
        if self.last and si - self.last[0] <= CARRY_SENTENCES:
            self.emit(q.start, q.end, "direct", si, self.last[1], self.last[2], None)
        else:   # no one to attribute it to: a title, slogan or quoted name rather than a statement
            start, end = _strip(self.text, q.start, q.end)
            if end > start:
                self.quotes.append((Quote(start, end, "scare"), {"source": None, "form": "scare"}))

    def _covered_by_direct(self, s: Sent, c: Cue, direct: list[Quoted]) -> bool:
        """The message is a direct quote (not a reported clause that merely ends in one: "sei „…“")."""
        a, b = s.words[c.msg[0]].start, s.words[c.msg[1] - 1].end
        overlapping = [q for q in direct if q.open < b and q.close > a]
        if overlapping and len(self.text[a:overlapping[0].open].split()) >= 2:
            return False
        inside = sum(min(b, q.close) - max(a, q.open) for q in overlapping)
        return inside * 2 >= (b - a)

    def _continuation(self, si: int, s: Sent) -> None:
        """Reported speech goes on in the subjunctive: "Die Gefahr sei real." after "X sagte, …".

        The speaker is the one of a statement in the sentence before; else the subject of the sentence
        before ("Larson gab sich optimistisch. Man sei besser aufgestellt."); else a recent speaker.
        """
        if not s.low or all(s.masked):
            return
        strong = self.lex.words("strong_subjunctive")
        weak = self.lex.words("subjunctive")
        recent = self.last is not None and self.last[1] is not None and si - self.last[0] <= 1
        tail = s.low[1:]   # set tests and C-level scans skip most sentences before the loops over words
        hit = (not strong.isdisjoint(tail) or any(map(_ENDS_IERE, tail))) and any(
            (w.low in strong or w.low.endswith("iere") and not w.cap) for k, w in enumerate(s.words)
            if k > 0 and not s.masked[k])   # "funktioniere", "existiere": Konjunktiv I of -ieren verbs
        if not hit and recent and self.last[3]:
            modals = self.lex.words("report_modals")
            hit = not (weak.isdisjoint(tail) and modals.isdisjoint(tail)) and any(
                w.low in weak or w.low in modals
                for k, w in enumerate(s.words) if k > 0 and not s.masked[k])   # "X solle/soll …" goes on
        if not hit:
            hit = self._hearsay(s)
        if not hit:
            return
        if recent:
            speaker, src = self.last[1], self.last[2]
        else:
            subj = self._subject(self.sents[si - 1]) if si > 0 else None
            if subj is not None:
                speaker, src = self.speaker(self.sents[si - 1], subj)
            elif self.last is not None and self.last[1] is not None and si - self.last[0] <= 2:
                speaker, src = self.last[1], self.last[2]
            else:
                return
        if recent and self.quotes and self.last[0] == si - 1:
            last_q, info = self.quotes[-1]
            if last_q.kind == "indirect" and last_q.speaker is speaker and last_q.end <= s.start:
                last_q.end = _strip(self.text, s.start, s.end)[1]   # one statement over two sentences
                self.last = (si, speaker, src, True)
                return
        self.emit(s.words[0].start, s.words[-1].end, "indirect", si, speaker, src, None, "free_indirect")

    def _hearsay(self, s: Sent) -> bool:
        """ "X soll ... getötet worden sein": the hearsay modal with a perfect infinitive."""
        lex = self.lex
        endings = lex.words("hearsay_endings")
        if endings.isdisjoint(s.low):   # most sentences: one set test, no Word made
            return False
        last = next((w for w in reversed(s.words) if w.alpha), None)
        if last is None or last.low not in endings:
            return False
        content = [w for w in s.words if w.alpha]
        if len(content) <= 3:
            return False
        modals = lex.words("hearsay_modals")
        return any(w.low in modals for w in content[1:])

    def _has_cue_word(self, s: Sent) -> bool:
        """A reporting verb whose source we could not read: the sentence is its own statement."""
        forms = self.lex.verb_forms
        if forms.keys().isdisjoint(s.low):   # most sentences: no step per word
            return False
        return any(w.low in forms and not w.cap and not s.masked[k] for k, w in enumerate(s.words))

    def _subject(self, s: Sent) -> tuple[int, int] | None:
        """The subject phrase at the start of a sentence (a name, a noun phrase or a pronoun), if any."""
        if not s.words or s.words[0].low in self.lex.words("prefield_adverbs") or \
                s.words[0].low in self.lex.words("prepositions") or s.masked[0]:
            return None
        np = np_at(s.words, 0, self.lex)
        if np is None or np[1] >= len(s.words) or s.words[np[1]].cap:
            return None
        return np

    def _short(self, short: list[Quoted], spans: list) -> None:
        for q in short:
            for a, b, sp, src, cue in spans:
                if a <= q.open and q.close <= b + 1:
                    self.emit(q.start, q.end, "partial", self.sent_of(q.open), sp, src, cue)
                    break
            else:
                self._short_in_sentence(q)

    def _short_in_sentence(self, q: Quoted) -> None:
        """A short quoted phrase: partial when someone in the sentence says or names it, else scare."""
        si = self.sent_of(q.open)
        s = self.sents[si]
        lex = self.lex
        title = title_like(self.text[q.start:q.end].strip(), lex)
        prev = [w for w in s.words if w.end <= q.open][-3:]
        as_prep = any(w.low == "als" or w.low == "as" for w in prev)
        naming_prep = any(w.low in lex.words("naming_preps") for w in prev)
        for c in self.cues(s):
            if c.src is None or c.kind not in ("verb", "so", "as"):
                continue
            cw = s.words[c.i]
            close_object = any(w is cw for w in prev)
            named = naming_prep and lex.verb_forms.get(cw.low, "") in lex.words("naming_verbs")
            if close_object or named or not title and c.kind == "verb":
                sp, src = self.speaker(s, c.src)
                if sp is not None:
                    self.emit(q.start, q.end, "partial", si, sp, src, self.cue_text(s, c))
                    return
        if as_prep and s.words and not title:    # "X würdigte Y als „großen Österreicher“"
            subj = np_at(s.words, 0, lex)
            if subj and s.words[0].low not in lex.words("prefield_adverbs") and \
                    s.words[0].low not in lex.words("prepositions"):
                sp, src = self.speaker(s, subj)
                self.emit(q.start, q.end, "partial", si, sp, src, None)
                return
        if not title and self.last and si - self.last[0] <= 1 and self.last[1] is not None and any(
                w.low in lex.words("strong_subjunctive") for w in s.words):
            self.emit(q.start, q.end, "partial", si, self.last[1], self.last[2], None)
            return
        start, end = _strip(self.text, q.start, q.end)
        if end > start:
            self.quotes.append((Quote(start, end, "scare"), {"source": None, "form": "scare"}))
