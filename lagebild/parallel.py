"""Run a pipeline over pages in this process or in a pool of worker processes, keeping input order.

Why it is built this way:

* Each worker builds its pipeline once (pool initializer), never per document, with one BLAS/OpenMP
  thread (several per worker oversubscribe the cores).
* Work items are small (``CHUNK`` pages) so both cores stay busy even on one big WARC, but a text-dump
  :class:`~lagebild.pipeline.Scope` is never split once it holds a text dump: the repeated-line
  memory must see that scope's dumps in order. Every work item starts with a fresh scope, which is
  exactly what one process has at that point (only text dumps write to the memory). So
  ``--workers N`` stores what ``--workers 1`` stores, and what Spark stores.
* At most ``INFLIGHT_PER_WORKER`` items per worker are submitted ahead: reading a huge input never
  fills memory ahead of the workers, and results come back in input order.
* Workers are forked from a fork server (start method ``forkserver``) that imported lagebild and
  loaded the read-only data once (:mod:`lagebild.pool_preload`): a worker starts in a fraction of a
  second instead of seconds of imports and model loads, and shares that memory copy-on-write. This
  process itself is never forked: it holds threads (DuckDB, the fetcher) whose locks a forked child
  would inherit. Where there is no fork server (not POSIX) workers are spawned and load everything.
* A worker hands back each document as its store rows (:class:`~lagebild.store.rows.DocumentRows`:
  tuples and the contract JSON), not as a Document: this process writes the store and would
  otherwise spend seconds per thousand pages unpickling object graphs and building rows, CPU time
  taken from the workers on a machine whose cores they fill.
* A pool still costs the fork server's start (once per process), so inputs of fewer than
  ``settings.pool_min_pages`` pages run in this process.
* A worker that dies (a crash in a C library on a hostile page) breaks every item in flight: the
  pool is restarted and those pages run again one at a time (a text-dump scope as a whole); the one
  that kills its worker again fails with E902, and the batch goes on.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator, TypeVar

from lagebild.document import Failure
from lagebild.errors import Code, DocError, LagebildError
from lagebild.page import Page
from lagebild.pipeline import Pipeline, Scope
from lagebild.settings import Settings
from lagebild.store.rows import DocumentRows, stored_form

T = TypeVar("T")
Item = tuple[Page, T]

CHUNK = 4                  # pages per work item where a scope may be split
INFLIGHT_PER_WORKER = 8    # work items submitted ahead per worker (results are collected in input order: a
                           # slow page at the head stalls the other worker once the window is full)

_worker_pipeline: Pipeline | None = None   # one per worker process, set by the pool initializer


def _init_worker(stages: str | None, settings: Settings) -> None:
    global _worker_pipeline
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    _worker_pipeline = Pipeline.build(stages, settings)


def _run_chunk(chunk: list[Item]) -> list[tuple[DocumentRows | Failure, T]]:
    """Analyse a work item and hand back each document as its store rows (built here, not in the
    process that writes the store: see :class:`~lagebild.store.rows.DocumentRows`)."""
    assert _worker_pipeline is not None
    _worker_pipeline.new_scope()
    return [(stored_form(_worker_pipeline.process(page)), tag) for page, tag in chunk]


def work_items(items: Iterable[Item], size: int = CHUNK) -> Iterator[list[Item]]:
    """Cut the stream into work items: never across a scope boundary, at most ``size`` pages,
    except that once a scope holds a text dump, the rest of that scope stays in one item."""
    scope = Scope()
    chunk: list[Item] = []
    sticky = False
    for item in items:
        page = item[0]
        if scope.starts(page):
            if chunk:
                yield chunk
            chunk, sticky = [], False
        elif len(chunk) >= size and not sticky:
            yield chunk
            chunk = []
        chunk.append(item)
        sticky = sticky or page.kind == "text"
    if chunk:
        yield chunk


def scoped_chunks(items: Iterable[Item]) -> Iterator[list[Item]]:
    """Whole :class:`Scope` runs (the unit Spark and recovery reason about)."""
    return work_items(items, size=Scope.SIZE)


def effective_workers(workers: int) -> int:
    return workers if workers and workers > 0 else (os.cpu_count() or 1)


def run_pipeline(make_pipeline: Callable[[], Pipeline], stages: str | None, settings: Settings,
                 items: Iterable[Item], workers: int = 1) -> Iterator[tuple[DocumentRows | Failure, T]]:
    """Yield ``(result, tag)`` for every ``(page, tag)`` in input order, each document in its stored
    form (its rows), built in the process that analysed it."""
    workers = effective_workers(workers)
    stream = iter(items)
    least = max(settings.pool_min_pages, 1)
    head = list(itertools.islice(stream, least)) if workers > 1 else []
    if workers == 1 or len(head) < least:
        pipeline = make_pipeline()
        for page, tag in itertools.chain(head, stream):
            yield stored_form(pipeline.run(page)), tag
        return
    yield from _pooled(stages, settings, itertools.chain(head, stream), workers)


#: module the fork server imports before it forks any worker
PRELOAD = "lagebild.pool_preload"


def pool_context() -> mp.context.BaseContext:
    """``forkserver`` with the warming preload where the platform has it, else ``spawn``; never
    ``fork`` (this process's threads)."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload([PRELOAD])   # no effect once this process's fork server runs
        return ctx
    return mp.get_context("spawn")


def _pooled(stages: str | None, settings: Settings, items: Iterable[Item], workers: int,
            runner: Callable[[list[Item]], list] = _run_chunk) -> Iterator[tuple[DocumentRows | Failure, T]]:
    context = pool_context()

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                   initargs=(stages, settings))

    pool = start()
    pending: deque[tuple[list[Item], Future]] = deque()
    try:
        for chunk in work_items(items):
            pending.append((chunk, _submit(pool, runner, chunk)))
            while len(pending) >= workers * INFLIGHT_PER_WORKER:
                results, pool = _collect(pending, pool, start, runner)
                yield from results
        while pending:
            results, pool = _collect(pending, pool, start, runner)
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(pending: deque, pool: ProcessPoolExecutor, start: Callable[[], ProcessPoolExecutor],
             runner: Callable[[list[Item]], list]):
    """Results of the oldest work item. When the pool broke, every item in flight is rerun alone in
    a fresh pool, so only the item that kills its worker again is failed."""
    chunk, fut = pending.popleft()
    try:
        return fut.result(), pool
    except BrokenProcessPool:
        pass
    out: list = []
    pool.shutdown(wait=False, cancel_futures=True)
    pool = start()
    for item in [chunk] + [c for c, _ in pending]:
        # an item without text dumps may be split further: then only the deadly page fails
        alone = [[x] for x in item] if len(item) > 1 and all(p.kind != "text" for p, _ in item) else [item]
        for part in alone:
            try:
                out.extend(pool.submit(runner, part).result())
            except BrokenProcessPool as exc:
                out.extend((_died(page, exc), tag) for page, tag in part)
                pool.shutdown(wait=False, cancel_futures=True)
                pool = start()
    pending.clear()
    return out, pool


def _submit(pool: ProcessPoolExecutor, runner: Callable[[list[Item]], list], chunk: list[Item]) -> Future:
    """Submit, or hand back a failed future when the pool broke since the last collect."""
    try:
        return pool.submit(runner, chunk)
    except BrokenProcessPool as exc:
        fut: Future = Future()
        fut.set_exception(exc)
        return fut


def _died(page: Page, exc: BaseException) -> Failure:
    detail = str(exc)[:200] or type(exc).__name__
    return Failure(page.source, [DocError.from_exception("worker", LagebildError(Code.E902, detail=detail))])
