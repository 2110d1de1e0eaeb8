"""Scenarios across accounts: shared subnets (RAM), peering and transit gateways between accounts.

Shared VPC: the owner account holds the subnets, route tables, NACLs, gateways and endpoints; a
participant's functions use them, behind the participant's own security groups, which live in the
owner's VPC, and the participant owns their network interfaces
(https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html,
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-share-limitations.html).
"""
from __future__ import annotations

import copy

import pytest

from reach import audit, can_reach, parse_snapshot
from reach.errors import ReachInputError

from .org_estate import (A, B, C, REGION, network_account, network_peered, org, payments_account,
                         reports_account, unread)
from .test_transit_gateway import tgw_estate


def _ask(snap: dict, source: str, target: str):
    return can_reach(parse_snapshot(copy.deepcopy(snap)), source, target)


def _hops(answer, n: int = 0) -> list[str]:
    return [h.component_id for h in answer.paths[n].hops]


def _notes(answer) -> list[tuple[str, str, str]]:
    return [(n["code"], n["component_id"], n.get("account_id")) for n in answer.notes]


# ---------------------------------------------------------------- shared subnets

def test_shared_subnet_uses_the_owners_network_and_the_participants_group():
    a = _ask(org((A, network_account()), (B, payments_account())), "payments", "internet")
    assert a.verdict == "reachable"
    hops = _hops(a)
    assert hops[0] == "sg-pay"  # B's group, in A's VPC
    assert hops[1:4] == ["rt-priv", "acl-default", "nat-1"]  # A's route table, NACL, NAT
    assert a.source["account_id"] == B and a.source["vpc_id"] == "vpc-a"


def test_shared_subnet_blocked_by_the_owners_nacl():
    network = network_account()
    for acl in network["NetworkAcls"]:
        acl["Entries"] = [e for e in acl["Entries"] if e["RuleNumber"] != 100 or not e["Egress"]]
    a = _ask(org((A, network), (B, payments_account())), "payments", "internet")
    assert a.verdict == "unreachable"
    b = a.paths[0].blocked_by
    assert (b.code, b.component_id) == ("SUBNET_ACL_RESTRICTION", "acl-default")


def test_shared_subnet_blocked_by_the_participants_group():
    payments = payments_account()
    payments["SecurityGroups"][0]["IpPermissionsEgress"] = []
    a = _ask(org((A, network_account()), (B, payments)), "payments", "internet")
    assert a.verdict == "unreachable"
    assert a.paths[0].blocked_by.component_id == "sg-pay"


def test_a_database_of_the_owner_sees_the_participants_group():
    network = network_account()
    for g in network["SecurityGroups"]:
        if g["GroupId"] == "sg-db":
            g["IpPermissions"][0]["UserIdGroupPairs"] = [{"GroupId": "sg-pay", "UserId": B}]
    a = _ask(org((A, network), (B, payments_account())), "payments", "rds:db-1")
    assert a.verdict == "reachable"  # 4.8 across accounts in one VPC


@pytest.mark.parametrize("owner", [None, unread()])
def test_shared_subnet_without_its_owner_is_unknown_and_names_the_account(owner):
    accounts = [(B, payments_account())] + ([(A, owner)] if owner else [])
    a = _ask(org(*accounts), "payments", "internet")
    assert a.verdict == "unknown"
    assert ("ACCOUNT_NOT_COLLECTED", "sn-priv", A) in _notes(a)
    why = next(n["why"] for n in a.notes if n["code"] == "ACCOUNT_NOT_COLLECTED")
    assert why.startswith("sts:AssumeRole") if owner else why == "not in the snapshot"


def test_the_owners_copy_of_a_shared_object_is_kept_whatever_the_order():
    network = network_account()
    payments = payments_account()
    payments["Subnets"][0]["AvailableIpAddressCount"] = 7  # the participant's stale view
    for order in ([(A, network), (B, payments)], [(B, payments), (A, network)]):
        snap = parse_snapshot(org(*order))
        assert snap.get("Subnets", "sn-priv").available_ip_address_count == 250
        assert snap.location["sn-priv"].account_id == A


# ---------------------------------------------------------------- peering across accounts

def test_cross_account_peering_judged_with_both_sides():
    a = _ask(org((A, network_peered()), (C, reports_account())), "reports", "rds:db-1")
    assert a.verdict == "reachable"
    assert "pcx-ac" in _hops(a) and "rt-main" in _hops(a)  # C's route out, A's route back (6.1)


def test_cross_account_peering_without_the_route_back_is_unreachable():
    network = network_peered()
    for rt in network["RouteTables"]:
        rt["Routes"] = [r for r in rt["Routes"] if r.get("VpcPeeringConnectionId") != "pcx-ac"]
    a = _ask(org((A, network), (C, reports_account())), "reports", "rds:db-1")
    assert a.verdict == "unreachable"


@pytest.mark.parametrize("peer", [None, unread()])
def test_cross_account_peering_without_the_peer_is_unknown_and_named(peer):
    accounts = [(C, reports_account())] + ([(A, peer)] if peer else [])
    a = _ask(org(*accounts), "reports", "10.0.3.10:5432")
    assert a.verdict == "unknown"
    assert "vpc-a" in a.paths[0].missing
    assert ("ACCOUNT_NOT_COLLECTED", "vpc-a", A) in _notes(a)


# ---------------------------------------------------------------- transit gateway across accounts

