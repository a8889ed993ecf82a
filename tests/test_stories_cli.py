"""`litopys stories`, `litopys duplicates`, `ingest --no-stories` and the story fields of the export,
on the seeds: 000 (uk) and 003 (ru) are one CBS News report in two languages, the other three are
separate events of the same thread (North Korea's help to Russia)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from litopys.cli import app

from conftest import seed_path

runner = CliRunner()


@pytest.fixture(scope="module")
def db(seeded_cli: tuple[str, str]) -> str:
    """The seeds ingested once, through the CLI (shared, read-only)."""
    path, output = seeded_cli
    assert "stories: 5 placed, 4 event clusters, 1 storylines, 1 duplicate links" in output
    return path


def _json(db: str, *args: str) -> Any:
    result = runner.invoke(app, ["--db", db, *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_stories_one_storyline_with_all_five_seeds(db: str, seed_of: dict[str, str]) -> None:
    storylines = _json(db, "stories", "--level", "storyline")
    assert [s["level"] for s in storylines] == ["storyline"]
    assert {seed_of[d] for d in storylines[0]["documents"]} == {"000", "001", "002", "003", "004"}
    assert storylines[0]["kind"] == "story" and storylines[0]["storyline"] is None


def test_stories_the_translation_pair_is_one_event_the_rest_alone(db: str, seed_of: dict[str, str]) -> None:
    stories = _json(db, "stories")
    (storyline,) = (s for s in stories if s["level"] == "storyline")
    events = {frozenset(seed_of[d] for d in s["documents"]) for s in stories if s["level"] == "event"}
    assert events == {frozenset({"000", "003"}), frozenset({"001"}), frozenset({"002"}), frozenset({"004"})}
    assert all(s["storyline"] == storyline["id"] for s in stories if s["level"] == "event")
    assert {s["level"] for s in _json(db, "stories", "--level", "event")} == {"event"}


def test_stories_text_is_a_tree(db: str) -> None:
    result = runner.invoke(app, ["--db", db, "stories"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("st-") and "5 documents (uk, ru)" in lines[0]
    assert sum(line.startswith(("├── ev-", "└── ev-")) for line in lines) == 4
    assert "2 documents (uk, ru)" in result.output
    assert "КНДР предоставила России" in result.output  # seed 003, a document under its event


def test_stories_bad_level_exits_2(db: str) -> None:
    result = runner.invoke(app, ["--db", db, "stories", "--level", "bogus"])
    assert result.exit_code == 2
    assert "unknown level 'bogus'" in result.output and "storyline, event" in result.output


def test_duplicates_one_translation_link(db: str, seed_of: dict[str, str]) -> None:
    (link,) = _json(db, "duplicates")
    assert link["kind"] == "translation"
    assert {seed_of[link["a"]], seed_of[link["b"]]} == {"000", "003"}
    assert {link["a_lang"], link["b_lang"]} == {"uk", "ru"}
    assert _json(db, "duplicates", "--kind", "translation") == [link]
    assert _json(db, "duplicates", "--kind", "near") == []
    text = runner.invoke(app, ["--db", db, "duplicates"])
    assert text.exit_code == 0 and text.output.startswith("translation ") and "⇄" in text.output
    assert runner.invoke(app, ["--db", db, "duplicates", "--kind", "fuzzy"]).exit_code == 2


def test_export_story_records_and_document_fields(
    export: list[dict[str, Any]], seed_of: dict[str, str]
) -> None:
    stories = [r for r in export if r["kind"] == "story"]
    assert {r["level"] for r in stories} == {"event", "storyline"}
    docs = {seed_of[r["id"]]: r for r in export if r["kind"] == "document"}
    assert [(seed_of[d["id"]], d["kind"]) for d in docs["000"]["duplicates"]] == [("003", "translation")]
    assert set(docs["000"]["duplicates"][0]) == {"id", "kind", "score"}
    assert docs["000"]["event_cluster"] == docs["003"]["event_cluster"] != docs["001"]["event_cluster"]
    assert len({d["storyline"] for d in docs.values()}) == 1
    assert docs["001"]["duplicates"] == []
    by_id = {r["id"]: r for r in stories}
    assert by_id[docs["000"]["event_cluster"]]["storyline"] == docs["000"]["storyline"]


def test_ingest_no_stories(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    result = runner.invoke(app, ["--db", db, "ingest", "--quiet", "--no-stories", str(seed_path("004"))])
    assert result.exit_code == 0, result.output
    assert "stories:" not in result.output
    assert _json(db, "stories") == [] and _json(db, "duplicates") == []
    assert "no stories" in runner.invoke(app, ["--db", db, "stories"]).output
    records = [json.loads(line) for line in runner.invoke(app, ["--db", db, "export"]).output.splitlines()]
    (doc,) = (r for r in records if r["kind"] == "document")
    assert doc["event_cluster"] is None and doc["storyline"] is None and doc["duplicates"] == []
    assert "story" not in {r["kind"] for r in records}
