"""Genre on hand-written German and English articles of every genre, the seed page, and 10kGNAD news."""

from __future__ import annotations

import csv

import pytest

from lagebild.annotate.genre import classify, features
from lagebild.annotate.sentences import SentenceSplitter
from lagebild.document import Document, Source
from lagebild.pipeline import Pipeline

SPLIT = SentenceSplitter()

DE = {
    "news": (
        "Bundestag beschließt Haushalt für 2026\n"
        "Der Bundestag hat am Freitag den Bundeshaushalt für das kommende Jahr beschlossen. "
        "Für den Etat stimmten 389 Abgeordnete, 281 stimmten dagegen, wie die Bundestagsverwaltung mitteilte. "
        "Finanzminister Lars Klingbeil sagte nach der Abstimmung, der Haushalt setze klare Schwerpunkte bei Investitionen. "
        "Die Opposition kritisierte die hohe Neuverschuldung. Nach Angaben des Ministeriums sind Ausgaben von "
        "520 Milliarden Euro vorgesehen. Der Bundesrat soll sich im Dezember mit dem Gesetz befassen, erklärte ein Sprecher."),
    "opinion": (
        "Kommentar: Die Regierung verspielt unser Vertrauen\n"
        "Wir erleben gerade ein politisches Debakel. Während die Koalition sich in endlosen Grabenkämpfen verzettelt, "
        "bleiben die eigentlichen Probleme liegen. Wer glaubt denn noch ernsthaft, dass dieses Kabinett die Bahn retten kann? "
        "Jahrelang wurde die Infrastruktur kaputtgespart, und jetzt sollen wir die Zeche zahlen. Das ist ein Armutszeugnis. "
        "Die Regierung sollte endlich handeln, statt über Symbolpolitik zu schwadronieren. Wir brauchen keine Sonntagsreden, "
        "wir brauchen Züge, die fahren."),
    "interview": (
        "„Wir müssen schneller werden“\n"
        "Frage: Frau Müller, wie bewerten Sie die Lage der Kommunen?\n"
        "Antwort: Wir stehen unter enormem Druck. Die Kosten steigen schneller als die Einnahmen.\n"
        "Frage: Was erwarten Sie vom Bund?\n"
        "Antwort: Ich erwarte, dass er die Kosten übernimmt, die er uns mit neuen Gesetzen auferlegt.\n"
        "Frage: Und wenn das nicht passiert?\n"
        "Antwort: Dann müssen wir Schwimmbäder und Bibliotheken schließen. Das will niemand.\n"
        "Frage: Sehen Sie Bewegung in Berlin?\n"
        "Antwort: Ein wenig. Aber wir brauchen Entscheidungen, nicht nur Gespräche."),
    "press_release": (
        "Pressemitteilung\n"
        "Musterwerk GmbH eröffnet neues Logistikzentrum in Leipzig\n"
        "Leipzig, 12. März 2026 – Die Musterwerk GmbH gab heute bekannt, dass sie ihr neues Logistikzentrum in Leipzig "
        "in Betrieb genommen hat. Auf 40.000 Quadratmetern entstehen 250 neue Arbeitsplätze. „Wir freuen uns, unseren "
        "Kunden noch schnellere Lieferzeiten zu bieten“, sagt Geschäftsführerin Anna Schmidt.\n"
        "Über die Musterwerk GmbH\n"
        "Die Musterwerk GmbH ist ein führender Anbieter von Industriebedarf mit Sitz in Hannover.\n"
        "Pressekontakt: Max Beispiel, Tel. 0511 123456, E-Mail: presse@musterwerk.example, www.musterwerk.example"),
    "advert": (
        "Jetzt zugreifen: Nur noch heute 30 % Rabatt!\n"
        "Sichern Sie sich jetzt Ihr exklusives Angebot: Das neue Smartphone X200 für nur 299 Euro statt 429 Euro. "
        "Bestellen Sie noch heute und sparen Sie zusätzlich mit Ihrem Gutschein. Versandkostenfrei und mit Geld-zurück-Garantie. "
        "Jetzt kaufen und gratis Schutzhülle dazu erhalten! Melden Sie sich für unseren Newsletter an und verpassen Sie "
        "keine Angebote mehr. Nur solange der Vorrat reicht."),
}

