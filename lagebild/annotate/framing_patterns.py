"""Lexicon and pattern matching of persuasion techniques from per-language data files.

``lang/<code>/framing_patterns.json`` lists, per technique, ``words`` (words or phrases; a trailing
``*`` allows any continuation, so "kaputtspar*" covers "kaputtsparen", "kaputtgespart" needs its
own entry) and ``patterns`` (regular expressions; a named group ``span`` narrows the marked text,
``"scope": "sentence"`` marks the whole sentence). Each technique compiles to one regex that runs
once over the text. Repetition is found structurally (a sentence or emphatic word said again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from lagebild import lang as langdata
from lagebild.annotate.framing_scan import Prepared, WordScanner
from lagebild.document import Framing, Sentence

PATTERN_FILE = "framing_patterns.json"
_CLAUSE = re.compile(r"[^,;:–—.!?]+")


@dataclass(frozen=True)
class _Rule:
    technique: str
    regex: re.Pattern
    sentence_scope: bool
    confidence: float
    words: tuple[str, ...] = ()   # the entries of a word-list rule (for candidate scanning)


def _word_alt(entry: str) -> str:
    entry = entry.strip()
    star = entry.endswith("*")
    body = re.escape(entry.rstrip("*")).replace(r"\ ", r"\s+")
    return body + (r"[\w-]*" if star else "")


@lru_cache(maxsize=None)
def rules(language: str) -> tuple[_Rule, ...]:
    """The compiled rules of a language (empty when it has no pattern file)."""
    data = langdata.load_json(language, PATTERN_FILE)
    out: list[_Rule] = []
    for tech, spec in (data.get("techniques") or {}).items():
        conf = float(spec.get("confidence", 0.7))
        words = spec.get("words") or []
        if words:
            alts = sorted((_word_alt(w) for w in words), key=len, reverse=True)
            rx = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)
            out.append(_Rule(tech, rx, False, conf, tuple(words)))
        for p in spec.get("patterns") or []:
            if isinstance(p, str):
                p = {"regex": p}
            flags = 0 if p.get("case_sensitive") else re.IGNORECASE
            out.append(_Rule(tech, re.compile(p["regex"], flags | re.MULTILINE),
                             p.get("scope") == "sentence", float(p.get("confidence", conf))))
    return tuple(out)


@lru_cache(maxsize=None)
def scanner(language: str) -> WordScanner:
    """One candidate scanner over all word-list rules of a language."""
    rs = rules(language)
    return WordScanner([r.regex for r in rs], [r.words for r in rs])


def _sentence_at(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    lo, hi = 0, len(sentences) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s = sentences[mid]
        if pos < s.start:
            hi = mid - 1
        elif pos >= s.end:
            lo = mid + 1
        else:
            return s
    return None


def match(text: str, sentences: Sequence[Sentence], language: str,
          prep: Prepared | None | bool = False) -> list[Framing]:
    """All lexicon / pattern hits of ``language`` in ``text``, plus repetitions; ``prep`` is
    ``framing_scan.prepare(text)`` when the caller has it (genre scans the same text)."""
    out: list[Framing] = []
    scan = scanner(language)
    cands = scan.candidates(text, prep)
    for i, rule in enumerate(rules(language)):
        for m in scan.finditer(i, text, cands):
            if "span" in rule.regex.groupindex and m.group("span") is not None:
                s, e = m.span("span")
            else:
                s, e = m.span()
            if e <= s:
                continue
            if rule.sentence_scope:
                sent = _sentence_at(sentences, s)
                if sent is not None:
                    s, e = sent.start, sent.end
            out.append(Framing(s, e, rule.technique, rule.confidence))
    out.extend(repetitions(text, sentences))
    return dedupe(out)


def repetitions(text: str, sentences: Sequence[Sentence]) -> list[Framing]:
    """A clause of four or more words said again verbatim (emphatic doublings such as "sehr,
    sehr" are patterns in the language files)."""
    out: list[Framing] = []
    seen: set[str] = set()
    for s in sentences:
        for m in _CLAUSE.finditer(text, s.start, s.end):
            words = m.group().lower().split()
            if len(words) < 4:     # stripping the ends leaves no more words than the clause has
                continue
            # whitespace runs as one space (split/join: what _WS.sub gives, less the ends strip drops)
            key = " ".join(words).strip(" \"'“”„»«")
            if key.count(" ") < 3:   # fewer than four words
                continue
            if key in seen:
                a, b = m.start(), m.end()
                while a < b and text[a] in " \"'“”„»«":
                    a += 1
                out.append(Framing(a, b, "repetition", 0.7))
            seen.add(key)
    return out


def dedupe(items: list[Framing]) -> list[Framing]:
    """One span per technique and offsets; a span inside a longer one of the same technique goes."""
    items = sorted(items, key=lambda f: (f.technique, f.start, -(f.end - f.start)))
    out: list[Framing] = []
    last: dict[str, Framing] = {}
    for f in items:
        prev = last.get(f.technique)
        if prev is not None and prev.start <= f.start and f.end <= prev.end:
            continue
        out.append(f)
        last[f.technique] = f
    return sorted(out, key=lambda f: (f.start, f.end, f.technique))
