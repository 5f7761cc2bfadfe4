"""Events stage with hand-built mentions: each type, German word orders, roles, flags, dates, places."""

from __future__ import annotations

import pytest

from tests.events_helpers import PRK, RUS, codes, make_doc, run

from lagebild.annotate.events import EventsStage
from lagebild.document import Mention


def one(text: str, **kw):
    evs = [e for e in run(text, **kw)]
    assert evs, f"no event in {text!r}"
    return evs[0]


@pytest.mark.parametrize("text,typ,src,tgt", [
    ("Russland und Nordkorea unterzeichneten einen Vertrag.", "AGREE", {"RUS", "PRK"}, {"RUS", "PRK"}),
    ("Putin traf sich mit Kim.", "CONSULT", {"RUS"}, {"PRK"}),
    ("Kim bekräftigte seine Unterstützung für Russland.", "SUPPORT", {"PRK"}, {"RUS"}),
    ("Die Ukraine gab dem Druck Russlands nach.", "CONCEDE", {"UKR"}, {"RUS"}),
    ("Die militärische Kooperation zwischen Russland und Nordkorea wächst.", "COOPERATE", {"RUS", "PRK"}, {"RUS", "PRK"}),
    ("Deutschland lieferte der Ukraine Panzer.", "AID", {"DEU"}, {"UKR"}),
    ("Russland zog seine Truppen aus der Ukraine zurück.", "RETREAT", {"RUS"}, {"UKR"}),
    ("Die Ukraine forderte von Deutschland mehr Munition.", "REQUEST", {"UKR"}, {"DEU"}),
    ("Die Ukraine warf Russland Kriegsverbrechen vor.", "ACCUSE", {"UKR"}, {"RUS"}),
    ("Russland lehnte den Vorschlag der Ukraine ab.", "REJECT", {"RUS"}, {"UKR"}),
    ("Nordkorea drohte den USA mit Konsequenzen.", "THREATEN", {"PRK"}, {"USA"}),
    ("In Kiew protestierten Tausende gegen die Regierung der Ukraine.", "PROTEST", set(), {"UKR"}),
    ("Die EU verhängte neue Sanktionen gegen Russland.", "SANCTION", {"European Union"}, {"RUS"}),
    ("Russland verlegte Truppen an die Grenze zur Ukraine.", "MOBILIZE", {"RUS"}, set()),
    ("Russland beschlagnahmte ein Schiff der Ukraine.", "COERCE", {"RUS"}, {"UKR"}),
    ("Russland griff die Ukraine in der Nacht an.", "ASSAULT", {"RUS"}, {"UKR"}),
])
def test_each_type(text, typ, src, tgt):
    e = one(text)
    assert e.type == typ
    if src:
        assert codes(e.source) == src
    assert tgt <= codes(e.target) | (codes(e.source) if typ in ("AGREE", "COOPERATE") else set())
    assert not e.negated and not e.hypothetical


def test_v2_inversion_and_oblique_article():
    e = one("Am Dienstag empfing Putin den Machthaber Kim in Moskau.")
    assert (e.type, codes(e.source), codes(e.target)) == ("CONSULT", {"RUS"}, {"PRK"})


def test_verb_final_subordinate_clause():
    e = one("Die Ukraine meldete, dass Russland Nordkorea Raketen geliefert habe.", published="2025-09-03")
    evs = run("Die Ukraine meldete, dass Russland Nordkorea Raketen geliefert habe.")
    aid = [x for x in evs if x.type == "AID"]
    assert aid and codes(aid[0].source) == {"RUS"} and codes(aid[0].target) == {"PRK"}
    assert e is not None


def test_passive_agent_is_source():
    e = one("Die Ukraine wurde von Russland angegriffen.")
    assert (e.type, codes(e.source), codes(e.target)) == ("ASSAULT", {"RUS"}, {"UKR"})


def test_separable_verb_with_gap():
    e = one("Kim sagte Russland am Dienstag umfassende Militärhilfe zu.")
    assert e.type == "AGREE" and codes(e.source) == {"PRK"} and codes(e.target) == {"RUS"}


def test_coordination_and_symmetric_meeting():
    e = one("Russland und Nordkorea trafen sich in Peking.")
    assert e.type == "CONSULT"
    assert codes(e.source) == {"RUS", "PRK"} == codes(e.target)
    assert e.location is not None and e.location.country == "CHN"


def test_coordinated_targets():
    e = one("Die EU verhängte Sanktionen gegen Russland und Nordkorea.")
    assert codes(e.target) == {"RUS", "PRK"}


@pytest.mark.parametrize("text", [
    "Russland griff die Ukraine nicht an.",
    "China lieferte keine Waffen an Russland.",
    "Der Kreml dementierte, dass Nordkorea Truppen nach Russland geschickt habe.",
])
def test_negation(text):
    assert all(e.negated for e in run(text)), text


@pytest.mark.parametrize("text", [
    "Russland könnte Nordkorea Raketen liefern.",
    "Die EU dürfte Sanktionen gegen Russland verhängen.",
    "Falls Russland die Ukraine angreift, verhängt die EU Sanktionen.",
    "Es gilt als unwahrscheinlich, dass Putin Selenskyj trifft.",
])
def test_hypothetical(text):
    evs = run(text)
    assert evs and all(e.hypothetical for e in evs), text


def test_not_only_is_no_negation():
    e = one("Russland unterstützt Nordkorea nicht nur politisch, sondern auch militärisch.")
    assert not e.negated


def test_future_pledge_is_agree_not_hypothetical():
    e = one("Deutschland wird der Ukraine weitere Panzer liefern.")
    assert e.type == "AGREE" and not e.hypothetical


