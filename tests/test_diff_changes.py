"""`reach diff` says what changed inside each culprit object (issue 11): routes, NACL entries,
group rules, associations and fields, in text and JSON."""
from __future__ import annotations

import copy
import json

from typer.testing import CliRunner

from reach import load_snapshot, parse_snapshot
from reach.cli import app
from reach.questions.changes import object_changes

from .conftest import SAMPLES
from .scenarios.estate import base, sg, table

OLD = SAMPLES / "categram" / "snapshot.json"
NEW = SAMPLES / "categram-changed" / "snapshot.json"
ROUTE_TABLE, NACL, GROUP = "rtb-0e1b3d5f7a9c2b703", "acl-0e8c6a4f2b1d9b401", "sg-07e3b5d1f9a2c8b64"


def causes(out: dict) -> dict[str, list[dict]]:
    return {c["cause"]["component_id"]: c["cause"].get("changes") for c in out["changes"] if c["cause"]}


def test_json_names_the_route_the_nacl_entry_and_the_rules_that_changed():
    result = CliRunner().invoke(app, ["diff", str(OLD), str(NEW), "--format", "json"])
    found = causes(json.loads(result.stdout))
    assert found[ROUTE_TABLE] == [{"change": "removed", "item": "route", "key": "0.0.0.0/0",
                                   "before": "nat-0f1e2d3c4b5a69001", "after": None}]
    assert found[NACL] == [{"change": "added", "item": "nacl-entry", "key": "inbound rule 90",
                            "before": None, "after": "deny tcp 5432 10.0.10.0/23"}]
    assert {(c["change"], c["key"]) for c in found[GROUP]} == {
        ("removed", "egress rule tcp 443 to pl-02cd2c6b"), ("added", "egress rule tcp 443 to pl-63a5400a")}


def test_text_says_what_changed_under_the_cause():
    out = CliRunner().invoke(app, ["diff", str(OLD), str(NEW)]).stdout
    lines = out.splitlines()
    i = lines.index(f"        cause: network-acl {NACL}")
    assert lines[i + 1].startswith("        changed: ") and "90" in lines[i + 1]


def test_changed_route_target_blackhole_association_and_field():
    old = base()
    new = copy.deepcopy(old)
    table(new, "rt-priv")["Routes"][0]["State"] = "blackhole"
    table(new, "rt-priv")["Associations"].pop()
    sg(new, "sg-fn")["Description"] = "narrowed"
    a, b = parse_snapshot(old), parse_snapshot(new)
    rt = {(c.change.value, c.item.value, c.key, c.before, c.after) for c in object_changes(a, b, "rt-priv")}
    assert rt == {("changed", "route", "0.0.0.0/0", "nat-1", "nat-1 (blackhole)"),
                  ("removed", "association", "sn-priv-b", "associated", None)}
    group = [(c.item.value, c.key, c.before, c.after) for c in object_changes(a, b, "sg-fn")]
    assert group == [("field", "Description", None, "narrowed")]
    assert object_changes(a, a, "rt-priv") == []
    gone = object_changes(a, parse_snapshot({**new, "NatGateways": []}), "nat-1")
    assert [(c.change.value, c.item.value) for c in gone] == [("removed", "object")]


def test_loaded_samples_compare_equal_to_themselves():
    snap = load_snapshot(OLD)
    assert all(object_changes(snap, snap, rid) == [] for rid in (ROUTE_TABLE, NACL, GROUP))
