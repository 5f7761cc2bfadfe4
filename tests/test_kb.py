"""The actor knowledge base: names and variants, dated offices, matching on word boundaries."""

from __future__ import annotations

import pytest

from lagebild.kb.lookup import knowledge_base


@pytest.fixture(scope="module")
def kb():
    return knowledge_base()


def names(kb, text: str, lang: str = "de") -> list[tuple[str, str, str | None]]:
    return [(text[m.start:m.end], kb.actors[m.entry.actor].name, kb.actors[m.entry.actor].country)
            for m in kb.find(text, lang) if m.entry.actor is not None]


def test_states_have_iso3_and_qids(kb):
    states = [a for a in kb.actors if a.kind == "state"]
    assert len(states) >= 240
    russia = kb.actor_for("RUS")
    assert (russia.name, russia.id, russia.country) == ("Russia", "Q159", "RUS")
    assert kb.actor_for("PRK").name == "North Korea"
    assert kb.actor_for("NATO").id == "Q7184"
    assert kb.actor_for("EU").name == "European Union"


@pytest.mark.parametrize("text,iso", [
    ("Weißrussland", "BLR"), ("Belarus", "BLR"), ("Nordkorea", "PRK"), ("DVRK", "PRK"),
    ("Türkei", "TUR"), ("Türkiye", "TUR"), ("Elfenbeinküste", "CIV"), ("Côte d'Ivoire", "CIV"),
    ("Vereinigte Staaten", "USA"), ("USA", "USA"), ("Russlands", "RUS"), ("Nordkoreas", "PRK"),
])
def test_state_variants_and_genitive(kb, text, iso):
    hits = names(kb, f"Heute: {text} und mehr.")
    assert hits and hits[0][0] == text and hits[0][2] == iso


@pytest.mark.parametrize("form", ["russisch", "russische", "russischen", "russischer", "russisches", "russischem",
                                  "Russische"])
def test_adjective_inflections(kb, form):
    hits = [m for m in kb.find(f"die {form} Seite", "de")]
    assert hits and hits[0].entry.role == "adjective" and kb.actors[hits[0].entry.actor].country == "RUS"


def test_no_match_inside_words(kb):
    assert names(kb, "Die Neuausrichtung der Beurlaubung") == []
    assert names(kb, "Eurasien und Feuer") == []


@pytest.mark.parametrize("country,office,date,expected", [
    ("USA", "head_of_state", "2023-05-01", "Joe Biden"),
    ("USA", "head_of_state", "2025-09-03", "Donald Trump"),
    ("USA", "head_of_state", "2019", "Donald Trump"),
    ("RUS", "head_of_state", "2025-09", "Vladimir Putin"),
    ("DEU", "head_of_government", "2024-03-01", "Olaf Scholz"),
    ("DEU", "head_of_government", "2025-09-03", "Friedrich Merz"),
    ("BLR", "head_of_state", "2025", "Alexander Lukashenko"),
    ("PRK", "head_of_state", "2025", "Kim Jong-un"),
    ("DEU", "foreign_minister", "2025-09-03", "Johann Wadephul"),
])
def test_dated_offices(kb, country, office, date, expected):
    holder = kb.holder(country, office, date)
    assert holder is not None and holder.name == expected


def test_persons_link_german_spellings(kb):
    hits = names(kb, "Alexander Lukaschenko traf Wolodymyr Selenskyj nicht, Wladimir Putin schon.")
    assert [h[1] for h in hits] == ["Alexander Lukashenko", "Volodymyr Zelensky", "Vladimir Putin"]


@pytest.mark.shared_data
def test_build_from_sources(shared_data, tmp_path):
    from lagebild.kb.build import build

    stats = build(shared_data / "kb-sources", tmp_path / "kb.json.gz")
    assert stats["state"] >= 240 and stats["person"] >= 5000 and stats["terms"] >= 3000
    assert stats["bytes"] < 3_000_000


def test_cli_kb_lookup_resolves_titles_for_a_date():
    import json

    from typer.testing import CliRunner

    from lagebild.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["kb", "lookup", "der US-Präsident", "--date", "2023-05-01", "--json"])
    assert out.exit_code == 0, out.output
    hit = json.loads(out.output.splitlines()[0])
    assert hit["role"] == "title" and hit["actor"]["name"] == "Joe Biden"
    out = runner.invoke(app, ["kb", "lookup", "Kremlchef", "--date", "2025-09-03"])
    assert out.exit_code == 0 and "Vladimir Putin" in out.output
    assert runner.invoke(app, ["kb", "lookup", "xyzzy"]).exit_code == 1


