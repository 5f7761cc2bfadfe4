"""Schemathesis against /openapi.json: generated requests (valid and invalid) never cause a server error.

Runs in-process through ASGI on PostgreSQL when one is available (it is the stricter backend: NUL
bytes, integer ranges) and on DuckDB. Writes are exercised with the token. Bounded examples keep it
well under two minutes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from lagebild.api import create_app  # noqa: E402
from lagebild.settings import Settings  # noqa: E402
from lagebild.store import open_store  # noqa: E402
from tests.test_api_support import (TOKEN, filler_documents, fresh_database, pg_server,  # noqa: E402,F401
                                    sample_documents)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def api_schema(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    drop = None
    if request.param == "duckdb":
        db = str(tmp_path_factory.mktemp("st") / "st.duckdb")
    else:
        db, drop = fresh_database(request.getfixturevalue("pg_server"))
    store = open_store(db)
    store.write(sample_documents() + filler_documents(5))
    app = create_app(Settings(db=db, api_token=TOKEN, fetch_timeout=1.0, api_max_page_size=20),
                     store=store, stages="extract")
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    store.close()
    if drop:
        drop()


def _operations(schema) -> list:
    return [r.ok() for r in schema.get_all_operations()]


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_no_server_errors(api_schema, mode: str) -> None:
    """Every operation, valid and invalid inputs: no 5xx (the schemathesis ``not_a_server_error`` check)."""
    generation = schemathesis.GenerationMode(mode)
    failures: list[str] = []
    for op in _operations(api_schema):

        @given(case=op.as_strategy(generation_mode=generation))
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case) -> None:
            if isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
                case.body["url"] = "http://127.0.0.1:9/never"   # no network; private addresses are refused
            try:
                case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error])
            except Exception as exc:  # noqa: BLE001 - collect every failing operation, then report
                failures.append(f"{op.label}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
                raise

        try:
            run()
        except Exception:  # noqa: BLE001
            pass
    assert not failures, "\n".join(sorted(set(failures))[:20])


def test_schema_is_served(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "s.duckdb")))
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app)
    assert len(list(loaded.get_all_operations())) >= 10
    app.state.gate.store.close()
