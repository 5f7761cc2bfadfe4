"""Negation and hypothetical (future, conditional, modal, speculative) cues around a trigger.

Cues come from ``lang/<xx>/events_modality.json``::

    {"negation": {"clause": [...], "sentence": [...]},
     "hypothetical": {"clause": [...], "sentence": [...]},
     "exceptions": ["nicht nur", ...]}

``clause`` cues count only in the clause of the trigger (between punctuation marks), ``sentence``
cues anywhere in the sentence ("dementierte, dass ..." negates the reported event). Words use the
lexicon syntax (``stem*``). An exception phrase starting at a cue cancels it ("nicht nur ... sondern").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import methodcaller

from lagebild import lang as langdata
from lagebild.annotate.events_lexicon import Elem, parse_elem


@dataclass(frozen=True, slots=True)
class Cues:
    neg_clause: tuple[Elem, ...]
    neg_sentence: tuple[Elem, ...]
    hyp_clause: tuple[Elem, ...]
    hyp_sentence: tuple[Elem, ...]
    exceptions: tuple[tuple[str, ...], ...]
    future_aux: frozenset[str]
    conditional_initial: frozenset[str]   # "Falls ..., verhängt die EU ...": the whole sentence is conditional
    neg_before: bool                      # English: "did not attack"; German "griff nicht an" (after)


@lru_cache(maxsize=None)
def cues(language: str) -> Cues:
    d = langdata.load_json(language, "events_modality.json")

    def el(group: str, scope: str) -> tuple[Elem, ...]:
        """All cues of a group merged into one element: one set look-up and one startswith per word."""
        elems = [parse_elem(w.lower(), False) for w in d.get(group, {}).get(scope, [])]
        return (Elem(frozenset().union(*(e.exact for e in elems)), tuple(p for e in elems for p in e.prefixes),
                     tuple(x for e in elems for x in e.suffixes)),) if elems else ()

    return Cues(el("negation", "clause"), el("negation", "sentence"), el("hypothetical", "clause"),
                el("hypothetical", "sentence"), tuple(tuple(x.lower().split()) for x in d.get("exceptions", [])),
                frozenset(d.get("future_aux", [])), frozenset(d.get("conditional_initial", [])),
                bool(d.get("negation_before_trigger")))


def _hit(elems: tuple[Elem, ...], words: list[str], lo: int, hi: int, exc: tuple[tuple[str, ...], ...]) -> bool:
    if not elems:
        return False
    seg = words[lo:hi]
    if not any(map(_may_match, elems, repeat(seg))):
        return False   # most clauses: no cue word, told by set and str tests at C level
    tests = [e.matches for e in elems]   # bound once, not a generator per word
    for i in range(lo, hi):
        w = words[i]
        for test in tests:
            if test(w):
                break
        else:
            continue
        if any(tuple(words[i:i + len(x)]) == x for x in exc):
            continue
        return True
    return False


def _may_match(e: Elem, seg: list[str]) -> bool:
    """Whether a word of ``seg`` can match ``e``: exact words by one set test, prefixes and suffixes
    by ``str.startswith`` / ``str.endswith`` mapped over the words (a suffix match also needs a longer
    word, which :meth:`Elem.matches` checks on the few words this lets through)."""
    return not e.exact.isdisjoint(seg) or bool(e.prefixes) and any(map(methodcaller("startswith", e.prefixes), seg)) \
        or bool(e.suffixes) and any(map(methodcaller("endswith", e.suffixes), seg))


def flags(words: list[str], clause: tuple[int, int], language: str, skip: set[int],
          intent: bool = False) -> tuple[bool, bool]:
    """(negated, hypothetical) for a trigger whose clause spans word indexes ``clause``.

    ``skip`` holds the trigger's own word indexes (a trigger is never its own cue). For intent types
    (AGREE, REQUEST, THREATEN: a promise, demand or threat is about the future by nature) only the
    clause's modal cues make the event hypothetical, not future tense or a condition."""
    c = cues(language)
    ws = list(words)
    for i in skip:   # the trigger's words blanked: a copy and a few stores, no step per word
        ws[i] = ""
    lo, hi = clause
    neg_hi = max(skip) if c.neg_before and skip else hi
    neg = _hit(c.neg_clause, ws, lo, neg_hi, c.exceptions) or _hit(c.neg_sentence, ws, 0, len(ws), c.exceptions)
    hyp = _hit(c.hyp_clause, ws, lo, hi, c.exceptions) or bool(words and words[0] in c.conditional_initial)
    if not intent and not hyp:
        hyp = _hit(c.hyp_sentence, ws, 0, len(ws), c.exceptions) or _future(ws, lo, hi, skip, c, words)
    return neg, hyp


def _future(ws: list[str], lo: int, hi: int, skip: set[int], c: Cues, words: list[str]) -> bool:
    """A future auxiliary in the clause with the trigger verb as a bare infinitive (not a participle:
    "wird angegriffen" is present passive, "wird liefern" is future)."""
    if c.future_aux.isdisjoint(ws[lo:hi]):
        return False
    head = words[min(skip)] if skip else ""
    if language_is_german(c):
        return head.endswith("en") and not head.startswith("ge") and not head.endswith("ung")
    return not head.endswith(("ed", "en"))


def language_is_german(c: Cues) -> bool:
    return "wird" in c.future_aux
