"""Terraform IAM types -> RoleDetailList, Policies and FunctionPolicies: each type, unknowns, secrets."""
from __future__ import annotations

import json

import pytest

from reach import can_reach, load_snapshot, parse_snapshot
from reach.model import dump_snapshot
from reach.model.terraform import load_plan, synthetic_id
from reach.questions.invokers import invokers

from .conftest import SAMPLES, TF_CORPUS, needs_tf_corpus

BASE = SAMPLES / "permissions" / "snapshot.json"
ACCOUNT = "111122223333"
ORDERS = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"
VPC_ACCESS = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def doc(*statements: dict) -> str:
    """A policy document as `jsonencode` writes it into a plan."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, separators=(",", ":"))


def allow(*actions: str, resource: str = ORDERS, sid: str | None = None, effect: str = "Allow") -> dict:
    out = {"Effect": effect, "Action": list(actions), "Resource": resource}
    return {"Sid": sid, **out} if sid else out


def change(address: str, actions: list[str], before: dict | None, after: dict | None, *,
           unknown: dict | None = None, sensitive: dict | None = None) -> dict:
    rtype, name = address.split(".")[-2:]
    return {"address": address, "mode": "managed", "type": rtype, "name": name.split("[")[0],
            "change": {"actions": actions, "before": before, "after": after,
                       "after_unknown": unknown or {}, "after_sensitive": sensitive or {}}}


def resource(address: str, expressions: dict) -> dict:
    rtype, name = address.split(".")[-2:]
    mode = "data" if address.startswith("data.") else "managed"
    return {"address": address, "mode": mode, "type": rtype, "name": name, "expressions": expressions}


def state(address: str, values: dict, *, mode: str = "managed") -> dict:
    rtype, name = address.split(".")[-2:]
    return {"address": address, "mode": mode, "type": rtype, "name": name, "values": values}


def plan(*changes: dict, prior: list[dict] = (), config: list[dict] = ()) -> dict:
    caller = state("data.aws_caller_identity.current", {"account_id": ACCOUNT, "id": ACCOUNT}, mode="data")
    return {"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": list(changes),
            "prior_state": {"format_version": "1.0", "values": {"root_module": {
                "resources": [caller, *prior]}}},
            "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {
                "region": {"constant_value": "us-east-1"}}}},
                "root_module": {"resources": list(config)}}}


def ref(*references: str) -> dict:
    return {"references": list(references)}


def roles(snap) -> dict:
    return {r["RoleName"]: r for r in dump_snapshot(snap).get("RoleDetailList", [])}


def permission(snap, fn: str, target: str = "dynamodb:orders") -> dict:
    answer = can_reach(snap, fn, target)
    return {a.action: a.verdict.value for a in answer.permission.actions}


# --- aws_iam_role ---

NEW_ROLE = {"name": "exporter-role", "path": "/service-role/", "assume_role_policy": json.dumps(TRUST),
            "permissions_boundary": None, "tags": {"team": "data"}}
NEW_ROLE_UNKNOWN = {"arn": True, "id": True, "unique_id": True, "inline_policy": True,
                    "managed_policy_arns": True}


def test_a_new_role_gets_the_arn_iam_would_give_it_and_no_policies_yet():
    """inline_policy and managed_policy_arns unknown and not configured: a new role has none."""
    snap = load_plan(plan(change("aws_iam_role.exporter", ["create"], None, NEW_ROLE, unknown=NEW_ROLE_UNKNOWN)))
    role = roles(snap)["exporter-role"]
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/service-role/exporter-role"
    assert role["RolePolicyList"] == [] and role["AttachedManagedPolicies"] == []
    assert snap.regions[0].account_id == ACCOUNT  # from data.aws_caller_identity
    assert [c.action for c in snap.terraform.changes if c.key == "RoleDetailList"] == ["create"]


def test_inline_policy_blocks_and_managed_policy_arns_are_the_roles_policies():
    after = {**NEW_ROLE, "inline_policy": [{"name": "orders", "policy": doc(allow("dynamodb:PutItem"))}],
             "managed_policy_arns": [VPC_ACCESS]}
    snap = load_plan(plan(change("aws_iam_role.r", ["create"], None, after, unknown={"arn": True, "id": True})))
    role = roles(snap)["exporter-role"]
    assert [p["PolicyName"] for p in role["RolePolicyList"]] == ["orders"]
    assert role["RolePolicyList"][0]["PolicyDocument"]["Statement"][0]["Action"] == ["dynamodb:PutItem"]
    assert role["AttachedManagedPolicies"] == [{"PolicyArn": VPC_ACCESS,
                                                "PolicyName": "AWSLambdaVPCAccessExecutionRole"}]


def test_a_role_known_only_by_its_address_gets_a_synthetic_name():
    after = {k: v for k, v in NEW_ROLE.items() if k != "name"}
    snap = load_plan(plan(change("aws_iam_role.anon", ["create"], None, after,
                                 unknown={**NEW_ROLE_UNKNOWN, "name": True})))
    name = synthetic_id("aws_iam_role.anon", "role")
    assert roles(snap)[name]["Arn"].endswith(f":role/service-role/{name}")
    assert snap.terraform.address_of(name) == "aws_iam_role.anon"


def test_an_unknown_configured_inline_policy_is_judged_unknown_never_allowed():
    """`inline_policy` set from a value known only after apply: the role's permission is unknown."""
    fn = {"function_name": "writer", "role": f"arn:aws:iam::{ACCOUNT}:role/service-role/writer-role",
          "vpc_config": [{"subnet_ids": ["subnet-0a1b2c3d4e5f60a11"], "security_group_ids": ["sg-0e1f2a3b4c5d6e731"]}]}
    role = {**NEW_ROLE, "name": "writer-role", "arn": fn["role"], "managed_policy_arns": [VPC_ACCESS]}
    p = plan(change("aws_iam_role.writer", ["update"], role, role, unknown={"inline_policy": True}),
             config=[resource("aws_iam_role.writer", {"inline_policy": [{"policy": ref("aws_s3_bucket.x.arn")}]})])
    snap = load_plan(p, base=load_snapshot(BASE))
    assert permission(snap, "writer") == {"dynamodb:GetItem": "unknown", "dynamodb:PutItem": "unknown"}
    assert any(n.get("attribute") == "aws_iam_role.writer.inline_policy" for n in snap.terraform.notes())


