"""Features of the lines of a flattened page, for the text-dump line classifier.

Two groups, both plain numbers in a numpy matrix (one row per line):

* per line: length, words, punctuation and end punctuation, capitalisation, digits, prices,
  dates, bullets, ©, separators, the density of function words (running prose is full of them,
  menus and adverts are not) and cue words per language (promotional, navigation, footer, teaser,
  page furniture) read from ``lagebild/lang/<de|en>/textdump_*.txt``;
* context: the same key signals over neighbouring lines and windows, position in the page,
  distance to the nearest long line and how much long text lies before and after — article text
  is one contiguous run, menus and adverts sit around it.

The cue lists are loaded once per process (read-only cache).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import numpy as np

from lagebild.lang import load_list

LANGS = ("de", "en")
CUE_KINDS = ("promo", "footer", "teaser", "boiler")

_WORD = re.compile(r"\w+", re.UNICODE)
_SENT_INNER = re.compile(r"[.!?][\"'»«“”’)]?\s+[\"'»«“„(]?[A-ZÄÖÜ]")
_END = re.compile(r"[.!?…][\"'»«“”’)\]]*$")
_PRICE = re.compile(r"[€$£¥]|\b\d+[.,]?\d*\s?(?:€|eur|euro|usd|dollar|chf)\b|\bUS\$", re.I)
_DATE = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)?\d{2}\b|\b(?:19|20)\d{2}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b\d{1,2}\.?\s(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)\w*\.?\s(?:19|20)\d{2}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s\d{1,2},?\s(?:19|20)\d{2}\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_BYLINE = re.compile(r"^(?:von|by|autor|author|written by|text:)\s+\S|\b(?:autor|author|redakteur|editor)\b", re.I)
_BULLET = re.compile(r"^\s*(?:[-–—•·*▪►»>]\s|\d{1,2}[.)]\s)")
_SEPS = re.compile(r"\s[|·•/>»]\s|\s[|]|[|]\s")
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w+|\.(?:com|de|org|net)\b", re.I)
_STRIP = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_CLOSERS = "\"'»«“”’)]"
_CURRENCY = frozenset("€$£¥")


@dataclass(frozen=True)
class Cues:
    """Cue matchers for one language (or the union of all): one Aho-Corasick automaton over
    the substring cues (promo, footer, teaser, boiler), sets for whole-line and word cues."""

    automaton: ahocorasick.Automaton
    nav: frozenset[str]
    stop: frozenset[str]

    def counts(self, low: str) -> list[int]:
        """How often each substring-cue kind of ``CUE_KINDS`` occurs in ``low`` (lower-case),
        counting only matches that start a word."""
        out = [0] * len(CUE_KINDS)
        for end, (k, length) in self.automaton.iter(low):
            start = end - length + 1
            if start == 0 or not low[start - 1].isalnum():
                out[k] += 1
        return out

    def has(self, kind: str, low: str) -> bool:
        return self.counts(low)[CUE_KINDS.index(kind)] > 0


@lru_cache(maxsize=None)
def cues(lang: str | None = None) -> Cues:
    """Cue lists of ``lang``; for an unknown or missing language the union of all languages."""
    langs = (lang,) if lang in LANGS else LANGS

    def load(name: str) -> set[str]:
        return {w.lower() for lg in langs for w in load_list(lg, f"textdump_{name}.txt")}

    auto = ahocorasick.Automaton()
    seen: set[str] = set()
    for k, kind in enumerate(CUE_KINDS):
        for w in sorted(load(kind)):
            if w not in seen:   # a cue listed under two kinds counts for the first
                seen.add(w)
                auto.add_word(w, (k, len(w)))
    if seen:
        auto.make_automaton()
    return Cues(automaton=auto, nav=frozenset(load("nav")), stop=frozenset(load("stopwords")))


BASE_NAMES = [
    "log_chars", "log_words", "mean_wlen", "frac_alpha", "frac_digit", "frac_upper", "frac_punct",
    "end_punct", "end_colon", "inner_sent", "commas_per_word", "starts_upper", "all_caps",
    "title_frac", "stop_density", "promo", "nav", "footer", "teaser", "boiler", "bullet",
    "copyright", "price", "date", "year", "time", "byline", "seps", "url", "dup_in_page",
    "rel_pos", "rel_chars_before", "rel_len", "starts_quote", "has_paren", "page_log_lines",
]


def line_vector(line: str, c: Cues) -> list[float]:
    """The per-line features that do not depend on the page (first 29 of BASE_NAMES).

    Character classes are counted over the line's distinct characters, and the date, year, time
    and price patterns are only searched in lines with a digit (each needs one, or a currency sign
    for prices): the same numbers as testing every character and pattern, at half the cost."""
    n = len(line)
    words = _WORD.findall(line)
    nw = len(words)
    nletters, upper, digits, punct = char_classes(line)
    nl = nletters or 1
    low = line.lower()
    stripped = _STRIP.sub("", low)
    caps_words = sum(1 for w in words if w[0].isupper())
    stops = sum(1 for w in words if w.lower() in c.stop)
    promo, footer, teaser, boiler = c.counts(low)
    end = line.rstrip(_CLOSERS)[-1:]
    if digits:
        price, date = _PRICE.search(line), _DATE.search(line)
        year, clock = _YEAR.search(line), _TIME.search(line)
    else:   # \d never matches (every decimal digit is a digit): only a currency sign makes a price
        price, date, year, clock = not _CURRENCY.isdisjoint(line), False, False, False
    return [
        math.log1p(n),
        math.log1p(nw),
        (sum(len(w) for w in words) / nw) if nw else 0.0,
        nletters / n if n else 0.0,
        digits / n if n else 0.0,
        upper / nl,
        punct / n if n else 0.0,
        1.0 if end and end in ".!?…" else 0.0,
        1.0 if line.rstrip().endswith(":") else 0.0,
        float(len(_SENT_INNER.findall(line))),
        line.count(",") / nw if nw else 0.0,
        1.0 if line[:1].isupper() else 0.0,
        1.0 if nletters >= 4 and upper / nl > 0.8 else 0.0,
        caps_words / nw if nw else 0.0,
        stops / nw if nw else 0.0,
        float(promo),
        1.0 if stripped in c.nav else 0.0,
        float(footer),
        float(teaser),
        float(boiler),
        1.0 if _BULLET.match(line) else 0.0,
        1.0 if "©" in line or "(c)" in low else 0.0,
        1.0 if price else 0.0,
        1.0 if date else 0.0,
        1.0 if year else 0.0,
        1.0 if clock else 0.0,
        1.0 if _BYLINE.search(line) else 0.0,
        float(len(_SEPS.findall(line))),
        1.0 if (":" in line or "." in line or "@" in line) and _URL.search(line) else 0.0,
    ]


def char_classes(line: str) -> tuple[int, int, int, int]:
    """Letters, upper-case characters, digits and punctuation (neither alphanumeric nor space)."""
    letters = upper = digits = punct = 0
    for ch, k in Counter(line).items():
        if ch.isalpha():
            letters += k
        if ch.isupper():
            upper += k
        if ch.isdigit():
            digits += k
        if not ch.isalnum() and not ch.isspace():
            punct += k
    return letters, upper, digits, punct


def base_features(lines: list[str], c: Cues) -> np.ndarray:
    """Per-line features plus the line's place in its page."""
    n = len(lines)
    rows = [line_vector(ln, c) for ln in lines]
    counts: dict[str, int] = {}
    for ln in lines:
        counts[ln] = counts.get(ln, 0) + 1
    chars = np.array([len(ln) for ln in lines], dtype=float)
    total = chars.sum() or 1.0
    before = np.cumsum(chars) - chars
    longest = chars.max() if n else 1.0
    page = math.log1p(n)
    for i, ln in enumerate(lines):
        rows[i].extend([
            math.log1p(counts[ln] - 1),
            i / max(n - 1, 1),
            before[i] / total,
            chars[i] / (longest or 1.0),
            1.0 if ln[:1] in "\"'„“«»‚‘”" else 0.0,
            1.0 if "(" in ln else 0.0,
            page,
        ])
    return np.asarray(rows, dtype=np.float32).reshape(n, len(BASE_NAMES))


