"""Relations between actors over time: events aggregated into actor pairs per time bucket.

Two inputs, one aggregation: :func:`rows_from_store` reads events with their actors from the store
by plain SQL (``?`` placeholders, no dialect functions: DuckDB and PostgreSQL alike), and
:func:`rows_from_documents` turns in-memory Documents (one article's graph) into the same rows.
:func:`aggregate` then builds nodes and pairs: counts by type, the PLOVER cooperation–conflict
score (sum and mean, :mod:`lagebild.graph.scores`), directed counts, first/last date, per-bucket
timelines (day, ISO week, month) and the evidence (document ids and sentences).

Nodes are actors (``level="actor"``, the actor key: QID or kind:name) or countries
(``level="country"``, the default: Putin, "Moskau" and "russische Truppen" are all RUS; actors
without a country, such as the EU, stay themselves). Negated and hypothetical events are not facts
and are left out unless ``include_flagged``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any, Iterable

from lagebild.document import Actor, Document
from lagebild.graph.scores import SYMMETRIC, score

MAX_EVIDENCE = 20


@dataclass(frozen=True, slots=True)
class Side:
    key: str
    name: str
    kind: str
    id: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass(slots=True)
class EventRow:
    doc_id: str
    idx: int
    type: str
    mode: str | None
    date: str | None
    sentence: str
    negated: bool
    hypothetical: bool
    confidence: float
    title: str | None = None
    sources: list[Side] = field(default_factory=list)
    targets: list[Side] = field(default_factory=list)


@dataclass(slots=True)
class Node:
    key: str
    label: str
    kind: str
    country: str | None
    events: int = 0


@dataclass(slots=True)
class Relation:
    a: str
    b: str
    count: int = 0
    by_type: Counter = field(default_factory=Counter)
    score_sum: float = 0.0
    a_to_b: int = 0
    b_to_a: int = 0
    first: str | None = None
    last: str | None = None
    buckets: dict[str, dict[str, Any]] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.score_sum / self.count if self.count else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "count": self.count, "by_type": dict(self.by_type.most_common()),
                "score": round(self.score, 3), "score_sum": round(self.score_sum, 3),
                "a_to_b": self.a_to_b, "b_to_a": self.b_to_a, "first": self.first, "last": self.last,
                "buckets": self.buckets, "evidence": self.evidence}


@dataclass(slots=True)
class Graph:
    nodes: dict[str, Node]
    relations: list[Relation]


# --------------------------------------------------------------------------- inputs

EVENTS_SQL = """
SELECT e.doc_id, e.idx, e.type, e.mode, e.date, e.sentence_text, e.negated, e.hypothetical, e.confidence,
       d.published, d.title, a.role, a.actor_key, a.actor_id, a.name, a.kind, a.country, a.sector
FROM events e
JOIN documents d ON d.id = e.doc_id
JOIN event_actors a ON a.doc_id = e.doc_id AND a.event_idx = e.idx
WHERE (? OR (e.negated IS NOT TRUE AND e.hypothetical IS NOT TRUE))
  AND COALESCE(e.date, d.published, '9999') >= ?
  AND COALESCE(e.date, d.published, '0000') <= ?{actor}
