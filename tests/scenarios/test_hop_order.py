"""The order of the hops is part of the answer: each scenario asserts the whole sequence, typed."""
from __future__ import annotations

from .estate import ask, base
from .test_transit_gateway import tgw_estate


def sequence(answer, path: int = 0) -> list[tuple[str, str, str]]:
    return [(h.component_id, h.kind, h.direction) for h in answer.paths[path].hops]


def test_nat_path_out_and_its_replies_in_order():
    a = ask(base(), "internet")
    assert a.verdict == "reachable"
    assert sequence(a) == [
        ("sg-fn", "security-group-egress", "outbound"),
        ("rt-priv", "route-table", "outbound"),
        ("acl-default", "network-acl-egress", "outbound"),      # out of the function's subnet (5.9)
        ("nat-1", "nat-gateway", "outbound"),
        ("acl-default", "network-acl-ingress", "outbound"),     # into the NAT's subnet
        ("rt-pub", "route-table", "outbound"),                  # the NAT's own route table (2.15)
        ("igw-1", "internet-gateway", "outbound"),
        ("acl-default", "network-acl-egress", "outbound"),      # out of the NAT's subnet
        ("acl-default", "network-acl-ingress", "reply"),        # replies back into the NAT's subnet
        ("acl-default", "network-acl-egress", "reply"),
        ("acl-default", "network-acl-ingress", "reply"),        # and home, on 1024-65535 (1.25)
    ]
    hops = a.paths[0].hops
    assert [h.refs for h in hops[1:5]] == [("rt-priv", "nat-1"), ("acl-default", "sn-priv"), ("nat-1", "sn-pub"),
                                           ("acl-default", "sn-pub")]
    assert hops[0].rule == "4.1-4.6" and hops[3].rule == "2.15-2.21"


def test_local_path_to_rds_then_the_reply():
    a = ask(base(), "rds:db-1")
    assert [h[0] for h in sequence(a)] == ["sg-fn", "rt-priv", "acl-default", "acl-default", "sg-db",
                                           "acl-default", "acl-default"]
    assert [h.direction for h in a.paths[0].hops].index("reply") == 5
    assert a.paths[0].hops[1].refs == ("rt-priv",)  # `local` is not an AWS id


def test_transit_gateway_there_and_back_in_order():
    a = ask(tgw_estate(), "rds:db-c")
    assert a.verdict == "reachable"
    assert sequence(a) == [
        ("sg-fn", "security-group-egress", "outbound"),
        ("rt-priv", "route-table", "outbound"),
        ("acl-default", "network-acl-egress", "outbound"),
        ("tgw-attach-a", "transit-gateway-attachment", "outbound"),
        ("acl-default", "network-acl-ingress", "outbound"),     # the attachment subnet, inbound (TGW NACL doc)
        ("tgw-rtb-1", "transit-gateway-route-table", "outbound"),
        ("tgw-attach-c", "transit-gateway-attachment", "outbound"),  # out through sn-c, the flow's AZ (T2)
        ("rt-c", "route-table", "outbound"),                    # sn-c's table: local (T3)
        ("sg-c", "security-group-ingress", "outbound"),
        ("rt-c", "route-table", "reply"),                       # the far subnet's route back decides (T4)
        ("acl-c", "network-acl-egress", "reply"),
        ("tgw-attach-c", "transit-gateway-attachment", "reply"),
        ("acl-c", "network-acl-ingress", "reply"),              # into the TGW from sn-c itself (tgw-nacls)
        ("tgw-rtb-1", "transit-gateway-route-table", "reply"),
        ("tgw-attach-a", "transit-gateway-attachment", "reply"),
        ("rt-main", "route-table", "reply"),                    # sn-tgw-a's table: local
        ("acl-default", "network-acl-egress", "reply"),
        ("acl-default", "network-acl-ingress", "reply"),
    ]
