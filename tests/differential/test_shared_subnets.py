"""Shared subnets, checked against the simulator: an estate split into a network account (VPCs,
subnets, routes, NACLs, gateways) and an application account (functions, their ENIs and security
groups, living in the network account's VPCs) is the same network, so every path's verdict must
equal the simulator's on the unsplit estate (shared VPC:
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-share-limitations.html)."""
from __future__ import annotations

import copy

from hypothesis import given, settings, strategies as st

from reach import can_reach, parse_snapshot

from .estates import estates, packets
from .simulator import simulate

NETWORK, APPLICATION = "111111111111", "222222222222"
# What a participant owns in a shared VPC; the rest stays with the owner. The participant's
# DescribeVpcs and DescribeSubnets list the shared VPC and subnets as well.
PARTICIPANT = ("Functions", "SecurityGroups", "NetworkInterfaces")
SEEN_BY_BOTH = ("Vpcs", "Subnets")


def split(estate: dict) -> dict:
    owner = {k: copy.deepcopy(v) for k, v in estate.items()
             if isinstance(v, list) and k not in PARTICIPANT}
    participant = {k: copy.deepcopy(estate.get(k, [])) for k in (*PARTICIPANT, *SEEN_BY_BOTH)}
    for key, lists in (("owner", owner), ("participant", participant)):
        mine = NETWORK if key == "owner" else APPLICATION
        for k in ("SecurityGroups", "NetworkInterfaces"):
            for item in lists.get(k, []):
                item["OwnerId"] = mine
    for lists in (owner, participant):
        for k in SEEN_BY_BOTH:
            for item in lists.get(k, []):
                item["OwnerId"] = NETWORK
    return {"SnapshotVersion": 1, "Accounts": [
        {"AccountId": NETWORK, "Regions": {estate["Region"]: owner}},
        {"AccountId": APPLICATION, "Regions": {estate["Region"]: participant}}]}


@settings(max_examples=60)
@given(data=st.data())
def test_a_shared_subnet_answers_as_the_unsplit_estate(data):
    estate = data.draw(estates(), label="estate")
    in_vpc = [f["FunctionName"] for f in estate["Functions"]
              if (f.get("VpcConfig") or {}).get("SubnetIds")]
    if not in_vpc:
        return
    fn = data.draw(st.sampled_from(in_vpc), label="function")
    ip, port, proto = data.draw(packets(estate), label="packet")
    spec = f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"  # IPv6 packets name the address in brackets
    answer = can_reach(parse_snapshot(split(estate)), fn, spec, protocol=proto)
    assert answer.source["account_id"] == APPLICATION
    for path in answer.paths:
        expected = simulate(estate, fn, path.subnet_id, ip, port, proto)
        assert str(path.verdict.value) == expected, (path.subnet_id, answer.to_dict())
