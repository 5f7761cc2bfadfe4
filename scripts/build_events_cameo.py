"""Compile the English CAMEO verb dictionary (PETRARCH2) into PLOVER trigger patterns.

Reads ``../shared/data/kb-sources/petrarch2/CAMEO.2.0.txt`` (verb synonym blocks with CAMEO codes
and verb+object patterns) and ``../shared/data/events/plover/CAMEO2PLOVER-2021.txt`` (CAMEO code ->
PLOVER type, mode), writes ``lagebild/lang/en/events_cameo.json``::

    {"forms": {lemma: [inflected forms]}, "verbs": {lemma: [type, mode]},
     "phrases": [[lemma, "pattern", type, mode], ...]}

Codes the 2021 table drops (01 statements) give no event; patterns coded ``---`` become ``NONE``
entries that block the verb's default code. Documented departures from the 2021 table:

* 02 (APPEAL) -> REQUEST: the table has no 02 line, but the PLOVER manual defines REQUEST as "all
  requests, demands, and orders", which is where appeals belong.
* 057 (sign formal agreement) -> AGREE and 163 (impose embargo, boycott, sanctions) -> SANCTION:
  the 2021 table moves them to SUPPORT and COERCE, but the gold standard records and the issue's
  own examples ("unterzeichneten einen Vertrag", "verhängte Sanktionen gegen") use AGREE/SANCTION.

Usage: python scripts/build_events_cameo.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = {"02": ("REQUEST", None), "057": ("AGREE", None), "163": ("SANCTION", None)}
STOP = {"to", "the", "a", "an", "of", "in", "on", "for", "with", "by", "from", "at", "against", "into", "as", "that"}


def load_mapping(path: Path) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d+):\s*(.*)$", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        typ = parts[0].upper()
        mode = parts[1].strip().lower() if len(parts) > 1 and parts[1].strip() else None
        out.setdefault(m.group(1), (typ, mode))   # "08" appears twice (CONCEDE, RETREAT): first wins
    return out


def plover(code: str, mapping: dict[str, tuple[str, str | None]]) -> tuple[str, str | None] | None:
    """CAMEO code -> (type, mode) by the longest known prefix; None when dropped (01, unknown)."""
    if code in ("---", ""):
        return ("NONE", None)
    for n in range(len(code), 1, -1):
        key = code[:n]
        if key in OVERRIDES:
            return OVERRIDES[key]
        if key in mapping:
            return mapping[key]
    return None


def inflect(base: str) -> list[str]:
    """Regular English forms of a verb (base, -s, -ed, -ing; doubled final consonant variants)."""
    forms = {base}
    if re.search(r"(s|x|z|ch|sh)$", base):
        forms.add(base + "es")
    elif re.search(r"[^aeiou]y$", base):
        forms.add(base[:-1] + "ies")
    else:
        forms.add(base + "s")
    if base.endswith("e"):
        forms |= {base + "d", base[:-1] + "ing"}
    elif re.search(r"[^aeiou]y$", base):
        forms |= {base[:-1] + "ied", base + "ing"}
    else:
        forms |= {base + "ed", base + "ing"}
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", base):
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return sorted(forms)


def clean(word: str) -> str:
    return word.strip("+").replace("_", " ").strip().lower()


def noun_alts(word: str) -> str:
    w = word.lower()
    if w.endswith("s") or " " in w or w in STOP or len(w) < 3:
        return w
    return f"{w}|{w}s" if not re.search(r"(s|x|z|ch|sh)$", w) else f"{w}|{w}es"


def parse_synsets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    cur = None
    for line in lines:
        s = line.split("#", 1)[0].strip()
        if s.startswith("&"):
            cur = s
            sets[cur] = []
        elif s.startswith("+") and cur:
            sets[cur].append(clean(s))
        elif not s:
            cur = None
    return sets


def phrase_of(post: str, synsets: dict[str, list[str]]) -> str | None:
    """The object part of a pattern ("* {HUMANITARIAN AID} (FOR &FOOD)") in lexicon syntax."""
    post = post.replace("(", " ").replace(")", " ")
    elems: list[str] = []
    for m in re.finditer(r"\{([^}]*)\}|(\S+)", post):
        if m.group(1) is not None:
            words = [w for w in m.group(1).split() if re.fullmatch(r"[A-Za-z'\-]+", w)]
            if words:
                elems.append(" ".join(w.lower() for w in words))
            continue
        tok = m.group(2)
        if tok.startswith("&"):
            members = [w for w in synsets.get(tok, []) if " " not in w]
            if not members:
                return None
            elems.append("|".join(sorted({a for w in members for a in noun_alts(w).split("|")})))
        elif re.fullmatch(r"[A-Za-z'\-]+", tok):
            elems.append(noun_alts(tok))
        else:
            return None
    content = [e for e in elems if e not in STOP]
    if not content:
        return None
    return " ... ".join(elems[:4])


def build(shared: Path) -> dict:
    mapping = load_mapping(shared / "data/events/plover/CAMEO2PLOVER-2021.txt")
    lines = (shared / "data/kb-sources/petrarch2/CAMEO.2.0.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    start = next(i for i, l in enumerate(lines) if "VERB PATTERNS" in l)
    synsets = parse_synsets(lines[:start])
    forms: dict[str, list[str]] = {}
    verbs: dict[str, list] = {}
    phrases: list[list] = []
    head_code = None
    block_verbs: list[str] = []
    for raw in lines[start + 1:]:
        comment = raw.split("#", 1)[1].strip() if "#" in raw else ""
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("---"):
            m = re.search(r"\[([^\]]*)\]", line)
            head_code = m.group(1).split(":")[0] if m else None
            head_code = None if head_code == "---" else head_code
            block_verbs = []
            continue
        code_m = re.search(r"\[([^\]]*)\]", line)
        code = code_m.group(1).split(":")[0].strip() if code_m else None
        body = line[:code_m.start()] if code_m else line
        if line.lstrip().startswith("-"):
            if code is None or "*" not in body:
                continue
            post = body.split("*", 1)[1]
            phrase = phrase_of(post, synsets)
            origin = clean(comment.split()[0]) if comment.split() else ""
            lemma = origin if origin in forms else (block_verbs[0] if block_verbs else None)
            typ = plover(code, mapping)
            if phrase and lemma and typ:
                phrases.append([lemma, phrase, typ[0], typ[1]])
            continue
        m = re.match(r"\s*(\+?[A-Z][A-Z_'\-]*)\s*(\{[^}]*\})?", body)
        if not m:
            continue
        lemma = clean(m.group(1))
        head = lemma.split()[0]
        if m.group(2):
            extra = [clean(w).split()[0] for w in m.group(2).strip("{}").split() if clean(w)]
            forms[head] = sorted({head, *(x for x in extra if re.fullmatch(r"[a-z][a-z'\-]*", x))})
        elif head not in forms:
            forms[head] = inflect(head)
        block_verbs.append(lemma)
        vcode = code or head_code
        typ = plover(vcode, mapping) if vcode else None
        if typ and typ[0] != "NONE":
            verbs[lemma] = [typ[0], typ[1]]
    used = {v.split()[0] for v in verbs} | {p[0].split()[0] for p in phrases}
    return {"source": "PETRARCH2 CAMEO.2.0 verb dictionary + CAMEO2PLOVER-2021 (see scripts/build_events_cameo.py)",
            "forms": {k: v for k, v in sorted(forms.items()) if k in used},
            "verbs": dict(sorted(verbs.items())), "phrases": phrases}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    out = build(args.shared)
    path = ROOT / "lagebild/lang/en/events_cameo.json"
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{path}: {len(out['verbs'])} verbs, {len(out['phrases'])} phrases, {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
