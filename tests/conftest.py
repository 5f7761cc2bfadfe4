"""Shared fixtures. Tests that need ../shared/data skip with a reason where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LAGEBILD_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "000_fa5e8bf525930c36.txt"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ../shared/data; skips when this checkout has no shared data beside it."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"needs the public dev datasets at {data} (set LAGEBILD_SHARED); not present here")
    return data


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The reference page (../shared/seed); skips when absent."""
    if not SEED.is_file():
        pytest.skip(f"needs the reference page at {SEED}; not present here")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture()
def tmp_db(tmp_path: Path) -> str:
    return str(tmp_path / "test.duckdb")
