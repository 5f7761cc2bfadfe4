"""Hand-built mentions for event tests, so the events stage is tested without the mentions stage."""

from __future__ import annotations

import re

from lagebild.annotate.sentences import SentencesStage
from lagebild.document import Actor, Document, Meta, Mention, Source

RUS = Actor("Russia", "state", "Q159", "RUS", "GOV")
PRK = Actor("North Korea", "state", "Q423", "PRK", "GOV")
UKR = Actor("Ukraine", "state", "Q212", "UKR", "GOV")
USA = Actor("United States", "state", "Q30", "USA", "GOV")
DEU = Actor("Germany", "state", "Q183", "DEU", "GOV")
FRA = Actor("France", "state", "Q142", "FRA", "GOV")
CHN = Actor("China", "state", "Q148", "CHN", "GOV")
BLR = Actor("Belarus", "state", "Q184", "BLR", "GOV")
EU = Actor("European Union", "organisation", "Q458", None, None)
NATO = Actor("NATO", "organisation", "Q7184", None, "MIL")
PUTIN = Actor("Vladimir Putin", "person", "Q7747", "RUS", "GOV")
KIM = Actor("Kim Jong-un", "person", "Q56226", "PRK", "GOV")
LUKA = Actor("Alexander Lukashenko", "person", "Q7076", "BLR", "GOV")
SCHOLZ = Actor("Olaf Scholz", "person", "Q61053", "DEU", "GOV")
ZELENSKY = Actor("Volodymyr Zelenskyy", "person", "Q3874799", "UKR", "GOV")
BEIJING = Actor("Beijing", "place", "Q956", "CHN")
PYONGYANG = Actor("Pyongyang", "place", "Q18808", "PRK")
KYIV = Actor("Kyiv", "place", "Q1899", "UKR")

#: surface pattern -> (actor, role); longest first when matching.
NAMES: dict[str, tuple[Actor, str]] = {
    "Russland": (RUS, "name"), "Russlands": (RUS, "name"), "Moskau": (RUS, "metonym"), "Kreml": (RUS, "metonym"),
    "russische Regierung": (RUS, "sector"), "russischen Regierung": (RUS, "sector"),
    "russischen Truppen": (Actor("Russia", "state", "Q159", "RUS", "MIL"), "sector"),
    "russische Armee": (Actor("Russia", "state", "Q159", "RUS", "MIL"), "sector"),
    "Nordkorea": (PRK, "name"), "Nordkoreas": (PRK, "name"), "Pjöngjang": (PRK, "metonym"),
    "nordkoreanische Einheiten": (Actor("North Korea", "state", "Q423", "PRK", "MIL"), "sector"),
    "nordkoreanische Soldaten": (Actor("North Korea", "state", "Q423", "PRK", "MIL"), "sector"),
    "Ukraine": (UKR, "name"), "Kiew": (UKR, "metonym"), "ukrainische Armee": (Actor("Ukraine", "state", "Q212", "UKR", "MIL"), "sector"),
    "USA": (USA, "name"), "Vereinigten Staaten": (USA, "name"), "Washington": (USA, "metonym"),
    "Deutschland": (DEU, "name"), "Bundesregierung": (DEU, "sector"), "Frankreich": (FRA, "name"), "Paris": (FRA, "metonym"),
    "China": (CHN, "name"), "Belarus": (BLR, "name"), "Weißrussland": (BLR, "name"),
    "EU": (EU, "name"), "Europäische Union": (EU, "name"), "Europäischen Union": (EU, "name"), "NATO": (NATO, "name"),
    "Putin": (PUTIN, "name"), "Wladimir Putin": (PUTIN, "name"), "Kim Jong-un": (KIM, "name"), "Kim": (KIM, "name"),
    "Lukaschenko": (LUKA, "name"), "Alexander Lukaschenko": (LUKA, "name"), "Scholz": (SCHOLZ, "name"), "Selenskyj": (ZELENSKY, "name"),
    "nordkoreanischer Soldaten": (Actor("North Korea", "state", "Q423", "PRK", "MIL"), "sector"),
    "Peking": (BEIJING, "place"), "chinesischen Hauptstadt": (BEIJING, "place"),
}


def mentions_for(text: str, names: dict[str, tuple[Actor, str]] | None = None,
                 place_names: frozenset[str] = frozenset()) -> list[Mention]:
    """Longest-first whole-word matches of ``names``; a place-role name is a place only after
    "in/nach/bei" etc. unless listed in ``place_names`` — otherwise it keeps its metonym role."""
    names = names or NAMES
    keys = sorted(names, key=len, reverse=True)
    rx = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")
    out = []
    for m in rx.finditer(text):
        actor, role = names[m.group(1)]
        out.append(Mention(m.start(), m.end(), actor, role))
    for m in re.finditer(r"beiden Staatschefs", text):   # what coref gives for a group reference
        out.append(Mention(m.start(), m.end(), None, "coref", members=(PUTIN, KIM)))
    return sorted(out, key=lambda m: m.start)


def make_doc(text: str, published: str | None = "2025-09-03", language: str = "de",
             names: dict[str, tuple[Actor, str]] | None = None) -> Document:
    doc = Document(text, Source("test", "text"), Meta(published=published), language=language)
    doc = SentencesStage()(doc)
    doc.mentions = mentions_for(text, names)
    return doc


def run(text: str, **kw):
    from lagebild.annotate.events import EventsStage
    return EventsStage()(make_doc(text, **kw)).events


def codes(actors) -> set[str]:
    return {a.country or a.name for a in actors}
