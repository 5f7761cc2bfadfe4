"""Compile the actor KB (lagebild/kb/data/kb.json.gz) from ../shared/data/kb-sources + curated files.

Usage: python scripts/build_kb.py [SOURCES_DIR]   (same as `lagebild kb build`)
"""

from __future__ import annotations

import sys
from pathlib import Path

from lagebild.kb.build import OUT, build

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "kb-sources"
    stats = build(src, OUT)
    print(" ".join(f"{k}={v}" for k, v in stats.items()), "->", OUT)
