"""Features of the name recogniser (:mod:`lagebild.annotate.mentions_ner`), shared by training
(``scripts/train_ner.py``) and run time so that both see exactly the same strings.

Capitalised tokens and name particles ("von", "van", "al") get rich features: the word, its shape
and suffixes, its neighbours, a part-of-speech lexicon made offline with HanTa (NE vs common noun,
so German nouns are not names), distributional contexts and word clusters from unlabelled news,
first/last names of KB persons, compound heads ("Verkehrsministerium" -> ORG) and the KB matches
around it; other tokens get a few cheap ones. Word-level features are cached per word type.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from lagebild.annotate.mentions_name_shape import NameShape
from lagebild.document import Mention, Token

PARTICLES = frozenset({"von", "van", "de", "da", "di", "del", "zu", "bin", "ibn", "al", "la", "le", "y", "vom"})
_SHAPE_MAP = str.maketrans({**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ"},
                            **{c: "x" for c in "abcdefghijklmnopqrstuvwxyzäöüß"},
                            **{c: "d" for c in "0123456789"}})
_SQUEEZE = re.compile(r"(.)\1+")
CUES_FILE = "actors_name_cues.json"
REGIONS_FILE = "actors_regions.txt"


@dataclass(frozen=True)
class Cues:
    """Type hints from ``lang/de/actors_name_cues.json``: compound heads ("Bundes|amt" -> ORG) and
    neighbouring words ("Herr" before, "GmbH" after)."""

    heads: tuple[tuple[str, str], ...]     # (suffix, type), longest first
    near: dict[str, str]                   # word -> "per<" / "loc<" / "org<" (before) or "org>" (after)
    not_acronyms: frozenset[str]           # capitals that are common nouns ("KI", "DNA", "TV")


@lru_cache(maxsize=1)
def cues() -> Cues:
    from lagebild.lang import load_json

    data = load_json("de", CUES_FILE) or {}
    heads = sorted(((h, t) for t, hs in data.get("heads", {}).items() for h in hs), key=lambda x: -len(x[0]))
    near: dict[str, str] = {}
    for key, tag in (("loc_prev", "loc<"), ("per_prev", "per<")):
        for w in data.get(key, ()):
            near[w] = tag
    for w in data.get("org_prev", ()):
        near[w] = "org<"
    for w in data.get("org_next", ()):
        near[w] = near.get(w, "") + "org>"
    return Cues(tuple(heads), near, frozenset(data.get("not_acronym_names", ())))


@lru_cache(maxsize=200_000)
def head_type(word: str) -> str:
    """The type a word's compound head suggests ('' when none): 'Verkehrsministerium' -> ORG."""
    lw = word.lower()
    for n, heads in _heads_by_length():
        t = heads.get(lw[-n:])
        if t is not None and (len(lw) > n + 2 or len(lw) == n):
            return t + ("=" if len(lw) == n else "")
    return ""


@lru_cache(maxsize=1)
def _heads_by_length() -> tuple[tuple[int, dict[str, str]], ...]:
    """The compound heads grouped by length, longest first: one dict look-up per length instead of
    ``endswith`` over every head (same answers: at one length only one head can end a word)."""
    groups: dict[int, dict[str, str]] = {}
    for h, t in cues().heads:
        groups.setdefault(len(h), {}).setdefault(h, t)
    return tuple(sorted(groups.items(), reverse=True))


@lru_cache(maxsize=200_000)
def shape(word: str) -> str:
    """'Müller' -> 'Xx', 'NATO-Chef' -> 'X-Xx': letter classes with runs squeezed, six at most."""
    return _SQUEEZE.sub(_first_group, word.translate(_SHAPE_MAP))[:6]


def _first_group(m: re.Match) -> str:
    """The replacement of ``_SQUEEZE``: the same text as the template ``\\1``, which ``re`` expands
    in Python on every match (four times slower)."""
    return m.group(1)


