"""Shared by the API, web, PostgreSQL and browser tests: hand-built documents and store fixtures.

The documents are built by hand (not by the pipeline) so these tests check the server, not the
annotators: every layer is present, with known actors, dates and a hostile page among them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from lagebild.document import (Actor, Document, Event, Framing, Location, Mention, Meta, Quote, Removed, Source,
                               Span, Speaker)

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-token-123"

RUS = Actor("Russia", "state", "Q159", "RUS", "GOV")
PRK = Actor("North Korea", "state", "Q423", "PRK", "GOV")
PUTIN = Actor("Vladimir Putin", "person", "Q7747", "RUS", "GOV")
KIM = Actor("Kim Jong-un", "person", "Q56226", "PRK", "GOV")
UKR = Actor("Ukraine", "state", "Q212", "UKR", "GOV")
EVIL = Actor('<img src=x onerror="alert(2)">Evil', "group", None, None, None)


def _find(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def doc_alliance() -> Document:
    text = ("Putin und Kim vertiefen ihre Allianz.\n"
            "Kim sagte: \"Die Hilfe ist eine brüderliche Pflicht.\"\n"
            "Russland und Nordkorea unterzeichneten einen Vertrag. Eine gefährliche Achse, warnen Kritiker.")
    d = Document(text, Source("alliance.txt", "text"), Meta(title="Moskau und Pjöngjang", published="2025-09-03",
                                                           site="example.de", url="https://example.de/a"),
                 removed=[Removed("Ihre Experten im Webinar: RETTE DEIN GELD!", "advert", 20),
                          Removed("- Finanzen", "navigation", 30)], language="de")
    for word, actor, nth in (("Putin", PUTIN, 0), ("Kim", KIM, 0), ("Kim", KIM, 1), ("Russland", RUS, 0),
                             ("Nordkorea", PRK, 0)):
        s, e = _find(text, word, nth)
        d.mentions.append(Mention(s, e, actor))
    qs, qe = _find(text, "Die Hilfe ist eine brüderliche Pflicht.")
    ks, ke = _find(text, "Kim", 1)
    d.quotes.append(Quote(qs, qe, "direct", Speaker(ks, ke, KIM), "sagte"))
    ts, te = _find(text, "vertiefen ihre Allianz")
    d.events.append(Event("COOPERATE", [RUS], [PRK], Span(ts, te), Span(0, 37), date="2025-09-03", confidence=0.9))
    ts, te = _find(text, "unterzeichneten")
    ss, se = _find(text, "Russland und Nordkorea unterzeichneten einen Vertrag.")
    d.events.append(Event("AGREE", [PUTIN], [KIM], Span(ts, te), Span(ss, se), date="2024-06",
                          location=Location("Pyongyang", "Q18808", "PRK"), confidence=0.8))
    fs, fe = _find(text, "gefährliche Achse")
    d.framing.append(Framing(fs, fe, "loaded_language", 0.7))
    d.genre = "opinion"
    d.done = ["extract", "language", "sentences", "mentions", "quotes", "events", "framing"]
    return d


def doc_conflict() -> Document:
    text = "Russland griff die Ukraine an. Die Ukraine verurteilte Russland scharf.\nKiew droht mit Vergeltung."
    d = Document(text, Source("https://news.example.com/war", "html"),
                 Meta(title="War news", published="2025-10-01", site="news.example.com",
                      url="https://news.example.com/war"), language="en")
    for word, actor, nth in (("Russland", RUS, 0), ("Ukraine", UKR, 0), ("Ukraine", UKR, 1), ("Russland", RUS, 1)):
        s, e = _find(text, word, nth)
        d.mentions.append(Mention(s, e, actor))
    s, e = _find(text, "griff")
    d.events.append(Event("ASSAULT", [RUS], [UKR], Span(s, e), Span(0, 30), date="2025-10-01", confidence=0.9))
    s, e = _find(text, "verurteilte")
    d.events.append(Event("ACCUSE", [UKR], [RUS], Span(s, e), Span(31, 71), confidence=0.8))
    s, e = _find(text, "droht")
    d.events.append(Event("THREATEN", [UKR], [RUS], Span(s, e), Span(72, 98), hypothetical=True))
    d.genre = "news"
    return d


def doc_hostile() -> Document:
    text = ('Breaking <script>alert(1)</script> news about Evil.\n'
            'Click <a href="javascript:alert(3)">here</a> and javascript:alert(4) now.\n'
            'Evil said: "<b onmouseover=alert(5)>trust me</b>".')
    d = Document(text, Source("javascript:alert(6)", "html"),
                 Meta(title="<script>alert(7)</script>Hostile", published="2025-11-01", site="evil.example",
                      url="javascript:alert(8)"),
                 removed=[Removed('<iframe src="javascript:alert(9)"></iframe>', "advert")], language="en")
    s, e = _find(text, "Evil")
    d.mentions.append(Mention(s, e, EVIL))
    qs, qe = _find(text, '<b onmouseover=alert(5)>trust me</b>')
    ss, se = _find(text, "Evil", 1)
    d.quotes.append(Quote(qs, qe, "direct", Speaker(ss, se, EVIL), "said"))
    fs, fe = _find(text, "<script>alert(1)</script>")
    d.framing.append(Framing(fs, fe, "appeal_to_fear"))
    d.genre = "other"
    return d


def sample_documents() -> list[Document]:
    return [doc_alliance(), doc_conflict(), doc_hostile()]


def filler_documents(n: int, prefix: str = "filler") -> list[Document]:
    """Plain documents for pagination and concurrency tests (distinct texts, so distinct ids)."""
    out = []
    for i in range(n):
        text = f"{prefix} number {i}: Russland und Nordkorea treffen sich."
        d = Document(text, Source(f"{prefix}-{i}.txt", "text"),
                     Meta(title=f"{prefix} {i}", published=f"2025-0{1 + i % 9}-1{i % 10}", site="filler.example"),
                     language="de")
        s, e = _find(text, "Russland")
        d.mentions.append(Mention(s, e, RUS))
        s2, e2 = _find(text, "Nordkorea")
        d.mentions.append(Mention(s2, e2, PRK))
        t1, t2 = _find(text, "treffen")
        d.events.append(Event("CONSULT", [RUS], [PRK], Span(t1, t2), Span(0, len(text))))
        out.append(d)
    return out


# --------------------------------------------------------------------------- PostgreSQL


def _start_cluster() -> tuple[str, str] | None:
    script = ROOT / ".ci" / "postgres.sh"
    if not script.exists() or not Path("/usr/lib/postgresql/15/bin/initdb").exists() or not shutil.which("bash"):
        return None
    proc = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=90)
    if proc.returncode != 0:
        return None
    env = dict(line.removeprefix("export ").split("=", 1) for line in proc.stdout.splitlines()
               if line.startswith("export "))
    return env["LAGEBILD_TEST_PG"].strip("'"), env["LAGEBILD_PG_DIR"].strip("'")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL URL: $LAGEBILD_TEST_PG, else a throwaway cluster from .ci/postgres.sh, else skip."""
    url = os.environ.get("LAGEBILD_TEST_PG")
    if url:
        yield url
        return
    started = _start_cluster()
    if started is None:
        pytest.skip("needs PostgreSQL: set LAGEBILD_TEST_PG or install PostgreSQL 15 binaries for .ci/postgres.sh")
    url, data_dir = started
    try:
        yield url
    finally:
        subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "stop", data_dir], capture_output=True, timeout=60)


def fresh_database(server_url: str) -> tuple[str, object]:
    """Create an empty database on the server; returns its URL and a function dropping it."""
    import psycopg
    from urllib.parse import urlsplit

    name = f"lagebild_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(server_url)._replace(path="/" + name).geturl()

    def drop() -> None:
        with psycopg.connect(server_url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


@pytest.fixture()
def pg_url(pg_server: str) -> Iterator[str]:
    url, drop = fresh_database(pg_server)
    try:
        yield url
    finally:
        drop()
