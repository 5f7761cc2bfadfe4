"""``lagebild quotes ACTOR``: what an actor said, from the store, with document and date."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lagebild.annotate.quotes import QuotesStage
from lagebild.annotate.sentences import SentencesStage
from lagebild.cli import app
from lagebild.document import Actor, Document, Meta, Mention, Source
from lagebild.store import open_store

PUTIN = Actor("Vladimir Putin", "person", "Q7747", "RUS")
KIM = Actor("Kim Jong-un", "person", "Q56226", "PRK")


def _doc(text: str, published: str, mentions: dict[str, Actor], groups: dict[str, tuple[Actor, ...]] = {}) -> Document:
    doc = Document(text, Source(f"test-{published}", "text"), Meta(title=f"Artikel {published}", published=published),
                   language="de")
    SentencesStage()(doc)
    for phrase, actor in mentions.items():
        i = text.find(phrase)
        doc.mentions.append(Mention(i, i + len(phrase), actor))
    for phrase, members in groups.items():
        i = text.find(phrase)
        doc.mentions.append(Mention(i, i + len(phrase), None, "title", members=members))
    QuotesStage()(doc)
    doc.done += ["sentences", "quotes"]
    return doc


def test_quotes_command_lists_an_actors_quotes(tmp_db: str) -> None:
    store = open_store(tmp_db)
    store.write([
        _doc("„Russland wird niemals ihre Opfer vergessen“, so Putin.", "2025-09-03", {"Putin": PUTIN}),
        _doc("Kim betonte, dass die Beziehungen gewachsen seien.", "2024-06-19", {"Kim": KIM}),
        _doc('Beide Staatschefs betonten, sie bekämpften den "modernen Neonazismus".', "2025-09-04", {},
             {"Beide Staatschefs": (PUTIN, KIM)}),
    ])
    store.close() if hasattr(store, "close") else None
    runner = CliRunner()
    res = runner.invoke(app, ["quotes", "Putin", "--db", tmp_db, "--json"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    assert "Russland wird niemals ihre Opfer vergessen" in texts
    assert any("Neonazismus" in t for t in texts)            # said by a group Putin belongs to
    assert not any("Beziehungen" in t for t in texts)        # Kim's, not Putin's
    assert rows[0]["published"] >= rows[-1]["published"]     # newest first
    res = runner.invoke(app, ["quotes", "Q56226", "--db", tmp_db, "--json", "--since", "2025-01-01"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines() if line.strip()]
    assert rows and all(r["published"] >= "2025-01-01" for r in rows)
    res = runner.invoke(app, ["quotes", "Putin", "--db", tmp_db, "--since", "gestern"])
    assert res.exit_code == 2
