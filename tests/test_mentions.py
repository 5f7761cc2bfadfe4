"""Stage ``mentions``: names, inflection, metonymy vs place, titles on dates, sectors, compounds,
German and English, the seed page's bar."""

from __future__ import annotations

import pytest

from lagebild.document import Document, Meta, Source
from lagebild.page import Page
from lagebild.pipeline import Pipeline

ADVERT_CUT = "\n\nRETTE DEIN GELD!"
WEBINAR_SPEAKERS = ("Kettner", "Hahne", "Wolff", "Patzelt", "Regenauer", "Grosz", "Lüning", "Ostermann")


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.build("language,sentences,mentions,coref")


def run(pipe: Pipeline, text: str, lang: str = "de", published: str | None = None) -> Document:
    doc = Document(text, Source("test", "text"), Meta(published=published), language=lang)
    return pipe.annotate(doc)


def found(doc: Document, surface: str):
    """The mention whose text is ``surface`` (first one)."""
    for m in doc.mentions:
        if doc.text[m.start:m.end] == surface:
            return m
    raise AssertionError(f"no mention {surface!r} in {[doc.text[m.start:m.end] for m in doc.mentions]}")


# ----------------------------------------------------------------------------- the seed page


@pytest.fixture(scope="module")
def seed_doc(seed_text) -> Document:
    pipe = Pipeline.build("actors")
    return pipe.run(Page(Source("seed", "text"), "clean", text=seed_text.split(ADVERT_CUT)[0]))


def test_seed_states(seed_doc):
    states = {m.actor.name for m in seed_doc.mentions if m.actor and m.actor.kind == "state"}
    for name in ("Russia", "North Korea", "China", "Belarus", "Germany", "United States", "Japan"):
        assert name in states, name


def test_seed_persons_with_countries(seed_doc):
    persons = {(m.actor.name, m.actor.country, m.actor.id) for m in seed_doc.mentions
               if m.actor and m.actor.kind == "person"}
    for expected in (("Vladimir Putin", "RUS", "Q7747"), ("Kim Jong-un", "PRK", "Q56226"),
                     ("Xi Jinping", "CHN", "Q15031"), ("Alexander Lukashenko", "BLR", "Q2866"),
                     ("Friedrich Merz", "DEU", "Q566257")):
        assert expected in persons, expected


def test_seed_organisations_and_metonyms(seed_doc):
    orgs = {m.actor.name for m in seed_doc.mentions if m.actor and m.actor.kind == "organisation"}
    assert {"NATO", "European Union"} <= orgs
    brussels = [m for m in seed_doc.mentions if seed_doc.text[m.start:m.end] == "Brüssel"]
    assert any(m.actor.name == "European Union" for m in brussels)
    kreml = found(seed_doc, "Kreml")
    assert kreml.actor.name == "Russia" and kreml.role == "metonym"


def test_seed_title_resolved(seed_doc):
    m = found(seed_doc, "der russische Präsident")
    assert m.role == "title" and m.actor.name == "Vladimir Putin"
    assert found(seed_doc, "Nordkoreas Machthaber").actor.name == "Kim Jong-un"
    assert found(seed_doc, "der weißrussische Präsident").actor.name == "Alexander Lukashenko"


def test_seed_title_with_published_date(pipe, seed_text):
    doc = run(pipe, seed_text.split(ADVERT_CUT)[0], published="2025-09-03")
    assert doc.layers["mentions_date"] == "2025-09-03"
    assert found(doc, "der russische Präsident").actor.name == "Vladimir Putin"


def test_seed_sectors(seed_doc):
    m = found(seed_doc, "nordkoreanischer Soldaten")
    assert (m.role, m.actor.country, m.actor.sector) == ("sector", "PRK", "MIL")
    m = found(seed_doc, "deutsche Politiker")
    assert (m.actor.country, m.actor.sector) == ("DEU", "GOV")


