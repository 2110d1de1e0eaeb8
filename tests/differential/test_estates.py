"""Check that the estate generator keeps AWS's own invariants, so disagreements are about rules only."""
from __future__ import annotations

import ipaddress
from collections import Counter

from hypothesis import given, settings, strategies as st

from .estates import estates, packets
from .transit_estates import packets_for, transit_estates


@settings(max_examples=200)
@given(data=st.data())
def test_generated_estates_are_consistent(data):
    e = data.draw(estates())
    vpcs = {v["VpcId"]: [ipaddress.ip_network(a["CidrBlock"]) for a in v["CidrBlockAssociationSet"]]
            for v in e["Vpcs"]}
    all_cidrs = [c for cs in vpcs.values() for c in cs]
    assert not any(a.overlaps(b) for i, a in enumerate(all_cidrs) for b in all_cidrs[i + 1:])
    subnets = {s["SubnetId"]: s for s in e["Subnets"]}
    nets = [ipaddress.ip_network(s["CidrBlock"]) for s in e["Subnets"]]
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1:])
    for s in e["Subnets"]:
        net = ipaddress.ip_network(s["CidrBlock"])
        assert 26 <= net.prefixlen <= 28
        assert any(net.subnet_of(c) for c in vpcs[s["VpcId"]])
    # ENI and NAT addresses: usable, inside their subnet, never shared.
    addresses = [(x["SubnetId"], x["PrivateIpAddress"]) for x in e["NetworkInterfaces"]]
    addresses += [(n["SubnetId"], n["NatGatewayAddresses"][0]["PrivateIp"]) for n in e["NatGateways"]]
    assert not [a for a, n in Counter(ip for _, ip in addresses).items() if n > 1]
    for subnet_id, ip in addresses:
        net = ipaddress.ip_network(subnets[subnet_id]["CidrBlock"])
        offset = int(ipaddress.ip_address(ip)) - int(net.network_address)
        assert 4 <= offset < net.num_addresses - 1
    # IPv6: a subnet's /64 lies in its VPC's /56; ENI IPv6 addresses are usable and never shared.
    six = {v["VpcId"]: [ipaddress.ip_network(a["Ipv6CidrBlock"]) for a in v["Ipv6CidrBlockAssociationSet"]]
           for v in e["Vpcs"]}
    for s in e["Subnets"]:
        for a in s["Ipv6CidrBlockAssociationSet"]:
            net = ipaddress.ip_network(a["Ipv6CidrBlock"])
            assert net.prefixlen == 64 and any(net.subnet_of(c) for c in six[s["VpcId"]])
    sixes = [(x["SubnetId"], a["Ipv6Address"]) for x in e["NetworkInterfaces"] for a in x["Ipv6Addresses"]]
    assert len({ip for _, ip in sixes}) == len(sixes)
    for subnet_id, ip in sixes:
        net = ipaddress.ip_network(subnets[subnet_id]["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"])
        assert 4 <= int(ipaddress.ip_address(ip)) - int(net.network_address) < net.num_addresses - 1
    # One main route table per VPC, at most one explicit table and one NACL per subnet (2.1, 5.4).
    mains = Counter(rt["VpcId"] for rt in e["RouteTables"]
                    if any(a.get("Main") for a in rt["Associations"]))
    assert mains == Counter(list(vpcs))
    for key in ("RouteTables", "NetworkAcls"):
        linked = Counter(a["SubnetId"] for x in e[key] for a in x["Associations"] if a.get("SubnetId"))
        assert all(n == 1 for n in linked.values()), key
    # Every route table has its local route and no two routes for one destination.
    for rt in e["RouteTables"]:
        dests = [r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock")
                 or r.get("DestinationPrefixListId") for r in rt["Routes"]]
        assert len(dests) == len(set(dests))
        assert vpcs[rt["VpcId"]][0].with_prefixlen in dests
    # Functions: 1-3, each in 1-2 subnets and 1-2 groups of one VPC, or outside any VPC.
    assert 1 <= len(e["Functions"]) <= 3
    for f in e["Functions"]:
        config = f.get("VpcConfig") or {}
        if config.get("SubnetIds"):
            assert {subnets[s]["VpcId"] for s in config["SubnetIds"]} == {config["VpcId"]}
            assert 1 <= len(config["SecurityGroupIds"]) <= 2
    ip, port, protocol = data.draw(packets(e))
    ipaddress.ip_address(ip)
    assert port in (443, 5432, 3306, 22, 80, 8080) and protocol in ("tcp", "udp")


@settings(max_examples=200)
@given(data=st.data())
def test_transit_estates_are_consistent(data):
    e = data.draw(transit_estates())
    nets = [ipaddress.ip_network(s["CidrBlock"]) for s in e["Subnets"]]
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1:])
    subnets = {s["SubnetId"]: s for s in e["Subnets"]}
    vpcs = {v["VpcId"]: ipaddress.ip_network(v["CidrBlock"]) for v in e["Vpcs"]}
    assert all(ipaddress.ip_network(s["CidrBlock"]).subnet_of(vpcs[s["VpcId"]]) for s in subnets.values())
    tables = {t["TransitGatewayRouteTableId"]: t for t in e["TransitGatewayRouteTables"]}
    tgws = {t["TransitGatewayId"] for t in e["TransitGateways"]}
    details = {a["TransitGatewayAttachmentId"]: a for a in e.get("TransitGatewayVpcAttachments", [])}
    sides = Counter(a["TransitGatewayAttachmentId"] for a in e["TransitGatewayAttachments"])
    for a in e["TransitGatewayAttachments"]:
        assert a["TransitGatewayId"] in tgws
        table = (a.get("Association") or {}).get("TransitGatewayRouteTableId")
        if table:  # an association is listed on its table of the same TGW (6.9)
            assert tables[table]["TransitGatewayId"] == a["TransitGatewayId"]
            assert a["TransitGatewayAttachmentId"] in [x["TransitGatewayAttachmentId"]
                                                       for x in tables[table]["Associations"]]
        if a["ResourceType"] == "peering":  # one copy per side, each naming the other TGW
            assert a["ResourceId"] in tgws and a["ResourceId"] != a["TransitGatewayId"]
            continue
        assert sides[a["TransitGatewayAttachmentId"]] == 1
        if a["ResourceType"] == "vpn":
            continue
        ids = a.get("SubnetIds") or details[a["TransitGatewayAttachmentId"]]["SubnetIds"]
        # One subnet per AZ, all in the attached VPC (6.8).
        assert {subnets[s]["VpcId"] for s in ids} == {a["ResourceId"]}
        assert len({subnets[s]["AvailabilityZone"] for s in ids}) == len(ids) >= 1
    for rt in e["RouteTables"]:
        for r in rt["Routes"]:
            if r.get("TransitGatewayId"):
                assert r["TransitGatewayId"] in tgws
    ip, port, protocol = data.draw(packets_for(e))
    ipaddress.ip_address(ip)
