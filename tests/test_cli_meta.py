"""`reach --version` and `reach collect --print-policy`: what an installed user has without docs/."""
from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from reach.cli.app import app
from reach.collect.calls import IAM_ACTIONS
from reach.version import __version__

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_version_prints_the_package_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"reach {__version__}"


def test_print_policy_is_the_documented_least_privilege_policy():
    result = run("collect", "--print-policy")
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    (statement,) = printed["Statement"]
    assert statement == {"Sid": "ReachCollectReadOnly", "Effect": "Allow", "Action": list(IAM_ACTIONS),
                         "Resource": "*"}
    text = (ROOT / "docs" / "collect.md").read_text()
    documented = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.S) if '"Statement"' in b]
    assert documented == [printed]


def test_print_policy_refuses_options_that_would_read_an_account():
    result = run("collect", "--print-policy", "--region", "us-east-1")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["reach: --print-policy reads nothing: it takes no --region"]
