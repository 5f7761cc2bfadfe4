"""Text-dump line classifier: the seed page and hand-written German and English dumps."""

from __future__ import annotations

import re

import pytest

from lagebild.extract.textdump import RepeatedLines, classify_lines, split_dump
from lagebild.extract.textdump_kinds import KINDS

SPEAKERS = ("Kettner", "Hahne", "Wolff", "Patzelt", "Regenauer", "Grosz", "Lüning", "Ostermann")

# --------------------------------------------------------------------------- hand-written dumps
# Each dump: (page text, article lines that must be kept, lines that must go, with the kinds allowed).

DE_NEWS = """\
Zum Inhalt springen
Startseite
Politik
Wirtschaft
Sport
Kultur
Wir verwenden Cookies, um Ihnen ein optimales Nutzungserlebnis zu bieten. Mit Klick auf „Akzeptieren" stimmen Sie der Verwendung zu.
Akzeptieren
Einstellungen
Startseite / Politik / Ausland
Bundesregierung sagt Ukraine weitere Luftabwehr zu
Von Anna Schmidt, Berlin
Die Bundesregierung will der Ukraine bis Jahresende zwei weitere Luftabwehrsysteme liefern. Das kündigte Verteidigungsminister Boris Pistorius am Dienstag nach einem Treffen mit seinem ukrainischen Amtskollegen in Berlin an.
Die Systeme sollen vor allem die Energieversorgung des Landes vor russischen Angriffen schützen. Nach Angaben des Ministeriums werden die Kosten von rund 400 Millionen Euro aus dem laufenden Haushalt bestritten.
Kritik aus der Opposition
Die Union begrüßte die Entscheidung grundsätzlich, warf der Regierung aber Zögerlichkeit vor. „Diese Zusage kommt Monate zu spät", sagte der verteidigungspolitische Sprecher der Fraktion im Bundestag.
Aus Moskau kam scharfe Kritik. Ein Sprecher des Kremls sprach von einer weiteren Eskalation, die Deutschland zur Konfliktpartei mache.
Newsletter
Jetzt anmelden und die wichtigsten Nachrichten des Tages kostenlos per E-Mail erhalten.
E-Mail-Adresse
Anmelden
Mehr zum Thema
Nato-Gipfel: Was die Allianz für die Ostflanke plant
Pistorius in Kiew: Besuch unter Luftalarm
Wie die Ukraine ihre Städte vor Drohnen schützt
Impressum
Datenschutz
AGB
Kontakt
© 2025 Musterzeitung Verlag GmbH. Alle Rechte vorbehalten.
"""
DE_KEEP = [
    "Bundesregierung sagt Ukraine weitere Luftabwehr zu",
    "Die Bundesregierung will der Ukraine",
    "Die Systeme sollen vor allem",
    "Kritik aus der Opposition",
    "Die Union begrüßte die Entscheidung",
    "Aus Moskau kam scharfe Kritik",
]
DE_DROP = {
    "Startseite": {"navigation"},
    "Wir verwenden Cookies": {"boilerplate", "footer"},
    "Jetzt anmelden und die wichtigsten": {"advert"},
    "Nato-Gipfel: Was die Allianz": {"teaser", "navigation"},
    "Impressum": {"footer", "navigation"},
    "© 2025 Musterzeitung": {"footer"},
}

EN_NEWS = """\
Skip to main content
Menu
World
Politics
Business
Sign in
Subscribe
World
UN Security Council fails to agree on Sudan ceasefire resolution
By James Miller
Published 14 March 2025
The United Nations Security Council failed on Thursday to adopt a resolution calling for an immediate ceasefire in Sudan, after Russia vetoed the draft text drafted by Britain and Sierra Leone.
Fourteen of the council's fifteen members voted in favour. Russia's deputy ambassador said the draft interfered in Sudan's internal affairs and would not have helped civilians on the ground.
A humanitarian catastrophe
Aid agencies say more than eleven million people have been displaced since fighting broke out between the army and the paramilitary Rapid Support Forces in April 2023.
"This is a shameful day," Britain's foreign secretary said in a statement, adding that London would keep pressing for access for humanitarian convoys.
Sign up for our morning briefing
Get the day's top stories in your inbox. Free, no credit card required.
Sign up
Related
Sudan's army retakes presidential palace in Khartoum
Why the war in Sudan is the world's largest displacement crisis
What the Security Council can and cannot do
Most read
Markets slide as oil prices jump
About us
Contact
Privacy policy
Terms of use
© 2025 Example News Ltd. All rights reserved.
"""
EN_KEEP = [
    "UN Security Council fails to agree",
    "The United Nations Security Council failed",
    "Fourteen of the council's fifteen members",
    "A humanitarian catastrophe",
    "Aid agencies say more than eleven million",
    '"This is a shameful day,"',
]
EN_DROP = {
    "Skip to main content": {"navigation"},
    "Sign up for our morning briefing": {"advert"},
    "Get the day's top stories": {"advert"},
    "Sudan's army retakes presidential palace": {"teaser", "navigation"},
    "Privacy policy": {"footer", "navigation"},
    "© 2025 Example News Ltd.": {"footer"},
}


