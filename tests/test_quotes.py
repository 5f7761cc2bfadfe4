"""Quotes stage: every quotation convention and form of reported speech, German and English.

Mentions are built by hand here (the actor stages are tested on their own), so these tests pin the
quotes logic: spans, kinds, cues and which mention becomes the speaker.
"""

from __future__ import annotations

import pytest

from lagebild.annotate.quotes import QuotesStage
from lagebild.annotate.quotes_marks import outermost, scan
from lagebild.annotate.quotes_lexicon import lexicon
from lagebild.annotate.sentences import SentencesStage
from lagebild.document import Actor, Document, Mention, Source

PUTIN = Actor("Vladimir Putin", "person", "Q7747", "RUS")
KIM = Actor("Kim Jong-un", "person", "Q56226", "PRK")
MERKEL = Actor("Angela Merkel", "person", "Q567", "DEU")
BIDEN = Actor("Joe Biden", "person", "Q6279", "USA")


def analyse(text: str, language: str = "de", mentions: dict[str, Actor] | None = None,
            groups: dict[str, tuple[Actor, ...]] | None = None) -> Document:
    doc = Document(text, Source("test", "text"), language=language)
    SentencesStage()(doc)
    for phrase, actor in (mentions or {}).items():
        start = 0
        while (i := text.find(phrase, start)) >= 0:
            doc.mentions.append(Mention(i, i + len(phrase), actor))
            start = i + 1
    for phrase, members in (groups or {}).items():
        i = text.find(phrase)
        doc.mentions.append(Mention(i, i + len(phrase), None, "title", members=members))
    QuotesStage()(doc)
    for q in doc.quotes:   # the offset contract: every span cuts its text out of doc.text
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == text[q.start:q.end].strip()
    return doc


def find(doc: Document, fragment: str):
    hits = [q for q in doc.quotes if fragment in doc.text[q.start:q.end]]
    assert hits, f"no quote containing {fragment!r} in {[doc.text[q.start:q.end] for q in doc.quotes]}"
    return hits[0]


def speaker_name(q) -> str | None:
    return q.speaker.actor.name if q.speaker and q.speaker.actor else None


# --------------------------------------------------------------------------- quotation marks

@pytest.mark.parametrize("opener,closer", [("„", "“"), ("“", "”"), ('"', '"'), ("«", "»"), ("»", "«"),
                                           ("‚", "‘"), ("'", "'")])
def test_every_quotation_convention_pairs(opener: str, closer: str) -> None:
    text = f"Er sagte: {opener}Wir bleiben hier und kämpfen weiter.{closer} Dann ging er."
    found = outermost(scan(text, lexicon("de").openers))
    assert [text[q.start:q.end] for q in found] == ["Wir bleiben hier und kämpfen weiter."]


def test_nested_quotes_stay_inside_the_outer_quote() -> None:
    doc = analyse("Merkel sagte: „Das nennen manche ‚alternativlos‘, aber wir prüfen alles.“", mentions={"Merkel": MERKEL})
    q = find(doc, "alternativlos")
    assert doc.text[q.start:q.end] == "Das nennen manche ‚alternativlos‘, aber wir prüfen alles."
    assert q.kind == "direct" and speaker_name(q) == "Angela Merkel"


def test_apostrophes_are_not_quotes() -> None:
    text = "Kim's aide said it's the states' decision, and he didn't say more."
    assert outermost(scan(text, lexicon("en").openers)) == []


# --------------------------------------------------------------------------- direct speech (German)

def test_direct_quote_with_attribution_after_it_de() -> None:
    doc = analyse("„Ihre Soldaten haben mutig gekämpft. Russland wird niemals ihre Opfer vergessen“, "
                  "so der russische Präsident.", mentions={"der russische Präsident": PUTIN})
    q = find(doc, "Ihre Soldaten")
    assert q.kind == "direct" and q.cue == "so" and speaker_name(q) == "Vladimir Putin"
    assert doc.text[q.start:q.end].endswith("vergessen")          # several sentences, marks excluded


def test_interrupted_quote_keeps_its_speaker_de() -> None:
    doc = analyse("„Wir werden das prüfen“, sagte Merkel, „und dann entscheiden wir gemeinsam.“",
                  mentions={"Merkel": MERKEL})
    first, second = find(doc, "prüfen"), find(doc, "entscheiden")
    assert speaker_name(first) == speaker_name(second) == "Angela Merkel"
    assert first.cue == "sagte"


