"""Per-language data files (lexicons, patterns, titles, quotation marks).

Knowledge that differs by language lives in files under ``lang/<code>/``, never in code branches:
German and English first, more languages by adding a folder. :func:`load_list` and
:func:`load_table` read them once per process (cached, read-only).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


def _path(lang: str, name: str):
    return resources.files("lagebild.lang").joinpath(lang, name)


def has(lang: str, name: str) -> bool:
    return _path(lang, name).is_file()


@lru_cache(maxsize=None)
def load_list(lang: str, name: str) -> tuple[str, ...]:
    """A one-entry-per-line file; ``#`` starts a comment. Missing file -> empty tuple."""
    p = _path(lang, name)
    if not p.is_file():
        return ()
    out = []
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.split(" #", 1)[0].strip() if not line.startswith("#") else ""
        if line:
            out.append(line)
    return tuple(out)


@lru_cache(maxsize=None)
def load_json(lang: str, name: str) -> Any:
    p = _path(lang, name)
    if not p.is_file():
        return {}
    return json.loads(p.read_text(encoding="utf-8"))
