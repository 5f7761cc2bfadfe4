"""Run a pipeline over pages in this process or in a pool of worker processes, keeping input order.

Each worker builds its pipeline once (in the pool initializer), never per document. Results come
back in input order, so ``ingest --workers N`` stores exactly what ``--workers 1`` stores.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from typing import Iterable, Iterator, TypeVar

from lagebild.document import Document, Failure
from lagebild.page import Page
from lagebild.pipeline import Pipeline, Scope
from lagebild.settings import Settings

T = TypeVar("T")

_worker_pipeline: Pipeline | None = None   # one per worker process, set by the pool initializer


def _init_worker(stages: str | None, settings: Settings) -> None:
    global _worker_pipeline
    # one thread per worker: OpenMP/BLAS pools in every worker (scikit-learn's gradient boosting)
    # oversubscribe the cores and spin-wait on small inputs
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    _worker_pipeline = Pipeline.build(stages, settings)


def _run_chunk(chunk: list[tuple[Page, T]]) -> list[tuple[Document | Failure, T]]:
    assert _worker_pipeline is not None
    return [(_worker_pipeline.run(page), tag) for page, tag in chunk]


def scoped_chunks(items: Iterable[tuple[Page, T]]) -> Iterator[list[tuple[Page, T]]]:
    """Whole :class:`Scope` runs as work items, so a worker sees exactly what one process would."""
    scope = Scope()
    chunk: list[tuple[Page, T]] = []
    for item in items:
        if scope.starts(item[0]) and chunk:
            yield chunk
            chunk = []
        chunk.append(item)
    if chunk:
        yield chunk


def effective_workers(workers: int) -> int:
    return workers if workers and workers > 0 else (os.cpu_count() or 1)


def run_pipeline(pipeline: Pipeline, stages: str | None, settings: Settings,
                 items: Iterable[tuple[Page, T]], workers: int = 1) -> Iterator[tuple[Document | Failure, T]]:
    """Yield ``(result, tag)`` for every ``(page, tag)`` in input order."""
    workers = effective_workers(workers)
    if workers == 1:
        for page, tag in items:
            yield pipeline.run(page), tag
        return
    # spawn, not fork: the parent holds threads (DuckDB, the fetcher) whose locks a forked child inherits
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(stages, settings)) as pool:
        for results in pool.imap(_run_chunk, scoped_chunks(items)):
            yield from results
