"""The docs keep up with the code: every reason code is documented, every command has help."""
from __future__ import annotations

from typer.testing import CliRunner

from reach.catalogue import FIXES, NOTES, REASONS, WARNINGS, Code, FixCode
from reach.cli import app

from .conftest import ROOT


def test_every_code_fix_and_note_is_in_docs_codes():
    text = (ROOT / "docs" / "codes.md").read_text()
    for code in [*REASONS, *FIXES, *NOTES, *WARNINGS]:
        assert f"`{code}`" in text, f"{code} is missing from docs/codes.md"


def test_every_code_and_fix_has_its_wording_and_rules():
    """Codes are enums: one the catalogue cannot word, or a reason with no rule number, fails here."""
    assert set(Code) == set(REASONS) and set(FixCode) == set(FIXES)
    assert all(rule for rule, _ in REASONS.values())


def test_every_command_has_help_with_an_example():
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"show", "can", "enis", "audit", "collect", "diff", "graph", "report"} <= set(names)
    for name in names:
        result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, f"reach {name} --help has no example"