def test_full_seed_page_has_no_webinar_speaker(seed_text):
    doc = Pipeline.build("actors").run(Page(Source("seed.txt", "text"), "text", text=seed_text))
    names = " ".join(m.actor.name for m in doc.mentions if m.actor)
    for speaker in WEBINAR_SPEAKERS:
        assert speaker not in names
    assert {"Vladimir Putin", "Kim Jong-un"} <= {m.actor.name for m in doc.mentions if m.actor}


# ----------------------------------------------------------------------------- inflection, metonymy, roles


@pytest.mark.parametrize("text,surface,iso", [
    ("Russlands Armee rückt vor.", "Russlands", "RUS"),
    ("Nordkoreas Führung schweigt.", "Nordkoreas", "PRK"),
    ("Die Interessen Weißrusslands sind klar.", "Weißrusslands", "BLR"),
])
def test_genitive_names(pipe, text, surface, iso):
    assert found(run(pipe, text), surface).actor.country == iso


def test_adjective_and_sector(pipe):
    doc = run(pipe, "Die russischen Truppen und die ukrainische Regierung verhandeln über russisches Gas.")
    m = found(doc, "russischen Truppen")
    assert (m.role, m.actor.country, m.actor.sector) == ("sector", "RUS", "MIL")
    m = found(doc, "ukrainische Regierung")
    assert (m.actor.country, m.actor.sector) == ("UKR", "GOV")
    assert found(doc, "russisches").role == "adjective"


def test_metonym_versus_place(pipe):
    doc = run(pipe, "Moskau drohte mit Vergeltung. Das Treffen fand in Moskau statt.")
    first, second = [m for m in doc.mentions if doc.text[m.start:m.end] == "Moskau"]
    assert (first.role, first.actor.name, first.actor.kind) == ("metonym", "Russia", "state")
    assert (second.role, second.actor.name, second.actor.kind, second.actor.country) == ("place", "Moscow", "place", "RUS")


def test_reaction_makes_capital_a_government(pipe):
    doc = run(pipe, "Das dürfte in Washington für Nervosität sorgen.")
    assert found(doc, "Washington").role == "metonym"
    assert found(doc, "Washington").actor.country == "USA"


def test_seats_of_power(pipe):
    doc = run(pipe, "Das Weiße Haus widersprach, der Kreml schwieg, im Élysée-Palast wurde beraten.")
    assert found(doc, "Weiße Haus").actor.country == "USA"
    assert found(doc, "Kreml").actor.country == "RUS"
    assert found(doc, "Élysée-Palast").role == "place"


@pytest.mark.parametrize("published,expected", [("2025-03-01", "Donald Trump"), ("2023-06-15", "Joe Biden")])
def test_dated_title(pipe, published, expected):
    doc = run(pipe, "Der US-Präsident kündigte neue Zölle an.", published=published)
    m = found(doc, "Der US-Präsident")
    assert m.role == "title" and m.actor.name == expected


def test_date_from_text_when_unpublished(pipe):
    doc = run(pipe, "Im März 2023 sagte der amerikanische Präsident, man werde helfen.")
    assert found(doc, "der amerikanische Präsident").actor.name == "Joe Biden"


def test_title_followed_by_name(pipe):
    doc = run(pipe, "Der weißrussische Präsident Alexander Lukaschenko reiste ab.", published="2010-01-01")
    assert found(doc, "Der weißrussische Präsident").actor.name == "Alexander Lukashenko"


def test_kremlchef_and_bundeskanzler(pipe):
    doc = run(pipe, "Kremlchef und Bundeskanzler telefonierten.", published="2024-02-01")
    assert found(doc, "Kremlchef").actor.name == "Vladimir Putin"
    assert found(doc, "Bundeskanzler").actor.name == "Olaf Scholz"


def test_compounds(pipe):
    doc = run(pipe, "Die NATO-Staaten beobachten die russisch-nordkoreanische Annäherung.")
    assert found(doc, "NATO-Staaten").actor.name == "NATO"
    countries = {m.actor.country for m in doc.mentions if m.actor and m.role == "adjective"}
    assert {"RUS", "PRK"} <= countries