EN = {
    "news": (
        "Senate passes spending bill\n"
        "The U.S. Senate on Thursday passed a $1.2 trillion spending bill, averting a government shutdown, officials said. "
        "The measure passed 74 to 24, according to the Senate clerk. Majority Leader John Thune told reporters the bill "
        "funds the government through September. Democrats said they had secured additional money for disaster relief. "
        "The House is expected to vote on Friday, a spokesman for the Speaker said. The White House said the president would sign it."),
    "opinion": (
        "Opinion: We are sleepwalking into disaster\n"
        "Let us be honest with ourselves. Our leaders have squandered a decade of warnings, and we should be furious. "
        "Who really believes that another summit will fix this? The so-called climate plan is a farce, a travesty dressed up "
        "as policy. We must stop pretending that small steps are enough. Clearly, the time for excuses is over, and "
        "I refuse to accept that nothing can be done. We need courage, not more endless speeches."),
    "interview": (
        "'We need more nurses, not more managers'\n"
        "Q: Dr. Patel, how bad is the staffing crisis?\n"
        "A: It is the worst I have seen in twenty years. We lose nurses every week.\n"
        "Q: What would fix it?\n"
        "A: Better pay, fewer night shifts, and less paperwork. I would start with pay.\n"
        "Q: Is the government listening?\n"
        "A: Some ministers are. But we need decisions, not consultations.\n"
        "Q: What keeps you going?\n"
        "A: My patients. And my colleagues, who are extraordinary."),
    "press_release": (
        "FOR IMMEDIATE RELEASE\n"
        "Acme Robotics opens new research center in Austin\n"
        "AUSTIN, Texas, March 12, 2026 /PRNewswire/ -- Acme Robotics today announced the opening of its new research center "
        "in Austin, creating 300 jobs. \"We are thrilled to grow our presence in Texas,\" said CEO Jane Doe.\n"
        "About Acme Robotics\n"
        "Acme Robotics is a leading provider of warehouse automation.\n"
        "Media contact: John Roe, Phone: +1 512 555 0100, Email: press@acme.example, www.acme.example"),
    "advert": (
        "Save 40% today only!\n"
        "Buy now and get your exclusive deal on the new X200 headphones: only $99 instead of $169. Order today and enjoy "
        "free shipping on every order. Sign up for our newsletter and save an extra 10% with your coupon. "
        "Limited stock, so click now and shop the sale before it ends. Your perfect sound is just one click away."),
}


def genre_of(text: str, language: str) -> str:
    return classify(features(text, SPLIT.split(text, language), language))


@pytest.mark.parametrize("genre", sorted(DE))
def test_german_genres(genre: str) -> None:
    assert genre_of(DE[genre], "de") == genre


@pytest.mark.parametrize("genre", sorted(EN))
def test_english_genres(genre: str) -> None:
    assert genre_of(EN[genre], "en") == genre


def test_very_short_text_is_other() -> None:
    assert genre_of("Impressum und Datenschutz", "de") == "other"


def test_stage_sets_doc_genre() -> None:
    p = Pipeline.build("sentences,genre")
    doc = p.annotate(Document(DE["opinion"], Source("t", "text"), language="de"))
    assert doc.genre == "opinion"
    assert "genre" in doc.done


def test_seed_page_is_opinion(seed_text: str) -> None:
    text = seed_text[:seed_text.index("RETTE DEIN GELD!")].rstrip()
    assert genre_of(text, "de") == "opinion"


