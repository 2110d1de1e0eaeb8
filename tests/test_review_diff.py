"""`reach diff`: the verdicts that changed between two snapshots and the AWS object behind each."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reach import load_snapshot
from reach.cli import app
from reach.errors import ReachInputError
from reach.questions.diff import diff_snapshots, parse_fail_on

from .conftest import SAMPLES

OLD = SAMPLES / "categram" / "snapshot.json"
NEW = SAMPLES / "categram-changed" / "snapshot.json"
ROUTE = ("rtb-0e1b3d5f7a9c2b703", "route-table", "NO_ROUTE_TO_DESTINATION")
ACL = ("acl-0e8c6a4f2b1d9b401", "network-acl", "SUBNET_ACL_RESTRICTION")
SG = ("sg-07e3b5d1f9a2c8b64", "security-group", "ENI_SG_RULES_MISMATCH")

# Every question whose verdict the three edits change, with the one that changed it.
EXPECTED = {
    ("api", "internet"): ("reachable", "unreachable", ROUTE),
    ("api", "dynamodb"): ("reachable", "unreachable", ROUTE),
    ("api", "s3"): ("reachable", "unreachable", ROUTE),
    ("api", "rds:categram-db"): ("reachable", "unreachable", ACL),
    ("api:7", "internet"): ("reachable", "unreachable", ROUTE),
    ("api:7", "dynamodb"): ("reachable", "unreachable", ROUTE),
    ("api:7", "s3"): ("reachable", "unreachable", ROUTE),
    ("api:7", "rds:categram-db"): ("reachable", "unreachable", ACL),
    ("ddb-only", "dynamodb"): ("reachable", "unreachable", SG),
    ("film-fetcher", "internet"): ("reachable", "unreachable", ROUTE),
    ("film-fetcher", "dynamodb"): ("reachable", "unreachable", ROUTE),
    ("film-fetcher", "s3"): ("reachable", "unreachable", ROUTE),
    ("spread", "internet"): ("partial", "unreachable", ROUTE),
    ("spread", "dynamodb"): ("reachable", "partial", ROUTE),
    ("spread", "s3"): ("partial", "unreachable", ROUTE),
    ("spread", "rds:categram-db"): ("reachable", "unreachable", ACL),
}


def run(*args: str):
    return CliRunner().invoke(app, ["diff", *map(str, args)])


@pytest.fixture(scope="module")
def diff():
    return diff_snapshots(load_snapshot(OLD), load_snapshot(NEW))


def test_the_changed_sample_differs_in_exactly_one_route_one_rule_and_one_nacl_entry():
    old, new = (json.loads(p.read_text()) for p in (OLD, NEW))
    assert old.keys() == new.keys()
    changed = {(key, item.get("RouteTableId") or item.get("GroupId") or item.get("NetworkAclId"))
               for key in old if isinstance(old[key], list)
               for item, other in zip(old[key], new[key]) if item != other}
    assert changed == {("RouteTables", ROUTE[0]), ("SecurityGroups", SG[0]), ("NetworkAcls", ACL[0])}


def test_diff_names_exactly_the_three_causes(diff):
    assert {(c.cause.component_id, c.cause.kind, c.cause.code) for c in diff.changes} == {ROUTE, ACL, SG}


def test_every_changed_verdict_is_listed_with_its_cause(diff):
    got = {(c.function, c.target): (c.old.value, c.new.value,
                                    (c.cause.component_id, c.cause.kind, c.cause.code))
           for c in diff.changes}
    assert got == EXPECTED
    for c in diff.changes:
        assert c.changed_components[0] == c.cause.component_id
        assert set(c.changed_components) <= {ROUTE[0], ACL[0], SG[0]}
    assert diff.enis_added == [] and diff.enis_removed == []


def test_lost_and_gained(diff):
    lost = {(c.function, c.target) for c in diff.changes if c.lost}
    assert ("spread", "dynamodb") in lost and ("spread", "internet") not in lost
    assert not any(c.gained for c in diff.changes)
    back = diff_snapshots(load_snapshot(NEW), load_snapshot(OLD))
    assert {(c.function, c.target) for c in back.changes if c.gained} == lost
    assert not any(c.lost for c in back.changes)
    # Going back, each verdict is explained by the blocker that the old snapshot shows.
    assert {(c.cause.component_id, c.cause.code) for c in back.changes} == {r[::2] for r in (ROUTE, ACL, SG)}


def test_json_shape():
    result = run(OLD, NEW, "--format", "json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert set(out) == {"changes", "enis"} and set(out["enis"]) == {"added", "removed"}
    for c in out["changes"]:
        assert set(c) == {"function", "target", "old", "new", "cause", "changed_components"}
        assert set(c["cause"]) - {"changes"} == {"component_id", "kind", "code"}
    first = out["changes"][0]
    assert (first["function"], first["target"], first["old"], first["new"]) == \
        ("api", "internet", "reachable", "unreachable")
    assert {k: v for k, v in first["cause"].items() if k != "changes"} == \
        dict(zip(("component_id", "kind", "code"), ROUTE))


def test_text_reads_without_json():
    result = run(OLD, NEW)
    assert result.exit_code == 1
    text = result.stdout
    assert text.splitlines()[0].startswith("16 verdicts changed of 27 questions")
    assert "what made the difference" in text
    for rid, kind, code in (ROUTE, ACL, SG):
        assert f"{kind} {rid}" in text and code in text
    assert "LOST    api → internet: reachable → unreachable" in text
    assert "CHANGED spread → internet: partial → unreachable" in text
    assert "ENI combinations: unchanged" in text


@pytest.mark.parametrize("args,status", [
    ((OLD, NEW), 1), ((OLD, NEW, "--fail-on", "lost"), 1), ((OLD, NEW, "--fail-on", "none"), 0),
    ((OLD, NEW, "--fail-on", "gained"), 0), ((OLD, NEW, "--fail-on", "any"), 1),
    ((NEW, OLD), 0), ((NEW, OLD, "--fail-on", "gained"), 1), ((NEW, OLD, "--fail-on", "lost,gained"), 1),
    ((OLD, OLD, "--fail-on", "any"), 0),
])
def test_exit_status_follows_fail_on(args, status):
    assert run(*args).exit_code == status


@pytest.mark.parametrize("args,message", [
    ((OLD, NEW, "--fail-on", "sometimes"), "--fail-on"),
    ((OLD, NEW, "--fail-on", ""), "--fail-on"),
    ((OLD, "nope.json"), "nope.json"),
    (("-", "-"), "standard input"),
])
def test_bad_input_exits_2_with_one_line(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_parse_fail_on():
    assert parse_fail_on("lost") == {"lost"}
    assert parse_fail_on(" lost , gained ") == {"lost", "gained"}
    assert parse_fail_on("none") == set()
    with pytest.raises(ReachInputError):
        parse_fail_on("lost,sometimes")


def test_moved_function_changes_eni_combinations_and_is_the_cause(write_json):
    data = json.loads(OLD.read_text())
    fn = next(f for f in data["Functions"] if f["FunctionName"] == "misplaced")
    fn["VpcConfig"]["SubnetIds"] = ["subnet-0e2c8a4f6b1d7a914"]  # public-1a -> private-1b
    moved = diff_snapshots(load_snapshot(OLD), load_snapshot(write_json(data)))
    assert [(e.subnet_id, e.security_group_ids, e.functions) for e in moved.enis_added] == [
        ("subnet-0e2c8a4f6b1d7a914", ("sg-0a91c3e5b7d2f4a63",), ("misplaced",))]
    assert [(e.subnet_id, e.functions) for e in moved.enis_removed] == [
        ("subnet-0f3a9c1e5b7d20a11", ("misplaced",))]
    rows = json.loads(run(OLD, write_json(data), "--format", "json").stdout)["enis"]
    keys = {"vpc_id", "subnet_id", "availability_zone", "security_group_ids", "functions", "existing_eni_ids"}
    assert [set(r) for r in rows["added"] + rows["removed"]] == [keys, keys]
    ddb = next(c for c in moved.changes if (c.function, c.target) == ("misplaced", "dynamodb"))
    assert ddb.gained
    # The old blocker (the IGW) did not change; the function's own VpcConfig did.
    assert (ddb.cause.component_id, ddb.cause.kind) == ("misplaced", "function")
    assert ddb.cause.code == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"


def test_removed_function_is_listed_but_not_lost(write_json):
    data = json.loads(OLD.read_text())
    data["Functions"] = [f for f in data["Functions"] if f["FunctionName"] != "thumbnailer"]
    gone = diff_snapshots(load_snapshot(OLD), load_snapshot(write_json(data)))
    assert {(c.function, c.target, c.new) for c in gone.changes} == {
        ("thumbnailer", t, None) for t in ("internet", "dynamodb", "s3")}
    assert not gone.fails({"lost"}) and gone.fails({"any"})
    assert all(c.cause.component_id == "thumbnailer" and c.cause.kind == "function" for c in gone.changes)


def test_the_dual_stack_endpoints_are_compared_as_questions_of_their_own():
    """Removing the NAT loses DynamoDB and S3 over IPv4 only; removing the ::/0 route to the
    egress-only gateway loses their dual-stack endpoints (docs/semantics.md §6v)."""
    from reach import parse_snapshot
    dual = SAMPLES / "dualstack" / "snapshot.json"
    no_nat = diff_snapshots(load_snapshot(dual), load_snapshot(SAMPLES / "dualstack-no-nat" / "snapshot.json"))
    lost = {(c.function, c.target) for c in no_nat.changes if c.lost}
    assert ("fetcher", "dynamodb") in lost and ("fetcher", "s3") in lost
    assert not [c for c in no_nat.changes if c.target.endswith(" dual-stack")]
    raw = json.loads(dual.read_text())
    for t in raw["RouteTables"]:
        t["Routes"] = [r for r in t["Routes"] if "EgressOnlyInternetGatewayId" not in r]
    no_eigw = diff_snapshots(load_snapshot(dual), parse_snapshot(raw))
    six = {(c.function, c.target): c for c in no_eigw.changes}
    assert six[("fetcher", "dynamodb dual-stack")].lost and six[("fetcher", "s3 dual-stack")].lost
    assert six[("fetcher", "dynamodb dual-stack")].cause.code == "NO_ROUTE_TO_DESTINATION"
    assert ("fetcher", "dynamodb") not in six  # IPv4 still goes through the NAT