def _tgw_org() -> tuple[dict, dict]:
    """tgw_estate split in two: A owns the TGW, its route table and vpc-a; C owns vpc-c and db-c
    and sees its own attachment without the association (only the TGW's owner sees that)."""
    single = tgw_estate()
    mine = {"vpc-c", "sn-c", "rt-c", "acl-c", "sg-c", "eni-c", "db-c"}
    ids = ("VpcId", "SubnetId", "RouteTableId", "NetworkAclId", "GroupId", "NetworkInterfaceId",
           "DBInstanceIdentifier")
    a_lists: dict = {}
    c_lists: dict = {}
    for key, items in single.items():
        if not isinstance(items, list):
            continue
        for item in items:
            rid = next((item[k] for k in ids if k in item), None)
            (c_lists if rid in mine else a_lists).setdefault(key, []).append(item)
    for att in a_lists["TransitGatewayAttachments"]:
        att["TransitGatewayOwnerId"] = A
        att["ResourceOwnerId"] = C if att["ResourceId"] == "vpc-c" else A
    own = copy.deepcopy(next(t for t in a_lists["TransitGatewayAttachments"]
                             if t["ResourceId"] == "vpc-c"))
    del own["Association"]
    c_lists["TransitGatewayAttachments"] = [own]
    for item in c_lists.get("Vpcs", []):
        item["OwnerId"] = C
    return a_lists, c_lists


def test_cross_account_transit_gateway_judged_with_both_sides():
    a_lists, c_lists = _tgw_org()
    for order in ([(A, a_lists), (C, c_lists)], [(C, c_lists), (A, a_lists)]):
        a = _ask(org(*order), "fn", "rds:db-c")
        assert a.verdict == "reachable", order[0][0]  # the owner's attachment, with its association
        assert any(h.kind == "transit-gateway-route-table" for h in a.paths[0].hops)


def test_cross_account_transit_gateway_without_the_attached_account_is_unknown():
    a_lists, _ = _tgw_org()
    a = _ask(org((A, a_lists), (C, unread())), "fn", "10.2.1.10:5432")
    assert a.verdict == "unknown"
    assert any(code == "ACCOUNT_NOT_COLLECTED" and acct == C for code, _, acct in _notes(a))


# ---------------------------------------------------------------- one name in several accounts

def test_one_function_name_in_two_accounts_is_asked_by_arn():
    payments = payments_account()
    twin = copy.deepcopy(payments)
    twin["Functions"][0]["FunctionArn"] = f"arn:aws:lambda:{REGION}:{C}:function:payments"
    twin["Functions"][0]["VpcConfig"]["SecurityGroupIds"] = ["sg-twin"]
    twin["SecurityGroups"] = [{"GroupId": "sg-twin", "VpcId": "vpc-a", "OwnerId": C,
                               "IpPermissions": [], "IpPermissionsEgress": []}]
    twin["NetworkInterfaces"] = []
    snap = org((A, network_account()), (B, payments), (C, twin))
    with pytest.raises(ReachInputError, match="is in 2 accounts or Regions; name it by ARN"):
        _ask(snap, "payments", "internet")
    mine = _ask(snap, f"arn:aws:lambda:{REGION}:{B}:function:payments", "internet")
    theirs = _ask(snap, f"arn:aws:lambda:{REGION}:{C}:function:payments", "internet")
    assert (mine.verdict, theirs.verdict) == ("reachable", "unreachable")
    assert (mine.source["account_id"], theirs.source["account_id"]) == (B, C)


def test_one_database_identifier_in_two_accounts_is_asked_by_arn():
    """db-1 exists in the network account and, by the same identifier, in the reports account's
    VPC; a question names one by ARN, and the audit asks each function about the one it can route
    to, by ARN."""
    reports = reports_account()
    reports["SecurityGroups"].append({"GroupId": "sg-cdb", "VpcId": "vpc-c", "OwnerId": C,
                                      "IpPermissionsEgress": [], "IpPermissions": [
                                          {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                           "UserIdGroupPairs": [{"GroupId": "sg-rep"}]}]})
    reports["NetworkInterfaces"] = [{"NetworkInterfaceId": "eni-cdb", "SubnetId": "sn-c", "VpcId": "vpc-c",
                                     "AvailabilityZone": "us-east-1a", "PrivateIpAddress": "10.1.1.20",
                                     "Description": "RDSNetworkInterface", "Groups": [{"GroupId": "sg-cdb"}]}]
    reports["DBInstances"] = [{"DBInstanceIdentifier": "db-1", "Engine": "postgres",
                               "DBInstanceArn": f"arn:aws:rds:{REGION}:{C}:db:db-1",
                               "AvailabilityZone": "us-east-1a", "Endpoint": {"Port": 5432},
                               "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-cdb"}],
                               "DBSubnetGroup": {"VpcId": "vpc-c", "Subnets": [{"SubnetIdentifier": "sn-c"}]}}]
    snap = org((A, network_account()), (B, payments_account()), (C, reports))
    with pytest.raises(ReachInputError, match=r"rds:db-1 is in 2 accounts or Regions; name it by ARN"):
        _ask(snap, "reports", "rds:db-1")
    theirs = f"rds:arn:aws:rds:{REGION}:{A}:db:db-1"  # no DBInstanceArn: made up from its home
    mine = f"rds:arn:aws:rds:{REGION}:{C}:db:db-1"
    assert _ask(snap, "reports", mine).verdict == "reachable"
    assert _ask(snap, "reports", theirs).verdict == "unreachable"  # A routes nothing back (6.1)
    report = audit(parse_snapshot(copy.deepcopy(snap)))
    asked = {(a.source["function"], a.target["spec"]) for a in report.results
             if a.target["spec"].startswith("rds:")}
    assert {("reports", mine), ("reports", theirs), ("payments", theirs)} <= asked  # pcx-ac links them
