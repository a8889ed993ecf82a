"""Shared fixtures: the seeds shipped in examples/seeds (the user's own example pages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
