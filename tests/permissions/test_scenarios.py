"""Scenario table: AWS's documented evaluation examples, each with the verdict and the deciding statement.

Sources: IAM User Guide "Policy evaluation logic" pages (docs/semantics.md, Permissions P1 to P9)."""
from __future__ import annotations

import pytest

from reach.permissions import PolicyKind, Verdict, decide

from .build import (ACCOUNT, OTHER, ROLE, SESSION, TABLE, allow, deny, gates, policy, request)

ID = "app/inline"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/boundary"
VPCE = "vpce-0a1b2c3d"
BUCKET_OBJECTS = "arn:aws:s3:::photos/"
ANY = {"Principal": "*"}


def endpoint(*statements):
    return policy(VPCE, *statements, kind=PolicyKind.ENDPOINT)


def table_policy(*statements):
    return [policy(TABLE, *statements, kind=PolicyKind.RESOURCE)]


def scp(*levels):
    return [[policy(f"p-{i}", *stmts, kind=PolicyKind.SCP, level=f"level-{i}")] for i, stmts in enumerate(levels)]


# (name, gates, request, verdict, deciding (policy, sid) or None, implicit-deny gate or None)
CASES = [
    ("identity allows (P2)", gates([policy(ID, allow(Sid="Put"))]), request(),
     Verdict.ALLOWED, (ID, "Put"), None),
    ("no statement allows: implicit deny (P2)", gates([policy(ID, allow("dynamodb:GetItem"))]),
     request(), Verdict.DENIED, None, ROLE),
    ("explicit deny overrides allow (P1)",
     gates([policy(ID, allow(Sid="A"), deny(Sid="D"))]), request(), Verdict.DENIED, (ID, "D"), None),
    ("deny in a table policy overrides the role's allow (P1)",
     gates([policy(ID, allow())], resource=table_policy(deny(Sid="NoWrite", **ANY))),
     request(), Verdict.DENIED, (TABLE, "NoWrite"), None),
    ("same-account table policy naming the role grants without identity allow (P3)",
     gates([], resource=table_policy(allow(Sid="Role", Principal={"AWS": ROLE}))),
     request(), Verdict.ALLOWED, (TABLE, "Role"), None),
    ("same-account resource policy naming the account delegates to IAM (P3)",
     gates([], resource=table_policy(allow(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}))),
     request(), Verdict.DENIED, None, ROLE),
    ("boundary without the action: implicit deny though identity allows (P2)",
     gates([policy(ID, allow())], boundary=policy(BOUNDARY, allow("s3:*", "*"), kind=PolicyKind.BOUNDARY)),
     request(), Verdict.DENIED, None, BOUNDARY),
    ("boundary limits a resource policy naming the role ARN (P3)",
     gates([], boundary=policy(BOUNDARY, allow("s3:*", "*"), kind=PolicyKind.BOUNDARY),
           resource=table_policy(allow(Principal={"AWS": ROLE}))),
     request(), Verdict.DENIED, None, BOUNDARY),
    ("a resource policy naming the role session is not limited by the boundary (P3)",
     gates([], boundary=policy(BOUNDARY, allow("s3:*", "*"), kind=PolicyKind.BOUNDARY),
           resource=table_policy(allow(Sid="S", Principal={"AWS": SESSION}))),
     request(), Verdict.ALLOWED, (TABLE, "S"), None),
    ("cross-account: identity allows but the resource policy does not (P3)",
     gates([policy(ID, allow())], resource=[], resource_name=TABLE), request(account=OTHER), Verdict.DENIED, None, TABLE),
    ("cross-account: both allow (P3)",
     gates([policy(ID, allow(Sid="I"))], resource=table_policy(allow(Principal={"AWS": ROLE}))),
     request(account=OTHER), Verdict.ALLOWED, (ID, "I"), None),
    ("an SCP level without an allow denies (P4)",
     gates([policy(ID, allow())], scp_levels=scp([allow("*", "*")], [allow("s3:*", "*")])),
     request(), Verdict.DENIED, None, "level-1"),
    ("SCPs at every level allow (P4)",
     gates([policy(ID, allow(Sid="I"))], scp_levels=scp([allow("*", "*")], [allow("dynamodb:*", "*")])),
     request(), Verdict.ALLOWED, (ID, "I"), None),
    ("endpoint policy allowing another table only (P6)",
     gates([policy(ID, allow())], endpoint=endpoint(allow(resource=TABLE.replace("orders", "audit"), **ANY))),
     request(endpoint=VPCE), Verdict.DENIED, None, VPCE),
    ("default endpoint policy allows (P6)",
     gates([policy(ID, allow(Sid="I"))], endpoint=endpoint({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})),
     request(endpoint=VPCE), Verdict.ALLOWED, (ID, "I"), None),
    ("table policy denying requests not through a given endpoint (aws:SourceVpce)",
     gates([policy(ID, allow())], resource=table_policy(
         deny(Sid="OnlyVpce", Condition={"StringNotEquals": {"aws:SourceVpce": VPCE}}, **ANY))),
     request(), Verdict.DENIED, (TABLE, "OnlyVpce"), None),
    ("... and the same request through that endpoint is allowed",
     gates([policy(ID, allow(Sid="I"))], resource=table_policy(
         deny(Condition={"StringNotEquals": {"aws:SourceVpce": VPCE}}, **ANY))),
     request(endpoint=VPCE), Verdict.ALLOWED, (ID, "I"), None),
    ("a condition the snapshot cannot decide leaves an allow unknown",
     gates([policy(ID, allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "a"}}))]),
     request(), Verdict.UNKNOWN, None, None),
    ("... but an explicit deny still decides",
     gates([policy(ID, allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "a"}}), deny(Sid="D"))]),
     request(), Verdict.DENIED, (ID, "D"), None),
    ("a deny with an undecided condition makes an allow unknown",
     gates([policy(ID, allow(), deny(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))]),
     request(), Verdict.UNKNOWN, None, None),
    ("NotAction allows everything else",
     gates([policy(ID, {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*", "Sid": "N"})]),
     request(), Verdict.ALLOWED, (ID, "N"), None),
    ("NotResource deny does not touch this table",
     gates([policy(ID, allow(Sid="A"), {"Effect": "Deny", "Action": "*", "NotResource": TABLE})]),
     request(), Verdict.ALLOWED, (ID, "A"), None),
    ("action names match case-insensitively, resources case-sensitively",
     gates([policy(ID, allow("DynamoDB:putitem", TABLE.replace("orders", "Orders")))]),
     request(), Verdict.DENIED, None, ROLE),
    ("Deny with NotPrincipal always denies a principal with a boundary",
     gates([policy(ID, allow())], boundary=policy(BOUNDARY, allow(), kind=PolicyKind.BOUNDARY),
           resource=table_policy({"Effect": "Deny", "NotPrincipal": {"AWS": ROLE}, "Action": "*",
                                  "Resource": "*", "Sid": "NP"})),
     request(), Verdict.DENIED, (TABLE, "NP"), None),
    ("aws:SecureTransport false is never met by the SDK",
     gates([policy(ID, allow(Sid="A"))], resource=table_policy(
         deny(Condition={"Bool": {"aws:SecureTransport": "false"}}, **ANY))),
     request(), Verdict.ALLOWED, (ID, "A"), None),
    ("aws:RequestedRegion restricts to another region",
     gates([policy(ID, allow(Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}))]),
     request(), Verdict.DENIED, None, ROLE),
    ("S3 objects: a policy on every key allows",
     gates([policy(ID, allow("s3:GetObject", "arn:aws:s3:::photos/*", Sid="A"))]),
     request("s3:GetObject", BUCKET_OBJECTS, open=True), Verdict.ALLOWED, (ID, "A"), None),
    ("S3 objects: a policy on one prefix allows some keys only: unknown",
     gates([policy(ID, allow("s3:GetObject", "arn:aws:s3:::photos/public/*"))]),
     request("s3:GetObject", BUCKET_OBJECTS, open=True), Verdict.UNKNOWN, None, None),
    ("S3 objects: a policy on another bucket allows none",
     gates([policy(ID, allow("s3:GetObject", "arn:aws:s3:::other/*"))]),
     request("s3:GetObject", BUCKET_OBJECTS, open=True), Verdict.DENIED, None, ROLE),
    ("a missing managed policy leaves the answer unknown, never allowed",
     gates([policy(ID, allow()), __import__("reach.permissions", fromlist=["Policy"]).Policy(
         "arn:aws:iam::aws:policy/Missing", PolicyKind.IDENTITY, None, missing="not in Policies")]),
     request(), Verdict.UNKNOWN, None, None),
]


@pytest.mark.parametrize("name,g,req,verdict,decider,implicit", CASES, ids=[c[0] for c in CASES])
def test_scenario(name, g, req, verdict, decider, implicit):
    result = decide(req, g)
    assert result.verdict is verdict
    if decider:
        assert (decider[0], decider[1]) in {(d.policy, d.sid) for d in result.decided_by}
    if implicit:
        assert result.decided_by == []
        assert implicit in result.not_allowed_by


def test_denied_has_the_statement_to_add():
    result = decide(request(), gates([policy(ID, allow("dynamodb:GetItem"))]))
    fix, = result.fixes
    assert fix.kind is PolicyKind.IDENTITY and fix.policy == ROLE
    assert fix.statement == {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": TABLE}


def test_endpoint_fix_names_the_principal():
    g = gates([policy(ID, allow())], endpoint=endpoint(allow("dynamodb:GetItem", **ANY)))
    fix, = decide(request(endpoint=VPCE), g).fixes
    assert fix.policy == VPCE and fix.statement["Principal"] == {"AWS": ROLE}


def test_explicit_deny_fix_removes_the_statement():
    fix, = decide(request(), gates([policy(ID, allow(), deny(Sid="D"))])).fixes
    assert (fix.policy, fix.remove_sid, fix.statement) == (ID, "D", None)


def test_unknown_names_the_condition_key():
    g = gates([policy(ID, allow(Sid="T", Condition={"StringEquals": {"aws:PrincipalTag/team": "a"}}))])
    result = decide(request(), g)
    assert [(u.policy, u.sid, u.reason, u.detail) for u in result.unknowns] == [
        (ID, "T", "condition", "aws:PrincipalTag/team")]


def test_open_resources_under_wildcards():
    from reach.permissions.match import Resource, resource_matches
    logs = Resource("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:", open=True)
    assert resource_matches("*", logs) is True
    assert resource_matches("arn:aws:logs:*:*:*", logs) is True
    assert resource_matches("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:*", logs) is True
    assert resource_matches("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/g:*", logs) is False
    assert resource_matches("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:2024*", logs) is None
    assert resource_matches("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f", logs) is False
