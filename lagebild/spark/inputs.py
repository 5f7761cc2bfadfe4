"""Expand input paths and globs into files, with a cheap identity for skipping files already done."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InputFile:
    index: int
    path: str
    size: int
    mtime: int

    @property
    def key(self) -> str:
        """Identity used by the manifest: a file changed in place is processed again."""
        return f"{self.path}|{self.size}|{self.mtime}"


def expand(patterns: list[str]) -> list[InputFile]:
    """Files named by paths, directories (recursive) and globs, sorted within each pattern, deduplicated."""
    paths: list[str] = []
    for pattern in patterns:
        if os.path.isdir(pattern):
            for root, dirs, files in os.walk(pattern):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                paths.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
        elif any(ch in pattern for ch in "*?["):
            paths.extend(sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p)))
        else:
            paths.append(pattern)
    seen: set[str] = set()
    out: list[InputFile] = []
    for p in paths:
        ap = os.path.abspath(p)
        if ap in seen:
            continue
        seen.add(ap)
        try:
            st = os.stat(ap)
            out.append(InputFile(len(out), ap, st.st_size, int(st.st_mtime)))
        except OSError:
            out.append(InputFile(len(out), ap, -1, -1))
    return out
