"""Name recogniser for what the KB does not know: unknown persons, organisations and places.

A linear-chain CRF (python-crfsuite, BIO labels over PER/LOC/ORG; trained by
``scripts/train_ner.py``) tags the tokens of each sentence, so span boundaries and multi-word
names ("Bundesamt für Migration") are decided jointly rather than token by token; its features
are in :mod:`lagebild.annotate.mentions_ner_features`, its decoding (numpy, a document at a time)
in :mod:`lagebild.annotate.mentions_crf`. Each span becomes a mention with actor id None.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
from functools import lru_cache
from importlib import resources
from itertools import compress
from typing import Callable, Iterable

from lagebild.annotate.mentions_crf import CrfModel
from lagebild.annotate.mentions_ner_features import (PARTICLES, Lexicons, cues, is_candidate, kb_tags,
                                                     person_gazetteer)
from lagebild.annotate.mentions_ner_scores import StateScorer
from lagebild.annotate.sentences import words as token_words
from lagebild.annotate.mentions_name_shape import NameShape
from lagebild.document import Actor, Document, Mention, Token

CLASSES = ("O", "PER", "LOC", "ORG")
KIND_OF = {"PER": "person", "LOC": "place", "ORG": "organisation"}
ROLE_OF = {"PER": "name", "LOC": "place", "ORG": "name"}
MODEL_FILE = "ner_de.json.gz"   # lexicons: HanTa POS classes, distributional contexts and clusters
CRF_FILE = "ner_de_crf.bin"     # python-crfsuite model (BIO labels)
AGENCIES_FILE = "mentions_news_agencies.txt"   # lang/de: news agencies of bylines ("( dpa )")
PERSON_TITLES_FILE = "mentions_person_titles.txt"   # lang/de: "Landesrat", "CEO" before a name
ACRONYM_ORG_P = 0.15   # P(B-ORG) above which an acronym is an organisation (scripts/cv_ner.py)
NAME_P = 0.4           # P(name label) above which a capitalised token the Viterbi path left out joins a name
                       # (recall; chosen by full-system 4-fold CV on the training sentences: scripts/cv_ner.py)


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


Span = tuple[int, int, str]


def _cut_spans(spans: list[Span], cuts_at: Callable[[int, int, int], bool]) -> list[Span]:
    """Split each span at the words where ``cuts_at(piece_start, i, span_end)`` holds; the cutting
    word belongs to neither piece, and empty pieces are dropped."""
    out = []
    for s, e, typ in spans:
        k = s
        for i in range(s, e):
            if cuts_at(k, i, e):
                if i > k:
                    out.append((k, i, typ))
                k = i + 1
        if e > k:
            out.append((k, e, typ))
    return out


def split_at_punctuation(spans: list[Span], words: list[str]) -> list[Span]:
    """Names do not run across brackets, commas or quotes ("Ernest Wolf-Gazo ) Whitehead")."""
    return _cut_spans(spans, lambda k, i, e: words[i] in _BREAKS)


#: conjunctions the tagger lets a name run across ("ÖVP und FPÖ", "BMW und Daimler" as one name)
_CONJUNCTIONS = frozenset({"und", "oder", "sowie"})


def split_at_conjunction(spans: list[Span], words: list[str]) -> list[Span]:
    """Two names joined by "und" are two names: the tagger often keeps them as one span, while only
    about 1 in 500 GermEval names holds an "und". Those are institutions whose name has a lower-case
    word before it ("Hochschule für Technik und Wirtschaft") or a truncated compound ("Volks- und
    Raiffeisenbanken"): such spans stay whole."""
    def joins_two_names(k: int, i: int, e: int) -> bool:
        after = words[i + 1][:1] if i + 1 < e else ""
        return (k < i and words[i] in _CONJUNCTIONS and (after.isupper() or after.isdigit())
                and not words[i - 1].endswith("-") and not any(w[:1].islower() for w in words[k:i]))

    return _cut_spans(spans, joins_two_names)


_NAME_LABELS = tuple(f"{b}-{t}" for t in CLASSES[1:] for b in ("B", "I"))


def add_likely_names(words: list[str], labels: list[str], tagger, threshold: float = NAME_P,
                     positions: Iterable[int] | None = None) -> None:
    """Capitalised tokens the best path labels O although some name label has marginal probability
    above ``threshold`` take that label: the Viterbi path is cautious on unseen names (precision
    .74, recall .61), and this trades a little precision for more recall. ``positions`` (in
    order) may leave out words that do not start with a capital, which are skipped anyway."""
    if threshold >= 1.0:
        return
    for k in range(len(words)) if positions is None else positions:
        w = words[k]
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



def agency_orgs(words: list[str], labels: list[str]) -> None:
    """News agencies in bylines and sources ("( dpa )", "ots", "dpa-AFX") are organisations: they
    are written in lower case or look like common acronyms, so the CRF does not see them."""
    agencies = german_words(AGENCIES_FILE)
    if agencies.isdisjoint(words):   # most sentences: no loop
        return
    for k, w in enumerate(words):
        if labels[k] == "O" and w in agencies:
            labels[k] = "B-ORG"


def cut_person_title(s: int, e: int, typ: str, words: list[str]) -> tuple[int, str]:
    """A name that begins with a person's title ("Landesrat Mayr", "CEO Rick Dudley") is the
    person after the title, and so is a name right after one: (new start, type)."""
    titles = german_words(PERSON_TITLES_FILE)
    if e - s >= 2 and words[s] in titles and words[s + 1][:1].isupper():
        return s + 1, "PER"
    if s > 0 and words[s - 1] in titles and e - s <= 3:
        return s, "PER"
    return s, typ


@lru_cache(maxsize=None)
def german_words(name: str) -> frozenset[str]:
    """A word list of ``lang/de`` (news agencies, person titles), loaded once per process."""
    from lagebild.lang import load_list

    return frozenset(load_list("de", name))


def acronym_orgs(words: list[str], labels: list[str], tagger, threshold: float = ACRONYM_ORG_P) -> None:
    """An acronym the CRF left out is an organisation unless the model is nearly sure it is not
    ("DHB", "NHL", "ICBL"; not "KI" or "DNA", listed as common-noun acronyms). Only the words
    in upper case are visited (found by ``map`` and ``compress``, without a Python step per word)."""
    for k in compress(range(len(words)), map(str.isupper, words)):
        w = words[k]
        if (labels[k] == "O" and 2 <= len(w) <= 6 and w.isupper() and w.isalpha()
                and w not in cues().not_acronyms and tagger.marginal("B-ORG", k) > threshold):
            labels[k] = "B-ORG"


class Recogniser:
    """Linear-chain CRF over the tokens of each sentence (trained by python-crfsuite, decoded by
    :mod:`lagebild.annotate.mentions_crf`); see module docstring."""

    def __init__(self, model: dict, crf_path: str) -> None:
        self.res = Lexicons(model["lexicon"], person_gazetteer(), model.get("contexts", {}), model.get("first_names", {}),
                            NameShape.from_json(model.get("name_shape")))
        self.crf_path = crf_path
        self.crf = CrfModel.load(crf_path)
        self.scorer = StateScorer(self.crf, self.res)
        self.first_names = first_names_of(self.res.gaz)   # where english_persons runs can start
        self.name_p = NAME_P            # decoding thresholds (scripts/cv_ner.py compares others)
        self.acronym_p = ACRONYM_ORG_P

    def predict(self, doc: Document, kb_mentions: list[Mention]) -> list[tuple[int, int, str, float]]:
        """(start, end, type, probability) spans of names found in the document's tokens."""
        tokens: list[Token] = doc.layers.get("tokens", [])
        if not tokens:
            return []
        words = token_words(doc).raw
        kb = kb_tags(tokens, kb_mentions)
        sent_starts = {s.start for s in doc.layers.get("sentences", [])}
        cuts = [i for i, t in enumerate(tokens) if i == 0 or t.start in sent_starts] + [len(tokens)]
        cand = list(map(is_candidate, words))
        ranges = [(a, b) for a, b in zip(cuts, cuts[1:]) if any(cand[a:b])]
        scores = self.scorer.scores([words[a:b] for a, b in ranges], [kb[a:b] for a, b in ranges],
                                    [cand[a:b] for a, b in ranges])
        decoded = self.crf.decode(scores, [b - a for a, b in ranges])
        out: list[tuple[int, int, str, float]] = []
        for (a, b), sent in zip(ranges, decoded):
            ws, labels = words[a:b], sent.labels
            # every word that starts with a capital is a candidate: the others need no visit
            add_likely_names(ws, labels, sent, self.name_p, compress(range(b - a), cand[a:b]))
            acronym_orgs(ws, labels, sent, self.acronym_p)
            agency_orgs(ws, labels)
            if labels.count("O") == len(labels):
                continue
            for s, e, typ in split_at_conjunction(split_at_punctuation(bio_spans(labels), ws), ws):
                s, typ = cut_person_title(s, e, typ, ws)
                while s < e and ws[s] in PARTICLES:
                    s += 1
                while e > s and (ws[e - 1] in PARTICLES or not ws[e - 1][:1].isalnum()):
                    e -= 1
                if s == e:
                    continue
                if typ == "PER" and e - s == 1 and "R" in self.res.gaz.get(ws[s], ""):
                    typ = "LOC"     # a listed region is never a person ("sagte Europa")
                p = sent.marginal(labels[s], s)
                out.append((tokens[a + s].start, tokens[a + e - 1].end, typ, p))
        return out

    def add_unknown(self, doc: Document, mentions: list[Mention], lang: str) -> list[Mention]:
        """The KB mentions plus recognised names that no KB mention overlaps (actor id None)."""
        if lang == "en":
            found = english_persons(doc, self.res.gaz, self.first_names)
        elif lang == "de":
            found = self.predict(doc, mentions)
        else:
            return mentions
        taken = sorted((m.start, m.end) for m in mentions)
        out = list(mentions)
        text = doc.text
        for start, end, typ, p in found:
            if _overlaps(taken, start, end):
                _widen(out, start, end, typ, text[start:end], self.res.lex)
                continue
            name = text[start:end]
            out.append(Mention(start, end, Actor(name=name, kind=KIND_OF[typ]), ROLE_OF[typ], round(p, 3)))
        return out


def english_persons(doc: Document, gaz: dict[str, str],
                    first_names: frozenset[str] | None = None) -> list[tuple[int, int, str, float]]:
    """English has no trained model here: a run of two or more capitalised words whose first word is
    a known first name ("Judge Alejandro Rivera" -> "Alejandro Rivera") is an unknown person.
    ``first_names`` (the words of ``gaz`` tagged "F", see :func:`first_names_of`) finds the words a run
    can start at without a Python step per token."""
    text = doc.text
    tokens: list[Token] = doc.layers.get("tokens", [])
    if not tokens:
        return []
    if first_names is None:
        first_names = first_names_of(gaz)
    sent_starts = {s.start for s in doc.layers.get("sentences", [])}
    out: list[tuple[int, int, str, float]] = []
    words = token_words(doc).raw
    n, after = len(tokens), 0
    for i in compress(range(n), map(first_names.__contains__, words)):
        if i < after or not words[i][0].isupper():
            continue   # inside the run found last
        j = i + 1
        while (j < n and tokens[j].start not in sent_starts and text[tokens[j].start].isupper()
               and text[tokens[j].start:tokens[j].end].replace("-", "").replace("'", "").isalpha()):
            j += 1
        if j - i >= 2:
            out.append((tokens[i].start, tokens[j - 1].end, "PER", 0.6))
            after = j
    return out


def first_names_of(gaz: dict[str, str]) -> frozenset[str]:
    """The words the gazetteer tags as first names of KB persons."""
    return frozenset(w for w, tags in gaz.items() if "F" in tags)


_TYPE_OF_KIND = {"person": "PER", "state": "LOC", "place": "LOC", "organisation": "ORG", "group": "ORG"}
_WIDEN_ROLES = frozenset({"name", "place", "metonym"})
_WORDS = re.compile(r"[^\W\d_][\w-]*")


def _widen(mentions: list[Mention], start: int, end: int, typ: str, text: str, lex: dict[str, str]) -> None:
    """A recognised name that strictly contains one KB name (besides adjectives of nationality):
    of its own type, the KB mention takes the recogniser's boundary and keeps its link ("Deutschen
    [Bundestag]"); a place inside an organisation's name gives way to the organisation ("Juventus
    [Turin]", "AS [Rom]"), and a place inside a person's name to the person ("Viviane [Reding]").
    Anything else (titles, several KB names, known persons, a common noun after the KB name:
    "Russlands [Armee]", unlike "[Universität] Wien") stays as the KB found it."""
    inside = [k for k, m in enumerate(mentions) if m.start < end and start < m.end]
    named = [k for k in inside if mentions[k].role in _WIDEN_ROLES]
    if len(named) != 1 or any(mentions[k].role != "adjective" for k in inside if k not in named):
        return
    m = mentions[named[0]]
    if (m.start < start or m.end > end or (m.start, m.end) == (start, end) or m.actor is None
            or any(mentions[k].start < start or mentions[k].end > end for k in inside)):
        return
    if any(lex.get(w.lower()) == "NN" for w in _WORDS.findall(text[m.end - start:])):
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