# --- aws_iam_role_policy ---

def _writer_policy(before: str | None, after: str | None, *, unknown: dict | None = None,
                   prior: list[dict] = (), config: list[dict] = (), sensitive: dict | None = None) -> dict:
    values = {"id": "writer-role:orders-read", "name": "orders-read", "role": "writer-role"}
    present = after is not None or bool(unknown)
    actions = ["update"] if before and present else ["create"] if present else ["delete"]
    return plan(change("aws_iam_role_policy.writer", actions,
                       {**values, "policy": before} if before else None,
                       {**values, "policy": after} if present else None,
                       unknown=unknown, sensitive=sensitive), prior=prior, config=config)


READ = allow("dynamodb:GetItem", "dynamodb:Query", sid="ReadOrders")


def test_a_statement_added_to_an_inline_policy_grants_and_patches_the_base_role():
    base = load_snapshot(BASE)
    assert permission(base, "writer")["dynamodb:PutItem"] == "denied"
    snap = load_plan(_writer_policy(doc(READ), doc(READ, allow("dynamodb:PutItem", sid="Write"))), base=base)
    assert permission(snap, "writer") == {"dynamodb:GetItem": "allowed", "dynamodb:PutItem": "allowed"}
    role = roles(snap)["writer-role"]
    assert [p["PolicyName"] for p in role["RolePolicyList"]] == ["orders-read"]  # replaced, not doubled
    assert role["AttachedManagedPolicies"] == roles(base)["writer-role"]["AttachedManagedPolicies"]
    [c] = [c for c in snap.terraform.changes if c.key == "RoleDetailList"]
    assert (c.id, c.addresses) == (role["Arn"], ("aws_iam_role_policy.writer",))


