"""The permission questions end to end: reach can with --action, reach enis and reach invokers on
samples/permissions, and bad input (exit 2, one line)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reach.cli import app

from .conftest import SAMPLES

SNAP = str(SAMPLES / "permissions" / "snapshot.json")
EXPECT = json.loads((SAMPLES / "permissions" / "expect.json").read_text())
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [*args, "--snapshot", SNAP])


def test_can_json_has_the_contract_permission_shape():
    result = run("can", "writer", "dynamodb:orders", "--format", "json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["verdict"] == "unreachable"
    perm = out["permission"]
    assert perm["verdict"] == "denied"
    for a in perm["actions"]:
        assert {"action", "resource", "verdict", "decided_by"} <= set(a)
        for d in a["decided_by"]:
            assert set(d) == {"policy", "sid", "effect"}
    fix, = perm["fix"]
    assert fix["add_statement"] == {"Effect": "Allow", "Action": "dynamodb:PutItem",
                                    "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}


def test_can_text_leads_with_the_verdict_then_the_permission():
    result = run("can", "reporter", "dynamodb:audit")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("UNREACHABLE")
    assert lines[1].strip() == "permission: denied"
    assert any("vpce-0a9b8c7d6e5f4a351" in line and line.strip().startswith("fix:") for line in lines)


def test_action_is_repeatable():
    result = run("can", "writer", "dynamodb:orders", "--action", "dynamodb:GetItem",
                 "--action", "dynamodb:DeleteItem", "--format", "json")
    verdicts = {a["action"]: a["verdict"] for a in json.loads(result.stdout)["permission"]["actions"]}
    assert verdicts == {"dynamodb:GetItem": "allowed", "dynamodb:DeleteItem": "denied"}


def test_reachable_and_allowed_exits_0():
    assert run("can", "reporter", "dynamodb:orders").exit_code == 0


@pytest.mark.parametrize("args,message", [
    (["can", "writer", "dynamodb:orders", "--action", "dynamodb:PutItems"], "nearest: dynamodb:PutItem"),
    (["can", "writer", "dynamodb:orders", "--action", "s3:GetObject"], "not a dynamodb action"),
    (["can", "writer", "internet", "--action", "dynamodb:PutItem"], "--action applies only"),
    (["can", "writer", "dynamodb", "--action", "dynamodb:PutItem"], "--action applies only"),
    (["can", "quiet", "logs", "--action", "logs:PutLogEvents"], "--action applies only"),
    (["can", "writer", "dynamodb:a b"], "not a table name"),
    (["can", "writer", "s3:Bad_Bucket"], "not a bucket name"),
    (["can", "--subnet", "subnet-0a1b2c3d4e5f60a11", "--sg", "sg-0e1f2a3b4c5d6e731", "dynamodb:orders"],
     "no execution role"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_enis_warns_about_the_role_without_eni_permissions():
    out = json.loads(run("enis", "--format", "json").stdout)
    found = [(w["code"], w["component_id"]) for w in out["warnings"]]
    want = [(w["code"], w["component_id"]) for w in EXPECT["eni_warnings"]]
    assert found == want
    (warning,) = out["warnings"]
    assert warning["actions"] == ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                                  "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                                  "ec2:UnassignPrivateIpAddresses"]
    assert warning["fix"][0]["add_statement"]["Resource"] == "*"
    text = run("enis").stdout
    assert "[ROLE_LACKS_ENI_PERMISSIONS] enis-less" in text


def test_invokers_json():
    want = EXPECT["invokers"]["public-hook"]
    out = json.loads(run("invokers", "public-hook", "--format", "json").stdout)
    assert [u["public"] for u in out["function_urls"]] == [want["public_url"]]
    assert [i["sid"] for i in out["invokers"] if i["public"]] == want["public"]
    services = {i["principal"]: i["conditions"] for i in out["invokers"] if i["kind"] == "service"}
    assert services == want["service"]
    assert [i["principal"] for i in out["invokers"] if i["kind"] == "account"] == want["account"]
    assert json.loads(run("invokers", "writer", "--format", "json").stdout)["policy"] == \
        EXPECT["invokers"]["writer"]["policy"]


def test_invokers_text_flags_public_first():
    lines = run("invokers", "public-hook").stdout.splitlines()
    assert lines[1].strip().startswith("PUBLIC function URL")
    assert lines[2].strip().startswith("PUBLIC:")


def test_invokers_unknown_function_is_exit_2():
    result = run("invokers", "nope")
    assert result.exit_code == 2 and "unknown function" in result.stderr


def test_audit_adds_logs_role_named_tables_and_eni_warnings():
    out = json.loads(run("audit", "--format", "json").stdout)
    asked = {(r["source"]["function"], r["target"]["spec"]): r for r in out["results"]}
    assert asked[("quiet", "logs")]["permission"]["verdict"] == "denied"
    assert asked[("quiet", "logs")]["verdict"] == "unreachable"
    # writer's role names the orders table; reporter's names only table/* (no name to ask)
    assert asked[("writer", "dynamodb:orders")]["permission"]["verdict"] == "denied"
    assert ("reporter", "dynamodb:orders") not in asked
    assert "permission" not in asked[("writer", "dynamodb")]
    assert [(w["code"], w["component_id"]) for w in out["warnings"]] == [
        ("ROLE_LACKS_ENI_PERMISSIONS", "enis-less")]


def test_intent_states_permission(tmp_path):
    intent = tmp_path / "intent.yaml"
    intent.write_text(
        "rules:\n"
        "  - {function: quiet, target: logs, permission: allowed, why: every function logs}\n"
        "  - {function: writer, target: dynamodb:orders, permission: denied}\n"
        "  - {function: '*', target: 'dynamodb:*', expect: not unknown}\n")
    result = run("audit", "--expect", str(intent), "--format", "json")
    assert result.exit_code == 1
    violations = json.loads(result.stdout)["violations"]
    assert [(v["function"], v["target"], v["code"], v.get("permission")) for v in violations] == [
        ("quiet", "logs", "PERMISSION_AGAINST_INTENT", "denied")]
    assert "logs:CreateLogStream" in violations[0]["fixes"][0]


@pytest.mark.parametrize("rule,message", [
    ("{function: quiet, target: logs, permission: maybe}", "not a permission"),
    ("{function: quiet, target: internet, permission: allowed}", "permission applies only"),
])
def test_intent_permission_bad_input(tmp_path, rule, message):
    intent = tmp_path / "intent.yaml"
    intent.write_text(f"rules:\n  - {rule}\n")
    result = run("audit", "--expect", str(intent))
    assert result.exit_code == 2 and message in result.stderr
