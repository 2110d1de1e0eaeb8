"""Check that the engine and the packet-by-packet simulator never disagree on random small estates."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

from reach import can_reach, parse_snapshot

from .estates import estates
from .simulator import simulate, simulate_outside_vpc, trace
from .switch import TRANSIT
from .transit_estates import any_estates, packets_for


def _value(verdict) -> str:
    return str(getattr(verdict, "value", verdict))


def _report(estate, fn, packet, subnet, engine, simulator, answer, walked) -> str:
    ip, port, proto = packet
    return "\n".join([
        f"engine and simulator disagree for {fn} in {subnet or '(no VPC)'} → {ip}:{port}/{proto}",
        f"  engine:    {engine}",
        f"  simulator: {simulator}",
        f"  simulator walk (source, verdict, reason), first ones: {walked[:3]}",
        f"  answer: {json.dumps(answer.to_dict(), indent=1, default=str)}",
        f"  estate: {json.dumps(estate, indent=1)}",
    ])


def check(estate: dict, fn: str, packet: tuple[str, int, str]) -> None:
    """Assert that every path of the engine's answer matches the simulator."""
    ip, port, proto = packet
    spec = f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
    answer = can_reach(parse_snapshot(estate), fn, spec, protocol=proto)
    config = next(f for f in estate["Functions"] if f["FunctionName"] == fn).get("VpcConfig") or {}
    subnets = config.get("SubnetIds") or []
    if not subnets:  # outside any VPC (1.1): one path through the Lambda service network
        assert len(answer.paths) == 1, f"expected one path, got {answer.to_dict()}"
        expected = simulate_outside_vpc(estate, fn, ip, port, proto)
        got = _value(answer.paths[0].verdict)
        assert got == expected, _report(estate, fn, packet, None, got, expected, answer,
                                        [("*", expected, "outside any VPC (1.1)")])
        return
    # One path per subnet of the VpcConfig (contract §2.1).
    assert sorted(p.subnet_id for p in answer.paths) == sorted(subnets), answer.to_dict()
    for path in answer.paths:
        expected = simulate(estate, fn, path.subnet_id, ip, port, proto, transit=TRANSIT)
        got = _value(path.verdict)
        if got != expected:
            walked = trace(estate, fn, path.subnet_id, ip, port, proto, transit=TRANSIT)[1]
            pytest.fail(_report(estate, fn, packet, path.subnet_id, got, expected, answer, walked))


@given(data=st.data())
def test_engine_agrees_with_simulator(data):
    # Transit estates join in unless REACH_DIFF_TRANSIT=0 (switch.py).
    estate = data.draw(any_estates() if TRANSIT else estates(), label="estate")
    fn = data.draw(st.sampled_from([f["FunctionName"] for f in estate["Functions"]]),
                   label="function")
    packet = data.draw(packets_for(estate), label="packet")
    check(estate, fn, packet)


def _dual_stack_sample() -> dict:
    """samples/dualstack with NAT64 (2.18) and a dual-stack DynamoDB gateway endpoint (3.6) added."""
    from pathlib import Path

    from .estates import (DDB6_PL, DDB_PL, ddb6_prefix_list_item, ddb_prefix_list_item,
                          gateway_endpoint_item, route)
    snap = json.loads((Path(__file__).resolve().parents[2] / "samples" / "dualstack" / "snapshot.json").read_text())
    private = next(t for t in snap["RouteTables"] if t["RouteTableId"] == "rtb-0c3e5a7b9d2f4c903")
    nat = snap["NatGateways"][0]["NatGatewayId"]
    vpc = snap["Vpcs"][0]["VpcId"]
    private["Routes"] += [route("64:ff9b::/96", nat), route(DDB_PL, "vpce-0d1dd1dd1dd1dd1d1"),
                          route(DDB6_PL, "vpce-0d1dd1dd1dd1dd1d1")]
    snap["VpcEndpoints"] = [gateway_endpoint_item("vpce-0d1dd1dd1dd1dd1d1", vpc, [private["RouteTableId"]],
                                                  ip_type="dualstack")]
    snap["ManagedPrefixLists"] = [ddb_prefix_list_item(), ddb6_prefix_list_item()]
    return snap


@pytest.mark.parametrize("ip", ["64:ff9b::808:808", "64:ff9b::a09:5", "64:ff9b::345e:10a",
                                "2600:1f18:4000::10", "52.94.1.10", "2606:4700:4700::1111"])
@pytest.mark.parametrize("fn", ["fetcher", "fetcher-v4", "mixed", "old-groups"])
def test_nat64_and_dual_stack_endpoints_agree_on_the_sample(fn, ip):
    check(_dual_stack_sample(), fn, (ip, 443, "tcp"))


def test_the_dual_stack_sample_reaches_through_nat64_and_the_endpoint():
    from .simulator import simulate
    snap = _dual_stack_sample()
    p1a = "subnet-0b4d6f8a1c3e5b612"
    for ip in ("64:ff9b::808:808", "2600:1f18:4000::10", "52.94.1.10"):
        assert simulate(snap, "fetcher", p1a, ip, 443) == "reachable", ip


@pytest.mark.parametrize("ip", ["8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "10.20.0.9"])
def test_an_ipv6_only_subnet_sends_nothing_in_both(ip):
    """Lambda sends no IPv6 from an IPv6-only subnet, which gives its ENI no IPv4 address (1.23)."""
    from pathlib import Path
    snap = json.loads((Path(__file__).resolve().parents[2] / "samples" / "dualstack" / "snapshot.json").read_text())
    p1a = next(s for s in snap["Subnets"] if s["SubnetId"] == "subnet-0b4d6f8a1c3e5b612")
    del p1a["CidrBlock"]
    p1a["Ipv6Native"] = True
    for fn in ("fetcher", "fetcher-v4", "mixed"):
        check(snap, fn, (ip, 443, "tcp"))
    from .simulator import simulate
    assert simulate(snap, "fetcher", "subnet-0b4d6f8a1c3e5b612", ip, 443) == "unreachable"