def test_roles_held_in_another_regions_lists_are_patched_there():
    """The collector writes account-wide IAM keys once, in one Region's lists (contract §1.2)."""
    raw = json.loads(BASE.read_text())
    account_wide = {k: raw.pop(k) for k in ("RoleDetailList", "Policies", "ServiceControlPolicies",
                                            "ResourceControlPolicies")}
    regional = {k: v for k, v in raw.items() if k not in ("SnapshotVersion", "AccountId", "Region")}
    base = parse_snapshot({"SnapshotVersion": 1, "Accounts": [{"AccountId": ACCOUNT, "Regions": {
        "eu-west-1": account_wide, "us-east-1": regional}}]})
    snap = load_plan(_writer_policy(doc(READ), doc(READ, allow("dynamodb:PutItem", sid="Write"))), base=base)
    assert permission(snap, "writer") == {"dynamodb:GetItem": "allowed", "dynamodb:PutItem": "allowed"}
    held = {rs.region: [r.role_name for r in rs.role_detail_list] for rs in snap.regions}
    assert held["us-east-1"] == [] and "writer-role" in held["eu-west-1"]
    [c] = [c for c in snap.terraform.changes if c.key == "RoleDetailList"]
    assert c.id == f"arn:aws:iam::{ACCOUNT}:role/service-role/writer-role"


def test_a_deleted_inline_policy_leaves_the_base_role():
    snap = load_plan(_writer_policy(doc(READ), None), base=load_snapshot(BASE))
    assert roles(snap)["writer-role"]["RolePolicyList"] == []
    assert permission(snap, "writer") == {"dynamodb:GetItem": "denied", "dynamodb:PutItem": "denied"}


def test_a_policy_from_a_data_source_in_prior_state_is_read():
    """`policy = data.aws_iam_policy_document.x.json`, the data source read while planning."""
    data = state("data.aws_iam_policy_document.orders", {
        "json": doc(READ, allow("dynamodb:PutItem")), "statement": []}, mode="data")
    p = _writer_policy(doc(READ), None, unknown={"policy": True}, prior=[data],
                       config=[resource("aws_iam_role_policy.writer",
                                        {"policy": ref("data.aws_iam_policy_document.orders.json",
                                                       "data.aws_iam_policy_document.orders")})])
    snap = load_plan(p, base=load_snapshot(BASE))
    assert permission(snap, "writer")["dynamodb:PutItem"] == "allowed"


def _statement_block(**values) -> dict:
    block = {"sid": "", "effect": "Allow", "actions": [], "not_actions": [], "resources": [],
             "not_resources": [], "principals": [], "not_principals": [], "condition": []}
    return {**block, **values}


def test_a_data_source_without_json_is_built_from_its_statement_blocks():
    """The `statement` blocks, source documents first and overrides last, by sid (provider docs)."""
    data = state("data.aws_iam_policy_document.orders", {
        "json": "", "version": "2012-10-17",
        "source_policy_documents": [doc(allow("dynamodb:GetItem", sid="Read"),
                                        allow("dynamodb:DeleteItem", sid="Gone"))],
        "override_policy_documents": [doc(allow("dynamodb:DeleteItem", sid="Gone", effect="Deny"))],
        "statement": [_statement_block(sid="Write", actions=["dynamodb:PutItem"], resources=[ORDERS],
                                       condition=[{"test": "StringEquals", "variable": "aws:RequestedRegion",
                                                   "values": ["us-east-1"]}])]}, mode="data")
    p = _writer_policy(doc(READ), None, unknown={"policy": True}, prior=[data],
                       config=[resource("aws_iam_role_policy.writer",
                                        {"policy": ref("data.aws_iam_policy_document.orders.json")})])
    snap = load_plan(p, base=load_snapshot(BASE))
    [inline] = roles(snap)["writer-role"]["RolePolicyList"]
    stmts = {s.get("Sid"): s for s in inline["PolicyDocument"]["Statement"]}
    assert list(stmts) == ["Read", "Gone", "Write"] and stmts["Gone"]["Effect"] == "Deny"
    assert stmts["Write"]["Condition"] == {"StringEquals": {"aws:RequestedRegion": ["us-east-1"]}}
    assert permission(snap, "writer", "dynamodb:orders") == {"dynamodb:GetItem": "allowed",
                                                              "dynamodb:PutItem": "allowed"}


