"""What AWS would refuse or cannot hold is caught at load (issue 11, "Robustness"): exit 2 with one
line naming file and JSON path, or a warning and an answer that never claims `reachable`."""
from __future__ import annotations

import copy
import ipaddress
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from typer.testing import CliRunner

from reach.cli import app
from reach.model import load_snapshot
from reach.model.base import Cidr, IpAddress, Protocol

from .conftest import CORPUS, SAMPLES

runner = CliRunner()
CATEGRAM = json.loads((SAMPLES / "categram" / "snapshot.json").read_text())


def run(args: list[str]):
    return runner.invoke(app, args)


def refused(path, *args: str) -> str:
    """Run `reach show` (or the given command) on a file; assert exit 2 and one line; return it."""
    result = run([*(args or ["show"]), "--snapshot", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    assert str(path) in lines[0]
    return lines[0]


def categram(**changes) -> dict:
    snap = copy.deepcopy(CATEGRAM)
    snap.update(changes)
    return snap


def api_function(snap: dict) -> dict:
    return next(f for f in snap["Functions"] if f["FunctionName"] == "api"
                and f.get("Version", "$LATEST") == "$LATEST")


# ---------------------------------------------------------------- values: what ipaddress rejects

CIDR, IP, PROTOCOL = TypeAdapter(Cidr), TypeAdapter(IpAddress), TypeAdapter(Protocol)
_TEXT = st.text(alphabet="0123456789./:abcdefABCDEF١٢ \n-x", max_size=24)


def _accepts(adapter, value) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


@settings(max_examples=400)
@given(_TEXT)
def test_what_the_cidr_type_accepts_ipaddress_accepts(text):
    if _accepts(CIDR, text):
        assert "/" in text
        ipaddress.ip_network(text, strict=False)


@settings(max_examples=400)
@given(_TEXT)
def test_what_the_ip_type_accepts_ipaddress_accepts(text):
    if _accepts(IP, text):
        ipaddress.ip_address(text)


@given(st.ip_addresses(), st.integers(0, 128))
def test_every_real_address_and_cidr_is_accepted(address, prefix):
    assert _accepts(IP, str(address))
    prefix = min(prefix, address.max_prefixlen)
    assert _accepts(CIDR, str(ipaddress.ip_network(f"{address}/{prefix}", strict=False)))


@pytest.mark.parametrize("value", ["١٠.0.0.0/8", "10.0.0.0/8\n", "01.2.3.4/8", "10.0.0.0",
                                   "10.0.0.0/08", "10.0.0.0/33", " 10.0.0.0/8", "::/129"])
def test_cidrs_ipaddress_would_reject_are_refused(value):
    assert not _accepts(CIDR, value)


@pytest.mark.parametrize("value,expected", [("tcp", "tcp"), ("TCP", "tcp"), ("6", "tcp"), (6, "tcp"),
                                            ("-1", "-1"), ("all", "-1"), ("58", "icmpv6"),
                                            ("50", "50")])
def test_protocol_spellings(value, expected):
    assert PROTOCOL.validate_python(value) == expected


@pytest.mark.parametrize("value", ["gre", "256", "6.5", "", "tcp udp"])
def test_protocols_aws_refuses(value):
    assert not _accepts(PROTOCOL, value)


BAD_VALUES = [
    ("vpc-cidr-without-prefix", {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0"}]},
     "Vpcs[0].CidrBlock", "'10.0.0.0' is not a CIDR"),
    ("route-without-prefix", {"RouteTables": [{"RouteTableId": "rtb-1", "Routes": [
        {"DestinationCidrBlock": "10.0.0.0", "GatewayId": "local"}]}]},
     "RouteTables[0].Routes[0].DestinationCidrBlock", "is not a CIDR"),
    ("prefix-list-entry-without-prefix", {"ManagedPrefixLists": [
        {"PrefixListId": "pl-1", "Entries": [{"Cidr": "10.0.0.0"}]}]},
     "ManagedPrefixLists[0].Entries[0].Cidr", "is not a CIDR"),
    ("arabic-digits", {"Subnets": [{"SubnetId": "s", "VpcId": "v", "CidrBlock": "١٠.0.0.0/8"}]},
     "Subnets[0].CidrBlock", "is not a CIDR"),
    ("trailing-newline", {"Subnets": [{"SubnetId": "s", "VpcId": "v", "CidrBlock": "10.0.0.0/8\n"}]},
     "Subnets[0].CidrBlock", "is not a CIDR"),
    ("leading-zero-ip", {"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1",
                                                "PrivateIpAddress": "01.2.3.4"}]},
     "NetworkInterfaces[0].PrivateIpAddress", "is not an IP address"),
    ("nacl-rule-number", {"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [
        {"RuleNumber": 65536, "Protocol": "-1", "RuleAction": "deny", "Egress": True,
         "CidrBlock": "0.0.0.0/0"}]}]}, "NetworkAcls[0].Entries[0].RuleNumber", "out of range"),
    ("nacl-rule-zero", {"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [
        {"RuleNumber": 0, "Protocol": "-1", "RuleAction": "deny", "Egress": True,
         "CidrBlock": "0.0.0.0/0"}]}]}, "NetworkAcls[0].Entries[0].RuleNumber", "out of range"),
    ("nacl-gre-by-name", {"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [
        {"RuleNumber": 90, "Protocol": "gre", "RuleAction": "deny", "Egress": True,
         "CidrBlock": "0.0.0.0/0"}]}]}, "NetworkAcls[0].Entries[0].Protocol",
     "'gre' is not an IP protocol"),
    ("nacl-ports-reversed", {"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [
        {"RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": True,
         "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 443, "To": 80}}]}]},
     "NetworkAcls[0].Entries[0].PortRange", "from 443 down to 80"),
    ("sg-ports-reversed", {"SecurityGroups": [{"GroupId": "sg-1", "IpPermissionsEgress": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]},
     "SecurityGroups[0].IpPermissionsEgress[0]", "from 443 down to 80"),
    ("route-state", {"RouteTables": [{"RouteTableId": "rtb-1", "Routes": [
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "pending"}]}]},
     "RouteTables[0].Routes[0].State", "is not a route state"),
    ("null-for-object", {"Vpcs": [None]}, "Vpcs[0]", "expected a JSON object, got null"),
    ("subnet-ids-false", {"Functions": [{"FunctionName": "f", "VpcConfig": {
        "SubnetIds": False, "SecurityGroupIds": ["sg-1"]}}]},
     "Functions[0].VpcConfig.SubnetIds", "expected a JSON list, got a boolean false"),
    ("subnet-ids-object", {"Functions": [{"FunctionName": "f", "VpcConfig": {"SubnetIds": {}}}]},
     "Functions[0].VpcConfig.SubnetIds", "expected a JSON list, got an object"),
    ("subnet-ids-null", {"Functions": [{"FunctionName": "f", "VpcConfig": {
        "SubnetIds": None, "VpcId": "vpc-1"}}]},
     "Functions[0].VpcConfig.SubnetIds", "expected a JSON list, got null"),
    ("subnet-ids-empty-beside-groups", {"Functions": [{"FunctionName": "f", "VpcConfig": {
        "SubnetIds": [], "SecurityGroupIds": ["sg-1"]}}]},
     "Functions[0]", "neither in a VPC nor outside one"),
    ("subnet-ids-empty-beside-vpc", {"Functions": [{"FunctionName": "f", "VpcConfig": {
        "SubnetIds": [], "SecurityGroupIds": [], "VpcId": "vpc-1"}}]},
     "Functions[0]", "VpcId is vpc-1"),
    ("two-main-route-tables", {"RouteTables": [
        {"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": True}]},
        {"RouteTableId": "rtb-2", "VpcId": "vpc-1", "Associations": [{"Main": True}]}]},
     "RouteTables[1]", "second main route table of vpc-1"),
]


