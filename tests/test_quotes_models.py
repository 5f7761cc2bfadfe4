"""The learned parts of the quotes stage: shipped model files, and what the filter must never drop."""

from __future__ import annotations

from lagebild.annotate import quotes_filter, quotes_lexicon, quotes_ranker
from lagebild.annotate.quotes import QuotesStage
from lagebild.annotate.sentences import make_sentences
from lagebild.document import Document, Source
from lagebild.settings import Settings


def _run(text: str, use_models: bool = True) -> Document:
    doc = make_sentences(Settings())(Document(text, Source("t", "text"), language="de"))
    return QuotesStage(use_models=use_models)(doc)


def test_shipped_models_are_small_and_load() -> None:
    for name in ("quotes_speaker_de.json", "quotes_filter_de.json"):
        path = quotes_lexicon.MODEL_DIR / name
        assert path.exists() and path.stat().st_size < 500_000, name
    assert quotes_ranker.load_model("de")["weights"]
    assert 0.0 < quotes_filter.load_filter("de")["threshold"] < 1.0


def test_no_model_for_a_language_keeps_every_quote() -> None:
    assert quotes_ranker.load_model("xx") is None
    assert quotes_filter.load_filter("xx") is None


def test_filter_never_drops_direct_quotes() -> None:
    text = "„Wir werden das gemeinsam schaffen, da bin ich mir sicher“, sagte die Ministerin am Montag."
    with_models = [q for q in _run(text).quotes if q.kind == "direct"]
    without = [q for q in _run(text, use_models=False).quotes if q.kind == "direct"]
    assert len(with_models) == len(without) == 1
    assert text[with_models[0].speaker.start:with_models[0].speaker.end] == "die Ministerin"


def test_filter_keeps_first_person_statements_of_speeches() -> None:
    text = "Ich sage Ihnen ganz deutlich, dass wir diesen Antrag ablehnen werden."
    assert [q for q in _run(text).quotes if q.kind == "indirect"]


def test_filter_only_removes_quotes() -> None:
    text = ("Der Minister sagte, die Reform komme im Herbst. Die Opposition kritisierte, das sei zu spät. "
            "Als Grund nannte die Regierung die hohen Kosten.")
    kept = {(q.start, q.end) for q in _run(text).quotes}
    assert kept <= {(q.start, q.end) for q in _run(text, use_models=False).quotes}
    assert any(text[a:b].startswith("die Reform") for a, b in kept)
