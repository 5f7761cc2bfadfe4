"""Name recogniser for what the KB does not know: unknown persons, organisations and places.

A linear-chain CRF (python-crfsuite, BIO labels over PER/LOC/ORG; trained by
``scripts/train_ner.py``) tags the tokens of each sentence, so span boundaries and multi-word
names ("Bundesamt für Migration") are decided jointly rather than token by token. Capitalised
tokens and name particles ("von", "van", "al") get rich features: the word, its shape and
suffixes, its neighbours, a part-of-speech lexicon made offline with HanTa (NE vs common noun, so
German nouns are not names), distributional contexts and word clusters from unlabelled news,
first/last names of KB persons and the KB matches around it; other tokens get a few cheap ones.
Word-level features are cached per word type. Each span becomes a mention with actor id None.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


from lagebild.document import Actor, Document, Mention, Token

CLASSES = ("O", "PER", "LOC", "ORG")
KIND_OF = {"PER": "person", "LOC": "place", "ORG": "organisation"}
ROLE_OF = {"PER": "name", "LOC": "place", "ORG": "name"}
PARTICLES = frozenset({"von", "van", "de", "da", "di", "del", "zu", "bin", "ibn", "al", "la", "le", "y", "vom"})
_SHAPE_MAP = str.maketrans({**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ"},
                            **{c: "x" for c in "abcdefghijklmnopqrstuvwxyzäöüß"},
                            **{c: "d" for c in "0123456789"}})
_SQUEEZE = re.compile(r"(.)\1+")
MODEL_FILE = "ner_de.json.gz"   # lexicons: HanTa POS classes, distributional contexts and clusters
CRF_FILE = "ner_de_crf.bin"     # python-crfsuite model (BIO labels)
ACRONYM_ORG_P = 0.15   # P(B-ORG) above which an acronym is an organisation (4-fold CV over the training sentences)
NAME_P = 0.35          # P(name label) above which a capitalised token the Viterbi path left out joins a name
                       # (recall: chosen by 4-fold cross-validation over the training sentences)
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
    return _SQUEEZE.sub(r"\1", word.translate(_SHAPE_MAP))[:6]


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
    typical contexts of a capitalised word in unlabelled German news (distributional hints)."""

    lex: dict[str, str]
    gaz: dict[str, str]
    ctx: dict[str, list[str]]
    first: dict[str, str] = dataclasses.field(default_factory=dict)   # first names: "H" common, "L" rare


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
    return f


def context_features(words: list[str], i: int, first: bool, kb: list[str], res: Lexicons) -> list[str]:
    """Features of the token's neighbourhood and KB matches."""
    lex, gaz = res.lex, res.gaz
    prev = words[i - 1] if i > 0 else "<s>"
    nxt = words[i + 1] if i + 1 < len(words) else "</s>"
    prev2 = words[i - 2] if i > 1 else "<s>"
    lp, ln = prev.lower(), nxt.lower()
    f = ["kb=" + kb[i], "pw=" + lp, "nw=" + ln, "pw2=" + prev2.lower(),
         "psh=" + shape(prev), "nsh=" + shape(nxt),
         "plex=" + lex.get(lp, "UNK"), "nlex=" + lex.get(ln, "UNK"),
         "pkb=" + (kb[i - 1] if i > 0 else "<s>"), "nkb=" + (kb[i + 1] if i + 1 < len(kb) else "</s>"),
         "pgz=" + gaz.get(prev, "-"), "ngz=" + gaz.get(nxt, "-"),
         "pfn=" + res.first.get(prev, "-"), "nfn=" + res.first.get(nxt, "-"),
         "nhd=" + head_type(nxt), "phd=" + head_type(prev),
         ]
    near = cues().near
    pc = near.get(lp) or near.get(prev)
    if pc:
        f.append("pc=" + pc)
    nc = near.get(nxt)
    if nc:
        f.append("nc=" + nc)
    if first:
        f.append("first")
        f.append("first_lex=" + lex.get(words[i].lower(), "UNK"))
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
    for i, w in enumerate(words):
        own = cache.get(w) if cache is not None else None
        if own is None:
            own = word_features(w, res) if is_candidate(w) else plain_features(w, res)
            if cache is not None:
                if len(cache) > 300_000:
                    cache.clear()
                cache[w] = own
        if is_candidate(w):
            out.append(own + context_features(words, i, i == 0, kb, res))
        else:
            out.append(own)
    return out


