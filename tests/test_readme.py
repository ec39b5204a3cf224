"""The README tells the truth: its set-up commands are what CI runs; its table is the CLI."""

from __future__ import annotations

import re

from click.testing import CliRunner

from graph.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def fenced_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)]


def test_readme_starts_with_the_build_command_then_the_test_command():
    build_cmd, test_cmd = fenced_blocks(README)[:2]
    assert "build_graph.py build" in build_cmd
    assert build_cmd.startswith("python3 -m venv .venv")
    assert "pytest" in test_cmd


def test_ci_runs_exactly_the_readme_test_command():
    test_cmd = fenced_blocks(README)[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci.splitlines()]
    assert test_cmd in ci_lines


def test_every_cli_command_is_in_the_readme_table_and_back():
    table = re.findall(r"^\| `([a-z-]+)[ `]", README, flags=re.M)
    assert set(table) == set(main.commands), "README command table and CLI differ"


def test_every_command_has_help():
    runner = CliRunner()
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output
