"""Fixes people can apply (issue 11): NACL rule numbers that take effect, route-table changes that
name the other subnets they touch."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reach.cli import app
from tests.scenarios.estate import acl, ask, base, entry, route, table


def fix_of(answer, subnet: str | None = None):
    path = next(p for p in answer.paths if subnet is None or p.subnet_id == subnet)
    b = path.blocked_by
    return b.fix, dict(b.fix_params)


def db_acl(*entries):
    snap = base()
    snap["NetworkAcls"].append(acl("acl-db", ["sn-db"], [entry(100, True, "allow", "0.0.0.0/0"),
                                                          *entries]))
    return snap


def test_nacl_fix_goes_below_the_deny_that_matched():
    snap = db_acl(entry(90, False, "deny", "10.0.0.0/16", "tcp", (5432, 5432)),
                  entry(100, False, "allow", "0.0.0.0/0"))
    fix, params = fix_of(ask(snap, "rds:db-1"))
    assert fix == "allow-nacl"
    assert (params["rule"], params["below_deny"], params["acl"]) == ("89", "90", "acl-db")
    assert params["direction"] == "inbound" and params["cidr"] == "10.0.1.0/24"


def test_nacl_fix_skips_numbers_taken_in_its_direction_only():
    taken = [entry(n, False, "allow", "192.168.0.0/16") for n in (87, 88, 89)]
    snap = db_acl(entry(90, False, "deny", "10.0.0.0/16"), *taken,
                  entry(86, True, "allow", "192.168.0.0/16"))  # outbound 86 does not take inbound 86
    _, params = fix_of(ask(snap, "rds:db-1"))
    assert params["rule"] == "86"


def test_nacl_fix_with_no_free_number_below_the_deny_narrows_it():
    snap = db_acl(entry(1, False, "deny", "10.0.0.0/16"), entry(100, False, "allow", "0.0.0.0/0"))
    fix, params = fix_of(ask(snap, "rds:db-1"))
    assert fix == "narrow-nacl-deny" and params["deny"] == "1"


def test_nacl_fix_when_only_the_default_rule_denies_goes_after_the_last_rule():
    snap = db_acl(entry(100, False, "allow", "192.168.0.0/16"), entry(120, False, "allow", "172.16.0.0/12"))
    fix, params = fix_of(ask(snap, "rds:db-1"))
    assert fix == "allow-nacl" and params["rule"] == "130" and "below_deny" not in params


def test_fix_to_the_main_route_table_names_the_other_subnets_it_changes():
    snap = base()
    table(snap, "rt-priv")["Associations"] = [{"SubnetId": "sn-priv-b"}]  # sn-priv falls to rt-main
    fix, params = fix_of(ask(snap, "internet"))
    assert fix == "route-to-nat" and params["table"] == "rt-main"
    assert params["main_table_of"] == "vpc-a" and params["also_changes"] == "sn-db"


def test_fix_to_a_shared_route_table_names_the_other_subnets_it_changes():
    snap = base()
    table(snap, "rt-priv")["Routes"] = []
    fix, params = fix_of(ask(snap, "internet"))
    assert fix == "route-to-nat" and params["table"] == "rt-priv"
    assert params["also_changes"] == "sn-priv-b" and "main_table_of" not in params


def test_fix_to_a_table_of_its_own_warns_of_nothing():
    snap = base()
    table(snap, "rt-priv")["Associations"] = [{"SubnetId": "sn-priv"}]
    table(snap, "rt-priv")["Routes"] = []
    _, params = fix_of(ask(snap, "internet"))
    assert "also_changes" not in params


# --- --fix-format: each fix as a command or an HCL snippet ---

ROOT = Path(__file__).resolve().parent.parent
CHANGED = str(ROOT / "samples" / "categram-changed" / "snapshot.json")
SAMPLE = str(ROOT / "samples" / "categram" / "snapshot.json")
NACL = "acl-0e8c6a4f2b1d9b401"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def fix_section(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    return [line.strip() for line in lines[lines.index("fix") + 1:] if line.startswith("  ")]


def test_aws_cli_fix_is_a_nacl_entry_below_the_deny():
    result = run("can", "api", "rds:categram-db", "-s", CHANGED, "--fix-format", "aws-cli")
    assert result.exit_code == 1
    commands = [line for line in fix_section(result.stdout) if line.startswith("aws ")]
    assert commands == [f"aws ec2 create-network-acl-entry --network-acl-id {NACL} --ingress --rule-number 89 "
                        "--protocol tcp --port-range From=5432,To=5432 --cidr-block 10.0.10.0/24 "
                        "--rule-action allow --region us-east-1"]


def test_aws_cli_fixes_for_routes_endpoints_and_groups():
    internet = fix_section(run("can", "api", "internet", "-s", CHANGED, "--fix-format", "aws-cli").stdout)
    assert ("aws ec2 create-route --route-table-id rtb-0e1b3d5f7a9c2b703 --destination-cidr-block 0.0.0.0/0 "
            "--nat-gateway-id nat-0f1e2d3c4b5a69001 --region us-east-1") in internet
    s3 = fix_section(run("can", "spread", "s3", "-s", SAMPLE, "--fix-format", "aws-cli").stdout)
    assert any(line.startswith("aws ec2 create-vpc-endpoint --vpc-id vpc-0a1b2c3d4e5f60001 "
                               "--vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3 "
                               "--route-table-ids rtb-07f9b1d3e5a8c4704") for line in s3)
    # The VPC has a DynamoDB gateway endpoint already: the table is added to it.
    ddb = fix_section(run("can", "api", "dynamodb", "-s", CHANGED, "--fix-format", "aws-cli").stdout)
    assert ("aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0e4a8c2f6b1d3a9b1 --add-route-table-ids "
            "rtb-0e1b3d5f7a9c2b703 --region us-east-1") in ddb
    db = fix_section(run("can", "ddb-only", "rds:categram-db", "-s", SAMPLE, "--fix-format", "aws-cli").stdout)
    assert ("aws ec2 authorize-security-group-ingress --group-id sg-0b1d3f5a7c9e2d466 --ip-permissions "
            "'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=sg-07e3b5d1f9a2c8b64}]' "
            "--region us-east-1") in db


def test_a_fix_with_no_single_command_stays_a_comment():
    lines = fix_section(run("can", "misplaced", "internet", "-s", SAMPLE, "--fix-format", "aws-cli").stdout)
    assert lines and all(line.startswith("#") for line in lines)


def test_terraform_fix_is_an_hcl_resource():
    out = run("can", "api", "rds:categram-db", "-s", CHANGED, "--fix-format", "terraform").stdout
    block = re.search(r'resource "aws_network_acl_rule" "\w+" \{\n(.*?)\n  \}', out, re.S)
    assert block, out
    args = dict(re.findall(r"^\s+(\w+)\s+= (.+)$", block.group(1), re.M))
    assert args == {"network_acl_id": f'"{NACL}"', "rule_number": "89", "egress": "false",
                    "protocol": '"tcp"', "rule_action": '"allow"', "cidr_block": '"10.0.10.0/24"',
                    "from_port": "5432", "to_port": "5432"}


def test_json_carries_the_command_beside_the_fix_and_only_when_asked():
    plain = json.loads(run("can", "api", "internet", "-s", CHANGED, "-f", "json").stdout)
    assert "fix_command" not in plain["paths"][0]["blocked_by"]  # the contract's shape, unchanged
    asked = json.loads(run("can", "api", "internet", "-s", CHANGED, "-f", "json", "--fix-format",
                           "terraform").stdout)
    blocked = asked["paths"][0]["blocked_by"]
    assert blocked["fix"] == plain["paths"][0]["blocked_by"]["fix"]
    assert blocked["fix_command"].startswith('resource "aws_route"')
    audit = json.loads(run("audit", "-s", CHANGED, "-f", "json", "--fix-format", "aws-cli").stdout)
    commands = [p["blocked_by"]["fix_command"] for r in audit["results"] for p in r["paths"]
                if p["blocked_by"] and r["source"]["function"] == "api" and r["target"]["spec"] == "rds:categram-db"]
    assert commands and "--rule-number 89" in commands[0]


def test_audit_text_prints_the_commands():
    out = run("audit", "-s", CHANGED, "--fix-format", "aws-cli").stdout
    assert "  aws ec2 create-network-acl-entry --network-acl-id acl-0e8c6a4f2b1d9b401 --ingress --rule-number 89" in out


@pytest.mark.parametrize("args", [["can", "api", "internet", "--fix-format", "pulumi"],
                                  ["audit", "-f", "sarif", "--fix-format", "aws-cli"]])
def test_fix_format_that_does_not_apply_is_refused(args):
    result = run(*args, "-s", SAMPLE)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--fix-format" in result.stderr


def test_the_nacl_entry_the_fix_names_takes_effect():
    """Apply the fix as AWS would (CreateNetworkAclEntry with its parameters) and ask again."""
    snap = db_acl(entry(90, False, "deny", "10.0.0.0/16", "tcp", (5432, 5432)),
                  entry(100, False, "allow", "0.0.0.0/0"))
    _, p = fix_of(ask(snap, "rds:db-1"))
    lo, _, hi = p["ports"].partition("-")
    nacl = next(a for a in snap["NetworkAcls"] if a["NetworkAclId"] == p["acl"])
    nacl["Entries"].append(entry(int(p["rule"]), p["direction"] == "outbound", "allow", p["cidr"], p["proto"],
                                 (int(lo), int(hi or lo))))
    assert ask(snap, "rds:db-1").verdict == "reachable"


def test_the_route_the_fix_names_takes_effect_and_changes_what_it_said():
    snap = base()
    table(snap, "rt-priv")["Associations"] = [{"SubnetId": "sn-priv-b"}]  # sn-priv uses rt-main
    _, p = fix_of(ask(snap, "internet"))
    table(snap, p["table"])["Routes"].append(route(p["dest"], NatGatewayId=p["nat"]))
    assert ask(snap, "internet").verdict == "reachable"
    # The warning was true: sn-db, on the main table too, now routes to the NAT as well.
    snap["Functions"][0]["VpcConfig"]["SubnetIds"] = ["sn-db"]
    assert ask(snap, "internet").verdict == "reachable"
