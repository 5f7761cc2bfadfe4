"""Places in events: the location of an event, and places that stand for their state
("eine Einladung nach Pjöngjang", "Russland griff Saporischschja an", "die Regierung in Kiew")."""

from __future__ import annotations

from functools import lru_cache

from lagebild import lang as langdata
from lagebild.annotate.events_text import SentenceView
from lagebild.document import Actor, Location, Mention


def location_of(places, clause: tuple[int, int], sv: SentenceView, language: str) -> Location | None:
    """The first place mention after a locative preposition ("in Peking", "in der chinesischen
    Hauptstadt"), preferring one inside the trigger's clause."""
    loc_preps = location_preps(language)
    best = None
    for i, j, m in places:
        if any(sv.words[k] in loc_preps for k in range(max(0, i - 3), i)):
            inside = clause[0] <= i < clause[1]
            if best is None or (inside and not best[0]):
                best = (inside, m)
    if best is None:
        return None
    a = best[1].actor
    if a is None:
        return Location(sv_text(sv, best[1]), None, None)
    if a.kind != "place":    # "in der chinesischen Hauptstadt": the adjective gives the country
        return Location(a.name, a.id if a.kind == "state" else None, a.country)
    return Location(a.name, a.id, a.country)


def sv_text(sv: SentenceView, m: Mention) -> str:
    i, j = sv.word_range(m.start, m.end)
    return " ".join(sv.raw[i:j])


def location_preps(language: str) -> frozenset[str]:
    return frozenset(langdata.load_json(language, "events_grammar.json").get("location_prepositions", []))


@lru_cache(maxsize=None)
def place_target_types(language: str) -> frozenset[str]:
    return frozenset(langdata.load_json(language, "events_grammar.json").get("place_target_types", []))


def place_target(places, clause: tuple[int, int], source: list[Actor]) -> list[Actor]:
    """"Russland griff Saporischschja an": an attacked or seized place stands for its state."""
    own = {a.country for a in source}
    for i, j, m in places:
        if clause[0] <= i < clause[1] and m.actor and m.actor.country and m.actor.country not in own:
            return [state_actor(m.actor.country)]
    return []


def place_actor(places, preps: frozenset[str], sv: SentenceView, clause: tuple[int, int]) -> list[Actor]:
    """"eine Einladung nach Pjöngjang": the state of a place stands for its government as source."""
    for i, j, m in places:
        if i > 0 and sv.words[i - 1] in preps and m.actor and m.actor.country:
            return [state_actor(m.actor.country)]
    return []


def state_actor(code: str) -> Actor:
    """The KB's state actor for an ISO3 code (a bare code actor if the KB is not available)."""
    try:
        from lagebild.kb.lookup import knowledge_base
        actor = knowledge_base().actor_for(code)
    except (ImportError, OSError, FileNotFoundError):
        actor = None
    return actor or Actor(name=code, kind="state", id=None, country=code)