@pytest.mark.parametrize("name,snapshot,path,message", BAD_VALUES, ids=[c[0] for c in BAD_VALUES])
def test_refused_with_file_and_path(write_json, name, snapshot, path, message):
    line = refused(write_json(snapshot))
    assert f": {path}: " in line and message in line, line
    assert "None" not in line


def test_function_outside_any_vpc_as_aws_writes_it(write_json):
    path = write_json({"Functions": [{"FunctionName": "f", "VpcConfig": {
        "SubnetIds": [], "SecurityGroupIds": [], "VpcId": ""}}]})
    assert not load_snapshot(path).index["Functions"]["f"].in_vpc


# ---------------------------------------------------------------- answers never claim reachable

def test_tcp_rule_with_port_minus_one_is_not_every_port(write_json):
    snap = categram()
    groups = set(api_function(snap)["VpcConfig"]["SecurityGroupIds"])
    for sg in snap["SecurityGroups"]:
        if sg["GroupId"] in groups:
            sg["IpPermissionsEgress"] = [{"IpProtocol": "tcp", "FromPort": -1, "ToPort": -1,
                                          "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    path = write_json(snap)
    result = run(["can", "api", "internet", "--snapshot", str(path), "--format", "json"])
    assert result.exit_code == 1 and json.loads(result.stdout)["verdict"] != "reachable"
    codes = {w.code for w in load_snapshot(path).warnings}
    assert "INVALID_PORT_RANGE" in codes


def _group_of_api(snap: dict) -> dict:
    gid = api_function(snap)["VpcConfig"]["SecurityGroupIds"][0]
    return next(sg for sg in snap["SecurityGroups"] if sg["GroupId"] == gid)


def test_group_listed_twice_with_different_contents_gives_unknown(write_json):
    snap = categram()
    before = run(["can", "api", "internet", "--snapshot", str(write_json(snap)), "-f", "json"])
    assert json.loads(before.stdout)["verdict"] == "reachable"
    sg = _group_of_api(snap)
    closed = {**copy.deepcopy(sg), "IpPermissionsEgress": []}
    for order in ([sg, closed], [closed, sg]):  # the answer must not depend on list order
        snap["SecurityGroups"] = [g for g in snap["SecurityGroups"] if g["GroupId"] != sg["GroupId"]]
        snap["SecurityGroups"] += order
        path = write_json(snap)
        result = run(["can", "api", "internet", "--snapshot", str(path), "-f", "json"])
        answer = json.loads(result.stdout)
        assert result.exit_code == 1 and answer["verdict"] == "unknown"
        assert sg["GroupId"] in json.dumps(answer)
    shown = run(["show", "--snapshot", str(path), "-f", "json"])
    dup = [w for w in json.loads(shown.stdout)["warnings"] if w["code"] == "DUPLICATE_ID"]
    assert [w["component_id"] for w in dup] == [sg["GroupId"]]
    assert "DUPLICATE_ID" in run(["show", "--snapshot", str(path)]).stdout


def test_identical_duplicates_are_one_object(write_json):
    snap = categram()
    snap["SecurityGroups"].append(copy.deepcopy(_group_of_api(snap)))
    snapshot = load_snapshot(write_json(snap))
    assert not [w for w in snapshot.warnings if w.code == "DUPLICATE_ID"]
    result = run(["can", "api", "internet", "--snapshot", str(write_json(snap)), "-f", "json"])
    assert json.loads(result.stdout)["verdict"] == "reachable"


def test_peering_listed_by_both_accounts_loads_quietly():
    snap = load_snapshot(CORPUS / "test-vpc-peering-multi-account")
    assert not [w for w in snap.warnings if w.code == "DUPLICATE_ID"]


def test_subnet_outside_its_vpc_is_a_warning(write_json):
    path = write_json({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
                       "Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1",
                                    "CidrBlock": "10.9.0.0/24"}]})
    warnings = [w for w in load_snapshot(path).warnings if w.code == "SUBNET_OUTSIDE_VPC"]
    assert [(w.component_id, w.missing_id) for w in warnings] == [("subnet-1", "vpc-1")]


