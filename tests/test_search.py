"""Search over lemmas and across languages, on the five seeds (the shared seeded CLI database)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from litopys import search as search_module
from litopys.cli import app
from litopys.pipeline import ingest
from litopys.search import refresh, search
from litopys.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def seeds_found(db: str, query: str, seed_of: dict[str, str], **options: Any) -> list[str]:
    with Store(Path(db)) as store:
        return sorted(seed_of[hit.id] for hit in search(store, query, **options))


@pytest.mark.parametrize(
    ("query", "options", "seeds"),
    [
        # lemmas: "північна корея" (no capital: a plain lemma query) finds "Північної Кореї" (001, 002),
        # "Північна Корея" (004), "Північною Кореєю" (000); not the ru page
        ("північна корея", {}, ["000", "001", "002", "004"]),
        # ru lemmas: "северная корея" finds "Северной Кореи", "Северная Корея" (003)
        ("северная корея", {}, ["003"]),
        # a name in Russian finds the Ukrainian reports on Kim through the canonical entity
        ("Ким Чен Ын", {"lang": "uk"}, ["000", "001", "002"]),
        ("Kim Jong Un", {}, ["000", "001", "002", "003"]),
        # every word must match: Belousov and Pyongyang together only in 001
        ("Білоусов Пхеньян", {}, ["001"]),
        # filters
        ("Північна Корея", {"lang": "ru"}, ["003"]),
        # visits: Belousov's (001) and Kim's to arms factories (002, "Кім Чен Ин відвідав збройні заводи")
        ("Північна Корея", {"event_type": "VISIT"}, ["001", "002"]),
        # the CBS report: 003 names CBS News in metadata.csv, 000 on its "Джерело: CBS News" line
        ("Північна Корея", {"outlet": "CBS"}, ["000", "003"]),
        ("Північна Корея", {"date_from": "2024-11-01"}, ["001"]),
        ("Північна Корея", {"date_to": "2023-12"}, ["000", "002", "003"]),
        ("Північна Корея", {"entity": "Рютте"}, ["004"]),
        ("зовсімнеслово", {}, []),
    ],
)
def test_search_finds_the_seed_documents(
    seeded_cli: tuple[str, str],
    seed_of: dict[str, str],
    query: str,
    options: dict[str, Any],
    seeds: list[str],
) -> None:
    assert seeds_found(seeded_cli[0], query, seed_of, **options) == seeds


def test_search_snippet_marks_the_inflected_forms(
    seeded_cli: tuple[str, str], seed_of: dict[str, str]
) -> None:
    with Store(Path(seeded_cli[0])) as store:
        hits = search(store, "північна корея")
    assert hits
    for hit in hits:
        marked = [hit.snippet[s:e] for s, e in hit.highlights]
        assert marked, hit.snippet
        # every mark is a form of one of the two words, as written in the document
        assert all(m.lower().startswith(("північн", "коре")) for m in marked), marked
    with Store(Path(seeded_cli[0])) as store:
        text = store.get(hits[0].id)["text"]  # type: ignore[index]
    assert text[hits[0].snippet_start : hits[0].snippet_start + len(hits[0].snippet)] == hits[0].snippet


def test_search_cross_lingual_hit_marks_the_entity_mentions(seeded_cli: tuple[str, str]) -> None:
    with Store(Path(seeded_cli[0])) as store:
        hits = search(store, "Ким Чен Ын", lang="uk")
    assert hits and all(hit.entities for hit in hits)
    assert any(hit.snippet[s:e].startswith("Кім") for hit in hits for s, e in hit.highlights)


def test_search_ranks_title_and_frequent_hits_first(
    seeded_cli: tuple[str, str], seed_of: dict[str, str]
) -> None:
    # "артилерія" is in 000's headline ("КНДР почала постачати Росії артилерію…") and once in 002's body
    assert seeds_found(seeded_cli[0], "артилерія", seed_of) == ["000", "002"]
    with Store(Path(seeded_cli[0])) as store:
        first = search(store, "артилерія")[0]
    assert seed_of[first.id] == "000"


def test_search_cli_json(seeded_cli: tuple[str, str], seed_of: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app, ["--db", seeded_cli[0], "search", "Ким Чен Ын", "--lang", "uk", "--json"]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert sorted(seed_of[r["id"]] for r in records) == ["000", "001", "002"]
    assert set(records[0]) >= {
        "id",
        "title",
        "lang",
        "published",
        "score",
        "snippet",
        "highlights",
        "entities",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "pl"], "--lang"),
        (["--type", "PARTY"], "--type"),
        (["--from", "2024-13-01"], "--from"),
        (["--entity", "Нікого Такого"], "no entity named"),
    ],
)
def test_search_cli_rejects_bad_options(seeded_cli: tuple[str, str], args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["--db", seeded_cli[0], "search", "Корея", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_search_index_follows_new_versions_and_is_rebuilt_for_old_stores(tmp_path: Path) -> None:
    (page,) = SEEDS.glob("001_*.txt")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(page, folder / "page.txt")
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest([folder], store=store, stories=False)
        assert [h.title[:10] for h in search(store, "Білоусов")] == ["До Корейсь"]
        # a new version of the page without Belousov: the old version leaves the index
        (folder / "page.txt").write_text(
            "Новини\nМіністр оборони Нідерландів прибув до Києва.\n", encoding="utf-8"
        )
        ingest([folder], store=store, stories=False)
        assert search(store, "Білоусов") == []
        assert len(search(store, "міністр")) == 1
        # a store written before the index existed: refresh indexes its documents
        store.db.execute("DELETE FROM search")
        assert search(store, "міністр") == []
        assert refresh(store) == 1
        assert len(search(store, "міністр")) == 1


def test_search_names_table_is_rebuilt_by_ingest(seeded_cli: tuple[str, str]) -> None:
    with Store(Path(seeded_cli[0])) as store:
        # the ru form as written, the uk base form and the English name all lead to one entity
        ids = {
            search_module.resolve_entity(store, name) for name in ("Ким Чен Ын", "Кім Чен Ин", "Kim Jong Un")
        }
    assert len(ids) == 1 and len(next(iter(ids))) == 1
