"""The engine and the simulator agree on the IPv6 transit scenarios (docs/semantics.md §6v, §6t)."""
from __future__ import annotations

import pytest

from tests.scenarios import test_ipv6_transit as s6

from .simulator import simulate
from .test_engine_vs_simulator import check


def _estates() -> dict[str, dict]:
    static = s6.tgw6(support=("disable", "disable"))
    s6.static6(static, s6.V6_C, "tgw-attach-c")
    s6.static6(static, s6.V6, "tgw-attach-a")
    eigw = s6.egress_hub({"EgressOnlyInternetGatewayId": "eigw-c"})
    eigw["EgressOnlyInternetGateways"] = [{"EgressOnlyInternetGatewayId": "eigw-c",
                                           "Attachments": [{"VpcId": "vpc-c", "State": "attached"}]}]
    igw = s6.egress_hub({"GatewayId": "igw-c"})
    igw["InternetGateways"].append({"InternetGatewayId": "igw-c",
                                    "Attachments": [{"VpcId": "vpc-c", "State": "available"}]})
    return {"propagated": s6.tgw6(), "one-side-disabled": s6.tgw6(support=("enable", "disable")),
            "static-on-disabled": static, "one-az": s6.tgw6(azs=("us-east-1a",)), "eigw-hub": eigw,
            "igw-hub": igw}


EXPECTED = {  # (estate, destination) → the simulator's verdict from sn-priv (us-east-1a)
    ("propagated", s6.DB6): "reachable", ("one-side-disabled", s6.DB6): "unreachable",
    ("static-on-disabled", s6.DB6): "reachable", ("one-az", s6.DB6): "reachable",
    ("eigw-hub", "2606:4700:4700::1111"): "unknown", ("igw-hub", "2606:4700:4700::1111"): "unknown",
}


@pytest.mark.parametrize("name", sorted(_estates()))
@pytest.mark.parametrize("ip,port", [(s6.DB6, 5432), ("2606:4700:4700::1111", 443), ("10.2.1.10", 5432)])
def test_ipv6_transit_scenarios_agree(name, ip, port):
    snap = _estates()[name]
    check(snap, "fn", (ip, port, "tcp"))
    if (name, ip) in EXPECTED:
        assert simulate(snap, "fn", "sn-priv", ip, port, "tcp") == EXPECTED[(name, ip)]
