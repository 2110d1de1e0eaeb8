"""The CLI with Terraform plans: --plan on every command, diff and report by address, no secrets."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from reach import can_reach, load_snapshot
from reach.cli import app
from reach.model.terraform import load_plan, synthetic_id

from .conftest import SAMPLES, TF_CORPUS, needs_tf_corpus

PLAN = str(SAMPLES / "categram-plan" / "plan.json")
BASE = str(SAMPLES / "categram" / "snapshot.json")
EXPECT = json.loads((SAMPLES / "categram-plan" / "expect.json").read_text())
SECRETS = ("s3cr3t-token-value", "foobarbaz", "YourPwdShouldBeLongAndSecure!")


def run(*args, env=None, input=None):
    return CliRunner().invoke(app, list(args), env=env, input=input)


@pytest.mark.parametrize("q", EXPECT["questions"], ids=lambda q: f"{q['source']}-{q['target']}")
def test_sample_plan_questions(q):
    snap = load_plan(PLAN, base=load_snapshot(SAMPLES / "categram-plan" / EXPECT["base"]))
    answer = can_reach(snap, q["source"], q["target"])
    assert answer.verdict.value == q["verdict"], q["why"]
    if q.get("blocked_by"):
        first = next(p.blocked_by for p in answer.paths if p.blocked_by)
        assert (first.code, first.component_id) == (q["blocked_by"]["code"], q["blocked_by"]["component_id"])
    if q.get("missing"):
        assert answer.missing == q["missing"]
    if q.get("terraform_address"):
        assert snap.terraform.changed_by(q["blocked_by"]["component_id"])[0] == q["terraform_address"]


def test_the_sample_plans_synthetic_id_is_the_one_the_docs_show():
    assert synthetic_id("aws_security_group.exporter", "sg") == "sg-tf1b82a8bc5c39"


def test_can_with_a_plan_on_a_snapshot_shows_addresses_beside_synthetic_ids():
    result = run("can", "exporter", "rds:categram-db", "--snapshot", BASE, "--plan", PLAN)
    assert result.exit_code == 1
    assert "sg-tf1b82a8bc5c39 (aws_security_group.exporter)" in result.stdout
    assert "aws_security_group_rule.exporter_db.cidr_blocks" in result.stdout
    out = json.loads(run("can", "exporter", "internet", "--snapshot", BASE, "--plan", PLAN,
                         "--format", "json").stdout)
    assert out["verdict"] == "reachable"
    assert out["terraform"]["addresses"]["sg-tf1b82a8bc5c39"] == "aws_security_group.exporter"


def test_reach_snapshot_is_the_base_for_a_plan():
    result = run("can", "film-fetcher", "internet", "--plan", PLAN, "--format", "json",
                 env={"REACH_SNAPSHOT": BASE})
    assert result.exit_code == 1 and json.loads(result.stdout)["verdict"] == "unreachable"


def test_a_plan_alone_does_not_read_standard_input():
    result = run("can", "exporter", "internet", "--plan", PLAN, "--format", "json", input="{not json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["verdict"] == "unknown" and out["missing"] == ["subnet-0b7d1f3e9a5c6e213"]


def test_diff_with_a_plan_names_the_address_of_each_change():
    result = run("diff", "--snapshot", BASE, "--plan", PLAN, "--format", "json")
    assert result.exit_code == 1  # --fail-on lost is the default, and film-fetcher loses
    out = json.loads(result.stdout)
    lost = sorted([c["function"], c["target"]] for c in out["changes"]
                  if c["old"] == "reachable" and c["new"] != "reachable")
    assert lost == sorted(EXPECT["diff"]["lost"])
    assert all(c["cause"]["terraform_address"] for c in out["changes"])
    film = next(c for c in out["changes"] if c["function"] == "film-fetcher")
    assert film["cause"]["terraform_address"] == "aws_security_group.film_fetcher"
    added = [(e["subnet_id"], e["security_group_ids"], e["functions"], e["terraform_addresses"][0])
             for e in out["enis"]["added"]]
    assert added == [(e["subnet_id"], e["security_group_ids"], e["functions"], e["terraform_address"])
                     for e in EXPECT["diff"]["enis_added"]]
    assert out["enis"]["removed"] == []
    assert run("diff", "--snapshot", BASE, "--plan", PLAN, "--fail-on", "gained").exit_code == 0


def test_diff_text_names_addresses():
    text = run("diff", "--snapshot", BASE, "--plan", PLAN).stdout
    assert "terraform: aws_security_group.film_fetcher" in text
    assert "terraform: aws_lambda_function.reports" in text


def test_diff_of_a_plan_alone_compares_its_prior_state():
    result = run("diff", "--plan", PLAN, "--format", "json", input="{not json")
    assert result.exit_code == 0  # nothing reachable before: nothing lost
    assert {c["function"] for c in json.loads(result.stdout)["changes"]} == {"exporter", "reports"}


@needs_tf_corpus
def test_diff_old_new_reads_terraform_files_too():
    state = str(TF_CORPUS / "infracost-rds-modules-state.json")
    plan = str(TF_CORPUS / "infracost-rds-modules-plan.json")
    result = run("diff", state, plan, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "changes" in json.loads(result.stdout)


@pytest.mark.parametrize("args,message", [
    (["diff", "--snapshot", BASE], "--snapshot goes with --plan"),
    (["diff", BASE, BASE, "--plan", PLAN], "not both"),
    (["diff"], "missing OLD and NEW"),
    (["report", "--snapshot", BASE, "--plan", PLAN, "--against", BASE], "drop --against"),
    (["enis"], "missing --snapshot"),
    (["can", "api", "internet", "--plan", "/nonexistent/plan.json"], "cannot read"),
    (["can", "api", "internet", "--plan", BASE], "format_version"),
])
def test_bad_combinations_exit_2_with_one_line(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_major_version_exits_2(tmp_path):
    plan = json.loads(open(PLAN).read())
    plan["format_version"] = "2.0"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    result = run("can", "api", "internet", "--snapshot", BASE, "--plan", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"reach: {path}: format_version: unsupported format_version 2.0 " \
                                    "(reach reads 0.x, 1.x)"


def test_report_with_a_plan(tmp_path):
    page = tmp_path / "review.html"
    result = run("report", "--snapshot", BASE, "--plan", PLAN, "-o", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert "sg-tf1b82a8bc5c39 (aws_security_group.exporter)" in html
    assert 'id="terraform"' in html and "aws_security_group_rule.exporter_db.cidr_blocks" in html
    assert "11 changed verdicts" in result.stderr


@pytest.mark.parametrize("args", [
    ["audit", "--snapshot", BASE, "--plan", PLAN, "--format", "json"],
    ["audit", "--snapshot", BASE, "--plan", PLAN, "--format", "sarif"],
    ["audit", "--snapshot", BASE, "--plan", PLAN, "--format", "markdown"],
    ["enis", "--snapshot", BASE, "--plan", PLAN, "--format", "json"],
    ["show", "--snapshot", BASE, "--plan", PLAN, "--format", "json"],
    pytest.param(["show", "--snapshot", str(TF_CORPUS / "snyk-rds-sensitive.json")], marks=needs_tf_corpus),
    pytest.param(["audit", "--snapshot", str(TF_CORPUS / "infracost-rds-modules-plan.json"), "--format",
                  "json"], marks=needs_tf_corpus),
    ["graph", "exporter", "internet", "--snapshot", BASE, "--plan", PLAN],
])
def test_every_command_takes_a_plan_and_prints_no_secret(args):
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    assert not any(s in result.output for s in SECRETS)
    if "--format" in args and args[args.index("--format") + 1] in ("json", "sarif"):
        out = json.loads(result.stdout)
        block = out["runs"][0]["properties"]["terraform"] if "runs" in out else out["terraform"]
        assert block["sources"] == [PLAN if PLAN in args else args[args.index("--snapshot") + 1]]
    if "markdown" in args:
        assert "sg-tf1b82a8bc5c39 (aws_security_group.exporter)" in result.stdout


def test_installed_reach_with_a_plan_subprocess():
    result = subprocess.run([sys.executable, "-m", "reach", "can", "film-fetcher", "internet",
                             "--snapshot", BASE, "--plan", PLAN], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 1 and "UNREACHABLE" in result.stdout
