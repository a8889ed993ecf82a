"""Canonical events of the seeds (the shared seeded CLI database, read only)."""

from __future__ import annotations

from pathlib import Path

from litopys.store import Store
from litopys.store.entities import find_entity
from litopys.store.events import list_events


def test_timeline_belousov_visit_keeps_its_partial_date(seeded_cli: tuple[str, str]) -> None:
    # seed 001: "До КНДР сьогодні, 29 листопада, прибув із візитом міністр оборони РФ Андрій Білоусов."
    # The page gives neither a year nor a publication date: the day is kept as written.
    with Store(Path(seeded_cli[0])) as store:
        (belousov,) = find_entity(store, "Білоусов")
        visits = [e for e in list_events(store, entity=belousov["id"]) if e["type"] == "VISIT"]
    assert visits and belousov["id"] in visits[0]["actors"]
    assert visits[0]["date"]["start"] is None
    assert "29 листопада (year unknown)" in visits[0]["summary"]
    (source,) = visits[0]["sources"]
    assert "прибув із візитом" in source["sentence"]


def test_timeline_cbs_report_is_one_event_in_two_languages(seeded_cli: tuple[str, str]) -> None:
    with Store(Path(seeded_cli[0])) as store:
        transfers = [e for e in list_events(store) if e["type"] == "ARMS_TRANSFER"]
    both = [e for e in transfers if {"uk", "ru"} <= set(e["languages"])]
    assert len(both) == 1
    # each language has a sentence attributed to CBS News (the ru one also names whom CBS cites)
    for lang in ("uk", "ru"):
        chains = [s["attributed_to"] for s in both[0]["sources"] if s["lang"] == lang]
        assert any(chain[:1] == ["CBS News"] for chain in chains)
    assert ["CBS News", "неназванного американского чиновника"] in [
        s["attributed_to"] for s in both[0]["sources"]
    ]