def test_ambiguous_short_names_stay_unlinked_without_antecedent(pipe):
    doc = run(pipe, "Kim kam zu spät zum Training.")
    assert all(m.actor is None or m.actor.name != "Kim Jong-un" for m in doc.mentions)


def test_unknown_person_is_a_mention_without_id(pipe):
    doc = run(pipe, "Der Bürgermeister Thomas Schönfelder sagte am Montag, die Stadt werde sparen.")
    m = found(doc, "Thomas Schönfelder")
    assert m.actor.kind == "person" and m.actor.id is None


@pytest.mark.parametrize("text,surface", [
    ("Berlin (dpa) - Die Regierung will sparen, sagte ein Sprecher.", "dpa"),
    ("Frankfurt (dpa-AFX) - Die Aktie legte am Montag zu.", "dpa-AFX"),
])
def test_news_agency_of_a_byline_is_an_organisation(pipe, text, surface):
    m = found(run(pipe, text), surface)
    assert m.actor.kind == "organisation" and m.actor.id is None


def test_features_mark_a_token_after_a_name():
    from lagebild.annotate.mentions_ner_features import Lexicons, sentence_features

    res = Lexicons({}, {}, {}, {})
    feats = sentence_features(["Schalke", "04", "siegt", "in", "St", ".", "Gallen"], [""] * 7, res)
    assert "ac" in feats[1] and "acn" in feats[5] and not any(f.startswith("ac") for f in feats[2] + feats[3])


def test_mention_offsets_match_text(pipe, seed_text):
    doc = run(pipe, seed_text.split(ADVERT_CUT)[0])
    for m in doc.mentions:
        assert 0 <= m.start < m.end <= len(doc.text)
        assert doc.text[m.start:m.end].strip() == doc.text[m.start:m.end]


# ----------------------------------------------------------------------------- English


def test_english(pipe):
    doc = run(pipe, "Russian troops entered Ukraine. The White House said President Xi Jinping met "
                    "Kim Jong Un in Beijing, while Moscow warned NATO.", lang="en", published="2024-01-01")
    m = found(doc, "Russian troops")
    assert (m.actor.country, m.actor.sector) == ("RUS", "MIL")
    assert found(doc, "Ukraine").actor.country == "UKR"
    assert found(doc, "White House").actor.country == "USA"
    assert found(doc, "Xi Jinping").actor.id == "Q15031"
    assert found(doc, "Kim Jong Un").actor.name == "Kim Jong-un"
    assert found(doc, "Beijing").role == "place"
    assert found(doc, "Moscow").role == "metonym"
    assert found(doc, "NATO").actor.kind == "organisation"


def test_english_title(pipe):
    doc = run(pipe, "The Russian president spoke to the German chancellor.", lang="en", published="2025-09-03")
    assert found(doc, "The Russian president").actor.name == "Vladimir Putin"
    assert found(doc, "the German chancellor").actor.name == "Friedrich Merz"


def test_empty_and_other_language_documents(pipe):
    assert run(pipe, "").mentions == []
    doc = run(pipe, "Le président Emmanuel Macron a rencontré Olaf Scholz à Paris.", lang="fr")
    assert {m.actor.name for m in doc.mentions if m.actor} >= {"Emmanuel Macron", "Olaf Scholz"}
    assert all(m.actor.id is not None for m in doc.mentions if m.actor)   # no German recogniser on French


def test_english_unknown_person_after_a_title(pipe):
    doc = run(pipe, "Judge Alejandro Rivereña ordered the release, the court said.", lang="en")
    m = found(doc, "Alejandro Rivereña")
    assert m.actor.kind == "person" and m.actor.id is None


