"""`reach collect` against moto in server mode on 127.0.0.1: round trip, gaps, regions, the CLI."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from typer.testing import CliRunner

from reach import can_reach, parse_snapshot
from reach.cli import app
from reach.collect import IAM_ACTIONS, collect_snapshot, resolve_regions, write_snapshot
from reach.collect.calls import ALL_CALLS, ASSUME_ROLE, LIST_ACCOUNTS, RESOURCE_CALLS, iam_action
from reach.collect.get import gap
from reach.collect.permissions import PERMISSION_KEYS
from reach.collect.transform import (assemble, clean, lists_to_expand, with_tgw_details,
                                     with_vpc_attachments)
from reach.errors import ReachInputError

from .collect_estate import (ACCOUNT, DB_PASSWORD, LOGIN_PASSWORD, SECRET, build_estate, build_small_estate,
                             fake_aws, moto_server, set_auth)

ROOT = Path(__file__).resolve().parent.parent
CONTRACT_KEYS = [*RESOURCE_CALLS, *PERMISSION_KEYS, "Gaps"]

runner = CliRunner()


def _answer_text(answer) -> str:
    return json.dumps(answer.to_dict()) if hasattr(answer, "to_dict") else repr(answer)


# ---------------------------------------------------------------- fixtures: moto and the estate

@pytest.fixture(scope="session")
def fake_aws_env():
    """moto's fake keys and no AWS config files: real credentials can never be used."""
    with fake_aws():
        yield


@pytest.fixture(scope="session")
def endpoint(fake_aws_env):
    """A moto server on 127.0.0.1, on a free port, for the whole session."""
    with moto_server() as url:
        yield url


@pytest.fixture(scope="session")
def estate(endpoint):
    return build_estate(boto3.Session(), endpoint, "us-east-1")


@pytest.fixture(scope="session")
def eu_estate(endpoint, estate):
    return build_small_estate(boto3.Session(), endpoint, "eu-west-1")


def _recording_session(**kwargs) -> tuple[boto3.Session, list[str]]:
    """A session that records every API call its clients make, as IAM actions."""
    session = boto3.Session(**kwargs)
    calls: list[str] = []

    def record(model, **_):
        calls.append(iam_action(model.service_model.signing_name, model.name))
    session.events.register("before-call", record)
    return session, calls


@pytest.fixture(scope="session")
def collected(endpoint, estate):
    """One collection of us-east-1, with the calls it made."""
    session, calls = _recording_session(region_name="us-east-1")
    return collect_snapshot(session, regions=["us-east-1"], endpoint_url=endpoint), calls


# ---------------------------------------------------------------- the round trip

def test_snapshot_is_contract_shaped_and_loads(collected):
    data, _ = collected
    assert list(data) == ["SnapshotVersion", "AccountId", "Region", *CONTRACT_KEYS]
    assert (data["SnapshotVersion"], data["AccountId"], data["Region"]) == (1, ACCOUNT, "us-east-1")
    assert data["Gaps"] == []
    json.dumps(data)  # datetimes are already text
    snapshot = parse_snapshot(data)
    assert [(rs.account_id, rs.region) for rs in snapshot.regions] == [(ACCOUNT, "us-east-1")]
    assert snapshot.warnings == []


