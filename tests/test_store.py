"""The DuckDB store: idempotent writes, errors, skip-seen, document JSON back out."""

from __future__ import annotations

from lagebild.document import Actor, Document, Failure, Mention, Removed, Source
from lagebild.errors import DocError
from lagebild.store import Seen, open_store


def doc(text: str, uri: str = "a.txt") -> Document:
    d = Document(text, Source(uri, "text"), removed=[Removed("Newsletter", "advert", 3)], language="de")
    d.mentions = [Mention(0, 6, Actor("Russia", "state", "Q159", "RUS"))]
    return d


def test_write_is_idempotent(tmp_db: str) -> None:
    with open_store(tmp_db) as store:
        s1 = store.write([doc("Moskau droht."), doc("Kiew antwortet.")])
        s2 = store.write([doc("Moskau droht.", "other-uri.txt")])
        assert (s1.added, s2.added, s2.duplicates) == (2, 0, 1)
        st = store.stats()
        assert st["documents"] == 2 and st["mentions"] == 2 and st["removed"] == 2


def test_failures_are_stored_once(tmp_db: str) -> None:
    fail = Failure(Source("bad.bin", "html"), [DocError("read", "E103", "binary input")])
    with open_store(tmp_db) as store:
        store.write([fail])
        store.write([fail])
        rows = store.query("SELECT uri, code FROM errors")
        assert rows == [{"uri": "bad.bin", "code": "E103"}]


def test_seen_sources_and_reopen(tmp_db: str) -> None:
    d = doc("Peking schweigt.")
    mark = Seen("a.txt", "", "hash1")
    with open_store(tmp_db) as store:
        assert not store.is_seen(mark)
        store.write([d], [mark])
        assert store.is_seen(mark)
        assert not store.is_seen(Seen("a.txt", "", "hash2"))
    with open_store(tmp_db) as store:   # survives reopening
        assert store.is_seen(mark)
        got = store.document(d.id[:8])
        assert got is not None and got["text"] == "Peking schweigt."
        assert Document.from_dict(got).mentions[0].actor.country == "RUS"
        assert store.document("nope") is None


def test_rows_built_elsewhere_store_what_the_document_stores(tmp_path) -> None:
    """A pool worker hands back DocumentRows; the store must keep exactly what the Document gives."""
    from lagebild.store.rows import DocumentRows

    d = doc("Moskau droht Kiew.")
    d.errors = [DocError("quotes", "E301", "a stage failed")]
    snaps = []
    for name, item in (("doc", d), ("rows", DocumentRows.of(d))):
        with open_store(str(tmp_path / f"{name}.duckdb")) as store:
            assert store.write([item]).added == 1
            assert store.write([item]).duplicates == 1          # same id: never stored twice
            snaps.append((store.query("SELECT id, text, json, n_mentions FROM documents"),
                           store.query("SELECT * EXCLUDE (ingested_at) FROM documents"),
                           store.query("SELECT doc_id, idx, actor_id, country FROM mentions"),
                           store.query("SELECT stage, code, doc_id FROM errors"),
                           store.query("SELECT count(*) AS n FROM documents WHERE ingested_at IS NULL")))
    assert snaps[0] == snaps[1]
    assert snaps[0][3] == [{"stage": "quotes", "code": "E301", "doc_id": d.id}]
    assert snaps[1][4] == [{"n": 0}]


def test_a_document_whose_rows_cannot_be_built_fails_alone(tmp_db: str, monkeypatch) -> None:
    from lagebild.store import rows

    real = rows.document_rows

    def broken(d, now):
        if "kaputt" in d.text:
            raise ValueError("bug in a row builder")
        return real(d, now)

    monkeypatch.setattr(rows, "document_rows", broken)
    results = [rows.stored_form(doc(t)) for t in ("Moskau droht.", "Alles kaputt.", "Kiew antwortet.")]
    assert [type(r).__name__ for r in results] == ["DocumentRows", "Failure", "DocumentRows"]
    assert results[1].errors[-1].code == "E901" and "bug in a row builder" in results[1].errors[-1].message
    with open_store(tmp_db) as store:
        st = store.write(results)
        assert (st.added, st.failed) == (2, 1)
        assert store.query("SELECT uri, stage, code FROM errors") == [{"uri": "a.txt", "stage": "store", "code": "E901"}]
