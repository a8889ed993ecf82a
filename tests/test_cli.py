"""The command line over the library: exit codes, summaries, export, show, stats."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from litopys.cli import app

from conftest import SEEDS

runner = CliRunner()


def test_cli_ingest_export_show_stats(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    result = runner.invoke(app, ["--db", db, "ingest", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "ingested" in result.output and "5" in result.output
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["--db", db, "export", "--format", "jsonl", "-o", str(out)]).exit_code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kinds = [line["kind"] for line in lines]
    assert kinds[:5] == ["document"] * 5 and set(kinds[5:]) == {"entity", "story", "event"}
    doc = next(line for line in lines if line["source"] == "CBS News")
    shown = runner.invoke(app, ["--db", db, "show", doc["id"][:8]])
    assert shown.exit_code == 0 and "Джерело: CBS News" in shown.output and "attribution" in shown.output
    stats = runner.invoke(app, ["--db", db, "stats", "--json"])
    assert json.loads(stats.output)["by_lang"] == {"uk": 4, "ru": 1}


def test_cli_exit_1_when_some_inputs_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(
        app,
        ["--db", str(tmp_path / "c.db"), "ingest", str(tmp_path), str(SEEDS / "004_1ffae8b320c8eec2.txt")],
    )
    assert result.exit_code == 1
    assert "E101" in result.output and "rejected" in result.output


def test_cli_missing_path_is_rejected_not_fatal(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--db", str(tmp_path / "c.db"), "ingest", str(tmp_path / "nope.txt"), str(SEEDS)]
    )
    assert result.exit_code == 1
    assert "E107" in result.output


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    db = str(tmp_path / "none.db")
    assert runner.invoke(app, ["--db", db, "stats"]).exit_code == 2  # no database yet
    assert runner.invoke(app, ["--db", db, "ingest", "--workers", "0", "x"]).exit_code == 2
    runner.invoke(app, ["--db", db, "ingest", str(SEEDS)])
    assert runner.invoke(app, ["--db", db, "export", "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["--db", db, "show", "ffffffff"]).exit_code == 2
    assert runner.invoke(app, ["--db", db, "frobnicate"]).exit_code == 2


def test_cli_entities_entity_merge_split(tmp_path: Path) -> None:
    db = str(tmp_path / "e.db")
    assert runner.invoke(app, ["--db", db, "ingest", "--quiet", str(SEEDS)]).exit_code == 0
    listed = runner.invoke(app, ["--db", db, "entities", "--type", "PER", "--top", "5", "--json"])
    people = json.loads(listed.output)
    assert len(people) == 5 and {p["type"] for p in people} == {"PER"}
    assert people[0]["mentions"] >= people[-1]["mentions"]
    shown = runner.invoke(app, ["--db", db, "entity", "Ким Чен Ын"])
    assert shown.exit_code == 0
    assert "Кім Чен Ин" in shown.output and "КНДР предоставила России" in shown.output  # the ru document
    assert runner.invoke(app, ["--db", db, "entity", "Nobody Atall"]).exit_code == 2
    merged = runner.invoke(app, ["--db", db, "merge", "Кремль", "Міноборони РФ"])
    assert merged.exit_code == 0, merged.output
    kremlin = runner.invoke(app, ["--db", db, "entity", "Кремль"]).output
    assert "Міноборони РФ" in kremlin
    assert runner.invoke(app, ["--db", db, "split", "Кремль", "Міноборони РФ"]).exit_code == 0
    assert (
        "Міноборони РФ"
        not in runner.invoke(app, ["--db", db, "entity", "Кремль"]).output.split("occurs with")[0]
    )
