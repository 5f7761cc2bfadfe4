"""The CLI end to end on the bundled examples: JSON contract, order, exit codes, idempotent ingest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lagebild.cli import app
from lagebild.schema import validate_document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
runner = CliRunner()


def run(*args: str, input: bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_help_lists_commands() -> None:
    res = run("--help")
    assert res.exit_code == 0
    for cmd in ("analyze", "ingest", "show", "stats", "stages", "settings"):
        assert cmd in res.output


def test_analyze_json_follows_the_contract_in_input_order() -> None:
    paths = [str(EXAMPLES / n) for n in ("en_sanctions_dump.txt", "de_eu_gipfel_sanktionen.html", "records.jsonl")]
    res = run("analyze", *paths, "--json")
    assert res.exit_code == 0, res.output
    docs = json_lines(res.stdout)
    assert len(docs) == 4     # one dump, one HTML page, two JSONL records
    for d in docs:
        validate_document(d)
    assert docs[0]["source"]["uri"].endswith("en_sanctions_dump.txt")
    assert docs[1]["source"] == {"uri": paths[1], "format": "html"} or docs[1]["source"]["format"] == "html"
    assert [d["source"].get("record") for d in docs[2:]] == ["wire-001", "wire-002"]
    assert docs[0]["language"] == "en" and docs[1]["language"] == "de"
    # the trusted JSONL text is kept as it is, its metadata wins
    assert docs[2]["title"] == "NATO-Außenminister beraten in Antalya" and docs[2]["published"] == "2025-05-12"
    assert docs[2]["text"].startswith("Die Außenminister der NATO-Staaten")


def test_removed_blocks_are_labelled_not_lost() -> None:
    res = run("analyze", str(EXAMPLES / "de_aussenministerin_dump.txt"), "--json", "--stages", "extract")
    d = json_lines(res.stdout)[0]
    removed = {r["text"]: r["kind"] for r in d["removed"]}
    assert "Newsletter" not in d["text"].splitlines()
    assert "© 2025 Beispiel-Zeitung" in removed
    assert "Die Bundesregierung will Ägypten" in d["text"]


def test_usage_errors_exit_2() -> None:
    assert run("analyze", str(EXAMPLES), "--stages", "nonsense").exit_code == 2
    assert run("analyze", str(EXAMPLES), "--format", "pdf").exit_code == 2


def test_bad_inputs_exit_1_and_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    shutil.copy(EXAMPLES / "en_sanctions_dump.txt", tmp_path / "c.txt")
    res = run("analyze", str(tmp_path / "a.bin"), str(tmp_path / "b.txt"), str(tmp_path / "c.txt"), "--json")
    assert res.exit_code == 1
    out = json_lines(res.stdout)
    assert [o["id"] is None for o in out] == [True, True, False]
    assert out[0]["errors"][0]["code"] == "E103" and out[1]["errors"][0]["code"] == "E102"
    assert "Traceback" not in res.output


def test_ingest_twice_adds_nothing_and_show_stats(tmp_path: Path) -> None:
    db = str(tmp_path / "t.duckdb")
    first = run("ingest", str(EXAMPLES), "--db", db, "--quiet")
    assert first.exit_code == 0, first.output
    stats1 = json.loads(run("stats", "--db", db, "--json").stdout)
    assert stats1["documents"] == 6
    again = run("ingest", str(EXAMPLES), "--db", db, "--quiet", "--force")
    assert again.exit_code == 0
    stats2 = json.loads(run("stats", "--db", db, "--json").stdout)
    assert stats2["documents"] == 6 and stats2["mentions"] == stats1["mentions"]
    doc_id = json_lines(run("analyze", str(EXAMPLES / "en_security_council.html"), "--json").stdout)[0]["id"]
    shown = run("show", doc_id[:10], "--db", db, "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == doc_id
    assert run("show", "0000000000", "--db", db).exit_code == 1


@pytest.mark.parametrize("args", [("stages",), ("settings",), ("settings", "--json")])
def test_info_commands(args: tuple[str, ...]) -> None:
    assert run(*args).exit_code == 0


def test_stdin_input() -> None:
    data = (EXAMPLES / "en_sanctions_dump.txt").read_bytes()
    res = run("analyze", "-", "--json", "--stages", "extract", input=data)
    assert res.exit_code == 0, res.output
    assert json_lines(res.stdout)[0]["source"]["uri"] in ("-", "<stdin>")