def test_snapshot_holds_the_network_that_was_built(collected, estate):
    data, _ = collected
    snap = parse_snapshot(data)
    ids = lambda key: set(snap.index[key])  # noqa: E731
    assert estate.vpc_id in ids("Vpcs")
    assert {estate.public_subnet, *estate.private_subnets} <= ids("Subnets")
    assert estate.igw_id in ids("InternetGateways")
    assert estate.nat_id in ids("NatGateways")
    assert estate.endpoint_id in ids("VpcEndpoints")
    assert {estate.sg_app, estate.sg_db} <= ids("SecurityGroups")
    assert estate.nacl_id in ids("NetworkAcls")

    tables = {t["RouteTableId"]: t for t in data["RouteTables"]}
    private = tables[estate.private_rtb]
    assert {a.get("SubnetId") for a in private["Associations"]} == set(estate.private_subnets)
    routes = {r.get("DestinationCidrBlock") or r.get("DestinationPrefixListId"): r
              for r in private["Routes"]}
    assert routes["0.0.0.0/0"]["NatGatewayId"] == estate.nat_id
    assert routes[estate.ddb_prefix_list]["GatewayId"] == estate.endpoint_id
    assert routes["10.50.0.0/16"]["TransitGatewayId"] == estate.tgw_id
    public = {r.get("DestinationCidrBlock"): r for r in tables[estate.public_rtb]["Routes"]}
    assert public["0.0.0.0/0"]["GatewayId"] == estate.igw_id

    groups = {g["GroupId"]: g for g in data["SecurityGroups"]}
    pairs = lambda perms: {p["GroupId"] for perm in perms for p in perm.get("UserIdGroupPairs", [])}  # noqa: E731
    assert estate.sg_db in pairs(groups[estate.sg_app]["IpPermissionsEgress"])
    assert estate.sg_app in pairs(groups[estate.sg_db]["IpPermissions"])

    acl = next(a for a in data["NetworkAcls"] if a["NetworkAclId"] == estate.nacl_id)
    assert {a["SubnetId"] for a in acl["Associations"]} == set(estate.private_subnets)
    assert {(e["RuleNumber"], e["Egress"]) for e in acl["Entries"]} >= {(100, True), (100, False),
                                                                        (110, False)}


def test_prefix_lists_carry_entries_where_needed(collected, estate):
    data, _ = collected
    lists = {pl["PrefixListName"]: pl for pl in data["ManagedPrefixLists"]}
    ddb, s3 = lists["com.amazonaws.us-east-1.dynamodb"], lists["com.amazonaws.us-east-1.s3"]
    assert ddb["PrefixListId"] == estate.ddb_prefix_list
    assert ddb["Entries"] and all("Cidr" in e for e in ddb["Entries"])
    assert s3["Entries"]  # not referenced, but `reach can ... s3` needs it
    unreferenced = lists["com.amazonaws.global.groundstation"]
    assert "Entries" not in unreferenced
    assert {pl["PrefixListName"] for pl in data["PrefixLists"]} >= {"com.amazonaws.us-east-1.s3"}


def test_transit_gateway_details_are_folded_in(collected, estate):
    data, _ = collected
    att = next(a for a in data["TransitGatewayAttachments"]
               if a["TransitGatewayAttachmentId"] == estate.tgw_attachment)
    assert att["SubnetIds"] == estate.private_subnets[:1]
    assert "Options" in att
    table = next(t for t in data["TransitGatewayRouteTables"]
                 if t["TransitGatewayRouteTableId"] == estate.tgw_route_table)
    assert [r["DestinationCidrBlock"] for r in table["Routes"]] == ["10.50.0.0/16"]
    assert [a["TransitGatewayAttachmentId"] for a in table["Associations"]] == [estate.tgw_attachment]
    assert [p["TransitGatewayAttachmentId"] for p in table["Propagations"]] == [estate.tgw_attachment]
    snap = parse_snapshot(data)
    assert snap.get("TransitGatewayRouteTables", estate.tgw_route_table).routes


def test_functions_and_databases(collected, estate):
    data, _ = collected
    snap = parse_snapshot(data)
    assert {"orders-api", "orders-api:1", "thumbnailer"} <= set(snap.index["Functions"])
    in_vpc = snap.get("Functions", "orders-api")
    assert set(in_vpc.vpc_config.subnet_ids) == set(estate.private_subnets)
    assert in_vpc.vpc_config.security_group_ids == [estate.sg_app]
    assert not snap.get("Functions", "thumbnailer").in_vpc
    db = snap.get("DBInstances", estate.db_instance)
    assert db.endpoint.port == 5432
    raw_db = data["DBInstances"][0]
    assert [g["VpcSecurityGroupId"] for g in raw_db["VpcSecurityGroups"]] == [estate.sg_db]
    assert {s["SubnetIdentifier"] for s in raw_db["DBSubnetGroup"]["Subnets"]} == set(estate.private_subnets)


