"""Events of one sentence as facts: what the candidates of the triggers become together.

A demand or threat takes the trigger after it as its content (:func:`govern`), a meeting with one
known party borrows the other from the same source's next act, a meeting or cooperation with fewer
than two parties is dropped, and two triggers of the same fact count once. Later triggers are less
sure: the first is most often the sentence's main predicate.
"""

from __future__ import annotations

from lagebild.annotate.events_lexicon import Match
from lagebild.annotate.events_text import SentenceView
from lagebild.document import Actor, Event


def combine(pairs: list[tuple[Match, Event]], sv: SentenceView) -> list[Event]:
    """The facts of one sentence from its (trigger match, candidate event) pairs, in trigger order."""
    out = govern(pairs, sv)
    complete_meetings(out)
    out = [ev for ev in out if not (ev.type in SYMMETRIC_TYPES and len(parties(ev)) < 2)]
    out = one_per_fact(out)
    for rank, ev in enumerate(out):   # the first trigger is most often the main predicate
        ev.confidence *= 0.85 ** rank
    return out


#: A meeting, agreement or cooperation needs two parties; with one known party it is not a fact we can use.
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE"})
GOVERNING = frozenset({"REQUEST", "REJECT", "THREATEN", "AGREE", "ACCUSE"})
COMPLEMENT_WINDOW = 12
BACKWARD_GOVERNING = frozenset({"ACCUSE", "REJECT"})


def govern(pairs: list[tuple[Match, Event]], sv: SentenceView) -> list[Event]:
    """"threatened to cut off ties with Iran", "forderte, die Angriffe auf Kiew einzustellen":
    a demand, refusal, threat, pledge or accusation followed closely by another trigger takes that
    trigger as its content, not as a second fact; its target fills the governing event's. An
    accusation or refusal also takes a content noun just before it in the same clause ("hat den
    Angriff auf Aleppo verurteilt"): the accused is the attacker, if named."""
    skip: set[int] = set()
    for k in range(1, len(pairs)):
        (m0, ev0), (m, ev) = pairs[k - 1], pairs[k]
        if ev.type in BACKWARD_GOVERNING and ev0.type not in GOVERNING \
                and m.first - m0.idx[-1] <= COMPLEMENT_WINDOW \
                and not any(sv.is_break(i) for i in range(m0.idx[-1] + 1, m.first)):
            skip.add(k - 1)
            if not ev.target:
                own = {a.key for a in ev.source}
                ev.target = [a for a in ev0.source if a.key not in own]
    out: list[Event] = []
    for k, (m, ev) in enumerate(pairs):
        if k in skip:
            continue
        if ev.type in GOVERNING:
            for k2 in range(k + 1, len(pairs)):
                m2, ev2 = pairs[k2]
                if m2.first - m.idx[-1] > COMPLEMENT_WINDOW:
                    break
                if not ev.target:
                    own = {a.key for a in ev.source}
                    ev.target = [a for a in (ev2.target or ev2.source) if a.key not in own]
                skip.add(k2)
                break
        out.append(ev)
    return out


def one_per_fact(events: list[Event]) -> list[Event]:
    """"sent troops to help Russia": two triggers, one fact (same type and sides) counted once."""
    seen: set[tuple] = set()
    out = []
    for ev in events:
        key = (ev.type, frozenset(a.key for a in ev.source), frozenset(a.key for a in ev.target), ev.negated,
               ev.hypothetical)
        if key not in seen:
            seen.add(key)
            out.append(ev)
    return out


def parties(ev: Event) -> set[str]:
    """Distinct parties of an event: countries, or keys of actors without one."""
    return {a.country or a.key for a in ev.source + ev.target}


def complete_meetings(events: list[Event]) -> None:
    """"Bei einem Treffen in Peking bekräftigte Kim seine Unterstützung für Russland": a meeting
    with one known participant is with the one the same source addresses in the same sentence."""
    for ev in events:
        if ev.type != "CONSULT" or len(parties(ev)) != 1:
            continue
        for other in events:
            if other is not ev and other.source == ev.source and other.target and other.type != "CONSULT":
                ev.target = list(other.target)
                ev.confidence *= 0.8
                break


def unique(actors: list[Actor]) -> list[Actor]:
    """One actor per key (the store keys event actors by role and actor key)."""
    seen: set[str] = set()
    out = []
    for a in actors:
        if a.key not in seen:
            seen.add(a.key)
            out.append(a)
    return out
