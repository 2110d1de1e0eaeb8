"""`--fix-format aws-cli` end to end: the commands reach prints, run by the AWS CLI against moto
(server mode on 127.0.0.1), fix what they say they fix, as `reach collect` then shows."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import boto3
import pytest
from typer.testing import CliRunner

from reach.cli import app

from .collect_estate import _role_arn, _zip, fake_aws, moto_server


@pytest.fixture(scope="module")
def endpoint():
    with fake_aws(), moto_server() as url:
        yield url


def _broken_estate(endpoint: str) -> None:
    """A function in a private subnet whose table has no default route to the VPC's working NAT,
    and whose NACL denies HTTPS out at rule 90, before its allow-all rule 100."""
    session = boto3.Session()
    ec2 = session.client("ec2", region_name="us-east-1", endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.0.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    private = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_rt, SubnetId=public)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.create_nat_gateway(SubnetId=public, AllocationId=eip)
    private_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=private_rt, SubnetId=private)
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    for number, egress, action, proto, ports in ((90, True, "deny", "6", (443, 443)), (100, True, "allow", "-1", None),
                                                 (100, False, "allow", "-1", None)):
        ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=number, Egress=egress, Protocol=proto,
                                     RuleAction=action, CidrBlock="0.0.0.0/0",
                                     **({"PortRange": {"From": ports[0], "To": ports[1]}} if ports else {}))
    default = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                 {"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]
    association = next(a["NetworkAclAssociationId"] for a in default["Associations"] if a["SubnetId"] == private)
    ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl)
    group = ec2.create_security_group(VpcId=vpc, GroupName="fetcher", Description="fetcher")["GroupId"]
    session.client("lambda", region_name="us-east-1", endpoint_url=endpoint).create_function(
        FunctionName="fetcher", Runtime="python3.12", Role=_role_arn(session, endpoint), Handler="index.handler",
        Code={"ZipFile": _zip()}, VpcConfig={"SubnetIds": [private], "SecurityGroupIds": [group]})


def test_printed_aws_cli_commands_fix_the_path(endpoint, tmp_path):
    _broken_estate(endpoint)
    runner = CliRunner()
    ran: list[str] = []
    for _ in range(4):
        snapshot = tmp_path / "snapshot.json"
        collected = runner.invoke(app, ["collect", "--endpoint-url", endpoint, "--region", "us-east-1",
                                        "--output", str(snapshot)])
        assert collected.exit_code == 0, collected.output
        answer = json.loads(runner.invoke(app, ["can", "fetcher", "internet", "-s", str(snapshot), "-f", "json",
                                                "--fix-format", "aws-cli", "--no-cache"]).stdout)
        if answer["verdict"] == "reachable":
            break
        commands = [b["fix_command"] for p in answer["paths"] for b in [p["blocked_by"], *p.get("also_blocked_by", [])]
                    if b and b.get("fix_command")]
        assert commands, answer
        for command in commands:
            args = shlex.split(command)
            assert args[0] == "aws"
            # The AWS CLI (awscli, of the test extra) in its own process, as a user runs it.
            done = subprocess.run([sys.executable, "-m", "awscli", *args[1:], "--endpoint-url", endpoint],
                                  env={**os.environ}, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, (command, done.stderr)
            ran.append(command)
    assert answer["verdict"] == "reachable", (ran, answer)
    assert any(c.startswith("aws ec2 create-route ") and "--nat-gateway-id nat-" in c for c in ran)
    assert any(c.startswith("aws ec2 create-network-acl-entry ") and "--rule-number 89 --protocol tcp" in c
               and "--egress" in c for c in ran)
