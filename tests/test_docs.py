"""The docs keep up with the code: every reason code is documented, every command has help."""
from __future__ import annotations

import re

from typer.testing import CliRunner

from reach.catalogue import FIXES, REASONS
from reach.cli import app
from reach.render.words import NOTES, WARNINGS

from .conftest import ROOT


def test_every_code_fix_and_note_is_in_docs_codes():
    text = (ROOT / "docs" / "codes.md").read_text()
    for code in [*REASONS, *FIXES, *NOTES, *WARNINGS]:
        assert f"`{code}`" in text, f"{code} is missing from docs/codes.md"


def test_every_code_the_engine_emits_is_in_the_catalogue():
    emitted = set()
    for path in (ROOT / "reach").rglob("*.py"):
        emitted |= set(re.findall(r'"([A-Z][A-Z0-9_]{4,})",\s*\(', path.read_text()))
        emitted |= set(re.findall(r'Blocker\([^)]*?"([A-Z][A-Z0-9_]{4,})"', path.read_text(), re.S))
    assert emitted, "the pattern finds the codes"
    assert emitted <= set(REASONS) | {"UNKNOWN_RESOURCE"}, emitted - set(REASONS)


def test_every_command_has_help_with_an_example():
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"show", "can", "enis", "audit", "collect", "diff", "graph", "report"} <= set(names)
    for name in names:
        result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, f"reach {name} --help has no example"
