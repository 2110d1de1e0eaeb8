"""The benchmark's generator and a tiny estate audited end to end: correctness only, never speed."""
from __future__ import annotations

import json

from bench.generate import SIZES, generate
from reach import can_reach, parse_snapshot
from reach.questions.audit import audit


def test_generator_is_seeded_and_reproducible():
    assert json.dumps(generate(SIZES["XS"], seed=3)) == json.dumps(generate(SIZES["XS"], seed=3))
    assert json.dumps(generate(SIZES["XS"], seed=3)) != json.dumps(generate(SIZES["XS"], seed=4))


def test_more_functions_over_the_same_combinations():
    few, many = generate(SIZES["XS"], functions=20), generate(SIZES["XS"], functions=200)
    combos = lambda e: {(tuple(f["VpcConfig"]["SubnetIds"]), tuple(f["VpcConfig"]["SecurityGroupIds"]))
                        for f in e["Functions"] if "VpcConfig" in f}
    assert len(many["Functions"]) == 10 * len(few["Functions"])
    assert combos(many) == combos(few)


def test_tiny_estate_audits_consistently_with_can_reach():
    raw = generate(SIZES["XS"], seed=5)
    report = audit(parse_snapshot(raw))
    kinds = {a.target["kind"] for a in report.results}
    assert kinds == {"internet", "dynamodb", "s3", "rds"}
    assert len({a.source["function"] for a in report.results}) == len(raw["Functions"])
    fresh = parse_snapshot(raw)
    for a in report.results[::7]:
        assert a.to_dict() == can_reach(fresh, a.source["function"], a.target["spec"],
                                        network_only_note=False).to_dict()


def test_two_workers_give_the_same_answers():
    raw = generate(SIZES["XS"], seed=6)
    one = audit(parse_snapshot(raw), workers=1)
    two = audit(parse_snapshot(raw), workers=2)
    assert [a.to_dict() for a in one.results] == [a.to_dict() for a in two.results]


def test_generated_organisation_shares_subnets_and_nothing_else_collides():
    from bench.org import account_id, generate_org
    raw = generate_org(3, "XS", seed=2)
    snap = parse_snapshot(raw)
    per_account = {}
    for rs in snap.regions:
        for key in ("Vpcs", "Subnets", "SecurityGroups", "NetworkInterfaces", "RouteTables"):
            for item in getattr(rs, {"Vpcs": "vpcs", "Subnets": "subnets", "SecurityGroups": "security_groups",
                                     "NetworkInterfaces": "network_interfaces",
                                     "RouteTables": "route_tables"}[key]):
                per_account.setdefault(item.model_dump(by_alias=True).get(
                    {"Vpcs": "VpcId", "Subnets": "SubnetId", "SecurityGroups": "GroupId",
                     "NetworkInterfaces": "NetworkInterfaceId", "RouteTables": "RouteTableId"}[key]),
                    set()).add(rs.account_id)
    shared = {rid for rid, accounts in per_account.items() if len(accounts) > 1}
    network_vpc = raw["Accounts"][0]["Regions"]["us-east-1"]["Vpcs"][0]["VpcId"]
    assert network_vpc in shared and len(shared) == 3  # the VPC and its two shared subnets
    report = audit(snap)
    accounts = {a.source["account_id"] for a in report.results}
    assert accounts == {account_id(k) for k in range(3)}
    moved = [a for a in report.results if a.source["account_id"] == account_id(1)
             and a.source["vpc_id"] == network_vpc]
    assert moved and {a.target["kind"] for a in moved} >= {"internet", "dynamodb", "s3"}
