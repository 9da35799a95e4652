"""Docs are checked artefacts: every command has help and appears in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from congvan.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix}{name} "))
    return found


@pytest.mark.parametrize("name, command", _commands(cli), ids=lambda x: str(x))
def test_command_has_help_and_is_in_readme(name: str, command: click.Command) -> None:
    assert command.help, f"`congvan {name}` has no help text"
    if not isinstance(command, click.Group):
        assert f"`congvan {name}" in README, f"`congvan {name}` is missing from README.md"