def test_colon_introduced_quote_de() -> None:
    doc = analyse("Kim Jong-un ließ keinen Zweifel: „Wenn es etwas gibt, womit wir Russland helfen können, "
                  "dann werden wir das tun.“", mentions={"Kim Jong-un": KIM})
    assert speaker_name(find(doc, "Wenn es etwas gibt")) == "Kim Jong-un"


def test_standalone_quote_takes_the_earlier_speaker_de() -> None:
    doc = analyse("Merkel sagte, dass die Lage ernst sei. „Wir müssen jetzt handeln und dürfen nicht warten.“",
                  mentions={"Merkel": MERKEL})
    q = find(doc, "Wir müssen jetzt handeln")
    assert q.kind == "direct" and speaker_name(q) == "Angela Merkel"


def test_pronoun_speaker_resolves_to_earlier_person_de() -> None:
    doc = analyse("Putin empfing die Delegation im Kreml. „Wir sind zu Gesprächen bereit“, sagte er.",
                  mentions={"Putin": PUTIN})
    q = find(doc, "Gesprächen bereit")
    assert q.cue == "sagte" and speaker_name(q) == "Vladimir Putin"


def test_speech_noun_with_possessor_de() -> None:
    doc = analyse("„Wir sehen uns bald wieder“ – Kim Jong-uns Abschiedsworte an Putin klingen wie eine Drohung.",
                  mentions={"Kim Jong-un": KIM, "Putin": PUTIN})
    assert speaker_name(find(doc, "Wir sehen uns")) == "Kim Jong-un"


# --------------------------------------------------------------------------- indirect speech (German)

def test_reporting_verb_with_dass_clause_and_partial_quote_de() -> None:
    doc = analyse('Kim betonte, dass die Beziehungen "in allen Bereichen" gewachsen seien.', mentions={"Kim": KIM})
    ind = [q for q in doc.quotes if q.kind == "indirect"][0]
    assert doc.text[ind.start:ind.end] == 'dass die Beziehungen "in allen Bereichen" gewachsen seien'
    assert ind.cue == "betonte" and speaker_name(ind) == "Kim Jong-un"
    part = [q for q in doc.quotes if q.kind == "partial"][0]
    assert doc.text[part.start:part.end] == "in allen Bereichen" and speaker_name(part) == "Kim Jong-un"


def test_konjunktiv_clause_with_separable_cue_after_it_de() -> None:
    doc = analyse('Die Hilfe für den Kreml sei eine "brüderliche Pflicht", ließ Kim verlauten.', mentions={"Kim": KIM})
    ind = [q for q in doc.quotes if q.kind == "indirect"][0]
    assert doc.text[ind.start:ind.end].startswith("Die Hilfe für den Kreml sei")
    assert ind.cue == "ließ verlauten" and speaker_name(ind) == "Kim Jong-un"
    assert speaker_name(find(doc, "brüderliche Pflicht")) == "Kim Jong-un"


@pytest.mark.parametrize("sentence,source", [
    ("Laut Merkel wird die Reform im Herbst beschlossen.", "Merkel"),
    ("Nach Angaben von Merkel wird die Reform im Herbst beschlossen.", "Merkel"),
    ("Merkel zufolge wird die Reform im Herbst beschlossen.", "Merkel"),
    ("Die Reform werde im Herbst beschlossen, so Merkel.", "Merkel"),
    ("Wie Merkel mitteilte, wird die Reform im Herbst beschlossen.", "Merkel"),
    ("Merkel teilte mit, die Reform werde im Herbst beschlossen.", "Merkel"),
])
def test_source_phrases_de(sentence: str, source: str) -> None:
    doc = analyse(sentence, mentions={"Merkel": MERKEL})
    q = find(doc, "Herbst")
    assert q.kind == "indirect" and speaker_name(q) == "Angela Merkel"


def test_subjunctive_continuation_carries_the_speaker_de() -> None:
    doc = analyse("Merkel sagte, die Lage sei ernst. Die Regierung habe aber einen Plan. Das Wetter ist schön.",
                  mentions={"Merkel": MERKEL})
    assert speaker_name(find(doc, "einen Plan")) == "Angela Merkel"
    assert not [q for q in doc.quotes if "Wetter" in doc.text[q.start:q.end]]