def test_refusal_is_reject():
    e = one("Russland wird dem Abkommen nicht zustimmen.")
    assert e.type == "REJECT" and not e.negated


@pytest.mark.parametrize("text,published,date", [
    ("Im Juni 2024 unterzeichneten Russland und Nordkorea einen Vertrag.", "2025-09-03", "2024-06"),
    ("Am Dienstag traf Putin Kim.", "2025-09-03", "2025-09-02"),       # 2025-09-03 is a Wednesday
    ("Am Mittwoch traf Putin Kim.", "2025-09-03", "2025-09-03"),
    ("Gestern traf Putin Kim.", "2025-09-03", "2025-09-02"),
    ("Putin traf Kim am 12. Mai 2023.", "2025-09-03", "2023-05-12"),
    ("Putin traf Kim.", "2025-09-03", "2025-09-03"),
    ("Putin traf Kim.", None, None),
    ("Am Dienstag traf Putin Kim.", "2025-09", "2025-09"),             # partial published date: no weekday
])
def test_dates(text, published, date):
    assert one(text, published=published).date == date


def test_location_from_place_mention():
    e = one("Bei einem Treffen in Peking bekräftigte Kim seine Unterstützung für Russland.")
    assert e.location is not None and e.location.name == "Beijing"


def test_meeting_partner_from_same_sentence():
    evs = run("Bei einem Treffen in Peking bekräftigte Kim seine Unterstützung für Russland.")
    consult = [e for e in evs if e.type == "CONSULT"]
    assert consult and codes(consult[0].source) | codes(consult[0].target) == {"PRK", "RUS"}


def test_invitation_received_is_inverse():
    evs = run("Lukaschenko erhielt eine Einladung nach Pjöngjang.")
    inv = [e for e in evs if e.type == "AGREE"]
    assert inv and codes(inv[0].source) == {"PRK"} and codes(inv[0].target) == {"BLR"}


@pytest.mark.parametrize("text", [
    "Die Verhandlungen dauerten bis in die Nacht.",              # trigger, no actor
    "Russland ist das größte Land der Erde.",                    # actor, no trigger
    "Kim Jong-uns Worte klingen wie eine Drohung.",             # a bare noun with one actor
])
def test_precision_no_event(text):
    assert run(text) == []


def test_group_reference_members_are_actors():
    e = one("Die beiden Staatschefs trafen sich in Peking.")
    assert codes(e.source) == {"RUS", "PRK"}


def test_no_mentions_no_events():
    doc = make_doc("Russland griff die Ukraine an.")
    doc.mentions = []
    assert EventsStage()(doc).events == []


def test_place_mentions_are_not_actors():
    doc = make_doc("Russland griff die Ukraine an.")
    doc.mentions = [Mention(m.start, m.end, m.actor, "place") for m in doc.mentions]
    assert EventsStage()(doc).events == []


def test_english_roles_and_passive():
    names = {"Russia": (RUS, "name"), "North Korea": (PRK, "name")}
    e = one("Russia attacked North Korea on Tuesday.", language="en", names=names)
    assert (e.type, codes(e.source), codes(e.target), e.date) == ("ASSAULT", {"RUS"}, {"PRK"}, "2025-09-02")
    e = one("North Korea was attacked by Russia.", language="en", names=names)
    assert (codes(e.source), codes(e.target)) == ({"RUS"}, {"PRK"})
    e = one("Russia threatened to attack North Korea.", language="en", names=names)
    assert e.type == "THREATEN" and codes(e.target) == {"PRK"}


def test_contract_json_and_unique_actor_keys():
    doc = make_doc("Russland und Moskau unterzeichneten mit Nordkorea einen Vertrag.")
    doc = EventsStage()(doc)
    d = doc.to_dict()["events"][0]
    assert d["type"] == "AGREE" and d["trigger"]["text"]
    keys = [a["id"] for a in d["source"]]
    assert len(keys) == len(set(keys))


def test_separable_particle_must_end_the_clause():
    assert not [e for e in run("Das sagte Putin zu den Journalisten in Moskau über Nordkorea.") if e.type == "AGREE"]


def test_symmetric_event_needs_two_parties():
    assert [e for e in run("Putin traf sich in Peking.") if e.type == "CONSULT"] == []


def test_reported_speech_subjunctive_is_not_hypothetical():
    e = one("Russland und Nordkorea hätten ihre militärische Zusammenarbeit verstärkt.")
    assert e.type == "COOPERATE" and not e.hypothetical


def test_reflexive_liefern_is_fighting():
    e = one("Russland und die Ukraine lieferten sich schwere Gefechte.")
    assert e.type == "ASSAULT"


def test_attributive_participle_is_no_event():
    assert run("Lukaschenko begnadigte sechs inhaftierte Oppositionelle aus Russland.") == []


def test_condemning_an_attack_is_one_accusation():
    evs = run("Die EU hat den Angriff Russlands auf die Ukraine scharf verurteilt.")
    assert [e.type for e in evs] == ["ACCUSE"] and codes(evs[0].source) == {"European Union"}


def test_demand_takes_its_content_as_target():
    evs = run("Die EU forderte, die Sanktionen gegen Russland zu verschärfen.")
    assert [e.type for e in evs] == ["REQUEST"] and codes(evs[0].target) == {"RUS"}


def test_we_in_a_quote_is_the_speakers_state():
    from lagebild.document import Quote, Speaker
    from tests.events_helpers import KIM

    text = '"Wir werden Russland helfen", sagte Kim.'
    doc = make_doc(text)
    doc.quotes = [Quote(1, text.index('"', 1), "direct", Speaker(text.index("Kim"), len(text) - 1, KIM))]
    evs = EventsStage()(doc).events
    assert evs and codes(evs[0].source) == {"PRK"} and codes(evs[0].target) == {"RUS"}
