"""Word-list regexes run only where one of their words can start (Aho–Corasick over the lowercased
text), with exactly the matches of ``regex.finditer(text)``.

A word-list rule compiles to ``(?<!…)(?:alt|alt|…)(?!…)`` with IGNORECASE; Python's ``re`` tries
the whole alternation at every position of the text, once per rule. Every match starts with the
literal head of one alternative (the entry up to its first space or ``*``), so one automaton per
language finds the candidate starts of all rules in a single pass and ``regex.match`` confirms
them. Equivalent to ``finditer``: the leftmost match from a position is at a candidate, and
candidates before it cannot match. Texts whose lowercasing is not position-preserving or that
contain characters ``re`` folds specially (Greek final sigma, Kelvin sign, ...) take the plain
``finditer``.
"""

from __future__ import annotations

import re
from re import _constants as sre
from re import _parser
from re._casefix import _EXTRA_CASES  # characters re's IGNORECASE folds beyond str.lower()
from typing import Callable, Iterator, Sequence

import ahocorasick

#: lowercase characters re's IGNORECASE treats as equal to another lowercase character (ı/i, ſ/s,
#: µ/μ, ...; all non-ASCII) and the sigmas (str.lower picks the final form by context)
_SPECIAL = frozenset(chr(x) for k, vs in _EXTRA_CASES.items() for x in (k, *vs) if x > 127) | {"ς", "σ"}
#: finds one of them: a character-class scan takes half the time of building the text's set of characters
_SPECIAL_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_SPECIAL)) + "]")
_OTHER_SPACE = re.compile(r"[^\S ]")   # whitespace other than the space (what \s matches, as str.isspace)
MIN_HEAD = 2   # shorter heads start candidates almost everywhere: such a rule keeps plain finditer


def head(entry: str) -> str:
    """The literal text every match of a word-list entry starts with (lowercased; empty when the
    entry starts with whitespace, which the caller's regex may turn into a pattern)."""
    if entry[:1].isspace():
        return ""
    body = entry.strip().rstrip("*")
    first = body.split(" ")[0].lower()
    if len(first) < MIN_HEAD and " " in body:
        return first + " "   # "a thousand times": the space stands for the whitespace run after "a"
    return first


_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}


def regex_heads(rx: re.Pattern) -> set[str] | None:
    """Lowercased literal prefixes one of which every match of ``rx`` starts with, or None when
    the pattern does not start with literal text (it is then scanned plainly). Zero-width
    assertions (``\\b``, ``^``, lookarounds) are skipped; alternations give one head per branch."""
    try:
        parsed = _parser.parse(rx.pattern, rx.flags)
    except re.error:
        return None
    heads = _seq_heads(list(parsed))
    if not heads or any(len(h) < MIN_HEAD or not _foldable(h) for h in heads):
        return None
    return heads


def _zero_width(item) -> bool:
    """An assertion, or a group or alternation of assertions only (``(?:^|(?<=[.!?]\\s))``)."""
    op, av = item
    if op in _ZERO_WIDTH:
        return True
    if op is sre.BRANCH:
        return all(branch and all(_zero_width(x) for x in branch) for branch in av[1])
    if op is sre.SUBPATTERN:
        return bool(av[-1]) and all(_zero_width(x) for x in av[-1])
    return False


