"""CloudFormation templates: every corpus template loads, counted against the raw YAML; real questions."""
from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml
from typer.testing import CliRunner

from reach import can_reach
from reach.cli import app
from reach.errors import ReachInputError
from reach.model import dump_snapshot, parse_snapshot
from reach.model.cloudformation import load_template
from reach.model.terraform import synthetic_id

from .conftest import CF_CORPUS, needs_cf_corpus

pytestmark = needs_cf_corpus
TEMPLATES = sorted(CF_CORPUS.glob("*.yaml")) if CF_CORPUS.is_dir() else []


class _AnyTag(yaml.SafeLoader):
    """Plain YAML: every `!Tag` becomes its value, so types can be counted without reach's code."""


_AnyTag.add_multi_constructor("!", lambda loader, suffix, node: None)


def raw_types(path) -> Counter:
    return Counter(r["Type"] for r in yaml.load(path.read_text(), Loader=_AnyTag)["Resources"].values())


def expected(path) -> Counter:
    """Objects AWS will hold: each VPC adds its main route table, default NACL and default SG."""
    t = raw_types(path)
    vpcs = t["AWS::EC2::VPC"]
    return +Counter({
        "Vpcs": vpcs, "Subnets": t["AWS::EC2::Subnet"],
        "RouteTables": t["AWS::EC2::RouteTable"] + vpcs,
        "SecurityGroups": t["AWS::EC2::SecurityGroup"] + vpcs,
        "NetworkAcls": t["AWS::EC2::NetworkAcl"] + vpcs,
        "InternetGateways": t["AWS::EC2::InternetGateway"],
        "EgressOnlyInternetGateways": t["AWS::EC2::EgressOnlyInternetGateway"],
        "NatGateways": t["AWS::EC2::NatGateway"], "VpcEndpoints": t["AWS::EC2::VPCEndpoint"],
        "VpcPeeringConnections": t["AWS::EC2::VPCPeeringConnection"],
        "Functions": t["AWS::Lambda::Function"] + t["AWS::Serverless::Function"],
        "DBInstances": t["AWS::RDS::DBInstance"], "DBClusters": t["AWS::RDS::DBCluster"]})


def test_the_corpus_is_there():
    assert len(TEMPLATES) == 6


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_every_template_loads_with_each_kind_counted(path):
    snap = load_template(path)
    d = dump_snapshot(snap)
    assert +Counter({k: len(v) for k, v in d.items() if isinstance(v, list)}) == expected(path)
    unread = {t for t in raw_types(path) if not t.startswith(("AWS::EC2::", "AWS::Lambda::Function",
                                                               "AWS::Serverless::Function", "AWS::RDS::"))}
    assert unread <= set(snap.terraform.unread) | {"AWS::Serverless::Api"}


def test_widdix_rules_routes_and_associations_are_counted():
    path = CF_CORPUS / "widdix-vpc-2azs.yaml"
    t = raw_types(path)
    d = dump_snapshot(load_template(path))
    custom = [a for a in d["NetworkAcls"] if not a.get("IsDefault")]
    # Each custom NACL also lists AWS's final `*` deny rule in each direction.
    assert sum(len(a["Entries"]) - 2 for a in custom) == t["AWS::EC2::NetworkAclEntry"]
    assert sum(len(a["Associations"]) for a in d["NetworkAcls"]) == t["AWS::EC2::SubnetNetworkAclAssociation"]
    routes = [r for rt in d["RouteTables"] for r in rt["Routes"] if r.get("GatewayId") != "local"]
    assert len(routes) == t["AWS::EC2::Route"]
    assert sum(1 for rt in d["RouteTables"] for a in rt["Associations"] if not a.get("Main")) == \
        t["AWS::EC2::SubnetRouteTableAssociation"]