def bio_spans(labels: list[str]) -> list[tuple[int, int, str]]:
    """Token spans [start, end) with type from BIO or BILOU labels (an I- or L- after O or another
    type opens a span; U- and L- close one)."""
    out: list[tuple[int, int, str]] = []
    cur: list | None = None
    for i, lab in enumerate(labels):
        bio, _, typ = lab.partition("-")
        if cur is not None and (bio in ("B", "U", "O") or typ != cur[2]):
            out.append((cur[0], i, cur[2]))
            cur = None
        if bio != "O":
            if cur is None:
                cur = [i, i + 1, typ]
            if bio in ("U", "L"):
                out.append((cur[0], i + 1, typ))
                cur = None
    if cur is not None:
        out.append((cur[0], len(labels), cur[2]))
    return out


_BREAKS = frozenset('()[]{},;:"\'«»„“”‚‘’')


def split_at_punctuation(spans: list[tuple[int, int, str]], words: list[str]) -> list[tuple[int, int, str]]:
    """Names do not run across brackets, commas or quotes ("Ernest Wolf-Gazo ) Whitehead")."""
    out = []
    for s, e, typ in spans:
        k = s
        for i in range(s, e):
            if words[i] in _BREAKS:
                if i > k:
                    out.append((k, i, typ))
                k = i + 1
        if e > k:
            out.append((k, e, typ))
    return out


def add_likely_names(words: list[str], labels: list[str], tagger, threshold: float = NAME_P) -> None:
    """Capitalised tokens the best path labels O although some name label has marginal probability
    above ``threshold`` take that label: the Viterbi path is cautious on unseen names (precision
    .74, recall .61), and this trades a little precision for more recall."""
    if threshold >= 1.0:
        return
    for k, w in enumerate(words):
        if labels[k] != "O" or not w[:1].isupper() or 1.0 - tagger.marginal("O", k) <= threshold:
            continue   # (no single name label can pass when all of them together do not)
        best, best_p = "", threshold
        for lab in _NAME_LABELS:
            p = tagger.marginal(lab, k)
            if p > best_p:
                best, best_p = lab, p
        if best:
            typ = best[2:]
            inside = best[0] == "I" and k > 0 and labels[k - 1].endswith(typ)
            labels[k] = ("I-" if inside else "B-") + typ


_NAME_LABELS = tuple(f"{b}-{t}" for t in ("PER", "LOC", "ORG") for b in ("B", "I"))


def acronym_orgs(words: list[str], labels: list[str], tagger) -> None:
    """An acronym the CRF left out is an organisation unless the model is nearly sure it is not
    ("DHB", "NHL", "ICBL"; not "KI" or "DNA", listed as common-noun acronyms)."""
    for k, w in enumerate(words):
        if (labels[k] == "O" and 2 <= len(w) <= 6 and w.isupper() and w.isalpha()
                and w not in cues().not_acronyms and tagger.marginal("B-ORG", k) > ACRONYM_ORG_P):
            labels[k] = "B-ORG"


class Recogniser:
    """Linear-chain CRF (python-crfsuite) over the tokens of each sentence; see module docstring."""

    def __init__(self, model: dict, crf_path: str) -> None:
        import pycrfsuite

        self.res = Lexicons(model["lexicon"], person_gazetteer(), model.get("contexts", {}), model.get("first_names", {}))
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(crf_path)
        self._cache: dict[str, list[str]] = {}
        self.name_p = float(model.get("name_p", NAME_P))

    def predict(self, doc: Document, kb_mentions: list[Mention]) -> list[tuple[int, int, str, float]]:
        """(start, end, type, probability) spans of names found in the document's tokens."""
        text = doc.text
        tokens: list[Token] = doc.layers.get("tokens", [])
        if not tokens:
            return []
        words = [text[t.start:t.end] for t in tokens]
        kb = kb_tags(tokens, kb_mentions)
        sent_starts = {s.start for s in doc.layers.get("sentences", [])}
        cuts = [i for i, t in enumerate(tokens) if i == 0 or t.start in sent_starts] + [len(tokens)]
        out: list[tuple[int, int, str, float]] = []
        tagger = self.tagger
        for a, b in zip(cuts, cuts[1:]):
            ws = words[a:b]
            if not any(is_candidate(w) for w in ws):
                continue
            labels = tagger.tag(sentence_features(ws, kb[a:b], self.res, self._cache))
            add_likely_names(ws, labels, tagger, self.name_p)
            acronym_orgs(ws, labels, tagger)
            if all(lab == "O" for lab in labels):
                continue
            for s, e, typ in split_at_punctuation(bio_spans(labels), ws):
                while s < e and ws[s] in PARTICLES:
                    s += 1
                while e > s and (ws[e - 1] in PARTICLES or not ws[e - 1][:1].isalnum()):
                    e -= 1
                if s == e:
                    continue
                if typ == "PER" and e - s == 1 and "R" in self.res.gaz.get(ws[s], ""):
                    typ = "LOC"     # a listed region is never a person ("sagte Europa")
                p = tagger.marginal(labels[s], s)
                out.append((tokens[a + s].start, tokens[a + e - 1].end, typ, p))
        return out

    def add_unknown(self, doc: Document, mentions: list[Mention], lang: str) -> list[Mention]:
        """The KB mentions plus recognised names that no KB mention overlaps (actor id None)."""
        if lang == "en":
            found = english_persons(doc, self.res.gaz)
        elif lang == "de":
            found = self.predict(doc, mentions)
        else:
            return mentions
        taken = sorted((m.start, m.end) for m in mentions)
        out = list(mentions)
        text = doc.text
        for start, end, typ, p in found:
            if _overlaps(taken, start, end):
                _widen(out, start, end, typ, text[start:end])
                continue
            name = text[start:end]
            out.append(Mention(start, end, Actor(name=name, kind=KIND_OF[typ]), ROLE_OF[typ], round(p, 3)))
        return out


