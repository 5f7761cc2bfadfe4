"""Evaluation of the events stage: the PLOVER gold standard records (English) and our German set.

Shared by ``benchmarks/events.py`` and the evaluation gate (``tests/test_events_gate.py``).

* **GSR** (``events/plover/gold_standard_records/PLOVER_GSR_CAMEO.txt``, 322 sentences of the CAMEO
  manual coded in PLOVER 0.6): the older type names are mapped to PLOVER 0.8 by :data:`GSR_TYPES`
  (DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE (mode investigate), FIGHT ->
  ASSAULT). A sentence's prediction is its most confident event (flags ignored: the GSR codes
  threats and demands, which our modality marks as intents). Type accuracy = predicted type equals
  the gold type; source+target = both actor sets right, compared by code (ISO3 country, or IGO/NGO
  for organisations without one); a gold ``SRC/TAR`` compound (both sides in ``source``, no
  target) is compared as the union of our source and target. Two actor settings: ``oracle`` gives
  the stage the gold actor spans as mentions with their codes (roles hidden) and measures typing
  and role assignment; ``pipeline`` uses our own mentions stage end to end.
* **German set** (``tests/gold/events_de.jsonl``): per line ``{"text", "published", "events":
  [{"type", "source": [codes], "target": [codes], "date"?, "location"?}], "flag"?: "negated" |
  "hypothetical" | "none"}``. An event counts when a non-flagged predicted event has its type and
  both actor sets right; a flagged or "none" sentence passes when no non-flagged event comes out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from lagebild.annotate.sentences import SentencesStage
from lagebild.document import Actor, Document, Event, Meta, Mention, Source

GSR_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
GSR_CODES = {"JAP": "JPN"}
SYMMETRIC_SEP = "/"
_MARK = re.compile(r"\((SRC/TAR|SRC|TAR):\s*([^()]+)")


def actor_code(a: Actor) -> str:
    """ISO3 country, else IGO/NGO for international organisations, else the actor's name."""
    if a.country:
        return a.country
    if a.sector in ("IGO", "NGO"):
        return a.sector
    return "IGO" if a.kind == "organisation" else a.name


@dataclass(slots=True)
class GoldEvent:
    type: str
    source: frozenset[str]
    target: frozenset[str]
    symmetric: bool = False
    date: str | None = None
    location: str | None = None


@dataclass(slots=True)
class Case:
    id: str
    text: str
    language: str
    events: list[GoldEvent]
    published: str | None = None
    flag: str | None = None
    oracle: list[tuple[int, int, Actor]] = field(default_factory=list)


# --------------------------------------------------------------------------- loading

def load_gsr(path: Path) -> list[Case]:
    records = json.loads(path.read_text(encoding="utf-8"))
    cases = []
    for r in records:
        if r.get("event") in (None, "DOCUMENT") or not r.get("text"):
            continue
        typ = GSR_TYPES.get(r["event"], r["event"])
        src = [a for a in (r.get("source") or []) if isinstance(a, dict)]
        tgt = [a for a in (r.get("target") or []) if isinstance(a, dict)]
        code = lambda a: GSR_CODES.get(a.get("code") or "", a.get("code") or "")  # noqa: E731
        markup = r.get("textInfo", {}).get("markup", "") if isinstance(r.get("textInfo"), dict) else ""
        symmetric = "SRC/TAR:" in markup and not tgt
        cases.append(Case(r["id"], r["text"], "en", [GoldEvent(typ, frozenset(map(code, src)), frozenset(map(code, tgt)),
                                                                symmetric)],
                          oracle=_oracle_spans(r["text"], markup, src, tgt, code)))
    return cases


def _oracle_spans(text: str, markup: str, src: list[dict], tgt: list[dict], code) -> list[tuple[int, int, Actor]]:
    """Gold actor spans located in the text, each with an actor carrying the gold code (no role)."""
    out = []
    pools = {"SRC": list(src), "SRC/TAR": list(src), "TAR": list(tgt)}
    pos = 0
    for m in _MARK.finditer(markup):
        role, surface = m.group(1), m.group(2).strip()
        if not surface:
            continue
        i = text.find(surface, pos)
        if i < 0:
            i = text.find(surface)
        if i < 0:
            continue
        pool = pools[role]
        pick = next((a for a in pool if surface in (a.get("actorText") or "") or (a.get("actorText") or "") in surface),
                    pool[0] if pool else None)
        if pick is None:
            continue
        c = code(pick)
        kind = "organisation" if c in ("IGO", "NGO") else "state"
        out.append((i, i + len(surface), Actor(pick.get("actorText") or surface, kind, None,
                                               None if kind == "organisation" else c,
                                               c if kind == "organisation" else pick.get("sector"))))
        pos = i + len(surface)
    return out


