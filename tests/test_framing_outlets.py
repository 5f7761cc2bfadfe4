"""``lagebild outlets``: sites compared by genre mix, tone and technique rates, from the store."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lagebild.cli import app
from lagebild.cli.outlets import outlet_stats
from lagebild.document import Document, Meta, Source
from lagebild.pipeline import Pipeline
from lagebild.store import open_store

NEWS = ("Der Bundestag hat am Freitag den Haushalt beschlossen, wie die Verwaltung mitteilte. "
        "Finanzminister Klingbeil sagte, der Etat setze Schwerpunkte bei Investitionen. "
        "Der Bundesrat soll sich im Dezember damit befassen, erklärte ein Sprecher.")
OPINION = ("Wir erleben ein Debakel. Während die Regierung sich in endlosen Grabenkämpfen verzettelt, "
           "verfällt das Land. Wer glaubt denn noch ernsthaft an diese Koalition? Die Regierung sollte endlich "
           "handeln, statt zu schwadronieren. Das ist ein Armutszeugnis für uns alle.")


def _docs() -> list[Document]:
    pipe = Pipeline.build("sentences,genre,tone,framing")
    out = []
    for i, (text, site) in enumerate([(NEWS, "zeitung.example"), (OPINION, "meinung.example"),
                                      (NEWS + " Die Debatte geht weiter.", "zeitung.example")]):
        doc = Document(text, Source(f"doc{i}.txt", "text"), Meta(site=site), language="de")
        out.append(pipe.annotate(doc))
    return out


def test_outlet_stats_compare_sites(tmp_db: str) -> None:
    store = open_store(tmp_db)
    store.write(_docs())
    rows = {r["site"]: r for r in outlet_stats(store)}
    store.close()
    assert rows["zeitung.example"]["documents"] == 2
    assert rows["zeitung.example"]["genre_share"] == {"news": 1.0}
    assert rows["meinung.example"]["genre_share"] == {"opinion": 1.0}
    assert rows["meinung.example"]["techniques_per_1000_words"] > rows["zeitung.example"]["techniques_per_1000_words"]
    assert rows["meinung.example"]["tone"] < 0
    assert "loaded_language" in rows["meinung.example"]["technique_rates"]


def test_outlets_cli_json_and_table(tmp_db: str) -> None:
    store = open_store(tmp_db)
    store.write(_docs())
    store.close()
    runner = CliRunner()
    res = runner.invoke(app, ["outlets", "--db", tmp_db, "--json"])
    assert res.exit_code == 0, res.output
    sites = [json.loads(line)["site"] for line in res.output.splitlines() if line.strip()]
    assert sites == ["zeitung.example", "meinung.example"]
    res = runner.invoke(app, ["outlets", "--db", tmp_db])
    assert res.exit_code == 0 and "meinung" in res.output and "zeitung" in res.output
