"""Entities end to end on the seeds: every name that matters is found and is ONE entity across the
Ukrainian and Russian documents; merge/split decisions survive re-linking."""

from __future__ import annotations

from pathlib import Path

import pytest

from litopys.exports import records
from litopys.pipeline import ingest
from litopys.stages.entities import relink
from litopys.store import Store
from litopys.store import entities as store_entities

from conftest import SEEDS


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("entities") / "seeds.db"
    with Store(path) as store:
        report = ingest([str(SEEDS)], store=store)
    assert report.ingested == 5 and report.entities
    return path


# (names that must all find the same single entity, its type)
SAME_ENTITY = [
    (["Кім Чен Ин", "Ким Чен Ын", "Kim Jong Un"], "PER"),
    (["Путін", "Путин", "Vladimir Putin"], "PER"),
    (["Андрій Білоусов", "Andrei Belousov"], "PER"),
    (["Марк Рютте", "Mark Rutte"], "PER"),
    (["Рустем Умєров", "Rustem Umerov"], "PER"),
    (["Пєсков", "Dmitry Peskov"], "PER"),
    (["КНДР", "Північна Корея", "Северная Корея", "North Korea"], "LOC"),
    (["Росія", "Россия", "РФ", "Russia"], "LOC"),
    (["Україна", "Украина", "Ukraine"], "LOC"),
    (["Південна Корея", "Южная Корея", "South Korea"], "LOC"),
    (["Пхеньян", "Pyongyang"], "LOC"),
    (["Курська область", "Kursk Oblast"], "LOC"),
    (["НАТО", "NATO"], "ORG"),
    (["CBS News"], "ORG"),
    (["Міноборони РФ"], "ORG"),
]


@pytest.mark.parametrize(("names", "type_"), SAME_ENTITY, ids=[n[0] for n, _ in SAME_ENTITY])
def test_entities_seed_names_are_one_entity(seed_store: Path, names: list[str], type_: str) -> None:
    with Store(seed_store) as store:
        found = {name: store_entities.find_entity(store, name) for name in names}
    ids = {e["id"] for hits in found.values() for e in hits if e["type"] == type_}
    assert all(found.values()), {n: bool(h) for n, h in found.items()}
    assert len(ids) == 1, found


def test_entities_kim_is_linked_across_languages(seed_store: Path) -> None:
    with Store(seed_store) as store:
        (kim,) = [e for e in store_entities.find_entity(store, "Kim Jong Un") if e["type"] == "PER"]
        docs = store_entities.entity_documents(store, kim["id"])
    assert {d["lang"] for d in docs} == {"uk", "ru"}
    assert len(docs) == 4  # 000, 001, 002 (uk) and 003 (ru)


def test_entities_export_mentions_point_into_the_text(seed_store: Path) -> None:
    with Store(seed_store) as store:
        out = list(records(store))
    docs = [r for r in out if r["kind"] == "document"]
    entity_ids = {r["id"] for r in out if r["kind"] == "entity"}
    assert entity_ids
    for doc in docs:
        assert doc["mentions"]
        for m in doc["mentions"]:
            assert doc["text"][m["start"] : m["end"]] == m["text"]
            assert m["entity"] in entity_ids
    lemmas = {m["lemma"] for d in docs for m in d["mentions"]}
    assert {"Кім Чен Ин", "Курська область", "Північна Корея"} <= lemmas


def test_entities_merge_and_split_survive_relinking(tmp_path: Path, seed_store: Path) -> None:
    db = tmp_path / "d.db"
    db.write_bytes(seed_store.read_bytes())
    with Store(db) as store:
        before = len(store_entities.list_entities(store))
        store_entities.add_decision(store, "merge", "НАТО", "CBS News")
        relink(store)
        assert (
            store_entities.find_entity(store, "НАТО")[0]["id"]
            == store_entities.find_entity(store, "CBS News")[0]["id"]
        )
        store_entities.add_decision(store, "split", "НАТО", "CBS News")
        relink(store)
        relink(store)  # decisions are applied on every linking
        assert (
            store_entities.find_entity(store, "НАТО")[0]["id"]
            != store_entities.find_entity(store, "CBS News")[0]["id"]
        )
        assert len(store_entities.list_entities(store)) == before