@pytest.mark.shared_data
def test_10kgnad_is_mostly_news(shared_data) -> None:
    """Sanity check on real news (DER STANDARD): measured 0.876 news (the rest mostly interviews,
    which the corpus has, and some commentary-like pieces)."""
    with open(shared_data / "corpus" / "10kgnad" / "test.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=";", quotechar="'"))[:250]
    genres = [genre_of(text, "de") for _, text in rows]
    share = genres.count("news") / len(genres)
    assert share >= 0.80, share
    assert genres.count("advert") + genres.count("press_release") <= 0.03 * len(genres)


def test_scan_regexes_match_their_plain_forms() -> None:
    """The lookahead / possessive forms of the genre scans find what the plain patterns find."""
    import re

    from lagebild.annotate import genre

    plain_word = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
    plain_label = re.compile(r"(?:^|(?<=[.?!…]\s))([A-ZÄÖÜ][\w.\-]{0,20}(?: [A-ZÄÖÜ][\w.\-]{0,20})?):\s+\S",
                             re.MULTILINE)
    text = ("SPIEGEL: Herr Müller, was nun?\nMüller: Wir warten. Frau Ökonomin Dr. Kim: Ja.\n"
            "Kim Jong-un's NATO-Staaten -- 12:30 Uhr; x: y. Über Ärzte: nein\n: leer")
    assert genre._WORD.findall(text) == plain_word.findall(text)
    assert genre._WORD.findall(text, 5, 40) == plain_word.findall(text, 5, 40)
    assert genre._SPEAKER_LABEL.findall(text) == plain_label.findall(text)
    assert genre._SPEAKER_LABEL.findall(text) == ["SPIEGEL", "Müller", "Kim", "Über Ärzte"]


def test_cue_counts_equal_plain_finditer() -> None:
    """The cue lists counted from candidates (the whole text's prepared strings reused for the text
    outside quotes) match as often as the plain regexes over the text and ``_QUOTED.sub``."""
    from lagebild.annotate import genre
    from lagebild.annotate.framing_scan import prepare

    texts = [DE["opinion"], DE["news"], EN["opinion"], EN["interview"],
             'Wir sagten: „Ich kaufe jetzt\tdas Angebot“, sagte er.\nUnd "sie sollten\u00a0gehen", erklärte sie.',
             'I said "you must buy now" and we agreed. “Σ ſ I should” Tel. www.x.de\nQ: ok? A: yes',
             "„ohne Ende\n\nich"]
    for language in ("de", "en"):
        cues = genre._cues(language)
        for text in texts:
            spans = [m.span() for m in genre._QUOTED.finditer(text)]
            outside = genre._QUOTED.sub(" ", text)
            for prep in (False, prepare(text)):
                found = genre._count(language, genre._TEXT_KEYS, text, prep)
                if spans:
                    found.update(genre._count(language, genre._OUTSIDE_KEYS, outside,
                                              genre.prepare_outside(prep, spans) if prep is not False else False))
                else:
                    found.update(genre._count(language, genre._OUTSIDE_KEYS, text, prep))
                for key in genre._TEXT_KEYS:
                    assert found[key] == len(list(cues[key].finditer(text))), (key, text)
                for key in genre._OUTSIDE_KEYS:
                    assert found[key] == len(list(cues[key].finditer(outside))), (key, text)


def test_word_starts_count_what_findall_finds(seed_text: str) -> None:
    """``word_starts`` counts the words of ``_WORD`` on the whole text and inside quotations."""
    from lagebild.annotate import genre
    from lagebild.annotate.genre_words import word_starts

    texts = [seed_text, *DE.values(), *EN.values(), "", "a", "-a", "a-", "x-y-z a--b o'neil ’n’ 9a_b a1b",
             "Kim Jong-un's ½ ² ǅx Ⅻ 🙂ab\ud800cd “über-all” «l’état» 'quoted-word' ‚x‘",
             "𝐀𝐁 𐐷-x 🙂-a 𝟙b a-𐐷"]
    for text in texts:
        starts = word_starts(text)
        assert len(starts) == len(text)
        assert int(starts.sum()) == len(genre._WORD.findall(text)), text
        for m in genre._QUOTED.finditer(text):
            assert int(starts[m.start():m.end()].sum()) == len(genre._WORD.findall(text, *m.span())), text


def test_speaker_labels_equal_findall(seed_text: str) -> None:
    """Labels searched near their colons are the labels of a scan over the whole text."""
    import random

    from lagebild.annotate import genre

    rng = random.Random(7)
    alphabet = ["A", "Ü", "b", "x", ":", ": ", ":\n", ".", "?", "!", "…", " ", "\n", "\t", "-", "Kim", "Dr."]
    texts = [seed_text, *DE.values(), *EN.values(),
             "SPIEGEL: Herr Müller, was nun?\nMüller: Wir warten. Frau Dr. Kim: Ja.\n12:30 Uhr; x: y. Über Ärzte: nein",
             "A: :x\nB: C: d\nFoo Bar: :\nX:  \n Y\nQ: ok? A: yes. Q:: no\n" + "A" * 25 + " " + "B" * 21 + ": x"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(3000)]
    for text in texts:
        assert genre.speaker_labels(text) == genre._SPEAKER_LABEL.findall(text), text


def test_question_counts_equal_plain_counts(seed_text: str) -> None:
    """Questions and Q/A turns (skipped without a "?", sentences by C-level maps) are counted as a
    plain pass over the sentences and lines counts them."""
    from lagebild.annotate import genre

    texts = [seed_text, *DE.values(), *EN.values(), "Was nun? „Wer weiß?“ Keiner.\nWarum?\nDarum.  \n?",
             "Keine Frage hier.\nAuch nicht."]
    for text in texts:
        for language in ("de", "en"):
            sents = SPLIT.split(text, language)
            f = features(text, sents, language, [])
            quoted = [m.span() for m in genre._QUOTED.finditer(text)]
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            qa = sum(1 for a, b in zip(lines, lines[1:]) if a.endswith("?") and not b.endswith("?") and len(a) < 300)
            labels = genre._SPEAKER_LABEL.findall(text)
            turns = sum(1 for lab in set(labels) if labels.count(lab) >= 2) and len(labels)
            assert f.qa_turns == max(qa, turns)
            assert f.questions == sum(1 for s in sents if text[s.start:s.end].rstrip().endswith("?")
                                      and not any(a <= s.start < b for a, b in quoted))
    assert features(texts[-2], SPLIT.split(texts[-2], "de"), "de", []).questions == 3   # not the quoted one