def test_group_speaker_with_members_and_naming_verb_de() -> None:
    doc = analyse('Beide Staatschefs betonten ihren Kampf gegen das, was sie als "modernen Neonazismus" bezeichnen.',
                  groups={"Beide Staatschefs": (PUTIN, KIM)})
    q = find(doc, "modernen Neonazismus")
    assert q.kind in ("partial", "indirect") and q.speaker is not None
    assert {a.name for a in q.speaker.members} == {"Vladimir Putin", "Kim Jong-un"}


def test_scare_quote_has_no_speaker_de() -> None:
    doc = analyse('Während Politiker von einer "wertebasierten Außenpolitik" träumen, schaffen andere Fakten.')
    q = find(doc, "wertebasierte")
    assert q.kind == "scare" and q.speaker is None


# --------------------------------------------------------------------------- English

def test_direct_quote_said_after_en() -> None:
    doc = analyse('"We will not back down from this fight," Biden said on Monday.', "en", {"Biden": BIDEN})
    q = find(doc, "We will not back down")
    assert q.kind == "direct" and q.cue == "said" and speaker_name(q) == "Joe Biden"


def test_interrupted_and_standalone_quotes_en() -> None:
    doc = analyse('“We are ready,” Biden told reporters, “and we will act.” “Nobody should doubt it.”', "en",
                  {"Biden": BIDEN})
    for fragment in ("We are ready", "we will act", "Nobody should doubt"):
        assert speaker_name(find(doc, fragment)) == "Joe Biden", fragment


def test_colon_and_pronoun_en() -> None:
    doc = analyse("Biden met the press in Washington. He added: ‘The sanctions will stay in place for now.’", "en",
                  {"Biden": BIDEN})
    q = find(doc, "sanctions will stay")
    assert q.kind == "direct" and speaker_name(q) == "Joe Biden"


@pytest.mark.parametrize("sentence", [
    "Biden said that the sanctions would stay in place.",
    "The sanctions will stay in place, Biden said.",
    "According to Biden, the sanctions will stay in place.",
])
def test_indirect_speech_en(sentence: str) -> None:
    doc = analyse(sentence, "en", {"Biden": BIDEN})
    q = find(doc, "sanctions")
    assert q.kind == "indirect" and speaker_name(q) == "Joe Biden"


def test_partial_and_scare_quotes_en() -> None:
    doc = analyse('Biden said the talks had been "very productive" so far. The so-called "peace plan" is vague.', "en",
                  {"Biden": BIDEN})
    partial = [q for q in doc.quotes if q.kind == "partial"]
    assert [doc.text[q.start:q.end] for q in partial] == ["very productive"]
    assert speaker_name(partial[0]) == "Joe Biden"
    scare = find(doc, "peace plan")
    assert scare.kind == "scare" and scare.speaker is None


def test_no_speech_no_quotes() -> None:
    doc = analyse("Das Treffen fand in Peking statt. Die Delegationen reisten am Abend ab.")
    assert doc.quotes == []


def test_person_pronoun_skips_a_state_speaker_en() -> None:
    kremlin = Actor("Russia", "state", "Q159", "RUS")
    lavrov = Actor("Sergei Lavrov", "person", "Q128820", "RUS")
    doc = analyse('The Kremlin called it "a dangerous escalation". Lavrov warned that Moscow would respond. '
                  '"Nobody should be surprised," he added.', "en", {"Kremlin": kremlin, "Lavrov": lavrov})
    assert speaker_name(find(doc, "Moscow would respond")) == "Sergei Lavrov"
    q = find(doc, "Nobody should be surprised")
    assert doc.text[q.start:q.end] == "Nobody should be surprised"     # the trailing comma is punctuation
    assert speaker_name(q) == "Sergei Lavrov"


def test_said_with_adverbial_before_that_en() -> None:
    doc = analyse("Biden said on Tuesday that the sanctions would stay in place.", "en", {"Biden": BIDEN})
    q = find(doc, "sanctions")
    assert doc.text[q.start:q.end] == "the sanctions would stay in place"
