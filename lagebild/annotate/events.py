"""Stage ``events``: who met, pledged, fought, sanctioned or threatened whom, when and where.

Per sentence: find trigger words with the language's lexicon (verbs, nominalisations,
support-verb constructions -> PLOVER type + mode; :mod:`events_lexicon`), take the actor mentions
of the sentence (the mentions/coref layers), give them roles for each trigger
(:mod:`events_roles`), then date (:mod:`events_dates`), location (place mentions after "in"/"bei"),
negation and hypothetical flags (:mod:`events_modality`) and a confidence.

Precision before volume: a trigger without any actor in its clause gives no event, and a sentence
without actor mentions is not even matched; a noun trigger needs an actor attached to it, and a
meeting or cooperation needs two parties. Negated and hypothetical events are *emitted with their
flag* (so a reader sees "Russland dementierte, Waffen geliefert zu haben"), and the relations
graph and the evaluation count them as non-facts (excluded by default).

Decisions that follow PLOVER rather than surface grammar:

* an announced cooperative act ("wird ... liefern", "will provide", "bereit, ... zu") is AGREE, an
  announced hostile act THREATEN: the statement of intent is the fact (not hypothetical);
* a negated agreement or pledge ("stimmte nicht zu", "will not accept") is a REJECT, not a negated AGREE;
* a demand, refusal, threat, pledge or accusation takes the trigger that follows it as its content
  (one event, "threatened to break ties with X" is THREATEN -> X), and an accusation or refusal
  also the content noun just before it ("hat den Angriff auf Aleppo verurteilt");
* conditionals, modals and speculation ("falls", "könnte", "dürfte", "unwahrscheinlich", "could")
  make an event hypothetical; denials and negation particles make it negated.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

from lagebild import lang as langdata
from lagebild.annotate.events_dates import resolve as resolve_date
from lagebild.annotate.events_lexicon import Match, lexicon, select
from lagebild.annotate.events_merge import combine, unique
from lagebild.annotate.events_modality import flags as modality_flags
from lagebild.annotate.events_places import (location_of, location_preps, place_actor, place_target,
                                             place_target_types, state_actor)
from lagebild.annotate.events_roles import Group, Roles, assign, grammar, make_groups
from lagebild.annotate.events_text import SentenceView, view, view_of
from lagebild.annotate.sentences import words
from lagebild.document import Actor, Document, Event, Mention, Span
from lagebild.pipeline import stage
from lagebild.settings import Settings

INTENT_TYPES = frozenset({"AGREE", "REQUEST", "THREATEN"})


@lru_cache(maxsize=None)
def intent_rules(language: str) -> tuple[frozenset[str], int, frozenset[str], frozenset[str]]:
    """(cues, window, cooperative types, hostile types) for statements of intent."""
    d = langdata.load_json(language, "events_grammar.json")
    return (frozenset(d.get("intent_cues", [])), int(d.get("intent_window", 4)),
            frozenset(d.get("cooperative_types", [])), frozenset(d.get("hostile_types", [])))


def intent_type(sv: "SentenceView", idx: list[int], clause: tuple[int, int], typ: str, language: str) -> str | None:
    """PLOVER codes an announced cooperative act ("wird ... liefern", "will provide", "pledged to
    send") as AGREE, an announced hostile act as THREATEN: the event that happened is the
    statement of intent. None when no intent cue precedes the trigger in its clause."""
    cues, window, coop, hostile = intent_rules(language)
    if typ not in coop and typ not in hostile:
        return None
    lo = max(clause[0], idx[0] - window)
    if cues.isdisjoint(sv.words[lo:idx[0]]):
        return None
    return "AGREE" if typ in coop else "THREATEN"


def sector_nouns(language: str) -> dict[str, str]:
    return langdata.load_json(language, "events_grammar.json").get("sector_nouns", {})


def actors_of(m: Mention, sv: SentenceView, nouns: dict[str, str]) -> list[Actor]:
    """The actors a mention stands for: group members ("beide Staatschefs") or its actor; a state
    adjective before a military noun ("nordkoreanische Soldaten") gets that sector."""
    actors = list(m.members) if m.members else ([m.actor] if m.actor else [])
    if not actors:
        return []
    i, j = sv.word_range(m.start, m.end)
    sector = None
    for w in sv.words[max(i, j - 1):min(j + 1, len(sv.words))]:
        sector = sector or nouns.get(w)
    if sector:
        actors = [a if a.sector else Actor(a.name, a.kind, a.id, a.country, sector) for a in actors]
    return actors


class EventsStage:
    name = "events"
    requires = ("sentences", "mentions")
    adds = ("events",)

    def __call__(self, doc: Document) -> Document:
        language = trigger_language(doc.language)
        mentions = sorted(doc.mentions, key=lambda m: m.start)
        starts = [m.start for m in mentions]
        events: list[Event] = []
        for s in doc.sentences:
            lo = bisect.bisect_left(starts, s.start)
            hi = bisect.bisect_left(starts, s.end)
            if lo == hi:
                continue   # no mention: no actor
            ms = outermost([m for m in mentions[lo:hi] if m.end <= s.end])
            if not any(m.role != "place" and (m.actor or m.members) for m in ms):
                continue
            events.extend(sentence_events(doc, s.start, s.end, ms, language))
        doc.events = events
        return doc


@lru_cache(maxsize=None)
def trigger_language(language: str | None) -> str | None:
    """``language`` when it has a trigger file, else English: a file-system test once per language,
    not once per document (it cost about 5% of the stage)."""
    return language if langdata.has(language or "", "events_triggers.json") else "en"


def speaker_spans(doc: Document, sv: SentenceView, language: str) -> list[tuple[int, int, list[Actor]]]:
    """Inside a quote, "wir"/"we" is the speaker's state and "ich"/"I" the speaker: "womit wir
    Russland helfen können", said by Kim Jong-un, is North Korea helping Russia."""
    if not doc.quotes:
        return []
    d = langdata.load_json(language, "events_grammar.json")
    plural, singular = set(d.get("first_person_plural", ())), set(d.get("first_person_singular", ()))
    out = []
    for q in doc.quotes:
        sp = q.speaker
        if sp is None or sp.actor is None or q.end <= sv.start or q.start >= sv.end:
            continue
        for k, w in enumerate(sv.words):
            if q.start <= sv.starts[k] < q.end and (w in plural or w in singular):
                a = sp.actor
                if w in plural and a.kind == "person" and a.country:
                    a = state_actor(a.country)
                out.append((k, k + 1, [a]))
    return out


def outermost(ms: list[Mention]) -> list[Mention]:
    """Nested mentions ("der weißrussische Präsident" holding "weißrussische" and "Präsident") count
    once, as the outer span: its reading of the whole phrase wins."""
    out: list[Mention] = []
    for m in sorted(ms, key=lambda x: (x.start, -x.end)):
        if out and m.start >= out[-1].start and m.end <= out[-1].end:
            continue
        out.append(m)
    return out


def sentence_events(doc: Document, start: int, end: int, ms: list[Mention], language: str) -> list[Event]:
    """Events of one sentence with its mentions (see the module docstring)."""
    text = doc.text
    sv = view_of(words(doc), start, end) if doc.layers.get("tokens") else view(text, start, end)
    matches = select(lexicon(language).find(sv.words))
    if not matches:
        return []
    g = grammar(language)
    nouns = sector_nouns(language)
    spans, places = [], []
    loc_preps = location_preps(language)
    for m in ms:
        i, j = sv.word_range(m.start, m.end)
        if j < len(sv.words) and sv.words[j] in g.attribution:
            continue        # "nach südkoreanischen Angaben": who reports, not who acts
        if m.role == "place" or (m.actor and m.actor.kind == "place" and not m.members):
            if i >= 2 and m.actor and m.actor.country and sv.words[i - 1] in loc_preps \
                    and sv.words[i - 2] in g.head_nouns_of:
                spans.append((i - 2, j, [state_actor(m.actor.country)]))   # "die Regierung in Kiew"
            places.append((i, j, m))
            continue
        if m.role == "adjective" and m.actor and m.actor.kind == "state" and j < len(sv.words) \
                and sv.raw[j][:1].isupper() and sv.words[j] not in nouns \
                and any(sv.words[k] in loc_preps for k in range(max(0, i - 2), i)):
            places.append((i, j, m))   # "in der chinesischen Hauptstadt": a place, not an actor
            continue
        acts = actors_of(m, sv, nouns)
        if acts:
            spans.append((i, j, acts))
    spans = sorted(spans + speaker_spans(doc, sv, language), key=lambda x: x[0])
    spans = _drop_possessors(spans, sv)
    stop = frozenset(i for m in matches for i in m.idx)
    groups = make_groups(spans, sv.words, g, sv.raw, stop)
    pairs: list[tuple[Match, Event]] = []
    for match in matches:
        ev = _event(match, groups, places, sv, g, language)
        if ev is not None:
            pairs.append((match, ev))
    if pairs:   # the sentence's date only where it has events
        date = resolve_date(text[start:end], language, doc.meta.published)
        for _, ev in pairs:
            ev.date = date
    return combine(pairs, sv)


def _drop_possessors(spans: list[tuple[int, int, list[Actor]]], sv: SentenceView) -> list[tuple[int, int, list[Actor]]]:
    """"Nordkoreas Machthaber Kim Jong-un": a genitive state right before a person names no second actor."""
    out = []
    for k, (i, j, acts) in enumerate(spans):
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        last = sv.raw[j - 1] if j - 1 < len(sv.raw) else ""
        if nxt and 1 <= nxt[0] - j <= 2 and any(a.kind == "person" for a in nxt[2]) \
                and (last.endswith("s") or (j < len(sv.words) and sv.words[j] in ("'s", "’s"))) \
                and all(sv.raw[x][:1].isupper() for x in range(j, nxt[0]) if sv.words[x] not in ("'s", "’s")):
            continue
        out.append((i, j, acts))
    return out


def _event(match: Match, groups: list[Group], places, sv: SentenceView, g, language: str) -> Event | None:
    e = match.entry
    if e.type == "NONE":
        return None
    idx = match.idx
    if len(idx) == 1 and attributive(sv, idx[0], g, language):
        return None
    if e.verb_only and idx[0] > 0 and sv.words[idx[0] - 1] in determiners(language):
        return None
    clause = sv.clause(idx)
    nominal = language == "de" and idx[0] > 0 and all(sv.raw[k][:1].isupper() for k in idx)
    usable = [x for x in groups if not _inside(x, idx)]
    if nominal and not e.sym and not _attached(usable, idx):
        return None     # "nach dem Anschlag in Istanbul": a bare noun whose actors are elsewhere
    roles = reported_roles(usable, idx) if e.rep else assign(usable, idx, e, sv.words, clause, g, nominal)
    conf = e.conf
    if roles is None or not roles.source:     # no subject in the clause: the whole sentence, less sure
        wide = assign(usable, idx, e, sv.words, (0, len(sv.words)), g, nominal)
        if wide is not None and wide.certain:
            roles, conf = wide, conf * 0.8
    if roles is not None and roles.source and not roles.target:
        if e.tp:        # "reiste nach Moskau", "feuerte Raketen auf Odessa": the place after the entry's preposition
            roles.target = place_target([p for p in places if p[0] > 0 and sv.words[p[0] - 1] in e.tp],
                                         clause, roles.source)
        if not roles.target and e.type in place_target_types(language):
            roles.target = place_target(places, clause, roles.source)
        roles.certain = bool(roles.target)
    if (roles is None or not roles.source) and e.type in place_source(language)[0]:
        roles = protest_roles(roles, usable, places, clause, sv, language)
    if roles is None or not (roles.source or roles.target):
        return None
    if not roles.source and e.sp:
        roles.source = place_actor(places, e.sp, sv, clause)
    if not roles.certain:
        if nominal and not e.sym:
            return None     # a bare noun ("eine Drohung") with one actor is too weak a fact
        conf *= 0.7
    typ = e.type
    announced = intent_type(sv, idx, clause, typ, language)
    if announced:
        typ = announced
    neg, hyp = modality_flags(sv.words, clause, language, set(idx), typ in INTENT_TYPES)
    if neg and typ == "AGREE":     # "will not accept", "stimmte nicht zu": a refusal is a REJECT
        typ, neg = "REJECT", False
    first, last = idx[0], idx[-1]
    t_start = sv.starts[first]
    t_end = sv.ends[last] if sv.ends[last] - t_start <= 40 else sv.ends[first]
    return Event(type=typ, source=unique(roles.source), target=unique(roles.target), trigger=Span(t_start, t_end),
                 sentence=Span(sv.start, sv.end), mode=e.mode, location=location_of(places, clause, sv, language),
                 negated=neg, hypothetical=hyp, confidence=conf)


@lru_cache(maxsize=None)
def place_source(language: str) -> tuple[frozenset[str], frozenset[str]]:
    d = langdata.load_json(language, "events_grammar.json")
    return frozenset(d.get("place_source_types", [])), frozenset(d.get("place_source_prepositions", []))


def protest_roles(roles, groups: list[Group], places, clause: tuple[int, int], sv: SentenceView, language: str):
    """"Tausende protestierten in Tiflis gegen die Regierung", "students throughout Indonesia staged
    demonstrations": protesters without a named actor are the people of the place."""
    _, preps = place_source(language)
    lo, hi = clause
    src: list[Actor] = []
    for x in groups:
        if lo <= x.start < hi and x.prep in preps:
            src = [state_actor(a.country) if a.country else a for a in x.actors]
            break
    if not src:
        for i, j, m in places:
            if lo <= i < hi and i > 0 and sv.words[i - 1] in preps and m.actor and m.actor.country:
                src = [state_actor(m.actor.country)]
                break
    if not src:
        return roles
    tgt = roles.target if roles is not None else []
    return Roles(src, tgt, bool(tgt))


@lru_cache(maxsize=None)
def determiners(language: str) -> frozenset[str]:
    return frozenset(langdata.load_json(language, "events_grammar.json").get("determiners", []))


def attributive(sv: SentenceView, i: int, g, language: str) -> bool:
    """German participles used as adjectives name no event: "sechs inhaftierte Oppositionsführer",
    "des besetzten Westjordanlandes" (lower-case trigger between an article/number and a noun)."""
    quantifiers = langdata.load_json(language, "events_grammar.json").get("attributive_participles")
    if not quantifiers:     # the list of quantifiers that may stand before such an adjective; absent: off
        return False
    raw = sv.raw
    if not raw[i][:1].islower() or i + 1 >= len(raw) or not raw[i + 1][:1].isupper():
        return False
    prev = sv.words[i - 1] if i > 0 else ""
    return prev in g.skippable or prev.isdigit() or prev in quantifiers


def reported_roles(groups: list[Group], idx: list[int]):
    """"Russia said Sudan must return the helicopter": the speaker demands, the one who must is the target."""
    before = [x for x in groups if x.end <= idx[0] and x.prep is None]
    if len(before) < 2:
        return None
    src, tgt = before[0].actors, before[-1].actors
    return Roles(list(src), [a for a in tgt if a not in src], True)


def _attached(groups: list[Group], idx: list[int]) -> bool:
    """An actor right at a noun trigger: before it ("Moskaus Unterstützung") or within a few words
    after it ("die Unterstützung des Westens", "der Angriff auf Kiew")."""
    return any(idx[0] - 2 <= x.end <= idx[0] or idx[-1] < x.start <= idx[-1] + 4 for x in groups)


def _inside(x: Group, idx: list[int]) -> bool:
    return any(x.start <= i < x.end for i in idx)


@stage("events", requires=["sentences", "mentions"], adds=["events"])
def make_events(settings: Settings) -> EventsStage:
    """PLOVER events (type, mode, source/target actors, date, location, negation, modality) per sentence."""
    return EventsStage()
