"""The document model: immutable text, offset views, ids, contract JSON round trip."""

from __future__ import annotations

import pytest

from lagebild.document import (Actor, Document, Event, Failure, Framing, Location, Mention, Meta, Quote,
                               Removed, Source, Speaker, Span, document_id)
from lagebild.errors import DocError
from lagebild.schema import validate_document

TEXT = "Putin traf Kim in Peking.\nKim sagte: \"Wir sehen uns bald wieder.\""
PUTIN = Actor("Vladimir Putin", "person", "Q7747", "RUS", "GOV")
KIM = Actor("Kim Jong-un", "person", "Q56226", "PRK", "GOV")


def make_doc() -> Document:
    doc = Document(TEXT, Source("a.txt", "text"), Meta(title="T", published="2025-09-03"),
                   removed=[Removed("RETTE DEIN GELD!", "advert", 20)], language="de")
    doc.mentions = [Mention(0, 5, PUTIN), Mention(11, 14, KIM)]
    q0 = TEXT.index("Wir")
    doc.quotes = [Quote(q0, TEXT.index(".\"") + 1, "direct", Speaker(26, 29, KIM), "sagte")]
    doc.events = [Event("CONSULT", [PUTIN], [KIM], Span(6, 10), Span(0, 25), mode="visit", date="2025-09",
                        location=Location("Beijing", "Q956", "CHN"), confidence=0.8)]
    doc.framing = [Framing(0, 5, "loaded_language", 0.6)]
    return doc


def test_text_is_immutable() -> None:
    doc = make_doc()
    with pytest.raises(AttributeError):
        doc.text = "other"  # type: ignore[misc]


def test_id_is_sha256_of_normalised_text() -> None:
    assert document_id("a  b\n c") == document_id("a b c")
    assert document_id("a b c") != document_id("a b d")
    assert len(make_doc().id) == 64


def test_contract_json_validates_and_round_trips() -> None:
    doc = make_doc()
    d = doc.to_dict()
    validate_document(d)
    assert d["schema"] == "lagebild/1"
    assert d["mentions"][0]["text"] == "Putin"
    assert d["quotes"][0]["speaker"]["actor"]["name"] == "Kim Jong-un"
    assert d["events"][0]["trigger"]["text"] == "traf"
    back = Document.from_dict(d)
    assert back.to_dict() == d


def test_schema_rejects_broken_documents() -> None:
    import jsonschema

    d = make_doc().to_dict()
    d["genre"] = "poetry"
    with pytest.raises(jsonschema.ValidationError):
        validate_document(d)
    d = make_doc().to_dict()
    d["mentions"][0]["text"] = "Merz"
    with pytest.raises(ValueError):
        validate_document(d)
    d = make_doc().to_dict()
    d["events"][0]["type"] = "MEET"
    with pytest.raises(jsonschema.ValidationError):
        validate_document(d)


def test_failure_json_validates() -> None:
    f = Failure(Source("x.bin", "html"), [DocError("read", "E103", "binary input")])
    validate_document(f.to_dict())


def test_normalise_text_collapses_exactly_what_the_regex_collapses():
    """str.split() and re's \\s agree on every code point, so ids stay what they were."""
    import re
    import unicodedata

    from lagebild.document import normalise_text

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    samples = [every, " a\u00a0\u2009b\x1c\x1fc\u3000 ", "\n\n", "", "x\u200by", "e\u0301 \t\r\n f"]
    for text in samples:
        expected = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
        assert normalise_text(text) == expected
