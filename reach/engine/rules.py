"""Pure evaluators of AWS's filters over packet sets: security groups (4.x) and network ACLs (5.x)."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from ..estate import Estate
from ..model import IpPermission, NetworkAclEntry
from ..packets import ALL_ADDRESSES, ALL_IPV6, EMPTY, IntervalSet, cidr_set, cidrs_set, ip_int, port_set, union

_PROTOCOL_NUMBERS = {"tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}


def protocol_matches(rule_protocol: str, protocol: str) -> bool:
    """`-1` is every protocol; names and numbers are the same protocol (4.5, contract §1.1)."""
    return rule_protocol == "-1" or rule_protocol == protocol or \
        _PROTOCOL_NUMBERS.get(protocol) == rule_protocol


def _has_ports(protocol: str) -> bool:
    return protocol in ("tcp", "udp")


def _negative_ports(p: IpPermission) -> bool:
    return (p.from_port is not None and p.from_port < 0) or (p.to_port is not None and p.to_port < 0)


def describe_permission(index: int, p: IpPermission, direction: str) -> str:
    proto = "all traffic" if p.ip_protocol == "-1" else p.ip_protocol
    ports = ""
    if p.ip_protocol != "-1" and p.from_port is not None and p.from_port >= 0:
        ports = f" {p.from_port}" if p.from_port == p.to_port else f" {p.from_port}-{p.to_port}"
    peers = [r.cidr_ip for r in p.ip_ranges] + [r.prefix_list_id for r in p.prefix_list_ids] + \
        [g.group_id or "?" for g in p.user_id_group_pairs] + [r.cidr_ipv6 for r in p.ipv6_ranges]
    prep = "to" if direction == "egress" else "from"
    return f"rule {index + 1}: {proto}{ports} {prep} {', '.join(peers) or 'nothing'}"


@dataclass
class SgResult:
    """What a set of security groups admits: addresses allowed, undecidable, and the deciding rules."""

    allowed: IntervalSet
    unknown: IntervalSet = EMPTY
    missing: list[str] = field(default_factory=list)
    empty: bool = False  # the groups hold no rule at all in this direction (4.2)
    lost_reference: bool = False  # a group reference would have matched were identity kept (4.7)
    matching: tuple[tuple[str, IntervalSet, bool], ...] = ()  # the compiled rules (`_CompiledSg`)
    peers: IntervalSet = EMPTY  # the other side asked about

    @property
    def rules(self) -> list[str]:
        """The rules that admit some of the peers, each admitting some the ones before it did not
        (4.4): words for a hop, worked out only when one is shown."""
        out, allowed = [], EMPTY
        for text, admits, _ in self.matching:
            admitted = admits & self.peers
            if admitted - allowed:
                out.append(text)
            allowed = allowed | admitted
        return out


def security_groups_allow(estate: Estate, group_ids: list[str], *, egress: bool, protocol: str,
                          port: int, peers: IntervalSet, peer_groups: frozenset[str] = frozenset(),
                          peer_identity: bool = True, cross_vpc: bool = False) -> SgResult:
    """What the groups admit; decided once per (group set, direction, flow, peers) (design)."""
    key = (tuple(group_ids), egress, protocol, port, peers, peer_groups, peer_identity, cross_vpc)
    memo = estate.memo["sg"]
    hit = memo.get(key)  # one lookup: the key holds packet sets, hashed anew each time
    if hit is None:
        hit = memo[key] = _security_groups_allow(estate, group_ids, egress=egress, protocol=protocol,
                                                 port=port, peers=peers, peer_groups=peer_groups,
                                                 peer_identity=peer_identity, cross_vpc=cross_vpc)
    return hit


# One security-group set compiled for one direction and flow: per rule that matches the flow, in
# order, its text, the peers it admits out of every address, and whether a prefix list it names
# is missing; then the groups' missing ids, whether a reference lost its identity (4.7), whether
# the set holds no rule (4.2), whether a group is missing altogether, what the rules admit
# together, and whether any names a missing prefix list.
_CompiledSg = tuple[tuple[tuple[str, IntervalSet, bool], ...], list[str], bool, bool, bool, IntervalSet, bool]

_EVERY = ALL_ADDRESSES | ALL_IPV6  # what a reference the other side carries admits (4.6)

# A group reference of a rule: the group, whether the other side's carrying it can match (in
# scope, 4.8, or across a TGW with referencing on, 4.9), and, toward a destination, the addresses
# of the ENIs that carry it (4.6), or None.
_Ref = tuple[str, bool, "IntervalSet | None"]
# The same set's rules before the other side is known: per rule its text, the peers its addresses
# and prefix lists admit, whether a list is missing, and its group references; then the groups'
# missing ids, whether the set holds no rule, whether a group is missing altogether, and the
# groups its references can match.
_SgRules = tuple[tuple[tuple[str, IntervalSet, bool, tuple[_Ref, ...]], ...], list[str], bool, bool,
                 frozenset[str]]


def _security_groups_allow(estate: Estate, group_ids: list[str], *, egress: bool, protocol: str,
                           port: int, peers: IntervalSet, peer_groups: frozenset[str],
                           peer_identity: bool, cross_vpc: bool) -> SgResult:
    """Which of `peers` the union of the groups' rules admits (4.4), for one protocol and port:
    the set compiled once over every address (`_compile_sg`), then intersected with `peers`.

    The other side's groups matter only where a reference can match one (4.6-4.9): the set is
    compiled once per such match, not once per group set of the other side (an audit asks a
    database's groups about every function's)."""
    rules_key = (tuple(group_ids), egress, protocol, port, cross_vpc)
    found = estate.memo["sg_rules"].get(rules_key)
    if found is None:
        found = estate.memo["sg_rules"][rules_key] = _sg_rules(estate, group_ids, egress=egress, protocol=protocol,
                                                               port=port, cross_vpc=cross_vpc)
    matched = found[4] & peer_groups  # the other side's groups a reference can match
    key = (rules_key, matched, peer_identity)
    memo = estate.memo["sg_compiled"]
    compiled = memo.get(key)
    if compiled is None:
        compiled = memo[key] = _compile_sg(found, matched, peer_identity)
    matching, missing, lost, empty, group_missing, admits_all, pl_missing = compiled
    # What the rules admit together (4.4); what a missing prefix list or group might admit is
    # undecided (§0).
    allowed = admits_all & peers
    unknown = peers - allowed if pl_missing or group_missing else EMPTY
    return SgResult(allowed=allowed, unknown=unknown, missing=missing, empty=empty, lost_reference=lost,
                    matching=matching, peers=peers)


def _compile_sg(found: _SgRules, matched: frozenset[str], peer_identity: bool) -> _CompiledSg:
    """`matched`: the groups the other side carries that a reference can match; they match only
    while its identity is kept (`peer_identity`; lost past a NAT, 4.7). A reference the other side
    carries admits every address; one it does not, toward a destination, the ENIs that carry it."""
    rules, missing, empty, group_missing, _ = found
    matching: list[tuple[str, IntervalSet, bool]] = []
    lost = False
    for text, admits, pl_missing, refs in rules:
        for ref, matchable, holders in refs:
            if matchable and ref in matched:
                if peer_identity:
                    admits = _EVERY
                else:
                    lost = True
            elif holders is not None:
                admits = admits | holders
        matching.append((text, admits, pl_missing))
    return (tuple(matching), missing, lost, empty, group_missing, union(a for _, a, _ in matching),
            any(m for *_, m in matching))


def _sg_rules(estate: Estate, group_ids: list[str], *, egress: bool, protocol: str, port: int,
              cross_vpc: bool) -> _SgRules:
    """The rules of the groups that match one protocol and port, the other side not yet known."""
    found = []
    missing = [g for g in group_ids if g not in estate.groups]
    n_rules = 0
    for gid in group_ids:
        sg = estate.groups.get(gid)
        if sg is None:
            continue
        perms = sg.ip_permissions_egress if egress else sg.ip_permissions
        n_rules += len(perms)
        for i, p in enumerate(perms):
            if not protocol_matches(p.ip_protocol, protocol):
                continue
            if p.ip_protocol != "-1" and _has_ports(protocol) and (
                    port not in port_set(p.from_port, p.to_port) or _negative_ports(p)):
                continue  # a tcp/udp port -1 is no AWS rule: it admits no port (loader warns)
            # IPv4 and IPv6 peers are separate rules; each family admits only its own (2.4, 4.5).
            admits = cidrs_set([*(r.cidr_ip for r in p.ip_ranges), *(r.cidr_ipv6 for r in p.ipv6_ranges)])
            pl_missing = False
            for pl in p.prefix_list_ids:
                cidrs = estate.prefix_list_cidrs(pl.prefix_list_id)
                if cidrs is None:
                    pl_missing = True
                    missing.append(pl.prefix_list_id)
                else:
                    admits = admits | cidrs_set(cidrs)
            refs: list[_Ref] = []
            for pair in p.user_id_group_pairs:
                ref = pair.group_id
                if not ref:
                    continue
                in_scope = _reference_in_scope(estate, sg.vpc_id, ref)
                holders = None
                if egress and in_scope:
                    # Toward a destination the reference matches the ENIs that carry the group (4.6);
                    # a source is matched by the groups it carries, never by its address (1.26).
                    found_ips = [ip_int(ip) for eni in estate.enis_by_group.get(ref, [])
                                 for ip in estate.eni_private_ips(eni) + estate.eni_ipv6_ips(eni)]
                    holders = IntervalSet((a, a) for a in found_ips) if found_ips else None
                refs.append((ref, cross_vpc or in_scope, holders))
            found.append((f"{gid} {describe_permission(i, p, 'egress' if egress else 'ingress')}",
                          admits, pl_missing, tuple(refs)))
    matchable = frozenset(ref for *_, refs in found for ref, can, _ in refs if can)
    return (tuple(found), sorted(set(missing)), n_rules == 0 and not missing,
            any(g not in estate.groups for g in group_ids), matchable)


def _reference_in_scope(estate: Estate, vpc_id: str | None, ref: str) -> bool:
    """A reference matches in its own VPC, or across an active same-Region peering (4.8, 6.7)."""
    other = estate.groups.get(ref)
    if other is None or other.vpc_id is None or vpc_id is None or other.vpc_id == vpc_id:
        return True
    memo = estate.memo["sg_reference_scope"]
    key = (vpc_id, other.vpc_id)
    if key not in memo:
        memo[key] = _peered_in_region(estate, vpc_id, other.vpc_id)
    return memo[key]


def _peered_in_region(estate: Estate, vpc_id: str, other_vpc: str) -> bool:
    for pcx in estate.peerings_between.get(frozenset((vpc_id, other_vpc)), ()):
        a, r = pcx.accepter_vpc_info, pcx.requester_vpc_info
        if pcx.is_active and (a.region is None or a.region == r.region):
            return True
    return False


@dataclass
class AclResult:
    allowed: IntervalSet
    denied: list[tuple[str, IntervalSet]]  # (the deciding entry, described; the addresses)
    rules: list[str]
    deny_numbers: list[int] = field(default_factory=list)  # the explicit denies that matched, in order


def describe_entry(e: NetworkAclEntry | None) -> str:
    if e is None:
        return "rule * (deny all)"
    proto = "all" if e.protocol == "-1" else e.protocol
    ports = ""
    if e.port_range and e.protocol in ("tcp", "udp"):
        lo, hi = e.port_range.from_, e.port_range.to
        ports = f" {lo}" if lo == hi else f" {lo}-{hi}"
    return f"rule {e.rule_number}: {e.rule_action} {proto}{ports} {e.cidr_block or e.ipv6_cidr_block}"


def _acl_entries(estate: Estate, acl_id: str, *, egress: bool, protocol: str) -> list[tuple]:
    """The NACL's entries of one direction that can match a protocol, by rule number (5.2), each
    as (number, denies, its text, its addresses, its ports or None for every port). IPv4 and IPv6
    entries are separate (5.7): an entry matches only its own family's addresses, so first match
    by rule number holds within each family. The `*` entry (32767) is the deny of what is left."""
    acl = estate.acls[acl_id]
    out = []
    for e in sorted((e for e in acl.entries if e.egress == egress and (e.cidr_block or e.ipv6_cidr_block)),
                    key=lambda e: e.rule_number):
        if e.rule_number >= 32767 or not protocol_matches(e.protocol, protocol):
            continue
        ports = (port_set(e.port_range.from_, e.port_range.to)
                 if e.port_range and e.protocol != "-1" and _has_ports(protocol) else None)
        out.append((e.rule_number, e.rule_action == "deny", describe_entry(e),
                    cidr_set(e.cidr_block or e.ipv6_cidr_block), ports))
    return out


def acl_allows(estate: Estate, acl_id: str, *, egress: bool, protocol: str,
               others: IntervalSet, ports: IntervalSet) -> AclResult:
    """The NACL's decision, made once per (NACL, direction, protocol, addresses, ports)."""
    key = (acl_id, egress, protocol, others, ports)
    memo = estate.memo["acl"]
    hit = memo.get(key)  # one lookup: the key holds packet sets, hashed anew each time
    if hit is None:
        hit = memo[key] = _acl_allows(estate, acl_id, egress=egress, protocol=protocol, others=others,
                                      ports=ports)
    return hit