def test_no_secret_is_written(collected):
    data, _ = collected
    text = json.dumps(data)
    assert SECRET not in text and DB_PASSWORD not in text
    assert "orders_admin" not in text
    assert all("Environment" not in fn for fn in data["Functions"])
    assert '"Environment"' not in text and '"MasterUserPassword"' not in text


def test_reach_can_answers_as_aws_would(collected):
    snap = parse_snapshot(collected[0])
    # Private subnets: 0.0.0.0/0 -> NAT in a public subnet -> IGW, and a DynamoDB gateway endpoint.
    for fn in ("orders-api", "orders-api:1"):
        for target in ("dynamodb", "internet", "s3"):
            answer = can_reach(snap, fn, target)
            assert answer.verdict.value == "reachable", (fn, target, _answer_text(answer))
    # Outside any VPC: the Lambda service network reaches the internet and AWS services.
    for target in ("internet", "dynamodb"):
        answer = can_reach(snap, "thumbnailer", target)
        assert answer.verdict.value == "reachable", (target, _answer_text(answer))


def test_reach_can_reach_its_database(collected):
    # moto writes VpcConfig.VpcId 'vpc-123abc' for every function; Lambda derives the VPC from the
    # subnets (1.18), and so does reach.
    answer = can_reach(parse_snapshot(collected[0]), "orders-api", "rds:orders-db")
    assert answer.verdict.value == "reachable", _answer_text(answer)


# ---------------------------------------------------------------- the IAM policy

def test_every_call_made_is_in_the_policy(collected, endpoint):
    _, calls = collected
    session, more = _recording_session(region_name="us-east-1")
    resolve_regions(session, all_regions=True, endpoint_url=endpoint)
    made = set(calls) | set(more)
    assert made <= set(IAM_ACTIONS), made - set(IAM_ACTIONS)
    # This estate exercises every kind of call of one account, so the policy holds nothing
    # unused; the organisation's two calls are made in tests/test_collect_org.py.
    organisation = {ASSUME_ROLE.action, LIST_ACCOUNTS.action}
    assert made == set(IAM_ACTIONS) - organisation
    assert {c.action for c in ALL_CALLS} == set(IAM_ACTIONS)
    # Read-only verbs only; sts:AssumeRole changes nothing, it hands out the role's credentials.
    assert all(re.fullmatch(r"(ec2|lambda|organizations|rds|sts|iam|dynamodb|s3):"
                            r"(Describe|Get|List|Search)\w+", a)
               for a in set(IAM_ACTIONS) - {ASSUME_ROLE.action})


def test_docs_policy_equals_the_constant():
    text = (ROOT / "docs" / "collect.md").read_text()
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.S) if '"Statement"' in b]
    assert len(blocks) == 1
    (statement,) = blocks[0]["Statement"]
    assert statement["Effect"] == "Allow" and statement["Resource"] == "*"
    assert statement["Action"] == list(IAM_ACTIONS)


# ---------------------------------------------------------------- gaps

def _moto_signs_get_requests(mp: pytest.MonkeyPatch) -> None:
    """Work around a moto bug, server side: with IAM auth on, moto signs a GET's query parameters
    as if they were a body, so Lambda's `GET /functions?FunctionVersion=ALL` fails with
    SignatureDoesNotMatch (getmoto/moto#5948 is the S3 twin). The collector's clients are untouched."""
    from moto.iam.access_control import IAMRequestBase
    original = IAMRequestBase._create_aws_request

    def create(self):
        request = original(self)
        if not self._body and self._method in ("GET", "HEAD", "DELETE"):
            request.data = b""
        return request
    mp.setattr(IAMRequestBase, "_create_aws_request", create)


