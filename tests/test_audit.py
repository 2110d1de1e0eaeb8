"""`reach audit`: answers equal `reach can`'s, targets per VPC, filters, intent, SARIF, text and Markdown."""
from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from reach import can_reach, load_snapshot, parse_snapshot
from reach.questions.audit import audit
from reach.questions.intent import check_intent, parse_intent

from .conftest import ROOT, corpus_dirs, sample_dirs

runner = CliRunner()
CATEGRAM = ROOT / "samples" / "categram" / "snapshot.json"
PEERED = ROOT / "samples" / "peered" / "snapshot.json"
INTENT = Path("tests") / "data" / "intent"
GOLDEN = ROOT / "tests" / "golden"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-2.1.0.json"


def run(*args: str):
    return runner.invoke(__import__("reach.cli", fromlist=["app"]).app, ["audit", *args],
                         env={"COLUMNS": "120", "NO_COLOR": "1"})


def pairs(report) -> list[tuple[str, str]]:
    return [(a.source["function"], a.target["spec"]) for a in report.results]


# --- the answers are reach can's ---

@pytest.mark.parametrize("folder", sample_dirs(), ids=lambda p: p.name)
def test_audit_equals_can_reach(folder):
    report = audit(load_snapshot(folder / "snapshot.json"))
    fresh = load_snapshot(folder / "snapshot.json")
    assert report.results
    for a in report.results:
        # The audit's matrix leaves out reach can's NETWORK_ONLY note on bare dynamodb/s3.
        alone = can_reach(fresh, a.source["arn"] or a.source["function"], a.target["spec"],
                          network_only_note=False)
        assert a.to_dict() == alone.to_dict(), (a.source["function"], a.target["spec"])


@pytest.mark.parametrize("folder", sample_dirs(), ids=lambda p: p.name)
def test_expected_answers_of_the_sample(folder):
    """Every question of expect.json that the audit asks has the hand-worked verdict."""
    expect = json.loads((folder / "expect.json").read_text())
    got = {(a.source["function"], a.target["spec"]): a.verdict.value
           for a in audit(load_snapshot(folder / "snapshot.json")).results}
    asked = [q for q in expect["questions"] if (q["source"], q["target"]) in got]
    assert asked
    for q in asked:
        assert got[(q["source"], q["target"])] == q["verdict"], q


