"""Read the Phoenix / PETRARCH2 actor dictionaries into the KB (persons, IGOs, armed groups).

Only multi-word names are taken as aliases (a bare surname or acronym from these lists is too
ambiguous for German and English news); title-prefixed synonyms ("PRESIDENT_VLADIMIR_PUTIN")
are left to the title rules of the mentions stage.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from lagebild.kb.build import KB

CODE = re.compile(r"\[([A-Z~]{3,15})(?:\s+([<>]?\d{6,8})(?:-(\d{6,8}))?)?\]")
TITLE_WORDS = {"PRESIDENT", "PRIME", "MINISTER", "KING", "QUEEN", "SHEIKH", "GENERAL", "GEN", "DR",
               "MR", "MRS", "SECRETARY", "FOREIGN", "DEFENSE", "DEFENCE", "CHIEF", "SENATOR", "SEN",
               "GOVERNOR", "AMBASSADOR", "CHAIRMAN", "LEADER", "PREMIER", "EMIR", "SULTAN", "PRINCE",
               "CROWN", "COL", "COLONEL", "MAJOR", "THE", "AYATOLLAH", "PRES", "VICE", "DEPUTY",
               "FORMER", "US", "U.S.", "RUSSIAN", "CHANCELLOR", "SPEAKER", "REP", "JUSTICE", "JUDGE"}
ORG_WORDS = re.compile(r"ORGANI[SZ]ATION|UNION|COUNCIL|BANK|FUND|ASSOCIATION|COMMITTEE|AGENCY|NATIONS|"
                       r"COMMISSION|PARLIAMENT|COURT|LEAGUE|FORUM|GROUP|PROGRAM|FOUNDATION|INSTITUTE|"
                       r"FEDERATION|CONFERENCE|OFFICE|TRIBUNAL|MOVEMENT|ALLIANCE|COMMUNITY|PARTY|FRONT|"
                       r"ARMY|BRIGADE|NETWORK|CORPORATION|COMPANY|INTERNATIONAL|WATCH|CROSS|CRESCENT|"
                       r"MISSION|FORCE|BOARD|TREATY|SECRETARIAT|ASSEMBLY|CENTER|CENTRE|AUTHORITY")
BUSINESS = re.compile(r"_(INC|LTD|CORP|CO|PLC|AG|SA|LLC|GROUP|HOLDINGS?)\b|_(INC|LTD|CORP|CO|PLC|AG|SA|LLC)_?$")
SMALL = {"of", "the", "and", "for", "in", "on", "de", "la", "du", "des", "al", "el", "bin", "ibn", "von", "van", "der"}


def pretty(raw: str) -> str:
    """``KIM_JONG-UN_`` -> ``Kim Jong-un``; short single words stay upper case (acronyms)."""
    words = [w for w in raw.strip("_ +").split("_") if w]
    if len(words) == 1 and len(words[0]) <= 6:
        return words[0]
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        if re.fullmatch(r"[IVX]+", w):
            out.append(w)
        else:
            out.append(lw if i and lw in SMALL else w[:1] + w[1:].lower())
    return " ".join(out)


def entries(path: Path) -> Iterator[tuple[list[str], list[tuple[str, str | None, str | None]], str]]:
    """Yield (names, codes, comment) per dictionary entry."""
    names: list[str] = []
    codes: list[tuple[str, str | None, str | None]] = []
    comment = ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        body, _, note = line.partition("#")
        if line.startswith(("\t", " ")) or body.strip().startswith("["):
            codes.extend((m.group(1), m.group(2), m.group(3)) for m in CODE.finditer(body))
            continue
        if body.startswith("+"):
            names.append(body[1:].split("[")[0].strip())
            codes.extend((m.group(1), m.group(2), m.group(3)) for m in CODE.finditer(body))
            continue
        if names:
            yield names, codes, comment
        names, codes, comment = [body.split("[")[0].strip()], [], note.strip()
        codes.extend((m.group(1), m.group(2), m.group(3)) for m in CODE.finditer(body))
    if names:
        yield names, codes, comment


def good_alias(raw: str) -> bool:
    words = [w for w in raw.strip("_ ").split("_") if w]
    return 2 <= len(words) <= 5 and words[0].upper() not in TITLE_WORDS and all(
        re.fullmatch(r"[A-Z][A-Z'.-]*", w) for w in words)


def add_all(kb: "KB", folder: Path) -> None:
    from lagebild.kb.build import fold

    for names, codes, comment in entries(folder / "Phoenix.Countries.actors.txt"):
        if "CountryInfo" not in comment or not codes:
            continue
        code = codes[-1][0]
        if len(code) < 3 or not code[:3].isalpha():
            continue
        country, sector = code[:3], (code[3:6] or "GOV")
        primary = pretty(names[0])
        if len(primary.split()) < 2:
            continue
        idx = kb.persons_by_fold.get(fold(primary))
        if idx is None:
            idx = kb.actor(f"person:{primary}", primary, "person", None, country, sector)
            kb.persons_by_fold[fold(primary)] = idx
        for n in names:
            if good_alias(n):
                kb.alias(pretty(n), idx, "name")
    for fname, kind in (("Phoenix.International.actors.txt", "organisation"),
                        ("Phoenix.MilNonState.actors.txt", "group")):
        for names, codes, _ in entries(folder / fname):
            primary_raw = names[0]
            if not codes or not re.fullmatch(r"[A-Z0-9_.'()&-]+", primary_raw.replace(" ", "")):
                continue
            code = codes[-1][0]
            k = kind
            words = [w for w in primary_raw.strip("_").split("_") if w]
            generic = code[:3] in ("IGO", "NGO", "MNC", "IMG", "UIS")
            if (kind == "organisation" and code[:3] in ("IGO", "NGO") and len(words) in (2, 3)
                    and not ORG_WORDS.search(primary_raw) and not BUSINESS.search(primary_raw)):
                k = "person"
            elif code[:3] == "MNC" or BUSINESS.search(primary_raw):
                k = "organisation"
            primary = pretty(re.sub(r"\(.*?\)", "", primary_raw))
            if len(primary.split()) < 2:
                continue
            country = None if generic else code[:3]
            sector = {"MNC": "BUS"}.get(code[:3], code[:3]) if generic else (code[3:6] or None)
            if k == "person":
                sector = code[:3]
            idx = kb.actor(f"{k}:{primary}", primary, k, None, country, sector)
            for n in names:
                n = re.sub(r"\(.*?\)", "", n)
                if good_alias(n) and len(n.strip("_").split("_")) >= 2:
                    kb.alias(pretty(n), idx, "name")
