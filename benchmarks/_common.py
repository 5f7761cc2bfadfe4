"""Shared helpers for benchmarks: where the data is, result tables, JSON output."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LAGEBILD_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
RESULTS = ROOT / "benchmarks" / "results"
console = Console()


def need_data() -> Path:
    if not DATA.is_dir():
        console.print(f"[red]needs the public dev datasets at {DATA} (set LAGEBILD_SHARED)[/]")
        sys.exit(2)
    return DATA


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title)
    for c in columns:
        table.add_column(c, justify="left" if c == columns[0] else "right")
    for r in rows:
        table.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in r])
    console.print(table)


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    console.print(f"wrote {path}")
    return path
