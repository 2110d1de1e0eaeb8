"""The permission keys of a snapshot: loaded in AWS's shapes, bad documents named by JSON path."""
from __future__ import annotations

import json

import pytest

from reach.errors import ReachInputError
from reach.model import dump_snapshot, load_snapshot, parse_snapshot
from reach.model.iam import parse_policy
from urllib.parse import quote

DOC = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
SNAP = {
    "SnapshotVersion": 1, "AccountId": "111122223333", "Region": "us-east-1",
    "RoleDetailList": [{"RoleName": "app", "Arn": "arn:aws:iam::111122223333:role/app",
                        "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": quote(json.dumps(DOC))}],
                        "AttachedManagedPolicies": [{"PolicyName": "m", "PolicyArn": "arn:aws:iam::111122223333:policy/m"}],
                        "PermissionsBoundary": {"PermissionsBoundaryType": "Policy",
                                                "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/b"}}],
    "Policies": [{"PolicyName": "m", "Arn": "arn:aws:iam::111122223333:policy/m", "DefaultVersionId": "v2",
                  "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": False, "Document": {"Statement": []}},
                                        {"VersionId": "v2", "IsDefaultVersion": True, "Document": DOC}]}],
    "FunctionPolicies": [{"FunctionName": "f", "Policy": json.dumps(DOC), "RevisionId": "r"}],
    "ResourcePolicies": [{"ResourceArn": "arn:aws:dynamodb:us-east-1:111122223333:table/t", "Policy": json.dumps(DOC)}],
    "BucketPolicies": [{"Bucket": "b", "Policy": json.dumps(DOC)}],
    "ServiceControlPolicies": [{"TargetId": "r-abcd", "TargetType": "ROOT",
                                "Policies": [{"PolicySummary": {"Id": "p-FullAWSAccess", "Name": "FullAWSAccess"},
                                              "Content": json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})}]}],
}


def test_permission_keys_load_in_aws_shapes():
    rs = parse_snapshot(SNAP).regions[0]
    role = rs.role_detail_list[0]
    assert role.role_policy_list[0].policy_document.statement[0].action == ["s3:GetObject"]
    assert role.permissions_boundary.permissions_boundary_arn.endswith("policy/b")
    assert rs.policies[0].document.statement[0].effect == "Allow"  # the default version
    assert rs.function_policies[0].policy.statement[0].resource == ["*"]
    assert rs.service_control_policies[0].policies[0].content.statement[0].action == ["*"]
    assert rs.resource_control_policies is None  # absent: not judged


def test_round_trip_keeps_the_permission_keys():
    snap = parse_snapshot(SNAP)
    again = parse_snapshot(dump_snapshot(snap))
    assert again == snap
    assert "ResourceControlPolicies" not in dump_snapshot(snap)


def test_a_directory_of_raw_outputs(tmp_path):
    (tmp_path / "iam.json").write_text(json.dumps({k: SNAP[k] for k in ("RoleDetailList", "Policies")}
                                                  | {"UserDetailList": [], "IsTruncated": False}))
    (tmp_path / "functions.json").write_text(json.dumps({"Functions": [{"FunctionName": "f"}]}))
    rs = load_snapshot(tmp_path, region="us-east-1").regions[0]
    assert [r.role_name for r in rs.role_detail_list] == ["app"]


@pytest.mark.parametrize("mutate,path", [
    (lambda s: s["BucketPolicies"][0].update(Policy="{not json"), "BucketPolicies[0].Policy"),
    (lambda s: s["FunctionPolicies"][0].update(Policy=json.dumps({"Statement": [{"Effect": "Maybe", "Action": "*"}]})),
     "FunctionPolicies[0].Policy.Statement[0].Effect"),
    (lambda s: s["ResourcePolicies"][0].update(Policy=json.dumps({"Statement": [{"Effect": "Allow"}]})),
     "ResourcePolicies[0].Policy.Statement[0]"),
])
def test_bad_policy_names_the_json_path(write_json, mutate, path):
    snap = json.loads(json.dumps(SNAP))
    mutate(snap)
    with pytest.raises(ReachInputError) as err:
        load_snapshot(write_json(snap))
    assert err.value.path == path


def test_parse_policy_accepts_the_three_spellings():
    for text in (DOC, json.dumps(DOC), quote(json.dumps(DOC))):
        assert parse_policy(text).statement[0].action == ["s3:GetObject"]
    with pytest.raises(ValueError):
        parse_policy("nope")