def _labels_by_prefix(text: str) -> dict[str, str]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return {ln: lab for ln, lab in zip(lines, classify_lines(lines))}


def _find(labels: dict[str, str], prefix: str) -> str:
    hits = [lab for ln, lab in labels.items() if ln.startswith(prefix)]
    assert hits, f"no line starts with {prefix!r}"
    return hits[0]


@pytest.mark.parametrize("page,keep,drop", [(DE_NEWS, DE_KEEP, DE_DROP), (EN_NEWS, EN_KEEP, EN_DROP)],
                         ids=["de-news", "en-news"])
def test_handwritten_dumps(page: str, keep: list[str], drop: dict[str, set[str]]) -> None:
    labels = _labels_by_prefix(page)
    for prefix in keep:
        assert _find(labels, prefix) == "main", prefix
    for prefix, kinds in drop.items():
        assert _find(labels, prefix) in kinds, (prefix, _find(labels, prefix))
    assert set(labels.values()) <= set(KINDS)


def test_split_dump_contract() -> None:
    res = split_dump(DE_NEWS)
    assert res.text.startswith("Bundesregierung sagt Ukraine weitere Luftabwehr zu")
    assert res.meta.title == "Bundesregierung sagt Ukraine weitere Luftabwehr zu"
    assert "Cookies" not in res.text and "Jetzt anmelden" not in res.text and "©" not in res.text
    lines = DE_NEWS.splitlines()
    for r in res.removed:
        assert r.kind in KINDS and r.kind != "main"
        assert lines[r.position].strip() == r.text      # position = line index in the input
    kept = res.text.split("\n")
    assert len(kept) + len(res.removed) == len([ln for ln in lines if ln.strip()])


def test_seed_page(seed_text: str) -> None:
    res = split_dump(seed_text)
    article = seed_text.split("\n\n", 1)[0].strip().splitlines()
    assert len(article) == 17
    assert res.text.split("\n") == article                     # all 17 lines, headings included, in order
    for name in SPEAKERS:
        assert name not in res.text
    tail = [ln.strip() for ln in seed_text.split("\n\n", 1)[1].splitlines() if ln.strip()]
    removed = {r.text: r.kind for r in res.removed}
    assert set(removed) == set(tail)
    for line in tail:
        assert removed[line] in {"advert", "navigation"}, (line, removed[line])
    assert removed["RETTE DEIN GELD!"] == "advert"
    assert removed["- Finanzen"] == "navigation"
    assert res.meta.title and res.meta.title.startswith("Moskau und Pjöngjang")


def test_empty_and_blank() -> None:
    assert split_dump("").text == ""
    assert split_dump("\n \n").removed == []
    assert classify_lines([]) == []


def test_repeated_lines_across_a_site() -> None:
    """A long line that every page of a site carries is boilerplate once seen on three pages."""
    slogan = ("Die Musterzeitung berichtet seit 1848 unabhängig, kritisch und überparteilich über das "
              "Geschehen in der Region, in Deutschland und in der Welt.")
    memory = RepeatedLines(min_pages=3)
    pages = [DE_NEWS.replace("Von Anna Schmidt, Berlin", f"Von Anna Schmidt, Berlin\n{slogan}"),
             EN_NEWS.replace("By James Miller", f"By James Miller\n{slogan}"),
             DE_NEWS.replace("Kritik aus der Opposition", f"{slogan}\nKritik aus der Opposition")]
    results = [split_dump(p, site="example.org", repeated=memory) for p in pages]
    assert slogan not in results[2].text
    assert any(r.text == slogan and r.kind == "boilerplate" for r in results[2].removed)
    # the same page twice counts once; another site is unaffected
    again = RepeatedLines(min_pages=2)
    for _ in range(3):
        res = split_dump(DE_NEWS, site="a.example", repeated=again)
    assert "Die Bundesregierung will der Ukraine" in res.text
    assert split_dump(pages[2], site="b.example", repeated=memory).text.count("Kritik aus der Opposition") == 1


def test_promo_lines_never_kept() -> None:
    text = EN_NEWS.replace("A humanitarian catastrophe", "Try it free for 30 days")
    labels = _labels_by_prefix(text)
    assert labels["Try it free for 30 days"] == "advert"
    assert not re.search(r"\bSubscribe\b", split_dump(text).text)
