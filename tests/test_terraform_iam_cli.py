"""End to end: a plan that grants and revokes DynamoDB access changes `can`, `diff` and the report.

tests/data/terraform/iam-plan.json (hand-made, in `terraform show -json` 1.2 form) on
samples/permissions: it adds a PutItem statement to writer-role's inline policy (writer gains
orders), removes the Orders statement from bare-role's (enis-less loses orders), creates
exporter with a role known only after apply, and moves a Lambda permission."""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reach.cli import app

from .conftest import SAMPLES

BASE = str(SAMPLES / "permissions" / "snapshot.json")
PLAN = str(Path(__file__).parent / "data" / "terraform" / "iam-plan.json")
TOKEN = "tok-9f8e7d6c5b4a-never-print"  # a sensitive Lambda environment value in the plan
ROLE = "arn:aws:iam::111122223333:role/service-role/{}"


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert TOKEN not in result.output
    return result


def can(fn: str, *plan: str) -> tuple[int, dict]:
    result = run("can", fn, "dynamodb:orders", "--snapshot", BASE, *plan, "--format", "json")
    out = json.loads(result.stdout)
    return result.exit_code, {a["action"]: a["verdict"] for a in out["permission"]["actions"]}


def test_the_plan_grants_writer_the_write_it_lacked():
    assert can("writer") == (1, {"dynamodb:GetItem": "allowed", "dynamodb:PutItem": "denied"})
    assert can("writer", "--plan", PLAN) == (0, {"dynamodb:GetItem": "allowed", "dynamodb:PutItem": "allowed"})


def test_the_plan_revokes_enis_less_access_to_orders():
    assert can("enis-less") == (0, {"dynamodb:GetItem": "allowed", "dynamodb:PutItem": "allowed"})
    code, got = can("enis-less", "--plan", PLAN)
    assert (code, got) == (1, {"dynamodb:GetItem": "denied", "dynamodb:PutItem": "denied"})
    text = run("can", "enis-less", "dynamodb:orders", "--snapshot", BASE, "--plan", PLAN).stdout
    assert "UNREACHABLE" in text and ROLE.format("bare-role") in text


def test_a_new_function_acts_with_the_new_role_known_only_after_apply():
    assert can("exporter", "--plan", PLAN) == (0, {"dynamodb:GetItem": "allowed", "dynamodb:PutItem": "allowed"})
    out = json.loads(run("can", "exporter", "logs", "--snapshot", BASE, "--plan", PLAN, "--format", "json").stdout)
    # AWSLambdaVPCAccessExecutionRole, attached by the plan, allows the logs (from the base's Policies).
    assert {a["action"]: a["verdict"] for a in out["permission"]["actions"]}["logs:PutLogEvents"] == "allowed"


def test_diff_names_the_role_and_the_terraform_address_of_each_permission_change():
    result = run("diff", "--snapshot", BASE, "--plan", PLAN, "--format", "json")
    assert result.exit_code == 1  # --fail-on lost (the default): enis-less lost orders
    changes = {(c["function"], c["target"]): c for c in json.loads(result.stdout)["changes"]}
    gained, lost = changes[("writer", "dynamodb:orders")], changes[("enis-less", "dynamodb:orders")]
    assert (gained["old"], gained["new"]) == ("unreachable", "reachable")
    assert {k: v for k, v in gained["cause"].items() if k != "changes"} == {
        "component_id": ROLE.format("writer-role"), "kind": "iam-role", "code": None,
        "terraform_address": "aws_iam_role_policy.writer_orders"}
    assert (lost["old"], lost["new"]) == ("reachable", "unreachable")
    assert lost["cause"]["component_id"] == ROLE.format("bare-role")
    assert lost["cause"]["terraform_address"] == "aws_iam_role_policy.bare_orders_and_logs"
    assert changes[("exporter", "dynamodb:orders")]["old"] is None
    assert run("diff", "--snapshot", BASE, "--plan", PLAN, "--fail-on", "none").exit_code == 0


def test_diff_text_says_which_action_is_now_denied():
    text = run("diff", "--snapshot", BASE, "--plan", PLAN, "--fail-on", "none").stdout
    assert "LOST    enis-less → dynamodb:orders: reachable → unreachable" in text
    assert "terraform: aws_iam_role_policy.bare_orders_and_logs" in text
    assert "dynamodb:GetItem on arn:aws:dynamodb:us-east-1:111122223333:table/orders: denied" in text


def test_the_report_lists_the_permission_changes(tmp_path):
    page = tmp_path / "review.html"
    result = run("report", "--snapshot", BASE, "--plan", PLAN, "-o", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert TOKEN not in html
    assert "aws_iam_role_policy.writer_orders" in html and "aws_iam_role_policy.bare_orders_and_logs" in html
    changes = html[html.index('id="changes"'):]
    assert "enis-less → dynamodb:orders" in changes and "writer → dynamodb:orders" in changes
    assert ROLE.format("bare-role") in changes and ROLE.format("writer-role") in changes  # the causes


def test_invokers_read_the_plans_lambda_permissions():
    out = json.loads(run("invokers", "exporter", "--snapshot", BASE, "--plan", PLAN, "--format", "json").stdout)
    assert out["arn"] == "arn:aws:lambda:us-east-1:111122223333:function:exporter"
    [nightly] = out["invokers"]
    assert (nightly["sid"], nightly["kind"], nightly["principal"]) == ("AllowNightlyExport", "service",
                                                                      "events.amazonaws.com")
    assert nightly["conditions"]["ArnLike"]["AWS:SourceArn"] == [
        "known-after-apply:aws_cloudwatch_event_rule.nightly.arn"]
    hook = json.loads(run("invokers", "public-hook", "--snapshot", BASE, "--plan", PLAN, "--format", "json").stdout)
    assert "ops-account" not in {i["sid"] for i in hook["invokers"]}  # deleted by the plan
    assert {"FunctionURLAllowPublicAccess", "sns-alerts"} <= {i["sid"] for i in hook["invokers"]}


def test_a_value_of_a_type_the_provider_never_writes_is_exit_2_naming_the_address(tmp_path):
    plan = json.loads(Path(PLAN).read_text())
    [rc] = [r for r in plan["resource_changes"] if r["address"] == "aws_lambda_permission.exporter_nightly"]
    rc["change"]["after"]["principal"] = True
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    result = run("can", "writer", "dynamodb:orders", "--snapshot", BASE, "--plan", str(path))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"reach: {path}: aws_lambda_permission.exporter_nightly (after): ")
