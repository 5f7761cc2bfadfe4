"""Stage ``coref``: short forms and group references resolve to actors introduced earlier."""

from __future__ import annotations

import pytest

from lagebild.document import Document, Meta, Source
from lagebild.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.build("language,sentences,mentions,coref")


def run(pipe, text: str, lang: str = "de") -> Document:
    return pipe.annotate(Document(text, Source("t", "text"), Meta(published="2025-09-03"), language=lang))


def at(doc: Document, surface: str, nth: int = 0):
    hits = [m for m in doc.mentions if doc.text[m.start:m.end] == surface]
    assert len(hits) > nth, (surface, [doc.text[m.start:m.end] for m in doc.mentions])
    return hits[nth]


def test_short_form_after_full_name(pipe):
    doc = run(pipe, "Kim Jong-un empfing Gäste. Später sagte Kim, die Beziehungen seien gut. Kims Worte wirkten.")
    m = at(doc, "Kim")
    assert (m.role, m.actor.name) == ("coref", "Kim Jong-un")
    assert at(doc, "Kims").actor.name == "Kim Jong-un"


def test_unknown_person_surname(pipe):
    doc = run(pipe, "Die Ministerin Martina Grünwaldner sagte, es gebe keinen Plan. Grünwaldner kündigte dann Gespräche an.")
    full = at(doc, "Martina Grünwaldner")
    short = at(doc, "Grünwaldner")
    assert full.actor.kind == "person" and short.role == "coref" and short.actor == full.actor


def test_group_reference(pipe):
    doc = run(pipe, "Wladimir Putin traf Kim Jong-un in Peking. Beide Staatschefs lobten die Zusammenarbeit.")
    m = at(doc, "Beide Staatschefs")
    assert m.actor is None and [a.name for a in m.members] == ["Vladimir Putin", "Kim Jong-un"]


def test_group_reference_states(pipe):
    doc = run(pipe, "Russland und Nordkorea unterzeichneten einen Vertrag. Beide Länder wollen kooperieren.")
    assert {a.name for a in at(doc, "Beide Länder").members} == {"Russia", "North Korea"}


def test_no_resolution_before_the_antecedent(pipe):
    doc = run(pipe, "Merz zögerte. Danach traf Friedrich Merz den Präsidenten.")
    first = [m for m in doc.mentions if doc.text[m.start:m.end] == "Merz"]
    assert all(m.role != "coref" for m in first)


def test_english_short_form(pipe):
    doc = run(pipe, "Vladimir Putin met Kim Jong Un. Later, Putin thanked Kim.", lang="en")
    assert at(doc, "Kim").actor.name == "Kim Jong-un"


def test_bare_title_resolves_to_office_holder_named_before(pipe):
    doc = run(pipe, "Emmanuel Macron empfing Friedrich Merz. Der Kanzler lobte danach den Präsidenten.")
    assert at(doc, "Der Kanzler").actor.name == "Friedrich Merz"
    assert at(doc, "den Präsidenten").actor.name == "Emmanuel Macron"


def test_bare_title_without_office_holder_stays_unresolved(pipe):
    doc = run(pipe, "Thomas Müller sprach. Der Präsident des Vereins widersprach.")
    assert not [m for m in doc.mentions if doc.text[m.start:m.end] == "Der Präsident"]
