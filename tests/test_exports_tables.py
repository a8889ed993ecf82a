"""The CSV export (documents.csv, entities.csv, events.csv) of the seeds, read back with csv.DictReader:
000 (uk) and 003 (ru) are one CBS News report of North Korea's artillery for Russia."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from litopys.exports.jsonl import records
from litopys.exports.tables import CSV_COLUMNS, export_csv
from litopys.store import Store
from litopys.store.entities import find_entity, list_entities
from litopys.store.events import list_events

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def store(seeded_cli: tuple[str, str]) -> Any:
    with Store(Path(seeded_cli[0])) as store:
        yield store


@pytest.fixture(scope="module")
def exported(store: Store, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    directory = tmp_path_factory.mktemp("csv") / "out"  # not there yet: the export makes it
    return directory, export_csv(store, directory)


def _read(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS[path.name]
        return list(reader)


def _id(store: Store, name: str) -> str:
    (entity,) = find_entity(store, name)
    return str(entity["id"])


def test_exports_csv_counts_match_store(store: Store, exported: tuple[Path, dict[str, int]]) -> None:
    directory, counts = exported
    expected = {
        "documents.csv": store.stats()["documents"],
        "entities.csv": len(list_entities(store)),
        "events.csv": len(list_events(store)),
    }
    assert counts == expected
    assert all(n > 0 for n in counts.values())
    for file, n in expected.items():
        assert len(_read(directory / file)) == n


def test_exports_csv_no_bom_by_default(exported: tuple[Path, dict[str, int]]) -> None:
    directory, _ = exported
    for file in CSV_COLUMNS:
        assert (directory / file).read_bytes().startswith(b"id,")


def test_exports_csv_documents_round_trip(store: Store, exported: tuple[Path, dict[str, int]]) -> None:
    rows = {r["id"]: r for r in _read(exported[0] / "documents.csv")}
    docs = [r for r in records(store) if r["kind"] == "document"]
    assert set(rows) == {d["id"] for d in docs}
    for doc in docs:
        row = rows[doc["id"]]
        # Cyrillic titles and multi-line texts survive the quoting
        assert row["title"] == doc["title"]
        assert row["text"] == doc["text"] and "\n" in row["text"]
        assert row["published"] == (doc["published"] or "")
        assert row["storyline"] == (doc["storyline"] or "")
        ids = row["entities"].split("; ")
        assert set(ids) == {m["entity"] for m in doc["mentions"] if m["entity"]}
        assert len(ids) == len(set(ids))
    assert any(r["title"].startswith("КНДР предоставила России артиллерию") for r in rows.values())
    kim = _id(store, "Кім Чен Ин")
    assert any(kim in r["entities"].split("; ") for r in rows.values())


def test_exports_csv_entity_rows(store: Store, exported: tuple[Path, dict[str, int]]) -> None:
    rows = {r["id"]: r for r in _read(exported[0] / "entities.csv")}
    kim = rows[_id(store, "Кім Чен Ин")]
    assert kim["name"] == "Kim Jong Un" and kim["type"] == "PER"
    assert "Кім Чен Ин" in kim["aliases"].split("; ")
    north_korea = rows[_id(store, "КНДР")]
    names = north_korea["names"].split("; ")
    assert "en:North Korea" in names and any(n.startswith("uk:") for n in names)
    assert int(north_korea["documents"]) == 5
    assert int(north_korea["mentions"]) >= int(north_korea["documents"])


def test_exports_csv_cbs_arms_transfer_in_two_languages(
    store: Store, exported: tuple[Path, dict[str, int]]
) -> None:
    north_korea, russia = _id(store, "КНДР"), _id(store, "Росія")
    rows = _read(exported[0] / "events.csv")
    both = [
        r for r in rows if r["type"] == "ARMS_TRANSFER" and set(r["languages"].split("; ")) == {"ru", "uk"}
    ]
    assert len(both) == 1
    (event,) = both
    assert event["plover"] == "AID"
    assert north_korea in event["actors"].split("; ") and "North Korea" in event["actor_names"].split("; ")
    assert russia in event["targets"].split("; ") and "Russia" in event["target_names"].split("; ")
    assert int(event["sources"]) >= 2
    # the first source is the earliest published one (003, "2023-10")
    assert event["first_published"] == "2023-10"
    assert event["first_source_document"] in {r["id"] for r in _read(exported[0] / "documents.csv")}
    undated = [r for r in rows if not r["date_start"]]
    assert undated and all(r["date_end"] == "" and r["granularity"] == "" for r in undated)


def test_exports_csv_bom_variant(store: Store, tmp_path: Path) -> None:
    counts = export_csv(store, tmp_path, bom=True)
    for file, n in counts.items():
        raw = (tmp_path / file).read_bytes()
        assert raw.startswith(BOM + b"id,") and not raw.startswith(BOM + BOM)
        rows = _read(tmp_path / file, encoding="utf-8-sig")
        assert len(rows) == n and "id" in rows[0]
    titles = {r["title"] for r in _read(tmp_path / "documents.csv", encoding="utf-8-sig")}
    assert any("Кім Чен Ин" in t for t in titles)
