"""Tone: GDELT AvgTone-like document score and per-sentence polarity from per-language word lists."""

from __future__ import annotations

from lagebild.annotate.tone import lexicon, score_words
from lagebild.annotate.sentences import tokenize
from lagebild.document import Document, Source
from lagebild.pipeline import Pipeline

PIPE = Pipeline.build("sentences,tone")


def tone_of(text: str, language: str) -> dict:
    doc = PIPE.annotate(Document(text, Source("t", "text"), language=language))
    assert "tone" in doc.done
    return doc.tone


def test_german_positive_and_negative() -> None:
    pos = tone_of("Die Einigung ist ein großer Erfolg. Beide Seiten lobten die gute Zusammenarbeit.", "de")
    neg = tone_of("Bei dem Anschlag wurden zwölf Menschen getötet. Die Angst vor weiterer Gewalt wächst.", "de")
    assert pos["score"] > 0 > neg["score"]
    assert pos["positive"] > pos["negative"] and neg["negative"] > neg["positive"]


def test_english_positive_and_negative() -> None:
    pos = tone_of("The agreement is a great success. Both sides praised the excellent cooperation.", "en")
    neg = tone_of("The attack killed twelve people. Fear of further violence is growing.", "en")
    assert pos["score"] > 0 > neg["score"]


def test_negation_flips_polarity() -> None:
    lex = lexicon("de")
    words = [w for w in "Das war kein Erfolg".split()]
    p, n, _ = score_words(words, lex)
    assert (p, n) == (0, 1)
    p, n, _ = score_words("This was not a success".split(), lexicon("en"))
    assert (p, n) == (0, 1)


def test_scale_and_sentences() -> None:
    text = "Der Bundestag tagt am Freitag.\nDie Krise verschärft sich dramatisch."
    t = tone_of(text, "de")
    assert abs(t["score"] - (t["positive"] - t["negative"])) < 0.01
    assert t["polarity"] >= t["positive"] and t["polarity"] >= t["negative"]
    assert len(t["sentences"]) == 2
    assert t["sentences"][0]["score"] == 0
    assert t["sentences"][1]["score"] < 0
    s = t["sentences"][1]
    assert text[s["start"]:s["end"]].startswith("Die Krise")


def test_neutral_text_is_zero() -> None:
    assert tone_of("Der Zug fährt um zehn Uhr nach Hamburg.", "de")["score"] == 0


def test_seed_page_tone_is_negative(seed_text: str) -> None:
    text = seed_text[:seed_text.index("RETTE DEIN GELD!")].rstrip()
    assert tone_of(text, "de")["score"] < 0


def test_stems_match_inflections() -> None:
    lex = lexicon("de")
    assert lex.polarity("Katastrophen") < 0 and lex.polarity("erfolgreiche") > 0
    assert lex.polarity("Tisch") == 0
    assert len(tokenize("x")) == 1
