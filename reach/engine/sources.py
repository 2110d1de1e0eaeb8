"""Where a function's packets start: the Hyperplane ENIs that serve a (subnet, group set),
those whose groups were changed by hand (1.15), and the addresses a new ENI may take (1.13)."""
from __future__ import annotations

from ..estate import Estate
from ..estate.lambda_enis import combination_key, drifted_to
from ..model import Function
from ..packets import IntervalSet, ip_set, union, usable_subnet_addresses


def drifted_enis(estate: Estate, subnet_id: str, groups: list[str]) -> list:
    """Hyperplane ENIs that may still carry this (subnet, group set)'s traffic although their groups
    were changed by hand (1.15): the shared drift rule, read cautiously (`reach can`, docs/enis.md)."""
    memo = estate.memo["drift"]
    if subnet_id not in memo:
        here = _functions_by_subnet(estate).get(subnet_id, [])
        combinations: dict[tuple[str, str], list] = {}
        for f in here:
            combinations.setdefault((f.function_name, subnet_id), []).append(
                combination_key(subnet_id, f.vpc_config.security_group_ids))
        known = {f.function_name for f in estate.functions.values()}
        live = {k for ks in combinations.values() for k in ks}
        served: dict = {}
        for e in estate.lambda_enis_in_subnet(subnet_id):
            for key in drifted_to(e, known=known, combinations=combinations, live=live, with_own_eni=None):
                served.setdefault(key, []).append(e)
        memo[subnet_id] = served
    return memo[subnet_id].get(combination_key(subnet_id, groups), [])


def _functions_by_subnet(estate: Estate) -> dict[str, list[Function]]:
    memo = estate.memo["functions_by_subnet"]
    if not memo:
        for f in estate.functions.values():
            for sid in dict.fromkeys(f.vpc_config.subnet_ids if f.vpc_config else []):
                memo.setdefault(sid, []).append(f)
    return memo


def free_addresses(estate: Estate, subnet_id: str) -> IntervalSet:
    """Where a new Hyperplane ENI can be: the subnet's usable addresses no other ENI holds."""
    memo = estate.memo["free"]
    if subnet_id not in memo:
        usable = usable_subnet_addresses(estate.subnets[subnet_id].cidr_block)
        held = [ip for e in estate.enis_in_subnet(subnet_id) for ip in estate.eni_private_ips(e)]
        held += [a.private_ip for n in estate.nats.values() if n.subnet_id == subnet_id
                 for a in n.nat_gateway_addresses if a.private_ip and ":" not in a.private_ip]
        memo[subnet_id] = usable - ip_set(held)
    return memo[subnet_id]


def free_ipv6_addresses(estate: Estate, subnet_id: str) -> IntervalSet:
    """Where a new Hyperplane ENI's IPv6 address can be: the subnet's usable IPv6 addresses (AWS
    reserves the first four and the last of each CIDR) that no other ENI holds."""
    memo = estate.memo["free6"]
    if subnet_id not in memo:
        usable = union(usable_subnet_addresses(c) for c in estate.subnets[subnet_id].ipv6_cidrs())
        held = [ip for e in estate.enis_in_subnet(subnet_id) for ip in estate.eni_ipv6_ips(e)]
        memo[subnet_id] = usable - ip_set(held)
    return memo[subnet_id]