def test_a_deferred_data_source_with_an_unknown_resource_leaves_the_policy_unknown():
    """A statement naming a table created by the same plan: its shape after `jsonencode` or the
    data source is not in the plan, so the permission is unknown, never guessed."""
    read = {"address": "data.aws_iam_policy_document.orders", "mode": "data",
            "type": "aws_iam_policy_document", "name": "orders",
            "change": {"actions": ["read"], "before": None,
                       "after": {"statement": [_statement_block(actions=["dynamodb:PutItem"])]},
                       "after_unknown": {"json": True, "statement": [{"resources": True}]}}}
    p = _writer_policy(doc(READ), None, unknown={"policy": True},
                       config=[resource("aws_iam_role_policy.writer",
                                        {"policy": ref("data.aws_iam_policy_document.orders.json")})])
    p["resource_changes"].append(read)
    snap = load_plan(p, base=load_snapshot(BASE))
    assert permission(snap, "writer") == {"dynamodb:GetItem": "unknown", "dynamodb:PutItem": "unknown"}
    assert "aws_iam_role_policy.writer.policy" in snap.terraform.unknown.values()


def test_jsonencode_of_unknown_values_is_unknown_not_the_referenced_object():
    """`jsonencode({... Resource = aws_dynamodb_table.t.arn})`: the reference is not the policy."""
    p = _writer_policy(doc(READ), None, unknown={"policy": True},
                       config=[resource("aws_iam_role_policy.writer", {"policy": ref("aws_dynamodb_table.t.arn")})])
    p["resource_changes"].append(change("aws_dynamodb_table.t", ["create"], None, {"name": "t"},
                                        unknown={"arn": True}))
    snap = load_plan(p, base=load_snapshot(BASE))
    assert permission(snap, "writer")["dynamodb:PutItem"] == "unknown"
    [put] = [a for a in can_reach(snap, "writer", "dynamodb:orders").permission.actions
             if a.action == "dynamodb:PutItem"]
    assert [(u.policy, u.reason) for u in put.unknowns] == [("writer-role/orders-read", "missing")]
    assert "(aws_iam_role_policy.writer.policy)" in put.unknowns[0].detail


def test_a_sensitive_policy_is_never_read_nor_written():
    secret_doc = doc(READ, allow("dynamodb:PutItem", sid="TopSecretGrant"))
    snap = load_plan(_writer_policy(doc(READ), secret_doc, sensitive={"policy": True}),
                     base=load_snapshot(BASE))
    assert "TopSecretGrant" not in json.dumps(dump_snapshot(snap))
    assert permission(snap, "writer")["dynamodb:PutItem"] == "unknown"


def test_a_deleted_inline_policy_leaves_a_role_the_plan_also_shows():
    """A no-op role still lists, before apply, the inline policy the plan deletes."""
    role = {"name": "r", "arn": f"arn:aws:iam::{ACCOUNT}:role/r", "path": "/",
            "inline_policy": [{"name": "p", "policy": doc(allow("dynamodb:PutItem"))}],
            "managed_policy_arns": [VPC_ACCESS]}
    attached = {"id": "r-1", "role": "r", "policy_arn": VPC_ACCESS}
    p = plan(change("aws_iam_role.r", ["no-op"], role, role),
             change("aws_iam_role_policy.p", ["delete"], {"id": "r:p", "name": "p", "role": "r",
                                                          "policy": doc(allow("dynamodb:PutItem"))}, None),
             change("aws_iam_role_policy_attachment.a", ["delete"], attached, None))
    after = roles(load_plan(p))["r"]
    assert after["RolePolicyList"] == [] and after["AttachedManagedPolicies"] == []


# --- attachments and managed policies ---

