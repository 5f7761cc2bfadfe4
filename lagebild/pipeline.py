"""Stages registered by name, pipelines built from names and checked, batches run with error capture.

A stage is a small object with a ``name``, the layers it ``requires`` and ``adds``, and
``__call__(doc) -> doc``. Stages are made by factories registered under their name (spaCy's
``@Language.factory`` idea), so a pipeline is just a list of names; third-party packages add stages
through the ``lagebild.stages`` entry-point group. Building a pipeline checks that every stage's
requirements are added by an earlier one. Running it never lets one document stop a batch.
"""

from __future__ import annotations

import gc
import importlib
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Callable, Iterable, Iterator, Protocol, runtime_checkable

from lagebild.document import Document, Failure
from lagebild.errors import Code, ConfigError, DocError
from lagebild.page import Page
from lagebild.settings import Settings


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    adds: tuple[str, ...]

    def __call__(self, doc: Document) -> Document: ...


StageFactory = Callable[[Settings], Stage]


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    requires: tuple[str, ...]
    adds: tuple[str, ...]
    factory: StageFactory
    doc: str


class Registry:
    """Stage factories by name. One instance per process is built lazily by :func:`registry`."""

    def __init__(self) -> None:
        self._stages: dict[str, StageInfo] = {}

    def add(self, name: str, requires: Iterable[str], adds: Iterable[str], factory: StageFactory,
            doc: str = "") -> None:
        self._stages[name] = StageInfo(name, tuple(requires), tuple(adds), factory, doc)

    def __contains__(self, name: str) -> bool:
        return name in self._stages

    def get(self, name: str) -> StageInfo:
        try:
            return self._stages[name]
        except KeyError:
            raise ConfigError(Code.E401, name=name, known=", ".join(self.names())) from None

    def names(self) -> list[str]:
        return list(self._stages)

    def providers(self, layer: str) -> list[str]:
        return [s.name for s in self._stages.values() if layer in s.adds]


#: Built-in stage modules; importing one registers its stages through :func:`stage`.
BUILTIN_MODULES = (
    "lagebild.annotate.language",
    "lagebild.annotate.sentences",
    "lagebild.annotate.mentions",
    "lagebild.annotate.coref",
    "lagebild.annotate.quotes",
    "lagebild.annotate.events",
    "lagebild.annotate.genre",
    "lagebild.annotate.tone",
    "lagebild.annotate.framing",
)

#: The canonical order of built-in stages; presets are prefixes of it filtered by what exists.
DEFAULT_ORDER = ("language", "sentences", "mentions", "coref", "quotes", "events",
                 "genre", "tone", "framing")

PRESETS: dict[str, tuple[str, ...]] = {
    "extract": ("language",),
    "actors": ("language", "sentences", "mentions", "coref"),
    "quotes": ("language", "sentences", "mentions", "coref", "quotes"),
    "events": ("language", "sentences", "mentions", "coref", "events"),
    "framing": ("language", "sentences", "genre", "tone", "framing"),
    "default": DEFAULT_ORDER,
}

_pending: list[tuple[str, tuple[str, ...], tuple[str, ...], StageFactory, str]] = []
_registry: Registry | None = None


def stage(name: str, requires: Iterable[str] = (), adds: Iterable[str] = ()) -> Callable[[StageFactory], StageFactory]:
    """Decorator registering a stage factory: ``@stage("mentions", requires=["sentences"], adds=["mentions"])``."""

    def deco(factory: StageFactory) -> StageFactory:
        entry = (name, tuple(requires), tuple(adds), factory, (factory.__doc__ or "").strip())
        _pending.append(entry)
        if _registry is not None:
            _registry.add(*entry)
        return factory

    return deco


def registry() -> Registry:
    """The stage registry with every built-in and plugin stage that can be imported."""
    global _registry
    if _registry is None:
        _registry = Registry()
        for module in BUILTIN_MODULES:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:   # a real missing dependency inside the module: say so
                    raise
        for ep in entry_points(group="lagebild.stages"):
            ep.load()
        for entry in _pending:
            _registry.add(*entry)
    return _registry


def resolve_names(spec: str | Iterable[str] | None) -> list[str]:
    """Turn ``--stages`` (a preset name or a comma list) into stage names. ``extract`` is implied."""
    reg = registry()
    if spec is None:
        spec = "default"
    if isinstance(spec, str):
        spec = spec.strip()
        if spec in PRESETS:
            return [n for n in PRESETS[spec] if n in reg]
        names = [p.strip() for p in spec.split(",") if p.strip()]
    else:
        names = list(spec)
    names = [n for n in names if n != "extract"]
    return names


