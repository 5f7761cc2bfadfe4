"""Trigger lexicons: compiled once per language, matched over a sentence's word list.

A trigger entry is a small pattern over lower-cased words (from ``lang/<xx>/events_triggers.json``
and, for English, the CAMEO-derived ``events_cameo.json``):

* ``word`` exact, ``stem*`` prefix, ``*suffix`` suffix (German compounds: ``*sanktionen``),
  ``a|b`` alternatives, ``...`` a gap of up to :data:`MAX_GAP` words inside the clause
  (separable verbs "sagte ... zu", support-verb constructions "verhängte ... sanktionen").
* fields: ``t`` PLOVER type, ``m`` mode, ``sym`` symmetric (a meeting is between both),
  ``inv`` the grammatical subject is the target ("erhielt eine Einladung"), ``tp`` prepositions
  that mark the target, ``sp`` prepositions that mark the source, ``c`` confidence.

Matching is indexed by the first element (exact / prefix / suffix dictionaries), so a sentence
costs a few dict look-ups per word rather than a loop over thousands of patterns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from typing import Callable

from lagebild import lang as langdata
from lagebild.document import PLOVER_TYPES

MAX_GAP = 10
GAP_STOP = frozenset({",", ";", ":", ".", "–", "—", "?", "!", "(", ")"})
CLAUSE_END = GAP_STOP | {"\"", "“", "”", "„", "«", "»", "'"}


@dataclass(frozen=True, slots=True)
class Elem:
    exact: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    gap_before: bool = False
    final: bool = False         # "zu$": a separable particle ends its clause ("sagte ... zu.")

    def matches(self, w: str) -> bool:
        if w in self.exact:
            return True
        if self.prefixes and w.startswith(self.prefixes):
            return True
        return bool(self.suffixes) and any(w.endswith(s) and len(w) > len(s) for s in self.suffixes)


@dataclass(frozen=True, slots=True)
class Entry:
    pattern: str
    elems: tuple[Elem, ...]
    type: str
    mode: str | None = None
    sym: bool = False
    inv: bool = False
    tp: frozenset[str] = frozenset()
    sp: frozenset[str] = frozenset()
    conf: float = 0.7
    nominal: bool = False
    rep: bool = False           # reported obligation ("said X must ..."): speaker -> the one who must
    verb_only: bool = False     # compiled verb patterns: "the plan" is no "plan"
    rank: tuple = field(default=(), compare=False)
    #: the words of the first later element that has no stem or suffix: a sentence with none of them
    #: cannot match (told by one set test, before :func:`_match_rest`: most candidates fail there)
    need: frozenset[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "need", next((el.exact for el in self.elems[1:]
                                               if not el.prefixes and not el.suffixes), None))


@dataclass(slots=True)
class Match:
    entry: Entry
    idx: list[int]          # word indexes of the matched elements

    @property
    def first(self) -> int:
        return self.idx[0]


def parse_elem(tok: str, gap: bool) -> Elem:
    final = tok.endswith("$") and len(tok) > 1
    tok = tok.rstrip("$") if final else tok
    exact, pre, suf = set(), [], []
    for alt in tok.split("|"):
        if alt.endswith("*") and not alt.startswith("*"):
            pre.append(alt[:-1])
        elif alt.startswith("*") and not alt.endswith("*"):
            suf.append(alt[1:])
        else:
            exact.add(alt.strip("*"))
    return Elem(frozenset(exact), tuple(pre), tuple(suf), gap, final)


def parse_entry(d: dict) -> Entry:
    if d["t"] not in PLOVER_TYPES and d["t"] != "NONE":   # NONE blocks a verb's default (CAMEO ---)
        raise ValueError(f"unknown PLOVER type {d['t']!r} in trigger {d['p']!r}")
    elems: list[Elem] = []
    gap = False
    for tok in d["p"].lower().split():
        if tok == "...":
            gap = True
            continue
        elems.append(parse_elem(tok, gap))
        gap = False
    literal = sum(len(t) for t in d["p"].split() if t != "...")
    specific = sum(1 for e in elems if e.exact and not e.prefixes and not e.suffixes)
    return Entry(d["p"], tuple(elems), d["t"], d.get("m") or None, bool(d.get("sym")), bool(d.get("inv")),
                 frozenset(d.get("tp", ())), frozenset(d.get("sp", ())), float(d.get("c", 0.7)),
                 bool(d.get("n")), bool(d.get("rep")), bool(d.get("vo")), (len(elems), specific, literal))


class _Candidates(dict):
    """word -> the entries that can start at it, made on first look-up (``__missing__``): known
    words are then plain dict hits, which ``map`` does without a Python call. Cleared when large."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[str], list[Entry]]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, w: str) -> tuple[Entry, ...]:
        if len(self) > 200_000:
            self.clear()
        out = self[w] = tuple(self.make(w))
        return out