def test_a_new_managed_policy_attached_to_a_new_role_is_judged_by_its_document():
    p = plan(change("aws_iam_role.r", ["create"], None, NEW_ROLE, unknown=NEW_ROLE_UNKNOWN),
             change("aws_iam_policy.orders", ["create"], None,
                    {"name": "orders-write", "path": "/", "policy": doc(allow("dynamodb:PutItem"))},
                    unknown={"arn": True, "id": True, "policy_id": True}),
             change("aws_iam_role_policy_attachment.a", ["create"], None, {},
                    unknown={"id": True, "role": True, "policy_arn": True}),
             config=[resource("aws_iam_role_policy_attachment.a",
                              {"role": ref("aws_iam_role.r.name", "aws_iam_role.r"),
                               "policy_arn": ref("aws_iam_policy.orders.arn", "aws_iam_policy.orders")})])
    snap = load_plan(p)
    arn = f"arn:aws:iam::{ACCOUNT}:policy/orders-write"
    assert roles(snap)["exporter-role"]["AttachedManagedPolicies"] == [{"PolicyArn": arn, "PolicyName": "orders-write"}]
    [policy] = dump_snapshot(snap)["Policies"]
    assert policy["Arn"] == arn and policy["PolicyVersionList"][0]["IsDefaultVersion"]
    assert policy["PolicyVersionList"][0]["Document"]["Statement"][0]["Action"] == ["dynamodb:PutItem"]


def test_an_attachment_to_a_base_role_and_an_update_of_a_base_policy():
    base = load_snapshot(BASE)
    quiet_policy = {"name": "q", "policy": doc(allow("logs:CreateLogStream", "logs:PutLogEvents",
                                                     resource="*"))}
    p = plan(change("aws_iam_policy.q", ["create"], None, quiet_policy, unknown={"arn": True, "id": True}),
             change("aws_iam_role_policy_attachment.q", ["create"], None, {"role": "quiet-role"},
                    unknown={"id": True, "policy_arn": True}),
             config=[resource("aws_iam_role_policy_attachment.q",
                              {"policy_arn": ref("aws_iam_policy.q.arn", "aws_iam_policy.q")})])
    assert can_reach(base, "quiet", "logs").permission.verdict.value == "denied"
    snap = load_plan(p, base=base)
    got = {a.action: a.verdict.value for a in can_reach(snap, "quiet", "logs").permission.actions}
    assert got["logs:CreateLogStream"] == got["logs:PutLogEvents"] == "allowed"


def test_an_exclusive_policy_attachment_detaches_the_policy_from_unlisted_roles():
    p = plan(change("aws_iam_policy_attachment.vpc", ["create"], None,
                    {"name": "vpc", "policy_arn": VPC_ACCESS, "roles": ["writer-role"], "users": None,
                     "groups": None}, unknown={"id": True}))
    snap = load_plan(p, base=load_snapshot(BASE))
    have = {n for n, r in roles(snap).items()
            if any(a["PolicyArn"] == VPC_ACCESS for a in r["AttachedManagedPolicies"])}
    assert have == {"writer-role"}
    assert "reporter-role" in roles(load_snapshot(BASE)) and VPC_ACCESS in json.dumps(
        roles(load_snapshot(BASE))["reporter-role"])


def test_exclusive_role_resources_remove_what_they_do_not_list():
    """aws_iam_role_policies_exclusive and _policy_attachments_exclusive (AWS provider 5.x)."""
    p = plan(change("aws_iam_role_policies_exclusive.bare", ["create"], None,
                    {"role_name": "bare-role", "policy_names": []}),
             change("aws_iam_role_policy_attachments_exclusive.writer", ["create"], None,
                    {"role_name": "writer-role", "policy_arns": []}))
    base = load_snapshot(BASE)
    assert permission(base, "enis-less")["dynamodb:PutItem"] == "allowed"
    snap = load_plan(p, base=base)
    assert roles(snap)["bare-role"]["RolePolicyList"] == []
    assert permission(snap, "enis-less")["dynamodb:PutItem"] == "denied"
    assert roles(snap)["writer-role"]["AttachedManagedPolicies"] == []
    assert roles(snap)["writer-role"]["RolePolicyList"] == roles(base)["writer-role"]["RolePolicyList"]


