"""What runs inside a Spark task: one input file -> tagged rows for every output table.

The pipeline is built once per Python worker process (cached), never per file or document.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

from lagebild.document import Document
from lagebild.pipeline import Pipeline
from lagebild.settings import Settings
from lagebild.store.rows import document_rows, error_rows
from lagebild.spark.tables import OUTPUT_TABLES


@lru_cache(maxsize=4)
def _pipeline(stages: str | None, settings: Settings) -> Pipeline:
    return Pipeline.build(stages, settings)


def process_file(file_idx: int, path: str, stages: str | None, settings: Settings,
                 now: str) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Yield ``(table, row + (file_idx, rec_idx))`` for every document and error of one input file."""
    from lagebild.sources import iter_pages

    pipeline = _pipeline(stages, settings)
    for rec_idx, page in enumerate(iter_pages([path], settings=settings)):
        result = pipeline.run(page)
        origin = (file_idx, rec_idx)
        if isinstance(result, Document):
            for table, rows in document_rows(result, now).items():
                if table in OUTPUT_TABLES:
                    for row in rows:
                        yield table, tuple(row) + origin
        for row in error_rows(result, now):
            yield "errors", tuple(row) + origin