@pytest.fixture(scope="session")
def restricted_collection(endpoint, estate):
    """Collect as an IAM user whose policy is docs/collect.md's minus ec2:DescribeNetworkAcls,
    with moto enforcing IAM."""
    iam = boto3.client("iam", endpoint_url=endpoint)
    iam.create_user(UserName="reach-auditor")
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Resource": "*",
        "Action": [a for a in IAM_ACTIONS if a != "ec2:DescribeNetworkAcls"]}]}
    iam.put_user_policy(UserName="reach-auditor", PolicyName="reach-collect",
                        PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="reach-auditor")["AccessKey"]
    session = boto3.Session(aws_access_key_id=key["AccessKeyId"],
                            aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1")
    with pytest.MonkeyPatch.context() as mp:
        _moto_signs_get_requests(mp)
        set_auth(endpoint, 0)
        try:
            return collect_snapshot(session, regions=["us-east-1"], endpoint_url=endpoint)
        finally:
            set_auth(endpoint, float("inf"))


def test_a_refused_call_is_a_gap_and_collection_goes_on(restricted_collection, collected):
    data = restricted_collection
    (g,) = data["Gaps"]
    assert (g["Service"], g["Call"], g["Region"]) == ("ec2", "DescribeNetworkAcls", "us-east-1")
    assert g["Error"].startswith("AccessDenied")
    assert data["NetworkAcls"] == []
    full = collected[0]
    for key in CONTRACT_KEYS:
        if key not in ("NetworkAcls", "Gaps"):
            assert len(data[key]) == len(full[key]), key
    snap = parse_snapshot(data)
    assert [(x.service, x.call) for x in snap.gaps] == [("ec2", "DescribeNetworkAcls")]


def test_answers_that_need_a_gap_are_unknown(restricted_collection):
    snap = parse_snapshot(restricted_collection)
    answer = can_reach(snap, "orders-api", "dynamodb")
    assert answer.verdict.value == "unknown", _answer_text(answer)
    assert "DescribeNetworkAcls" in _answer_text(answer)
    # A function outside any VPC crosses no network ACL: the gap does not touch it.
    assert can_reach(snap, "thumbnailer", "internet").verdict.value == "reachable"


def test_gap_records_name_the_call_and_the_error():
    refused = ClientError({"Error": {"Code": "OptInRequired", "Message": "You are not  subscribed\n"
                                     "to this service."}}, "DescribeVpcs")
    call = RESOURCE_CALLS["Vpcs"]
    assert gap(call, "ap-east-1", refused) == {
        "Service": "ec2", "Call": "DescribeVpcs", "Region": "ap-east-1",
        "Error": "OptInRequired: You are not subscribed to this service."}
    entries = RESOURCE_CALLS["ManagedPrefixLists"]
    assert gap(entries, "us-east-1", refused, "pl-1")["Error"].startswith("pl-1: OptInRequired")


# ---------------------------------------------------------------- several regions

def test_several_regions(endpoint, estate, eu_estate):
    session = boto3.Session(region_name="us-east-1")
    data = collect_snapshot(session, regions=["us-east-1", "eu-west-1"], endpoint_url=endpoint,
                            max_workers=4)
    assert list(data) == ["SnapshotVersion", "Accounts"]
    (account,) = data["Accounts"]
    assert account["AccountId"] == ACCOUNT
    assert sorted(account["Regions"]) == ["eu-west-1", "us-east-1"]
    regions = account["Regions"]
    for lists in regions.values():
        assert list(lists) == CONTRACT_KEYS
    names = lambda region: {f["FunctionName"] for f in regions[region]["Functions"]}  # noqa: E731
    assert "eu-reporter" in names("eu-west-1") and "eu-reporter" not in names("us-east-1")
    assert "orders-api" in names("us-east-1") and "orders-api" not in names("eu-west-1")
    assert eu_estate.vpc_id in {v["VpcId"] for v in regions["eu-west-1"]["Vpcs"]}
    assert SECRET not in json.dumps(data)
    snap = parse_snapshot(data)
    assert sorted(rs.region for rs in snap.regions) == ["eu-west-1", "us-east-1"]
    assert snap.region_of(eu_estate.vpc_id) == "eu-west-1"


def test_progress_is_told_every_call(endpoint, estate):
    seen: list[tuple[int, int]] = []
    collect_snapshot(boto3.Session(), regions=["us-east-1"], endpoint_url=endpoint,
                     progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1][1] > len(RESOURCE_CALLS)  # the second round was counted too


def test_all_regions_uses_describe_regions(endpoint):
    regions = resolve_regions(boto3.Session(region_name="us-east-1"), all_regions=True,
                              endpoint_url=endpoint)
    assert {"us-east-1", "eu-west-1"} <= set(regions) and regions == sorted(regions)


@pytest.mark.parametrize("kwargs, message", [
    ({"regions": ["us-east-1"], "all_regions": True}, "not both"),
    ({"regions": ["us-east-1", "nowhere"]}, "'nowhere' is not an AWS region"),
])
def test_bad_region_arguments(fake_aws_env, kwargs, message):
    with pytest.raises(ReachInputError, match=message):
        resolve_regions(boto3.Session(), **kwargs)


def test_no_region_at_all(fake_aws_env, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(ReachInputError, match="no region"):
        resolve_regions(boto3.Session())


# ---------------------------------------------------------------- transforms (pure)

def test_clean_drops_secrets_at_any_depth_and_writes_datetimes():
    when = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
    raw = {"FunctionName": "f", "Environment": {"Variables": {"K": "v"}}, "LastModified": when,
           "ResponseMetadata": {"RequestId": "x"},
           "PendingModifiedValues": {"MasterUserPassword": "****", "Port": 1},
           "Tags": [{"Key": "Environment", "Value": "prod"}]}
    assert clean(raw) == {"FunctionName": "f", "LastModified": "2024-05-01T12:00:00+00:00",
                          "PendingModifiedValues": {"Port": 1},
                          "Tags": [{"Key": "Environment", "Value": "prod"}]}


def test_lists_to_expand_are_referenced_or_service_lists():
    managed = [{"PrefixListId": p, "PrefixListName": n} for p, n in [
        ("pl-ddb", "com.amazonaws.eu-west-1.dynamodb"), ("pl-s3", "com.amazonaws.eu-west-1.s3"),
        ("pl-other-region", "com.amazonaws.us-east-1.s3"), ("pl-route", "corp"),
        ("pl-rule", "partners"), ("pl-idle", "idle")]]
    tables = [{"Routes": [{"DestinationPrefixListId": "pl-route"}, {"DestinationCidrBlock": "0.0.0.0/0"}]}]
    groups = [{"IpPermissions": [{"PrefixListIds": [{"PrefixListId": "pl-rule"}]}],
               "IpPermissionsEgress": [{"PrefixListIds": [{"PrefixListId": "pl-not-described"}]}]}]
    assert lists_to_expand(managed, tables, groups, "eu-west-1") == [
        "pl-ddb", "pl-route", "pl-rule", "pl-s3"]


def test_tgw_folding():
    atts = [{"TransitGatewayAttachmentId": "a1", "ResourceType": "vpc"},
            {"TransitGatewayAttachmentId": "a2", "ResourceType": "peering"}]
    vpc_atts = [{"TransitGatewayAttachmentId": "a1", "SubnetIds": ["s1"],
                 "Options": {"ApplianceModeSupport": "enable"}, "VpcId": "v1"}]
    assert with_vpc_attachments(atts, vpc_atts) == [
        {"TransitGatewayAttachmentId": "a1", "ResourceType": "vpc", "SubnetIds": ["s1"],
         "Options": {"ApplianceModeSupport": "enable"}},
        {"TransitGatewayAttachmentId": "a2", "ResourceType": "peering"}]
    tables = [{"TransitGatewayRouteTableId": "t1"}, {"TransitGatewayRouteTableId": "t2"}]
    assert with_tgw_details(tables, {"t1": {"Routes": [], "Associations": [{"State": "associated"}]}}) == [
        {"TransitGatewayRouteTableId": "t1", "Routes": [], "Associations": [{"State": "associated"}]},
        {"TransitGatewayRouteTableId": "t2"}]


def test_assemble_one_region_or_many():
    lists = {key: [] for key in CONTRACT_KEYS}
    one = assemble("111122223333", {"us-east-1": lists})
    assert one == {"SnapshotVersion": 1, "AccountId": "111122223333", "Region": "us-east-1", **lists}
    many = assemble("111122223333", {"us-east-1": lists, "eu-west-1": lists})
    assert many == {"SnapshotVersion": 1, "Accounts": [
        {"AccountId": "111122223333", "Regions": {"eu-west-1": lists, "us-east-1": lists}}]}
    assert len(parse_snapshot(many).regions) == 2


# ---------------------------------------------------------------- writing

def test_write_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "snapshot.json"
    write_snapshot({"SnapshotVersion": 1, "Vpcs": []}, target)
    assert json.loads(target.read_text()) == {"SnapshotVersion": 1, "Vpcs": []}

    def interrupted(src, dst):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_snapshot({"SnapshotVersion": 1, "Vpcs": [{"VpcId": "vpc-new"}]}, target)
    assert json.loads(target.read_text()) == {"SnapshotVersion": 1, "Vpcs": []}
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.json"]


def test_write_to_a_missing_directory_is_one_line(tmp_path):
    with pytest.raises(ReachInputError, match="cannot write"):
        write_snapshot({}, tmp_path / "nowhere" / "snapshot.json")


# ---------------------------------------------------------------- the CLI

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_writes_to_standard_output(endpoint, estate):
    result = runner.invoke(app, ["collect", "--endpoint-url", endpoint, "--region", "us-east-1",
                                 "--output", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["Region"] == "us-east-1" and SECRET not in result.stdout
    parse_snapshot(data)


def test_cli_unreachable_endpoint_is_exit_2(fake_aws_env, tmp_path):
    out = tmp_path / "snapshot.json"
    result = runner.invoke(app, ["collect", "--endpoint-url", f"http://127.0.0.1:{_free_port()}",
                                 "--region", "us-east-1", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith("reach: cannot reach http://127.0.0.1:")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not out.exists()


def test_cli_without_credentials_is_exit_2(fake_aws_env, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name)
    result = runner.invoke(app, ["collect", "--region", "us-east-1", "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 2
    assert result.stderr.startswith("reach: no AWS credentials found")


def test_cli_unknown_profile_is_exit_2(fake_aws_env):
    result = runner.invoke(app, ["collect", "--profile", "nobody", "--region", "us-east-1"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "reach: no AWS profile named 'nobody' in the AWS config files"


def _reach() -> list[str]:
    exe = Path(sys.executable).with_name("reach")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("reach")
    if found is None:
        pytest.skip("the `reach` console script is not installed")
    return [found]


def test_cli_end_to_end_as_a_subprocess(endpoint, estate, tmp_path):
    out = tmp_path / "snapshot.json"
    env = {**os.environ, "CI": "true"}
    run = subprocess.run([*_reach(), "collect", "--endpoint-url", endpoint, "--region", "us-east-1",
                          "--output", str(out)], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "" and run.stderr == ""  # piped and in CI: nothing extra
    text = out.read_text()
    assert SECRET not in text and DB_PASSWORD not in text
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.json"]  # no temporary file left
    show = subprocess.run([*_reach(), "show", "--snapshot", str(out), "--format", "json"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert show.returncode == 0, show.stderr
    assert json.loads(show.stdout)["regions"]


def test_boto3_lives_only_in_reach_collect():
    package = ROOT / "reach"
    offenders = [str(p.relative_to(ROOT)) for p in package.rglob("*.py")
                 if "collect" not in p.relative_to(package).parts
                 and re.search(r"^\s*(import|from)\s+(boto3|botocore)\b", p.read_text(), re.M)]
    assert offenders == []
    # The other commands start without loading boto3 at all.
    code = "import sys, reach, reach.cli; print('boto3' in sys.modules, 'botocore' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.split() == ["False", "False"], run.stderr


# ---------------------------------------------------------------- permissions (issue 13)

def test_roles_and_policies_are_collected_and_nothing_else_from_iam(collected):
    data, _ = collected
    role, = [r for r in data["RoleDetailList"] if r["RoleName"] == "reach-test-lambda"]
    assert [p["PolicyName"] for p in role["RolePolicyList"]] == ["orders-table"]
    assert [p["PolicyName"] for p in role["AttachedManagedPolicies"]] == ["reach-logs"]
    assert any(p["Arn"].endswith(":policy/reach-logs") and p["PolicyVersionList"] for p in data["Policies"])
    text = json.dumps(data)
    assert "alice" not in text and LOGIN_PASSWORD not in text
    assert "AccessKeyId" not in text and "LoginProfile" not in text and "UserDetailList" not in text


def test_function_table_and_bucket_policies_are_collected(collected):
    data, _ = collected
    fp, = [p for p in data["FunctionPolicies"] if p["FunctionName"] == "orders-api" and "Qualifier" not in p]
    assert json.loads(fp["Policy"])["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert [u["AuthType"] for u in data["FunctionUrlConfigs"]] == ["NONE"]
    assert [p["ResourceArn"].rsplit("/", 1)[1] for p in data["ResourcePolicies"]] == ["orders"]
    assert [p["Bucket"] for p in data["BucketPolicies"]] == ["reach-photos"]
    assert {b["Name"] for b in data["Buckets"]} >= {"reach-photos", "reach-plain"}


def test_collected_permissions_answer(collected):
    from reach.permissions import judge_permission
    snap = parse_snapshot(collected[0])
    fn = snap.get("Functions", "orders-api")
    got = judge_permission(snap, fn, service="dynamodb", name="orders",
                           actions=["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"],
                           account=ACCOUNT, region="us-east-1")
    verdicts = {a.action: a.verdict.value for a in got.actions}
    assert verdicts == {"dynamodb:PutItem": "allowed", "dynamodb:DeleteItem": "denied",
                        "dynamodb:Query": "denied"}
    delete = next(a for a in got.actions if a.action == "dynamodb:DeleteItem")
    assert [(d.policy.rsplit("/", 1)[1], d.sid) for d in delete.decided_by] == [("orders", "NoDelete")]


def test_refused_permission_calls_are_gaps(endpoint, estate, monkeypatch):
    """As a user allowed everything but the permission reads: each refusal is a gap, and the
    answers that need them are unknown."""
    from reach.collect.calls import PERMISSION_CALLS
    from reach.permissions import judge_permission
    iam = boto3.client("iam", endpoint_url=endpoint)
    name = "reach-no-permission-reads"
    iam.create_user(UserName=name)
    allowed = [a for a in IAM_ACTIONS if a not in {c.action for c in PERMISSION_CALLS}]
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": allowed, "Resource": "*"}]}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    with pytest.MonkeyPatch.context() as mp:
        _moto_signs_get_requests(mp)
        set_auth(endpoint, 0)
        try:
            session = boto3.Session(aws_access_key_id=key["AccessKeyId"],
                                    aws_secret_access_key=key["SecretAccessKey"],
                                    aws_session_token=None, region_name="us-east-1")
            data = collect_snapshot(session, regions=["us-east-1"], endpoint_url=endpoint)
        finally:
            set_auth(endpoint, float("inf"))
    failed = {(g["Service"], g["Call"]) for g in data["Gaps"]}
    assert {("iam", "GetAccountAuthorizationDetails"), ("dynamodb", "ListTables"),
            ("s3", "ListBuckets"), ("lambda", "GetPolicy")} <= failed
    snap = parse_snapshot(data)
    got = judge_permission(snap, snap.get("Functions", "orders-api"), service="dynamodb",
                           name="orders", actions=["dynamodb:PutItem"], account=ACCOUNT,
                           region="us-east-1")
    assert got.verdict.value == "unknown"
    assert "GetAccountAuthorizationDetails" in got.actions[0].unknowns[0].detail
