"""The one application object (datasette's idea): settings, a pipeline, a store.

The CLI, the API and Spark jobs all go through :class:`Lagebild`, so behaviour is the same everywhere.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import BinaryIO, Callable, Iterable, Iterator

from lagebild.document import Document, Failure
from lagebild.page import Page
from lagebild.pipeline import Pipeline
from lagebild.settings import Settings
from lagebild.store import Seen, Store, WriteStats, open_store
from lagebild.store.rows import DocumentRows


_SEEN_BATCH = 64   # pages read ahead to check against the store in one query


def content_hash(page: Page) -> str:
    """Hash of the raw input, so a re-run can skip a source before extracting it again."""
    h = hashlib.sha1()
    h.update(page.kind.encode())
    h.update(page.data)
    if page.text is not None:
        h.update(page.text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def seen_of(page: Page) -> Seen | None:
    if page.error is not None:
        return None   # unreadable inputs are retried next time; their error row is upserted
    return Seen(page.source.uri, page.source.record or "", content_hash(page))


@dataclass(slots=True)
class IngestReport:
    pages: int = 0
    skipped: int = 0
    written: WriteStats = field(default_factory=WriteStats)

    @property
    def ok(self) -> bool:
        return self.written.failed == 0


class Lagebild:
    """Settings + pipeline + store, created once and shared by every front end."""

    def __init__(self, settings: Settings | None = None, stages: str | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.stages_spec = stages

    @cached_property
    def pipeline(self) -> Pipeline:
        return Pipeline.build(self.stages_spec, self.settings)

    def open_store(self, read_only: bool = False) -> Store:
        return open_store(self.settings.db, read_only=read_only)

    def pages(self, inputs: list[str], fmt: str = "auto", stdin: BinaryIO | None = None) -> Iterator[Page]:
        from lagebild.sources import iter_pages

        return iter_pages(inputs, fmt=fmt, settings=self.settings, stdin=stdin)

    def analyze(self, inputs: list[str], fmt: str = "auto", stdin: BinaryIO | None = None) -> Iterator[Document | Failure]:
        """Extract and annotate every input, in input order; failures come back as :class:`Failure`."""
        return self.pipeline.pipe(self.pages(inputs, fmt, stdin))

    def ingest(self, inputs: list[str], store: Store, fmt: str = "auto", workers: int = 1,
               stdin: BinaryIO | None = None, on_result: Callable[[DocumentRows | Failure], None] | None = None,
               force: bool = False) -> IngestReport:
        """Analyze and store in batches; inputs already stored with the same content are skipped."""
        from lagebild.parallel import run_pipeline

        report = IngestReport()

        def todo() -> Iterator[tuple[Page, Seen | None]]:
            pages = self.pages(inputs, fmt, stdin)
            while batch := list(itertools.islice(pages, _SEEN_BATCH)):   # one store query per batch
                report.pages += len(batch)
                marks = [seen_of(p) for p in batch]
                skip = set() if force else store.seen_among(marks)
                report.skipped += len(skip)
                yield from ((p, m) for k, (p, m) in enumerate(zip(batch, marks)) if k not in skip)

        batch: list[DocumentRows | Failure] = []
        marks: list[Seen | None] = []
        for result, mark in run_pipeline(lambda: self.pipeline, self.stages_spec, self.settings, todo(), workers):
            batch.append(result)
            marks.append(mark)
            if on_result is not None:
                on_result(result)
            if len(batch) >= self.settings.batch_size:
                report.written += store.write(batch, marks)
                batch, marks = [], []
        if batch:
            report.written += store.write(batch, marks)
        return report


def iter_results(results: Iterable[Document | Failure]) -> Iterator[dict]:
    for r in results:
        yield r.to_dict()