def english_persons(doc: Document, gaz: dict[str, str]) -> list[tuple[int, int, str, float]]:
    """English has no trained model here: a run of two or more capitalised words whose first word is
    a known first name ("Judge Alejandro Rivera" -> "Alejandro Rivera") is an unknown person."""
    text = doc.text
    tokens: list[Token] = doc.layers.get("tokens", [])
    sent_starts = {s.start for s in doc.layers.get("sentences", [])}
    out: list[tuple[int, int, str, float]] = []
    i, n = 0, len(tokens)
    while i < n:
        w = text[tokens[i].start:tokens[i].end]
        if "F" in gaz.get(w, "") and w[0].isupper():
            j = i + 1
            while (j < n and tokens[j].start not in sent_starts and text[tokens[j].start].isupper()
                   and text[tokens[j].start:tokens[j].end].replace("-", "").replace("'", "").isalpha()):
                j += 1
            if j - i >= 2:
                out.append((tokens[i].start, tokens[j - 1].end, "PER", 0.6))
                i = j
                continue
        i += 1
    return out


_TYPE_OF_KIND = {"person": "PER", "state": "LOC", "place": "LOC", "organisation": "ORG", "group": "ORG"}
_WIDEN_ROLES = frozenset({"name", "place", "metonym"})


def _widen(mentions: list[Mention], start: int, end: int, typ: str, text: str) -> None:
    """A recognised name that strictly contains one KB name (besides adjectives of nationality):
    of its own type, the KB mention takes the recogniser's boundary and keeps its link ("Deutschen
    [Bundestag]"); a place inside an organisation's name gives way to the organisation ("Juventus
    [Turin]", "AS [Rom]"), and a place inside a person's name to the person ("Viviane [Reding]").
    Anything else (titles, several KB names, known persons) stays as the KB found it."""
    inside = [k for k, m in enumerate(mentions) if m.start < end and start < m.end]
    named = [k for k in inside if mentions[k].role in _WIDEN_ROLES]
    if len(named) != 1 or any(mentions[k].role != "adjective" for k in inside if k not in named):
        return
    m = mentions[named[0]]
    if (m.start < start or m.end > end or (m.start, m.end) == (start, end) or m.actor is None
            or any(mentions[k].start < start or mentions[k].end > end for k in inside)):
        return
    if _TYPE_OF_KIND.get(m.actor.kind) == typ:
        mentions[named[0]] = dataclasses.replace(m, start=start, end=end)
    elif typ == "ORG" and m.actor.kind in ("state", "place"):
        mentions[named[0]] = Mention(start, end, Actor(name=text, kind="organisation"), "name", 0.5)
    elif typ == "PER" and m.actor.kind == "place" and m.role == "place" and " " in text:
        mentions[named[0]] = Mention(start, end, Actor(name=text, kind="person"), "name", 0.5)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    import bisect

    i = bisect.bisect_left(spans, (start, -1))
    for j in (i - 1, i, i + 1):
        if 0 <= j < len(spans) and spans[j][0] < end and start < spans[j][1]:
            return True
    return False


@lru_cache(maxsize=1)
def recogniser() -> Recogniser | None:
    """The shipped recogniser, loaded once per process (None when a model file is absent)."""
    data = resources.files("lagebild.kb").joinpath("data")
    path, crf = data.joinpath(MODEL_FILE), data.joinpath(CRF_FILE)
    if not path.is_file() or not crf.is_file():
        return None
    with path.open("rb") as fh:
        model = json.loads(gzip.decompress(fh.read()).decode("utf-8"))
    return Recogniser(model, str(crf))
