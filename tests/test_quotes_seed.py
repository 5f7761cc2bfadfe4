"""The reference page end to end: extraction, actors, coreference and quotes (the issue's seed bar)."""

from __future__ import annotations

import pytest

from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed_doc(seed_text: str):
    from lagebild.pipeline import Pipeline
    from lagebild.sources import iter_pages

    pipe = Pipeline.build("quotes")
    if "mentions" not in pipe.names:
        pytest.skip("the mentions stage is not available in this checkout")
    doc = pipe.run(next(iter(iter_pages([str(SEED)]))))
    assert "quotes" in doc.done, doc.errors
    return doc


def _speakers(doc, fragment: str) -> set[str]:
    names = set()
    for q in doc.quotes:
        if fragment in doc.text[q.start:q.end] and q.speaker is not None:
            if q.speaker.actor is not None:
                names.add(q.speaker.actor.name)
            names.update(a.name for a in q.speaker.members)
    return names


@pytest.mark.parametrize("fragment,speaker", [
    ("brüderliche Pflicht", "Kim Jong-un"),
    ("Wenn es etwas gibt, womit wir Russland helfen können", "Kim Jong-un"),
    ("in allen Bereichen", "Kim Jong-un"),
    ("Wir sehen uns bald wieder", "Kim Jong-un"),
    ("Ihre Soldaten haben mutig und heldenhaft gekämpft", "Vladimir Putin"),
])
def test_seed_quotes_are_attributed(seed_doc, fragment: str, speaker: str) -> None:
    assert speaker in _speakers(seed_doc, fragment)


def test_seed_quote_offsets_cut_their_text(seed_doc) -> None:
    d = seed_doc.to_dict()
    assert d["quotes"]
    for q in d["quotes"]:
        assert d["text"][q["start"]:q["end"]] == q["text"]
        assert q["kind"] in ("direct", "indirect", "partial", "scare")
        if q["speaker"] and q["speaker"]["start"] is not None:
            assert d["text"][q["speaker"]["start"]:q["speaker"]["end"]] == q["speaker"]["text"]


def test_seed_exact_quote_texts(seed_doc) -> None:
    texts = {seed_doc.text[q.start:q.end] for q in seed_doc.quotes}
    assert "brüderliche Pflicht" in texts
    assert "Wir sehen uns bald wieder" in texts
    assert "in allen Bereichen" in texts
    assert any(t.startswith("Ihre Soldaten haben mutig") and t.endswith("Opfer vergessen") for t in texts)


def test_seed_indirect_speech(seed_doc) -> None:
    by_text = {seed_doc.text[q.start:q.end]: q for q in seed_doc.quotes}
    q = by_text.get('Die Hilfe für den Kreml sei eine "brüderliche Pflicht"')
    assert q is not None and q.kind == "indirect" and q.cue == "ließ verlauten"
    assert q.speaker.actor is not None and q.speaker.actor.name == "Kim Jong-un"
    assert not any("Nervosität" in t for t in by_text)      # "– Worte, die …" is the author's comment
