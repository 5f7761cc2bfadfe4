"""Stage registry, pipeline building and checking, error capture per document."""

from __future__ import annotations

import pytest

from lagebild.document import Document, Failure, Source
from lagebild.errors import ConfigError, DocError
from lagebild.page import Page
from lagebild.pipeline import Pipeline, Registry, check, registry, resolve_names
from lagebild.settings import Settings


def text_page(text: str, uri: str = "t.txt") -> Page:
    return Page(Source(uri, "text"), "clean", text=text)


def test_builtin_stages_are_registered() -> None:
    names = registry().names()
    assert {"language", "sentences"} <= set(names)


def test_presets_and_comma_lists() -> None:
    assert resolve_names("extract") == ["language"]
    assert resolve_names("extract,language,sentences") == ["language", "sentences"]
    assert resolve_names("default")[:2] == ["language", "sentences"]


def test_unknown_stage_is_a_clear_config_error() -> None:
    with pytest.raises(ConfigError) as err:
        Pipeline.build("language,nonsense")
    assert "E401" in str(err.value) and "nonsense" in str(err.value)


def test_missing_requirement_names_the_providers() -> None:
    reg = Registry()
    reg.add("a", ["text"], ["alpha"], lambda s: None)
    reg.add("b", ["alpha"], ["beta"], lambda s: None)
    with pytest.raises(ConfigError) as err:
        check(["b", "a"], reg)
    assert "E402" in str(err.value) and "alpha" in str(err.value) and "a" in str(err.value)
    check(["a", "b"], reg)
    with pytest.raises(ConfigError):
        check(["a", "a"], reg)


class Boom:
    name = "boom"
    requires = ("text",)
    adds = ("boom",)

    def __call__(self, doc: Document) -> Document:
        if "explode" in doc.text:
            raise ValueError("kaputt")
        return doc


class NeedsBoom:
    name = "after"
    requires = ("boom",)
    adds = ("after",)

    def __call__(self, doc: Document) -> Document:
        doc.layers["after"] = True
        return doc


def test_failing_stage_is_recorded_and_batch_goes_on() -> None:
    pipe = Pipeline([Boom(), NeedsBoom()], Settings())
    results = list(pipe.pipe([text_page("please explode now"), text_page("all calm here"),
                              Page.failed(Source("gone.txt", "text"), DocError("read", "E101", "file not found"))]))
    first, second, third = results
    assert isinstance(first, Document) and first.errors[0].stage == "boom"
    assert "kaputt" in first.errors[0].message and first.errors[0].code == "E301"
    assert "after" not in first.layers          # its requirement failed, so it was skipped
    assert isinstance(second, Document) and not second.errors and second.layers["after"]
    assert isinstance(third, Failure) and third.errors[0].code == "E101"


class SeesCollector:
    name = "sees_gc"
    requires: tuple[str, ...] = ()
    adds = ("gc_seen",)

    def __call__(self, doc: Document) -> Document:
        import gc

        doc.layers["gc_seen"] = gc.isenabled()
        if "explode" in doc.text:
            raise RuntimeError("kaputt")
        return doc


def test_collector_paused_per_document_and_restored() -> None:
    import gc

    pipe = Pipeline([SeesCollector()], Settings())
    assert gc.isenabled()
    done = list(pipe.pipe([text_page("calm"), text_page("please explode")]))
    assert [d.layers["gc_seen"] for d in done] == [False, False]
    assert gc.isenabled()                       # back on after each document, also after a failure
    gc.disable()
    try:                                        # a caller that paused it keeps it paused
        pipe.run(text_page("calm again"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_extraction_failure_becomes_a_failure() -> None:
    pipe = Pipeline.build("extract")
    result = pipe.run(text_page("   "))
    assert isinstance(result, Failure) and result.errors[0].code == "E102"


def test_language_and_sentences() -> None:
    pipe = Pipeline.build("extract,language,sentences")
    doc = pipe.run(text_page("Der Bundeskanzler traf am 3. Oktober Dr. Müller in Berlin. Danach reiste er ab.\n"
                             "Eine Überschrift\nThe last line is English? Yes."))
    assert isinstance(doc, Document)
    assert doc.language == "de"
    sents = [doc.text[s.start:s.end] for s in doc.sentences]
    assert sents[0] == "Der Bundeskanzler traf am 3. Oktober Dr. Müller in Berlin."
    assert sents[1] == "Danach reiste er ab."
    assert sents[2] == "Eine Überschrift"
    assert sents[3:] == ["The last line is English?", "Yes."]
    toks = [doc.text[t.start:t.end] for t in doc.layers["tokens"]]
    assert "Müller" in toks and "Dr." not in toks[:3]


def test_sentence_end_scan_and_tokens_match_their_plain_forms() -> None:
    """The sentence-end scan with its leading lookahead finds what the plain pattern finds, and
    the tokens are the spans of TOKEN_RE."""
    import re

    from lagebild.annotate.sentences import _SENT_END, TOKEN_RE, tokenize

    plain = re.compile(r"[.!?…]+[\"'“”»«„)\]’]*(?=\s+)|\n+")
    text = 'Er sagte: "Nein." Dann ging er… Wirklich?! Ja.)\n\nZ.B. am 3. Mai 2024 - 12:30 Uhr.\n'
    assert [m.span() for m in _SENT_END.finditer(text)] == [m.span() for m in plain.finditer(text)]
    toks = tokenize(text, 3, 40)
    assert [(t.start, t.end, t.tag, t.lemma) for t in toks] == [m.span() + ("", "") for m in TOKEN_RE.finditer(text, 3, 40)]
    plain_token = re.compile(r"[^\W\d_]++(?:(?:\.[^\W\d_]+)+\.?|[^\W_]*+(?:[-'’][^\W_]+)*)|\d+(?:[.,:]\d+)*|\S")
    text += " \t 1.000,5 Kim Jong-un's U.S.-Truppen ’ »x« "
    assert [m.span() for m in TOKEN_RE.finditer(text)] == [m.span() for m in plain_token.finditer(text)]


def test_fast_language_identifier_equals_py3langid() -> None:
    """The flat-array walk gives py3langid's own language, probability and ranking."""
    from py3langid import langid

    from lagebild.annotate.language import fast_identifier

    base = langid._get_identifier()
    fast = fast_identifier(base)
    assert fast is not base
    for text in ("Die Bundesregierung hat am Montag beschlossen, die Hilfe zu verlängern.",
                 "The government said on Monday it would extend the aid.", "", "   ", "1234 5678",
                 "ÄÖÜ ß", "Ceci n'est pas une pipe.", "ПРЕЗИДЕНТ РОССИИ", "\x00\x01"):
        assert fast.classify(text) == base.classify(text)
        assert fast.rank(text) == base.rank(text)
