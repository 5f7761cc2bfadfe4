"""Worker pool and single process store exactly the same thing; scopes cut at the same places."""

from __future__ import annotations

from pathlib import Path

from lagebild.app import Lagebild
from lagebild.document import Source
from lagebild.page import Page
from lagebild.parallel import scoped_chunks
from lagebild.pipeline import Scope
from lagebild.settings import Settings
from lagebild.store import open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_scoped_chunks_follow_inputs_and_size() -> None:
    pages = [(Page(Source("a", "text"), "clean", text="x"), i) for i in range(Scope.SIZE + 3)]
    pages += [(Page(Source("b", "text"), "clean", text="y"), -1)]
    sizes = [len(c) for c in scoped_chunks(pages)]
    assert sizes == [Scope.SIZE, 3, 1]


def _store_snapshot(db: str) -> tuple:
    with open_store(db, read_only=True) as store:
        docs = store.query("SELECT id, text, n_mentions, n_quotes, n_events FROM documents ORDER BY id")
        removed = store.query("SELECT doc_id, idx, kind FROM removed ORDER BY doc_id, idx")
    return docs, removed


def test_workers_agree_with_one_process(tmp_path: Path) -> None:
    snaps = []
    for workers in (1, 2):
        db = str(tmp_path / f"w{workers}.duckdb")
        lb = Lagebild(Settings(db=db), "default")
        with open_store(db) as store:
            report = lb.ingest([str(EXAMPLES)], store, workers=workers)
        assert report.ok and report.written.added == 6
        snaps.append(_store_snapshot(db))
    assert snaps[0] == snaps[1]