@pytest.mark.parametrize("text,surface", [
    ("Nach dem Treffen sagte Europa nichts.", "Europa"),
    ("Damit hat Asien gewonnen.", "Asien"),
    ("Was bedeutet das für Afrika?", "Afrika"),
    ("Lateinamerika und Südostasien wachsen, Europa stagniert.", "Europa"),
])
def test_continents_are_places_not_persons(pipe, text, surface):
    m = found(run(pipe, text), surface)
    assert m.actor.kind == "place", m


@pytest.mark.parametrize("text,surface,name", [
    ("Die Lage im Nahen Osten bleibt angespannt.", "Nahen Osten", "Middle East"),
    ("Die Zölle treffen Nordamerika hart.", "Nordamerika", "North America"),
    ("Die Zukunft des Westbalkans wurde in Brüssel beraten.", "Westbalkans", "Balkans"),
    ("Tensions in the Middle East rose again.", "Middle East", "Middle East"),
])
def test_world_regions_are_kb_places(pipe, text, surface, name):
    m = found(run(pipe, text), surface)
    assert m.actor is not None and m.actor.kind == "place" and m.actor.name == name, m
    assert m.role == "place"


def test_name_does_not_run_across_brackets(pipe):
    doc = run(pipe, "Das Buch von Ernest Wolf-Gazo ( Whitehead ) erschien 1980.")
    assert all("(" not in doc.text[m.start:m.end] for m in doc.mentions)


class _Marginals:
    """A stand-in tagger: fixed marginal probabilities per (label, position)."""

    def __init__(self, probs: dict[tuple[str, int], float]) -> None:
        self.probs = probs

    def marginal(self, label: str, k: int) -> float:
        return self.probs.get((label, k), 0.0)


def test_likely_names_join_only_above_the_threshold():
    from lagebild.annotate.mentions_ner import add_likely_names

    words = ["Herstellern", "Siemens", "und", "Bombardier", "geeinigt"]
    tagger = _Marginals({("B-ORG", 1): 0.6, ("B-ORG", 3): 0.2, ("B-PER", 3): 0.3})
    labels = ["O", "B-ORG", "O", "O", "O"]
    add_likely_names(words, labels, tagger, threshold=0.25)
    assert labels == ["O", "B-ORG", "O", "B-PER", "O"]
    labels = ["O", "B-ORG", "O", "O", "O"]
    add_likely_names(words, labels, tagger, threshold=0.35)
    assert labels == ["O", "B-ORG", "O", "O", "O"]
    add_likely_names(words, labels, tagger, threshold=1.0)   # 1.0 turns it off
    assert labels == ["O", "B-ORG", "O", "O", "O"]


def test_likely_name_continues_a_name_of_its_type():
    from lagebild.annotate.mentions_ner import add_likely_names

    words = ["Swiss", "Life", "zahlt"]
    labels = ["B-ORG", "O", "O"]
    add_likely_names(words, labels, _Marginals({("I-ORG", 1): 0.45}), threshold=0.35)
    assert labels == ["B-ORG", "I-ORG", "O"]
    labels = ["B-PER", "O", "O"]   # an I- label after another type opens a new name
    add_likely_names(words, labels, _Marginals({("I-ORG", 1): 0.45}), threshold=0.35)
    assert labels == ["B-PER", "B-ORG", "O"]


def test_evaluation_aligns_mentions_to_tokens_with_punctuation():
    from lagebild.annotate.mentions_eval import Sentence, as_document, predicted_spans
    from lagebild.document import Actor, Mention

    sent = Sentence(["1966", "besuchte", "Elisabeth", "II.", "die", "FDP-", "Fraktion"], [])
    doc, starts = as_document(sent)
    text = doc.text
    a = text.index("Elisabeth")
    f = text.index("FDP")
    doc.mentions = [Mention(a, text.index("II.") + 2, Actor(name="Elisabeth II", kind="person"), "name"),
                    Mention(f, f + 3, Actor(name="FDP", kind="organisation"), "name"),
                    Mention(a, a + 4, Actor(name="Elis", kind="person"), "name")]   # inside a token: no
    assert predicted_spans(doc, starts, sent.tokens) == [(2, 4, "PER"), (5, 6, "ORG")]


