"""Duplicates, event clusters and storylines on the seeds, built online batch after batch."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import SEEDS, seed_path

from litopys.pipeline import FOUNDATION_STAGES, ingest
from litopys.stages.stories import update
from litopys.store import Store
from litopys.store.stories import duplicate_pairs, duplicates_of, list_stories, membership


def by_prefix(store: Store) -> dict[str, str]:
    """Seed prefix ("000") or file stem → document id."""
    return {Path(d["path"]).name[:3]: d["id"] for d in store.documents()}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("stories") / "seeds.db")
    report = ingest([SEEDS], store=store)
    assert report.stories is not None and report.stories.placed == 5
    return store


def test_stories_seed_translation_pair_is_one_event(seeded: Store) -> None:
    ids = by_prefix(seeded)
    event_000, storyline = membership(seeded, ids["000"])
    assert membership(seeded, ids["003"]) == (event_000, storyline)
    kinds = {(d.id, d.kind) for d in duplicates_of(seeded, ids["000"])}
    assert kinds == {(ids["003"], "translation")}


def test_stories_other_reports_are_other_events_of_one_storyline(seeded: Store) -> None:
    ids = by_prefix(seeded)
    events = {name: membership(seeded, doc)[0] for name, doc in ids.items()}
    storylines = {membership(seeded, doc)[1] for doc in ids.values()}
    assert len(storylines) == 1
    # 001 (Belousov in Pyongyang), 002 (the Vostochny summit), 004 (troops in Kursk): each alone
    assert len({events["000"], events["001"], events["002"], events["004"]}) == 4
    assert [d for d in duplicate_pairs(seeded) if d["kind"] != "translation"] == []


def test_stories_records(seeded: Store) -> None:
    stories = list_stories(seeded)
    storylines = [s for s in stories if s.level == "storyline"]
    events = [s for s in stories if s.level == "event"]
    assert len(storylines) == 1 and len(events) == 4
    assert set(storylines[0].languages) == {"uk", "ru"}
    assert len(storylines[0].documents) == 5
    # the storyline is named by its most frequent entities: North Korea and Russia at least
    assert "North Korea" in storylines[0].title and "Russia" in storylines[0].title
    pair = next(s for s in events if len(s.documents) == 2)
    assert set(pair.languages) == {"uk", "ru"} and pair.storyline == storylines[0].id


def test_stories_new_batch_joins_existing_clusters_without_moving_them(seeded: Store, tmp_path: Path) -> None:
    before = {doc: membership(seeded, doc) for doc in by_prefix(seeded).values()}
    # a syndicated copy of seed 004 on another site: breadcrumb, share buttons, comments
    original = (SEEDS / next(p.name for p in SEEDS.iterdir() if p.name.startswith("004"))).read_text("utf-8")
    page = (
        "Головна / Новини / Світ\n"
        + original.replace("\n\n", "\n", 1)
        + "\nПоділитися:\nFacebook\nTelegram\n"
    )
    copy = tmp_path / "copy_004.txt"
    copy.write_text(page, encoding="utf-8")
    report = ingest([copy], store=seeded)
    assert report.stories is not None and report.stories.placed == 1 and report.stories.events == 0
    doc = next(d["id"] for d in seeded.documents() if d["path"] == str(copy))
    ids = by_prefix(seeded)
    assert membership(seeded, doc) == membership(seeded, ids["004"])
    assert [(d.id, d.kind) for d in duplicates_of(seeded, doc)] == [(ids["004"], "exact")]
    assert {d: membership(seeded, d) for d in before} == before


def test_stories_near_duplicate_with_edits(seeded: Store, tmp_path: Path) -> None:
    ids = by_prefix(seeded)
    text = seeded.get(ids["002"])["text"]  # type: ignore[index]
    lines = text.split("\n")
    edited = "\n".join(
        ["Кім і Путін провели саміт на космодромі Восточний", *lines[1:-2], "Стежте за оновленнями."]
    )
    path = tmp_path / "edited_002.txt"
    path.write_text(edited, encoding="utf-8")
    ingest([path], store=seeded)
    doc = next(d["id"] for d in seeded.documents() if d["path"] == str(path))
    links = duplicates_of(seeded, doc)
    assert [(d.id, d.kind) for d in links] == [(ids["002"], "near")]
    assert 0.5 <= links[0].score < 1.0
    assert membership(seeded, doc)[0] == membership(seeded, ids["002"])[0]


def test_stories_fingerprints_missing_documents(tmp_path: Path) -> None:
    # documents ingested without the fingerprint stage get one in the reduce step
    with Store(tmp_path / "x.db") as store:
        ingest([SEEDS], store=store, stages=FOUNDATION_STAGES, link=False, stories=False)
        report = update(store)
        assert report.fingerprinted == 5 and report.placed == 5
        ids = by_prefix(store)
        assert membership(store, ids["000"])[0] == membership(store, ids["003"])[0]
        assert update(store).placed == 0  # nothing left to place


def test_stories_mixed_page_tail_stays_out_of_the_cluster(seeded: Store) -> None:
    # seed 000 carries a December 2025 digest under its October 2023 headline (lines 9-13): the
    # cleaner drops it as an off-topic tail, kept in `removed`, so it never reaches the fingerprint
    doc = seeded.get(by_prefix(seeded)["000"])
    assert doc is not None
    assert "Тернополі" not in doc["text"] and "Шмигаль" not in doc["text"]
    offtopic = [r["text"] for r in doc["removed"] if r["rule"] == "tail:offtopic"]
    assert any("Тернополі" in t for t in offtopic) and any("Шмигаль" in t for t in offtopic)
    ids = by_prefix(seeded)
    event, _ = membership(seeded, ids["000"])
    seeds = {name: doc for name, doc in ids.items() if name in ("000", "001", "002", "003", "004")}
    assert {name for name, doc in seeds.items() if membership(seeded, doc)[0] == event} == {"000", "003"}


def placement(store: Store) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    """Each document's (event cluster, storyline) by file name, and the duplicate links by file name."""
    name = {d["id"]: Path(d["path"]).name for d in store.documents()}
    members = {name[doc]: membership(store, doc) for doc in name}
    links = sorted((name[d["a"]], name[d["b"]], d["kind"]) for d in duplicate_pairs(store))
    return members, links


def test_stories_bounded_state_places_as_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the seeds, a syndicated copy and an edited copy, in two batches; then again with one profile in
    # memory and vector index shards of 2 vectors: every profile goes through the temporary file,
    # every search through several memory-mapped shards, and nothing is placed otherwise
    from litopys.stages import story_state

    later = tmp_path / "later"
    later.mkdir()
    for seed in ("002", "004"):
        lines = seed_path(seed).read_text("utf-8").split("\n")
        (later / f"copy_{seed}.txt").write_text("\n".join(["Головна / Новини", *lines[:-2]]), "utf-8")
    results = []
    for kept, shard in ((None, None), (1, 2)):
        if kept:
            monkeypatch.setattr(story_state, "PROFILES_KEPT", kept)
            monkeypatch.setattr(story_state, "SHARD_SIZE", shard)
        with Store(tmp_path / f"store-{kept}.db") as store:
            ingest([SEEDS], store=store)
            ingest([later], store=store)
            results.append(placement(store))
    assert results[0] == results[1]
    members, links = results[0]
    assert members["copy_004.txt"] == members[seed_path("004").name]
    assert {(a, b) for a, b, _ in links} >= {("copy_002.txt", seed_path("002").name)}