def test_subnet_outside_its_vpc_makes_answers_through_it_unknown():
    from .scenarios.estate import ask, base, blocker
    snap = base()
    outside = next(s for s in snap["Subnets"] if s["SubnetId"] == "sn-priv")
    outside["CidrBlock"] = "10.9.1.0/24"  # vpc-a is 10.0.0.0/16
    a = ask(snap, "internet")
    assert blocker(a) == ("unknown", "SUBNET_OUTSIDE_VPC", "sn-priv")
    assert a.paths[0].blocked_by.refs == ("vpc-a",) and a.paths[0].blocked_by.fix == "correct-snapshot"
    # A destination inside such a subnet: unknown too, never a confident answer through it.
    twin = base()
    next(s for s in twin["Subnets"] if s["SubnetId"] == "sn-db")["CidrBlock"] = "10.9.3.0/24"
    twin["NetworkInterfaces"][0]["PrivateIpAddress"] = "10.9.3.10"
    assert blocker(ask(twin, "rds:db-1")) == ("unknown", "SUBNET_OUTSIDE_VPC", "sn-db")
    assert ask(twin, "internet").verdict == "reachable"  # paths that never touch it are judged
    assert ask(base(), "rds:db-1").verdict == "reachable"  # the well-formed twin


def test_the_batfish_snapshot_with_a_subnet_outside_its_vpc_loads_and_answers():
    snap = CORPUS / "test"
    shown = run(["show", "--snapshot", str(snap), "-f", "json"])
    assert shown.exit_code == 0 and "SUBNET_OUTSIDE_VPC" in shown.stdout
    inside = run(["can", "--subnet", "subnet-1f315846", "--sg", "sg-0de0ddfa8a5a45810", "internet",
                  "--snapshot", str(snap), "-f", "json"])
    assert inside.exit_code == 1
    blocked = json.loads(inside.stdout)["paths"][0]["blocked_by"]
    assert (blocked["code"], blocked["component_id"]) == ("SUBNET_OUTSIDE_VPC", "subnet-1f315846")


