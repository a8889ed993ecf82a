"""Shared fixtures: the seeds shipped in examples/seeds (the user's own example pages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


#: export fields that legitimately differ between two runs (wall-clock times)
VOLATILE = {"ingested_at", "rejected_at", "made_at"}


def exported(db: str | Path) -> list[dict[str, Any]]:
    """The JSONL export of a store (a SQLite file or a PostgreSQL URL) without :data:`VOLATILE` fields."""
    import io
    import json

    from litopys.exports import export_jsonl
    from litopys.store import Store

    out = io.StringIO()
    with Store(db) as store:
        export_jsonl(store, out)
    return [
        {k: v for k, v in json.loads(line).items() if k not in VOLATILE}
        for line in out.getvalue().splitlines()
    ]


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """Seed texts by their three-digit prefix ("000" … "004")."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seeded_cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The seeds ingested once through the CLI, shared by read-only CLI tests: (db path, ingest output)."""
    from typer.testing import CliRunner

    from litopys.cli import app

    path = str(tmp_path_factory.mktemp("seeded") / "seeds.db")
    result = CliRunner().invoke(app, ["--db", path, "ingest", "--quiet", str(SEEDS)])
    assert result.exit_code == 0, result.output
    return path, result.output


@pytest.fixture(scope="session")
def export(seeded_cli: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The export records of the seeded CLI database."""
    import json

    from typer.testing import CliRunner

    from litopys.cli import app

    out = tmp_path_factory.mktemp("export") / "out.jsonl"
    result = CliRunner().invoke(app, ["--db", seeded_cli[0], "export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def seed_of(export: list[dict[str, Any]]) -> dict[str, str]:
    """Document id -> seed prefix ("000" … "004") in the seeded CLI database."""
    return {r["id"]: Path(r["path"]).name[:3] for r in export if r["kind"] == "document"}


#: the title line of a hostile page (tests/test_web.py, tests/test_browser.py): markup that must show as text
HOSTILE_TITLE = "<script>alert(1)</script> <img src=x onerror=alert(2)> Північна Корея"


@pytest.fixture(scope="session")
def seeded_hostile(seeded_cli: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A copy of the seeded database with a hostile page ingested: (db path, the page's document id)."""
    import sqlite3

    from litopys.pipeline import ingest
    from litopys.store import Store

    folder = tmp_path_factory.mktemp("hostile")
    path = str(folder / "hostile.db")
    with sqlite3.connect(seeded_cli[0]) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    page = folder / "hostile.txt"
    page.write_text(
        f"{HOSTILE_TITLE}\n"
        "Північна Корея передала Росії артилерію для війни проти України, повідомив представник США.\n"
        "Кім Чен Ин зустрівся з Володимиром Путіним у Росії, де лідери обговорили постачання боєприпасів.\n"
        '<b onmouseover="alert(3)">Україна</b> закликала союзників посилити санкції проти Пхеньяна.\n',
        encoding="utf-8",
    )
    with Store(path) as store:
        ingest([page], store=store)
        row = store.db.execute("SELECT id FROM documents WHERE path = ?", (str(page),)).fetchone()
    assert row is not None, "the hostile page was not ingested"
    return path, row[0]
