"""Per-language knowledge for the quotes stage, loaded once per process from ``lang/<code>/quotes_*``.

Reporting verbs are listed by infinitive in ``quotes_verbs.txt``; their inflected forms are generated
here (regular paradigms) so the data file stays short and readable. Separable German verbs
("teilte ... mit") keep their particle, which must close the clause for the cue to count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lagebild import lang as langdata

_INSEPARABLE = ("be", "ge", "er", "ver", "zer", "ent", "emp", "miss", "über", "unter", "hinter", "wider")


@dataclass(frozen=True)
class Lexicon:
    """Everything language-specific the quotes stage needs, as lowercase lookup sets."""

    language: str
    verb_forms: dict[str, str]                 # finite or participle form -> infinitive
    particle_of: dict[str, frozenset[str]]     # separated finite form -> particles that complete it
    openers: dict[str, tuple[str, ...]]        # quotation mark -> its closers
    strict: frozenset[str] = frozenset()       # marks that open only before a word, after a space
    cues: dict = field(default_factory=dict)   # the quotes_cues.json table (sets of lowercase words)

    def __post_init__(self) -> None:
        # ``words`` is asked some 700 times a page: per instance it is the C-level look-up of a copy
        # of ``cues`` that answers a missing key with an empty set (the method below, without a frame)
        object.__setattr__(self, "words", _Sets(self.cues).__getitem__)

    def words(self, key: str) -> frozenset[str]:
        return self.cues.get(key, frozenset())

    def phrases(self, key: str) -> tuple[tuple[str, ...], ...]:
        return self.cues.get(key, ())


class _Sets(dict):
    """``cues`` with an empty set for a missing key (not stored: the table stays as loaded)."""

    def __missing__(self, key: str) -> frozenset[str]:
        return frozenset()


def _weak_forms_de(inf: str) -> list[str]:
    stem = inf[:-2] if inf.endswith("en") else inf[:-1]
    e = "e" if stem.endswith(("d", "t")) or stem.endswith(("chn", "ffn", "gn")) else ""
    forms = [stem + "e", stem + "st", stem + e + "t", inf, stem + e + "te", stem + e + "ten", stem + e + "tet"]
    forms.append(stem + e + "t" if inf.startswith(_INSEPARABLE) or inf.endswith("ieren") else "ge" + stem + e + "t")
    return forms


def _present_forms_de(inf: str) -> list[str]:
    stem = inf[:-2] if inf.endswith("en") else inf[:-1]
    e = "e" if stem.endswith(("d", "t")) else ""
    return [stem + "e", stem + e + "t"]


def _regular_forms_en(inf: str) -> list[str]:
    base = inf[:-1] if inf.endswith("e") else inf
    third = inf + "es" if inf.endswith(("s", "sh", "ch", "x", "z")) else inf + "s"
    return [inf, third, base + "ed", base + "ing"]


def _parse_verbs(language: str) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    forms: dict[str, str] = {}
    particles: dict[str, set[str]] = {}
    for line in langdata.load_list(language, "quotes_verbs.txt"):
        head, _, extra = line.partition(":")
        head = head.strip()
        particle, _, inf = head.rpartition("|")
        irregular = extra.split()
        if language == "de":
            # strong verbs: the irregular forms, plus the regular present of the first person and the
            # plural ("ich sehe", "ihr seht") that the listed third-person forms leave out
            generated = _present_forms_de(inf) if irregular else _weak_forms_de(inf)
            finite = generated + irregular + ([inf] if irregular else [])
        else:
            finite = irregular + [inf] + ([] if irregular else _regular_forms_en(inf))
        for f in finite:
            f = f.lower()
            if particle:
                particles.setdefault(f, set()).add(particle)
                joined = particle + f
                forms[joined] = inf
                if f.startswith("ge") and len(f) > 4:
                    forms[particle + f] = inf
            else:
                forms[f] = inf
        if particle and language == "de":
            forms[particle + "zu" + inf] = inf
    return forms, {k: frozenset(v) for k, v in particles.items()}


@lru_cache(maxsize=None)
def lexicon(language: str | None) -> Lexicon:
    """The lexicon for ``language``; unknown languages fall back to English knowledge (then German)."""
    code = language if language and langdata.has(language, "quotes_cues.json") else "en"
    raw = langdata.load_json(code, "quotes_cues.json")
    cues: dict = {}
    for key, value in raw.items():
        if key.startswith("_"):
            continue
        if isinstance(value, dict):
            cues[key] = {k.lower(): v for k, v in value.items()}
        elif value and isinstance(value[0], list):
            cues[key] = tuple(tuple(w.lower() for w in p) for p in value)
        else:
            cues[key] = frozenset(w.lower() for w in value)
    table = langdata.load_json(code, "quotes_marks.json")
    marks = table.get("pairs", {})
    forms, particles = _parse_verbs(code)
    return Lexicon(code, forms, particles, {k: tuple(v) for k, v in marks.items()},
                   frozenset(table.get("strict_openers", ())), cues)


MODEL_DIR = Path(__file__).resolve().parent / "data"


def read_weights(filename: str) -> dict | None:
    """A shipped JSON weight file of the quotes models (``annotate/data``), or None when absent."""
    path = MODEL_DIR / filename
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
