"""Stage ``mentions``: every actor mention with offsets, linked to the KB where possible.

One Aho–Corasick pass over the text finds names, adjectives of nationality, capitals, seats of
power and titles (:mod:`lagebild.kb.lookup`); small look-arounds on the neighbouring words then
decide the role: "in Peking" is a place, "Peking drohte" the government (metonym); "der russische
Präsident" and "Nordkoreas Machthaber" are titles resolved to the office holder on the article's
date (or to the name that follows); "nordkoreanische Soldaten" is North Korea with sector MIL;
"NATO-Staaten" extends the name to the compound. Unknown persons, organisations and places come
from the name recogniser (:mod:`lagebild.annotate.mentions_ner`) with actor id None.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from lagebild.annotate.mentions_rules import LangRules, article_date, rules
from lagebild.document import Actor, Document, Mention
from lagebild.kb.lookup import KnowledgeBase, Match, knowledge_base
from lagebild.pipeline import stage
from lagebild.settings import Settings

_WORD = re.compile(r"[ \t]*([^\W\d_][\w.'’]*(?:-[\w]+)*)")
_TWO_WORDS = re.compile(r"[ \t]*([^\W\d_][\w.'’]*[ \t]+[^\W\d_][\w'’]*)")
_PREV_WORD = re.compile(r"([^\W\d_]+)[ \t]*$")
_CLAUSE_END = re.compile(r"[.;:!?–—]")
_COMPOUND_TAIL = re.compile(r"-([^\W\d_][\w]*)")
_GOV = "GOV"


def next_title(text: str, pos: int, lr: LangRules) -> tuple[int, str] | None:
    """(end, office) when a title word follows at ``pos`` (two-word titles first)."""
    m = _TWO_WORDS.match(text, pos)
    if m and m.group(1) in lr.titles:
        return m.end(), lr.titles[m.group(1)]
    m = _WORD.match(text, pos)
    if m:
        w = m.group(1).rstrip(".")
        if w in lr.titles:
            return m.start(1) + len(w), lr.titles[w]
    return None


def next_sector(text: str, pos: int, lr: LangRules) -> tuple[int, str] | None:
    m = _TWO_WORDS.match(text, pos)
    if m and m.group(1) in lr.sectors:
        return m.end(), lr.sectors[m.group(1)]
    m = _WORD.match(text, pos)
    if m and m.group(1) in lr.sectors:
        return m.end(), lr.sectors[m.group(1)]
    return None


def with_article(text: str, start: int, lr: LangRules) -> int:
    m = _PREV_WORD.search(text, max(0, start - 8), start)
    if m and m.group(1) in lr.articles:
        return m.start(1)
    return start


def is_place(text: str, m: Match, lr: LangRules) -> bool:
    """A capital or seat after a locative preposition is a place, unless the clause reacts ("in
    Washington für Nervosität sorgen")."""
    prev = _PREV_WORD.search(text, max(0, m.start - 12), m.start)
    if not prev or prev.group(1).lower() not in lr.place_preps:
        return False
    tail = text[m.end:m.end + 100]
    cut = _CLAUSE_END.search(tail)
    words = set(re.findall(r"\w+", tail[:cut.start()] if cut else tail))
    return not (words & lr.reaction)


class MentionFinder:
    """Turns KB matches into mentions for one document."""

    def __init__(self, kb: KnowledgeBase, settings: Settings) -> None:
        self.kb = kb
        self.settings = settings

    def __call__(self, text: str, lang: str, date: str) -> tuple[list[Mention], set[tuple[int, int]]]:
        kb, lr = self.kb, rules(lang)
        matches = kb.find(text, lang)
        out: list[Mention] = []
        compounds: set[tuple[int, int]] = set()
        skip_until = -1
        for i, m in enumerate(matches):
            if m.start < skip_until:
                continue
            e = m.entry
            base = kb.actors[e.actor] if e.actor is not None else None
            following = matches[i + 1] if i + 1 < len(matches) else None
            if e.role == "title":
                actor = self._person_after(text, m.end, following) or self._holder(base, e.office, date)
                out.append(Mention(with_article(text, m.start, lr), m.end, actor, "title", 0.9))
                continue
            if base is None:
                continue
            if e.role == "place":
                out.append(Mention(m.start, m.end, base, "place", 0.9))
                continue
            if e.role == "metonym":
                if e.place is not None and is_place(text, m, lr):
                    out.append(Mention(m.start, m.end, kb.actors[e.place], "place"))
                else:
                    actor = base if base.sector or base.kind != "state" else dataclasses.replace(base, sector=_GOV)
                    out.append(Mention(m.start, m.end, actor, "metonym", 0.9))
                continue
            end = m.end
            tail = _COMPOUND_TAIL.match(text, end)
            if tail and not (following and following.start == tail.start(1)):
                word = tail.group(1)
                if word in lr.titles:
                    actor = self._person_after(text, tail.end(), following) or self._holder(base, lr.titles[word], date)
                    out.append(Mention(with_article(text, m.start, lr), tail.end(), actor, "title", 0.9))
                    continue
                if base.kind in ("state", "organisation", "group") and e.role in ("name", "adjective"):
                    compounds.add((m.start, tail.end()))
                    out.append(Mention(m.start, tail.end(), base, e.role if e.role == "name" else "adjective", 0.8))
                    continue
            if base.kind == "state" and e.role in ("name", "adjective", "demonym"):
                title = next_title(text, end, lr)
                if title and (e.role != "name" or text[end - 1] == "s" or lang == "en"):
                    actor = self._person_after(text, title[0], following) or self._holder(base, title[1], date)
                    start = with_article(text, m.start, lr) if e.role != "name" else m.start
                    out.append(Mention(start, title[0], actor, "title", 0.9))
                    # the state itself is named too (nested): "der [weißrussische] Präsident"
                    out.append(Mention(m.start, end, base, "adjective" if e.role != "name" else "name", 0.9))
                    continue
                if e.role in ("adjective", "demonym"):
                    sector = next_sector(text, end, lr) if e.role == "adjective" else None
                    if sector:
                        out.append(Mention(m.start, sector[0], dataclasses.replace(base, sector=sector[1]), "sector", 0.85))
                        skip_until = sector[0]
                    else:
                        out.append(Mention(m.start, end, base, "adjective", 0.9))
                    continue
            out.append(Mention(m.start, end, base, "name"))
        return out, compounds

    def _holder(self, base: Actor | None, office: str | None, date: str) -> Actor | None:
        if base is None or office is None:
            return None
        key = base.country if base.kind == "state" else self._org_key(base)
        return self.kb.holder(key, office, date)

    def _org_key(self, actor: Actor) -> str | None:
        for key, idx in self.kb.orgs.items():
            if self.kb.actors[idx] is actor or self.kb.actors[idx] == actor:
                return key
        return None

    def _person_after(self, text: str, pos: int, following: Match | None) -> Actor | None:
        """The person named right after a title ("Präsident Alexander Lukaschenko")."""
        if following is None or following.start - pos > 2 or text[pos:following.start].strip():
            return None
        actor = self.kb.actors[following.entry.actor] if following.entry.actor is not None else None
        return actor if actor is not None and actor.kind == "person" else None


def home_country(mentions: list[Mention], variants: dict[Actor, dict[str, Actor]]) -> str | None:
    """The country the document's mentions name most (states, places, parties, persons), ignoring
    actors with national variants; None on a tie."""
    counts = Counter(m.actor.country for m in mentions
                     if m.actor is not None and m.actor.country and m.actor not in variants)
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


def localise(mentions: list[Mention], variants: dict[Actor, dict[str, Actor]]) -> list[Mention]:
    """A shared party name ("die Grünen", "FDP", "SVP") means the party of the document's home
    country when that country has one (curated ``party_variants.tsv``)."""
    if not variants or not any(m.actor in variants for m in mentions):
        return mentions
    home = home_country(mentions, variants)
    if home is None:
        return mentions
    out = []
    for m in mentions:
        variant = variants.get(m.actor, {}).get(home) if m.actor is not None else None
        out.append(dataclasses.replace(m, actor=variant) if variant is not None else m)
    return out


class MentionsStage:
    name = "mentions"
    requires = ("sentences", "language")
    adds = ("mentions",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.finder = MentionFinder(knowledge_base(), settings)
        from lagebild.annotate.mentions_ner import recogniser

        self.ner = recogniser()

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        lang = doc.language if doc.language in ("de", "en") else "de"
        date = article_date(doc.meta.published, text, self.settings.reference_date)
        doc.layers["mentions_date"] = date
        mentions, compounds = self.finder(text, lang, date)
        if self.ner is not None:
            mentions = self.ner.add_unknown(doc, mentions, doc.language or lang)
        mentions.sort(key=lambda x: (x.start, x.end))
        doc.mentions = localise(mentions, self.finder.kb.variants)
        doc.layers["mentions_compound"] = compounds
        return doc


@stage("mentions", requires=["sentences", "language"], adds=["mentions"])
def make_mentions(settings: Settings) -> MentionsStage:
    """Find actor mentions (KB names, adjectives, capitals, titles; unknown names) and link them."""
    return MentionsStage(settings)