def test_two_names_joined_by_und_are_two_names_but_institutions_stay_whole() -> None:
    from lagebild.annotate.mentions_ner import split_at_conjunction

    words = "Northway Games und Radial Games".split()
    assert split_at_conjunction([(0, 5, "ORG")], words) == [(0, 2, "ORG"), (3, 5, "ORG")]
    words = "Hochschule für Technik und Wirtschaft".split()
    assert split_at_conjunction([(0, 5, "ORG")], words) == [(0, 5, "ORG")]
    words = "Volks- und Raiffeisenbanken".split()
    assert split_at_conjunction([(0, 3, "ORG")], words) == [(0, 3, "ORG")]
    words = "Forschung und Lehre".lower().split()   # no capitalised name after "und": untouched
    assert split_at_conjunction([(0, 3, "ORG")], words) == [(0, 3, "ORG")]


@pytest.mark.parametrize("text,surface,name,sector", [
    ("Gazprom hat die Lieferungen nach Europa gestoppt.", "Gazprom", "Gazprom", "BUS"),
    ("Die Tories verloren die Wahl, Labour gewann.", "Tories", "Conservative Party", "PTY"),
    ("Orbáns Fidesz stimmte dagegen.", "Fidesz", "Fidesz", "PTY"),
    ("Der Verfassungsschutz warnt vor Spionage.", "Verfassungsschutz",
     "Federal Office for the Protection of the Constitution", "SPY"),
    ("Wie die Agentur Tass meldete, traf Lawrow ein.", "Tass", "TASS", "MED"),
])
def test_companies_parties_and_agencies_are_organisations(pipe, text, surface, name, sector):
    m = found(run(pipe, text), surface)
    assert (m.actor.kind, m.actor.name, m.actor.sector) == ("organisation", name, sector)


def test_word_prefix_is_not_a_company(pipe):
    doc = run(pipe, "Meta-Analysen zeigen, dass das Bild nicht stimmt.")
    assert all(m.actor is None or m.actor.sector != "BUS" for m in doc.mentions)


@pytest.mark.parametrize("text", ["Merz sagte am Montag, Deutschland sei bereit.",
                                  "Kanzler Merz reiste am Montag nach Paris."])
def test_leader_by_surname(pipe, text):
    m = found(run(pipe, text, published="2025-09-01"), "Merz")
    assert (m.actor.name, m.actor.id, m.actor.country) == ("Friedrich Merz", "Q566257", "DEU")


@pytest.mark.parametrize("text,surface,name,country", [
    ("Russland hatte die Krim 2014 annektiert.", "Krim", "Crimea", "UKR"),
    ("Die Kämpfe im Donbass gehen weiter.", "Donbass", "Donbas", "UKR"),
    ("In Bayern wird im Herbst gewählt.", "Bayern", "Bavaria", "DEU"),
    ("Die Lage in Kaschmir bleibt angespannt.", "Kaschmir", "Kashmir", None),
])
def test_regions_inside_states_are_places_of_their_state(pipe, text, surface, name, country):
    m = found(run(pipe, text), surface)
    assert (m.actor.kind, m.actor.name, m.actor.country) == ("place", name, country)


@pytest.mark.parametrize("text,surface", [
    ("Landesrat Mayr kündigte am Montag neue Förderungen an.", "Mayr"),
    ("CEO Rick Dudley leitet das Unternehmen seit 2003.", "Rick Dudley"),
])
def test_person_title_is_cut_off_a_name(pipe, text, surface):
    doc = run(pipe, text)
    assert found(doc, surface).actor.kind == "person"
    assert all(m.start > 0 for m in doc.mentions)   # the title is not part of any name