def load_german(path: Path) -> list[Case]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        d = json.loads(line)
        evs = [GoldEvent(e["type"], frozenset(e.get("source", [])), frozenset(e.get("target", [])),
                         bool(e.get("symmetric")), e.get("date"), e.get("location")) for e in d.get("events", [])]
        cases.append(Case(d.get("id", f"de-{n + 1:03d}"), d["text"], "de", evs, d.get("published", "2025-09-03"),
                          d.get("flag")))
    return cases


# --------------------------------------------------------------------------- running

def oracle_doc(case: Case) -> Document:
    doc = Document(case.text, Source(case.id, "text"), Meta(published=case.published), language=case.language)
    doc = SentencesStage()(doc)
    doc.mentions = [Mention(s, e, a, "name") for s, e, a in sorted(case.oracle, key=lambda x: x[0])]
    return doc


def sides_match(ev: Event, gold: GoldEvent) -> bool:
    src = frozenset(actor_code(a) for a in ev.source)
    tgt = frozenset(actor_code(a) for a in ev.target)
    if gold.symmetric or (gold.source and gold.source == gold.target):
        return (src | tgt) == (gold.source | gold.target)
    if src == gold.source and tgt == gold.target:
        return True
    # a symmetric prediction (both sides listed on both) for a directed gold pair of a symmetric type
    return src == tgt and (src == gold.source | gold.target) and len(src) > 1


@dataclass(slots=True)
class Scores:
    n: int = 0
    type_ok: int = 0
    roles_ok: int = 0
    full_ok: int = 0
    no_event: int = 0
    flagged_n: int = 0
    flagged_ok: int = 0
    sentences: int = 0
    per_type: dict[str, list[int]] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)

    def ratio(self, k: int, n: int | None = None) -> float:
        n = self.n if n is None else n
        return round(k / n, 4) if n else 0.0

    def summary(self) -> dict:
        return {"cases": self.n, "type_accuracy": self.ratio(self.type_ok), "source_target_accuracy":
                self.ratio(self.roles_ok), "type_source_target_accuracy": self.ratio(self.full_ok),
                "no_event": self.no_event, "flagged_cases": self.flagged_n,
                "flagged_ok": self.ratio(self.flagged_ok, self.flagged_n),
                "per_type": {t: {"n": v[0], "type_ok": v[1], "full_ok": v[2]} for t, v in sorted(self.per_type.items())}}


def score_gsr(cases: Iterable[Case], docs: Iterable[Document]) -> Scores:
    s = Scores()
    for case, doc in zip(cases, docs):
        gold = case.events[0]
        s.n += 1
        s.sentences += len(doc.sentences)
        pt = s.per_type.setdefault(gold.type, [0, 0, 0])
        pt[0] += 1
        if not doc.events:
            s.no_event += 1
            s.misses.append({"id": case.id, "gold": gold.type, "pred": None})
            continue
        best = max(doc.events, key=lambda e: e.confidence)
        t_ok = best.type == gold.type
        r_ok = sides_match(best, gold)
        s.type_ok += t_ok
        s.roles_ok += r_ok
        s.full_ok += t_ok and r_ok
        pt[1] += t_ok
        pt[2] += t_ok and r_ok
        if not (t_ok and r_ok):
            s.misses.append({"id": case.id, "gold": gold.type, "pred": best.type, "roles_ok": r_ok,
                             "src": sorted(actor_code(a) for a in best.source),
                             "tgt": sorted(actor_code(a) for a in best.target)})
    return s


def score_german(cases: Iterable[Case], docs: Iterable[Document]) -> Scores:
    """Event-level: every gold event needs a matching non-flagged predicted event."""
    s = Scores()
    for case, doc in zip(cases, docs):
        s.sentences += len(doc.sentences)
        facts = [e for e in doc.events if not (e.negated or e.hypothetical)]
        if case.flag:
            s.flagged_n += 1
            s.flagged_ok += not facts
            if facts:
                s.misses.append({"id": case.id, "flag": case.flag, "pred": [e.type for e in facts]})
            continue
        for gold in case.events:
            s.n += 1
            pt = s.per_type.setdefault(gold.type, [0, 0, 0])
            pt[0] += 1
            t_ok = any(e.type == gold.type for e in facts)
            r_ok = any(sides_match(e, gold) for e in facts)
            full = any(e.type == gold.type and sides_match(e, gold) for e in facts)
            s.type_ok += t_ok
            s.roles_ok += r_ok
            s.full_ok += full
            pt[1] += t_ok
            pt[2] += full
            if not facts:
                s.no_event += 1
            if not full:
                s.misses.append({"id": case.id, "gold": [gold.type, sorted(gold.source), sorted(gold.target)],
                                 "pred": [[e.type, sorted(actor_code(a) for a in e.source),
                                           sorted(actor_code(a) for a in e.target)] for e in facts]})
    return s


def run_cases(cases: list[Case], make_doc: Callable[[Case], Document], stage) -> list[Document]:
    return [stage(make_doc(c)) for c in cases]
