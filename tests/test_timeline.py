"""Canonical events of the seeds (the shared seeded CLI database, read only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from litopys.pipeline import ingest
from litopys.store import Store
from litopys.store.entities import find_entity
from litopys.store.events import list_events

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def _events(db: str) -> list[dict[str, object]]:
    with Store(Path(db)) as store:
        return list_events(store)


def _ids(db: str, *names: str) -> list[str]:
    with Store(Path(db)) as store:
        return [find_entity(store, name)[0]["id"] for name in names]


# The happenings issue 5 names, with the dates the seeds give once examples/seeds/metadata.csv dates
# the pages: (type, actors, date start, granularity, words of the cited sentence).
SEED_HAPPENINGS = [
    # 002 (published 2023-09-13, a Wednesday): "Кім Чен Ин і Володимир Путін зустрілися в середу"
    ("SUMMIT", ("Кім Чен Ин", "Путін"), "2023-09-13", "day", "зустрілися в середу"),
    # 002: "Раніше в середу Південна Корея повідомила, що Північна Корея випустила дві балістичні ракети"
    ("MISSILE_LAUNCH", ("Північна Корея",), "2023-09-13", "day", "дві балістичні ракети"),
    # 001 (published 2024-11-29): "у червні ... Путін ... підписав із ... Кім Чен Ином договір"
    ("TREATY_SIGNING", ("Путін",), "2024-06-01", "month", "підписав із північнокорейським лідером"),
    # 001: "сьогодні, 29 листопада, прибув із візитом міністр оборони РФ Андрій Білоусов"
    ("VISIT", ("Білоусов",), "2024-11-29", "day", "прибув із візитом"),
    # 004 (published 2024-10-28): "Сьогодні я можу підтвердити, що північнокорейські війська ..."
    ("TROOP_DEPLOYMENT", ("Північна Корея",), "2024-10-28", "day", "північнокорейські війська"),
]


@pytest.mark.parametrize(("kind", "actors", "start", "granularity", "words"), SEED_HAPPENINGS)
def test_timeline_seed_happenings_have_their_dates_participants_and_sentence(
    seeded_cli: tuple[str, str], kind: str, actors: tuple[str, ...], start: str, granularity: str, words: str
) -> None:
    wanted = _ids(seeded_cli[0], *actors)
    found = [
        e
        for e in _events(seeded_cli[0])
        if e["type"] == kind
        and set(wanted) <= set(e["actors"])  # type: ignore[arg-type]
        and any(words in s["sentence"] for s in e["sources"])  # type: ignore[attr-defined]
    ]
    assert len(found) == 1, [e["summary"] for e in found]
    assert found[0]["date"] == {"start": start, "end": found[0]["date"]["end"], "granularity": granularity}  # type: ignore[index]


def test_timeline_treaty_has_both_parties_and_its_place(seeded_cli: tuple[str, str]) -> None:
    putin, kim, pyongyang = _ids(seeded_cli[0], "Путін", "Кім Чен Ин", "Пхеньян")
    (treaty,) = [e for e in _events(seeded_cli[0]) if e["type"] == "TREATY_SIGNING"]
    assert treaty["actors"] == [putin] and treaty["targets"] == [kim] and treaty["location"] == pyongyang


def test_timeline_rutte_confirmation_is_one_confirmed_deployment_in_kursk(
    seeded_cli: tuple[str, str],
) -> None:
    north_korea, kursk = _ids(seeded_cli[0], "Північна Корея", "Курська область")
    confirmed = [
        e for e in _events(seeded_cli[0]) if e["type"] == "TROOP_DEPLOYMENT" and e["status"] == "confirmed"
    ]
    assert len(confirmed) == 1
    (event,) = confirmed
    assert north_korea in event["actors"] and event["location"] == kursk  # type: ignore[operator]
    chains = [s["attributed_to"] for s in event["sources"]]  # type: ignore[attr-defined]
    assert ["Рютте"] in chains and ["Марк Рютте"] in chains
    # "…відчаю Путіна", - переконаний він: the pronoun is Rutte, the last person named as a speaker
    assert all(chain != ["Путін"] for chain in chains)


def test_timeline_day_without_year_or_publication_date_is_kept_as_written(tmp_path: Path) -> None:
    # seed 001 alone, without the folder's metadata.csv: neither the page nor anything else gives the
    # year of "сьогодні, 29 листопада", so the day is kept as written, not guessed.
    (page,) = SEEDS.glob("001_*.txt")
    (tmp_path / page.name).write_bytes(page.read_bytes())
    db = tmp_path / "one.db"
    with Store(db) as store:
        ingest([tmp_path], store=store)
    (belousov,) = _ids(str(db), "Білоусов")
    visits = [e for e in _events(str(db)) if e["type"] == "VISIT" and belousov in e["actors"]]  # type: ignore[operator]
    assert len(visits) == 1
    assert visits[0]["date"]["start"] is None  # type: ignore[index]
    assert "29 листопада (year unknown)" in visits[0]["summary"]  # type: ignore[operator]
    (source,) = visits[0]["sources"]  # type: ignore[misc]
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


@pytest.mark.parametrize(
    ("words", "chain"),
    [
        ("Раніше в середу Південна Корея повідомила", ["Південна Корея"]),  # 002: a date is not the speaker
        ("Представники США неодноразово попереджали", ["Представники США"]),  # 002: the title noun is kept
        ("З огляду на це він констатував", ["Рютте"]),  # 004: the pronoun is the last speaker
        ("Генсек уточнив", ["Генсек"]),  # 004
        ("Як розповіли в Міноборони РФ", ["Міноборони РФ"]),  # 001: not "в Міноборони РФ"
        ("Представник США повідомив", ["CBS News", "Представник США"]),  # 000: the outlet, then its source
        ("Северная Корея начала перебрасывать", ["CBS News", "неназванного американского чиновника"]),  # 003
        ("розгорнуті в Курській області РФ – Рютте", ["Рютте"]),  # 004: a headline's source after a dash
    ],
)
def test_timeline_seed_sources_are_attributed(
    seeded_cli: tuple[str, str], words: str, chain: list[str]
) -> None:
    chains = [
        s["attributed_to"]
        for e in _events(seeded_cli[0])
        for s in e["sources"]  # type: ignore[attr-defined]
        if words in s["sentence"]
    ]
    assert chains and all(found == chain for found in chains), chains


def test_timeline_rebuild_with_blocks_on_disk_gives_the_same_events(
    seeded_cli: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one block of mentions in memory: every other block being compared goes to the temporary
    # file and back as the seeds' mentions stream in; the canonical events must not change
    import shutil

    from litopys.stages import timeline

    db = tmp_path / "copy.db"
    shutil.copy(seeded_cli[0], db)
    with Store(db) as store:
        before = list_events(store)
        monkeypatch.setattr(timeline, "BLOCKS_KEPT", 1)
        assert timeline.rebuild(store) == len(before) > 10
        assert list_events(store) == before
