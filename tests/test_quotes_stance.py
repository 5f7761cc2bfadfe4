"""Quotes stage: stances, thoughts and speech acts without a quoted message (SpkAtt forms Reported and
thought events), subjects of verb-final clauses, speech nouns and passive reports."""

from __future__ import annotations

from tests.test_quotes import MERKEL, analyse, find, speaker_name


def _src(doc, q) -> str | None:
    info = doc.layers["quote_info"][doc.quotes.index(q)]
    return doc.text[info["source"][0]:info["source"][1]] if info["source"] else None


def test_opinion_verb_takes_a_main_clause() -> None:
    doc = analyse("Ich glaube, wir müssen die Grenzwerte senken.")
    q = find(doc, "Grenzwerte")
    assert q.kind == "indirect" and q.cue == "glaube" and _src(doc, q) == "Ich"


def test_first_person_stance_with_its_object() -> None:
    doc = analyse("Die Gesundheit der Menschen ist Ihnen egal. Den Antrag der Grünen lehnen wir deshalb ab.")
    q = find(doc, "Antrag der Grünen")
    assert _src(doc, q) == "wir" and doc.layers["quote_info"][doc.quotes.index(q)]["form"] == "reported"


def test_parenthetical_das_sage_ich() -> None:
    doc = analyse("Das ist eine Verhöhnung der Opfer - das sage ich in aller Deutlichkeit - und nicht hinnehmbar.")
    q = find(doc, "das sage ich")
    assert _src(doc, q) == "ich"


def test_subject_of_a_verb_final_clause() -> None:
    doc = analyse("Das ist richtig, auch wenn Merkel betont, dass die Lage ernst sei.", mentions={"Merkel": MERKEL})
    q = find(doc, "Lage ernst")
    assert speaker_name(q) == "Angela Merkel"


def test_modal_in_second_position_ends_the_prefield() -> None:
    doc = analyse("Zu den Zusammenhängen würde ich gerne kurz etwas sagen.")
    assert _src(doc, find(doc, "etwas")) == "ich"


def test_speech_noun_with_its_author() -> None:
    doc = analyse("Die Forderung des Verbands, die Steuern müssten sinken, stieß auf Kritik.")
    q = find(doc, "Steuern")
    assert _src(doc, q) == "des Verbands" or "Verbands" in (_src(doc, q) or "")


def test_passive_report_with_dass_clause_has_no_speaker() -> None:
    doc = analyse("Im Urteil wurde festgestellt, dass die Regelung gegen EU-Recht verstößt.")
    q = find(doc, "gegen EU-Recht")
    assert q.speaker is None


def test_passive_phrase_is_not_the_speaker_of_a_speech_act() -> None:
    doc = analyse("Als Favorit wurde der Minister genannt.")
    assert not [q for q in doc.quotes if q.kind != "scare"]


def test_unattributed_title_is_a_scare_quote() -> None:
    doc = analyse("Der Film „Wenn ich einmal reich wär und alles gut geht“ läuft im Kino.")
    assert all(q.kind == "scare" for q in doc.quotes)
