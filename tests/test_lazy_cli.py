"""`reach --help` and `reach can --help` load neither reach's models, the engine, networkx nor rich's
heavy parts (markdown, syntax highlighting, tracebacks), and a cold `reach can -f json` loads only
what a network question needs: checked in a fresh interpreter."""
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


# What a network-only `reach can -f json` on a snapshot of AWS shapes does not need: the Terraform
# and CloudFormation readers, the policy evaluator, the other questions, networkx, rich, and with
# --no-cache the answer cache.
NOT_FOR_A_JSON_ANSWER = ("reach.model.terraform", "reach.model.cloudformation", "yaml", "reach.permissions",
                         "reach.questions", "networkx", "rich", "boto3", "reach.cli.cache")


def test_a_cold_json_answer_loads_only_what_it_needs():
    text, seen = _run("can", "api", "dynamodb", "-s", str(ROOT / "samples" / "categram" / "snapshot.json"),
                      "-f", "json", "--no-cache")
    assert seen["code"] in (0, 1)
    assert json.loads(text)["verdict"]
    assert {"reach.model", "reach.engine.query", "reach.estate"} <= set(seen["modules"])
    assert [m for m in seen["modules"] if m.startswith(NOT_FOR_A_JSON_ANSWER)] == []


def test_what_is_left_out_still_comes_when_needed():
    snapshot = str(ROOT / "samples" / "permissions" / "snapshot.json")
    text, seen = _run("can", "writer", "dynamodb:orders", "-s", snapshot, "--no-cache")  # text, a role
    assert "writer" in text
    assert {"rich.console", "reach.permissions"} <= set(seen["modules"])
    plan = str(ROOT / "samples" / "categram-plan" / "plan.json")
    text, seen = _run("can", "exporter", "internet", "--plan", plan, "-f", "json")
    assert json.loads(text)["verdict"]
    assert "reach.model.terraform" in seen["modules"]


def test_the_public_api_is_still_there():
    import reach
    assert reach.can_reach.__module__ == "reach.engine.query"
    assert reach.audit.__module__ == "reach.questions.audit"
    assert set(reach.__all__) <= set(dir(reach))
    with pytest.raises(AttributeError):
        reach.no_such_name
