"""The README documents every command, option, error code and export field (datasette-style:
an undocumented setting fails the build)."""

from __future__ import annotations

import pytest
import typer.main

from litopys.cli import app
from litopys.errors import CODES
from litopys.exports import EXPORT_FIELDS

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMAND = typer.main.get_command(app)
COMMANDS = COMMAND.commands  # type: ignore[attr-defined]


def test_docs_readme_starts_with_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:15])
    assert "make demo" in first_screen and "make test" in first_screen


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_docs_every_command_is_documented(name: str) -> None:
    assert f"litopys [--db PATH] {name}" in README


@pytest.mark.parametrize(
    "option",
    sorted(
        {opt for p in COMMAND.params for opt in p.opts if opt.startswith("--")}
        | {
            opt
            for cmd in COMMANDS.values()
            for p in cmd.params
            for opt in p.opts
            if opt.startswith("--") and opt != "--help"
        }
    ),
)
def test_docs_every_option_is_documented(option: str) -> None:
    assert f"`{option}" in README or f" {option} " in README or f"[{option}" in README


@pytest.mark.parametrize("code", sorted(CODES))
def test_docs_every_error_code_is_documented(code: str) -> None:
    assert f"`{code}`" in README


@pytest.mark.parametrize(("kind", "field"), [(k, f) for k, fields in EXPORT_FIELDS.items() for f in fields])
def test_docs_every_export_field_is_documented(kind: str, field: str) -> None:
    assert f'"kind": "{kind}"' in README
    assert f"`{field}`" in README or f'"{field}"' in README