def _shift(x: np.ndarray, k: int, fill: float = 0.0) -> np.ndarray:
    """x shifted so that row i holds x[i+k] (fill outside the page)."""
    out = np.full_like(x, fill)
    n = len(x)
    if k > 0 and k < n:
        out[: n - k] = x[k:]
    elif k < 0 and -k < n:
        out[-k:] = x[: n + k]
    return out


def window_mean(x: np.ndarray, r: int) -> np.ndarray:
    """Mean of x over lines i-r..i+r (clipped at the page edges)."""
    n = len(x)
    cs = np.concatenate([[0.0], np.cumsum(x, dtype=float)])
    idx = np.arange(n)
    lo = np.clip(idx - r, 0, n)
    hi = np.clip(idx + r + 1, 0, n)
    return ((cs[hi] - cs[lo]) / np.maximum(hi - lo, 1)).astype(np.float32)


_CTX_KEYS = ("log_chars", "stop_density", "end_punct", "promo", "bullet", "title_frac", "nav")
_CTX_OFFSETS = (-3, -2, -1, 1, 2, 3)
_WIN_KEYS = ("log_chars", "stop_density", "end_punct", "nav", "bullet")
_WINDOWS = (2, 5, 15)


def context_features(base: np.ndarray, lines: list[str]) -> np.ndarray:
    """Neighbours, windows and the distance to long text before and after each line."""
    col = {name: base[:, i] for i, name in enumerate(BASE_NAMES)}
    cols: list[np.ndarray] = []
    for key in _CTX_KEYS:
        for k in _CTX_OFFSETS:
            cols.append(_shift(col[key], k, fill=-1.0))
    for key in _WIN_KEYS:
        for r in _WINDOWS:
            cols.append(window_mean(col[key], r))
    chars = np.array([len(ln) for ln in lines], dtype=float)
    prose = (chars >= 100) & (col["stop_density"] >= 0.15)
    n = len(lines)
    idx = np.arange(n)
    # distance (lines) to the nearest prose line before / after
    last = -10**6
    before = np.empty(n)
    for i in range(n):
        before[i] = i - last
        if prose[i]:
            last = i
    nxt = 10**6
    after = np.empty(n)
    for i in range(n - 1, -1, -1):
        after[i] = nxt - i
        if prose[i]:
            nxt = i
    pc = chars * prose
    total = pc.sum() or 1.0
    cum = np.cumsum(pc)
    cols += [
        np.log1p(np.minimum(before, 1000)),
        np.log1p(np.minimum(after, 1000)),
        (cum - pc) / total,              # share of prose chars before this line
        (total - cum) / total,           # share after
        np.full(n, np.log1p(prose.sum())),
        np.full(n, np.log1p(total)),
        (idx - (np.argmax(prose) if prose.any() else 0)) / max(n, 1),
    ]
    return np.column_stack([c.astype(np.float32) for c in cols]) if n else np.zeros((0, len(cols)), np.float32)