def test_an_attachment_whose_policy_arn_stays_unknown_makes_the_permission_unknown():
    p = plan(change("aws_iam_role_policy_attachment.x", ["create"], None, {"role": "writer-role"},
                    unknown={"id": True, "policy_arn": True}))
    snap = load_plan(p, base=load_snapshot(BASE))
    assert permission(snap, "writer")["dynamodb:PutItem"] == "unknown"


def test_a_permissions_boundary_from_a_new_policy_bounds_the_role():
    """A boundary that allows only GetItem: PutItem is denied though the inline policy allows it."""
    role = {**NEW_ROLE, "inline_policy": [{"name": "all", "policy": doc(allow("dynamodb:*"))}]}
    fn = {"function_name": "bounded", "role": None}
    p = plan(change("aws_iam_policy.boundary", ["create"], None,
                    {"name": "boundary", "path": "/", "policy": doc(allow("dynamodb:GetItem", resource="*"))},
                    unknown={"arn": True, "id": True}),
             change("aws_iam_role.r", ["create"], None, role,
                    unknown={"arn": True, "id": True, "permissions_boundary": True}),
             change("aws_lambda_function.bounded", ["create"], None, fn, unknown={"role": True, "arn": True}),
             config=[resource("aws_iam_role.r", {"permissions_boundary": ref("aws_iam_policy.boundary.arn")}),
                     resource("aws_lambda_function.bounded", {"role": ref("aws_iam_role.r.arn")})])
    snap = load_plan(p, base=load_snapshot(BASE))
    boundary = roles(snap)["exporter-role"]["PermissionsBoundary"]["PermissionsBoundaryArn"]
    assert boundary == f"arn:aws:iam::{ACCOUNT}:policy/boundary"
    assert permission(snap, "bounded") == {"dynamodb:GetItem": "allowed", "dynamodb:PutItem": "denied"}


def test_a_data_source_policy_is_read_when_the_plan_stands_alone():
    arn = f"arn:aws:iam::{ACCOUNT}:policy/shared-writes"
    data = state("data.aws_iam_policy.shared", {"arn": arn, "name": "shared-writes", "path": "/",
                                                "policy": doc(allow("dynamodb:PutItem"))}, mode="data")
    p = plan(change("aws_iam_role.r", ["create"], None, {**NEW_ROLE, "managed_policy_arns": [arn]},
                    unknown={"arn": True, "id": True}), prior=[data])
    snap = load_plan(p)
    [policy] = snap.regions[0].policies
    assert policy.arn == arn and policy.document.statement[0].action == ["dynamodb:PutItem"]
    assert roles(snap)["exporter-role"]["AttachedManagedPolicies"][0]["PolicyArn"] == arn


# --- the function's role ---

def test_a_functions_role_known_only_after_apply_is_the_role_the_plan_builds():
    fn = {"function_name": "exporter", "vpc_config": [{"subnet_ids": ["subnet-0a1b2c3d4e5f60a11"],
                                                       "security_group_ids": ["sg-0e1f2a3b4c5d6e731"]}]}
    p = plan(change("aws_iam_role.r", ["create"], None, NEW_ROLE, unknown=NEW_ROLE_UNKNOWN),
             change("aws_iam_role_policy.w", ["create"], None,
                    {"name": "w", "policy": doc(allow("dynamodb:GetItem", "dynamodb:PutItem"))},
                    unknown={"id": True, "role": True}),
             change("aws_lambda_function.exporter", ["create"], None, fn,
                    unknown={"arn": True, "id": True, "role": True, "vpc_config": [{"vpc_id": True}]}),
             config=[resource("aws_lambda_function.exporter", {"role": ref("aws_iam_role.r.arn", "aws_iam_role.r")}),
                     resource("aws_iam_role_policy.w", {"role": ref("aws_iam_role.r.id", "aws_iam_role.r")})])
    snap = load_plan(p, base=load_snapshot(BASE))
    [exporter] = [f for f in snap.regions[0].functions if f.function_name == "exporter"]
    assert exporter.role == roles(snap)["exporter-role"]["Arn"]
    assert exporter.function_arn == f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:exporter"
    assert permission(snap, "exporter") == {"dynamodb:GetItem": "allowed", "dynamodb:PutItem": "allowed"}


# --- aws_lambda_permission ---

