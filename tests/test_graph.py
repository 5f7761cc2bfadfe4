"""Relations graph: aggregation over events, time buckets, PLOVER scores, exports, the store path, CLI."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from tests.events_helpers import make_doc

from lagebild.annotate.events import EventsStage
from lagebild.graph import aggregate, export, relations_of, rows_from_documents, rows_from_store, score
from lagebild.graph.relations import bucket_of, in_range

TEXT = ("Russland und Nordkorea unterzeichneten im Juni 2024 einen Vertrag.\n"
        "Inzwischen kämpfen nordkoreanische Soldaten Seite an Seite mit russischen Truppen.\n"
        "Russland griff die Ukraine am Dienstag an.\n"
        "Die EU verhängte Sanktionen gegen Russland.\n"
        "Russland lieferte der Ukraine keine Waffen.\n"
        "Russland könnte Nordkorea Raketen liefern.")


@pytest.fixture()
def doc():
    return EventsStage()(make_doc(TEXT, published="2025-09-03"))


def test_scores_from_the_plover_manual():
    assert score("AID") == 10 and score("ASSAULT") == -9 and score("CONSULT", "visit") == 4
    assert score("ACCUSE") < 0    # the manual's "3" is a dropped minus sign (all its modes are negative)


def test_aggregate_pairs_scores_and_exclusions(doc):
    g = aggregate(rows_from_documents([doc]))
    pairs = {frozenset((r.a, r.b)): r for r in g.relations}
    coop = pairs[frozenset(("RUS", "PRK"))]
    assert coop.count == 2 and coop.score_sum > 0 and set(coop.by_type) == {"AGREE", "COOPERATE"}
    war = pairs[frozenset(("RUS", "UKR"))]
    assert war.by_type == {"ASSAULT": 1} and war.score_sum < 0   # the negated delivery is not counted
    assert "Q458" in {r.a for r in g.relations} | {r.b for r in g.relations}    # the EU has no country
    assert all(ev["sentence"] for r in g.relations for ev in r.evidence)
    flagged = aggregate(rows_from_documents([doc], include_flagged=True))
    assert sum(r.count for r in flagged.relations) == sum(r.count for r in g.relations) + 2


def test_directions_and_actor_level(doc):
    g = aggregate(rows_from_documents([doc]), level="actor")
    war = next(r for r in g.relations if {r.a, r.b} == {"Q159", "Q212"})
    assert (war.a_to_b, war.b_to_a) == ((1, 0) if war.a == "Q159" else (0, 1))


def test_buckets_and_date_ranges(doc):
    assert bucket_of("2025-09-02", "week") == "2025-W36"
    assert bucket_of("2025-09-02", "month") == "2025-09"
    assert bucket_of("2024-06", "day") == "2024-06"
    assert in_range("2024-06", "2024-06-15", None) and not in_range("2024-05", "2024-06-01", None)
    g = aggregate(rows_from_documents([doc], since="2025-01-01"))
    assert all("AGREE" not in r.by_type for r in g.relations)         # the 2024 treaty is out
    g = aggregate(rows_from_documents([doc]), bucket="day")
    war = next(r for r in g.relations if {r.a, r.b} == {"RUS", "UKR"})
    assert list(war.buckets) == ["2025-09-02"]


def test_relations_of_ranks_allies_and_adversaries(doc):
    allies, adversaries = relations_of(aggregate(rows_from_documents([doc])), "RUS")
    assert allies[0]["actor"] == "PRK"
    assert {a["actor"] for a in adversaries} >= {"UKR", "Q458"}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_parse(doc, fmt):
    g = aggregate(rows_from_documents([doc]))
    root = ET.fromstring(export(g, fmt).encode("utf-8"))
    ns = {"graphml": "http://graphml.graphdrawing.org/xmlns", "gexf": "http://gexf.net/1.3"}[fmt]
    nodes = root.findall(f".//{{{ns}}}node")
    edges = root.findall(f".//{{{ns}}}edge")
    assert {n.get("id") for n in nodes} == set(g.nodes)
    assert len(edges) == len(g.relations)
    assert all(e.get("source") in g.nodes and e.get("target") in g.nodes for e in edges)


def test_json_and_csv_exports(doc):
    g = aggregate(rows_from_documents([doc]))
    data = json.loads(export(g, "json"))
    assert len(data["nodes"]) == len(g.nodes) and len(data["links"]) == len(g.relations)
    rows = list(csv.DictReader(io.StringIO(export(g, "csv"))))
    assert len(rows) == len(g.relations) and float(rows[0]["score_sum"]) != 0


def test_min_events_filters_pairs(doc):
    g = aggregate(rows_from_documents([doc]), min_events=2)
    assert [frozenset((r.a, r.b)) for r in g.relations] == [frozenset(("RUS", "PRK"))]


def test_store_sql_path_matches_in_memory(doc, tmp_db):
    from lagebild.store import open_store

    store = open_store(tmp_db)
    store.write([doc])
    mem = aggregate(rows_from_documents([doc]))
    sql = aggregate(rows_from_store(store))
    assert {(r.a, r.b, r.count, round(r.score_sum, 3)) for r in sql.relations} == \
        {(r.a, r.b, r.count, round(r.score_sum, 3)) for r in mem.relations}
    assert len(rows_from_store(store, include_flagged=True)) == len(rows_from_documents([doc], include_flagged=True))
    store.close() if hasattr(store, "close") else None


def test_cli_events_relations_graph(doc, tmp_db, tmp_path):
    from lagebild.cli import app
    from lagebild.store import open_store

    store = open_store(tmp_db)
    store.write([doc])
    if hasattr(store, "close"):
        store.close()
    runner = CliRunner()
    res = runner.invoke(app, ["events", "--db", tmp_db, "--actor", "RUS", "--type", "ASSAULT", "--json"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0]["source"][0]["country"] == "RUS"
    res = runner.invoke(app, ["relations", "RUS", "--db", tmp_db, "--json"])
    assert res.exit_code == 0, res.output
    rel = [json.loads(x) for x in res.output.splitlines() if x.strip()]
    assert rel[0]["relation"] == "ally" and rel[0]["actor"] == "PRK"
    out = tmp_path / "g.graphml"
    res = runner.invoke(app, ["graph", "--db", tmp_db, "--format", "graphml", "--out", str(out)])
    assert res.exit_code == 0, res.output
    ET.parse(out)
    res = runner.invoke(app, ["graph", "--db", tmp_db, "--format", "dot", "--out", str(out)])
    assert res.exit_code == 2
    res = runner.invoke(app, ["events", "--db", tmp_db, "--type", "FIGHT"])
    assert res.exit_code == 2