class Lexicon:
    """All trigger entries of one language, indexed by their first element."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.exact: dict[str, list[Entry]] = {}
        self.prefix: dict[str, list[Entry]] = {}
        self.suffix: dict[str, list[Entry]] = {}
        for e in entries:
            first = e.elems[0]
            for w in first.exact:
                self.exact.setdefault(w, []).append(e)
            for p in first.prefixes:
                self.prefix.setdefault(p, []).append(e)
            for s in first.suffixes:
                self.suffix.setdefault(s, []).append(e)
        self._pre_lens = sorted({len(p) for p in self.prefix})
        self._suf_lens = sorted({len(s) for s in self.suffix})
        self._memo = _Candidates(self._candidates)   # word -> its candidates (bounded)

    def candidates(self, w: str) -> tuple[Entry, ...]:
        """The entries whose first element can match ``w``; memoised per word type, as the same
        words recur across sentences and documents."""
        return self._memo[w]

    def _candidates(self, w: str) -> list[Entry]:
        out = list(self.exact.get(w, ()))
        for n in self._pre_lens:
            if n > len(w):
                break
            out.extend(self.prefix.get(w[:n], ()))
        for n in self._suf_lens:
            if n >= len(w):
                break
            out.extend(self.suffix.get(w[-n:], ()))
        return out

    def find(self, words: list[str]) -> list[Match]:
        """Every match of every entry, best first (more elements, more exact, longer)."""
        found: list[Match] = []
        present = set(words)
        cands = list(map(self._memo.__getitem__, words))   # C-level for every word seen before
        for i in compress(range(len(words)), cands):       # only the words some entry can start at
            for e in cands[i]:
                if e.need is not None and present.isdisjoint(e.need):
                    continue
                idx = _match_rest(e, words, i, present)
                if idx is not None:
                    found.append(Match(e, idx))
        found.sort(key=lambda m: (m.entry.rank, -m.first), reverse=True)
        return found


def _match_rest(e: Entry, words: list[str], i: int, present: set[str]) -> list[int] | None:
    """The word indexes of ``e`` matched from word ``i`` on (``present``: the set of ``words``)."""
    idx = [i]
    pos = i + 1
    n = len(words)
    for el in e.elems[1:]:
        exact, prefixes, suffixes = el.exact, el.prefixes, el.suffixes
        if not prefixes and not suffixes and present.isdisjoint(exact):
            return None     # a word the sentence does not have ("make ... statement"): no window scan
        limit = min(n, pos + (MAX_GAP + 1 if el.gap_before else 1))
        hit = None
        for j in range(pos, limit):
            w = words[j]
            # Elem.matches inlined: no call per word of every gap
            if (w in exact or prefixes and w.startswith(prefixes) or suffixes and el.matches(w)) \
                    and (not el.final or j + 1 == n or words[j + 1] in CLAUSE_END):
                hit = j
                break
            if w in GAP_STOP:
                break
        if hit is None:
            return None
        idx.append(hit)
        pos = hit + 1
    return idx


def select(matches: list[Match]) -> list[Match]:
    """Greedy: best matches first, none sharing a word with one already kept."""
    used: set[int] = set()
    kept: list[Match] = []
    for m in matches:
        if used.intersection(m.idx):
            continue
        kept.append(m)
        used.update(m.idx)
    return sorted(kept, key=lambda m: m.first)


@lru_cache(maxsize=None)
def lexicon(language: str) -> Lexicon:
    """Hand-written triggers first; English adds the CAMEO-derived verb patterns (compiled file)."""
    entries = [parse_entry(d) for d in langdata.load_json(language, "events_triggers.json").get("triggers", [])]
    seen = {e.pattern for e in entries}
    for d in _cameo_entries(language):
        if d["p"] not in seen:
            seen.add(d["p"])
            e = parse_entry(d)
            entries.append(Entry(e.pattern, e.elems, e.type, e.mode, e.sym, e.inv, e.tp, e.sp, e.conf * 0.9,
                                 e.nominal, e.rep, True, (e.rank[0], e.rank[1] - 1, e.rank[2])))
    return Lexicon(entries)


def _cameo_entries(language: str) -> list[dict]:
    """Expand the compact compiled CAMEO file: verbs with their forms, verb+noun phrases."""
    data = langdata.load_json(language, "events_cameo.json")
    if not data:
        return []
    out: list[dict] = []
    forms: dict[str, list[str]] = data.get("forms", {})

    def verb(lemma: str) -> str:
        head, *rest = lemma.split()
        return " ".join(["|".join(forms.get(head, [head])), *rest])

    for lemma, (typ, mode) in data.get("verbs", {}).items():
        out.append({"p": verb(lemma), "t": typ, "m": mode, "c": 0.6})
    for lemma, phrase, typ, mode in data.get("phrases", []):
        out.append({"p": verb(lemma) + " ... " + phrase, "t": typ, "m": mode, "c": 0.65})
    return out