@pytest.mark.parametrize("text,surface,name,country", [
    ("In Wien einigten sich ÖVP und SPÖ, die Grünen kritisierten das. Österreich wählt im Herbst.",
     "Grünen", "The Greens – The Green Alternative", "AUT"),
    ("In Berlin kritisierten die Grünen die Union, Deutschland müsse handeln.",
     "Grünen", "Alliance 90/The Greens", "DEU"),
    ("Die FDP in Bern lehnte die Vorlage ab, die Schweiz stimmt im Juni ab.", "FDP", "FDP.The Liberals", "CHE"),
    ("Die Grünen legen zu.", "Grünen", "Alliance 90/The Greens", "DEU"),
])
def test_shared_party_names_follow_the_documents_country(pipe, text, surface, name, country):
    m = found(run(pipe, text), surface)
    assert (m.actor.name, m.actor.country) == (name, country)


def test_name_shape_ngrams_and_scores():
    """The name-or-noun model: edge-marked character n-grams, a logistic score over their weights,
    five feature buckets; without a model no feature is added."""
    from lagebild.annotate.mentions_name_shape import NameShape, char_ngrams
    from lagebild.annotate.mentions_ner_features import Lexicons, word_features

    grams = char_ngrams("Wald")
    assert {" W", "d ", " Wald", "Wald ", "ald"} <= grams and " Wald " not in grams   # 2..5 characters
    assert char_ngrams("Ab") >= {" A", "Ab", "b ", " Ab ", " Ab"}
    shape = NameShape({"ald ": 3.0, "ro ": -3.0}, 0.0)
    assert shape.noun_probability("Fichtenwald") > 0.9 > 0.1 > shape.noun_probability("Tranomaro")
    assert shape.feature("Fichtenwald") == "nsh=4" and shape.feature("Tranomaro") == "nsh=0"
    assert NameShape().noun_probability("Wald") == 0.5
    with_model = word_features("Fichtenwald", Lexicons({}, {}, {}, {}, shape))
    without = word_features("Fichtenwald", Lexicons({}, {}, {}, {}))
    assert "nsh=4" in with_model and not any(f.startswith("nsh=") for f in without)


def test_shipped_name_shape_tells_names_from_nouns():
    """The shipped model (trained on KB names and HanTa nouns, no GermEval words) separates
    typical German compound nouns from foreign place and person names."""
    from lagebild.annotate.mentions_ner import recogniser

    rec = recogniser()
    assert rec is not None and rec.res.shape.weights
    p = rec.res.shape.noun_probability
    assert min(p("Holzmangel"), p("Käuferkreis"), p("Vollzinn")) > 0.7
    assert max(p("Hatfield"), p("Tranomaro"), p("Kowalczyk")) < 0.6


def test_latest_date_in_text_reads_every_format():
    from lagebild.annotate.mentions_rules import latest_date

    assert latest_date("Am 12. März 2024 und am 3.4.2023, dann 2025-01-02; im MAI 2026 oder March 5, 2027.") \
        == "2027-03-05"
    assert latest_date("Vertrag vom 19. Juni 2024, Treffen im September 2025") == "2025-09"
    assert latest_date("am 31.02.2024 (kein Datum) und am 1.1.2020") == "2020-01-01"
    assert latest_date("Keine Zahl, kein Monat.") is None


def test_date_pattern_prefilter_keeps_every_match():
    import re

    from lagebild.annotate.mentions_rules import _DATE_START, DATE_RE

    plain = re.compile(DATE_RE.pattern[len(_DATE_START) + len("(?:"):-1], re.IGNORECASE)
    text = ("Am 12. März 2024, 3.4.2023 und 2025-01-02; im Mai 2026, Dezember 2019, 1. Jänner 2021, "
            "october 7, 2023, am 31.12.1999 um 12:30, Nr. 2024-13-40, ab 5. Oktober 2022.") * 3
    assert [m.groupdict() for m in DATE_RE.finditer(text)] == [m.groupdict() for m in plain.finditer(text)]
    assert len(list(DATE_RE.finditer(text))) == 27