def test_sam_function_is_expanded_by_the_translator():
    """sam-lambda-vpc-s3-endpoints: AWS::Serverless::Function with VpcConfig {SubnetIds: [!Ref
    PrivateSubnet], SecurityGroupIds: [!Ref LambdaSecurityGroup]}; its FunctionName is a !Sub of
    the stack name, known only at deploy, so the function goes by its logical id."""
    snap = load_template(CF_CORPUS / "sam-lambda-vpc-s3-endpoints.yaml")
    [fn] = snap.regions[0].functions
    assert fn.function_name == "S3FilesReaderFunction"
    assert fn.vpc_config.subnet_ids == [synthetic_id("PrivateSubnet", "subnet")]
    assert fn.vpc_config.security_group_ids == [synthetic_id("LambdaSecurityGroup", "sg")]


def test_sam_function_cannot_reach_s3_past_its_own_group():
    """sam-lambda-vpc-s3-endpoints: PrivateRouteTable sends S3 to S3GatewayEndpoint, but
    LambdaSecurityGroup's egress allows tcp 443 and 2049 only to !Ref VpcCidr (default
    10.0.0.0/16). S3's public prefix list lies outside it: unreachable, ENI_SG_RULES_MISMATCH at
    the function's group (4.1). The function reads S3 Files over NFS inside the VPC instead."""
    snap = load_template(CF_CORPUS / "sam-lambda-vpc-s3-endpoints.yaml")
    answer = can_reach(snap, "S3FilesReaderFunction", "s3")
    assert answer.verdict.value == "unreachable"
    assert answer.paths[0].blocked_by.code == "ENI_SG_RULES_MISMATCH"
    assert answer.paths[0].blocked_by.component_id == synthetic_id("LambdaSecurityGroup", "sg")


def test_widdix_private_subnet_has_no_route_out_until_the_nat_stack():
    """widdix-vpc-2azs: SubnetAPrivate is associated with RouteTablePrivate (its A table), which holds only the
    local route (the NAT gateway comes from a separate stack, widdix-vpc-nat-gateway, whose route
    names the table through Fn::ImportValue). A function there with the VPC's default SG cannot
    reach the internet: NO_ROUTE_TO_DESTINATION at RouteTablePrivate."""
    base = parse_snapshot({"SnapshotVersion": 1, "AccountId": "111122223333", "Region": "eu-west-1",
                           "Functions": [{"FunctionName": "probe", "VpcConfig": {
                               "SubnetIds": [synthetic_id("SubnetAPrivate", "subnet")],
                               "SecurityGroupIds": [synthetic_id("VPC.DefaultSecurityGroup", "sg")]}}]})
    snap = load_template(CF_CORPUS / "widdix-vpc-2azs.yaml", base=base)
    answer = can_reach(snap, "probe", "internet")
    assert answer.verdict.value == "unreachable"
    assert [(b.code, b.component_id) for b in answer.paths[0].blockers][:1] == [
        ("NO_ROUTE_TO_DESTINATION", synthetic_id("RouteTablePrivate", "rtb"))]


def test_import_value_stays_unknown_and_named():
    """widdix-vpc-nat-gateway: the NAT's SubnetId is an Fn::ImportValue of the VPC stack."""
    snap = load_template(CF_CORPUS / "widdix-vpc-nat-gateway.yaml")
    [nat] = snap.regions[0].nat_gateways
    assert nat.subnet_id == "known-after-apply:NatGateway.SubnetId"
    assert "Route" in snap.terraform.unknown


def test_cli_reads_a_template_as_a_snapshot():
    path = str(CF_CORPUS / "sam-lambda-vpc-s3-endpoints.yaml")
    result = CliRunner().invoke(app, ["can", "S3FilesReaderFunction", "s3", "--snapshot", path,
                                      "--format", "json"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["verdict"] == "unreachable"
    assert out["terraform"]["addresses"][synthetic_id("LambdaSecurityGroup", "sg")] == "LambdaSecurityGroup"


def test_a_bad_template_is_one_clear_error(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [oops\n")
    with pytest.raises(ReachInputError) as exc:
        load_template(path)
    assert str(exc.value).startswith(f"{path}: invalid template")