def test_bare_name_in_two_regions_is_refused_with_the_regions(write_json):
    def fn(region: str) -> dict:
        return {"FunctionName": "api", "FunctionArn": f"arn:aws:lambda:{region}:111122223333:function:api"}
    path = write_json({"SnapshotVersion": 1, "Accounts": [{"AccountId": "111122223333", "Regions": {
        "us-east-1": {"Functions": [fn("us-east-1")]}, "eu-west-1": {"Functions": [fn("eu-west-1")]}}}]})
    result = run(["can", "api", "internet", "--snapshot", str(path)])
    assert result.exit_code == 2
    assert "us-east-1" in result.stderr and "eu-west-1" in result.stderr and "ARN" in result.stderr
    by_arn = run(["can", "arn:aws:lambda:eu-west-1:111122223333:function:api", "internet",
                  "--snapshot", str(path), "-f", "json"])
    assert by_arn.exit_code == 0 and json.loads(by_arn.stdout)["source"]["region"] == "eu-west-1"
    audit = run(["audit", "--snapshot", str(path), "-f", "json"])
    assert audit.exit_code in (0, 1)
    regions = {a["source"]["region"] for a in json.loads(audit.stdout)["results"]}
    assert regions == {"us-east-1", "eu-west-1"}


# ---------------------------------------------------------------- messages

def test_utf8_bom_is_read(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(CATEGRAM).encode())
    assert run(["show", "--snapshot", str(path)]).exit_code == 0


@pytest.mark.parametrize("encoding,named", [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"),
                                            ("utf-32", "UTF-32"), ("latin-1", "not UTF-8")])
def test_other_encodings_are_named(tmp_path, encoding, named):
    path = tmp_path / "snapshot.json"
    path.write_bytes(json.dumps({"Vpcs": [{"VpcId": "vpc-é"}]}, ensure_ascii=False).encode(encoding))
    assert named in refused(path)


def test_long_names_are_cut_in_messages(write_json):
    name = "x" * 5000
    line = refused(write_json({"Vpcs": [{"VpcId": 7, "Tags": []}], "Subnets": [], "z": name}))
    assert len(line) < 400
    result = run(["can", name, "internet", "--snapshot", str(SAMPLES / "categram" / "snapshot.json")])
    assert result.exit_code == 2 and len(result.stderr) < 400 and "5000 characters" in result.stderr


# ---------------------------------------------------------------- items 6, 7, 9

def test_folder_of_snapshots_is_refused_listing_them():
    line = refused(SAMPLES)
    for name in ("categram", "categram-changed", "locked-down", "peered"):
        assert name in line
    assert "20 folders" in refused(CORPUS)


def test_subnets_alone_say_what_is_missing(write_json):
    path = write_json({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1",
                                    "CidrBlock": "10.0.1.0/24"}]})
    shown = run(["show", "--snapshot", str(path), "-f", "json"])
    missing = {w["field"] for w in json.loads(shown.stdout)["warnings"] if w["code"] == "MISSING_DATA"}
    assert missing == {"Functions", "Vpcs", "RouteTables", "SecurityGroups", "NetworkAcls"}
    text = run(["show", "--snapshot", str(path)]).stdout
    assert "no RouteTables" in text and "no Functions" in text


def test_empty_lists_are_data_not_missing(write_json):
    path = write_json({key: [] for key in ("Functions", "Vpcs", "Subnets", "RouteTables",
                                           "SecurityGroups", "NetworkAcls")})
    assert not [w for w in load_snapshot(path).warnings if w.code == "MISSING_DATA"]


def test_missing_subnet_prints_no_python_none(write_json):
    snap = categram()
    api_function(snap)["VpcConfig"]["SubnetIds"] = ["subnet-0000"]
    path = write_json(snap)
    for command in (["can", "api", "internet"], ["audit"]):
        out = run([*command, "--snapshot", str(path)]).stdout
        assert "subnet-0000" in out and "None" not in out
