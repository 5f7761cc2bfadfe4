"""Speaker noun phrases around a cue, and their link to actor mentions.

Without a parser we read the shape of the words: a pronoun, or an optional determiner, lowercase
adjectives and a run of capitalised words (German nouns and names), with a genitive tail ("der Chef
der Bundesagentur"). The phrase is then linked to the best overlapping mention from the mentions
stage (so "der russische Präsident" carries Putin); a pronoun takes the nearest earlier speaker or
person mention.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from lagebild.annotate.quotes_lexicon import Lexicon
from lagebild.document import Mention, Speaker

_OPENING_MARKS = set("„“»«‚\"'")
_CLOSING_MARKS = set("“”«»‘’\"'")
_PUNCT_STOP = set(",.;:!?()[]{}\"„“”»«‚‘’'–—-")


@dataclass(slots=True)
class Word:
    start: int
    end: int
    text: str
    low: str

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def alpha(self) -> bool:
        return self.text[:1].isalpha()


def is_pronoun(w: Word, lex: Lexicon) -> bool:
    return w.low in lex.cues.get("pronouns", {})


def np_at(words: list[Word], i: int, lex: Lexicon, limit: int | None = None) -> tuple[int, int] | None:
    """The noun phrase starting at word ``i`` as a word range ``[i, j)``, or None."""
    n = len(words) if limit is None else min(limit, len(words))
    if i >= n:
        return None
    w = words[i]
    if is_pronoun(w, lex):
        return (i, i + 1)
    if w.text in _OPENING_MARKS and i + 1 < n and words[i + 1].cap:   # „BBC News“ zitiert
        inner = np_at(words, i + 1, lex, n)
        if inner:
            end = inner[1] + (1 if inner[1] < n and words[inner[1]].text in _CLOSING_MARKS else 0)
            return (i, end)
    j = i
    dets = lex.words("determiners")
    if lex.language == "de" and w.alpha and not w.cap and i + 1 < n and words[i + 1].cap \
            and w.low not in lex.words("stop_words") and w.low not in lex.verb_forms:
        j += 1   # "laut aktueller Statistik"
    elif w.low in dets:
        j += 1
        while j < n and words[j].alpha and not words[j].cap and words[j].low not in lex.words("stop_words") \
                and lex.language == "de" and j - i < 5:
            j += 1
    if j < n and j > i and words[j].text in _OPENING_MARKS:   # die „Computerwoche“
        inner = np_at(words, j, lex, n)
        if inner:
            return (i, inner[1])
    head = j
    while j < n and _name_like(words[j], lex, j > head):
        j += 1
    if j == head:
        if lex.language == "en" and head < n and words[head].alpha and head > i:
            while j < n and words[j].alpha and words[j].low not in lex.words("stop_words") \
                    and words[j].low not in lex.verb_forms and j - head < 4:
                j += 1
        if j == head and head == i + 1 and head < n and words[head].text[:1].isdigit() and "-" in words[head].text:
            j = head + 1   # "der 81-jährige"
        if j == head:
            return None
    if lex.language == "en" and j > head:   # "Pentagon officials", "White House spokesman"
        k = j
        while k < n and k - j < 2 and words[k].alpha and not words[k].cap and words[k].low not in lex.words("stop_words") \
                and words[k].low not in lex.verb_forms and not words[k].low.endswith("ly"):
            k += 1
        j = k
    # genitive / "of" tail: der Chef der Bundesagentur; head of the agency
    if j + 1 < n and words[j].low in lex.words("genitive_links") and (words[j + 1].cap or words[j + 1].low in dets):
        tail = np_at(words, j + 1, lex, n) if words[j + 1].low in dets else (j + 1, _caps_end(words, j + 1, n, lex))
        if tail and tail[1] > tail[0] and not is_pronoun(words[tail[0]], lex):
            j = tail[1]
    return (i, j)


def _name_like(w: Word, lex: Lexicon, inside: bool) -> bool:
    if w.cap and w.alpha:
        return w.low not in lex.words("stop_words") or inside and w.low in lex.words("name_particles")
    return inside and (w.low in lex.words("name_particles") or w.text in {"-"})


def _caps_end(words: list[Word], i: int, n: int, lex: Lexicon) -> int:
    j = i
    while j < n and _name_like(words[j], lex, j > i):
        j += 1
    return j


def prefield_np(words: list[Word], lo: int, verb: int, lex: Lexicon) -> tuple[int, int] | None:
    """The subject before a finite verb in second position (the whole prefield), or None."""
    if verb <= lo:
        return None
    while lo < verb - 1 and words[lo].low in lex.words("prefield_adverbs") and lex.language == "de" \
            and words[lo].low not in lex.words("prepositions"):
        lo += 1   # "Auch Feinstein argumentierte"
    if verb - lo == 1 and is_pronoun(words[lo], lex):
        return (lo, verb)
    lows = [x.low for x in words[lo:verb]]
    if not (lex.words("time_words").isdisjoint(lows) and lex.words("adverbial_words").isdisjoint(lows)):
        return None   # "Vergangene Woche sagte X": a time adverbial, not the subject
    w = words[lo]
    if w.low in lex.words("prepositions") or w.low in lex.words("prefield_adverbs") \
            or w.low in lex.words("oblique_determiners") \
            or w.low in lex.words("complementizers") or w.low in lex.words("source_preps"):
        return None
    if not (w.cap or is_pronoun(w, lex) or w.low in lex.words("determiners")):
        return None
    if lex.language == "de" and w.low in lex.words("determiners") and not any(x.cap for x in words[lo + 1:verb]) \
            and not (verb - lo == 2 and words[lo + 1].alpha and words[lo + 1].low not in lex.verb_forms
                     and words[lo + 1].low not in lex.words("stop_words") and w.cap):
        return None   # "das mehr sagt" is no subject; "Die taz vermutet" is   # "das mehr sagt": a relative or demonstrative pronoun, not a subject phrase
    end = verb
    while end > lo and words[end - 1].text in _PUNCT_STOP:
        end -= 1
    if end <= lo:
        return None
    if lex.language == "en" and end - lo > 8:   # a clause, not a subject
        return None
    return (lo, end)


# --------------------------------------------------------------------------- linking to mentions


class MentionIndex:
    """The document's mentions sorted by start, for overlap look-ups."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.mentions]

    def overlapping(self, start: int, end: int) -> list[Mention]:
        out = []
        i = bisect.bisect_left(self.starts, start - 200)
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end > start:
                out.append(m)
            i += 1
        return out

    def best(self, start: int, end: int) -> Mention | None:
        """The most useful mention inside a speaker phrase: a person or group first, then the longest."""
        cands = [m for m in self.overlapping(start, end) if m.role != "place"]
        if not cands:
            return None

        def rank(m: Mention) -> tuple:
            kind = m.actor.kind if m.actor else ""
            return (m.actor is not None or bool(m.members), kind == "person" or bool(m.members),
                    kind in ("organisation", "group"), m.start == start, m.end - m.start)

        return max(cands, key=rank)

    def before(self, pos: int, person_only: bool = True) -> Mention | None:
        """The nearest mention ending before ``pos`` (a person, or a group with members)."""
        i = bisect.bisect_left(self.starts, pos) - 1
        seen = 0
        while i >= 0 and seen < 60:
            m = self.mentions[i]
            seen += 1
            if m.end <= pos and (m.actor or m.members):
                if not person_only or m.members or (m.actor and m.actor.kind == "person"):
                    return m
            i -= 1
        return None


def make_speaker(start: int, end: int, index: MentionIndex) -> Speaker:
    """A speaker for the phrase ``[start, end)``: the linked mention when one overlaps, else the phrase."""
    m = index.best(start, end)
    if m is None:
        return Speaker(start, end, None)
    return Speaker(m.start, m.end, m.actor, tuple(m.members))