def _acl_allows(estate: Estate, acl_id: str, *, egress: bool, protocol: str,
                others: IntervalSet, ports: IntervalSet) -> AclResult:
    """First match by rule number (5.2), over a set of other-side addresses and a set of ports.

    An address is allowed only when every port in `ports` is allowed for it: replies must get
    through on the whole ephemeral range (1.25, 5.6).

    Where no entry's CIDR starts or ends among the addresses (one stretch of the line between the
    entries' bounds: the walk asks about one ENI's or one subnet's addresses), every entry holds
    all of them or none, so the entries that decide are the same for any address there: they are
    worked out once per stretch and ports, and given these addresses."""
    key = (acl_id, egress, protocol)
    memo = estate.memo["acl_entries"]
    compiled = memo.get(key)
    if compiled is None:
        entries = _acl_entries(estate, acl_id, egress=egress, protocol=protocol)
        bounds = sorted({0, *(b for *_, addrs, _ in entries for lo, hi in addrs for b in (lo, hi + 1))})
        compiled = memo[key] = (entries, bounds)
    entries, bounds = compiled
    if not others:
        return _first_match(entries, others, ports)
    i = bisect_right(bounds, others[0][0]) - 1
    if i + 1 < len(bounds) and others[-1][1] >= bounds[i + 1]:
        return _first_match(entries, others, ports)  # across an entry's bound
    stretch = estate.memo["acl_stretches"]
    found = stretch.get((key, ports, i))
    if found is None:
        some = _first_match(entries, IntervalSet._raw([(bounds[i], bounds[i])]), ports)
        found = stretch[(key, ports, i)] = (not some.allowed, [t for t, _ in some.denied],
                                            some.rules, some.deny_numbers)
    blocked, denied, rules, numbers = found
    return AclResult(allowed=EMPTY if blocked else others, denied=[(t, others) for t in denied],
                     rules=list(rules), deny_numbers=list(numbers))


