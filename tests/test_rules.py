"""The gates as tables: security groups, network ACLs, and longest-prefix match (VPC and TGW tables)."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings, strategies as st

from reach import parse_snapshot
from reach.engine.routes import RouteChoice, compile_table, route_classes, split, tgw_route_classes
from reach.engine.rules import _acl_entries, _first_match, acl_allows, protocol_matches, security_groups_allow
from reach.estate import Estate
from reach.packets import EMPTY, EPHEMERAL, IntervalSet, cidr_set, ip_set, port_set, union

from .scenarios.estate import acl, base, entry, route, sg, table
from .scenarios.test_transit_gateway import tgw_estate


def estate(snap: dict) -> Estate:
    return Estate.of(parse_snapshot(copy.deepcopy(snap)))


@pytest.mark.parametrize("rule,protocol,matches", [
    ("-1", "tcp", True), ("-1", "icmp", True), ("tcp", "tcp", True), ("6", "tcp", True),
    ("17", "udp", True), ("1", "icmp", True), ("17", "tcp", False), ("udp", "tcp", False), ("6", "udp", False),
])
def test_protocol_names_numbers_and_minus_one(rule, protocol, matches):
    assert protocol_matches(rule, protocol) is matches  # 4.5, contract §1.1


SG_CASES = [  # (ingress permission, protocol, port, peers, allowed)
    ({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}, "udp", 53, "10.9.0.0/16", "10.9.0.0/16"),
    ({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.9.0.0/24"}]},
     "tcp", 443, "10.9.0.0/16", "10.9.0.0/24"),
    ({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
     "tcp", 80, "10.9.0.0/16", None),
    ({"IpProtocol": "6", "FromPort": 1000, "ToPort": 2000, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
     "tcp", 1500, "10.9.0.0/16", "10.9.0.0/16"),
    ({"IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}, "tcp", 8080, "10.9.0.0/16", "10.9.0.0/16"),
    ({"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "PrefixListIds": [{"PrefixListId": "pl-s3"}]},
     "tcp", 443, "52.0.0.0/8", "52.216.0.0/15"),
    ({"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
     "icmp", 0, "10.9.0.0/16", "10.9.0.0/16"),
]


@pytest.mark.parametrize("perm,protocol,port,peers,allowed", SG_CASES)
def test_security_group_ingress(perm, protocol, port, peers, allowed):
    snap = base()
    sg(snap, "sg-other")["IpPermissions"] = [perm]
    res = security_groups_allow(estate(snap), ["sg-other"], egress=False, protocol=protocol, port=port,
                                peers=cidr_set(peers))
    assert res.allowed == (cidr_set(allowed) if allowed else EMPTY)
    assert not res.unknown


def test_security_group_references_identity_no_rules_and_missing_groups():
    est = estate(base())
    peers = cidr_set("10.0.1.0/24")
    ref = dict(egress=False, protocol="tcp", port=5432, peers=peers, peer_groups=frozenset({"sg-fn"}))
    assert security_groups_allow(est, ["sg-db"], **ref).allowed == peers  # 4.6
    lost = security_groups_allow(est, ["sg-db"], **ref, peer_identity=False)  # past a NAT (4.7)
    assert lost.allowed == EMPTY and lost.lost_reference
    assert security_groups_allow(est, ["sg-fn"], **ref).empty  # no inbound rules at all (4.2)
    missing = security_groups_allow(est, ["sg-gone"], **ref)
    assert missing.unknown == peers and missing.missing == ["sg-gone"]


@pytest.mark.parametrize("identity", [True, False])
def test_a_reference_matches_only_the_sources_that_carry_its_group_whatever_was_asked_before(identity):
    """A group set is compiled once per reference the other side's groups match (4.6, 4.7), not
    once per other side: the database's groups asked about many functions' group sets, in turn."""
    snap = base()
    sg(snap, "sg-db")["IpPermissions"].append(
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.0.9.0/24"}]})
    est = estate(snap)
    peers = cidr_set("10.0.0.0/16")
    asked = [frozenset({"sg-x"}), frozenset({"sg-fn", "sg-x"}), frozenset(), frozenset({"sg-y"}),
             frozenset({"sg-fn"}), frozenset({"sg-x", "sg-y"})]
    for groups in asked:
        res = security_groups_allow(est, ["sg-db"], egress=False, protocol="tcp", port=5432, peers=peers,
                                    peer_groups=groups, peer_identity=identity)
        carries = "sg-fn" in groups
        assert res.allowed == (peers if carries and identity else cidr_set("10.0.9.0/24"))
        assert res.lost_reference is (carries and not identity)
        assert res.rules[0].startswith("sg-db rule 1" if carries and identity else "sg-db rule 2")
    # Two compiled forms: the reference matched, or not.
    assert len(est.memo["sg_compiled"]) == 2


def _winner(ordered, address: int) -> int | None:
    """Longest prefix, then lowest rank (2.5): the first candidate holding the address, or None."""
    return next((i for i, (_, _, _, net) in enumerate(ordered) if address in net), None)


_net = st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda t: IntervalSet([(t[0], t[0] + t[1])]))
_candidates = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 2), st.sampled_from("abcde"), _net),
                       max_size=8).map(lambda cs: [(p, r, RouteChoice(t, t, "active", None), n) for p, r, t, n in cs])
_dest = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=5).map(IntervalSet)


@given(_candidates, _dest)
def test_a_compiled_table_splits_a_set_as_each_address_is_routed(candidates, dest):
    """Longest-prefix match by bisection over the compiled table, against every address routed one
    at a time: each route's part, in the order the routes won, and the part no route holds. The
    same choice may win through several candidates (a prefix list's entries, 2.6)."""
    classes, rest = split(compile_table(candidates), dest)
    ordered = sorted(candidates, key=lambda c: (-c[0], c[1]))  # stable, as the table is compiled
    won = {a: _winner(ordered, a) for lo, hi in dest for a in range(lo, hi + 1)}
    want: dict = {}
    for i, (_, _, choice, _) in enumerate(ordered):
        mine = [a for a, w in won.items() if w == i]
        if mine:
            want.setdefault(choice, []).extend(mine)
    assert [c for c, _ in classes] == list(want)
    assert all(part == IntervalSet((a, a) for a in want[c]) for c, part in classes)
    assert rest == IntervalSet((a, a) for a, w in won.items() if w is None)
    for _, part in classes:  # a set as the engine keeps it: sorted, apart, never adjacent
        assert all(lo <= hi for lo, hi in part) and all(h + 1 < l for (_, h), (l, _) in zip(part, part[1:]))


NACL = [entry(90, False, "deny", "10.9.1.0/24"), entry(100, False, "allow", "10.9.0.0/16", "6", (443, 443)),
        entry(110, False, "allow", "10.9.0.0/16", "tcp", (32768, 65535)),
        entry(120, False, "allow", "10.8.0.0/16", "-1")]
NACL_CASES = [  # (protocol, ports, others, allowed)
    ("tcp", port_set(443, 443), "10.9.0.0/23", ["10.9.0.0/24"]),  # first match: the deny at 90 wins
    ("tcp", port_set(80, 80), "10.9.0.0/16", []),  # no rule: the final * denies (5.2)
    ("tcp", EPHEMERAL, "10.9.2.0/24", []),  # replies need all of 1024-65535 (1.25)
    ("udp", EPHEMERAL, "10.8.0.0/16", ["10.8.0.0/16"]),  # -1 is every protocol and port
]


@pytest.mark.parametrize("protocol,ports,others,allowed", NACL_CASES)
def test_network_acl_first_match_and_ephemeral_replies(protocol, ports, others, allowed):
    snap = base()
    snap["NetworkAcls"].append(acl("acl-t", ["sn-db"], NACL))
    res = acl_allows(estate(snap), "acl-t", egress=False, protocol=protocol, others=cidr_set(others), ports=ports)
    assert res.allowed == union(cidr_set(a) for a in allowed)


_CIDRS = ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.128/25", "10.1.2.7/32", "10.1.3.0/24"]
_entries = st.lists(st.tuples(st.sampled_from(["allow", "deny"]), st.sampled_from(_CIDRS),
                              st.sampled_from(["-1", "tcp", "udp"]),
                              st.sampled_from([None, (443, 443), (1024, 2000), (1024, 65535), (2001, 65535)])),
                    max_size=6)
_others = st.lists(st.sampled_from(["10.1.2.7/32", "10.1.2.1/32", "10.1.2.9/32", "10.1.2.0/30", "10.1.2.128/26",
                                    "10.1.2.0/24", "10.1.0.0/16", "10.1.3.5/32", "10.9.9.9/32"]),
                   max_size=3).map(lambda cs: union(cidr_set(c) for c in cs))


@settings(max_examples=150, deadline=None)
@given(_entries, _others, st.sampled_from([port_set(443, 443), port_set(80, 80), EPHEMERAL]))
def test_a_nacl_decides_any_addresses_as_first_match_does_for_them(entries, others, ports):
    """The decision made once per stretch between the entries' bounds and given the addresses asked
    about is the one first match (5.2) makes for them, ports split across entries included (1.25)."""
    snap = base()
    snap["NetworkAcls"].append(acl("acl-t", ["sn-db"], [entry(10 * (i + 1), False, action, cidr, proto, ports)
                                                        for i, (action, cidr, proto, ports) in enumerate(entries)]))
    est = estate(snap)
    reference = _first_match(_acl_entries(est, "acl-t", egress=False, protocol="tcp"), others, ports)
    for asked in (others, others):  # the second time from the stretch the first one worked out
        est.memo.pop("acl", None)
        assert acl_allows(est, "acl-t", egress=False, protocol="tcp", others=asked, ports=ports) == reference


def classes_of(est, table_id: str, dest: str):
    classes, rest, missing = route_classes(est, table_id, "vpc-a", cidr_set(dest))
    return {(c.target, c.destination, c.state): part for c, part in classes}, rest, missing


def test_longest_prefix_with_prefix_lists_blackholes_and_the_local_route():
    snap = base()
    table(snap, "rt-priv")["Routes"] += [
        route("pl-ddb", GatewayId="vpce-ddb"), route("10.7.0.0/16", VpcPeeringConnectionId="pcx-1"),
        {**route("10.7.3.0/24", NatGatewayId="nat-old"), "State": "blackhole"}]
    est = estate(snap)
    got, rest, missing = classes_of(est, "rt-priv", "0.0.0.0/0")
    assert not rest and not missing
    assert got[("local", "10.0.0.0/16", "active")] == cidr_set("10.0.0.0/16")  # 2.2
    assert got[("vpce-ddb", "pl-ddb", "active")] == cidr_set("52.94.0.0/22") | cidr_set("52.119.224.0/20")  # 2.6
    assert got[("nat-old", "10.7.3.0/24", "blackhole")] == cidr_set("10.7.3.0/24")  # 2.8
    assert got[("pcx-1", "10.7.0.0/16", "active")] == cidr_set("10.7.0.0/16") - cidr_set("10.7.3.0/24")  # 2.5


def test_a_static_route_beats_an_equal_prefix_list_entry_and_no_route_is_left_over():
    snap = base()
    table(snap, "rt-priv")["Routes"] = [route("pl-s3", GatewayId="vpce-s3"),
                                        route("52.216.0.0/15", NatGatewayId="nat-1")]
    got, rest, _ = classes_of(estate(snap), "rt-priv", "52.216.0.0/15")
    assert list(got) == [("nat-1", "52.216.0.0/15", "active")]  # 2.5
    _, rest, _ = classes_of(estate(snap), "rt-priv", "8.8.8.8/32")
    assert rest == cidr_set("8.8.8.8/32")


def test_an_unexpandable_prefix_list_leaves_all_but_static_host_routes_undecided():
    snap = base()
    table(snap, "rt-priv")["Routes"] = [route("pl-gone", GatewayId="vpce-x"),
                                        route("52.1.1.1/32", NatGatewayId="nat-1")]
    got, rest, missing = classes_of(estate(snap), "rt-priv", "52.0.0.0/8")
    assert missing == ["pl-gone"] and rest == EMPTY
    assert got == {("nat-1", "52.1.1.1/32", "active"): ip_set(["52.1.1.1"])}


def test_tgw_route_table_static_beats_propagated_and_blackholes_win_their_prefix():
    snap = tgw_estate()
    snap["TransitGatewayRouteTables"][0]["Routes"] = [
        {"DestinationCidrBlock": "10.2.0.0/16", "Type": "static", "State": "active",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-a"}]},
        {"DestinationCidrBlock": "10.2.1.0/24", "Type": "static", "State": "blackhole"}]
    classes, rest = tgw_route_classes(estate(snap), "tgw-rtb-1", cidr_set("10.0.0.0/8"))
    got = {(c.target, c.destination, c.note): part for c, part in classes}
    assert got[("blackhole", "10.2.1.0/24", "")] == cidr_set("10.2.1.0/24")
    assert got[("tgw-attach-a", "10.2.0.0/16", "")] == cidr_set("10.2.0.0/16") - cidr_set("10.2.1.0/24")
    assert got[("tgw-attach-a", "10.0.0.0/16", "propagated")] == cidr_set("10.0.0.0/16")  # 6.9
    assert rest == cidr_set("10.0.0.0/8") - cidr_set("10.0.0.0/16") - cidr_set("10.2.0.0/16")
