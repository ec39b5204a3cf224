"""The command line starts without the stages: ``--help`` and ``query --list`` import no RDF
library, graph library or plotting library, as a user runs them (a fresh process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.cli import main

from .conftest import ROOT

#: Modules that take a tenth of a second or more to import, which no help text needs.
HEAVY = {"rdflib", "pyoxigraph", "networkx", "pyvis", "pyshacl", "numpy", "scipy", "matplotlib"}

#: Every subcommand the tool has (a new one is checked without being listed here).
COMMANDS = sorted(main.commands)


def imported(*args: str) -> set[str]:
    """The top-level modules that ``build_graph.py ARGS`` imports, from ``-X importtime``."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", str(ROOT / "build_graph.py"), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert run.stdout.strip(), "no output"
    names = set()
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "click" in names, "importtime gave no list of imports"
    return names


@pytest.mark.parametrize(
    "args",
    [["--help"], ["query", "--list"], *([c, "--help"] for c in COMMANDS)],
    ids=lambda a: " ".join(a),
)
def test_help_imports_no_stage(args: list[str]):
    assert imported(*args) & HEAVY == set()


def test_a_command_that_runs_imports_what_it_needs():
    # The check above would pass if importtime listed nothing heavy for any command.
    assert {"pyoxigraph", "rdflib"} <= imported("query", "votes")


def test_the_commands_are_the_ones_checked():
    from graph.cli import main

    assert set(main.commands) == set(COMMANDS)
