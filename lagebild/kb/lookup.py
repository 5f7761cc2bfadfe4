"""The compiled actor KB at run time: loaded once per process, matched with one Aho–Corasick pass.

:func:`knowledge_base` returns the shared read-only instance. :meth:`KnowledgeBase.find` returns
the leftmost-longest alias matches of a text that sit on word boundaries (a German genitive ``s``
is allowed after names: "Russlands", "Putins"); :meth:`KnowledgeBase.holder` resolves an office
("RUS", "head_of_state") for a date ("der russische Präsident" in 2025 -> Vladimir Putin).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from lagebild import lang as langdata
from lagebild.document import Actor

ROLE_ORDER = {"name": 0, "title": 1, "metonym": 2, "adjective": 3, "demonym": 4}


@dataclass(frozen=True, slots=True)
class Entry:
    """One alias of the KB: the surface, its language ('*' = any), actor, role, place actor."""

    surface: str
    lang: str
    actor: int
    role: str
    place: int | None = None
    office: str | None = None    # for title entries


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entry: Entry


class KnowledgeBase:
    """Actors, aliases and dated offices of the compiled KB."""

    def __init__(self, data: dict) -> None:
        # the contract's `country` is an ISO 3166 alpha-3 code: an organisation key ("NATO" for its
        # secretary general) stays in the office tables but never reaches an actor's country
        iso3 = {a[3] for a in data["actors"] if a[1] == "state" and a[3] and len(a[3]) == 3}
        self.actors = [Actor(name=a[0], kind=a[1], id=a[2], country=a[3] if a[3] in iso3 else None, sector=a[4])
                       for a in data["actors"]]
        self.states: dict[str, int] = data["states"]
        self.orgs: dict[str, int] = data["orgs"]
        self.terms: dict[str, list] = data["terms"]
        self.place_names: frozenset[str] = frozenset(data.get("places", ()))
        #: a shared party name's national variants: default actor -> ISO3 -> the party of that country
        self.variants: dict[Actor, dict[str, Actor]] = {
            self.actors[int(i)]: {iso: self.actors[j] for iso, j in by_iso.items()}
            for i, by_iso in data.get("variants", {}).items()}
        self._auto = ahocorasick.Automaton()
        table: dict[str, list[Entry]] = {}
        for surface, lang, idx, role, place in data["aliases"]:
            table.setdefault(surface, []).append(Entry(surface, lang, idx, role, place))
        for code in ("de", "en"):
            for row in langdata.load_list(code, "actors_titles.tsv"):
                cols = row.split("\t")
                if len(cols) >= 3 and cols[2].strip():
                    idx = self.states.get(cols[2].strip()) or self.orgs.get(cols[2].strip())
                    for form in cols[0].split(","):
                        table.setdefault(form, []).append(Entry(form, code, idx, "title", None, cols[1].strip()))
        for surface, entries in table.items():
            self._auto.add_word(surface, tuple(entries))
        self._auto.make_automaton()

    # ------------------------------------------------------------------ matching

    def find(self, text: str, lang: str | None = None) -> list[Match]:
        """Leftmost-longest alias matches on word boundaries, for ``lang`` ('de', 'en' or None = any)."""
        cands: list[tuple[int, int, int, Match]] = []
        n = len(text)
        for end_i, entries in self._auto.iter(text):
            end = end_i + 1
            start = end - len(entries[0].surface)
            if start > 0 and text[start - 1].isalnum():
                continue
            entry = None
            for e in entries:
                if lang is None or e.lang in ("*", lang):
                    entry = e
                    break
            if entry is None:
                continue
            extended = 0
            if end < n and text[end].isalnum():
                # German genitive: "Russlands", "Putins", "Kim Jong-uns"
                if (text[end] == "s" and (end + 1 == n or not text[end + 1].isalnum())
                        and entry.role in ("name", "metonym", "place") and not entry.surface.isupper()
                        and entry.surface[-1] not in "sxzß"):
                    end += 1
                    extended = 1
                else:
                    continue
            cands.append((start, -(end - start), extended, Match(start, end, entry)))
        cands.sort(key=lambda c: c[:3])   # leftmost, longest, an exact alias before a genitive reading
        out: list[Match] = []
        last = -1
        for *_, m in cands:
            if m.start >= last:
                out.append(m)
                last = m.end
        return out

    # ------------------------------------------------------------------ offices

    def holder(self, country: str | None, office: str, date: str | None) -> Actor | None:
        """The person holding ``office`` for ``country`` (ISO3 or org key) on ``date`` (ISO, partial ok)."""
        if not country:
            return None
        terms = self.terms.get(f"{country}|{office}")
        if not terms and office == "head_of_state":
            terms = self.terms.get(f"{country}|head_of_government")
        if not terms:
            return None
        d = (date or "9999-12-31")[:10]
        if len(d) == 4:
            d += "-07-01"
        elif len(d) == 7:
            d += "-15"
        best = None
        for start, end, idx in terms:
            if (start or "0000") <= d and (end is None or end > d):
                if best is None or (start or "") > (best[0] or ""):
                    best = (start, end, idx)
        return self.actors[best[2]] if best else None

    def actor_for(self, key: str) -> Actor | None:
        """A state by ISO3 or an organisation by its curated key."""
        idx = self.states.get(key)
        if idx is None:
            idx = self.orgs.get(key)
        return self.actors[idx] if idx is not None else None

    def lookup(self, text: str, date: str | None = None, lang: str | None = None) -> list[dict]:
        """What a string resolves to (for ``lagebild kb lookup``)."""
        out = []
        for m in self.find(text, lang):
            e = m.entry
            actor = self.actors[e.actor] if e.actor is not None else None
            if e.role == "title":
                actor = self.holder(actor.country if actor else None, e.office or "", date) or actor
            item = {"text": text[m.start:m.end], "start": m.start, "end": m.end, "role": e.role,
                    "actor": actor.to_dict() if actor else None}
            if e.place is not None:
                item["place"] = self.actors[e.place].to_dict()
            out.append(item)
        return out


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The shipped KB, loaded once per process."""
    path = resources.files("lagebild.kb").joinpath("data", "kb.json.gz")
    with path.open("rb") as fh:
        data = json.loads(gzip.decompress(fh.read()).decode("utf-8"))
    return KnowledgeBase(data)