def _seq_heads(items: list) -> set[str] | None:
    """Heads of a sequence of parsed regex items (see :func:`regex_heads`). A literal prefix goes
    on into the alternation after it: ``s(?:tudies|cience)``, as the parser factors
    ``(?:studies|science)``, gives "studies" and "science", not the one letter "s"."""
    i = 0
    while i < len(items) and _zero_width(items[i]):
        i += 1
    if i == len(items):
        return None
    op, av = items[i]
    if op is sre.SUBPATTERN:
        return _seq_heads(list(av[-1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        lo, _hi, body = av
        inner = _seq_heads(list(body))
        if lo >= 1 or inner is None:
            return inner if lo >= 1 else None
        rest = _seq_heads(items[i + 1:])            # an optional prefix: either it or what follows
        return inner | rest if rest else None
    if op is sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            h = _seq_heads(list(branch))
            if not h:
                return None
            out |= h
        return out
    prefix = ""
    while i < len(items):
        c = _literal_char(items[i])
        if c is None:
            break
        prefix += c
        i += 1
    if not prefix:
        return None
    if i < len(items) and items[i][0] in (sre.BRANCH, sre.SUBPATTERN):
        rest = _seq_heads(items[i:])
        if rest:
            return {prefix + r for r in rest}
    return {prefix}


def required_literals(rx: re.Pattern) -> tuple[str, ...]:
    """Runs of literal characters that every match of ``rx`` contains (lowercased when the
    pattern ignores case): only the top-level sequence counts, and a run stops at anything that
    is not a plain literal (classes, repeats, branches, assertions), so the answer is safe. When
    one of them is missing from a text, the pattern cannot match there."""
    try:
        parsed = _parser.parse(rx.pattern, rx.flags)
    except re.error:
        return ()
    fold = bool(rx.flags & re.IGNORECASE)
    runs: list[str] = []
    run = ""
    for op, av in parsed:
        c = None
        if op is sre.LITERAL:
            c = _required_char(av, fold)
        elif op is sre.MAX_REPEAT and av[0] >= 1 and len(av[2]) == 1 and av[2][0][0] is sre.LITERAL:
            c = _required_char(av[2][0][1], fold)   # "!+": one "!" at least, then the run ends
            if c is not None:
                runs.append(run + c)
                run = ""
                continue
        if c is None:
            if run:
                runs.append(run)
            run = ""
        else:
            run += c
    if run:
        runs.append(run)
    return tuple(runs)


def _required_char(code: int, fold: bool) -> str | None:
    c = chr(code).lower() if fold else chr(code)
    return None if fold and not _foldable(c) else c


def _literal_char(item) -> str | None:
    """The lowercased character a literal (or a class like ``[Ww]``) matches, else None. Whitespace
    other than the space ends a head (candidates are searched with all whitespace as spaces)."""
    op, av = item
    if op is sre.LITERAL:
        c = chr(av)
        return None if c.isspace() and c != " " else c.lower()
    if op is sre.IN and av and all(o is sre.LITERAL for o, _ in av):
        chars = {chr(v).lower() for _, v in av}
        c = chars.pop() if len(chars) == 1 else None
        return None if c is None or c.isspace() and c != " " else c
    return None


#: (lower-cased text, the same with every whitespace character as a space), what the automaton reads
Prepared = tuple[str, str]


def prepare(text: str) -> Prepared | None:
    """The strings :meth:`WordScanner.candidates` scans, or None when lowering ``text`` is not
    position-preserving or it holds a character ``re`` folds specially (the text is then scanned
    plainly). Every whitespace character becomes a space (positions kept): a head's " " is any
    whitespace."""
    low = text.lower()
    if len(low) != len(text) or _SPECIAL_RE.search(low):
        return None
    return low, _OTHER_SPACE.sub(" ", low)


def prepare_outside(prep: Prepared | None, spans: Sequence[tuple[int, int]]) -> Prepared | None:
    """:func:`prepare` of the text with each of ``spans`` (ascending, disjoint) replaced by one
    space, from the prepared whole text: lowering is per character where :func:`prepare` gives a
    result (no final sigma, the same length), and the space is a space in both strings."""
    if prep is None:
        return None
    return cut_spans(prep[0], spans), cut_spans(prep[1], spans)


def cut_spans(s: str, spans: Sequence[tuple[int, int]]) -> str:
    """``s`` with each of ``spans`` (ascending, disjoint) replaced by one space."""
    parts, last = [], 0
    for a, b in spans:
        parts.append(s[last:a])
        parts.append(" ")
        last = b
    parts.append(s[last:])
    return "".join(parts)


def _foldable(s: str) -> bool:
    low = s.lower()
    return len(low) == len(s) and not (_SPECIAL & set(low))


class WordScanner:
    """Candidate-start scanning for a fixed list of word-list regexes (one automaton for all)."""

    def __init__(self, regexes: Sequence[re.Pattern], entries: Sequence[Sequence[str]],
                 residual: Callable[[list[str]], re.Pattern] | None = None) -> None:
        """``entries``: the word list of each regex; an empty list means "derive the heads from
        the pattern itself" (:func:`regex_heads`). ``residual`` compiles some entries of a list
        like the caller compiles the whole list, but without the lookbehind before the
        alternation: the entries whose head is too short for the automaton ("I", "$") are then
        found by that small regex, which ``re`` scans fast as it starts with their literal text
        (every match of the list through one of them is a match of it at the same start)."""
        self.regexes = list(regexes)
        self.fast = [False] * len(self.regexes)
        self._residual: list[re.Pattern | None] = [None] * len(self.regexes)
        self._automaton = ahocorasick.Automaton()
        keys: dict[str, set[int]] = {}
        for i, words in enumerate(entries):
            heads = {head(w) for w in words} if words else (regex_heads(self.regexes[i]) or set())
            if heads and all(len(h) >= MIN_HEAD and _foldable(h) for h in heads):
                self.fast[i] = True
            elif words and residual is not None:
                short = [w for w in words if not (len(head(w)) >= MIN_HEAD and _foldable(head(w)))]
                self._residual[i] = residual(short)
                self.fast[i] = True
                heads = {head(w) for w in words if w not in short}
            else:
                continue
            for h in heads:
                keys.setdefault(h, set()).add(i)
        for k, ids in keys.items():
            self._automaton.add_word(k, (len(k), tuple(sorted(ids))))
        self._empty = not keys
        if not self._empty:
            self._automaton.make_automaton()
        # patterns scanned plainly: literal text each match needs (skipped when it is absent)
        self._needs = [() if self.fast[i] else required_literals(rx) for i, rx in enumerate(self.regexes)]
        self._fold = [bool(rx.flags & re.IGNORECASE) for rx in self.regexes]

    def candidates(self, text: str, prep: Prepared | None | bool = False) -> list[list[int] | None] | None:
        """Sorted candidate starts per regex (None: scan plainly, the text does not fold safely).
        A regex scanned plainly gets None when a literal every match needs is not in the text.
        ``prep`` is :func:`prepare` of ``text`` when the caller has it (scanners of one text share it)."""
        if prep is False:
            prep = prepare(text)
        if prep is None:
            return None
        low, folded = prep
        out: list[list[int] | None] = [
            None if any(lit not in (low if fold else text) for lit in needs) else []
            for needs, fold in zip(self._needs, self._fold)]
        for end, (n, ids) in () if self._empty else self._automaton.iter(folded):
            start = end - n + 1
            for i in ids:
                out[i].append(start)
        for i, rx in enumerate(self._residual):
            found = out[i] if rx is not None else None
            if found is not None:   # every start of a match, overlapping ones too
                m = rx.search(text)
                while m is not None:
                    found.append(m.start())
                    m = rx.search(text, m.start() + 1)
        for c in out:
            if c:
                c.sort()
        return out

    def finditer(self, i: int, text: str, cands: list[list[int]] | None) -> Iterator[re.Match]:
        """The matches of regex ``i`` in ``text``, as ``finditer`` gives them."""
        rx = self.regexes[i]
        if cands is None or not self.fast[i]:
            if cands is None or cands[i] is not None:
                yield from rx.finditer(text)
            return
        pos = 0
        last = -1
        match = rx.match
        for p in cands[i]:
            if p < pos or p == last:
                continue
            last = p
            m = match(text, p)
            if m is not None:
                yield m
                pos = m.end() if m.end() > p else p + 1
