"""Stage ``genre``: news | opinion | interview | press_release | advert | other.

Rules over cues that carry across outlets (per-language cue lists in ``lang/<code>/genre_cues.json``):
an interview is a run of question / answer turns; a press release names itself or carries contact
boilerplate; an advert addresses "you" with offers and prices; an opinion piece speaks outside
quotation marks with evaluative, loaded words, first person, rhetorical questions and "should",
where a news report mostly attributes ("sagte", "according to") and quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter

import numpy as np

from lagebild import lang as langdata
from lagebild.annotate.framing_patterns import match as framing_match
from lagebild.annotate.framing_scan import Prepared, WordScanner, cut_spans, prepare, prepare_outside
from lagebild.annotate.genre_words import word_starts
from lagebild.document import Document, Sentence
from lagebild.pipeline import stage
from lagebild.settings import Settings

_QUOTED = re.compile(r"[\"“„»«][^\"“”„»«\n]{0,400}[\"”“«»]")
# possessive letter runs: a letter run is followed by a joiner or ends the word, so giving letters
# back never finds another match; re then keeps no backtracking points (the same words). The
# features count its words by genre_words.word_starts (the same counts, no string per word)
_WORD = re.compile(r"[^\W\d_]++(?:[-'’][^\W\d_]++)*")
_LABEL_INITIAL = "A-ZÄÖÜ"
# a label starts with a capital: the leading lookahead skips every other position before the line
# start / sentence end alternatives are tried (a third less time, the same labels)
_SPEAKER_LABEL = re.compile(rf"(?=[{_LABEL_INITIAL}])(?:^|(?<=[.?!…]\s))([{_LABEL_INITIAL}][\w.\-]{{0,20}}"
                            rf"(?: [{_LABEL_INITIAL}][\w.\-]{{0,20}})?):\s+\S", re.MULTILINE)
#: a colon followed by whitespace and more: where a speaker label's colon can be (group 1 ends
#: where a label's match ends)
_LABEL_COLON = re.compile(r":(?=(\s+\S))")
_START, _END = attrgetter("start"), attrgetter("end")
_LABEL_REACH = 43   # a label is at most 21 + 1 + 21 characters: it starts this close to its colon
_EVALUATIVE_TECHNIQUES = {"loaded_language", "name_calling", "exaggeration", "whataboutism", "doubt",
                          "appeal_to_fear", "black_and_white", "causal_oversimplification", "flag_waving",
                          "thought_terminating_cliches", "slogans"}


@dataclass
class GenreFeatures:
    words: int
    quote_share: float        # share of characters inside quotation marks
    first_person: float       # per 100 words outside quotes
    second_person: float
    evaluative: float         # framing-lexicon hits + evaluative adverbs per 100 words outside quotes
    modals: float
    questions: int            # question sentences outside quotes
    reporting: float          # reporting cues per 100 words
    press_cues: int
    advert_cues: float        # per 100 words
    exclamations: int
    qa_turns: int             # question lines followed by an answer line, or speaker-label turns
    opinion_label: bool


@lru_cache(maxsize=None)
def _cues(language: str) -> dict[str, re.Pattern]:
    data = langdata.load_json(language, "genre_cues.json") or langdata.load_json("de", "genre_cues.json")
    out = {}
    for key, words in data.items():
        if key.startswith("_"):
            continue
        out[key] = re.compile(r"(?<!\w)" + _alternation(words), re.IGNORECASE)
    return out


def _alternation(words: list[str]) -> str:
    """A cue list as a regex (longest first, whole words), without the lookbehind before it."""
    alts = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    return r"(?:" + "|".join(alts) + r")(?!\w)"


def _residual(words: list[str]) -> re.Pattern:
    """Cues too short for the candidate automaton ("I", "$"), found on their own (framing_scan)."""
    return re.compile(_alternation(words), re.IGNORECASE)


#: the cue lists counted outside quotations and those counted over the whole text (the other
#: lists are read by other means or not at all: their candidates would be scanned for nothing)
_OUTSIDE_KEYS = ("first_person", "second_person", "evaluative", "modals")
_TEXT_KEYS = ("reporting", "press_release", "press_contact", "advert")


@lru_cache(maxsize=None)
def _cue_scanner(language: str, keys: tuple[str, ...]) -> tuple[dict[str, int], WordScanner]:
    """Candidate scanning for some cue lists: one pass finds where any of them can start."""
    data = langdata.load_json(language, "genre_cues.json") or langdata.load_json("de", "genre_cues.json")
    cues = _cues(language)
    keys = tuple(k for k in keys if k in cues)
    scan = WordScanner([cues[k] for k in keys], [tuple(data[k]) for k in keys], _residual)
    return {k: i for i, k in enumerate(keys)}, scan


def _count(language: str, keys: tuple[str, ...], text: str, prep: Prepared | None | bool) -> dict[str, int]:
    """Matches of each cue list of ``keys`` in ``text`` (``prep``: its ``framing_scan.prepare``)."""
    index, scan = _cue_scanner(language, keys)
    cands = scan.candidates(text, prep)
    return {k: sum(1 for _ in scan.finditer(i, text, cands)) for k, i in index.items()}


def features(text: str, sentences: list[Sentence], language: str, hits: list | None = None,
             prep: Prepared | None | bool = False) -> GenreFeatures:
    """Cue rates of one text; ``hits`` are the framing rule hits and ``prep`` is
    ``framing_scan.prepare(text)`` when already computed."""
    cues = _cues(language)
    if prep is False:
        prep = prepare(text)
    in_quotes = [m.span() for m in _QUOTED.finditer(text)]
    quoted = sum(e - s for s, e in in_quotes)
    outside = cut_spans(text, in_quotes) if in_quotes else text   # no quotes (many pages): the text itself
    starts = word_starts(text)   # where the words of _WORD start (counted, no string per word)
    words = int(np.count_nonzero(starts))
    # no word runs across a quotation mark (neither a letter nor a joiner), so the words outside
    # quotes are the text's less those inside them: no second pass over the text
    ow = max(words - sum(int(np.count_nonzero(starts[s:e])) for s, e in in_quotes), 1)
    if outside is text:
        found = _count(language, _OUTSIDE_KEYS + _TEXT_KEYS, text, prep)
    else:
        found = _count(language, _TEXT_KEYS, text, prep)
        # the outside text prepared from the whole text's strings (the same strings)
        found.update(_count(language, _OUTSIDE_KEYS, outside,
                            prepare_outside(prep, in_quotes) if prep is not None else False))

    def per100(key: str, denom: int = ow) -> float:
        return 100.0 * found[key] / denom if key in cues else 0.0

    if hits is None:
        hits = framing_match(text, sentences, language)
    hits = [f for f in hits if f.technique in _EVALUATIVE_TECHNIQUES]
    ev_hits = sum(1 for f in hits if not any(s <= f.start < e for s, e in in_quotes))
    qa = questions = 0   # both count lines / sentences ending with "?": none without one
    if "?" in text:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        qa = sum(1 for a, b in zip(lines, lines[1:]) if a.endswith("?") and not b.endswith("?") and len(a) < 300)
        # the sentences' strings by C-level maps, the few questions among them tested in Python
        asks = map(str.endswith, map(str.rstrip, map(text.__getitem__, map(slice, map(_START, sentences),
                                                                              map(_END, sentences)))), repeat("?"))
        questions = sum(1 for s in compress(sentences, asks) if not any(a <= s.start < b for a, b in in_quotes))
    labels = speaker_labels(text)
    label_turns = sum(1 for lab in set(labels) if labels.count(lab) >= 2) and len(labels)
    head = text[:300]
    return GenreFeatures(
        words=words,
        quote_share=quoted / max(len(text), 1),
        first_person=per100("first_person"),
        second_person=per100("second_person"),
        evaluative=100.0 * ev_hits / ow + per100("evaluative"),
        modals=per100("modals"),
        questions=questions,
        reporting=per100("reporting", max(words, 1)),
        press_cues=2 * found["press_release"] + min(found["press_contact"], 3),
        advert_cues=per100("advert", max(words, 1)),
        exclamations=text.count("!"),
        qa_turns=max(qa, label_turns),
        opinion_label=bool("opinion_labels" in cues and cues["opinion_labels"].search(head)),
    )


def speaker_labels(text: str) -> list[str]:
    """``_SPEAKER_LABEL.findall(text)``, searched only near the colons a label can end at (most
    capitals start no label; a page has few such colons). A label holds no colon, so the next
    match from ``pos`` ends at the first of them it reaches and starts at most ``_LABEL_REACH``
    before it; a match inside the window is one in the whole text (nothing reads beyond it)."""
    labels: list[str] = []
    pos = 0
    for c in _LABEL_COLON.finditer(text):
        if c.start() < pos:
            continue
        m = _SPEAKER_LABEL.search(text, max(pos, c.start() - _LABEL_REACH), c.end(1))
        if m is not None:
            labels.append(m.group(1))
            pos = m.end()
    return labels


def opinion_score(f: GenreFeatures) -> float:
    """Positive for opinion-like text: evaluation, first person, questions, 'should'; minus attribution."""
    return (0.9 * f.evaluative + 0.5 * f.first_person + 1.2 * f.modals
            + 0.6 * min(f.questions, 5) + 2.5 * f.opinion_label
            - 1.5 * f.reporting - 4.0 * f.quote_share - 1.2)


def classify(f: GenreFeatures) -> str:
    if f.words < 25:
        return "advert" if f.advert_cues >= 8 else "other"
    if f.qa_turns >= 3 and f.qa_turns * 40 >= f.words * 0.1:
        return "interview"
    if f.questions >= 5 and f.first_person >= 2.5 and f.quote_share < 0.05 and f.reporting < 1.0:
        return "interview"
    if f.press_cues >= 5:
        return "press_release"
    if f.advert_cues >= 6 and f.second_person >= 2 and f.reporting < 1:
        return "advert"
    return "opinion" if opinion_score(f) > 0 else "news"


class GenreStage:
    name = "genre"
    requires = ("sentences",)
    adds = ("genre",)

    def __call__(self, doc: Document) -> Document:
        language = doc.language or "de"
        sentences = doc.layers.get("sentences", [])
        prep = prepare(doc.text)   # lowered once for the framing rules and the cue lists
        rule_hits = framing_match(doc.text, sentences, language, prep)
        doc.layers["framing_rules"] = rule_hits   # reused by the framing stage
        f = features(doc.text, sentences, language, rule_hits, prep)
        doc.genre = classify(f)
        doc.layers["genre_features"] = f
        return doc


@stage("genre", requires=["sentences"], adds=["genre"])
def make_genre(settings: Settings) -> GenreStage:
    """Genre from cues: Q/A turns, press-release boilerplate, offers, evaluative first-person speech."""
    return GenreStage()
