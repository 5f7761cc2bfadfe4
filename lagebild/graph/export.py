"""Graph exports: GraphML (Gephi, Cytoscape, networkx), GEXF 1.3 (Gephi), node-link JSON (networkx,
d3) and an edge CSV. Written with the standard library only (ElementTree, json, csv)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from lagebild.graph.relations import Graph

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"

NODE_ATTRS = (("label", "string"), ("kind", "string"), ("country", "string"), ("events", "int"))
EDGE_ATTRS = (("weight", "double"), ("count", "int"), ("score", "double"), ("score_sum", "double"),
              ("types", "string"), ("a_to_b", "int"), ("b_to_a", "int"), ("first", "string"), ("last", "string"))


def _edge_values(r) -> dict[str, object]:
    return {"weight": float(r.count), "count": r.count, "score": round(r.score, 3), "score_sum": round(r.score_sum, 3),
            "types": ";".join(f"{t}:{n}" for t, n in r.by_type.most_common()), "a_to_b": r.a_to_b,
            "b_to_a": r.b_to_a, "first": r.first or "", "last": r.last or ""}


def _node_values(n) -> dict[str, object]:
    return {"label": n.label, "kind": n.kind, "country": n.country or "", "events": n.events}


def to_graphml(g: Graph) -> str:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for name, typ in NODE_ATTRS:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": f"n_{name}", "for": "node", "attr.name": name, "attr.type": typ})
    for name, typ in EDGE_ATTRS:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": f"e_{name}", "for": "edge", "attr.name": name, "attr.type": typ})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "lagebild", "edgedefault": "undirected"})
    for n in g.nodes.values():
        el = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": n.key})
        for k, v in _node_values(n).items():
            ET.SubElement(el, f"{{{GRAPHML_NS}}}data", {"key": f"n_{k}"}).text = str(v)
    for i, r in enumerate(g.relations):
        el = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", {"id": f"e{i}", "source": r.a, "target": r.b})
        for k, v in _edge_values(r).items():
            ET.SubElement(el, f"{{{GRAPHML_NS}}}data", {"key": f"e_{k}"}).text = str(v)
    return _xml(root)


def to_gexf(g: Graph) -> str:
    ET.register_namespace("", GEXF_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "lagebild"
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "undirected", "mode": "static"})
    nattrs = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "node"})
    for i, (name, typ) in enumerate(NODE_ATTRS[1:]):
        ET.SubElement(nattrs, f"{{{GEXF_NS}}}attribute", {"id": str(i), "title": name, "type": _gexf_type(typ)})
    eattrs = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "edge"})
    for i, (name, typ) in enumerate(EDGE_ATTRS[1:]):
        ET.SubElement(eattrs, f"{{{GEXF_NS}}}attribute", {"id": str(i), "title": name, "type": _gexf_type(typ)})
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for n in g.nodes.values():
        el = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": n.key, "label": n.label})
        nv = _node_values(n)
        vals = ET.SubElement(el, f"{{{GEXF_NS}}}attvalues")
        for i, (name, _) in enumerate(NODE_ATTRS[1:]):
            ET.SubElement(vals, f"{{{GEXF_NS}}}attvalue", {"for": str(i), "value": str(nv[name])})
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for k, r in enumerate(g.relations):
        ev = _edge_values(r)
        el = ET.SubElement(edges, f"{{{GEXF_NS}}}edge", {"id": str(k), "source": r.a, "target": r.b,
                                                        "weight": str(ev["weight"])})
        vals = ET.SubElement(el, f"{{{GEXF_NS}}}attvalues")
        for i, (name, _) in enumerate(EDGE_ATTRS[1:]):
            ET.SubElement(vals, f"{{{GEXF_NS}}}attvalue", {"for": str(i), "value": str(ev[name])})
    return _xml(root)


def _gexf_type(t: str) -> str:
    return {"int": "integer", "double": "double"}.get(t, "string")


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_json(g: Graph) -> str:
    """networkx node-link form (``networkx.node_link_graph`` reads it; ``links`` hold the relations)."""
    return json.dumps({
        "directed": False, "multigraph": False, "graph": {"creator": "lagebild"},
        "nodes": [{"id": n.key, **_node_values(n)} for n in g.nodes.values()],
        "links": [{"source": r.a, "target": r.b, **r.to_dict()} for r in g.relations],
    }, ensure_ascii=False, indent=1)


def to_csv(g: Graph) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    names = [n for n, _ in EDGE_ATTRS]
    w.writerow(["source", "target", "source_label", "target_label", *names])
    for r in g.relations:
        ev = _edge_values(r)
        w.writerow([r.a, r.b, g.nodes[r.a].label, g.nodes[r.b].label, *[ev[n] for n in names]])
    return buf.getvalue()


WRITERS = {"graphml": to_graphml, "gexf": to_gexf, "json": to_json, "csv": to_csv}
FORMATS = tuple(WRITERS)


def export(g: Graph, fmt: str) -> str:
    return WRITERS[fmt](g)