@pytest.mark.parametrize("folder", corpus_dirs(), ids=lambda p: p.name)
def test_every_corpus_snapshot_audits(folder):
    result = run("--snapshot", str(folder), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "results" in json.loads(result.stdout)


def test_targets_per_function():
    report = audit(load_snapshot(CATEGRAM))
    got = pairs(report)
    # A cluster is audited by its identifier, never by its member instances.
    assert ("api", "rds:categram-db") in got
    assert not any(t.startswith("rds:categram-db-") for _, t in got)
    # Outside any VPC: only publicly accessible databases.
    assert [t for f, t in got if f == "thumbnailer"] == ["internet", "dynamodb", "s3"]
    assert [t for f, t in got if f == "api"] == ["internet", "dynamodb", "s3", "rds:categram-db"]
    # Functions sorted by name, targets in their fixed order.
    assert [f for f, _ in got] == sorted(f for f, _ in got)


def test_peered_databases_are_audited():
    got = pairs(audit(load_snapshot(PEERED)))
    assert ("orders", "rds:orders-db") in got and ("orders", "rds:reports-db") in got
    assert not any(t.startswith("rds:") for f, t in got if f == "legacy")


def test_public_database_for_a_function_outside_any_vpc():
    raw = json.loads(PEERED.read_text())
    raw["DBInstances"][0]["PubliclyAccessible"] = True
    name = raw["DBInstances"][0]["DBInstanceIdentifier"]
    got = pairs(audit(parse_snapshot(raw)))
    assert ("legacy", f"rds:{name}") in got


def test_transit_gateway_connects_databases():
    raw = json.loads(CATEGRAM.read_text())
    other = copy.deepcopy(raw["Vpcs"][0])
    other.update(VpcId="vpc-other", CidrBlock="10.99.0.0/16", CidrBlockAssociationSet=[])
    raw["Vpcs"].append(other)
    raw["Subnets"].append({"SubnetId": "subnet-other", "VpcId": "vpc-other", "CidrBlock": "10.99.1.0/24",
                           "AvailabilityZone": "us-east-1a"})
    raw["DBInstances"].append({"DBInstanceIdentifier": "far-db", "Engine": "postgres",
                               "DBSubnetGroup": {"VpcId": "vpc-other", "Subnets": [
                                   {"SubnetIdentifier": "subnet-other"}]}})
    assert "rds:far-db" not in {t for _, t in pairs(audit(parse_snapshot(raw)))}
    vpc = raw["Vpcs"][0]["VpcId"]
    raw["TransitGatewayAttachments"] = [
        {"TransitGatewayAttachmentId": f"tgw-attach-{v}", "TransitGatewayId": "tgw-1",
         "ResourceType": "vpc", "ResourceId": v, "State": "available"} for v in (vpc, "vpc-other")]
    got = pairs(audit(parse_snapshot(raw)))
    assert ("api", "rds:far-db") in got and ("thumbnailer", "rds:far-db") not in got


def test_functions_sharing_a_vpc_config_share_the_work():
    raw = json.loads(CATEGRAM.read_text())
    api = next(f for f in raw["Functions"] if f["FunctionName"] == "api")
    for n in range(20):
        raw["Functions"].append({**api, "FunctionName": f"api-copy-{n}",
                                 "FunctionArn": api["FunctionArn"] + f"-copy-{n}", "State": "Inactive"})
    snapshot = parse_snapshot(raw)
    report = audit(snapshot)
    copies = [a for a in report.results if a.source["function"].startswith("api-copy-")]
    assert len(copies) == 20 * 4
    fresh = parse_snapshot(raw)
    for a in copies[:8]:
        assert a.to_dict() == can_reach(fresh, a.source["function"], a.target["spec"],
                                        network_only_note=False).to_dict()
        assert a.notes[0]["code"] == "FUNCTION_INACTIVE"


# --- filters ---

def test_function_and_target_filters():
    report = audit(load_snapshot(CATEGRAM), functions="api*", targets=["rds:*", "internet:8080"])
    assert pairs(report) == [("api", "rds:categram-db"), ("api", "internet:8080"),
                             ("api:7", "rds:categram-db"), ("api:7", "internet:8080")]
    result = run("-s", str(CATEGRAM), "--function", "spread", "--target", "s3", "-f", "json")
    assert result.exit_code == 0
    assert [(r["source"]["function"], r["target"]["spec"]) for r in json.loads(result.stdout)["results"]] \
        == [("spread", "s3")]


@pytest.mark.parametrize("args,message", [
    (["--function", "nope-*"], "matches none"),
    (["--target", "rds:nope"], "unknown target"),
    (["--target", "ftp"], "unknown target"),
])
def test_bad_filters_are_bad_input(args, message):
    result = run("-s", str(CATEGRAM), *args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


# --- intent ---

def test_intent_that_holds(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("-s", str(CATEGRAM), "--expect", str(INTENT / "categram-pass.yaml"))
    assert result.exit_code == 0, result.output
    assert "intent: 4 rules: 4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("name", ["categram-fail.yaml", "categram-fail.json"])
def test_broken_intent_exits_1_and_names_blocker_and_fix(monkeypatch, name):
    monkeypatch.chdir(ROOT)
    result = run("-s", str(CATEGRAM), "--expect", str(INTENT / name), "-f", "json")
    assert result.exit_code == 1, result.output
    violations = json.loads(result.stdout)["violations"]
    misplaced = next(v for v in violations if v["function"] == "misplaced")
    assert misplaced["code"] == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
    assert misplaced["blocked_by"][0]["component_id"].startswith("igw-")
    assert misplaced["fixes"] and "move the function" in misplaced["fixes"][0]
    assert not any(v["function"] == "api" for v in violations)


def test_intent_kinds_of_violation():
    report = audit(load_snapshot(CATEGRAM))
    rules = parse_intent((ROOT / INTENT / "categram-fail.yaml").read_text(), name="fail.yaml")
    got = {(v.rule.index, v.answer.source["function"], v.code) for v in check_intent(report, rules)}
    assert (0, "spread", "NO_ROUTE_TO_DESTINATION") in got  # not partial: the blocked AZ
    assert (1, "misplaced", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS") in got
    # internet:80 is not a standard target: the rule asks it directly, and it gets through.
    assert (2, "thumbnailer", "REACHABLE_AGAINST_INTENT") in got
    assert not any(i == 3 for i, _, _ in got)


@pytest.mark.parametrize("text,where,message", [
    ("rules:\n  - function: api\n    target: s3\n    expect: reachible\n", "rules[0].expect",
     "is not an expectation"),
    ("rules:\n  - function: api\n    target: s3\n", "rules[0]", "missing expect"),
    ("rules:\n  - function: api\n    target: ftp\n    expect: reachable\n", "rules[0].target",
     "unknown target"),
    ("rules:\n  - function: api\n    expect: reachable\n    colour: red\n", "rules[0].colour", "unknown key"),
    ("rules: {function: api}\n", "rules", "expected a list of rules"),
    ("rules:\n  - [api, s3]\n", "rules[0]", "expected a rule"),
    ("rules:\n  - function: api\n    expect: 3\n", "rules[0].expect", "expected a non-empty string"),
    ("rules: [\n", None, "invalid YAML"),
    ("", None, "file is empty"),
])
def test_bad_intent_file(write_json, text, where, message):
    path = write_json(text, "intent.yaml")
    result = run("-s", str(CATEGRAM), "--expect", str(path))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and message in lines[0], lines
    if where:
        assert f": {where}: " in lines[0]
    assert "Traceback" not in result.output


def test_missing_and_bad_json_intent_files(write_json, tmp_path):
    result = run("-s", str(CATEGRAM), "--expect", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "no such file" in result.stderr
    path = write_json('[{"function": "api",', "intent.json")
    result = run("-s", str(CATEGRAM), "--expect", str(path))
    assert result.exit_code == 2 and "invalid JSON" in result.stderr


# --- outputs ---

def test_json_is_results_only_without_intent():
    result = run("-s", str(CATEGRAM), "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["results"]
    assert {"source", "target", "verdict", "paths"} <= set(data["results"][0])


def test_sarif_is_valid(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("-s", "samples/categram/snapshot.json", "--expect", str(INTENT / "categram-fail.yaml"),
                 "-f", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    results = log["runs"][0]["results"]
    rule_ids = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} == rule_ids
    errors = [r for r in results if r["level"] == "error"]
    warnings = [r for r in results if r["level"] == "warning"]
    assert len(errors) == 3  # spread, misplaced and thumbnailer break theirs; api keeps its rule
    # spread → s3 is partial and broke nothing: a warning pointing at the snapshot.
    assert [w["properties"]["target"] for w in warnings] == ["s3"]
    assert warnings[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "samples/categram/snapshot.json"
    assert errors[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_sarif_without_intent_is_valid():
    log = json.loads(run("-s", str(PEERED), "-f", "sarif").stdout)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    assert {r["level"] for r in log["runs"][0]["results"]} == {"warning"}


@pytest.mark.parametrize("fmt,golden,intent", [
    ("text", "categram.audit.txt", None),
    ("text", "categram.intent.txt", "categram-fail.yaml"),
    ("markdown", "categram.audit.md", "categram-fail.yaml"),
])
def test_golden(monkeypatch, fmt, golden, intent):
    monkeypatch.chdir(ROOT)
    args = ["-s", "samples/categram/snapshot.json", "-f", fmt]
    if intent:
        args += ["--expect", str(INTENT / intent)]
    result = run(*args)
    assert result.exit_code == (1 if intent else 0), result.output
    path = GOLDEN / golden
    if os.environ.get("REACH_UPDATE_GOLDEN"):
        path.write_text(result.stdout)
    assert result.stdout == path.read_text(), f"rerun with REACH_UPDATE_GOLDEN=1 to accept: {golden}"
