"""Every corpus plan and the state load; each resource kind is counted against the raw JSON."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from reach.model import dump_snapshot
from reach.model.terraform import MANAGED, load_plan

from .conftest import TF_CORPUS, needs_tf_corpus, terraform_files

FILES = terraform_files()
pytestmark = needs_tf_corpus


def raw_instances(data: dict, *, deleted: bool = False) -> list[tuple[str, str, dict]]:
    """(mode, type, values) of every instance after apply, read with the json module only."""
    out: list[tuple[str, str, dict]] = []
    seen: set[str] = set()
    for rc in data.get("resource_changes", []):
        actions = rc["change"]["actions"]
        if rc["mode"] == "managed" and (deleted or actions != ["delete"]):
            out.append(("managed", rc["type"], rc["change"]["after"] or {}))
        seen.add(rc["address"])

    def walk(module: dict) -> None:
        for r in module.get("resources", []):
            full = r["address"] if r["address"].startswith("module.") or not module.get("address") \
                else f"{module['address']}.{r['address']}"
            if full not in seen:
                out.append((r["mode"], r["type"], r.get("values") or {}))
        for child in module.get("child_modules", []):
            walk(child)
    state = data.get("prior_state", {}).get("values") or data.get("values") or {}
    walk(state.get("root_module", {}))
    return out


# An AWS id names one object: two instances with the same known id (the default VPC seen by two
# modules, two RDS instances asking for one identifier) are one object in the snapshot.
_NAMED_BY = {"aws_vpc": "id", "aws_default_vpc": "id", "aws_db_instance": "identifier",
             "aws_iam_role": "name"}


def expected_counts(data: dict) -> Counter:
    """What the snapshot must hold, by the AWS rules of what each Terraform type creates."""
    n: Counter = Counter()
    seen: set[tuple[str, str]] = set()
    function_policies: set[tuple] = set()
    for mode, rtype, values in raw_instances(data):
        name = values.get(_NAMED_BY.get(rtype, ""))
        kind = "vpc" if "vpc" in rtype else rtype
        if name and (kind, name) in seen:
            continue
        if name:
            seen.add((kind, name))
        if mode == "data":
            n["Vpcs"] += rtype == "aws_vpc"
            n["Subnets"] += rtype == "aws_subnet"
            n["Policies"] += rtype == "aws_iam_policy"
            continue
        if rtype in ("aws_vpc", "aws_default_vpc"):
            # AWS creates a main route table, a default NACL and a default SG with every VPC.
            n.update(["Vpcs", "RouteTables", "NetworkAcls", "SecurityGroups"])
        n["Subnets"] += rtype == "aws_subnet"
        n["RouteTables"] += rtype == "aws_route_table"
        n["InternetGateways"] += rtype == "aws_internet_gateway"
        n["NatGateways"] += rtype == "aws_nat_gateway"
        n["SecurityGroups"] += rtype == "aws_security_group"
        n["NetworkAcls"] += rtype == "aws_network_acl"
        n["Functions"] += rtype == "aws_lambda_function"
        n["DBInstances"] += rtype in ("aws_db_instance", "aws_rds_cluster_instance")
        n["DBClusters"] += rtype == "aws_rds_cluster"
        n["routes"] += rtype == "aws_route"
        n["routes"] += len(values.get("route") or []) if rtype == "aws_route_table" else 0
        n["associations"] += rtype == "aws_route_table_association"
        n["sg_rules"] += rtype == "aws_security_group_rule"
        if rtype == "aws_security_group":
            n["sg_rules"] += len(values.get("ingress") or []) + len(values.get("egress") or [])
        # IAM: a role per name, a policy each, one resource policy per function (and qualifier).
        n["RoleDetailList"] += rtype == "aws_iam_role"
        n["Policies"] += rtype == "aws_iam_policy"
        if rtype == "aws_lambda_permission" and values:  # a no-op with no values is not there
            function_policies.add((values.get("function_name"), values.get("qualifier")))
    n["FunctionPolicies"] = len(function_policies)
    return +n


def actual_counts(snapshot) -> Counter:
    d = dump_snapshot(snapshot)
    n = Counter({k: len(v) for k, v in d.items() if isinstance(v, list) and v})
    tables = d.get("RouteTables", [])
    n["routes"] = sum(1 for t in tables for r in t.get("Routes", []) if r.get("GatewayId") != "local")
    n["associations"] = sum(1 for t in tables for a in t.get("Associations", []) if not a.get("Main"))
    defaults = {g["GroupId"] for g in d.get("SecurityGroups", []) if g.get("GroupName") == "default"}
    n["sg_rules"] = sum(len(g.get("IpPermissions", [])) + len(g.get("IpPermissionsEgress", []))
                        for g in d.get("SecurityGroups", []) if g["GroupId"] not in defaults)
    return +n


def test_the_corpus_is_there():
    assert TF_CORPUS.is_dir(), f"{TF_CORPUS} is missing: the Terraform corpus sits beside the project"
    assert len(FILES) == 11  # ten plans and one state
    assert sum(1 for f in FILES if "values" in json.loads(f.read_text())) == 1


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_every_kind_is_counted_as_the_raw_json_says(path):
    data = json.loads(path.read_text())
    snapshot = load_plan(path)
    assert actual_counts(snapshot) == expected_counts(data)
    assert snapshot.terraform.format_version == data["format_version"]


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_types_reach_does_not_read_are_listed_once(path):
    data = json.loads(path.read_text())
    snapshot = load_plan(path)
    raw = Counter(t for mode, t, _ in raw_instances(data, deleted=True) if mode == "managed" and t not in MANAGED)
    assert snapshot.terraform.unread == dict(raw)
    notes = [n["type"] for n in snapshot.terraform.notes() if n["code"] == "TERRAFORM_TYPE_NOT_READ"]
    assert sorted(notes) == sorted(raw) and len(notes) == len(set(notes))


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_every_plan_audits(path):
    from reach.questions.audit import audit
    snapshot = load_plan(path)
    report = audit(snapshot)
    names = {fn["FunctionName"] for fn in dump_snapshot(snapshot).get("Functions", [])}
    assert {r.source["function"] for r in report.results} == names


def test_sensitive_values_never_reach_the_snapshot():
    """snyk-rds-sensitive marks the password in after_sensitive; the infracost files carry one too."""
    for name, secret in (("snyk-rds-sensitive.json", "foobarbaz"),
                         ("infracost-rds-modules-plan.json", "YourPwdShouldBeLongAndSecure!"),
                         ("infracost-rds-modules-state.json", "YourPwdShouldBeLongAndSecure!")):
        assert secret in (TF_CORPUS / name).read_text()
        text = json.dumps(dump_snapshot(load_plan(TF_CORPUS / name)))
        assert secret not in text, name


def test_lambda_environment_is_never_read():
    path = TF_CORPUS / "tc-lambda-vpc-unknown-sg.json"
    assert "RDS_INFO_SSM_PATH" in path.read_text()
    assert "RDS_INFO_SSM_PATH" not in json.dumps(dump_snapshot(load_plan(path)))