def _first_match(entries: list[tuple], others: IntervalSet, ports: IntervalSet) -> AclResult:
    """First match itself, entry by entry, over the addresses and ports still unmatched (5.2)."""
    remaining: list[tuple[IntervalSet, IntervalSet]] = [(others, ports)]
    denied: list[tuple[str, IntervalSet]] = []
    deny_numbers: list[int] = []
    rules: list[str] = []
    for number, deny, text, e_addrs, e_ports in entries:
        if not remaining:
            break  # every address and port was matched by an earlier entry
        nxt = []
        for addrs, prts in remaining:
            hit_a = addrs & e_addrs
            hit_p = prts if e_ports is None else prts & e_ports
            if not hit_a or not hit_p:
                nxt.append((addrs, prts))
                continue
            if deny:
                denied.append((text, hit_a))
                deny_numbers.append(number)
            elif text not in rules:
                rules.append(text)
            if addrs - e_addrs:
                nxt.append((addrs - e_addrs, prts))
            if prts - hit_p:
                nxt.append((hit_a, prts - hit_p))
        remaining = nxt
    for addrs, _ in remaining:
        denied.append((describe_entry(None), addrs))
    blocked = EMPTY
    for _, a in denied:
        blocked = blocked | a
    return AclResult(allowed=others - blocked, denied=denied, rules=rules,
                     deny_numbers=sorted(set(deny_numbers)))
