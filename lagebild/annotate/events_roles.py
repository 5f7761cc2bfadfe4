"""Who did what to whom: actor groups of a sentence and their roles for one trigger.

Mentions are merged into *groups* (coordination "Russland und Nordkorea", "X, Y and Z"); a group
carries the preposition in front of it ("gegen", "mit", "against", ...) and a case hint from the
article ("den", "dem" mark an object in German). Roles then follow the trigger entry:
target prepositions (``tp``), source prepositions (``sp``, and the passive agent "von"/"by"),
``inv`` entries whose subject is the target ("erhielt eine Einladung"), and symmetric entries
whose participants are all the bare and "mit"/"zwischen" groups. Word order differs by language:
German takes the first bare nominative-compatible group of the clause as subject (V2 main clause,
verb-final subordinate clause and inversion alike); English the last bare group before the trigger.
Function words per language are in ``lang/<xx>/events_grammar.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from lagebild import lang as langdata
from lagebild.document import Actor


@dataclass(slots=True)
class Group:
    start: int                  # word index of the first mention
    end: int                    # word index after the last mention
    actors: list[Actor]
    prep: str | None = None
    oblique: bool = False       # marked as an object by its article
    genitive: bool = False      # "der beiden Staatschefs" after a noun trigger


@dataclass(frozen=True, slots=True)
class Grammar:
    preps: frozenset[str]
    oblique_articles: frozenset[str]
    genitive_articles: frozenset[str]
    skippable: frozenset[str]   # articles, possessives, quantifiers between a preposition and a mention
    coord: frozenset[str]
    passive_aux: frozenset[str]
    agent_preps: frozenset[str]
    symmetric_preps: frozenset[str]
    partner_preps: frozenset[str]
    subject_before: bool        # English: the subject is the last bare group before the trigger
    aux_before_only: bool       # English: the passive auxiliary precedes the participle
    reflexive: frozenset[str] = field(default=frozenset())
    type_tp: dict[str, frozenset[str]] = field(default_factory=dict)   # default target prepositions per type
    head_nouns_of: frozenset[str] = field(default=frozenset())          # "leaders of X": look through "of"
    attribution: frozenset[str] = field(default=frozenset())            # "nach Angaben Seouls": a source of news
    adjective_endings: tuple[str, ...] = ()   # lower-case words skipped before a mention (any, if empty)
    quantifier_pairs: frozenset[tuple[str, str]] = frozenset()   # "at least three", "bis zu 16"
    articles: frozenset[str] = frozenset()    # may follow a conjunction: "Israel und die Hamas"
    participle_endings: tuple[str, ...] = ()   # English: a passive needs a participle ("was attacked")
    irregular_participles: frozenset[str] = frozenset()
    fallback_target: bool = False   # no marked target: the next actor after the trigger in the clause


@lru_cache(maxsize=None)
def grammar(language: str) -> Grammar:
    d = langdata.load_json(language, "events_grammar.json") or langdata.load_json("en", "events_grammar.json")
    fs = lambda k: frozenset(w.lower() for w in d.get(k, []))  # noqa: E731
    return Grammar(fs("prepositions"), fs("oblique_articles"), fs("genitive_articles"), fs("skippable"),
                   fs("coordination"), fs("passive_aux"), fs("agent_prepositions"), fs("symmetric_prepositions"),
                   fs("partner_prepositions"), bool(d.get("subject_before_trigger")),
                   bool(d.get("passive_aux_before_only")), fs("reflexive"),
                   {k: frozenset(v) for k, v in d.get("type_target_prepositions", {}).items()}, fs("head_nouns_of"),
                   fs("attribution_nouns"), tuple(d.get("adjective_endings", ())),
                   frozenset(tuple(p) for p in d.get("quantifier_pairs", [])), fs("articles"),
                   tuple(d.get("participle_endings", ())), fs("irregular_participles"), bool(d.get("fallback_target")))


def make_groups(spans: list[tuple[int, int, list[Actor]]], words: list[str], g: Grammar,
                raw: list[str] | None = None, stop: frozenset[int] = frozenset()) -> list[Group]:
    """Merge coordinated mentions and read the preposition/article in front of each group.

    ``spans`` are (first word, end word, actors) per actor mention, in order; ``raw`` the words in
    their original case (a lower-case word may be an adjective between preposition and mention);
    ``stop`` the word indexes of triggers, which the look-back never crosses."""
    raw = raw or words
    groups: list[Group] = []
    for start, end, actors in spans:
        if groups:
            prev = groups[-1]
            between = words[prev.end:start]
            if between and all(w in g.coord or w in g.articles for w in between) \
                    and any(w in g.coord and w not in {",", ";"} for w in between) \
                    or (between and all(w == "," for w in between)):
                prev.end = end
                prev.actors.extend(a for a in actors if a not in prev.actors)
                continue
            if not between and _same(prev.actors, actors):   # "Nordkoreas Machthaber" + "Kim Jong-un"
                prev.end = end
                prev.actors.extend(a for a in actors if a not in prev.actors)
                continue
        grp = Group(start, end, list(actors))
        j = start - 1
        hops = 0
        while j >= 0 and hops < 4:
            w = words[j]
            if w in g.oblique_articles and hops == 0:
                grp.oblique = True
            if (w in g.genitive_articles or w == "of") and j > 0 and words[j - 1] in g.head_nouns_of:
                j -= 2              # "gegen die Regierung der Ukraine": look through the head noun
                hops += 1
                continue
            if w in g.preps:
                if w == "of" and j > 0 and words[j - 1] in g.head_nouns_of:
                    j -= 2          # "talks with leaders of Romania": the preposition before the head noun
                    hops += 1
                    continue
                grp.prep = w
                break
            if j in stop:
                break
            if j > 0 and (words[j - 1], w) in g.quantifier_pairs:
                j -= 2
                continue
            if w in g.attribution and hops <= 1:
                grp.prep = "laut"       # who reports, not who acts
                break
            if w in g.skippable or (raw[j].isalpha() and raw[j].islower() and hops < 2 and w not in g.coord
                                    and (not g.adjective_endings or w.endswith(g.adjective_endings))):
                j -= 1
                hops += 1
                continue
            break
        groups.append(grp)
    return groups


def _same(a: list[Actor], b: list[Actor]) -> bool:
    keys = {x.key for x in a} | {x.country for x in a if x.country}
    return any(x.key in keys or (x.country and x.country in keys) for x in b)


def is_passive(words: list[str], trig: int, clause: tuple[int, int], g: Grammar, nominal: bool) -> bool:
    """A passive auxiliary with a verbal trigger: "wurde ... angegriffen", "dass ... angegriffen wurde",
    "was attacked" (English: the auxiliary within three words before a non -ing trigger)."""
    if nominal:
        return False
    lo, hi = clause
    if g.aux_before_only:
        w = words[trig]
        participle = w in g.irregular_participles or (bool(g.participle_endings) and w.endswith(g.participle_endings))
        return participle and not g.passive_aux.isdisjoint(words[max(lo, trig - 3):trig])
    return not g.passive_aux.isdisjoint(words[lo:hi])   # one set test, not a step per word


@dataclass(slots=True)
class Roles:
    source: list[Actor]
    target: list[Actor]
    certain: bool


def assign(groups: list[Group], idx: list[int], entry, words: list[str], clause: tuple[int, int],
           g: Grammar, nominal: bool = False) -> Roles | None:
    """Source and target actors for a trigger at word indexes ``idx`` (see the module docstring)."""
    lo, hi = clause
    trig = idx[0]
    gs = [x for x in groups if lo <= x.start < hi]
    if not gs:
        return None
    for x in gs:   # "das Treffen der beiden Staatschefs": a genitive right after a noun trigger
        x.genitive = x.prep is None and x.start >= 2 and words[x.start - 1] in g.genitive_articles \
            and x.start - 2 == idx[-1]
    passive = is_passive(words, trig, clause, g, nominal)
    source: list[Group] = []
    target: list[Group] = []
    partners: list[Group] = []
    bare: list[Group] = []
    for x in gs:
        if x.prep is None:
            bare.append(x)
        elif x.prep in entry.sp or (passive and x.prep in g.agent_preps):
            source.append(x)
        elif x.prep in entry.tp or x.prep in g.type_tp.get(entry.type, ()):
            target.append(x)
        elif x.prep in g.symmetric_preps or (entry.sym and x.prep in g.partner_preps):
            partners.append(x)
    if passive and not entry.inv:
        target.extend(b for b in bare if not b.genitive)
        bare = [b for b in bare if b.genitive] if not source else []
    subject, objects = _subject(bare, trig, g)
    if g.subject_before:   # English: one object, the first after the verb; the nearest marked target
        objects = [o for o in objects if o.start > trig][:1]
        after = [t for t in target if t.start > trig]
        target = after[:1] or target[-1:]
    if entry.inv:
        if subject:
            target.insert(0, subject)
        target.extend(o for o in objects if o not in target and not source)
        if not source:
            source.extend(o for o in objects if o not in target)
    else:
        if subject and not source:
            source.append(subject)
        elif subject:
            target.insert(0, subject)
        target.extend(o for o in objects)
    if entry.sym:
        parts = _actors(source + partners + target)
        if partners and source and not target:
            return Roles(_actors(source), _actors(partners), True)
        if source and target and not partners:
            return Roles(_actors(source), _actors(target), True)
        if len(parts) >= 2:
            return Roles(parts, list(parts), True)
        return Roles(parts, [], False) if parts else None
    if not source and not target:
        return None
    if g.fallback_target and source and not target and not entry.sym:
        own = {a.country or a.key for x in source for a in x.actors}
        later = [x for x in gs if x.start > trig and x.prep not in ("laut",) and x not in source
                 and any((a.country or a.key) not in own for a in x.actors)]
        if later:       # "lifted a curfew in Montenegro", "rejected calls by Belarus": less sure
            src = _actors(source)
            return Roles(src, [a for a in later[0].actors if a not in src], False)
    src = _actors(source)
    tgt = [a for a in _actors(target) if a not in src] or []
    return Roles(src, tgt, bool(src) and bool(tgt))


def _subject(bare: list[Group], trig: int, g: Grammar) -> tuple[Group | None, list[Group]]:
    if not bare:
        return None, []
    if g.subject_before:
        before = [b for b in bare if b.start < trig and not b.oblique]
        subj = before[-1] if before else next((b for b in bare if not b.oblique), None)
    else:
        nominal = [b for b in bare if not b.oblique and not b.genitive]
        subj = nominal[0] if nominal else None
        if subj is None:
            gen = [b for b in bare if b.genitive]
            subj = gen[0] if gen else None
    return subj, [b for b in bare if b is not subj]


def _actors(groups: list[Group]) -> list[Actor]:
    out: list[Actor] = []
    for x in groups:
        for a in x.actors:
            if a not in out:
                out.append(a)
    return out
