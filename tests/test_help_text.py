"""Help text (issue 11, "Finding your way"): wrapped by the terminal, never cut mid-sentence, no
`<bool>`, and one wording per option everywhere."""
from __future__ import annotations

import collections
import os
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from reach.cli import app

COMMANDS = ["show", "ls", "can", "collect", "enis", "invokers", "audit", "diff", "graph", "report"]


def help_of(*args: str) -> str:
    """The help as CliRunner prints it (click's test runner forces 80 columns)."""
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


def terminal_help(command: str, columns: int) -> str:
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, "-m", "reach", command, "--help"], env=env, text=True,
                          capture_output=True, check=True).stdout


@pytest.mark.parametrize("command", ["can", "audit", "diff"])
def test_help_is_as_wide_as_the_terminal(command):
    assert max(len(line) for line in terminal_help(command, 140).splitlines()) > 90  # not capped at 80
    assert max(len(line) for line in terminal_help(command, 70).splitlines()
               if not line.strip().startswith("Example:")) <= 70


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_bool(command):
    assert "<bool>" not in help_of(command)


@pytest.mark.parametrize("command", COMMANDS)
def test_examples_are_never_wrapped(command):
    text = help_of(command)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("Example: reach"):
            assert i + 1 == len(lines) or not lines[i + 1].strip() or lines[i + 1].strip().startswith(
                "Example:"), f"{command}: {line!r} goes on on the next line"


def test_the_command_list_gives_whole_sentences():
    text = help_of()
    commands = text[text.index("Commands:"):]
    assert "..." not in commands
    assert "Summarise what a snapshot holds per account and region: counts, functions, warnings." \
        in " ".join(commands.split())


def test_each_option_reads_the_same_in_every_command():
    group = typer.main.get_command(app)
    helps: dict[str, set[str]] = collections.defaultdict(set)
    for name, command in group.commands.items():
        for p in command.params:
            key = p.opts[0] if p.param_type_name == "option" else p.name
            if (key, name) in {("--region", "collect")}:
                continue  # collect's regions are the ones to read, not a snapshot's layout
            helps[key].add(getattr(p, "help", None) or "")
    for option in ("--snapshot", "--plan", "--region", "--function", "--port", "--protocol", "source"):
        assert len(helps[option]) == 1, f"{option} is worded {len(helps[option])} ways: {helps[option]}"