class Scope:
    """Cuts the stream of pages into runs of at most ``SIZE`` consecutive pages of one input.

    Memory that spans pages (text-dump lines repeated across a site's pages) lives for one scope.
    The single process, the worker pool and Spark cut at the same places, so they agree exactly.
    """

    SIZE = 256

    def __init__(self) -> None:
        self.uri: str | None = None
        self.count = 0

    def starts(self, page: Page) -> bool:
        """True when ``page`` begins a new scope (and counts it)."""
        new = page.source.uri != self.uri or self.count >= self.SIZE
        if new:
            self.uri, self.count = page.source.uri, 0
        self.count += 1
        return new


class Pipeline:
    """Extraction followed by checked annotate stages."""

    def __init__(self, stages: list[Stage], settings: Settings, extractor: "Callable[[Page], Document] | None" = None) -> None:
        self.stages = stages
        self.settings = settings
        if extractor is None:
            from lagebild.extract import Extractor

            extractor = Extractor(settings)
        self.extractor = extractor
        self._scope = Scope()

    @property
    def names(self) -> list[str]:
        return ["extract"] + [s.name for s in self.stages]

    @classmethod
    def build(cls, spec: str | Iterable[str] | None = None, settings: Settings | None = None) -> "Pipeline":
        """Build from a preset or a list of names; fail with E401/E402/E403 on a bad configuration."""
        settings = settings or Settings()
        reg = registry()
        names = resolve_names(spec)
        check(names, reg)
        return cls([reg.get(n).factory(settings) for n in names], settings)

    @staticmethod
    def validate(spec: str | Iterable[str] | None = None) -> list[str]:
        """The stage names of ``spec``, checked like :meth:`build` checks them, without building."""
        names = resolve_names(spec)
        check(names, registry())
        return names

    def run(self, page: Page) -> Document | Failure:
        """Extract and annotate one page. Never raises for a bad page."""
        if self._scope.starts(page):
            self.new_scope()
        return self.process(page)

    def new_scope(self) -> None:
        """Forget memory that spans pages (the text-dump lines seen so far)."""
        if hasattr(self.extractor, "new_scope"):
            self.extractor.new_scope()

    def process(self, page: Page) -> Document | Failure:
        """:meth:`run` without scope tracking: the worker pool resets scopes explicitly."""
        with gc_paused():
            return self._process(page)

    def _process(self, page: Page) -> Document | Failure:
        if page.error is not None:
            return Failure(page.source, [page.error])
        try:
            doc = self.extractor(page)
        except RecursionError:
            return Failure(page.source, [DocError("extract", Code.E202.name,
                                                  Code.E202.value.format(detail="nesting too deep"))])
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop a batch
            return Failure(page.source, [DocError.from_exception("extract", exc)])
        return self.annotate(doc)

    def annotate(self, doc: Document) -> Document:
        """Run the annotate stages; a failing stage is recorded and the stages that need it are skipped."""
        available = {"text"}
        if doc.language:
            available.add("language")
        if "extract" not in doc.done:
            doc.done.append("extract")
        for st in self.stages:
            if not set(st.requires) <= available:
                continue
            try:
                st(doc)
            except Exception as exc:  # noqa: BLE001
                doc.errors.append(DocError.from_exception(st.name, exc))
                continue
            available.update(st.adds)
            doc.done.append(st.name)
        return doc

    def pipe(self, pages: Iterable[Page]) -> Iterator[Document | Failure]:
        for page in pages:
            yield self.run(page)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while one document is processed, back on (as it was) after.

    A page allocates some hundred thousand short-lived objects (tokens, features, matches) that
    reference counting frees; the collector still walked the survivors each 700 allocations, about
    5 of 80 ms per page (benchmarks/throughput.py). Paused per document, cycles made by one page are
    collected after it, so memory stays bounded by one document's garbage.
    """
    if not gc.isenabled():   # already paused by a caller: leave it to them
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def check(names: list[str], reg: Registry) -> None:
    """Raise ConfigError when a stage is unknown, repeated, or needs a layer no earlier stage adds."""
    available = {"text"}
    seen: set[str] = set()
    for name in names:
        info = reg.get(name)
        if name in seen:
            raise ConfigError(Code.E403, name=name)
        seen.add(name)
        missing = [r for r in info.requires if r not in available]
        if missing:
            providers = sorted({p for m in missing for p in reg.providers(m)})
            raise ConfigError(Code.E402, name=name, missing=", ".join(missing),
                              providers=", ".join(providers) or "a stage that adds it")
        available.update(info.adds)