ORDER BY e.doc_id, e.idx
"""

ACTOR_FILTER = """
  AND EXISTS (SELECT 1 FROM event_actors x WHERE x.doc_id = e.doc_id AND x.event_idx = e.idx AND x.actor_key = ?)"""


def rows_from_store(store, since: str | None = None, until: str | None = None,
                    include_flagged: bool = False, actor: str | None = None) -> list[EventRow]:
    """Events with their actors from the store (year-level pre-filter in SQL, exact in Python);
    with ``actor``, only the events that actor key takes part in (filtered in SQL, not after reading all)."""
    lo = (since or "0000")[:4]
    hi = (until or "9999")[:4] + "\uffff"
    params: list[Any] = [include_flagged, lo, hi] + ([actor] if actor else [])
    rows: dict[tuple[str, int], EventRow] = {}
    for r in store.query(EVENTS_SQL.format(actor=ACTOR_FILTER if actor else ""), params):
        k = (r["doc_id"], r["idx"])
        row = rows.get(k)
        if row is None:
            row = rows[k] = EventRow(r["doc_id"], r["idx"], r["type"], r["mode"], r["date"] or r["published"],
                                     r["sentence_text"] or "", bool(r["negated"]), bool(r["hypothetical"]),
                                     float(r["confidence"] or 0.0), r["title"])
        side = Side(r["actor_key"], r["name"] or r["actor_key"], r["kind"] or "", r["actor_id"], r["country"],
                    r["sector"])
        (row.sources if r["role"] == "source" else row.targets).append(side)
    return [r for r in rows.values() if in_range(r.date, since, until)]


def rows_from_documents(docs: Iterable[Document], since: str | None = None, until: str | None = None,
                        include_flagged: bool = False) -> list[EventRow]:
    """The same rows from in-memory Documents (a single article's graph, tests, the API)."""
    out = []
    for doc in docs:
        for i, e in enumerate(doc.events):
            if (e.negated or e.hypothetical) and not include_flagged:
                continue
            d = e.date or doc.meta.published
            if not in_range(d, since, until):
                continue
            out.append(EventRow(doc.id, i, e.type, e.mode, d, doc.text[e.sentence.start:e.sentence.end],
                                e.negated, e.hypothetical, e.confidence, doc.meta.title,
                                [_side(a) for a in e.source], [_side(a) for a in e.target]))
    return out


def _side(a: Actor) -> Side:
    return Side(a.key, a.name, a.kind, a.id, a.country, a.sector)


def in_range(d: str | None, since: str | None, until: str | None) -> bool:
    """A (possibly partial) date overlaps [since, until]; undated events only pass an open range."""
    if not since and not until:
        return True
    if not d:
        return False
    lo = d + "-01-01"[len(d) - 4:] if len(d) < 10 else d[:10]
    hi = d + "-12-31"[len(d) - 4:] if len(d) < 10 else d[:10]
    return (not since or hi >= since) and (not until or lo <= until)


# --------------------------------------------------------------------------- aggregation

def node_of(s: Side, level: str) -> Node:
    if level == "country" and s.country:
        name = s.name if s.kind == "state" else s.country
        return Node(s.country, name, "state", s.country)
    return Node(s.key, s.name, s.kind, s.country)


def bucket_of(d: str | None, bucket: str) -> str:
    """day -> the date, week -> ISO week (2025-W36), month -> 2025-09; partial dates stay as they are."""
    if not d:
        return "undated"
    if bucket == "month" or len(d) < 10:
        return d[:7] if bucket == "month" else d
    if bucket == "week":
        y, w, _ = Date.fromisoformat(d[:10]).isocalendar()
        return f"{y}-W{w:02d}"
    return d[:10]


def event_pairs(row: EventRow, level: str) -> list[tuple[Node, Node, int]]:
    """Unordered node pairs of one event, each once, with direction +1 (a->b), -1 (b->a) or 0 (mutual)."""
    src = {n.key: n for n in (node_of(s, level) for s in row.sources)}
    tgt = {n.key: n for n in (node_of(s, level) for s in row.targets)}
    mutual = row.type in SYMMETRIC and set(src) == set(tgt)
    if mutual or not tgt:
        both = src | tgt
        keys = sorted(both)
        return [(both[a], both[b], 0) for i, a in enumerate(keys) for b in keys[i + 1:]]
    seen: dict[tuple[str, str], int] = {}
    nodes = src | tgt
    for s in src:
        for t in tgt:
            if s == t:
                continue
            a, b = sorted((s, t))
            seen.setdefault((a, b), 1 if a == s else -1)
    return [(nodes[a], nodes[b], d) for (a, b), d in seen.items()]


def aggregate(rows: Iterable[EventRow], level: str = "country", bucket: str = "month",
              min_events: int = 1) -> Graph:
    """Nodes and relations (strongest first by |score sum|) from event rows."""
    nodes: dict[str, Node] = {}
    rels: dict[tuple[str, str], Relation] = {}
    for row in rows:
        sc = score(row.type, row.mode)
        for na, nb, direction in event_pairs(row, level):
            for n in (na, nb):
                node = nodes.setdefault(n.key, n)
                node.events += 1
            rel = rels.get((na.key, nb.key))
            if rel is None:
                rel = rels[(na.key, nb.key)] = Relation(na.key, nb.key)
            rel.count += 1
            rel.by_type[row.type] += 1
            rel.score_sum += sc
            rel.a_to_b += direction == 1
            rel.b_to_a += direction == -1
            if row.date:
                rel.first = min(rel.first or row.date, row.date)
                rel.last = max(rel.last or row.date, row.date)
            bk = rel.buckets.setdefault(bucket_of(row.date, bucket), {"count": 0, "score_sum": 0.0, "by_type": {}})
            bk["count"] += 1
            bk["score_sum"] = round(bk["score_sum"] + sc, 3)
            bk["by_type"][row.type] = bk["by_type"].get(row.type, 0) + 1
            if len(rel.evidence) < MAX_EVIDENCE:
                rel.evidence.append({"doc_id": row.doc_id, "event": row.idx, "type": row.type, "date": row.date,
                                     "sentence": row.sentence, "title": row.title})
    kept = [r for r in rels.values() if r.count >= min_events]
    kept.sort(key=lambda r: (-abs(r.score_sum), -r.count, r.a, r.b))
    used = {k for r in kept for k in (r.a, r.b)}
    return Graph({k: n for k, n in nodes.items() if k in used}, kept)


def matches_actor(node: Node, query: str) -> bool:
    q = query.strip().lower()
    return q in (node.key.lower(), node.label.lower(), (node.country or "").lower()) or \
        node.key.lower().endswith(":" + q)


def relations_of(graph: Graph, actor: str) -> tuple[list[dict], list[dict]]:
    """(allies, adversaries) of an actor, ranked by cooperation (resp. conflict) score sum."""
    keys = {k for k, n in graph.nodes.items() if matches_actor(n, actor)}
    allies, adversaries = [], []
    for r in graph.relations:
        if r.a in keys or r.b in keys:
            other = r.b if r.a in keys else r.a
            item = {"actor": other, "label": graph.nodes[other].label, **r.to_dict()}
            (allies if r.score_sum > 0 else adversaries).append(item)
    allies.sort(key=lambda x: -x["score_sum"])
    adversaries.sort(key=lambda x: x["score_sum"])
    return allies, adversaries
