"""`litopys timeline` and the event records of the export, on the seeds: 000 (uk) and 003 (ru) are
one CBS News report (North Korea's artillery for Russia) in two languages; 001 quotes Mark Rutte
confirming the North Korean troops in the Kursk region."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from litopys.cli import app
from litopys.exports import EXPORT_FIELDS
from litopys.exports.jsonl import EVENT_DATE_FIELDS, EVENT_SOURCE_FIELDS
from litopys.store import Store
from litopys.store.entities import find_entity

runner = CliRunner()


@pytest.fixture(scope="module")
def db(seeded_cli: tuple[str, str]) -> str:
    """The seeds ingested once, through the CLI (shared, read-only)."""
    path, output = seeded_cli
    assert "canonical events" in output and "events: " in output
    return path


@pytest.fixture(scope="module")
def events(db: str) -> list[dict[str, Any]]:
    return _json(db, "timeline")


def _json(db: str, *args: str) -> Any:
    result = runner.invoke(app, ["--db", db, *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _entities(event: dict[str, Any]) -> set[str]:
    return {*event["actors"], *event["targets"], event["location"]} - {None}


def test_timeline_json_records_cite_their_sentences(db: str, events: list[dict[str, Any]]) -> None:
    assert events
    with Store(Path(db)) as store:
        texts = {d: store.get(d)["text"] for e in events for d in {s["document"] for s in e["sources"]}}
    for event in events:
        assert event["kind"] == "event"
        assert tuple(event)[1:] == EXPORT_FIELDS["event"]
        assert tuple(event["date"]) == EVENT_DATE_FIELDS
        assert event["sources"]
        for source in event["sources"]:
            assert tuple(source) == EVENT_SOURCE_FIELDS
            assert source["sentence"] == texts[source["document"]][source["start"] : source["end"]]
            assert isinstance(source["attributed_to"], list)


def test_timeline_arms_transfer_across_uk_and_ru(
    events: list[dict[str, Any]], seed_of: dict[str, str]
) -> None:
    transfers = [e for e in events if e["type"] == "ARMS_TRANSFER"]
    assert any({"000", "003"} <= {seed_of[s["document"]] for s in e["sources"]} for e in transfers)
    assert any({"uk", "ru"} <= set(e["languages"]) for e in transfers)


def test_timeline_troops_confirmed_by_rutte(events: list[dict[str, Any]]) -> None:
    assert any(
        e["type"] == "TROOP_DEPLOYMENT"
        and e["status"] == "confirmed"
        and any("Рютте" in " ".join(s["attributed_to"]) for s in e["sources"])
        for e in events
    )


@pytest.mark.parametrize("name", ["Північна Корея", "North Korea"])
def test_timeline_entity_filter(db: str, events: list[dict[str, Any]], name: str) -> None:
    with Store(Path(db)) as store:
        ids = {e["id"] for e in find_entity(store, name)}
    assert ids
    found = _json(db, "timeline", "--entity", name)
    assert found and all(ids & _entities(e) for e in found)
    assert [e["id"] for e in found] == [e["id"] for e in events if ids & _entities(e)]


def test_timeline_story_and_date_filters(
    db: str, events: list[dict[str, Any]], seed_of: dict[str, str]
) -> None:
    (pair,) = (s for s in _json(db, "stories", "--level", "event") if len(s["documents"]) == 2)
    found = _json(db, "timeline", "--story", pair["id"])
    assert found and {e["id"] for e in found} <= {e["id"] for e in events}
    assert all(set(pair["documents"]) & {s["document"] for s in e["sources"]} for e in found)
    storyline = _json(db, "stories", "--level", "storyline")[0]["id"]
    assert len(_json(db, "timeline", "--story", storyline)) == len(events)  # all five seeds
    dated = [e for e in events if e["date"]["start"]]
    assert len(_json(db, "timeline", "--from", "1900-01-01", "--to", "2999-12-31")) == len(dated)


def test_timeline_text_one_block_per_event(db: str, events: list[dict[str, Any]]) -> None:
    result = runner.invoke(app, ["--db", db, "timeline"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    heads = [line for line in lines if not line.startswith(("├", "└", "│", " "))]
    assert len(heads) == len(events)
    assert heads[0].startswith(events[0]["date"]["start"] or "undated")
    assert f"  {events[0]['type']}  {events[0]['status']}  " in heads[0]
    assert sum(line.startswith(("├── ", "└── ")) for line in lines) == sum(len(e["sources"]) for e in events)
    assert events[0]["sources"][0]["document"][:8] in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2020-13-01"], "not a date"),
        (["--to", "yesterday"], "not a date"),
        (["--from", "2024-02-01", "--to", "2024-01-01"], "after"),
        (["--entity", "Nobody Atall"], "no entity named 'Nobody Atall'"),
        (["--story", "ev-nope"], "no event cluster or storyline 'ev-nope'"),
    ],
)
def test_timeline_usage_errors_exit_2(db: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["--db", db, "timeline", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_timeline_no_database_exits_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["--db", str(tmp_path / "none.db"), "timeline"]).exit_code == 2


def test_export_event_records(export: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    kinds = [r["kind"] for r in export]
    assert "event" in kinds
    last_story = max(i for i, k in enumerate(kinds) if k == "story")
    assert min(i for i, k in enumerate(kinds) if k == "event") > last_story
    assert [r for r in export if r["kind"] == "event"] == events
