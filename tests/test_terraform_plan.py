"""Reading plan JSON: versions, bad input, and a plan applied onto a base snapshot (create, update, delete)."""
from __future__ import annotations

import json

import pytest

from reach import can_reach, load_snapshot
from reach.errors import ReachInputError
from reach.model import dump_snapshot
from reach.model.terraform import load_plan, looks_like_terraform, synthetic_id

from .conftest import SAMPLES, TF_CORPUS, needs_tf_corpus

PLAN = SAMPLES / "categram-plan" / "plan.json"
BASE = SAMPLES / "categram" / "snapshot.json"


def _plan(**changes) -> dict:
    data = json.loads(PLAN.read_text())
    data.update(changes)
    return data


@pytest.mark.parametrize("version", ["0.1", "0.2", "1.0", "1.2", "1.9", "0.99"])
def test_any_minor_version_of_a_known_major_is_read(version):
    snap = load_plan(_plan(format_version=version, some_future_key={"x": 1}), name="p.json")
    assert snap.terraform.format_version == version


@pytest.mark.parametrize("version", ["2.0", "3.1", "10.0"])
def test_an_unknown_major_version_is_refused(version):
    with pytest.raises(ReachInputError) as exc:
        load_plan(_plan(format_version=version), name="p.json")
    assert str(exc.value).startswith("p.json: format_version: unsupported format_version")


@pytest.mark.parametrize("text,message", [
    (b"{", "invalid JSON"), (b"[]", "expected a JSON object"),
    (b'{"format_version": 1}', "format_version is 1"),
    (b'{"format_version": "1.2", "resource_changes": [{"change": {}}]}', "not a well-formed")])
def test_bad_plans_are_one_clear_error(text, message):
    with pytest.raises(ReachInputError) as exc:
        load_plan(text, name="p.json")
    assert message in str(exc.value)


@needs_tf_corpus
def test_detection_by_content():
    assert looks_like_terraform(json.loads(PLAN.read_text()))
    assert looks_like_terraform(json.loads((TF_CORPUS / "infracost-rds-modules-state.json").read_text()))
    assert not looks_like_terraform(json.loads(BASE.read_text()))


@needs_tf_corpus
def test_a_snapshot_argument_may_itself_be_a_plan_or_state():
    snap = load_snapshot(PLAN)
    assert snap.terraform is not None and snap.terraform.kind == "plan"
    state = load_snapshot(TF_CORPUS / "infracost-rds-modules-state.json")
    assert state.terraform.kind == "state" and [d.identifier for d in state.regions[0].db_instances] == ["demodb"]


def test_update_replaces_the_object_with_the_same_id():
    base = load_snapshot(BASE)
    snap = load_plan(PLAN, base=base)
    sg = snap.index["SecurityGroups"]["sg-0c58a2e4f6b1d3c65"]
    assert [r.cidr_ip for p in sg.ip_permissions_egress for r in p.ip_ranges] == ["10.0.0.0/16"]
    assert len(snap.regions[0].security_groups) == len(base.regions[0].security_groups) + 1
    # Everything the plan does not touch is the base's, unchanged.
    assert snap.index["RouteTables"] == base.index["RouteTables"]


def test_create_adds_with_a_synthetic_id_and_its_address():
    snap = load_plan(PLAN, base=load_snapshot(BASE))
    sg = synthetic_id("aws_security_group.exporter", "sg")
    assert snap.index["Functions"]["exporter"].vpc_config.security_group_ids == [sg]
    assert snap.terraform.address_of(sg) == "aws_security_group.exporter"
    [change] = [c for c in snap.terraform.changes if c.id == sg]
    assert change.action == "create" and change.addresses[0] == "aws_security_group.exporter"


def test_delete_removes_and_sub_resources_patch_base_objects():
    """A deleted aws_route takes its route out of a route table the plan does not manage."""
    rc = {"address": "aws_route.private_1a_default", "mode": "managed", "type": "aws_route",
          "name": "private_1a_default", "change": {"actions": ["delete"], "before": {
              "route_table_id": "rtb-0e1b3d5f7a9c2b703", "destination_cidr_block": "0.0.0.0/0",
              "nat_gateway_id": "nat-0f1e2d3c4b5a69001", "gateway_id": ""}, "after": None,
              "after_unknown": {}}}
    nat = {"address": "aws_nat_gateway.a", "mode": "managed", "type": "aws_nat_gateway", "name": "a",
           "change": {"actions": ["delete"], "before": {"id": "nat-0f1e2d3c4b5a69001",
                                                        "subnet_id": "subnet-0f3a9c1e5b7d20a11"},
                      "after": None, "after_unknown": {}}}
    plan = {"format_version": "1.2", "resource_changes": [rc, nat], "configuration": {}}
    snap = load_plan(plan, base=load_snapshot(BASE), name="p.json")
    routes = snap.index["RouteTables"]["rtb-0e1b3d5f7a9c2b703"].routes
    assert [r.destination() for r in routes] == ["10.0.0.0/16", "10.1.0.0/16"]
    assert "nat-0f1e2d3c4b5a69001" not in snap.index["NatGateways"]
    assert can_reach(snap, "api", "internet").verdict.value == "unreachable"
    assert {c.action for c in snap.terraform.changes} == {"update", "delete"}


def test_sensitive_and_environment_values_are_never_written():
    text = json.dumps(dump_snapshot(load_plan(PLAN, base=load_snapshot(BASE))))
    assert "s3cr3t-token-value" in PLAN.read_text()
    assert "s3cr3t-token-value" not in text


def test_a_function_update_replaces_latest_and_keeps_published_versions():
    """categram holds api ($LATEST) and api:7; the plan's aws_lambda_function is $LATEST."""
    plan = {"format_version": "1.2", "configuration": {}, "resource_changes": [{
        "address": "aws_lambda_function.api", "mode": "managed", "type": "aws_lambda_function",
        "name": "api", "change": {"actions": ["update"],
                                  "before": {"function_name": "api", "id": "api", "vpc_config": [
                                      {"subnet_ids": ["subnet-0b7d1f3e9a5c6e213"],
                                       "security_group_ids": ["sg-0d2f6a1b7c9e84a12"]}]},
                                  "after": {"function_name": "api", "id": "api", "vpc_config": []},
                                  "after_unknown": {}}}]}
    snap = load_plan(plan, base=load_snapshot(BASE), name="p.json")
    versions = {f.qualified_name: f for f in snap.regions[0].functions if f.function_name == "api"}
    assert set(versions) == {"api", "api:7"}
    assert versions["api"].vpc_config is None and versions["api:7"].vpc_config is not None
