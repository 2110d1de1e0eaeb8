"""The simulator's sources: which addresses, with which security groups, a function's ENI in a subnet
may send from (1.5-1.7, 1.13-1.15, 1.20), and whether it has an IPv6 source at all (1.23). Like the
rest of the simulator it reads the raw snapshot and shares no code with reach."""
from __future__ import annotations

import ipaddress

from .gates import (eni_addresses, eni_groups, find, find_function, function_groups, ipv6_cidrs, is_v6,
                    items_of, lower)


def _described_function(eni: dict) -> str:
    """The function named in a Lambda ENI's Description, "AWS Lambda VPC ENI-<name>-<suffix>" (1.14)."""
    text = eni.get("Description") or ""
    prefix = "AWS Lambda VPC ENI-"
    return text[len(prefix):].rsplit("-", 1)[0] if text.startswith(prefix) else ""


def sources(snap: dict, function_name: str, subnet_id: str,
            six: bool = False) -> list[tuple[str, list[str]]]:
    """The (address, security groups) the function's ENI in subnet_id may have.

    The snapshot's `lambda` ENIs serving this (subnet, SG set) combination when it has any (1.5,
    1.6, 1.13): those whose groups equal the set, and those changed by hand that were created for
    the combination (their Description names a function with it, 1.14, and their groups are no live
    combination's), which keep serving it with the groups they now carry (1.15, TC20). Otherwise every usable address of the subnet (AWS
    reserves the first four and the last) that no other interface holds, with the function's
    own groups.
    """
    fn = find_function(snap, function_name)
    groups = function_groups(fn)
    subnet = find(snap, "Subnets", "SubnetId", subnet_id)
    if six:
        # An IPv6 source needs the flag and an IPv6 CIDR on the subnet (1.23).
        if not (fn.get("VpcConfig") or {}).get("Ipv6AllowedForDualStack") or not ipv6_cidrs(subnet):
            return []

    def has_combination(f: dict) -> bool:
        config = f.get("VpcConfig") or {}
        return subnet_id in (config.get("SubnetIds") or []) and set(function_groups(f)) == set(groups)

    combination_functions = {f["FunctionName"] for f in items_of(snap, "Functions") if has_combination(f)}
    # Group sets some function (any version) uses in this subnet: an ENI carrying one of them
    # serves that combination, whatever function its Description names (1.5, 1.7).
    live_sets = [set(function_groups(f)) for f in items_of(snap, "Functions")
                 if subnet_id in ((f.get("VpcConfig") or {}).get("SubnetIds") or [])]
    found = []
    serving: list[list[str]] = []  # the group sets of the ENIs that serve the combination
    for eni in items_of(snap, "NetworkInterfaces"):
        if lower(eni.get("InterfaceType")) != "lambda" or eni.get("SubnetId") != subnet_id:
            continue
        changed_by_hand = (_described_function(eni) in combination_functions
                           and eni_groups(eni) not in live_sets)
        if eni_groups(eni) == set(groups) or changed_by_hand:
            # Any of its private addresses, secondary ones included, may send (1.20).
            found += [(address, sorted(eni_groups(eni))) for address in sorted(eni_addresses(eni))
                      if is_v6(address) == six]
            serving.append(sorted(eni_groups(eni)))
    if found:
        return found
    # An address another interface holds cannot be the new ENI's: the snapshot's ENIs (every
    # private address) and its NAT gateways' private IPs (2.15, each is a NAT ENI's address).
    held = set()
    for eni in items_of(snap, "NetworkInterfaces"):
        held |= eni_addresses(eni)
    for nat in items_of(snap, "NatGateways"):
        held |= {a["PrivateIp"] for a in nat.get("NatGatewayAddresses") or [] if a.get("PrivateIp")}
    net = ipaddress.ip_network(ipv6_cidrs(subnet)[0] if six else subnet["CidrBlock"], strict=False)
    first, last = int(net.network_address) + 4, int(net.broadcast_address) - 1
    if six:  # too many to walk: the ends stand for the subnet (see the module docstring)
        ends = [n for n in (first, first + 1, last - 1, last)
                if str(ipaddress.ip_address(n)) not in held]
        # ENIs serving the combination without an IPv6 address in the snapshot still send with
        # the groups they carry (1.15), from an address of the subnet.
        sets = [list(g) for g in dict.fromkeys(tuple(g) for g in serving)] or [groups]
        return [(str(ipaddress.ip_address(n)), g) for g in sets for n in (ends[0], ends[-1])] if ends else []
    return [(str(ipaddress.ip_address(n)), groups) for n in range(first, last + 1)
            if str(ipaddress.ip_address(n)) not in held]


def source_addresses(snap: dict, function_name: str, subnet_id: str) -> list[str]:
    """The addresses the function's ENI in subnet_id may have (see `sources`)."""
    return [address for address, _ in sources(snap, function_name, subnet_id)]


def no_ipv6_source(snap: dict, function_name: str, subnet: dict) -> str | None:
    """Why the function's ENI in this subnet has no IPv6 source, if it has none (1.23)."""
    if not ((find_function(snap, function_name).get("VpcConfig") or {}).get("Ipv6AllowedForDualStack")):
        return "the function does not set Ipv6AllowedForDualStack (1.23)"
    if not ipv6_cidrs(subnet):
        return f"{subnet['SubnetId']} has no IPv6 CIDR (1.23)"
    return None
