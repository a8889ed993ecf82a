"""The SQLite store: schema version, atomic writes, versions, rejected inputs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from litopys.records import Article, Rejected, content_id
from litopys.stages.clean import clean
from litopys.store import IngestOutcome, Store
from litopys.store.schema import SCHEMA_VERSION


def article(text: str, path: str = "examples/seeds/004.txt") -> Article:
    return clean(Article(id=content_id(text.encode()), path=path, fmt="txt", text=text))


def test_store_creates_schema_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_refuses_a_newer_schema(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "new.db")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer than this litopys"):
        Store(tmp_path / "new.db")


def test_store_add_is_idempotent_by_content(tmp_path: Path, seeds: dict[str, str]) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.add(article(seeds["004"])) is IngestOutcome.INGESTED
        assert store.add(article(seeds["004"])) is IngestOutcome.UNCHANGED
        assert store.stats()["documents"] == 1


def test_store_changed_file_is_a_new_version(tmp_path: Path, seeds: dict[str, str]) -> None:
    with Store(tmp_path / "a.db") as store:
        first = article(seeds["004"])
        second = article(seeds["004"].replace("Рютте", "Рютте (НАТО)", 1))
        store.add(first)
        assert store.add(second) is IngestOutcome.NEW_VERSION
        current = list(store.documents())
        assert [d["id"] for d in current] == [second.id]
        assert current[0]["version"] == 2 and current[0]["supersedes"] == first.id
        assert len(list(store.documents(all_versions=True))) == 2


def test_store_round_trips_offsets_and_removed(tmp_path: Path, seeds: dict[str, str]) -> None:
    a = article(seeds["002"])
    with Store(tmp_path / "a.db") as store:
        store.add(a)
        doc = store.get(a.id[:6])
    assert doc is not None
    assert doc["text"] == a.text
    assert [(p["start"], p["end"]) for p in doc["paragraphs"]] == [(p.start, p.end) for p in a.paragraphs]
    assert {"text": "кредит…Sputnik, через Reuters", "rule": "photo-credit"} in doc["removed"]


def test_store_rejection_is_cleared_when_the_path_ingests(tmp_path: Path, seeds: dict[str, str]) -> None:
    with Store(tmp_path / "a.db") as store:
        store.reject(Rejected(path="examples/seeds/004.txt", reason="E101 empty input"))
        assert store.stats()["rejected"] == 1
        store.add(article(seeds["004"]))
        assert store.stats()["rejected"] == 0


def test_store_get_needs_a_unique_prefix(tmp_path: Path, seeds: dict[str, str]) -> None:
    with Store(tmp_path / "a.db") as store:
        store.add(article(seeds["003"], path="a.txt"))
        store.add(article(seeds["004"], path="b.txt"))
        assert store.get("") is None
        assert store.get("abc") is None  # too short to be a prefix