def kb_tags(tokens: list[Token], mentions: list[Mention]) -> list[str]:
    """Per token: the kind/role of the KB mention covering it ('' when none)."""
    tags = [""] * len(tokens)
    if not mentions:
        return tags
    j = 0
    ms = sorted(mentions, key=lambda m: m.start)
    for i, t in enumerate(tokens):
        while j < len(ms) and ms[j].end <= t.start:
            j += 1
        if j < len(ms) and ms[j].start <= t.start < ms[j].end:
            m = ms[j]
            kind = m.actor.kind if m.actor else "none"
            tags[i] = f"{kind}:{m.role}"
    return tags


@dataclass(frozen=True)
class Lexicons:
    """Type-level knowledge: HanTa POS class (lower-cased word), KB person-name parts, and the
    typical contexts of a capitalised word in unlabelled German news (distributional hints), and
    the name-or-noun model of :mod:`lagebild.annotate.mentions_name_shape`."""

    lex: dict[str, str]
    gaz: dict[str, str]
    ctx: dict[str, list[str]]
    first: dict[str, str] = dataclasses.field(default_factory=dict)   # first names: "H" common, "L" rare
    shape: NameShape = dataclasses.field(default_factory=NameShape)   # name vs common noun by its letters


def word_features(w: str, res: Lexicons) -> list[str]:
    """Features of the word itself (cacheable per word type)."""
    lex = res.lex
    lw = w.lower()
    stem = lw[:-1] if lw.endswith("s") and len(lw) > 3 else lw
    f = ["b", "w=" + w, "lw=" + lw, "s3=" + lw[-3:], "s2=" + lw[-2:], "s4=" + lw[-4:], "p3=" + lw[:3],
         "sh=" + shape(w), "lex=" + lex.get(lw, "UNK"), "lexs=" + lex.get(stem, "UNK"),
         "gz=" + res.gaz.get(w, "-"), "len=" + str(min(len(w), 12)), "fn=" + res.first.get(w, "-")]
    for c in res.ctx.get(w) or res.ctx.get(stem_cap(w)) or ("none",):
        f.append("ctx=" + c)
    if "-" in w:
        f.append("hy=" + w.rsplit("-", 1)[-1].lower()[-4:])
    f.append("hd=" + head_type(w))
    if 2 <= len(w) <= 6 and w.isupper() and w.isalpha():
        f.append("acr")
    if res.shape.weights and len(w) > 2 and lw not in lex and w.isalpha():
        f.append(res.shape.feature(w))
    return f


def context_features(words: list[str], i: int, first: bool, kb: list[str], res: Lexicons,
                     cache: dict | None = None) -> list[str]:
    """Features of the token's neighbourhood and KB matches. The features of the previous and the
    next word depend on that word alone and are cached per word type when ``cache`` is given."""
    f = around_features(words, i, kb)
    f += _cached(cache, prev_features, prev_word(words, i), res)
    f += _cached(cache, next_features, next_word(words, i), res)
    if first:
        f += first_features(words[i], res)
    return f


def prev_word(words: list[str], i: int) -> str:
    return words[i - 1] if i > 0 else "<s>"


def next_word(words: list[str], i: int) -> str:
    return words[i + 1] if i + 1 < len(words) else "</s>"


def around_features(words: list[str], i: int, kb: list[str]) -> list[str]:
    """The features of token ``i`` that depend on more than one word: KB matches around it, the
    word two back, and word pairs."""
    prev2 = words[i - 2] if i > 1 else "<s>"
    lp = prev_word(words, i).lower()
    return ["kb=" + kb[i], "pw2=" + prev2.lower(),
            "pkb=" + (kb[i - 1] if i > 0 else "<s>"), "nkb=" + (kb[i + 1] if i + 1 < len(kb) else "</s>"),
            # word pairs: the frame around the token ("in _ ,", "Herr _ sagte") and the previous
            # word with the token's shape (4-fold CV +.004, 5-fold +.005, 10-fold +.006)
            "pw|nw=" + lp + "|" + next_word(words, i).lower(), "pw|sh=" + lp + "|" + shape(words[i])]


def first_features(word: str, res: Lexicons) -> list[str]:
    """A sentence's first word: capitalised by position, so its lexicon class matters more."""
    return ["first", "first_lex=" + res.lex.get(word.lower(), "UNK")]


def _cached(cache: dict | None, make, word: str, res: Lexicons) -> list[str]:
    """``make(word, res)``, kept in ``cache`` under (make, word) when a cache is given."""
    if cache is None:
        return make(word, res)
    key = (make, word)
    out = cache.get(key)
    if out is None:
        out = cache[key] = make(word, res)
    return out


