"""Relations between actors from stored events: who cooperated with or opposed whom, with evidence.

Every stored event with source and target actors links each source to each target. PLOVER types
are grouped into cooperation, conflict and neutral; negated and hypothetical events are left out.
Edges are undirected pairs with a weight per polarity and the events behind them (the evidence).
Actors can be grouped by their country (``group="country"``): Putin and Russia both count as RUS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lagebild.api.queries import date_filter
from lagebild.graph.relations import aggregate, rows_from_store
from lagebild.graph.scores import TYPE_SCORES
from lagebild.store.base import Store

#: the PLOVER types scored above (below) zero; REQUEST (0) is neutral
COOPERATION = frozenset(t for t, s in TYPE_SCORES.items() if s > 0)
CONFLICT = frozenset(t for t, s in TYPE_SCORES.items() if s < 0)
EVIDENCE_PER_EDGE = 20
MAX_ROWS = 200_000


def polarity(event_type: str) -> str:
    if event_type in COOPERATION:
        return "cooperation"
    if event_type in CONFLICT:
        return "conflict"
    return "neutral"


@dataclass(slots=True)
class Edge:
    a: str
    b: str
    weights: dict[str, float] = field(default_factory=lambda: {"cooperation": 0.0, "conflict": 0.0, "neutral": 0.0})
    types: dict[str, int] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    events: set[tuple[str, int]] = field(default_factory=set)   # the events behind the edge (SQL reading)
    n_events: int = 0              # when the events are counted elsewhere (lagebild.graph)
    score: float | None = None     # PLOVER cooperation-conflict score sum, when known

    def to_dict(self) -> dict[str, Any]:
        w = {k: round(v, 3) for k, v in self.weights.items()}
        dominant = max(("cooperation", "conflict", "neutral"), key=lambda k: (w[k], k == "cooperation"))
        if self.score is not None and self.score != 0:
            dominant = "cooperation" if self.score > 0 else "conflict"
        out = {"source": self.a, "target": self.b, "weight": round(sum(w.values()), 3), "polarity": dominant,
               **w, "events": self.n_events or len(self.events), "types": dict(sorted(self.types.items())),
               "evidence": self.evidence}
        if self.score is not None:
            out["score"] = self.score
        return out


def _event_rows(store: Store, date_from: str | None, date_to: str | None,
                actor: str | None) -> list[dict[str, Any]]:
    date_col = "coalesce(e.date, d.published)"
    where = ["NOT coalesce(e.negated, FALSE)", "NOT coalesce(e.hypothetical, FALSE)"]
    w, params = date_filter(date_col, date_from, date_to)
    where += w
    if actor:
        where.append("e.doc_id IN (SELECT doc_id FROM event_actors WHERE actor_key = ?)")
        params.append(actor)
    sql = (f"SELECT e.doc_id, e.idx, e.type, e.trigger_text, e.sentence_text, {date_col} AS date, e.confidence, "
           f"d.title, a.role, a.actor_key, a.name, a.kind, a.country "
           f"FROM events e JOIN event_actors a ON a.doc_id = e.doc_id AND a.event_idx = e.idx "
           f"JOIN documents d ON d.id = e.doc_id WHERE {' AND '.join(where)} "
           f"ORDER BY e.doc_id, e.idx LIMIT ?")
    return store.query(sql, params + [MAX_ROWS])


def relations(store: Store, date_from: str | None = None, date_to: str | None = None,
              actor: str | None = None, group: str = "actor") -> tuple[dict[str, dict[str, Any]], list[Edge]]:
    """Nodes (by key) and undirected edges between actors in the date range.

    Built by :mod:`lagebild.graph` (the relations the CLI exports too); :func:`_relations_sql` is a
    plain-SQL reading of the same grouping that the tests use as an independent check.
    """
    rows = rows_from_store(store, date_from, date_to, actor=actor)
    g = aggregate(rows, level="country" if group == "country" else "actor")
    nodes = {k: {"key": n.key, "name": n.label, "kind": n.kind, "country": n.country} for k, n in g.nodes.items()}
    edges = []
    for rel in g.relations:
        edge = Edge(rel.a, rel.b)
        for t, n in rel.by_type.items():
            edge.weights[polarity(t)] += n
            edge.types[t] = n
        edge.n_events = rel.count
        edge.score = round(rel.score_sum, 3)
        edge.evidence = [{"doc_id": ev["doc_id"], "idx": ev["event"], "type": ev["type"],
                          "polarity": polarity(ev["type"]), "trigger": None, "sentence": ev.get("sentence"),
                          "date": ev.get("date"), "title": ev.get("title")} for ev in rel.evidence]
        edges.append(edge)
    _add_triggers(store, edges)
    return nodes, edges


def _add_triggers(store: Store, edges: list[Edge]) -> None:
    """Fill the trigger words of evidence events (one query per 500 documents)."""
    docs = sorted({ev["doc_id"] for e in edges for ev in e.evidence})
    triggers: dict[tuple[str, int], str] = {}
    for i in range(0, len(docs), 500):
        chunk = docs[i:i + 500]
        rows = store.query(f"SELECT doc_id, idx, trigger_text FROM events WHERE doc_id IN ({','.join('?' * len(chunk))})",
                           chunk)
        triggers.update({(r["doc_id"], int(r["idx"])): r["trigger_text"] for r in rows})
    for e in edges:
        for ev in e.evidence:
            ev["trigger"] = triggers.get((ev["doc_id"], int(ev["idx"])))


def _relations_sql(store: Store, date_from: str | None, date_to: str | None, actor: str | None,
                   group: str) -> tuple[dict[str, dict[str, Any]], list[Edge]]:
    """Nodes (by key) and undirected edges between actors in the date range."""
    events: dict[tuple[str, int], dict[str, Any]] = {}
    nodes: dict[str, dict[str, Any]] = {}
    for r in _event_rows(store, date_from, date_to, actor):
        if group == "country":
            if not r["country"]:
                continue
            key, node = r["country"], {"key": r["country"], "name": r["country"], "kind": "country",
                                       "country": r["country"]}
        else:
            key, node = r["actor_key"], {"key": r["actor_key"], "name": r["name"], "kind": r["kind"],
                                         "country": r["country"]}
        nodes.setdefault(key, node)
        ev = events.setdefault((r["doc_id"], int(r["idx"])), {"row": r, "source": set(), "target": set()})
        ev.setdefault(r["role"], set()).add(key)
    edges: dict[tuple[str, str], Edge] = {}
    for (doc_id, idx), ev in events.items():
        r = ev["row"]
        pol = polarity(r["type"])
        conf = float(r["confidence"]) if r["confidence"] is not None else 0.5
        pairs = {tuple(sorted((s, t))) for s in ev["source"] for t in ev["target"] if s != t}
        for a, b in pairs:
            edge = edges.setdefault((a, b), Edge(a, b))
            if (doc_id, idx) in edge.events:
                continue
            edge.events.add((doc_id, idx))
            edge.weights[pol] += conf
            edge.types[r["type"]] = edge.types.get(r["type"], 0) + 1
            if len(edge.evidence) < EVIDENCE_PER_EDGE:
                edge.evidence.append({"doc_id": doc_id, "idx": idx, "type": r["type"], "polarity": pol,
                                      "trigger": r["trigger_text"], "sentence": r["sentence_text"],
                                      "date": r["date"], "title": r["title"]})
    used = {k for e in edges.values() for k in (e.a, e.b)}
    return {k: v for k, v in nodes.items() if k in used}, list(edges.values())


def graph(store: Store, date_from: str | None = None, date_to: str | None = None, group: str = "actor",
          min_weight: float = 0.0, max_nodes: int = 150) -> dict[str, Any]:
    """The network JSON: nodes with their total weight, edges heaviest first."""
    nodes, edges = relations(store, date_from, date_to, group=group)
    edge_dicts = sorted((e.to_dict() for e in edges), key=lambda e: (-e["weight"], e["source"], e["target"]))
    edge_dicts = [e for e in edge_dicts if e["weight"] >= min_weight]
    strength: dict[str, float] = {}
    for e in edge_dicts:
        for k in (e["source"], e["target"]):
            strength[k] = strength.get(k, 0.0) + e["weight"]
    keep = set(sorted(strength, key=lambda k: (-strength[k], k))[:max_nodes])
    edge_dicts = [e for e in edge_dicts if e["source"] in keep and e["target"] in keep]
    out_nodes = [{**nodes[k], "weight": round(strength[k], 3)} for k in sorted(keep, key=lambda k: (-strength[k], k))]
    return {"from": date_from, "to": date_to, "group": group, "nodes": out_nodes, "edges": edge_dicts}


def partners(store: Store, key: str, date_from: str | None = None, date_to: str | None = None,
             limit: int = 20) -> dict[str, Any]:
    """An actor's strongest partners (cooperation) and adversaries (conflict)."""
    nodes, edges = relations(store, date_from, date_to, actor=key)
    rows = []
    for e in edges:
        if key not in (e.a, e.b):
            continue
        other = e.b if e.a == key else e.a
        d = e.to_dict()
        rows.append({"actor": nodes.get(other, {"key": other, "name": other}), "cooperation": d["cooperation"],
                     "conflict": d["conflict"], "neutral": d["neutral"], "events": d["events"],
                     "types": d["types"], "evidence": d["evidence"][:5]})
    part = sorted((r for r in rows if r["cooperation"] > 0), key=lambda r: (-r["cooperation"], r["actor"]["key"]))
    adv = sorted((r for r in rows if r["conflict"] > 0), key=lambda r: (-r["conflict"], r["actor"]["key"]))
    return {"actor": key, "from": date_from, "to": date_to, "partners": part[:limit], "adversaries": adv[:limit],
            "all": sorted(rows, key=lambda r: (-r["events"], r["actor"]["key"]))[:limit]}
