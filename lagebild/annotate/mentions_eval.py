"""NER evaluation of the mentions stage: GermEval 2014 and Europarl readers, span scoring.

A sentence is rebuilt as text by joining its tokens with single spaces; mentions are mapped to
PER/LOC/ORG (person -> PER, state/place -> LOC, organisation/group -> ORG). Only name-like mentions
count (roles name, metonym, place, coref, and unknown names); adjectives, sector phrases, titles
and compounds ("NATO-Staaten") are GermEval's *deriv / *part (OTH) and are not predicted as entities.

Strict = exact outer spans of PER/LOC/ORG (the GermEval standard, deriv/part ignored);
lenient = a prediction counts when it overlaps a gold entity of the same type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from lagebild.document import Document, Meta, Source

TYPE_OF_KIND = {"person": "PER", "state": "LOC", "place": "LOC", "organisation": "ORG", "group": "ORG"}
NAME_ROLES = {"name", "metonym", "place", "coref"}
GERMEVAL_SPLIT = 1760   # sentences [0, 1760) train the name recogniser; [1760, 2200) are held out


@dataclass
class Sentence:
    tokens: list[str]
    gold: list[tuple[int, int, str]]            # token spans [start, end) with type
    tags: list[str] = field(default_factory=list)  # per-token outer tag (for training)


def _spans(tags: list[str], keep: Callable[[str], str | None]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    cur: list | None = None
    for i, tag in enumerate(tags + ["O"]):
        bio, _, typ = tag.partition("-")
        t = keep(typ) if tag != "O" else None
        if cur is not None and (bio != "I" or t != cur[2]):
            out.append((cur[0], i, cur[2]))
            cur = None
        if t is not None and (bio == "B" or cur is None):
            if cur is None:
                cur = [i, i + 1, t]
    return out


def read_germeval(path: Path) -> list[Sentence]:
    """Sentences with outer PER/LOC/ORG spans (deriv/part and OTH dropped)."""
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if toks:
                sents.append(Sentence(toks, _spans(tags, lambda t: t if t in ("PER", "LOC", "ORG") else None), tags))
            toks, tags = [], []
            continue
        cols = line.split("\t")
        toks.append(cols[1])
        tags.append(cols[2])
    return sents


def read_europarl(path: Path) -> list[Sentence]:
    """Europarl (CoNLL-style IO tags: PER/LOC/ORG/MISC/O); MISC dropped."""
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if toks:
                bio = []
                for i, t in enumerate(tags):
                    bio.append("O" if t == "O" else ("I-" if i and tags[i - 1] == t else "B-") + t)
                sents.append(Sentence(toks, _spans(bio, lambda t: t if t in ("PER", "LOC", "ORG") else None), bio))
            toks, tags = [], []
            continue
        cols = line.split(" ")
        toks.append(cols[0])
        tags.append(cols[-1])
    return sents


def as_document(sent: Sentence, lang: str = "de") -> tuple[Document, list[int]]:
    """A document of the space-joined tokens, and each token's start offset."""
    starts, pos = [], 0
    for t in sent.tokens:
        starts.append(pos)
        pos += len(t) + 1
    doc = Document(" ".join(sent.tokens), Source("ner", "text"), Meta(), language=lang)
    return doc, starts


_EDGE_PUNCT = ".,;:!?*@#-–\"'„“”‚‘’"   # GermEval tokens that keep punctuation: "II.", "FDP-", "@Paul"


def predicted_spans(doc: Document, starts: list[int], tokens: list[str]) -> list[tuple[int, int, str]]:
    """Token spans [start, end) with type of the name-like mentions that align to tokens. A mention
    aligns to a token when it covers the token's text with or without the punctuation the gold
    tokeniser left on its edges (our tokens split "II." and "FDP-")."""
    compounds = doc.layers.get("mentions_compound", set())
    index: dict[int, int] = {}
    ends: dict[int, int] = {}
    for i, (s, t) in enumerate(zip(starts, tokens)):
        core = t.strip(_EDGE_PUNCT)
        index[s], ends[s + len(t)] = i, i + 1
        if core and core != t:
            lead = len(t) - len(t.lstrip(_EDGE_PUNCT))
            index.setdefault(s + lead, i)
            ends.setdefault(s + lead + len(core), i + 1)
    out = []
    for m in doc.mentions:
        if m.actor is None or m.role not in NAME_ROLES or (m.start, m.end) in compounds:
            continue
        typ = TYPE_OF_KIND.get(m.actor.kind)
        if typ and m.start in index and m.end in ends:
            out.append((index[m.start], ends[m.end], typ))
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    ltp: int = 0   # lenient matches of predictions
    lfn: int = 0

    def add(self, gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]) -> None:
        g, p = set(gold), set(pred)
        self.tp += len(g & p)
        self.fp += len(p - g)
        self.fn += len(g - p)
        self.ltp += sum(1 for a in p if any(b[2] == a[2] and b[0] < a[1] and a[0] < b[1] for b in g))
        self.lfn += sum(1 for b in g if not any(b[2] == a[2] and b[0] < a[1] and a[0] < b[1] for a in p))

    @property
    def f1(self) -> float:
        return 2 * self.tp / max(1, 2 * self.tp + self.fp + self.fn)

    @property
    def lenient_f1(self) -> float:
        prec = self.ltp / max(1, self.tp + self.fp)
        rec = 1 - self.lfn / max(1, self.tp + self.fn)
        return 2 * prec * rec / max(1e-9, prec + rec)

    def as_dict(self) -> dict:
        p = self.tp / max(1, self.tp + self.fp)
        r = self.tp / max(1, self.tp + self.fn)
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(self.f1, 4),
                "lenient_f1": round(self.lenient_f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def evaluate(sents: Iterable[Sentence], annotate: Callable[[Document], Document], lang: str = "de") -> dict:
    """Strict and lenient scores overall and per type."""
    total = Score()
    per = {t: Score() for t in ("PER", "LOC", "ORG")}
    for s in sents:
        doc, starts = as_document(s, lang)
        annotate(doc)
        pred = predicted_spans(doc, starts, s.tokens)
        total.add(s.gold, pred)
        for t, sc in per.items():
            sc.add([x for x in s.gold if x[2] == t], [x for x in pred if x[2] == t])
    return {"all": total.as_dict(), **{t: sc.as_dict() for t, sc in per.items()}}