def page_features(lines: list[str], lang: str | None = None) -> np.ndarray:
    """All stage-1 features of a page's lines (rows follow ``lines``)."""
    c = cues(lang)
    base = base_features(lines, c)
    if not lines:
        return base
    return np.hstack([base, context_features(base, lines)])


def prob_context(p: np.ndarray, lines: list[str]) -> np.ndarray:
    """Stage-2 features from stage-1 probabilities: neighbours, windows and the main run.

    The main run is the contiguous stretch of lines that maximises the sum of (p - 0.5) weighted
    by line length: article text is one run, so a line inside it is likely main even when it is
    short (a heading), and a line far outside it is not, even when it is long (a teaser).
    """
    n = len(p)
    chars = np.array([len(ln) for ln in lines], dtype=float)
    w = np.sqrt(chars)
    cols = [p]
    for k in (-2, -1, 1, 2):
        cols.append(_shift(p, k, fill=0.0))
    for r in (1, 3, 8, 20):
        cols.append(window_mean(p, r))
        cols.append(window_mean(p * w, r) / np.maximum(window_mean(w, r), 1e-6))
    score = (p - 0.5) * w
    start, end = _max_run(score)
    inside = np.zeros(n, dtype=np.float32)
    inside[start:end] = 1.0
    idx = np.arange(n)
    dist = np.where(idx < start, start - idx, np.where(idx >= end, idx - end + 1, 0))
    cols += [inside, np.log1p(dist).astype(np.float32)]
    # second run: the best run outside the first one (pages with two article parts)
    return np.column_stack([c.astype(np.float32) for c in cols])


def _max_run(score: np.ndarray) -> tuple[int, int]:
    """[start, end) of the contiguous run with the largest sum (Kadane)."""
    best, best_s, best_e = 0.0, 0, 0
    cur, cur_s = 0.0, 0
    for i, s in enumerate(score):
        if cur <= 0:
            cur, cur_s = s, i
        else:
            cur += s
        if cur > best:
            best, best_s, best_e = cur, cur_s, i + 1
    return best_s, best_e
