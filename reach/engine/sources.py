"""Where a function's packets start: the Hyperplane ENIs that serve a (subnet, group set),
those whose groups were changed by hand (1.15), the addresses a new ENI may take (1.13), and
whether it has an IPv6 source at all (1.23)."""
from __future__ import annotations

from ..answer import Blocker, Decision, Hop, Kind, Path, Verdict
from ..catalogue import Code, FixCode
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
        known = estate.function_names
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


def flag_needs_dual_stack(estate: Estate, fn: Function) -> list[dict]:
    """A what-if that moves a dual-stack function into subnets without an IPv6 CIDR: AWS wants
    every subnet of a function with Ipv6AllowedForDualStack to be dual-stack ("all of the subnets
    that are connected to the function must be dual-stack subnets",
    https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html), so the flag no longer
    applies there (1.23)."""
    lacking = [s for s in dict.fromkeys(fn.vpc_config.subnet_ids)
               if s in estate.subnets and not estate.subnets[s].ipv6_cidrs()]
    if not lacking:
        return []
    return [{"code": "IPV6_FLAG_NEEDS_DUAL_STACK", "component_id": fn.qualified_name,
             "subnet_ids": ", ".join(lacking), "rule": "1.23"}]


def dual_stack(fn: Function) -> bool:
    """Whether the function may send IPv6 at all: Ipv6AllowedForDualStack on a VPC function (1.23)."""
    return bool(fn.vpc_config and fn.vpc_config.ipv6_allowed_for_dual_stack)


def ipv6_source_blocker(estate: Estate, fn: Function, subnet, groups: list[str]) -> Path | None:
    """An ENI sends IPv6 only with Ipv6AllowedForDualStack in a subnet with an IPv6 CIDR (1.23);
    otherwise no IPv6 packet leaves it, whatever the routes say."""
    if not dual_stack(fn):
        path = no_ipv6_source(subnet, Kind.FUNCTION, Code.LAMBDA_IPV6_NOT_ALLOWED, FixCode.ALLOW_IPV6,
                               (("function", fn.qualified_name),), component=fn.qualified_name)
    elif not subnet.ipv6_cidrs():
        vpc = estate.vpcs.get(subnet.vpc_id)
        fix = FixCode.ADD_SUBNET_IPV6 if vpc is not None and vpc.ipv6_cidrs() else FixCode.ADD_VPC_IPV6
        path = no_ipv6_source(subnet, Kind.SUBNET, Code.SUBNET_HAS_NO_IPV6_CIDR, fix,
                               (("subnet", subnet.subnet_id), ("vpc", subnet.vpc_id)),
                               component=subnet.subnet_id)
    else:
        return None
    path.security_group_ids = sorted(groups)
    return path


def no_ipv6_source(subnet, kind: Kind, code: Code, fix: FixCode | None, fix_params: tuple, *,
                    component: str | None = None, detail: str = "no IPv6 source address (1.23)") -> Path:
    path = Path(subnet.subnet_id if subnet else None, subnet.availability_zone if subnet else None,
                [], Verdict.UNREACHABLE)
    where = component or "lambda-service"
    path.hops.append(Hop(component_id=where, kind=kind, decision=Decision.DENY, detail=detail, rule="1.23"))
    path.blockers.append(Blocker(component_id=where, kind=kind, code=code, fix=fix, fix_params=fix_params))
    return path


def senders(estate: Estate, subnet_id: str, groups: list[str], ipv6: bool) -> tuple[list, dict, list]:
    """Who sends a (subnet, groups) combination's packets, once per combination and family: the
    ENIs whose groups were changed by hand; the ENIs by their groups, exact ones and drifted ones,
    which still serve every function of the combination (1.14, 1.15), since traffic may leave
    through any (1.8); and each group set's source addresses."""
    memo = estate.memo["senders"]
    key = (subnet_id, tuple(groups), ipv6)
    hit = memo.get(key)
    if hit is not None:
        return hit
    drifted = drifted_enis(estate, subnet_id, groups)
    by_groups: dict[tuple[str, ...], list] = {}
    for eni in [*estate.lambda_enis(subnet_id, groups), *drifted]:
        by_groups.setdefault(tuple(sorted(eni.group_ids)), []).append(eni)
    if not by_groups:
        by_groups[tuple(groups)] = []
    if ipv6 and any(estate.eni_ipv6_ips(e) for es in by_groups.values() for e in es):
        # ENIs the snapshot shows with IPv6 addresses are the ones that send IPv6; one without
        # any beside them sends none (1.23, docs/semantics.md §6v).
        by_groups = {g: es for g, es in by_groups.items() if any(estate.eni_ipv6_ips(e) for e in es)}
    own = estate.eni_ipv6_ips if ipv6 else estate.eni_private_ips
    found = []
    for eni_groups, enis in sorted(by_groups.items()):
        ips = [ip for e in enis for ip in own(e)]
        found.append((eni_groups, ip_set(ips) if ips else (free_ipv6_addresses(estate, subnet_id) if ipv6
                                                            else free_addresses(estate, subnet_id))))
    hit = memo[key] = (drifted, by_groups, found)
    return hit