def test_cli_actors_lists_stored_actors(tmp_db):
    import json

    from typer.testing import CliRunner

    from lagebild.cli import app
    from lagebild.document import Document, Meta, Source
    from lagebild.pipeline import Pipeline
    from lagebild.store import open_store

    doc = Document("Wladimir Putin traf Kim Jong-un in Pjöngjang. Putin lobte Nordkorea.", Source("t", "text"),
                   Meta(published="2024-06-19"), language="de")
    Pipeline.build("language,sentences,mentions,coref").annotate(doc)
    store = open_store(tmp_db)
    store.write([doc])
    store.close()
    out = CliRunner().invoke(app, ["actors", "--db", tmp_db, "--json"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    top = {r["name"]: r for r in rows}
    assert top["Vladimir Putin"]["mentions"] == 2 and top["Vladimir Putin"]["documents"] == 1
    assert "Pyongyang" not in top   # places are not actors


@pytest.mark.parametrize("surname,person", [
    ("Merz", "Friedrich Merz"), ("Meloni", "Giorgia Meloni"), ("Sánchez", "Pedro Sánchez"),
    ("Fico", "Robert Fico"), ("Van Rompuy", "Herman Van Rompuy"),
])
def test_leaders_are_found_by_surname_alone(kb, surname, person):
    hits = names(kb, f"Am Montag sagte {surname}, man sei bereit.")
    assert [h[:2] for h in hits] == [(surname, person)]


@pytest.mark.parametrize("word", ["Kern", "Lesoto", "Bild", "Leonardo", "Renaissance", "Spiegel", "Meta", "Zug",
                                  "Essen", "Matura"])
def test_ambiguous_words_are_not_aliases(kb, word):
    assert names(kb, f"Am Montag ging es um {word} und mehr.") == []


def persons_kb(tmp_path, leaders_rows: str, people: list[tuple[str, str]]):
    """A KB holding only the given (name, ISO3) persons, and a sources folder whose leaders table
    has ``leaders_rows``: what the surname rules need."""
    from lagebild.kb.build import KB

    (tmp_path / "geografia").mkdir()
    (tmp_path / "geografia" / "leaders_history.csv").write_text("iso3,country,role\n" + leaders_rows, encoding="utf-8")
    kb = KB()
    return kb, {name: kb.actor(f"p:{name}", name, "person", None, iso, "GOV") for name, iso in people}


def test_surname_rules(tmp_path):
    """Which leaders get a bare-surname alias: unique or the one in office now; no common words,
    English words, cities, monarch titles or family-name-first names."""
    from lagebild.kb.build import add_leader_surnames

    kb, people = persons_kb(tmp_path, "LSO,Lesoto,x\n", [
        ("Friedrich Merz", "DEU"), ("Hans-Rudolf Merz", "CHE"), ("Anna Fischer", "DEU"),
        ("Mark Cross", "GBR"), ("Letsie III do Lesoto", "LSO"), ("Li Qiang", "CHN"),
        ("Ola Nordmann", "NOR"), ("Kari Nordmann", "SWE"), ("Lea Halle", "DEU")])
    kb.gazetteer = ["Halle"]
    kb.terms = {"X|head_of_government": [["2025-05-06", None, people["Friedrich Merz"]],
                                          ["2009-01-01", "2009-12-31", people["Hans-Rudolf Merz"]]]
                + [["2020-01-01", None, idx] for name, idx in people.items() if "Merz" not in name]}
    added = add_leader_surnames(kb, tmp_path, {"fischer": "NN"})
    assert added == ["Merz"]
    assert kb.aliases[("Merz", "*")][0] == people["Friedrich Merz"]


def test_club_is_not_the_land(kb):
    assert names(kb, "Bayern München gewann, in Bayern wird gewählt.") == [
        ("Bayern München", "FC Bayern Munich", "DEU"), ("Bayern", "Bavaria", "DEU")]


@pytest.mark.parametrize("text,surface,name,country", [
    ("Der Autobauer Toyota meldete am Montag Rekordzahlen.", "Toyota", "Toyota", "JPN"),
    ("Die Deutschen Bahn streicht Verbindungen.", "Deutschen Bahn", "Deutsche Bahn", "DEU"),
    ("Das Umweltbundesamt warnt vor Hitze.", "Umweltbundesamt", "German Environment Agency", "DEU"),
    ("Werder Bremen gewann in Dortmund.", "Werder Bremen", "SV Werder Bremen", "DEU"),
    ("Der Präsident der Bundesärztekammer sprach.", "Bundesärztekammer", "German Medical Association", "DEU"),
])
def test_companies_clubs_and_public_bodies_are_organisations(kb, text, surface, name, country):
    """The curated orgs_*.tsv files (companies, sports clubs, public bodies and media) are built in."""
    hits = [h for h in names(kb, text) if h[0] == surface]
    assert hits == [(surface, name, country)]
    (m,) = [m for m in kb.find(text, "de") if text[m.start:m.end] == surface]
    assert kb.actors[m.entry.actor].kind == "organisation"


@pytest.mark.parametrize("text,surface", [
    ("Die Allianz der Willigen wächst.", "Allianz"),        # the word, not the insurer
    ("In Bremen wird gewählt.", "Bremen"),                  # the city, not the club
])
def test_company_and_club_names_that_are_words_or_places_stay_what_they_are(kb, text, surface):
    hits = [m for m in kb.find(text, "de") if text[m.start:m.end] == surface and m.entry.actor is not None]
    assert all(kb.actors[m.entry.actor].kind != "organisation" for m in hits)


def test_common_family_name_is_an_alias_only_for_a_leader_of_a_country_where_it_is_common(tmp_path):
    """"Schmidt" in a German article is not Samoa's prime minister; "Scholz" is Germany's chancellor."""
    from lagebild.kb.build import add_leader_surnames

    kb, people = persons_kb(tmp_path, "", [("Fiame Schmidt", "WSM"), ("Olaf Scholz", "DEU"), ("Ellen Scholz", "NAM")])
    kb.gazetteer = []
    kb.terms = {"X|head_of_government": [["2021-01-01", None, people["Fiame Schmidt"]],
                                          ["2021-12-08", None, people["Olaf Scholz"]]]}
    assert add_leader_surnames(kb, tmp_path, {}) == ["Scholz"]


@pytest.mark.parametrize("text,surface,name,kind,sector", [
    ("Die Neue Zürcher Zeitung berichtete zuerst.", "Neue Zürcher Zeitung", "Neue Zürcher Zeitung", "organisation", "MED"),
    ("Der Likud gewann die Wahl.", "Likud", "Likud", "organisation", "PTY"),
    ("Die Fraunhofer-Gesellschaft forscht daran.", "Fraunhofer-Gesellschaft", "Fraunhofer Society", "organisation", "EDU"),
    ("Baerbock reiste am Montag ab.", "Baerbock", "Annalena Baerbock", "person", "GOV"),
    ("Hitlers Truppen marschierten ein.", "Hitlers", "Adolf Hitler", "person", "GOV"),
])
def test_media_parties_civil_bodies_and_notable_persons(kb, text, surface, name, kind, sector):
    """The curated orgs_media/orgs_parties/orgs_civil and persons_notable files are built in."""
    (m,) = [m for m in kb.find(text, "de") if text[m.start:m.end] == surface and m.entry.actor is not None]
    a = kb.actors[m.entry.actor]
    assert (a.name, a.kind, a.sector) == (name, kind, sector)


def test_curated_person_merges_with_the_leader_of_the_same_qid(kb):
    """persons_notable.tsv gives Helmut Kohl German spellings; he stays one actor with his terms."""
    assert [a.name for a in kb.actors].count("Helmut Kohl") == 1
    hits = [kb.actors[m.entry.actor].name for m in kb.find("Helmut Kohl traf Gorbatschow.", "de") if m.entry.actor is not None]
    assert hits == ["Helmut Kohl", "Mikhail Gorbachev"]


@pytest.mark.parametrize("text", ["Die Welt ist groß.", "Die Demokraten stimmten zu.", "Die Mitte hält."])
def test_outlet_and_party_names_that_are_words_stay_words(kb, text):
    assert [m for m in kb.find(text, "de") if m.entry.actor is not None and kb.actors[m.entry.actor].kind == "organisation"] == []