def _permission(name: str, actions: list[str], values: dict | None, **kw) -> dict:
    base = {"action": "lambda:InvokeFunction", "function_name": "public-hook", "qualifier": "",
            "statement_id": name, "source_arn": None, "source_account": None, "principal_org_id": None,
            "event_source_token": None, "function_url_auth_type": None}
    return change(f"aws_lambda_permission.{name.replace('-', '_')}", actions,
                  {**base, **values} if "delete" in actions else None,
                  None if "delete" in actions else {**base, **values}, **kw)


def test_lambda_permissions_become_the_functions_policy_statements():
    p = plan(_permission("ops-account", ["delete"], {"principal": "444455556666"}),
             _permission("nightly", ["create"], {"principal": "events.amazonaws.com",
                                                  "source_account": ACCOUNT}, unknown={"source_arn": True}),
             _permission("partner", ["create"], {"principal": "777788889999", "qualifier": "live"}),
             _permission("org", ["create"], {"principal": "*", "principal_org_id": "o-abc123",
                                              "function_name": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:writer"}),
             _permission("alexa", ["create"], {"principal": "alexa-appkit.amazon.com",
                                                "function_name": "writer", "event_source_token": "amzn1-tok"}))
    snap = load_plan(p, base=load_snapshot(BASE))
    hook = invokers(snap, "public-hook")
    by_sid = {i.sid: i for i in hook.invokers}
    assert "ops-account" not in by_sid and {"FunctionURLAllowPublicAccess", "sns-alerts", "nightly"} <= set(by_sid)
    nightly = by_sid["nightly"]
    assert (nightly.kind, nightly.principal) == ("service", "events.amazonaws.com")
    assert nightly.conditions["StringEquals"] == {"AWS:SourceAccount": [ACCOUNT]}
    assert nightly.conditions["ArnLike"]["AWS:SourceArn"][0].startswith("known-after-apply:")
    policies = {(f["FunctionName"], f.get("Qualifier")): f for f in dump_snapshot(snap)["FunctionPolicies"]}
    [partner] = policies[("public-hook", "live")]["Policy"]["Statement"]
    assert partner["Principal"] == {"AWS": ["arn:aws:iam::777788889999:root"]}
    assert partner["Resource"] == [f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:public-hook:live"]
    writer = {s["Sid"]: s for s in policies[("writer", None)]["Policy"]["Statement"]}
    assert writer["org"]["Principal"] == {"*": ["*"]}
    assert writer["org"]["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": ["o-abc123"]}}
    assert "amzn1-tok" not in json.dumps(dump_snapshot(snap))  # the token is a secret
    writer_invokers = {i.sid: i for i in invokers(snap, "writer").invokers}
    assert writer_invokers["org"].public is False  # narrowed to one organisation


@needs_tf_corpus
def test_corpus_lambda_permission_and_role_policy_from_prior_state():
    """tc-lambda-vpc-unknown-sg: a new permission on a new function, and a role whose inline
    policy comes from a data source in prior_state (its values blanked by the fixture's authors)."""
    snap = load_plan(TF_CORPUS / "tc-lambda-vpc-unknown-sg.json")
    data = dump_snapshot(snap)
    [fp] = data["FunctionPolicies"]
    assert fp["FunctionName"] == "metrics-lambda-primary-lambda"
    [stmt] = fp["Policy"]["Statement"]
    assert stmt["Principal"] == {"Service": ["events.amazonaws.com"]}
    [role] = data["RoleDetailList"]
    assert {p["PolicyName"] for p in role["RolePolicyList"]} == {"terraform-20210620041517969300000003"}


@pytest.mark.parametrize("name", ["tc-lambda-vpc-in-module.json", "infracost-rds-modules-plan.json"])
@needs_tf_corpus
def test_corpus_roles_keep_their_names_and_attachments(name):
    raw = json.loads((TF_CORPUS / name).read_text())
    want = {rc["change"]["after"]["name"] for rc in raw["resource_changes"]
            if rc["type"] == "aws_iam_role" and rc["change"]["after"]}
    assert set(roles(load_plan(TF_CORPUS / name))) == want