def prev_features(prev: str, res: Lexicons) -> list[str]:
    lp = prev.lower()
    f = ["pw=" + lp, "psh=" + shape(prev), "plex=" + res.lex.get(lp, "UNK"), "pgz=" + res.gaz.get(prev, "-"),
         "pfn=" + res.first.get(prev, "-"), "phd=" + head_type(prev)]
    near = cues().near
    pc = near.get(lp) or near.get(prev)
    if pc:
        f.append("pc=" + pc)
    return f


def next_features(nxt: str, res: Lexicons) -> list[str]:
    ln = nxt.lower()
    f = ["nw=" + ln, "nsh=" + shape(nxt), "nlex=" + res.lex.get(ln, "UNK"), "ngz=" + res.gaz.get(nxt, "-"),
         "nfn=" + res.first.get(nxt, "-"), "nhd=" + head_type(nxt)]
    nc = cues().near.get(nxt)
    if nc:
        f.append("nc=" + nc)
    return f


def token_features(words: list[str], i: int, first: bool, kb: list[str], res: Lexicons) -> list[str]:
    """Feature strings of token ``i`` (shared by training and run time)."""
    return word_features(words[i], res) + context_features(words, i, first, kb, res)


def stem_cap(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def is_candidate(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word in PARTICLES)


@lru_cache(maxsize=1)
def person_gazetteer() -> dict[str, str]:
    """First and last name parts of KB persons ('F' first, 'L' last), city names ('C') and regions
    ('R', with their genitive), combined ("CL": a city and a surname)."""
    from lagebild.kb.lookup import knowledge_base

    from lagebild.lang import load_list

    kb = knowledge_base()
    gaz: dict[str, str] = {name: "C" for name in kb.place_names}
    for name in load_list("de", REGIONS_FILE):
        for form in (name, name + "s") if name[-1] not in "sxzß" else (name,):
            gaz[form] = "".join(sorted(set(gaz.get(form, "") + "R")))
    for a in kb.actors:
        if a.kind != "person":
            continue
        parts = a.name.split()
        if len(parts) < 2:
            continue
        for p, tag in ((parts[0], "F"), (parts[-1], "L")):
            if len(p) > 1 and p[0].isupper():
                old = gaz.get(p, "")
                if tag not in old:
                    gaz[p] = "".join(sorted(old + tag))
    return gaz


def plain_features(w: str, res: Lexicons) -> list[str]:
    """Features of a token that cannot start a name (lower case, digits, punctuation): the CRF
    still needs them inside names ("Bundesamt [für] Migration", "Schalke [04]")."""
    lw = w.lower()
    return ["b", "lw=" + lw, "sh=" + shape(w), "lex=" + res.lex.get(lw, "UNK"), "s2=" + lw[-2:]]


def sentence_features(words: list[str], kb: list[str], res: Lexicons,
                      cache: dict[str, list[str]] | None = None) -> list[list[str]]:
    """Feature strings of every token of one sentence (shared by training and run time); word-level
    features are cached per word type when ``cache`` is given."""
    out: list[list[str]] = []
    cand = [is_candidate(w) for w in words]
    last = len(words) - 1
    for i, w in enumerate(words):
        own = cache.get(w) if cache is not None else None
        if own is None:
            own = word_features(w, res) if cand[i] else plain_features(w, res)
            if cache is not None:
                if len(cache) > 300_000:
                    cache.clear()
                cache[w] = own
        if cand[i]:
            out.append(own + context_features(words, i, i == 0, kb, res, cache))
        elif i and cand[i - 1]:
            out.append(own + after_name_features(words, i, i < last and cand[i + 1]))
        else:
            out.append(own)
    return out


def after_name_features(words: list[str], i: int, next_is_candidate: bool) -> list[str]:
    """A token after a capitalised word: inside a name? ("St . Johann", "Robert R . Livingston",
    "Schalke 04", "Bundesamt für Migration")"""
    n = "n" * next_is_candidate
    return ["ac" + n, "acsh=" + shape(words[i - 1])[:3] + n]
