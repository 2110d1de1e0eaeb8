"""`reach --help` and `reach can --help` load neither reach's models, the engine, networkx nor rich's
heavy parts (markdown, syntax highlighting, tracebacks): checked in a fresh interpreter."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT

HEAVY = ("reach.model", "reach.engine", "reach.estate", "reach.questions", "networkx", "rich.markdown",
         "rich.syntax", "rich.traceback", "pygments", "markdown_it", "yaml", "boto3")

_PROBE = """
import json, sys
from reach.cli.app import main
sys.argv = ["reach", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
sys.stderr.write(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _run(*args: str) -> tuple[str, dict]:
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    return proc.stdout, json.loads(proc.stderr.strip().splitlines()[-1])


def test_importing_the_cli_loads_nothing_heavy():
    out = subprocess.run([sys.executable, "-c", "import sys, reach.cli; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
    assert "reach.cli.app" in out
    assert [m for m in out if m.startswith(HEAVY)] == []
    assert not [m for m in out if m.startswith("rich")]


@pytest.mark.parametrize("args", [("--help",), ("can", "--help"), ("audit", "--help")])
def test_help_loads_nothing_heavy(args):
    text, seen = _run(*args)
    assert seen["code"] in (0, None)
    assert "Usage: reach" in text
    assert [m for m in seen["modules"] if m.startswith(HEAVY)] == []


def test_a_real_command_still_loads_what_it_needs(tmp_path):
    text, seen = _run("show", "-s", str(ROOT / "samples" / "categram" / "snapshot.json"), "-f", "json")
    assert seen["code"] in (0, None)
    assert json.loads(text)
    assert "reach.model" in seen["modules"]


def test_the_public_api_is_still_there():
    import reach
    assert reach.can_reach.__module__ == "reach.engine.query"
    assert reach.audit.__module__ == "reach.questions.audit"
    assert set(reach.__all__) <= set(dir(reach))
    with pytest.raises(AttributeError):
        reach.no_such_name
